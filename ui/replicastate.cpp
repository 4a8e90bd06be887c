#include "replicastate.h"

#include <algorithm>

namespace brokerlab::ui {

ReplicaState replicaState(const driver::ReplicaSnapshot& replica)
{
    if (!replica.online)
        return ReplicaState::Offline;
    if (replica.leader)
        return ReplicaState::Leader;
    return replica.inSync ? ReplicaState::InSyncFollower : ReplicaState::OutOfSync;
}

const driver::ReplicaSnapshot* replicaOn(const driver::PartitionSnapshot& partition, std::int32_t broker)
{
    for (const auto& replica : partition.replicas) {
        if (replica.broker == broker)
            return &replica;
    }
    return nullptr;
}

ReplicaState replicaStateOn(const driver::PartitionSnapshot& partition, std::int32_t broker)
{
    const driver::ReplicaSnapshot* replica = replicaOn(partition, broker);
    return replica ? replicaState(*replica) : ReplicaState::Absent;
}

ReplicaCounts countReplicas(const driver::TopicSnapshot& topic, std::int32_t broker)
{
    ReplicaCounts counts;
    for (const auto& partition : topic.partitions) {
        switch (replicaStateOn(partition, broker)) {
        case ReplicaState::Absent:
            break;
        case ReplicaState::InSyncFollower:
            ++counts.inSyncFollowers;
            break;
        case ReplicaState::Leader:
            ++counts.leaders;
            break;
        case ReplicaState::OutOfSync:
            ++counts.outOfSync;
            break;
        case ReplicaState::Offline:
            ++counts.offline;
            break;
        }
    }
    return counts;
}

TopicHealth topicHealth(const driver::TopicSnapshot& topic)
{
    TopicHealth health;
    for (const auto& partition : topic.partitions) {
        // An offline partition is also short of in-sync replicas, but it is the graver fact: count it once.
        if (partition.offline())
            ++health.offline;
        else if (partition.underReplicated())
            ++health.underReplicated;
    }
    return health;
}

BrokerLoad brokerLoad(const driver::Snapshot& snapshot, std::int32_t broker)
{
    BrokerLoad load;
    for (const auto& topic : snapshot.topics) {
        for (const auto& partition : topic.partitions) {
            load.leaders += partition.leader == broker ? 1 : 0;
            load.replicas
                += static_cast<int>(std::count(partition.replicaIds.begin(), partition.replicaIds.end(), broker));
        }
    }
    return load;
}

std::vector<ReplicaState> stripBins(const driver::TopicSnapshot& topic, std::int32_t broker, int binCount)
{
    const auto partitions = topic.partitions.size();
    if (binCount <= 0 || partitions == 0)
        return {};
    const auto bins = std::min<std::size_t>(static_cast<std::size_t>(binCount), partitions);
    std::vector<ReplicaState> result(bins, ReplicaState::Absent);
    for (std::size_t p = 0; p < partitions; ++p) {
        const std::size_t bin = p * bins / partitions;
        result[bin] = std::max(result[bin], replicaStateOn(topic.partitions[p], broker));
    }
    return result;
}

} // namespace brokerlab::ui
