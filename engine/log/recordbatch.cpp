#include "log/recordbatch.h"

#include "log/bigendian.h"
#include "log/compression.h"
#include "log/crc32c.h"
#include "log/varint.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace brokerlab::log {

namespace {

constexpr int kMinBatchLength = kBatchHeaderSize - kBatchOverheadBeforeLength;
// length, attributes, timestampDelta, offsetDelta, keyLength, valueLength, headerCount: 1 byte each.
constexpr std::size_t kMinRecordBytes = 7;
constexpr std::int16_t kTransactionalFlag = 0x10;
constexpr std::size_t kMaxBuilderReserve = 1u << 20;

std::int64_t wrappingAdd(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

[[gnu::always_inline]] inline std::size_t lengthPrefixedSize(std::size_t size, bool isNull)
{
    return isNull ? 1 : varint::sizeOfVarint(static_cast<std::int32_t>(size)) + size;
}

[[gnu::always_inline]] inline std::uint8_t* writeLengthPrefixed(
    std::uint8_t* p, std::span<const std::uint8_t> bytes, bool isNull)
{
    if (isNull)
        return varint::writeVarint(-1, p);
    p = varint::writeVarint(static_cast<std::int32_t>(bytes.size()), p);
    if (!bytes.empty())
        std::memcpy(p, bytes.data(), bytes.size());
    return p + bytes.size();
}

std::span<const std::uint8_t> asBytes(std::string_view text)
{
    return { reinterpret_cast<const std::uint8_t*>(text.data()), text.size() };
}

// Size of one record with its length prefix; `bodySize` gets the size the prefix encodes.
[[gnu::always_inline]] inline std::size_t recordSize(std::int32_t offsetDelta, std::int64_t timestampDelta,
    std::size_t keySize, bool nullKey, std::size_t valueSize, bool nullValue, std::int32_t headerCount,
    std::size_t encodedHeadersSize, std::size_t& bodySize)
{
    bodySize = 1 + varint::sizeOfVarlong(timestampDelta) + varint::sizeOfVarint(offsetDelta)
        + lengthPrefixedSize(keySize, nullKey) + lengthPrefixedSize(valueSize, nullValue)
        + varint::sizeOfVarint(headerCount) + encodedHeadersSize;
    return varint::sizeOfVarint(static_cast<std::int32_t>(bodySize)) + bodySize;
}

std::size_t headersSize(std::span<const RecordHeader> headers)
{
    std::size_t size = 0;
    for (const RecordHeader& header : headers) {
        size += lengthPrefixedSize(header.key.size(), false);
        size += lengthPrefixedSize(header.value ? header.value->size() : 0, !header.value);
    }
    return size;
}

// Reads a varint length that must be -1 (null, when allowed) or fit in what remains.
[[gnu::always_inline]] inline bool readLength(
    std::span<const std::uint8_t> in, std::size_t& pos, bool allowNull, std::int32_t& length)
{
    if (!varint::readVarint(in, pos, length))
        return false;
    if (length == -1)
        return allowNull;
    return length >= 0 && static_cast<std::size_t>(length) <= in.size() - pos;
}

std::string toString(std::span<const std::uint8_t> bytes)
{
    return { reinterpret_cast<const char*>(bytes.data()), bytes.size() };
}

} // namespace

std::string_view batchErrorName(BatchError error)
{
    switch (error) {
    case BatchError::None:
        return "None";
    case BatchError::Truncated:
        return "Truncated";
    case BatchError::BadMagic:
        return "BadMagic";
    case BatchError::CorruptCrc:
        return "CorruptCrc";
    case BatchError::CorruptRecords:
        return "CorruptRecords";
    case BatchError::UnsupportedCompression:
        return "UnsupportedCompression";
    case BatchError::DecompressFailed:
        return "DecompressFailed";
    }
    return "Unknown";
}

std::int32_t BatchHeader::lastSequence() const
{
    if (baseSequence == kNoSequence)
        return kNoSequence;
    // Kafka's DefaultRecordBatch.incrementSequence: sequences wrap from INT32_MAX to 0.
    const std::int64_t sequence = std::int64_t(baseSequence) + lastOffsetDelta;
    return static_cast<std::int32_t>(sequence > INT32_MAX ? sequence - INT32_MAX - 1 : sequence);
}

BatchError parseBatchHeader(std::span<const std::uint8_t> bytes, BatchHeader& out)
{
    // The magic byte sits at offset 16 in every message format, so old message sets are told apart
    // before their (different) header is misread as ours.
    if (bytes.size() < static_cast<std::size_t>(field::Magic) + 1)
        return BatchError::Truncated;
    const auto magic = static_cast<std::int8_t>(bytes[field::Magic]);
    if (magic != 2)
        return BatchError::BadMagic;
    if (bytes.size() < static_cast<std::size_t>(kBatchHeaderSize))
        return BatchError::Truncated;
    const auto* p = bytes.data();
    const auto batchLength = static_cast<std::int32_t>(be::load32(p + field::BatchLength));
    if (batchLength < kMinBatchLength || batchLength > INT32_MAX - kBatchOverheadBeforeLength)
        return BatchError::CorruptRecords;
    if (bytes.size() < static_cast<std::size_t>(batchLength) + kBatchOverheadBeforeLength)
        return BatchError::Truncated;
    out.baseOffset = static_cast<std::int64_t>(be::load64(p + field::BaseOffset));
    out.batchLength = batchLength;
    out.partitionLeaderEpoch = static_cast<std::int32_t>(be::load32(p + field::PartitionLeaderEpoch));
    out.magic = magic;
    out.crc = be::load32(p + field::Crc);
    out.attributes = static_cast<std::int16_t>(be::load16(p + field::Attributes));
    out.lastOffsetDelta = static_cast<std::int32_t>(be::load32(p + field::LastOffsetDelta));
    out.baseTimestamp = static_cast<std::int64_t>(be::load64(p + field::BaseTimestamp));
    out.maxTimestamp = static_cast<std::int64_t>(be::load64(p + field::MaxTimestamp));
    out.producerId = static_cast<std::int64_t>(be::load64(p + field::ProducerId));
    out.producerEpoch = static_cast<std::int16_t>(be::load16(p + field::ProducerEpoch));
    out.baseSequence = static_cast<std::int32_t>(be::load32(p + field::BaseSequence));
    out.recordCount = static_cast<std::int32_t>(be::load32(p + field::RecordCount));
    return BatchError::None;
}

BatchError validateBatch(std::span<const std::uint8_t> bytes, BatchHeader* headerOut)
{
    BatchHeader header;
    const BatchError error = parseBatchHeader(bytes, header);
    if (error != BatchError::None)
        return error;
    if (headerOut)
        *headerOut = header;
    const auto covered = bytes.subspan(field::Attributes, header.sizeInBytes() - field::Attributes);
    if (crc32c(covered) != header.crc)
        return BatchError::CorruptCrc;
    return BatchError::None;
}

void stampBatch(std::span<std::uint8_t> batch, std::int64_t baseOffset, std::int32_t partitionLeaderEpoch)
{
    if (batch.size() < static_cast<std::size_t>(field::Magic))
        return;
    be::store64(batch.data() + field::BaseOffset, static_cast<std::uint64_t>(baseOffset));
    be::store32(batch.data() + field::PartitionLeaderEpoch, static_cast<std::uint32_t>(partitionLeaderEpoch));
}

BatchError decodeHeaders(
    std::span<const std::uint8_t> encoded, std::int32_t headerCount, std::vector<RecordHeader>& out)
{
    std::size_t pos = 0;
    for (std::int32_t i = 0; i < headerCount; ++i) {
        std::int32_t keyLength = 0;
        std::int32_t valueLength = 0;
        if (!readLength(encoded, pos, false, keyLength))
            return BatchError::CorruptRecords;
        RecordHeader header;
        header.key = toString(encoded.subspan(pos, static_cast<std::size_t>(keyLength)));
        pos += static_cast<std::size_t>(keyLength);
        if (!readLength(encoded, pos, true, valueLength))
            return BatchError::CorruptRecords;
        if (valueLength >= 0) {
            header.value = toString(encoded.subspan(pos, static_cast<std::size_t>(valueLength)));
            pos += static_cast<std::size_t>(valueLength);
        }
        out.push_back(std::move(header));
    }
    return pos == encoded.size() ? BatchError::None : BatchError::CorruptRecords;
}

BatchError RecordReader::open(std::span<const std::uint8_t> batch)
{
    position_ = 0;
    index_ = 0;
    records_ = {};
    error_ = parseBatchHeader(batch, header_);
    if (error_ != BatchError::None)
        return error_;
    const auto body = batch.subspan(kBatchHeaderSize, header_.sizeInBytes() - kBatchHeaderSize);
    const Compression codec = header_.compression();
    if (codec == Compression::None) {
        records_ = body;
    } else {
        decompressed_.clear();
        error_ = decompressRecords(codec, body, decompressed_);
        if (error_ != BatchError::None)
            return error_;
        records_ = decompressed_;
    }
    // A count that cannot fit in the bytes is rejected before anyone sizes a container by it.
    if (header_.recordCount < 0 || static_cast<std::size_t>(header_.recordCount) > records_.size() / kMinRecordBytes)
        error_ = BatchError::CorruptRecords;
    return error_;
}

bool RecordReader::next(RecordView& out)
{
    if (error_ != BatchError::None)
        return false;
    if (index_ >= header_.recordCount) {
        // Kafka: "Incorrect declared batch size, records still remaining in file".
        if (position_ != records_.size())
            error_ = BatchError::CorruptRecords;
        return false;
    }
    std::int32_t length = 0;
    if (!readLength(records_, position_, false, length)) {
        error_ = BatchError::CorruptRecords;
        return false;
    }
    const auto body = records_.subspan(position_, static_cast<std::size_t>(length));
    std::size_t pos = 0;
    std::int64_t timestampDelta = 0;
    std::int32_t offsetDelta = 0;
    std::int32_t keyLength = 0;
    std::int32_t valueLength = 0;
    std::int32_t headerCount = 0;
    bool ok = pos < body.size();
    pos += 1; // attributes: unused by every record format so far
    ok = ok && varint::readVarlong(body, pos, timestampDelta) && varint::readVarint(body, pos, offsetDelta);
    ok = ok && readLength(body, pos, true, keyLength);
    if (ok) {
        out.nullKey = keyLength < 0;
        out.key = body.subspan(pos, out.nullKey ? 0 : static_cast<std::size_t>(keyLength));
        pos += out.key.size();
    }
    ok = ok && readLength(body, pos, true, valueLength);
    if (ok) {
        out.nullValue = valueLength < 0;
        out.value = body.subspan(pos, out.nullValue ? 0 : static_cast<std::size_t>(valueLength));
        pos += out.value.size();
    }
    ok = ok && varint::readVarint(body, pos, headerCount) && headerCount >= 0
        && static_cast<std::size_t>(headerCount) <= (body.size() - pos) / 2;
    const std::size_t headersStart = pos;
    for (std::int32_t i = 0; ok && i < headerCount; ++i) {
        std::int32_t headerKeyLength = 0;
        std::int32_t headerValueLength = 0;
        ok = readLength(body, pos, false, headerKeyLength);
        pos += ok ? static_cast<std::size_t>(headerKeyLength) : 0;
        ok = ok && readLength(body, pos, true, headerValueLength);
        pos += ok && headerValueLength > 0 ? static_cast<std::size_t>(headerValueLength) : 0;
    }
    // Kafka: "Invalid record size: expected to read N bytes in record payload, but instead read M".
    if (!ok || pos != body.size()) {
        error_ = BatchError::CorruptRecords;
        return false;
    }
    out.encodedHeaders = body.subspan(headersStart, pos - headersStart);
    out.headerCount = headerCount;
    out.offsetDelta = offsetDelta;
    out.offset = wrappingAdd(header_.baseOffset, offsetDelta);
    out.timestamp = wrappingAdd(header_.baseTimestamp, timestampDelta);
    position_ += body.size();
    ++index_;
    return true;
}

BatchError decodeRecords(std::span<const std::uint8_t> batch, std::vector<Record>& out)
{
    RecordReader reader;
    if (reader.open(batch) != BatchError::None)
        return reader.error();
    out.reserve(out.size() + static_cast<std::size_t>(reader.header().recordCount));
    RecordView view;
    while (reader.next(view)) {
        Record record;
        record.offset = view.offset;
        record.timestamp = view.timestamp;
        if (!view.nullKey)
            record.key = toString(view.key);
        if (!view.nullValue)
            record.value = toString(view.value);
        if (view.headerCount > 0) {
            record.headers.reserve(static_cast<std::size_t>(view.headerCount));
            decodeHeaders(view.encodedHeaders, view.headerCount, record.headers);
        }
        out.push_back(std::move(record));
    }
    return reader.error();
}

BatchBuilder::BatchBuilder() : BatchBuilder(Options {}) { }

BatchBuilder::BatchBuilder(Options options) : options_(options) { }

BatchBuilder::Options BatchBuilder::optionsLike(const BatchHeader& header)
{
    Options options;
    options.compression = header.compression();
    options.producerId = header.producerId;
    options.producerEpoch = header.producerEpoch;
    options.baseSequence = header.baseSequence;
    options.transactional = header.isTransactional();
    options.batchSizeLimit = INT32_MAX;
    return options;
}

void BatchBuilder::reset(Options options)
{
    options_ = options;
    recordsSize_ = 0; // the buffer stays: a producer reuses one builder batch after batch
    count_ = 0;
    baseTimestamp_ = 0;
    maxTimestamp_ = 0;
    nextOffsetDelta_ = 0;
    lastOffsetDeltaOverride_ = -1;
}

bool BatchBuilder::hasRoomFor(std::int64_t timestamp, std::span<const std::uint8_t> key, bool nullKey,
    std::span<const std::uint8_t> value, bool nullValue, std::span<const RecordHeader> headers) const
{
    // Kafka's MemoryRecordsBuilder: the first record always fits, however large.
    if (count_ == 0)
        return true;
    std::size_t bodySize = 0;
    const std::size_t size = recordSize(nextOffsetDelta_, timestamp - baseTimestamp_, key.size(), nullKey, value.size(),
        nullValue, static_cast<std::int32_t>(headers.size()), headers.empty() ? 0 : headersSize(headers), bodySize);
    return estimatedSizeInBytes() + size <= static_cast<std::size_t>(std::max(options_.batchSizeLimit, 0));
}

std::uint8_t* BatchBuilder::writeRecord(std::int32_t offsetDelta, std::int64_t timestamp,
    std::span<const std::uint8_t> key, bool nullKey, std::span<const std::uint8_t> value, bool nullValue,
    std::int32_t headerCount, std::size_t encodedHeadersSize)
{
    if (count_ == 0) {
        baseTimestamp_ = timestamp;
        maxTimestamp_ = timestamp;
    } else {
        maxTimestamp_ = std::max(maxTimestamp_, timestamp);
    }
    const std::int64_t timestampDelta = timestamp - baseTimestamp_;
    std::size_t bodySize = 0;
    const std::size_t size = recordSize(offsetDelta, timestampDelta, key.size(), nullKey, value.size(), nullValue,
        headerCount, encodedHeadersSize, bodySize);
    if (recordsSize_ + size > records_.size()) {
        // One allocation for the whole batch in the common case: a producer fills up to batch.size.
        const auto firstReserve
            = std::min<std::size_t>(static_cast<std::size_t>(std::max(options_.batchSizeLimit, 0)), kMaxBuilderReserve);
        records_.resize(std::max({ recordsSize_ + size, records_.size() * 2, firstReserve }));
    }
    std::uint8_t* p = records_.data() + recordsSize_;
    recordsSize_ += size;
    p = varint::writeVarint(static_cast<std::int32_t>(bodySize), p);
    *p++ = 0; // record attributes
    p = varint::writeVarlong(timestampDelta, p);
    p = varint::writeVarint(offsetDelta, p);
    p = writeLengthPrefixed(p, key, nullKey);
    p = writeLengthPrefixed(p, value, nullValue);
    p = varint::writeVarint(headerCount, p);
    ++count_;
    nextOffsetDelta_ = offsetDelta + 1;
    return p;
}

void BatchBuilder::append(std::int64_t timestamp, std::span<const std::uint8_t> key, bool nullKey,
    std::span<const std::uint8_t> value, bool nullValue, std::span<const RecordHeader> headers)
{
    std::uint8_t* p = writeRecord(nextOffsetDelta_, timestamp, key, nullKey, value, nullValue,
        static_cast<std::int32_t>(headers.size()), headersSize(headers));
    for (const RecordHeader& header : headers) {
        p = writeLengthPrefixed(p, asBytes(header.key), false);
        p = writeLengthPrefixed(
            p, header.value ? asBytes(*header.value) : std::span<const std::uint8_t> {}, !header.value);
    }
}

void BatchBuilder::append(const Record& record)
{
    append(record.timestamp, record.key ? asBytes(*record.key) : std::span<const std::uint8_t> {}, !record.key,
        record.value ? asBytes(*record.value) : std::span<const std::uint8_t> {}, !record.value, record.headers);
}

void BatchBuilder::appendRecordView(const RecordView& record, std::int32_t offsetDelta)
{
    std::uint8_t* p = writeRecord(offsetDelta, record.timestamp, record.key, record.nullKey, record.value,
        record.nullValue, record.headerCount, record.encodedHeaders.size());
    if (!record.encodedHeaders.empty())
        std::memcpy(p, record.encodedHeaders.data(), record.encodedHeaders.size());
}

int BatchBuilder::recordCount() const { return count_; }

std::int64_t BatchBuilder::firstTimestamp() const { return baseTimestamp_; }

std::size_t BatchBuilder::estimatedSizeInBytes() const { return kBatchHeaderSize + recordsSize_; }

std::size_t BatchBuilder::uncompressedRecordsBytes() const { return recordsSize_; }

std::int32_t BatchBuilder::lastOffsetDelta() const
{
    return lastOffsetDeltaOverride_ >= 0 ? lastOffsetDeltaOverride_ : nextOffsetDelta_ - 1;
}

Bytes BatchBuilder::build() const
{
    Bytes out;
    buildInto(out);
    return out;
}

void BatchBuilder::buildInto(Bytes& out) const
{
    const std::size_t start = out.size();
    Compression codec = options_.compression;
    if (!isCompressionSupported(codec))
        codec = Compression::None; // snappy/lz4/zstd cannot be written here: send the records plain
    const std::span<const std::uint8_t> records(records_.data(), recordsSize_);
    if (codec == Compression::None) {
        // reserve + insert instead of resize: resize would zero the whole batch before the copy.
        out.reserve(start + kBatchHeaderSize + records.size());
        static constexpr std::uint8_t blankHeader[kBatchHeaderSize] = {};
        out.insert(out.end(), blankHeader, blankHeader + kBatchHeaderSize);
        out.insert(out.end(), records.begin(), records.end());
    } else {
        out.resize(start + kBatchHeaderSize);
        if (compressRecords(codec, records, out) != BatchError::None) {
            out.resize(start + kBatchHeaderSize);
            codec = Compression::None;
            out.insert(out.end(), records.begin(), records.end());
        }
    }
    std::uint8_t* p = out.data() + start;
    const std::size_t size = out.size() - start;
    const bool empty = count_ == 0;
    std::int16_t attributes = static_cast<std::int16_t>(codec);
    if (options_.transactional)
        attributes |= kTransactionalFlag;
    be::store64(p + field::BaseOffset, 0);
    be::store32(p + field::BatchLength, static_cast<std::uint32_t>(size - kBatchOverheadBeforeLength));
    be::store32(p + field::PartitionLeaderEpoch, static_cast<std::uint32_t>(-1));
    p[field::Magic] = 2;
    be::store16(p + field::Attributes, static_cast<std::uint16_t>(attributes));
    be::store32(p + field::LastOffsetDelta, static_cast<std::uint32_t>(lastOffsetDelta()));
    be::store64(p + field::BaseTimestamp, static_cast<std::uint64_t>(empty ? -1 : baseTimestamp_));
    be::store64(p + field::MaxTimestamp, static_cast<std::uint64_t>(empty ? -1 : maxTimestamp_));
    be::store64(p + field::ProducerId, static_cast<std::uint64_t>(options_.producerId));
    be::store16(p + field::ProducerEpoch, static_cast<std::uint16_t>(options_.producerEpoch));
    be::store32(p + field::BaseSequence, static_cast<std::uint32_t>(options_.baseSequence));
    be::store32(p + field::RecordCount, static_cast<std::uint32_t>(count_));
    be::store32(p + field::Crc, crc32c({ p + field::Attributes, size - field::Attributes }));
}

BatchIterator::BatchIterator(std::span<const std::uint8_t> bytes, bool checkCrc)
    : bytes_(bytes)
    , checkCrc_(checkCrc) { }

bool BatchIterator::next()
{
    batch_ = {};
    if (error_ != BatchError::None)
        return false;
    position_ = nextPosition_;
    if (position_ >= bytes_.size())
        return false;
    const auto rest = bytes_.subspan(position_);
    error_ = checkCrc_ ? validateBatch(rest, &header_) : parseBatchHeader(rest, header_);
    if (error_ != BatchError::None)
        return false;
    batch_ = rest.first(static_cast<std::size_t>(header_.sizeInBytes()));
    nextPosition_ = position_ + batch_.size();
    return true;
}

} // namespace brokerlab::log
