#include "log/partitionlog.h"

#include "log/compression.h"

#include <algorithm>
#include <climits>

namespace brokerlab::log {

namespace {

// Kafka's index entries hold positions as i32, so a segment can never grow past INT32_MAX bytes.
std::int64_t effectiveSegmentBytes(const LogConfig& config)
{
    return std::clamp<std::int64_t>(config.segmentBytes, 1, INT32_MAX);
}

// Broker-side recompression (compression.type other than "producer"): Kafka's LogValidator
// re-encodes the records with the topic's codec, keeping offsets, timestamps and producer fields.
BatchError recompress(std::span<const std::uint8_t> batch, Compression target, Bytes& out)
{
    if (!isCompressionSupported(target))
        return BatchError::UnsupportedCompression;
    RecordReader reader;
    if (reader.open(batch) != BatchError::None)
        return reader.error();
    const BatchHeader& header = reader.header();
    BatchBuilder::Options options = BatchBuilder::optionsLike(header);
    options.compression = target;
    BatchBuilder builder(options);
    RecordView record;
    while (reader.next(record))
        builder.appendRecordView(record, record.offsetDelta);
    if (reader.error() != BatchError::None)
        return reader.error();
    builder.overrideLastOffsetDelta(header.lastOffsetDelta);
    builder.buildInto(out);
    return BatchError::None;
}

} // namespace

// ---- LeaderEpochCache ----------------------------------------------------------------------------

void LeaderEpochCache::assign(std::int32_t epoch, std::int64_t startOffset)
{
    if (epoch < 0 || startOffset < 0)
        return;
    if (!entries_.empty()) {
        const auto& [latestEpoch, latestStart] = *entries_.rbegin();
        if (latestEpoch == epoch && startOffset >= latestStart)
            return;
    }
    // maybeTruncateNonMonotonicEntries: epochs and start offsets must both rise.
    while (!entries_.empty()) {
        const auto last = std::prev(entries_.end());
        if (last->first < epoch && last->second < startOffset)
            break;
        entries_.erase(last);
    }
    entries_.emplace(epoch, startOffset);
}

std::pair<std::int32_t, std::int64_t> LeaderEpochCache::endOffsetFor(
    std::int32_t epoch, std::int64_t logEndOffset) const
{
    constexpr std::pair<std::int32_t, std::int64_t> undefined { -1, -1 };
    if (epoch < 0 || entries_.empty())
        return undefined;
    if (entries_.rbegin()->first == epoch)
        return { epoch, logEndOffset };
    const auto higher = entries_.upper_bound(epoch);
    if (higher == entries_.end())
        return undefined; // an epoch newer than any we know
    if (higher == entries_.begin())
        return { epoch, higher->second }; // older than any we know: ends where our history starts
    return { std::prev(higher)->first, higher->second };
}

void LeaderEpochCache::truncateFromEnd(std::int64_t endOffset)
{
    while (!entries_.empty() && std::prev(entries_.end())->second >= endOffset)
        entries_.erase(std::prev(entries_.end()));
}

void LeaderEpochCache::truncateFromStart(std::int64_t startOffset)
{
    // Entries wholly below the new start go; the last of them survives, moved up to start there.
    std::optional<std::int32_t> lastRemoved;
    while (!entries_.empty() && entries_.begin()->second <= startOffset) {
        lastRemoved = entries_.begin()->first;
        entries_.erase(entries_.begin());
    }
    if (lastRemoved)
        entries_.emplace(*lastRemoved, startOffset);
}

std::optional<std::int32_t> LeaderEpochCache::latestEpoch() const
{
    if (entries_.empty())
        return std::nullopt;
    return entries_.rbegin()->first;
}

// ---- PartitionLog: appends ----------------------------------------------------------------------

PartitionLog::PartitionLog(LogConfig config, std::int64_t nowMs)
    : config_(config)
    , lastFlushMs_(nowMs)
    , lastNowMs_(nowMs)
{
    segments_.push_back(std::make_unique<Segment>(0, nowMs));
}

void PartitionLog::setConfig(const LogConfig& config) { config_ = config; }

Segment& PartitionLog::activeSegment() { return *segments_.back(); }

std::int64_t PartitionLog::logStartOffset() const { return logStartOffset_; }

std::int64_t PartitionLog::logEndOffset() const { return logEndOffset_; }

LogStats PartitionLog::stats() const
{
    LogStats stats;
    stats.logStartOffset = logStartOffset_;
    stats.logEndOffset = logEndOffset_;
    stats.sizeInBytes = sizeInBytes_;
    stats.segmentCount = static_cast<std::int64_t>(segments_.size());
    stats.recordCount = recordCount_;
    stats.flushedOffset = flushedOffset_;
    stats.allocatedBytes = inactiveAllocatedBytes_ + segments_.back()->allocatedBytes();
    return stats;
}

std::size_t PartitionLog::segmentIndexFor(std::int64_t offset) const
{
    const auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
        [](std::int64_t value, const std::unique_ptr<Segment>& segment) { return value < segment->baseOffset(); });
    return it == segments_.begin() ? 0 : static_cast<std::size_t>(it - segments_.begin()) - 1;
}

