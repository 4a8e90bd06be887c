#pragma once
// One replica's log of one partition: segments of RecordBatch v2 bytes with Kafka's offset and
// time indexes. The log never reads a clock: every call that depends on time takes `nowMs`.

#include "log/logconfig.h"
#include "log/recordbatch.h"
#include "log/segment.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace brokerlab::log {

struct AppendInfo {
    BatchError error = BatchError::None;
    bool tooLarge = false; // MESSAGE_TOO_LARGE (10): batch > max.message.bytes (or > segment.bytes)
    // Follower: a batch starts below logEndOffset or below the previous batch's end (Kafka's
    // UnexpectedAppendOffsetException / "out of order offsets"). Gaps above it are accepted:
    // a compacted leader log has them.
    bool unexpectedOffset = false;
    bool invalidRecord = false; // INVALID_RECORD (87): a record without a key on a compacted topic
    std::int64_t firstOffset = -1;
    std::int64_t lastOffset = -1;
    std::int32_t recordCount = 0;
    std::int64_t maxTimestamp = -1;
    std::int32_t bytes = 0;
    bool ok() const { return error == BatchError::None && !tooLarge && !unexpectedOffset && !invalidRecord; }
};

struct ReadInfo {
    bool offsetOutOfRange = false; // OFFSET_OUT_OF_RANGE (1)
    // Whole batches, starting with the one containing fetchOffset: shared with the log, not copied,
    // unless they span several chunks.
    SharedRecords records;
    std::int64_t firstBatchBaseOffset = -1;
    // Every batch passed a CRC check on its way into this log and no byte was corrupted in place
    // since (corruptByteAt), so checking these bytes' CRCs again could not fail.
    bool crcVerified = false;
};

struct LogStats {
    std::int64_t logStartOffset = 0;
    std::int64_t logEndOffset = 0;
    std::int64_t sizeInBytes = 0; // RecordBatch bytes held
    std::int64_t segmentCount = 0;
    std::int64_t recordCount = 0; // records held (compaction and retention reduce it)
    std::int64_t flushedOffset = 0; // records below this survive power loss
    std::int64_t allocatedBytes = 0; // memory held for batch bytes and indexes (>= sizeInBytes)
};

// Epoch -> start offset, per replica (KIP-101). Used by replication for truncation.
class LeaderEpochCache {
public:
    // LeaderEpochFileCache.assign: a repeat of the latest epoch is ignored; an entry that breaks
    // monotonicity replaces the later entries it contradicts, as Kafka does.
    void assign(std::int32_t epoch, std::int64_t startOffset);
    // Kafka's OffsetsForLeaderEpoch answer: (epoch, end offset) where end offset is the start of the
    // next higher epoch or logEndOffset; {-1,-1} when unknown.
    std::pair<std::int32_t, std::int64_t> endOffsetFor(std::int32_t epoch, std::int64_t logEndOffset) const;
    void truncateFromEnd(std::int64_t endOffset); // drop entries with startOffset >= endOffset
    void truncateFromStart(std::int64_t startOffset);
    std::optional<std::int32_t> latestEpoch() const;
    const std::map<std::int32_t, std::int64_t>& entries() const { return entries_; }

private:
    std::map<std::int32_t, std::int64_t> entries_;
};

class PartitionLog {
public:
    explicit PartitionLog(LogConfig config = {}, std::int64_t nowMs = 0);

    const LogConfig& config() const { return config_; }
    void setConfig(const LogConfig& config);

    // Leader append: validates (CRC, magic, size), assigns offsets from logEndOffset, stamps epoch.
    // Rolls a segment first when segment.bytes or segment.ms says so.
    AppendInfo appendAsLeader(std::span<const std::uint8_t> batch, std::int32_t leaderEpoch, std::int64_t nowMs);
    // Follower append: batches keep the leader's offsets and epochs; must start at logEndOffset.
    // `checkCrc` false skips the CRC check for bytes a ReadInfo vouched for (crcVerified): the
    // outcome is the same, without reading every byte again. The log holds `batches`' block
    // instead of copying the bytes (plain bytes convert to SharedRecords by one copy).
    AppendInfo appendAsFollower(const SharedRecords& batches, std::int64_t nowMs, bool checkCrc = true);

    // Whole batches from the one containing fetchOffset, up to maxBytes (at least one batch if any),
    // never including a batch whose base offset is >= maxOffset (the high watermark for consumers).
    ReadInfo read(std::int64_t fetchOffset, std::int32_t maxBytes, std::int64_t maxOffset) const;
    // Decoded records in [fromOffset, maxOffset), at most maxRecords.
    std::vector<Record> readRecords(std::int64_t fromOffset, std::int64_t maxOffset, std::size_t maxRecords) const;

    // ListOffsets by timestamp: the first offset whose record timestamp >= timestampMs.
    // Kafka's special targets: -2 (EARLIEST) is the log start offset, -1 (LATEST) the log end offset.
    std::optional<std::int64_t> offsetForTimestamp(std::int64_t timestampMs) const;

