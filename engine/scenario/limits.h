#pragma once
// Bounds a scenario file must respect. They keep a desktop simulation responsive and hostile files
// harmless; the GUI uses the same numbers for its spin boxes. docs/scenario-format.md lists them.

#include <cstddef>
#include <cstdint>

namespace brokerlab::scenario::limits {

inline constexpr std::size_t kMaxFileBytes = std::size_t { 16 } * 1024 * 1024;
inline constexpr std::int64_t kMaxDurationMs = 365LL * 24 * 3600 * 1000; // one virtual year
inline constexpr std::int32_t kMaxBrokers = 32;
inline constexpr std::int32_t kMaxPartitions = 10000; // per topic
inline constexpr std::int64_t kMaxTotalPartitions = 100000; // over all topics
inline constexpr std::int32_t kMaxNameLength = 249; // Kafka's limit for topic names
inline constexpr std::int32_t kMaxMembers = 1000; // consumers in one consumer entry
inline constexpr double kMaxRatePerSec = 1e6;
inline constexpr std::int64_t kMaxKeyCount = 1000000; // a Zipf table holds one double per key
inline constexpr double kMaxZipfExponent = 10;
inline constexpr std::int32_t kMaxKeyPrefixLength = 100;
inline constexpr std::int32_t kMaxValueBytes = 8 * 1024 * 1024;
inline constexpr std::int64_t kMaxPollIntervalMs = 3600000;
inline constexpr double kMaxProcessingMsPerRecord = 60000;
inline constexpr double kMaxLatencyMs = 60000;
inline constexpr double kMaxBandwidthMbps = 1e6; // megabits per second

} // namespace brokerlab::scenario::limits