void PartitionLog::roll(std::int64_t baseOffset, std::int64_t nowMs)
{
    Segment& active = activeSegment();
    if (active.empty()) {
        // Kafka replaces an empty active segment rather than leave an empty file behind it.
        segments_.back() = std::make_unique<Segment>(baseOffset, nowMs);
        return;
    }
    active.onBecomeInactive();
    inactiveAllocatedBytes_ += active.allocatedBytes();
    segments_.push_back(std::make_unique<Segment>(baseOffset, nowMs));
}

void PartitionLog::maybeRoll(const BatchHeader& header, std::int64_t nowMs)
{
    // LogSegment.shouldRoll.
    const Segment& active = *segments_.back();
    bool shouldRoll = active.sizeInBytes() > effectiveSegmentBytes(config_) - header.sizeInBytes();
    if (!active.empty()) {
        // segment.ms counts from the first batch's timestamp when there is one, else from creation.
        const std::int64_t rollingBase = active.firstBatchMaxTimestamp();
        const std::int64_t waited = rollingBase >= 0 ? header.maxTimestamp - rollingBase : nowMs - active.createdMs();
        shouldRoll = shouldRoll || waited > config_.segmentMs;
    }
    shouldRoll = shouldRoll || !active.canConvertToRelativeOffset(header.lastOffset())
        || !active.canConvertToRelativeOffset(header.baseOffset);
    if (shouldRoll)
        roll(header.baseOffset, nowMs);
}

void PartitionLog::appendValidated(
    std::span<const std::uint8_t> batch, const BatchHeader& header, std::int64_t nowMs, const SharedRecords* source)
{
    maybeRoll(header, nowMs);
    if (source)
        activeSegment().appendShared(*source, batch, header, config_.indexIntervalBytes);
    else
        activeSegment().append(batch, header, config_.indexIntervalBytes);
    if (header.partitionLeaderEpoch >= 0)
        epochs_.assign(header.partitionLeaderEpoch, header.baseOffset);
    logEndOffset_ = header.nextOffset();
    recordCount_ += header.recordCount;
    sizeInBytes_ += header.sizeInBytes();
}

AppendInfo PartitionLog::appendAsLeader(
    std::span<const std::uint8_t> batch, std::int32_t leaderEpoch, std::int64_t nowMs)
{
    lastNowMs_ = nowMs;
    AppendInfo info;
    BatchHeader header;
    info.error = validateBatch(batch, &header);
    if (info.error != BatchError::None)
        return info;
    // Produce v3+ carries exactly one batch per partition.
    if (batch.size() != static_cast<std::size_t>(header.sizeInBytes())) {
        info.error = BatchError::CorruptRecords;
        return info;
    }
    info.bytes = header.sizeInBytes();
    if (header.sizeInBytes() > config_.maxMessageBytes || header.sizeInBytes() > effectiveSegmentBytes(config_)) {
        info.tooLarge = true;
        return info;
    }
    // LogValidator: a client's batch must hold records and its offset range must match its count.
    if (header.recordCount <= 0 || header.lastOffsetDelta != header.recordCount - 1) {
        info.error = BatchError::CorruptRecords;
        return info;
    }
    RecordReader reader;
    if (reader.open(batch) != BatchError::None) {
        info.error = reader.error();
        return info;
    }
    RecordView record;
    while (reader.next(record)) {
        // Kafka: "Compacted topic cannot accept message without key".
        if (config_.cleanupCompact && record.nullKey)
            info.invalidRecord = true;
    }
    if (reader.error() != BatchError::None)
        info.error = reader.error();
    if (!info.ok())
        return info;

    Bytes recompressed;
    std::span<const std::uint8_t> stored = batch;
    if (!config_.compressionIsProducer && config_.compression != header.compression()) {
        info.error = recompress(batch, config_.compression, recompressed);
        if (info.error != BatchError::None)
            return info;
        parseBatchHeader(recompressed, header);
        stored = recompressed;
        info.bytes = header.sizeInBytes();
        if (header.sizeInBytes() > config_.maxMessageBytes) {
            info.tooLarge = true;
            return info;
        }
    }

    header.baseOffset = logEndOffset_;
    header.partitionLeaderEpoch = leaderEpoch;
    appendValidated(stored, header, nowMs);
    info.firstOffset = header.baseOffset;
    info.lastOffset = header.lastOffset();
    info.recordCount = header.recordCount;
    info.maxTimestamp = header.maxTimestamp;
    // Kafka flushes on append once flush.messages unflushed records have piled up.
    if (logEndOffset_ - flushedOffset_ >= config_.flushMessages)
        flush(nowMs);
    return info;
}

