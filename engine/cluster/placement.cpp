#include "cluster/placement.h"

#include <algorithm>

namespace brokerlab::cluster {

namespace {

std::int32_t replicaIndex(std::int32_t firstReplicaIndex, std::int32_t secondReplicaShift, std::int32_t replica,
    std::int32_t brokerCount)
{
    const std::int32_t shift = 1 + (secondReplicaShift + replica) % (brokerCount - 1);
    return (firstReplicaIndex + shift) % brokerCount;
}

} // namespace

std::vector<std::vector<std::int32_t>> assignReplicasRackUnaware(std::vector<std::int32_t> brokers,
    std::int32_t partitions, std::int32_t replicationFactor, sim::Rng& rng, std::int32_t fixedStartIndex,
    std::int32_t fixedShift)
{
    std::sort(brokers.begin(), brokers.end());
    const auto brokerCount = static_cast<std::int32_t>(brokers.size());
    std::vector<std::vector<std::int32_t>> assignment;
    if (brokerCount == 0 || replicationFactor < 1 || replicationFactor > brokerCount || partitions < 1)
        return assignment;
    const std::int32_t startIndex
        = fixedStartIndex >= 0 ? fixedStartIndex : static_cast<std::int32_t>(rng.uniformInt(0, brokerCount - 1));
    std::int32_t nextReplicaShift
        = fixedShift >= 0 ? fixedShift : static_cast<std::int32_t>(rng.uniformInt(0, brokerCount - 1));
    assignment.reserve(static_cast<std::size_t>(partitions));
    for (std::int32_t partition = 0; partition < partitions; ++partition) {
        if (partition > 0 && partition % brokerCount == 0)
            ++nextReplicaShift;
        const std::int32_t first = (partition + startIndex) % brokerCount;
        std::vector<std::int32_t> replicas { brokers[static_cast<std::size_t>(first)] };
        for (std::int32_t j = 0; j < replicationFactor - 1; ++j)
            replicas.push_back(brokers[static_cast<std::size_t>(replicaIndex(first, nextReplicaShift, j, brokerCount))]);
        assignment.push_back(std::move(replicas));
    }
    return assignment;
}

} // namespace brokerlab::cluster
