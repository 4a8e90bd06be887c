#include "client/partitioner.h"

namespace brokerlab::client {

std::int32_t murmur2(std::span<const std::uint8_t> data)
{
    // Java computes this with wrapping 32-bit int arithmetic and logical shifts (>>>); uint32_t
    // gives exactly that, and uint8_t bytes are already the (b & 0xff) Java needs to write.
    constexpr std::uint32_t seed = 0x9747b28c;
    constexpr std::uint32_t m = 0x5bd1e995;
    constexpr int r = 24;

    const auto length = static_cast<std::uint32_t>(data.size());
    std::uint32_t h = seed ^ length;
    const std::size_t wholeWords = data.size() / 4;
    const std::uint8_t* bytes = data.data();
    for (std::size_t i = 0; i < wholeWords; ++i, bytes += 4) {
        std::uint32_t k = std::uint32_t { bytes[0] } | (std::uint32_t { bytes[1] } << 8)
            | (std::uint32_t { bytes[2] } << 16) | (std::uint32_t { bytes[3] } << 24);
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }

    // The tail is folded in from its last byte down, each case falling into the next, as in Java.
    switch (data.size() % 4) {
    case 3:
        h ^= std::uint32_t { bytes[2] } << 16;
        [[fallthrough]];
    case 2:
        h ^= std::uint32_t { bytes[1] } << 8;
        [[fallthrough]];
    case 1:
        h ^= std::uint32_t { bytes[0] };
        h *= m;
        break;
    default:
        break;
    }

    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return static_cast<std::int32_t>(h); // two's complement: the same bits as Java's int
}

std::int32_t partitionForKey(std::span<const std::uint8_t> key, std::int32_t numPartitions)
{
    if (numPartitions <= 0)
        return -1; // no partition to pick: the caller must wait for metadata
    return toPositive(murmur2(key)) % numPartitions;
}

std::int32_t StickyPartitioner::partition(std::int32_t numPartitions, sim::Rng& rng)
{
    if (numPartitions <= 0)
        return -1;
    // First use, or the topic shrank under us (metadata changed): pick afresh.
    if (current_ < 0 || current_ >= numPartitions)
        current_ = static_cast<std::int32_t>(rng.uniformInt(0, numPartitions - 1));
    return current_;
}

void StickyPartitioner::onNewBatch(std::int32_t numPartitions, sim::Rng& rng)
{
    if (numPartitions <= 0) {
        current_ = -1;
        return;
    }
    if (numPartitions == 1) {
        current_ = 0;
        return;
    }
    if (current_ < 0 || current_ >= numPartitions) {
        current_ = static_cast<std::int32_t>(rng.uniformInt(0, numPartitions - 1));
        return;
    }
    // KIP-480 moves to a different partition. Kafka redraws until the pick differs; drawing from
    // the other n - 1 partitions and skipping over the current one gives the same distribution
    // with exactly one draw, which keeps the random stream (and the trace) easier to reason about.
    auto pick = static_cast<std::int32_t>(rng.uniformInt(0, numPartitions - 2));
    if (pick >= current_)
        ++pick;
    current_ = pick;
}

} // namespace brokerlab::client
