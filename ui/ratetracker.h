#pragma once
// Rates per virtual second, from successive snapshots. Counters only ever grow, so a rate is a difference of two
// snapshots divided by the virtual time between them. Measuring over a window of virtual time (not per GUI
// tick) keeps the numbers steady: producers send in batches, and a 30 Hz tick would see 0, 0, 600, 0 records.

#include "client/latencyhistogram.h"
#include "driver/snapshot.h"
#include "store/runhistory.h"

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace brokerlab::ui {

struct PartitionKey {
    std::string topic;
    std::int32_t partition = 0;
    auto operator<=>(const PartitionKey&) const = default;
};

struct ReplicaKey {
    std::string topic;
    std::int32_t partition = 0;
    std::int32_t broker = 0;
    auto operator<=>(const ReplicaKey&) const = default;
};

struct Rates {
    double windowSeconds = 0; // 0 until a first window has passed
    double recordsInPerSec = 0; // appended by partition leaders for producers
    double recordsOutPerSec = 0; // handed to applications by consumers' poll()
    // Sorted by key: built in one pass over a sorted snapshot, read by binary search (a node per key in a map cost
    // 40,000 allocations a second at 5,000 partitions x RF=3).
    template <typename Key>
    using SortedRates = std::vector<std::pair<Key, double>>;

    std::map<std::string, double> topicProduce; // growth of the leaders' log end offsets
    SortedRates<PartitionKey> partitionProduce;
    SortedRates<ReplicaKey> replicaAppend; // a leader's appends or a follower's replication
    std::map<std::int32_t, double> brokerRecordsIn;
    // Records handed to applications per topic: the growth of consumers' positions, per group (a partition that
    // moves to another member in a rebalance goes on from where the group was).
    std::map<std::string, double> topicConsume;
    // Produce latency (batch creation to acknowledgement) of the records acknowledged in the window, in ms;
    // -1 when none was.
    double produceLatencyP50Ms = -1;
    double produceLatencyP99Ms = -1;

    double topic(const std::string& name) const;
    double topicConsumed(const std::string& name) const;
    double partition(const std::string& topic, std::int32_t index) const;
    double replica(const std::string& topic, std::int32_t index, std::int32_t broker) const;
    double broker(std::int32_t id) const;
};

class RateTracker {
public:
    explicit RateTracker(double windowSeconds = 1.0) : windowSeconds_(windowSeconds) { }

    // Returns true when a window closed and the rates changed.
    bool update(const driver::Snapshot& snapshot);
    // Shared and immutable, like snapshots: the views keep the pointer instead of copying the maps 30 times a
    // second, and a new window publishes a new object.
    std::shared_ptr<const Rates> rates() const { return rates_; }
    void reset();

private:
    struct Sample {
        std::int64_t virtualUs = 0;
        std::int64_t recordsIn = 0;
        std::int64_t recordsOut = 0;
        std::map<std::int32_t, std::int64_t> brokerRecordsIn;
        std::vector<std::pair<PartitionKey, std::int64_t>> leaderLogEnd; // sorted by key
        std::vector<std::pair<ReplicaKey, std::int64_t>> replicaLogEnd; // sorted by key
        store::RunMetrics::Positions groupPosition; // by group (or lone consumer)
        client::LatencyHistogram produceLatency; // every producer's, merged
    };
    static Sample sample(const driver::Snapshot& snapshot);

    double windowSeconds_;
    std::optional<Sample> base_;
    std::shared_ptr<const Rates> rates_ = std::make_shared<const Rates>();
};

} // namespace brokerlab::ui
