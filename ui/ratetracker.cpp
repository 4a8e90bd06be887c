#include "ratetracker.h"

#include <algorithm>

namespace brokerlab::ui {

namespace {

template <typename Map, typename Key>
double lookup(const Map& map, const Key& key)
{
    auto it = map.find(key);
    return it == map.end() ? 0.0 : it->second;
}

template <typename Key>
double lookup(const Rates::SortedRates<Key>& sorted, const Key& key)
{
    auto it = std::lower_bound(sorted.begin(), sorted.end(), key,
        [](const std::pair<Key, double>& entry, const Key& wanted) { return entry.first < wanted; });
    return it != sorted.end() && it->first == key ? it->second : 0.0;
}

template <typename Pairs>
void sortByKey(Pairs& pairs)
{
    auto byKey = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(pairs.begin(), pairs.end(), byKey))
        std::sort(pairs.begin(), pairs.end(), byKey);
}

// A counter that went down was reset (a topic deleted and created again, a leader that truncated): the
// growth since then is unknown, so it counts as none rather than as a huge negative rate.
double growth(std::int64_t now, std::int64_t before)
{
    return static_cast<double>(std::max<std::int64_t>(0, now - before));
}

} // namespace

double Rates::topic(const std::string& name) const { return lookup(topicProduce, name); }
double Rates::topicConsumed(const std::string& name) const { return lookup(topicConsume, name); }
double Rates::partition(const std::string& name, std::int32_t index) const
{
    return lookup(partitionProduce, PartitionKey { name, index });
}
double Rates::replica(const std::string& name, std::int32_t index, std::int32_t brokerId) const
{
    return lookup(replicaAppend, ReplicaKey { name, index, brokerId });
}
double Rates::broker(std::int32_t id) const { return lookup(brokerRecordsIn, id); }

RateTracker::Sample RateTracker::sample(const driver::Snapshot& snapshot)
{
    Sample result;
    result.virtualUs = snapshot.virtualUs;
    for (const auto& broker : snapshot.brokers) {
        result.recordsIn += broker.counters.recordsIn;
        result.brokerRecordsIn[broker.id] = broker.counters.recordsIn;
    }
    for (const auto& consumer : snapshot.consumers)
        result.recordsOut += consumer.counters.consumed;
    for (const auto& processor : snapshot.processors) // a stream processor reads through a consumer of its own
        result.recordsOut += processor.counters.recordsIn;
    result.groupPosition = store::RunMetrics::positionsOf(snapshot);
    result.produceLatency = store::RunMetrics::latencyOf(snapshot);
    std::size_t partitions = 0;
    for (const auto& topic : snapshot.topics)
        partitions += topic.partitions.size();
    result.leaderLogEnd.reserve(partitions);
    result.replicaLogEnd.reserve(partitions * 3);
    for (const auto& topic : snapshot.topics) {
        for (const auto& partition : topic.partitions) {
            result.leaderLogEnd.emplace_back(PartitionKey { topic.name, partition.partition }, partition.logEndOffset);
            for (const auto& replica : partition.replicas)
                result.replicaLogEnd.emplace_back(
                    ReplicaKey { topic.name, partition.partition, replica.broker }, replica.logEndOffset);
        }
    }
    // The snapshot lists topics by name, partitions and replicas in order, so these are sorted already.
    sortByKey(result.leaderLogEnd);
    sortByKey(result.replicaLogEnd);
    return result;
}

namespace {

// Each key of `now` with its growth since `before` per second, a key new in the window grown from zero. Both are
// sorted by the same key: one walk over the two, and the result in the same order.
template <typename Key>
Rates::SortedRates<Key> growthRates(const std::vector<std::pair<Key, std::int64_t>>& now,
    const std::vector<std::pair<Key, std::int64_t>>& before, double seconds)
{
    Rates::SortedRates<Key> rates;
    rates.reserve(now.size());
    auto old = before.begin();
    for (const auto& [key, value] : now) {
        while (old != before.end() && old->first < key)
            ++old;
        const std::int64_t start = old != before.end() && old->first == key ? old->second : 0;
        rates.emplace_back(key, growth(value, start) / seconds);
    }
    return rates;
}

} // namespace

void RateTracker::reset()
{
    base_.reset();
    rates_ = std::make_shared<const Rates>();
}

bool RateTracker::update(const driver::Snapshot& snapshot)
{
    if (base_ && snapshot.virtualUs < base_->virtualUs)
        reset(); // a new run started: the old base means nothing any more
    if (!base_) {
        base_ = sample(snapshot);
        return false;
    }
    const double seconds = static_cast<double>(snapshot.virtualUs - base_->virtualUs) / 1e6;
    if (seconds < windowSeconds_)
        return false;

    Sample now = sample(snapshot);
    Rates rates;
    rates.windowSeconds = seconds;
    rates.recordsInPerSec = growth(now.recordsIn, base_->recordsIn) / seconds;
    rates.recordsOutPerSec = growth(now.recordsOut, base_->recordsOut) / seconds;
    for (const auto& [id, count] : now.brokerRecordsIn) {
        auto before = base_->brokerRecordsIn.find(id);
        rates.brokerRecordsIn[id]
            = growth(count, before == base_->brokerRecordsIn.end() ? count : before->second) / seconds;
    }
    // A partition or replica that did not exist at the start of the window grew from zero.
    rates.partitionProduce = growthRates(now.leaderLogEnd, base_->leaderLogEnd, seconds);
    for (const auto& [key, rate] : rates.partitionProduce)
        rates.topicProduce[key.topic] += rate;
    rates.replicaAppend = growthRates(now.replicaLogEnd, base_->replicaLogEnd, seconds);
    for (const auto& [topic, records] : store::RunMetrics::consumedBetween(base_->groupPosition, now.groupPosition))
        rates.topicConsume[topic] = static_cast<double>(records) / seconds;
    const client::LatencyHistogram window = now.produceLatency.since(base_->produceLatency);
    if (window.total() > 0) {
        rates.produceLatencyP50Ms = window.quantileUs(0.50) / 1000.0;
        rates.produceLatencyP99Ms = window.quantileUs(0.99) / 1000.0;
    }
    rates_ = std::make_shared<const Rates>(std::move(rates));
    base_ = std::move(now);
    return true;
}

} // namespace brokerlab::ui
