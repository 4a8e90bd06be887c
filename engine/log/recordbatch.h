#pragma once
// RecordBatch v2 (magic 2) exactly as Kafka lays it out on disk and on the wire.
// 61-byte big-endian header, CRC-32C over attributes..end, zigzag-varint records.

#include "log/record.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::log {

inline constexpr int kBatchHeaderSize = 61;
inline constexpr int kBatchOverheadBeforeLength = 12; // baseOffset + batchLength
inline constexpr std::int64_t kNoProducerId = -1;
inline constexpr std::int16_t kNoProducerEpoch = -1;
inline constexpr std::int32_t kNoSequence = -1;

// Byte offsets of header fields inside a batch (Kafka's DefaultRecordBatch).
namespace field {
inline constexpr int BaseOffset = 0;
inline constexpr int BatchLength = 8;
inline constexpr int PartitionLeaderEpoch = 12;
inline constexpr int Magic = 16;
inline constexpr int Crc = 17;
inline constexpr int Attributes = 21;
inline constexpr int LastOffsetDelta = 23;
inline constexpr int BaseTimestamp = 27;
inline constexpr int MaxTimestamp = 35;
inline constexpr int ProducerId = 43;
inline constexpr int ProducerEpoch = 51;
inline constexpr int BaseSequence = 53;
inline constexpr int RecordCount = 57;
inline constexpr int Records = 61;
} // namespace field

struct BatchHeader {
    std::int64_t baseOffset = 0;
    std::int32_t batchLength = 0; // bytes after the batchLength field
    std::int32_t partitionLeaderEpoch = -1;
    std::int8_t magic = 2;
    std::uint32_t crc = 0;
    std::int16_t attributes = 0;
    std::int32_t lastOffsetDelta = 0;
    std::int64_t baseTimestamp = 0;
    std::int64_t maxTimestamp = 0;
    std::int64_t producerId = kNoProducerId;
    std::int16_t producerEpoch = kNoProducerEpoch;
    std::int32_t baseSequence = kNoSequence;
    std::int32_t recordCount = 0;

    Compression compression() const { return static_cast<Compression>(attributes & 0x07); }
    bool isTransactional() const { return (attributes & 0x10) != 0; }
    bool isControl() const { return (attributes & 0x20) != 0; }
    // Wraps instead of overflowing: baseOffset lies outside the CRC and may hold anything.
    std::int64_t lastOffset() const
    {
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(baseOffset)
            + static_cast<std::uint64_t>(static_cast<std::int64_t>(lastOffsetDelta)));
    }
    std::int64_t nextOffset() const { return static_cast<std::int64_t>(static_cast<std::uint64_t>(lastOffset()) + 1); }
    std::int32_t sizeInBytes() const { return batchLength + kBatchOverheadBeforeLength; }
    std::int32_t lastSequence() const;
    bool operator==(const BatchHeader&) const = default;
};

// Why a batch was rejected. Names follow Kafka's errors where one exists.
enum class BatchError {
    None,
    Truncated, // fewer bytes than the header or batchLength claims
    BadMagic, // magic != 2
    CorruptCrc, // CORRUPT_MESSAGE (2)
    CorruptRecords, // a record's varints or lengths do not add up (CORRUPT_MESSAGE)
    UnsupportedCompression, // snappy/lz4/zstd: recognised, not decoded (UNSUPPORTED_COMPRESSION_TYPE, 76)
    DecompressFailed,
};
std::string_view batchErrorName(BatchError error);

struct BatchView; // forward

// Reads the 61-byte header without checking the CRC. Truncated if bytes.size() < 61 or < sizeInBytes().
// The magic byte is checked first (BadMagic), so an old message set is never misread as a batch;
// a batchLength shorter than the header or beyond INT32_MAX - 12 is CorruptRecords.
BatchError parseBatchHeader(std::span<const std::uint8_t> bytes, BatchHeader& out);

// Checks magic, length and CRC-32C of the batch at the start of `bytes`.
BatchError validateBatch(std::span<const std::uint8_t> bytes, BatchHeader* headerOut = nullptr);

// Decodes every record (decompressing when needed). Offsets/timestamps are absolute.
// Does not check the CRC (validateBatch does); every length is bounds-checked.
BatchError decodeRecords(std::span<const std::uint8_t> batch, std::vector<Record>& out);

// Stamps baseOffset and partitionLeaderEpoch in place; both lie outside the CRC.
void stampBatch(std::span<std::uint8_t> batch, std::int64_t baseOffset, std::int32_t partitionLeaderEpoch);

// One record of a batch without copying: spans point into the batch (or into the RecordReader's
// decompression buffer, valid until the reader is reopened).
struct RecordView {
    std::int64_t offset = 0;
    std::int64_t timestamp = 0;
    std::int32_t offsetDelta = 0;
    std::span<const std::uint8_t> key;
    bool nullKey = true;
    std::span<const std::uint8_t> value;
    bool nullValue = true;
    std::span<const std::uint8_t> encodedHeaders; // headerCount headers, already checked to be well formed
    std::int32_t headerCount = 0;

    std::string_view keyView() const { return { reinterpret_cast<const char*>(key.data()), key.size() }; }
    std::string_view valueView() const { return { reinterpret_cast<const char*>(value.data()), value.size() }; }
};

BatchError decodeHeaders(
    std::span<const std::uint8_t> encodedHeaders, std::int32_t headerCount, std::vector<RecordHeader>& out);

