#pragma once
// One log segment as Kafka's LogSegment keeps it: the RecordBatch bytes of a .log file plus the
// sparse offset index (.index) and time index (.timeindex), all in memory.
//
// Memory: segment.bytes defaults to 1 GiB and a broker holds many segments, so nothing is reserved
// up front. Batches are stored in chunks of at most kChunkBytes; a chunk grows by doubling only up
// to that size, a batch never straddles two chunks (so every batch is one contiguous span), a batch
// larger than a chunk gets a chunk of its exact size, and a chunk is shrunk to fit when it is closed.
//
// Sharing: a chunk is a run of bytes inside a reference-counted ByteBlock (log/sharedrecords.h).
// A leader's segment copies a produced batch into a block of its own; reads hand out the block
// (SharedRecords) instead of a copy, and a follower's segment appends the fetched batches by
// holding the same block. So the three replicas of a partition keep one copy of each batch. A
// block is grown, shrunk or rewritten in place only while this segment is its sole holder;
// otherwise the next append starts a new block and a change to stored bytes (corruptByteAt)
// copies the chunk first.

#include "log/recordbatch.h"
#include "log/sharedrecords.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::log {

// Kafka's OffsetIndex entry: 8 bytes on disk, big-endian.
struct OffsetIndexEntry {
    std::int32_t relativeOffset = 0; // offset - segment base offset
    std::int32_t position = 0; // byte position of the batch in the .log file
    bool operator==(const OffsetIndexEntry&) const = default;
};

// Kafka's TimeIndex entry: 12 bytes on disk, big-endian.
struct TimeIndexEntry {
    std::int64_t timestamp = 0;
    std::int32_t relativeOffset = 0;
    bool operator==(const TimeIndexEntry&) const = default;
};

class Segment {
public:
    static constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
    static constexpr std::size_t kFirstChunkBytes = std::size_t(16) << 10;
    static constexpr std::size_t kPrefaultBytes = std::size_t(256) << 10;
    static constexpr int kOffsetIndexEntryBytes = 8;
    static constexpr int kTimeIndexEntryBytes = 12;

    Segment(std::int64_t baseOffset, std::int64_t createdMs);
    Segment(const Segment&) = delete;
    Segment& operator=(const Segment&) = delete;

    std::int64_t baseOffset() const { return baseOffset_; }
    std::int64_t createdMs() const { return createdMs_; }
    std::int64_t sizeInBytes() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::int64_t recordCount() const { return recordCount_; }
    std::int64_t batchCount() const { return batchCount_; }
    // The offset after the last batch; baseOffset() while empty.
    std::int64_t nextOffset() const { return nextOffset_; }
    // Largest record timestamp (Kafka's maxTimestampSoFar); -1 while empty.
    std::int64_t largestTimestamp() const { return maxTimestampSoFar_; }
    // Max timestamp of the first batch: Kafka's rollingBasedTimestamp for segment.ms; -1 while empty.
    std::int64_t firstBatchMaxTimestamp() const { return firstBatchMaxTimestamp_; }
    // Bytes held: the capacity of blocks this segment wrote, the bytes it shares of other logs'
    // blocks, plus index capacities.
    std::int64_t allocatedBytes() const;

    // Whether `offset` can be stored relative to this segment's base (an i32 in both indexes).
    bool canConvertToRelativeOffset(std::int64_t offset) const;

    // Copies one validated batch, stamping header.baseOffset and header.partitionLeaderEpoch into the
    // copy (both lie outside the CRC), and indexes it as LogSegment.append does. Returns its position.
    std::int64_t append(
        std::span<const std::uint8_t> batch, const BatchHeader& header, std::int32_t indexIntervalBytes);
    // Appends one batch of `source` without copying it: the segment holds source's block. The
    // batch's header must already say what `header` says (a follower keeps its leader's bytes).
    std::int64_t appendShared(const SharedRecords& source, std::span<const std::uint8_t> batch,
        const BatchHeader& header, std::int32_t indexIntervalBytes);

    // Walks the batches from a position, reading each header from the stored bytes (no CRC check).
    // Stops at the end or at bytes that do not parse as a batch (error() says why).
    class Cursor {
    public:
        bool next();
        std::int64_t position() const { return position_; }
        std::span<const std::uint8_t> batch() const { return batch_; }
        const BatchHeader& header() const { return header_; }
        BatchError error() const { return error_; }

    private:
        friend class Segment;
        const Segment* segment_ = nullptr;
        std::size_t chunk_ = 0;
        std::size_t local_ = 0;
        std::int64_t position_ = -1;
        std::span<const std::uint8_t> batch_;
        BatchHeader header_;
        BatchError error_ = BatchError::None;
    };
    Cursor cursor(std::int64_t position = 0) const;

