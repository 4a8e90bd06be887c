#pragma once
// Plain value types that cross the store's boundary: what the engine hands over for indexing and
// what a search hands back. No Qt types, so the engine side never needs Qt Sql.

#include "log/record.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace brokerlab::store {

// What changed in one partition's committed log since the previous update, as the sim thread saw
// it on the leader's replica. The store applies it in order: removals first, then the new records.
struct PartitionUpdate {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t logStartOffset = 0; // records below this left the log (retention, DeleteRecords)
    std::int64_t highWatermark = 0;
    std::int64_t logEndOffset = 0;
    std::int32_t leader = -1;
    // Records at or above this offset are no longer what the store holds (unclean truncation or
    // a high watermark that went back); -1 when nothing diverged.
    std::int64_t truncateFrom = -1;
    // The log was rewritten (compaction): the store keeps only these offsets below `keptBelow`.
    bool reconcile = false;
    std::int64_t keptBelow = 0;
    std::vector<std::int64_t> keptOffsets; // ascending
    // New committed records, ascending offsets, all below highWatermark.
    std::vector<log::Record> records;
};

struct IngestBatch {
    std::vector<PartitionUpdate> partitions;
    std::int64_t pendingRecords = 0; // committed records the feed has not handed over yet
};

struct StoredRecord {
    std::int64_t id = 0; // store-wide sequence; higher = stored later
    std::string topic;
    std::int32_t partition = 0;
    log::Record record;
};

struct SearchProgress {
    std::int64_t scanned = 0; // candidate records examined so far
    std::int64_t hits = 0;
    double fraction = 0; // 0..1 of the store's records covered
    std::int64_t unindexed = 0; // records the search had to scan because the index lags
};

struct IndexStatus {
    std::int64_t records = 0; // records held
    std::int64_t indexed = 0; // of which in the full-text index
    std::int64_t lag = 0; // records - indexed, plus what the engine has not handed over yet
};

} // namespace brokerlab::store