// Walks the records of one batch. open() parses the header (no CRC check) and decompresses gzip;
// next() checks each record's varints and lengths as Kafka's DefaultRecord.readFrom does, and that
// the records end exactly where the batch ends.
class RecordReader {
public:
    BatchError open(std::span<const std::uint8_t> batch);
    bool next(RecordView& out); // false at the end or on error
    BatchError error() const { return error_; } // None after a clean end
    const BatchHeader& header() const { return header_; }

private:
    BatchHeader header_;
    Bytes decompressed_;
    std::span<const std::uint8_t> records_;
    std::size_t position_ = 0;
    std::int32_t index_ = 0;
    BatchError error_ = BatchError::None;
};

// Builds one batch the way a producer's accumulator does. Appending never reallocates per
// record beyond amortised growth; build() writes header + CRC and (optionally) compresses.
class BatchBuilder {
public:
    struct Options {
        Compression compression = Compression::None;
        std::int64_t producerId = kNoProducerId;
        std::int16_t producerEpoch = kNoProducerEpoch;
        std::int32_t baseSequence = kNoSequence;
        bool transactional = false;
        std::int32_t batchSizeLimit = 16384; // batch.size: hasRoomFor() says false past this
    };
    BatchBuilder();
    explicit BatchBuilder(Options options);
    // Options that re-encode an existing batch as it was: its codec, producer id, epoch and base
    // sequence, its transactional flag, and no size limit.
    static Options optionsLike(const BatchHeader& header);

    void reset(Options options); // reuse buffers
    // Estimated encoded size if this record were appended (uncompressed).
    bool hasRoomFor(std::int64_t timestamp, std::span<const std::uint8_t> key, bool nullKey,
        std::span<const std::uint8_t> value, bool nullValue, std::span<const RecordHeader> headers = {}) const;
    void append(std::int64_t timestamp, std::span<const std::uint8_t> key, bool nullKey,
        std::span<const std::uint8_t> value, bool nullValue, std::span<const RecordHeader> headers = {});
    void append(const Record& record); // convenience; offset is ignored (offsets are relative in a batch)
    // Re-encodes a record at an explicit offset delta, for the log cleaner and broker-side
    // recompression: compacted batches keep their records' original offsets (gaps are normal).
    void appendRecordView(const RecordView& record, std::int32_t offsetDelta);
    // Kafka's MemoryRecordsBuilder.overrideLastOffset: a cleaned batch keeps its original last
    // offset so the producer's last sequence survives compaction.
    void overrideLastOffsetDelta(std::int32_t lastOffsetDelta) { lastOffsetDeltaOverride_ = lastOffsetDelta; }
    // An idempotent producer learns a batch's base sequence only when it closes the batch
    // (sequences are per partition and assigned in send order).
    void setProducerState(std::int64_t producerId, std::int16_t producerEpoch, std::int32_t baseSequence)
    {
        options_.producerId = producerId;
        options_.producerEpoch = producerEpoch;
        options_.baseSequence = baseSequence;
    }

    int recordCount() const;
    std::int64_t firstTimestamp() const;
    std::size_t estimatedSizeInBytes() const; // header + uncompressed records so far
    bool empty() const { return recordCount() == 0; }

    // Writes the whole batch: baseOffset 0 and partitionLeaderEpoch -1 until a broker stamps them.
    // An empty builder writes a record-less header (recordCount 0, lastOffsetDelta -1), which a
    // leader rejects as Kafka does.
    Bytes build() const;
    void buildInto(Bytes& out) const; // appends to `out`
    std::size_t uncompressedRecordsBytes() const;

private:
    // Encodes everything of one record but its headers; returns where the headers go.
    std::uint8_t* writeRecord(std::int32_t offsetDelta, std::int64_t timestamp, std::span<const std::uint8_t> key,
        bool nullKey, std::span<const std::uint8_t> value, bool nullValue, std::int32_t headerCount,
        std::size_t encodedHeadersSize);
    std::int32_t lastOffsetDelta() const;

    Options options_;
    Bytes records_; // encoded records, uncompressed; sized to its capacity, recordsSize_ bytes used
    std::size_t recordsSize_ = 0;
    int count_ = 0;
    std::int64_t baseTimestamp_ = 0;
    std::int64_t maxTimestamp_ = 0;
    std::int32_t nextOffsetDelta_ = 0;
    std::int32_t lastOffsetDeltaOverride_ = -1; // -1: count - 1 (or the last explicit delta)
};

// Iterates the batches laid end to end in `bytes` (a segment, a fetch response's records).
// Stops at the first invalid or truncated batch and reports why.
class BatchIterator {
public:
    explicit BatchIterator(std::span<const std::uint8_t> bytes, bool checkCrc = true);
    bool next(); // advances; false at the end or on error
    const BatchHeader& header() const { return header_; }
    std::span<const std::uint8_t> batch() const { return batch_; }
    std::size_t position() const { return position_; } // byte position of the current batch
    BatchError error() const { return error_; } // None at a clean end
private:
    std::span<const std::uint8_t> bytes_;
    bool checkCrc_;
    std::size_t position_ = 0;
    std::size_t nextPosition_ = 0;
    BatchHeader header_;
    std::span<const std::uint8_t> batch_;
    BatchError error_ = BatchError::None;
};

} // namespace brokerlab::log
