#pragma once
// Kafka's producer partitioning: murmur2 for keyed records (byte-compatible with Java's
// org.apache.kafka.common.utils.Utils.murmur2), sticky partitioning for null keys (KIP-480/794).

#include "sim/rng.h"

#include <cstdint>
#include <span>

namespace brokerlab::client {

std::int32_t murmur2(std::span<const std::uint8_t> data);
inline std::int32_t toPositive(std::int32_t number) { return number & 0x7fffffff; }
// toPositive(murmur2(keyBytes)) % numPartitions
std::int32_t partitionForKey(std::span<const std::uint8_t> key, std::int32_t numPartitions);

// Null-key records stick to one partition until the batch for it is sent; then another partition
// is picked at random (never the same one when there is a choice).
class StickyPartitioner {
public:
    std::int32_t partition(std::int32_t numPartitions, sim::Rng& rng);
    void onNewBatch(std::int32_t numPartitions, sim::Rng& rng); // the sticky batch was sent
    std::int32_t current() const { return current_; }

private:
    std::int32_t current_ = -1;
};

} // namespace brokerlab::client
