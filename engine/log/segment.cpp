#include "log/segment.h"

#include "log/bigendian.h"
#include "log/blockreserve.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>

namespace brokerlab::log {

static_assert(Segment::kChunkBytes == BlockReserve::kBlockBytes, "full-size chunks come from the block reserve");

Segment::Segment(std::int64_t baseOffset, std::int64_t createdMs)
    : baseOffset_(baseOffset)
    , createdMs_(createdMs)
    , nextOffset_(baseOffset)
{
}

std::int64_t Segment::allocatedBytes() const
{
    return static_cast<std::int64_t>(sizeof(Segment) + chunks_.capacity() * sizeof(Chunk)
               + offsetIndex_.capacity() * sizeof(OffsetIndexEntry) + timeIndex_.capacity() * sizeof(TimeIndexEntry))
        + heldBytes_;
}

bool Segment::canConvertToRelativeOffset(std::int64_t offset) const
{
    return offset >= baseOffset_ && offset - baseOffset_ <= INT32_MAX;
}

bool Segment::soleHolder(const Chunk& chunk)
{
    if (chunk.block.use_count() != 1)
        return false;
    // Another thread (the wire thread, done encoding a fetch answer) may just have dropped its
    // hold: its reads of the bytes happen before whatever this thread does to them next.
    std::atomic_thread_fence(std::memory_order_acquire);
    return true;
}

void Segment::resizeChunk(Chunk& chunk, std::size_t capacity)
{
    heldBytes_ -= chunk.held();
    chunk.block->resize(capacity);
    heldBytes_ += chunk.held();
}

void Segment::rewindLastChunk()
{
    if (chunks_.empty())
        return;
    Chunk& last = chunks_.back();
    if (last.writable && soleHolder(last))
        last.block->rewind(last.offset + last.used);
}

void Segment::closeLastChunk()
{
    // A closed chunk gives back its slack, unless someone else holds its block (the bytes may move).
    if (chunks_.empty())
        return;
    Chunk& last = chunks_.back();
    if (!last.writable || !soleHolder(last))
        return;
    last.block->rewind(last.offset + last.used);
    resizeChunk(last, last.offset + last.used);
}

std::uint8_t* Segment::reserveForAppend(std::size_t bytes)
{
    std::size_t previous = 0; // what the last chunk held: the next block is twice that
    if (!chunks_.empty()) {
        Chunk& last = chunks_.back();
        previous = static_cast<std::size_t>(last.held());
        const bool atFill = last.writable && last.offset + last.used == last.block->fill();
        if (atFill && last.used + bytes <= kChunkBytes) {
            if (last.used + bytes <= last.block->capacity())
                return writableEnd(last, bytes);
            // Grow by doubling, in place or by moving: only while nobody else holds the block.
            if (soleHolder(last)) {
                resizeChunk(last, std::min(kChunkBytes, std::max(last.used + bytes, last.block->capacity() * 2)));
                return writableEnd(last, bytes);
            }
        }
        // Close the chunk: the batch goes whole into the next one, and the tail it leaves is returned.
        closeLastChunk();
    }
    // A batch bigger than a chunk gets exactly its size; the next batch starts a new chunk. The
    // first chunk starts small (most partitions are small); once a segment has filled one chunk
    // it is busy, so the next ones start at full size instead of doubling (and copying) up to it.
    // A chunk that could not grow because its block is shared is followed by one twice its size.
    const std::size_t doubled = std::clamp(previous * 2, kFirstChunkBytes, kChunkBytes);
    const std::size_t capacity = bytes > kChunkBytes ? bytes : std::max(bytes, doubled);
    Chunk chunk;
    chunk.start = size_;
    chunk.writable = true;
    chunk.block = std::make_shared<ByteBlock>(capacity);
    heldBytes_ += chunk.held();
    chunks_.push_back(std::move(chunk));
    return writableEnd(chunks_.back(), bytes);
}

std::uint8_t* Segment::writableEnd(Chunk& chunk, std::size_t bytes)
{
    // A full-size block maps the pages about to be written with one call, and at least
    // kPrefaultBytes of them so that small batches do not each make a call. Only as far as the
    // writes go: a block closed early (the next batch does not fit) gives its tail back unmapped.
    // Smaller blocks (a quiet partition's) fault page by page.
    ByteBlock& block = *chunk.block;
    if (block.capacity() >= kChunkBytes)
        block.prefault(block.fill() + std::max(bytes, kPrefaultBytes));
    return block.writableEnd();
}

std::size_t Segment::chunkIndexFor(std::int64_t position) const
{
    if (position < 0 || position >= size_)
        return chunks_.size();
    const auto it = std::upper_bound(chunks_.begin(), chunks_.end(), position,
        [](std::int64_t value, const Chunk& chunk) { return value < chunk.start; });
    return static_cast<std::size_t>(it - chunks_.begin()) - 1;
}

void Segment::maybeAppendTimeIndex(std::int64_t timestamp, std::int64_t offset)
{
    // TimeIndex.maybeAppend: only a strictly larger timestamp, never a smaller offset.
    const std::int64_t lastTimestamp = timeIndex_.empty() ? -1 : timeIndex_.back().timestamp;
    if (timestamp <= lastTimestamp || !canConvertToRelativeOffset(offset))
        return;
    if (!timeIndex_.empty() && relative(offset) < timeIndex_.back().relativeOffset)
        return;
    timeIndex_.push_back({ timestamp, relative(offset) });
}

void Segment::indexBatch(std::int64_t position, const BatchHeader& header, std::int32_t indexIntervalBytes)
{
    if (batchCount_ == 0)
        firstBatchMaxTimestamp_ = header.maxTimestamp;
    const std::int64_t lastOffset = header.lastOffset();
    if (header.maxTimestamp > maxTimestampSoFar_) {
        maxTimestampSoFar_ = header.maxTimestamp;
        offsetOfMaxTimestampSoFar_ = lastOffset;
    }
    // LogSegment.append: the entry maps the batch's last offset to the batch's position, and is
    // written once more than index.interval.bytes went by since the previous entry.
    if (bytesSinceLastIndexEntry_ > indexIntervalBytes && canConvertToRelativeOffset(lastOffset)) {
        if (offsetIndex_.empty() || relative(lastOffset) > offsetIndex_.back().relativeOffset)
            offsetIndex_.push_back({ relative(lastOffset), static_cast<std::int32_t>(position) });
        maybeAppendTimeIndex(maxTimestampSoFar_, offsetOfMaxTimestampSoFar_);
        bytesSinceLastIndexEntry_ = 0;
    }
    bytesSinceLastIndexEntry_ += header.sizeInBytes();
    recordCount_ += header.recordCount;
    ++batchCount_;
    nextOffset_ = header.nextOffset();
}

std::int64_t Segment::append(
    std::span<const std::uint8_t> batch, const BatchHeader& header, std::int32_t indexIntervalBytes)
{
    std::uint8_t* destination = reserveForAppend(batch.size());
    std::memcpy(destination, batch.data(), batch.size());
    stampBatch({ destination, batch.size() }, header.baseOffset, header.partitionLeaderEpoch);
    const std::int64_t position = size_;
    chunks_.back().block->advance(batch.size());
    chunks_.back().used += batch.size();
    size_ += static_cast<std::int64_t>(batch.size());
    indexBatch(position, header, indexIntervalBytes);
    return position;
}

std::int64_t Segment::appendShared(const SharedRecords& source, std::span<const std::uint8_t> batch,
    const BatchHeader& header, std::int32_t indexIntervalBytes)
{
    const auto offset = static_cast<std::size_t>(batch.data() - source.block()->data());
    const bool follows = !chunks_.empty() && chunks_.back().block == source.block()
        && chunks_.back().offset + chunks_.back().used == offset;
    if (follows) {
        Chunk& last = chunks_.back();
        heldBytes_ -= last.held();
        last.used += batch.size();
        heldBytes_ += last.held();
    } else {
        closeLastChunk();
        Chunk chunk;
        chunk.start = size_;
        // Held, never written: `writable` stays false for a block another log allocated.
        chunk.block = std::const_pointer_cast<ByteBlock>(source.block());
        chunk.offset = offset;
        chunk.used = batch.size();
        heldBytes_ += chunk.held();
        chunks_.push_back(std::move(chunk));
    }
    const std::int64_t position = size_;
    size_ += static_cast<std::int64_t>(batch.size());
    indexBatch(position, header, indexIntervalBytes);
    return position;
}

bool Segment::Cursor::next()
{
    batch_ = {};
    if (!segment_ || error_ != BatchError::None)
        return false;
    const auto& chunks = segment_->chunks_;
    while (chunk_ < chunks.size() && local_ >= chunks[chunk_].used) {
        ++chunk_;
        local_ = 0;
    }
    if (chunk_ >= chunks.size())
        return false;
    const Chunk& chunk = chunks[chunk_];
    const std::span<const std::uint8_t> rest(chunk.data() + local_, chunk.used - local_);
    position_ = chunk.start + static_cast<std::int64_t>(local_);
    error_ = parseBatchHeader(rest, header_);
    if (error_ != BatchError::None)
        return false;
    batch_ = rest.first(static_cast<std::size_t>(header_.sizeInBytes()));
    local_ += batch_.size();
    return true;
}

Segment::Cursor Segment::cursor(std::int64_t position) const
{
    Cursor cursor;
    cursor.segment_ = this;
    cursor.chunk_ = chunkIndexFor(position);
    if (cursor.chunk_ < chunks_.size())
        cursor.local_ = static_cast<std::size_t>(position - chunks_[cursor.chunk_].start);
    return cursor;
}

std::span<const std::uint8_t> Segment::batchAt(std::int64_t position) const
{
    const std::size_t index = chunkIndexFor(position);
    if (index >= chunks_.size())
        return {};
    const Chunk& chunk = chunks_[index];
    const auto local = static_cast<std::size_t>(position - chunk.start);
    const std::span<const std::uint8_t> rest(chunk.data() + local, chunk.used - local);
    BatchHeader header;
    if (parseBatchHeader(rest, header) != BatchError::None)
        return {};
    return rest.first(static_cast<std::size_t>(header.sizeInBytes()));
}

std::span<std::uint8_t> Segment::privateBatchAt(std::int64_t position)
{
    const std::size_t index = chunkIndexFor(position);
    if (batchAt(position).empty())
        return {};
    Chunk& chunk = chunks_[index];
    if (!chunk.writable || !soleHolder(chunk)) {
        // Copy on write: whoever shares the block keeps the bytes as they were.
        auto copy = std::make_shared<ByteBlock>(chunk.used);
        std::memcpy(copy->writableEnd(), chunk.data(), chunk.used);
        copy->advance(chunk.used);
        heldBytes_ -= chunk.held();
        chunk.block = std::move(copy);
        chunk.offset = 0;
        chunk.writable = true;
        heldBytes_ += chunk.held();
    }
    const auto batch = batchAt(position);
    // The chunk's block is this segment's alone now: writing through it changes no one else's bytes.
    return { const_cast<std::uint8_t*>(batch.data()), batch.size() };
}

SharedRecords Segment::share(std::int64_t position, std::size_t bytes) const
{
    std::size_t index = chunkIndexFor(position);
    if (index >= chunks_.size() || bytes == 0)
        return {};
    const Chunk& first = chunks_[index];
    const auto local = static_cast<std::size_t>(position - first.start);
    if (local + bytes <= first.used)
        return SharedRecords(first.block, first.offset + local, bytes);
    auto joined = std::make_shared<ByteBlock>(bytes);
    std::size_t from = local;
    while (joined->fill() < bytes && index < chunks_.size()) {
        const Chunk& chunk = chunks_[index++];
        const std::size_t take = std::min(chunk.used - from, bytes - joined->fill());
        std::memcpy(joined->writableEnd(), chunk.data() + from, take);
        joined->advance(take);
        from = 0;
    }
    const std::size_t size = joined->fill();
    return SharedRecords(std::move(joined), 0, size);
}

std::int64_t Segment::lookupPosition(std::int64_t offset) const
{
    const auto it = std::upper_bound(
        offsetIndex_.begin(), offsetIndex_.end(), offset, [this](std::int64_t value, const OffsetIndexEntry& entry) {
            return value < baseOffset_ + entry.relativeOffset;
        });
    return it == offsetIndex_.begin() ? 0 : std::prev(it)->position;
}

std::optional<std::int64_t> Segment::translateOffset(std::int64_t offset) const
{
    Cursor batches = cursor(lookupPosition(offset));
    while (batches.next()) {
        if (batches.header().lastOffset() >= offset)
            return batches.position();
    }
    return std::nullopt;
}

std::int64_t Segment::lookupTimestamp(std::int64_t timestamp) const
{
    const auto it = std::upper_bound(timeIndex_.begin(), timeIndex_.end(), timestamp,
        [](std::int64_t value, const TimeIndexEntry& entry) { return value < entry.timestamp; });
    return it == timeIndex_.begin() ? baseOffset_ : baseOffset_ + std::prev(it)->relativeOffset;
}

std::optional<std::int64_t> Segment::findOffsetByTimestamp(std::int64_t timestamp, std::int64_t startingOffset) const
{
    const std::int64_t indexedOffset = std::max(lookupTimestamp(timestamp), startingOffset);
    Cursor batches = cursor(lookupPosition(indexedOffset));
    RecordReader reader;
    RecordView record;
    while (batches.next()) {
        if (batches.header().maxTimestamp < timestamp)
            continue;
        if (reader.open(batches.batch()) != BatchError::None)
            continue;
        while (reader.next(record)) {
            if (record.timestamp >= timestamp && record.offset >= startingOffset)
                return record.offset;
        }
    }
    return std::nullopt;
}

void Segment::resetMetadata()
{
    offsetIndex_.clear();
    timeIndex_.clear();
    recordCount_ = 0;
    batchCount_ = 0;
    nextOffset_ = baseOffset_;
    maxTimestampSoFar_ = -1;
    offsetOfMaxTimestampSoFar_ = -1;
    firstBatchMaxTimestamp_ = -1;
    bytesSinceLastIndexEntry_ = 0;
}

std::int64_t Segment::truncateToPosition(std::int64_t position, std::int32_t indexIntervalBytes)
{
    position = std::max<std::int64_t>(position, 0);
    if (position >= size_)
        return 0;
    const std::int64_t removed = size_ - position;
    const std::size_t keep = chunkIndexFor(position);
    for (std::size_t i = keep + 1; i < chunks_.size(); ++i)
        heldBytes_ -= chunks_[i].held();
    chunks_.resize(keep + 1);
    Chunk& last = chunks_.back();
    heldBytes_ -= last.held();
    last.used = static_cast<std::size_t>(position - last.start);
    if (last.used == 0)
        chunks_.pop_back();
    else
        heldBytes_ += last.held();
    rewindLastChunk();
    size_ = position;
    resetMetadata();
    Cursor batches = cursor(0);
    while (batches.next())
        indexBatch(batches.position(), batches.header(), indexIntervalBytes);
    return removed;
}

std::int64_t Segment::truncateTo(std::int64_t offset, std::int32_t indexIntervalBytes)
{
    Cursor batches = cursor(lookupPosition(offset));
    while (batches.next()) {
        if (batches.header().lastOffset() >= offset)
            return truncateToPosition(batches.position(), indexIntervalBytes);
    }
    // Bytes that no longer parse as a batch (damaged, torn) cannot survive a truncation past them.
    if (batches.error() != BatchError::None)
        return truncateToPosition(batches.position(), indexIntervalBytes);
    return 0;
}

std::int64_t Segment::recover(std::int32_t indexIntervalBytes)
{
    resetMetadata();
    std::int64_t validBytes = 0;
    std::int64_t expectedOffset = baseOffset_;
    Cursor batches = cursor(0);
    while (batches.next()) {
        const BatchHeader& header = batches.header();
        if (validateBatch(batches.batch()) != BatchError::None)
            break;
        // Both offset fields lie outside the CRC: check that they follow on and fit the indexes.
        if (header.baseOffset < expectedOffset || header.lastOffsetDelta < 0 || header.recordCount < 0
            || !canConvertToRelativeOffset(header.lastOffset()))
            break;
        indexBatch(batches.position(), header, indexIntervalBytes);
        expectedOffset = header.nextOffset();
        validBytes = batches.position() + header.sizeInBytes();
    }
    const std::int64_t truncated = size_ - validBytes;
    if (truncated > 0)
        truncateToPosition(validBytes, indexIntervalBytes);
    return truncated;
}

std::int64_t Segment::chopTail(std::int64_t bytes)
{
    bytes = std::clamp<std::int64_t>(bytes, 0, size_);
    const std::int64_t newSize = size_ - bytes;
    while (!chunks_.empty() && chunks_.back().start >= newSize) {
        heldBytes_ -= chunks_.back().held();
        chunks_.pop_back();
    }
    if (!chunks_.empty()) {
        Chunk& last = chunks_.back();
        heldBytes_ -= last.held();
        last.used = static_cast<std::size_t>(newSize - last.start);
        heldBytes_ += last.held();
        rewindLastChunk();
    }
    size_ = newSize;
    return bytes;
}

void Segment::onBecomeInactive()
{
    maybeAppendTimeIndex(maxTimestampSoFar_, offsetOfMaxTimestampSoFar_);
    closeLastChunk();
    offsetIndex_.shrink_to_fit();
    timeIndex_.shrink_to_fit();
}

std::string Segment::fileName(std::int64_t baseOffset, std::string_view suffix)
{
    std::string digits = std::to_string(baseOffset);
    if (digits.size() < 20)
        digits.insert(0, 20 - digits.size(), '0');
    digits.append(suffix);
    return digits;
}

Bytes Segment::logImage() const
{
    Bytes image;
    image.reserve(static_cast<std::size_t>(size_));
    for (const Chunk& chunk : chunks_)
        image.insert(image.end(), chunk.data(), chunk.data() + chunk.used);
    return image;
}

Bytes Segment::offsetIndexImage() const
{
    Bytes image(offsetIndex_.size() * kOffsetIndexEntryBytes);
    std::uint8_t* p = image.data();
    for (const OffsetIndexEntry& entry : offsetIndex_) {
        be::store32(p, static_cast<std::uint32_t>(entry.relativeOffset));
        be::store32(p + 4, static_cast<std::uint32_t>(entry.position));
        p += kOffsetIndexEntryBytes;
    }
    return image;
}

Bytes Segment::timeIndexImage() const
{
    Bytes image(timeIndex_.size() * kTimeIndexEntryBytes);
    std::uint8_t* p = image.data();
    for (const TimeIndexEntry& entry : timeIndex_) {
        be::store64(p, static_cast<std::uint64_t>(entry.timestamp));
        be::store32(p + 8, static_cast<std::uint32_t>(entry.relativeOffset));
        p += kTimeIndexEntryBytes;
    }
    return image;
}

} // namespace brokerlab::log