    // The whole batch stored at `position`, contiguous; empty when no batch starts there.
    std::span<const std::uint8_t> batchAt(std::int64_t position) const;
    // The same batch, writable: its chunk is first copied into a block of this segment's own
    // unless it holds its block alone, so nobody who shares the bytes sees the change.
    std::span<std::uint8_t> privateBatchAt(std::int64_t position);
    // `bytes` bytes of whole batches from `position`, shared when they lie in one chunk (the usual
    // case) and copied into a block of their own when they span several.
    SharedRecords share(std::int64_t position, std::size_t bytes) const;

    // OffsetIndex.lookup: position of the last index entry at or below `offset` (0 when none).
    std::int64_t lookupPosition(std::int64_t offset) const;
    // LogSegment.translateOffset: position of the first batch whose last offset is >= `offset`.
    std::optional<std::int64_t> translateOffset(std::int64_t offset) const;
    // TimeIndex.lookup: offset of the last entry whose timestamp <= `timestamp` (baseOffset when none).
    std::int64_t lookupTimestamp(std::int64_t timestamp) const;
    // LogSegment.findOffsetByTimestamp: first record with timestamp >= `timestamp` and offset >=
    // `startingOffset`, found through the time index, then the offset index, then a scan.
    std::optional<std::int64_t> findOffsetByTimestamp(std::int64_t timestamp, std::int64_t startingOffset) const;

    // LogSegment.truncateTo: drops every batch whose last offset is >= `offset`. Returns bytes removed.
    std::int64_t truncateTo(std::int64_t offset, std::int32_t indexIntervalBytes);
    // Cuts the bytes at `position` and rebuilds counters and indexes from what is left.
    std::int64_t truncateToPosition(std::int64_t position, std::int32_t indexIntervalBytes);
    // LogSegment.recover: re-reads every batch, checks its CRC and that its offsets follow on,
    // rebuilds both indexes and cuts at the first bad batch. Returns bytes truncated.
    std::int64_t recover(std::int32_t indexIntervalBytes);
    // Fault injection: drops raw bytes off the end without touching counters or indexes, as a crash
    // leaves a file; only recover() makes the segment consistent again. Returns the bytes dropped.
    std::int64_t chopTail(std::int64_t bytes);
    // LogSegment.onBecomeInactiveSegment: a last time index entry; shrink chunk and indexes to fit.
    void onBecomeInactive();

    const std::vector<OffsetIndexEntry>& offsetIndex() const { return offsetIndex_; }
    const std::vector<TimeIndexEntry>& timeIndex() const { return timeIndex_; }

    // Kafka's file names: the base offset zero-padded to 20 digits, then ".log", ".index", ".timeindex".
    static std::string fileName(std::int64_t baseOffset, std::string_view suffix);
    Bytes logImage() const;
    Bytes offsetIndexImage() const;
    Bytes timeIndexImage() const;

private:
    struct Chunk {
        // Never written through unless `writable`: other logs and fetch answers may hold it.
        std::shared_ptr<ByteBlock> block;
        std::size_t offset = 0; // where the chunk's bytes start in the block
        std::size_t used = 0;
        std::int64_t start = 0; // position of the chunk's first byte in the segment
        bool writable = false; // this segment allocated the block (at offset 0) and appends at its fill
        const std::uint8_t* data() const { return block->data() + offset; }
        std::int64_t held() const { return static_cast<std::int64_t>(writable ? block->capacity() : used); }
    };

    std::uint8_t* reserveForAppend(std::size_t bytes);
    static std::uint8_t* writableEnd(Chunk& chunk, std::size_t bytes); // of a writable chunk about to take `bytes`
    static bool soleHolder(const Chunk& chunk);
    void resizeChunk(Chunk& chunk, std::size_t capacity);
    void closeLastChunk();
    void rewindLastChunk(); // after a truncation: the block's fill follows the chunk's end when it can
    std::size_t chunkIndexFor(std::int64_t position) const; // chunks_.size() when past the end
    void indexBatch(std::int64_t position, const BatchHeader& header, std::int32_t indexIntervalBytes);
    void maybeAppendTimeIndex(std::int64_t timestamp, std::int64_t offset);
    void resetMetadata();
    std::int32_t relative(std::int64_t offset) const { return static_cast<std::int32_t>(offset - baseOffset_); }

    std::int64_t baseOffset_;
    std::int64_t createdMs_;
    std::vector<Chunk> chunks_;
    std::vector<OffsetIndexEntry> offsetIndex_;
    std::vector<TimeIndexEntry> timeIndex_;
    std::int64_t size_ = 0;
    std::int64_t heldBytes_ = 0; // the sum of the chunks' held()
    std::int64_t recordCount_ = 0;
    std::int64_t batchCount_ = 0;
    std::int64_t nextOffset_;
    std::int64_t maxTimestampSoFar_ = -1;
    std::int64_t offsetOfMaxTimestampSoFar_ = -1;
    std::int64_t firstBatchMaxTimestamp_ = -1;
    std::int64_t bytesSinceLastIndexEntry_ = 0;
};

} // namespace brokerlab::log