AppendInfo PartitionLog::appendAsFollower(const SharedRecords& batches, std::int64_t nowMs, bool checkCrc)
{
    lastNowMs_ = nowMs;
    AppendInfo info;
    // Validate everything before appending anything: a fetch response is appended whole or not at all.
    std::int64_t expectedOffset = logEndOffset_;
    BatchIterator check(batches, checkCrc);
    while (check.next()) {
        const BatchHeader& header = check.header();
        if (header.lastOffsetDelta < 0 || header.recordCount < 0 || header.lastOffset() < header.baseOffset) {
            info.error = BatchError::CorruptRecords;
            return info;
        }
        if (header.baseOffset < expectedOffset) {
            info.unexpectedOffset = true;
            return info;
        }
        if (info.firstOffset < 0)
            info.firstOffset = header.baseOffset;
        expectedOffset = header.nextOffset();
    }
    if (check.error() != BatchError::None) {
        info.error = check.error();
        return info;
    }

    BatchIterator append(batches, false);
    while (append.next()) {
        const BatchHeader& header = append.header();
        appendValidated(append.batch(), header, nowMs, &batches);
        info.lastOffset = header.lastOffset();
        info.recordCount += header.recordCount;
        info.maxTimestamp = std::max(info.maxTimestamp, header.maxTimestamp);
        info.bytes += header.sizeInBytes();
    }
    if (logEndOffset_ - flushedOffset_ >= config_.flushMessages)
        flush(nowMs);
    return info;
}

// ---- PartitionLog: reads ------------------------------------------------------------------------

ReadInfo PartitionLog::read(std::int64_t fetchOffset, std::int32_t maxBytes, std::int64_t maxOffset) const
{
    ReadInfo info;
    info.crcVerified = intact_;
    if (fetchOffset < logStartOffset_ || fetchOffset > logEndOffset_) {
        info.offsetOutOfRange = true;
        return info;
    }
    const auto limit = static_cast<std::size_t>(std::max(maxBytes, 0));
    // LocalLog.read serves one segment per fetch; it moves on only when a segment has nothing at
    // or past fetchOffset (the offset fell in the gap at its end).
    for (std::size_t i = segmentIndexFor(fetchOffset); i < segments_.size(); ++i) {
        const Segment& segment = *segments_[i];
        const std::optional<std::int64_t> position = segment.translateOffset(fetchOffset);
        if (!position)
            continue;
        std::size_t bytes = 0;
        Segment::Cursor batches = segment.cursor(*position);
        while (batches.next()) {
            const BatchHeader& header = batches.header();
            if (header.baseOffset >= maxOffset)
                break;
            const std::size_t batchBytes = batches.batch().size();
            // KIP-74: the first batch is returned whole even when it alone is larger than maxBytes.
            if (bytes > 0 && bytes + batchBytes > limit)
                break;
            if (bytes == 0)
                info.firstBatchBaseOffset = header.baseOffset;
            bytes += batchBytes;
        }
        info.records = segment.share(*position, bytes);
        break;
    }
    return info;
}

