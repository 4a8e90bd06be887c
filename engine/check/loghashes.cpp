#include "check/loghashes.h"

#include "check/recordhash.h"
#include "log/partitionlog.h"
#include "log/recordbatch.h"

namespace brokerlab::check {

std::vector<std::pair<std::int64_t, std::uint64_t>> logHashes(const log::PartitionLog& partitionLog)
{
    std::vector<std::pair<std::int64_t, std::uint64_t>> hashes;
    hashes.reserve(static_cast<std::size_t>(partitionLog.stats().recordCount));
    const std::int64_t logStart = partitionLog.logStartOffset();
    log::RecordReader reader;
    log::RecordView record;
    for (const auto& segment : partitionLog.segments()) {
        if (segment->nextOffset() <= logStart)
            continue;
        log::Segment::Cursor batches = segment->cursor();
        while (batches.next()) {
            const log::BatchHeader& header = batches.header();
            // DeleteRecords moves the log start inside a segment: its older records stay in the bytes.
            if (header.isControl() || header.lastOffset() < logStart)
                continue;
            if (reader.open(batches.batch()) != log::BatchError::None)
                continue;
            while (reader.next(record)) {
                if (record.offset >= logStart)
                    hashes.emplace_back(record.offset, recordHash(record));
            }
        }
    }
    return hashes;
}

} // namespace brokerlab::check
