#pragma once
// Produce latencies (batch creation to acknowledgement), counted per record in logarithmic buckets: four buckets
// per doubling, so a percentile read back is within about 19 % of the true value, from 1 µs to over an hour.
// Counts only grow, like every other client counter: the latencies of an interval are the difference of two
// copies, which is how the GUI charts percentiles per second of virtual time.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace brokerlab::client {

class LatencyHistogram {
public:
    static constexpr int kBucketsPerDoubling = 4;
    static constexpr std::size_t kBuckets = 33 * kBucketsPerDoubling; // up to 2^33 µs, about 2.4 hours

    void add(std::int64_t latencyUs, std::int64_t count = 1)
    {
        counts_[bucketOf(latencyUs)] += count;
        total_ += count;
    }

    std::int64_t total() const { return total_; }

    // What was added since `earlier` (a copy of this histogram taken before).
    LatencyHistogram since(const LatencyHistogram& earlier) const
    {
        LatencyHistogram result;
        for (std::size_t i = 0; i < kBuckets; ++i) {
            result.counts_[i] = std::max<std::int64_t>(0, counts_[i] - earlier.counts_[i]);
            result.total_ += result.counts_[i];
        }
        return result;
    }

    void merge(const LatencyHistogram& other)
    {
        for (std::size_t i = 0; i < kBuckets; ++i)
            counts_[i] += other.counts_[i];
        total_ += other.total_;
    }

    // The latency at quantile q (0..1) in µs: the upper bound of the bucket holding it; -1 when empty.
    double quantileUs(double q) const
    {
        if (total_ <= 0)
            return -1;
        const auto rank = static_cast<std::int64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(total_)));
        std::int64_t seen = 0;
        for (std::size_t i = 0; i < kBuckets; ++i) {
            seen += counts_[i];
            if (seen >= std::max<std::int64_t>(1, rank))
                return upperBoundUs(i);
        }
        return upperBoundUs(kBuckets - 1);
    }

    // Bucket i holds latencies in (upperBoundUs(i - 1), upperBoundUs(i)].
    static double upperBoundUs(std::size_t bucket)
    {
        return std::exp2(static_cast<double>(bucket + 1) / kBucketsPerDoubling);
    }

    static std::size_t bucketOf(std::int64_t latencyUs)
    {
        if (latencyUs <= 1)
            return 0;
        // The smallest i with 2^((i + 1) / 4) >= latency: the whole doublings from the bit width, the quarter from
        // comparing with the three boundaries inside that doubling.
        const auto value = static_cast<std::uint64_t>(latencyUs);
        const int doublings = std::bit_width(value - 1) - 1; // 2^doublings < value <= 2^(doublings + 1)
        std::size_t bucket = static_cast<std::size_t>(doublings) * kBucketsPerDoubling;
        while (bucket + 1 < kBuckets && upperBoundUs(bucket) < static_cast<double>(value))
            ++bucket;
        return std::min(bucket, kBuckets - 1);
    }

    bool operator==(const LatencyHistogram&) const = default;

private:
    std::array<std::int64_t, kBuckets> counts_ {};
    std::int64_t total_ = 0;
};

} // namespace brokerlab::client