std::vector<Record> PartitionLog::readRecords(
    std::int64_t fromOffset, std::int64_t maxOffset, std::size_t maxRecords) const
{
    std::vector<Record> out;
    fromOffset = std::max(fromOffset, logStartOffset_);
    maxOffset = std::min(maxOffset, logEndOffset_);
    if (fromOffset >= maxOffset || maxRecords == 0)
        return out;
    std::vector<Record> decoded;
    for (std::size_t i = segmentIndexFor(fromOffset); i < segments_.size(); ++i) {
        const Segment& segment = *segments_[i];
        Segment::Cursor batches = segment.cursor(segment.lookupPosition(fromOffset));
        while (batches.next()) {
            const BatchHeader& header = batches.header();
            if (header.baseOffset >= maxOffset)
                return out;
            if (header.lastOffset() < fromOffset)
                continue;
            decoded.clear();
            // A batch that does not decode (corrupted in place) is skipped, not fatal to the reader.
            if (decodeRecords(batches.batch(), decoded) != BatchError::None)
                continue;
            for (Record& record : decoded) {
                if (record.offset < fromOffset || record.offset >= maxOffset)
                    continue;
                out.push_back(std::move(record));
                if (out.size() >= maxRecords)
                    return out;
            }
        }
    }
    return out;
}

std::optional<std::int64_t> PartitionLog::offsetForTimestamp(std::int64_t timestampMs) const
{
    constexpr std::int64_t kEarliestTimestamp = -2;
    constexpr std::int64_t kLatestTimestamp = -1;
    if (timestampMs == kEarliestTimestamp)
        return logStartOffset_;
    if (timestampMs == kLatestTimestamp)
        return logEndOffset_;
    // UnifiedLog.fetchOffsetByTimestamp: the first segment whose largest timestamp reaches the target.
    for (const auto& segment : segments_) {
        if (segment->largestTimestamp() < timestampMs)
            continue;
        if (const auto offset = segment->findOffsetByTimestamp(timestampMs, logStartOffset_))
            return offset;
    }
    return std::nullopt;
}

// ---- PartitionLog: truncation, flush and recovery -------------------------------------------------

void PartitionLog::updateStatsAfterDelete()
{
    recordCount_ = 0;
    sizeInBytes_ = 0;
    inactiveAllocatedBytes_ = 0;
    for (const auto& segment : segments_) {
        recordCount_ += segment->recordCount();
        sizeInBytes_ += segment->sizeInBytes();
        if (segment != segments_.back())
            inactiveAllocatedBytes_ += segment->allocatedBytes();
    }
}

void PartitionLog::truncateTo(std::int64_t offset)
{
    if (offset >= logEndOffset_)
        return;
    if (offset < segments_.front()->baseOffset()) {
        truncateFullyAndStartAt(offset, lastNowMs_);
        return;
    }
    while (segments_.size() > 1 && segments_.back()->baseOffset() > offset)
        segments_.pop_back();
    Segment& last = *segments_.back();
    std::int64_t newEnd = offset;
    // A batch is removed whole: if it straddles `offset`, the log ends where that batch began.
    if (const auto position = last.translateOffset(offset)) {
        Segment::Cursor straddling = last.cursor(*position);
        if (straddling.next())
            newEnd = std::min(newEnd, straddling.header().baseOffset);
    }
    last.truncateTo(offset, config_.indexIntervalBytes);
    ++rewriteCount_;
    logEndOffset_ = newEnd;
    logStartOffset_ = std::min(logStartOffset_, newEnd);
    flushedOffset_ = std::min(flushedOffset_, newEnd);
    epochs_.truncateFromEnd(newEnd);
    updateStatsAfterDelete();
}

void PartitionLog::truncateFullyAndStartAt(std::int64_t offset, std::int64_t nowMs)
{
    lastNowMs_ = nowMs;
    ++rewriteCount_;
    segments_.clear();
    segments_.push_back(std::make_unique<Segment>(offset, nowMs));
    logStartOffset_ = offset;
    logEndOffset_ = offset;
    flushedOffset_ = offset;
    epochs_ = LeaderEpochCache {};
    updateStatsAfterDelete();
}

void PartitionLog::advanceLogStartOffset(std::int64_t offset)
{
    offset = std::min(offset, logEndOffset_);
    if (offset <= logStartOffset_)
        return;
    logStartOffset_ = offset;
    flushedOffset_ = std::max(flushedOffset_, offset);
    epochs_.truncateFromStart(offset);
}

