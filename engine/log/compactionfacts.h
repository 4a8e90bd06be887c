#pragma once
// What the log cleaner left in a compacted log, measured from the stored batches: Kafka's promise
// is at most one record per key outside the active segment (which the cleaner never touches), and
// a tombstone gone once delete.retention.ms has passed.

#include "log/partitionlog.h"

#include <cstdint>

namespace brokerlab::log {

struct CompactionFacts {
    std::int64_t closedSegments = 0; // every segment but the active (last) one
    std::int64_t records = 0; // records in the closed segments
    std::int64_t keys = 0; // distinct keys in the closed segments
    std::int64_t maxRecordsPerKey = 0; // the most records one key has in the closed segments
    std::int64_t tombstones = 0; // records with a null value in the closed segments
    std::int64_t activeRecords = 0; // records in the active segment
    std::int64_t activeTombstones = 0;
};

CompactionFacts compactionFacts(const PartitionLog& log);

} // namespace brokerlab::log