    std::int64_t logStartOffset() const;
    std::int64_t logEndOffset() const;
    LogStats stats() const;
    // The counters stats() copies, without allocatedBytes (which reads the active segment): what
    // the periodic snapshot reads for every replica.
    std::int64_t sizeInBytes() const { return sizeInBytes_; }
    std::int64_t recordCount() const { return recordCount_; }
    std::int64_t segmentCount() const { return static_cast<std::int64_t>(segments_.size()); }
    const std::deque<std::unique_ptr<Segment>>& segments() const { return segments_; }
    // Rises whenever records are removed other than from the start (compaction, truncation), so a
    // reader that copied the log (the message store) knows to re-check what it holds.
    std::uint64_t rewriteCount() const { return rewriteCount_; }
    LeaderEpochCache& epochCache() { return epochs_; }
    const LeaderEpochCache& epochCache() const { return epochs_; }

    // Removes every record at or past `offset` (follower truncation, KIP-101/279).
    void truncateTo(std::int64_t offset);
    // Deletes everything and starts at `offset` (a replica far behind a leader's log start).
    void truncateFullyAndStartAt(std::int64_t offset, std::int64_t nowMs);
    // Raises the log start offset (DeleteRecords, or a follower following the leader's start).
    void advanceLogStartOffset(std::int64_t offset);

    // cleanup.policy=delete: drops whole non-active segments past retention.ms / retention.bytes.
    // Never deletes past `highWatermark`. Returns the number of segments deleted.
    int applyRetention(std::int64_t nowMs, std::int64_t highWatermark);
    // cleanup.policy=compact: rewrites non-active segments below `highWatermark` keeping the
    // latest record per key; tombstones older than delete.retention.ms are dropped.
    // Returns the number of records removed.
    std::int64_t compact(std::int64_t nowMs, std::int64_t highWatermark);

    // Durability for power-loss faults: flush.messages / flush.ms decide when the tail is flushed.
    void maybeFlush(std::int64_t nowMs);
    void flush(std::int64_t nowMs);
    // Power loss: drops everything past the flushed offset (the torn tail), as a restart would see.
    void loseUnflushed();
    // Restart recovery: re-reads segments from the recovery point, checks CRCs, truncates a torn
    // or corrupt tail. Returns the number of bytes truncated.
    std::int64_t recover();
    // Test/fault hook: overwrite bytes at an absolute offset's batch (to simulate corruption).
    // Flips every bit of byte `byteInBatch` of the batch holding `offset`; false if there is none.
    bool corruptByteAt(std::int64_t offset, int byteInBatch);
    // Fault hook: a crash in the middle of a write. Cuts up to `bytes` raw bytes off the end of the
    // last segment, leaving a partial batch that only recover() repairs. Returns the bytes cut.
    std::int64_t tearTail(std::int64_t bytes);

    // Kafka's directory layout (<topic>-<partition>/00000000000000000000.log, .index, .timeindex),
    // plus the leader-epoch-checkpoint file. Index files are trimmed as after a clean shutdown.
    // Without `contents`, only names and sizes: the bytes stay empty and nothing is copied.
    struct FileImage {
        std::string name;
        Bytes bytes;
        std::int64_t size = 0;
    };
    std::vector<FileImage> fileImages(bool contents = true) const;

private:
    Segment& activeSegment();
    void roll(std::int64_t baseOffset, std::int64_t nowMs);
    void updateStatsAfterDelete(); // recounts records, bytes and memory from the segments
    void maybeRoll(const BatchHeader& header, std::int64_t nowMs);
    // `source` set: `batch` lies in it and the segment shares its block instead of copying.
    void appendValidated(std::span<const std::uint8_t> batch, const BatchHeader& header, std::int64_t nowMs,
        const SharedRecords* source = nullptr);
    std::size_t segmentIndexFor(std::int64_t offset) const; // the segment that holds `offset`, else 0
    void deleteOldestSegments(std::size_t count, std::int64_t nowMs);
    struct OffsetMap; // the log cleaner's key -> latest offset map
    std::unique_ptr<Segment> cleanSegment(
        const Segment& segment, const OffsetMap& latest, std::int64_t nowMs, std::int64_t& removed) const;

    LogConfig config_;
    std::deque<std::unique_ptr<Segment>> segments_;
    LeaderEpochCache epochs_;
    std::int64_t logStartOffset_ = 0;
    std::int64_t logEndOffset_ = 0;
    std::int64_t flushedOffset_ = 0;
    std::int64_t lastFlushMs_ = 0;
    std::int64_t recordCount_ = 0;
    std::int64_t sizeInBytes_ = 0;
    std::int64_t inactiveAllocatedBytes_ = 0; // allocatedBytes of every segment but the active one
    std::uint64_t rewriteCount_ = 0;
    std::int64_t lastNowMs_ = 0; // for the few calls that create a segment without being given a time
    bool intact_ = true; // no byte corrupted in place: every stored batch passed a CRC check (ReadInfo)
};

} // namespace brokerlab::log
