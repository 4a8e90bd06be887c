#pragma once
// Plain value types for Kafka records, as a client sees them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::log {

using Bytes = std::vector<std::uint8_t>;

// Kafka's compression.type codecs, numbered as in RecordBatch attributes bits 0-2.
enum class Compression : std::int8_t { None = 0, Gzip = 1, Snappy = 2, Lz4 = 3, Zstd = 4 };

struct RecordHeader {
    std::string key;
    std::optional<std::string> value; // null header values exist on the wire
    bool operator==(const RecordHeader&) const = default;
};

// One record with its absolute offset and timestamp (ms since the epoch, virtual clock).
struct Record {
    std::int64_t offset = 0;
    std::int64_t timestamp = 0;
    std::optional<std::string> key; // std::nullopt = null key
    std::optional<std::string> value; // std::nullopt = tombstone
    std::vector<RecordHeader> headers;
    bool operator==(const Record&) const = default;
};

} // namespace brokerlab::log
