#pragma once
// Per-partition log settings under Kafka's topic-config names (defaults = Apache Kafka's).

#include "log/record.h"

#include <cstdint>

namespace brokerlab::log {

struct LogConfig {
    std::int64_t segmentBytes = 1073741824; // segment.bytes
    std::int64_t segmentMs = 604800000; // segment.ms
    std::int64_t retentionMs = 604800000; // retention.ms (-1 = forever)
    std::int64_t retentionBytes = -1; // retention.bytes (-1 = no limit)
    bool cleanupDelete = true; // cleanup.policy contains "delete"
    bool cleanupCompact = false; // cleanup.policy contains "compact"
    std::int64_t deleteRetentionMs = 86400000; // delete.retention.ms
    std::int64_t minCompactionLagMs = 0; // min.compaction.lag.ms
    std::int32_t indexIntervalBytes = 4096; // index.interval.bytes
    std::int32_t maxMessageBytes = 1048588; // max.message.bytes
    std::int64_t flushMessages = INT64_MAX; // flush.messages
    std::int64_t flushMs = INT64_MAX; // flush.ms
    Compression compression = Compression::None; // compression.type "producer" = keep the producer's
    bool compressionIsProducer = true;
    bool operator==(const LogConfig&) const = default;
};

} // namespace brokerlab::log
