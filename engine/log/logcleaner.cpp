// PartitionLog's two cleanup policies: deletion (Kafka's UnifiedLog.deleteOldSegments) and
// compaction (Kafka's LogCleaner), kept apart from the append and read paths.

#include "log/partitionlog.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace brokerlab::log {

namespace {

// UnifiedLog.deletableSegments: the oldest segments that satisfy `predicate`, stopping at the first
// that does not, at one holding offsets at or past the high watermark, or at an empty last segment.
template <typename Predicate>
std::size_t countDeletable(const std::deque<std::unique_ptr<Segment>>& segments, std::int64_t logEndOffset,
    std::int64_t highWatermark, Predicate&& predicate)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& segment = *segments[i];
        const Segment* next = i + 1 < segments.size() ? segments[i + 1].get() : nullptr;
        const std::int64_t upperBound = next ? next->baseOffset() : logEndOffset;
        if (highWatermark < upperBound || (!next && segment.empty()) || !predicate(segment, next))
            break;
        ++count;
    }
    return count;
}

struct TransparentStringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view> {}(text); }
};

} // namespace

struct PartitionLog::OffsetMap {
    std::unordered_map<std::string, std::int64_t, TransparentStringHash, std::equal_to<>> latest;
};

void PartitionLog::deleteOldestSegments(std::size_t count, std::int64_t nowMs)
{
    if (count == 0)
        return;
    // A log always keeps one segment: deleting them all first rolls a new one at the log end.
    if (count == segments_.size())
        roll(logEndOffset_, nowMs);
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(count));
    logStartOffset_ = std::max(logStartOffset_, segments_.front()->baseOffset());
    flushedOffset_ = std::max(flushedOffset_, logStartOffset_);
    epochs_.truncateFromStart(logStartOffset_);
    updateStatsAfterDelete();
}

int PartitionLog::applyRetention(std::int64_t nowMs, std::int64_t highWatermark)
{
    lastNowMs_ = nowMs;
    std::size_t deleted = 0;
    auto deleteWhere = [&](auto&& predicate) {
        const std::size_t count = countDeletable(segments_, logEndOffset_, highWatermark, predicate);
        deleteOldestSegments(count, nowMs);
        deleted += count;
    };
    // Segments wholly below the log start offset (DeleteRecords, a follower's start) go whatever
    // the cleanup policy.
    deleteWhere([&](const Segment&, const Segment* next) { return next && next->baseOffset() <= logStartOffset_; });
    if (!config_.cleanupDelete)
        return static_cast<int>(deleted);
    if (config_.retentionBytes >= 0 && sizeInBytes_ >= config_.retentionBytes) {
        std::int64_t excess = sizeInBytes_ - config_.retentionBytes;
        deleteWhere([&](const Segment& segment, const Segment*) {
            if (excess - segment.sizeInBytes() < 0)
                return false;
            excess -= segment.sizeInBytes();
            return true;
        });
    }
    if (config_.retentionMs >= 0) {
        deleteWhere([&](const Segment& segment, const Segment*) {
            return nowMs - segment.largestTimestamp() > config_.retentionMs;
        });
    }
    return static_cast<int>(deleted);
}

