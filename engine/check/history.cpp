#include "check/history.h"

#include "check/recordhash.h"

#include <algorithm>

namespace brokerlab::check {

History::LogImage::LogImage(const std::vector<std::pair<std::int64_t, std::uint64_t>>& offsetsAndHashes)
{
    const auto byOffset = [](const auto& a, const auto& b) { return a.first < b.first; };
    const std::vector<std::pair<std::int64_t, std::uint64_t>>* entries = &offsetsAndHashes;
    std::vector<std::pair<std::int64_t, std::uint64_t>> sorted;
    if (!std::is_sorted(offsetsAndHashes.begin(), offsetsAndHashes.end(), byOffset)) {
        sorted = offsetsAndHashes;
        std::stable_sort(sorted.begin(), sorted.end(), byOffset);
        entries = &sorted;
    }
    hashes_.reserve(entries->size());
    for (const auto& entry : *entries)
        hashes_.push_back(entry.second);
    if (entries->empty())
        return;
    firstOffset_ = entries->front().first;
    const bool dense = entries->back().first - firstOffset_ + 1 == static_cast<std::int64_t>(entries->size());
    if (!dense) {
        offsets_.reserve(entries->size());
        for (const auto& entry : *entries)
            offsets_.push_back(entry.first);
    }
}

std::size_t History::LogImage::lowerBound(std::int64_t offset) const
{
    if (offsets_.empty()) {
        if (offset <= firstOffset_)
            return 0;
        return static_cast<std::size_t>(std::min<std::int64_t>(offset - firstOffset_, std::int64_t(size())));
    }
    return static_cast<std::size_t>(std::lower_bound(offsets_.begin(), offsets_.end(), offset) - offsets_.begin());
}

std::optional<std::uint64_t> History::LogImage::find(std::int64_t offset) const
{
    const std::size_t index = lowerBound(offset);
    if (index < size() && offsetAt(index) == offset)
        return hashes_[index];
    return std::nullopt;
}

std::vector<History::Divergence> compareReplica(
    const History::LogImage& truth, std::int64_t highWatermark, const History::LogImage& replica, std::int32_t broker)
{
    std::vector<History::Divergence> divergences;
    std::size_t t = 0;
    for (std::size_t r = 0; r < replica.size(); ++r) {
        const std::int64_t offset = replica.offsetAt(r);
        if (offset >= highWatermark)
            break;
        // A merge walk: both logs are sorted, and each replica compacts on its own, so either may have
        // a gap where the other holds a record. Only offsets both hold can disagree.
        while (t < truth.size() && truth.offsetAt(t) < offset)
            ++t;
        if (t == truth.size())
            break;
        if (truth.offsetAt(t) == offset && truth.hashAt(t) != replica.hashAt(r))
            divergences.push_back({ offset, truth.hashAt(t), replica.hashAt(r), broker });
    }
    return divergences;
}

std::uint32_t History::partitionIndex(const TopicPartition& topicPartition)
{
    if (lastPartition_ < partitions_.size() && partitions_[lastPartition_].topicPartition == topicPartition)
        return lastPartition_;
    constexpr std::int32_t kMaxPartitionNumber = 1 << 20;
    const auto add = [this, &topicPartition] {
        partitions_.push_back(Partition { topicPartition });
        return std::uint32_t(partitions_.size() - 1);
    };
    if (topicPartition.partition < 0 || topicPartition.partition >= kMaxPartitionNumber) {
        auto it = oddPartitions_.find(topicPartition);
        if (it == oddPartitions_.end())
            it = oddPartitions_.emplace(topicPartition, add()).first;
        return lastPartition_ = it->second;
    }
    if (lastTopic_ >= topics_.size() || topics_[lastTopic_].name != topicPartition.topic) {
        auto it = topicIndexes_.find(std::string_view(topicPartition.topic));
        if (it == topicIndexes_.end()) {
            it = topicIndexes_.emplace(topicPartition.topic, std::uint32_t(topics_.size())).first;
            topics_.push_back({ topicPartition.topic, {} });
        }
        lastTopic_ = it->second;
    }
    std::vector<std::uint32_t>& indexes = topics_[lastTopic_].partitions;
    const auto number = static_cast<std::size_t>(topicPartition.partition);
    if (number >= indexes.size())
        indexes.resize(number + 1, UINT32_MAX);
    if (indexes[number] == UINT32_MAX)
        indexes[number] = add();
    return lastPartition_ = indexes[number];
}

std::uint32_t History::actorIndex(std::string_view name)
{
    if (lastActor_ < actors_.size() && actors_[lastActor_] == name)
        return lastActor_;
    auto it = actorIndexes_.find(name);
    if (it == actorIndexes_.end()) {
        it = actorIndexes_.emplace(std::string(name), std::uint32_t(actors_.size())).first;
        actors_.emplace_back(name);
    }
    return lastActor_ = it->second;
}

void History::sendAcked(const TopicPartition& topicPartition, std::int64_t offset, std::uint64_t hash,
    std::string_view producer, std::optional<std::string_view> key, std::int64_t sendOrder)
{
    acked_.push_back({ offset, hash, keyHash(key), sendOrder, partitionIndex(topicPartition), actorIndex(producer) });
}

void History::sendFailed(const TopicPartition& topicPartition, std::uint64_t hash, std::string_view producer)
{
    failed_.push_back({ hash, partitionIndex(topicPartition), actorIndex(producer) });
}

void History::sendUnknown(const TopicPartition& topicPartition, std::uint64_t hash, std::string_view producer)
{
    unknown_.push_back({ hash, partitionIndex(topicPartition), actorIndex(producer) });
}

void History::consumed(const TopicPartition& topicPartition, std::int64_t offset, std::uint64_t hash,
    std::string_view consumer, std::optional<std::string_view> key)
{
    consumed_.push_back({ offset, hash, keyHash(key), partitionIndex(topicPartition), actorIndex(consumer) });
}

void History::processed(
    std::string_view group, const TopicPartition& topicPartition, std::int64_t offset, std::string_view consumer)
{
    const std::uint32_t partition = partitionIndex(topicPartition);
    const std::uint32_t groupIndex = actorIndex(group);
    processed_.push_back({ offset, partition, groupIndex, actorIndex(consumer) });
}

void History::groupCommitted(std::string_view group, const TopicPartition& topicPartition, std::int64_t offset)
{
    const std::uint32_t partition = partitionIndex(topicPartition);
    groupCommits_.push_back({ offset, partition, actorIndex(group) });
}

void History::finalLog(const TopicPartition& topicPartition, std::int32_t replicaBroker, bool isLeader,
    const std::vector<std::pair<std::int64_t, std::uint64_t>>& offsetsAndHashes, std::int64_t highWatermark,
    std::int64_t logStartOffset)
{
    Partition& partition = partitions_[partitionIndex(topicPartition)];
    const bool becomesTruth = isLeader && !partition.hasLeader;
    partition.replicas.push_back(
        { replicaBroker, isLeader, highWatermark, logStartOffset, LogImage(offsetsAndHashes) });
    const std::size_t index = partition.replicas.size() - 1;
    const auto compare = [&partition](Replica& replica) {
        const Replica& truth = partition.replicas[static_cast<std::size_t>(partition.truth)];
        auto found = compareReplica(truth.log, truth.highWatermark, replica.log, replica.broker);
        partition.divergences.insert(partition.divergences.end(), found.begin(), found.end());
        replica.log = LogImage(); // its disagreements are all check() needs from it
    };
    if (becomesTruth) {
        partition.hasLeader = true;
        partition.truth = static_cast<int>(index);
        // Replicas given before the leader were provisional; now they can be judged and freed.
        for (std::size_t pending : partition.pending) {
            if (pending != index)
                compare(partition.replicas[pending]);
        }
        partition.pending.clear();
        return;
    }
    if (partition.hasLeader) {
        compare(partition.replicas[index]);
        return;
    }
    // No leader yet: the first replica stands in as the truth until (unless) one arrives.
    if (partition.truth < 0)
        partition.truth = static_cast<int>(index);
    partition.pending.push_back(index);
}

void History::reserve(std::size_t ackedRecords, std::size_t consumedRecords)
{
    acked_.reserve(ackedRecords);
    consumed_.reserve(consumedRecords);
}

std::size_t History::memoryBytes() const
{
    std::size_t bytes = acked_.capacity() * sizeof(Acked) + consumed_.capacity() * sizeof(Consumed)
        + (failed_.capacity() + unknown_.capacity()) * sizeof(Sent);
    for (const Partition& partition : partitions_) {
        bytes += sizeof(Partition) + partition.divergences.capacity() * sizeof(Divergence);
        for (const Replica& replica : partition.replicas)
            bytes += sizeof(Replica) + replica.log.memoryBytes();
    }
    return bytes;
}

} // namespace brokerlab::check
