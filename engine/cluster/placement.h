#pragma once
// Replica placement for new topics, as Kafka's rack-unaware assignment spreads replicas: the first
// replica of each partition walks the brokers round-robin from a random start, the others follow
// at a shift that grows every time the partitions wrap around the broker list.

#include "sim/rng.h"

#include <cstdint>
#include <vector>

namespace brokerlab::cluster {

// Returns replicas[partition] = broker ids, first = preferred leader. Brokers are sorted first.
// fixedStartIndex / fixedShift < 0 draw from `rng` as Kafka draws from its random generator.
std::vector<std::vector<std::int32_t>> assignReplicasRackUnaware(std::vector<std::int32_t> brokers,
    std::int32_t partitions, std::int32_t replicationFactor, sim::Rng& rng, std::int32_t fixedStartIndex = -1,
    std::int32_t fixedShift = -1);

} // namespace brokerlab::cluster