void PartitionLog::maybeFlush(std::int64_t nowMs)
{
    lastNowMs_ = nowMs;
    if (logEndOffset_ - flushedOffset_ >= config_.flushMessages || nowMs - lastFlushMs_ >= config_.flushMs)
        flush(nowMs);
}

void PartitionLog::flush(std::int64_t nowMs)
{
    flushedOffset_ = logEndOffset_;
    lastFlushMs_ = nowMs;
}

void PartitionLog::loseUnflushed() { truncateTo(flushedOffset_); }

std::int64_t PartitionLog::recover()
{
    std::int64_t truncated = 0;
    // Segments below the recovery point were flushed and are trusted, as in Kafka's LogLoader.
    for (std::size_t i = segmentIndexFor(flushedOffset_); i < segments_.size(); ++i) {
        Segment& segment = *segments_[i];
        const std::int64_t cut = segment.recover(config_.indexIntervalBytes);
        if (i + 1 < segments_.size())
            segment.onBecomeInactive();
        if (cut == 0)
            continue;
        truncated += cut;
        while (segments_.size() > i + 1) {
            truncated += segments_.back()->sizeInBytes();
            segments_.pop_back();
        }
        break;
    }
    // LogLoader: the log ends where the last segment's last valid batch ends.
    if (truncated > 0)
        ++rewriteCount_;
    logEndOffset_ = segments_.back()->nextOffset();
    logStartOffset_ = std::min(logStartOffset_, logEndOffset_);
    epochs_.truncateFromEnd(logEndOffset_);
    flushedOffset_ = logEndOffset_;
    updateStatsAfterDelete();
    return truncated;
}

bool PartitionLog::corruptByteAt(std::int64_t offset, int byteInBatch)
{
    if (offset < logStartOffset_ || offset >= logEndOffset_ || byteInBatch < 0)
        return false;
    Segment& segment = *segments_[segmentIndexFor(offset)];
    const auto position = segment.translateOffset(offset);
    if (!position)
        return false;
    // Copy on write may give the segment a block of its own: an inactive segment's memory is
    // counted in inactiveAllocatedBytes_.
    const std::int64_t heldBefore = segment.allocatedBytes();
    const std::span<std::uint8_t> batch = segment.privateBatchAt(*position);
    if (&segment != segments_.back().get())
        inactiveAllocatedBytes_ += segment.allocatedBytes() - heldBefore;
    BatchHeader header;
    if (parseBatchHeader(batch, header) != BatchError::None || header.baseOffset > offset
        || static_cast<std::size_t>(byteInBatch) >= batch.size())
        return false;
    batch[static_cast<std::size_t>(byteInBatch)] ^= 0xff;
    intact_ = false;
    return true;
}

std::int64_t PartitionLog::tearTail(std::int64_t bytes)
{
    const std::int64_t cut = activeSegment().chopTail(bytes);
    sizeInBytes_ -= cut;
    return cut;
}

std::vector<PartitionLog::FileImage> PartitionLog::fileImages(bool contents) const
{
    std::vector<FileImage> images;
    images.reserve(segments_.size() * 3 + 1);
    const auto add = [&](std::string name, std::int64_t size, auto&& image) {
        images.push_back({ std::move(name), contents ? image() : Bytes(), size });
    };
    for (const auto& segment : segments_) {
        const std::int64_t base = segment->baseOffset();
        add(Segment::fileName(base, ".log"), segment->sizeInBytes(), [&] { return segment->logImage(); });
        add(Segment::fileName(base, ".index"),
            static_cast<std::int64_t>(segment->offsetIndex().size()) * Segment::kOffsetIndexEntryBytes,
            [&] { return segment->offsetIndexImage(); });
        add(Segment::fileName(base, ".timeindex"),
            static_cast<std::int64_t>(segment->timeIndex().size()) * Segment::kTimeIndexEntryBytes,
            [&] { return segment->timeIndexImage(); });
    }
    // LeaderEpochCheckpointFile: version, entry count, then "epoch startOffset" per line.
    std::string checkpoint = "0\n" + std::to_string(epochs_.entries().size()) + "\n";
    for (const auto& [epoch, startOffset] : epochs_.entries())
        checkpoint += std::to_string(epoch) + " " + std::to_string(startOffset) + "\n";
    add("leader-epoch-checkpoint", static_cast<std::int64_t>(checkpoint.size()),
        [&] { return Bytes(checkpoint.begin(), checkpoint.end()); });
    return images;
}

} // namespace brokerlab::log