std::unique_ptr<Segment> PartitionLog::cleanSegment(
    const Segment& segment, const OffsetMap& latest, std::int64_t nowMs, std::int64_t& removed) const
{
    auto cleaned = std::make_unique<Segment>(segment.baseOffset(), segment.createdMs());
    // Kafka (KIP-534) keeps a tombstone for delete.retention.ms after the cleaner first saw it. We
    // keep no per-tombstone state and measure from the newest record of its segment instead: the
    // tombstone can go earlier than in Kafka by as long as the segment waited for its first cleaning.
    const bool tombstonesExpired = nowMs - segment.largestTimestamp() > config_.deleteRetentionMs;
    RecordReader reader;
    RecordView record;
    BatchBuilder builder;
    Bytes rebuilt;
    Segment::Cursor batches = segment.cursor();
    while (batches.next()) {
        const BatchHeader& header = batches.header();
        // Transaction markers and anything that does not decode are carried over untouched.
        if (header.isControl() || reader.open(batches.batch()) != BatchError::None) {
            cleaned->append(batches.batch(), header, config_.indexIntervalBytes);
            continue;
        }
        builder.reset(BatchBuilder::optionsLike(header));
        std::int64_t seen = 0;
        std::int64_t kept = 0;
        while (reader.next(record)) {
            ++seen;
            // Records without a key are kept: Kafka refuses them on compacted topics at produce time
            // (INVALID_RECORD), so they only exist here if the topic was compacted later.
            bool keep = true;
            if (!record.nullKey) {
                const auto it = latest.latest.find(record.keyView());
                const bool superseded = it != latest.latest.end() && it->second > record.offset;
                keep = !superseded && !(record.nullValue && tombstonesExpired);
            }
            if (keep) {
                ++kept;
                builder.appendRecordView(record, record.offsetDelta);
            }
        }
        if (reader.error() != BatchError::None || kept == seen) {
            cleaned->append(batches.batch(), header, config_.indexIntervalBytes);
            continue;
        }
        removed += seen - kept;
        if (kept == 0)
            continue; // the whole batch goes; its offsets become a gap
        // MemoryRecords.filterTo: same base offset, same last offset, same epoch and producer fields.
        builder.overrideLastOffsetDelta(header.lastOffsetDelta);
        rebuilt.clear();
        builder.buildInto(rebuilt);
        BatchHeader rebuiltHeader;
        parseBatchHeader(rebuilt, rebuiltHeader);
        rebuiltHeader.baseOffset = header.baseOffset;
        rebuiltHeader.partitionLeaderEpoch = header.partitionLeaderEpoch;
        cleaned->append(rebuilt, rebuiltHeader, config_.indexIntervalBytes);
    }
    cleaned->onBecomeInactive();
    return cleaned;
}

std::int64_t PartitionLog::compact(std::int64_t nowMs, std::int64_t highWatermark)
{
    lastNowMs_ = nowMs;
    if (!config_.cleanupCompact)
        return 0;
    // Cleanable: closed segments wholly below the high watermark and older than min.compaction.lag.ms.
    std::size_t cleanable = 0;
    for (std::size_t i = 0; i + 1 < segments_.size(); ++i) {
        if (segments_[i + 1]->baseOffset() > highWatermark)
            break;
        if (config_.minCompactionLagMs > 0 && segments_[i]->largestTimestamp() > nowMs - config_.minCompactionLagMs)
            break;
        cleanable = i + 1;
    }
    if (cleanable == 0)
        return 0;

    // The latest offset of every key over everything committed, active segment included. Records at
    // or past the high watermark may still be truncated away, so they never supersede anything.
    OffsetMap latest;
    RecordReader reader;
    RecordView record;
    for (const auto& segment : segments_) {
        Segment::Cursor batches = segment->cursor();
        while (batches.next() && batches.header().baseOffset < highWatermark) {
            if (batches.header().isControl() || reader.open(batches.batch()) != BatchError::None)
                continue;
            while (reader.next(record) && record.offset < highWatermark) {
                if (record.nullKey)
                    continue;
                const auto it = latest.latest.find(record.keyView());
                if (it == latest.latest.end())
                    latest.latest.emplace(std::string(record.keyView()), record.offset);
                else
                    it->second = std::max(it->second, record.offset);
            }
        }
    }

    std::int64_t removed = 0;
    for (std::size_t i = 0; i < cleanable; ++i) {
        const std::int64_t before = removed;
        auto cleaned = cleanSegment(*segments_[i], latest, nowMs, removed);
        if (removed == before)
            continue; // already clean: keep the segment as it is
        // A cleaned-out segment is dropped; its offsets become a gap, as in a compacted Kafka log.
        segments_[i] = cleaned->empty() ? nullptr : std::move(cleaned);
    }
    std::erase_if(segments_, [](const std::unique_ptr<Segment>& segment) { return segment == nullptr; });
    if (removed > 0)
        ++rewriteCount_;
    updateStatsAfterDelete();
    return removed;
}

} // namespace brokerlab::log
