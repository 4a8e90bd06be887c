#include "store/partitionfeed.h"

#include "driver/engine.h"

#include <algorithm>
#include <set>

namespace brokerlab::store {

namespace {

std::int32_t epochAt(const std::map<std::int32_t, std::int64_t>& epochs, std::int64_t offset)
{
    std::int32_t epoch = -1;
    std::int64_t bestStart = -1;
    for (const auto& [candidate, start] : epochs) {
        if (start <= offset && start >= bestStart) {
            epoch = candidate;
            bestStart = start;
        }
    }
    return epoch;
}

} // namespace

std::vector<PartitionSource> PartitionFeed::sourcesOf(driver::Engine& engine)
{
    std::vector<PartitionSource> sources;
    const cluster::MetadataImage& image = engine.cluster().controller().image();
    for (const auto& [name, topic] : image.topics) {
        for (const auto& partition : topic.partitions) {
            std::vector<std::int32_t> candidates = partition.replicas;
            if (partition.leader >= 0)
                candidates.insert(candidates.begin(), partition.leader);
            for (std::int32_t id : candidates) {
                cluster::Broker* broker = engine.cluster().broker(id);
                const cluster::Replica* replica = broker ? broker->replica({ name, partition.partition }) : nullptr;
                if (!replica)
                    continue;
                sources.push_back(
                    { name, partition.partition, &replica->log(), replica->highWatermark(), partition.leader });
                break;
            }
        }
    }
    return sources;
}

// KIP-101's question asked of our own copy: the first offset below what we handed over whose
// leader epoch is not the same in the log now. Records from there on were replaced (an unclean
// leader election truncated them and wrote others at the same offsets).
std::int64_t PartitionFeed::divergence(
    const State& state, const std::map<std::int32_t, std::int64_t>& epochs, std::int64_t logStartOffset)
{
    std::set<std::int64_t> boundaries;
    for (const auto& [epoch, start] : state.epochs)
        boundaries.insert(start);
    for (const auto& [epoch, start] : epochs)
        boundaries.insert(start);
    for (std::int64_t boundary : boundaries) {
        const std::int64_t at = std::max(boundary, logStartOffset);
        if (at >= state.nextOffset)
            break;
        if (epochAt(state.epochs, at) != epochAt(epochs, at))
            return at;
    }
    return -1;
}

IngestBatch PartitionFeed::collect(const std::vector<PartitionSource>& sources, std::int64_t maxRecords)
{
    IngestBatch batch;
    std::int64_t budget = maxRecords;
    for (const PartitionSource& source : sources) {
        const log::PartitionLog& log = *source.log;
        State& state = states_[{ source.topic, source.partition }];
        PartitionUpdate update;
        update.topic = source.topic;
        update.partition = source.partition;
        update.logStartOffset = log.logStartOffset();
        update.logEndOffset = log.logEndOffset();
        update.highWatermark = std::min(source.highWatermark, update.logEndOffset);
        update.leader = source.leader;
        const auto& epochs = log.epochCache().entries();

        if (state.known) {
            std::int64_t cut = divergence(state, epochs, update.logStartOffset);
            if (update.highWatermark < state.nextOffset)
                cut = cut < 0 ? update.highWatermark : std::min(cut, update.highWatermark);
            if (cut >= 0) {
                update.truncateFrom = cut;
                state.nextOffset = cut;
            }
            if (log.rewriteCount() != state.rewriteCount) {
                // Compaction (or a truncation) rewrote the log: tell the store which offsets remain.
                update.reconcile = true;
                update.keptBelow = state.nextOffset;
                std::int64_t from = update.logStartOffset;
                while (from < update.keptBelow) {
                    const auto records = log.readRecords(from, update.keptBelow, 4096);
                    if (records.empty())
                        break;
                    for (const auto& record : records)
                        update.keptOffsets.push_back(record.offset);
                    from = records.back().offset + 1;
                }
            }
        }
        std::int64_t from = std::max(state.nextOffset, update.logStartOffset);
        while (from < update.highWatermark && budget > 0) {
            auto records
                = log.readRecords(from, update.highWatermark, std::size_t(std::min<std::int64_t>(budget, 4096)));
            if (records.empty()) {
                from = update.highWatermark; // a compacted gap up to the high watermark
                break;
            }
            from = records.back().offset + 1;
            budget -= std::int64_t(records.size());
            std::move(records.begin(), records.end(), std::back_inserter(update.records));
        }
        state.nextOffset = std::max(from, state.nextOffset);
        state.epochs = epochs;
        state.rewriteCount = log.rewriteCount();
        state.known = true;
        batch.pendingRecords += std::max<std::int64_t>(0, update.highWatermark - state.nextOffset);
        batch.partitions.push_back(std::move(update));
    }
    return batch;
}

void PartitionFeed::markHandedOver(const std::vector<PartitionSource>& sources)
{
    for (const PartitionSource& source : sources) {
        State& state = states_[{ source.topic, source.partition }];
        state.nextOffset = std::min(source.highWatermark, source.log->logEndOffset());
        state.epochs = source.log->epochCache().entries();
        state.rewriteCount = source.log->rewriteCount();
        state.known = true;
    }
}

} // namespace brokerlab::store
