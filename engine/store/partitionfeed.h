#pragma once
// The sim thread's side of indexing: reads what is committed (at or below the high watermark) on
// each partition's leader and hands the store what changed since the last call, including what
// the log lost (retention, compaction, unclean truncation). It only reads the logs, between
// engine steps, and is called when the caller chooses (never from the engine's hot path).

#include "log/partitionlog.h"
#include "store/storetypes.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace brokerlab::driver {
class Engine;
}

namespace brokerlab::store {

struct PartitionSource {
    std::string topic;
    std::int32_t partition = 0;
    const log::PartitionLog* log = nullptr;
    std::int64_t highWatermark = 0;
    std::int32_t leader = -1;
};

class PartitionFeed {
public:
    // The leader's replica of every partition (the first replica that has a log when a partition
    // is offline), topics in name order.
    static std::vector<PartitionSource> sourcesOf(driver::Engine& engine);

    // Everything that changed since the previous collect(), with at most `maxRecords` new records
    // in total; call again while the batch's pendingRecords > 0 to hand over the rest.
    IngestBatch collect(const std::vector<PartitionSource>& sources, std::int64_t maxRecords);
    // Takes what is committed now as handed over already, without reading a record: for a run
    // resumed from a workspace that holds exactly these logs (store::replayDifference said so).
    void markHandedOver(const std::vector<PartitionSource>& sources);

private:
    struct State {
        bool known = false;
        std::int64_t nextOffset = 0; // everything below was handed over
        std::map<std::int32_t, std::int64_t> epochs; // leader epoch -> start offset, when handed over
        std::uint64_t rewriteCount = 0;
    };
    static std::int64_t divergence(
        const State& state, const std::map<std::int32_t, std::int64_t>& epochs, std::int64_t logStartOffset);
    std::map<std::pair<std::string, std::int32_t>, State> states_;
};

} // namespace brokerlab::store
