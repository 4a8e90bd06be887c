#pragma once
// PartitionLog fixtures shared by the log tests.

#include "log/partitionlog.h"
#include "logtestutil.h"

#include <QTest>

#include <vector>

namespace logtest {

// Ten records per batch, every batch the same size: batch i carries timestamps 1000*i + j.
inline Bytes tenRecords(int batchIndex) { return makeBatch(10, 1000 * std::int64_t(batchIndex)); }

inline const qint64 kBatchBytes = static_cast<qint64>(tenRecords(0).size());

// The O(1) counters must always agree with a walk over the segments.
inline void verifyStats(const brokerlab::log::PartitionLog& log)
{
    std::int64_t records = 0;
    std::int64_t bytes = 0;
    std::int64_t allocated = 0;
    std::int64_t previousBase = -1;
    for (const auto& segment : log.segments()) {
        records += segment->recordCount();
        bytes += segment->sizeInBytes();
        allocated += segment->allocatedBytes();
        QVERIFY(segment->baseOffset() > previousBase);
        previousBase = segment->baseOffset();
    }
    const brokerlab::log::LogStats stats = log.stats();
    QCOMPARE(stats.recordCount, records);
    QCOMPARE(stats.sizeInBytes, bytes);
    QCOMPARE(stats.segmentCount, std::int64_t(log.segments().size()));
    QVERIFY(stats.allocatedBytes >= stats.sizeInBytes);
    QCOMPARE(stats.allocatedBytes, allocated);
    QVERIFY(stats.logStartOffset <= stats.logEndOffset);
    QVERIFY(stats.flushedOffset <= stats.logEndOffset);
}

inline std::vector<std::int64_t> offsetsOf(const std::vector<brokerlab::log::Record>& records)
{
    std::vector<std::int64_t> offsets;
    for (const auto& record : records)
        offsets.push_back(record.offset);
    return offsets;
}

// Base offsets of the batches in a read; {-999} if they do not all check out.
inline std::vector<std::int64_t> baseOffsets(std::span<const std::uint8_t> records)
{
    std::vector<std::int64_t> bases;
    brokerlab::log::BatchIterator it(records);
    while (it.next())
        bases.push_back(it.header().baseOffset);
    return it.error() == brokerlab::log::BatchError::None ? bases : std::vector<std::int64_t> { -999 };
}

inline std::vector<std::int64_t> segmentBases(const brokerlab::log::PartitionLog& log)
{
    std::vector<std::int64_t> bases;
    for (const auto& segment : log.segments())
        bases.push_back(segment->baseOffset());
    return bases;
}

} // namespace logtest
