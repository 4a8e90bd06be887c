// A leader's log, the fetch answers read from it and its followers' logs share one copy of each
// batch; whoever changes stored bytes (a corrupt-byte fault, a truncation followed by new appends)
// does so without changing what the others hold.
#include "log/partitionlog.h"
#include "logfixtures.h"

#include <QTest>

#include <climits>

using namespace brokerlab::log;
using logtest::baseOffsets;
using logtest::kBatchBytes;
using logtest::tenRecords;
using logtest::verifyStats;

namespace {

void appendBatches(PartitionLog& log, int firstIndex, int count, std::int32_t epoch = 1)
{
    for (int i = firstIndex; i < firstIndex + count; ++i)
        QVERIFY(log.appendAsLeader(tenRecords(i), epoch, 1000 * std::int64_t(i)).ok());
}

// What a follower's fetcher does: read from the leader, append what came back.
void replicate(const PartitionLog& leader, PartitionLog& follower)
{
    const ReadInfo read = leader.read(follower.logEndOffset(), INT32_MAX, leader.logEndOffset());
    QVERIFY(!read.offsetOutOfRange);
    if (!read.records.empty())
        QVERIFY(follower.appendAsFollower(read.records, 0, !read.crcVerified).ok());
}

} // namespace

class TestSharedRecords : public QObject {
    Q_OBJECT

private slots:
    void followersHoldTheLeadersCopy()
    {
        PartitionLog leader;
        PartitionLog first;
        PartitionLog second;
        for (int round = 0; round < 20; ++round) {
            appendBatches(leader, round * 3, 3);
            replicate(leader, first);
            replicate(leader, second);
        }
        QCOMPARE(first.logEndOffset(), leader.logEndOffset());
        const ReadInfo fromLeader = leader.read(0, INT32_MAX, INT64_MAX);
        const ReadInfo fromFollower = second.read(0, INT32_MAX, INT64_MAX);
        QCOMPARE(fromFollower.records, fromLeader.records);
        QCOMPARE(std::int64_t(fromLeader.records.size()), 60 * kBatchBytes);
        // The same bytes, not equal copies: a fetch answer and both followers point into the
        // leader's blocks, so replication stores one copy of the partition's data. (A read that
        // spans two of the leader's blocks is joined into a copy, so compare batch by batch.)
        for (std::int64_t offset = 0; offset < leader.logEndOffset(); offset += 10) {
            const SharedRecords ofLeader = leader.read(offset, 1, INT64_MAX).records;
            QCOMPARE(std::int64_t(ofLeader.size()), kBatchBytes);
            QCOMPARE(first.read(offset, 1, INT64_MAX).records.data(), ofLeader.data());
            QCOMPARE(second.read(offset, 1, INT64_MAX).records.data(), ofLeader.data());
        }
        // A follower's memory is the bytes it shares, not another block's spare capacity.
        QVERIFY(first.stats().allocatedBytes < first.stats().sizeInBytes + 4096);
        verifyStats(leader);
        verifyStats(first);
        verifyStats(second);
    }

    void corruptingTheLeaderLeavesFollowersIntact()
    {
        PartitionLog leader;
        PartitionLog follower;
        appendBatches(leader, 0, 4);
        replicate(leader, follower);
        const ReadInfo before = leader.read(0, INT32_MAX, INT64_MAX);
        QVERIFY(leader.corruptByteAt(10, 70));
        // The leader's own bytes changed: its reads say the CRC must be checked, and it fails.
        const ReadInfo corrupted = leader.read(10, INT32_MAX, 20);
        QVERIFY(!corrupted.crcVerified);
        QCOMPARE(validateBatch(corrupted.records), BatchError::CorruptCrc);
        // The follower that shared the block, and an answer read before the fault, did not change.
        QCOMPARE(
            baseOffsets(follower.read(0, INT32_MAX, INT64_MAX).records), (std::vector<std::int64_t> { 0, 10, 20, 30 }));
        QCOMPARE(baseOffsets(before.records), (std::vector<std::int64_t> { 0, 10, 20, 30 }));
        QVERIFY(follower.read(0, INT32_MAX, INT64_MAX).crcVerified);
        verifyStats(leader);
    }

    void corruptingAClosedSegmentKeepsTheMemoryCount()
    {
        // Two batches a segment: the fault copies a chunk of a segment that is no longer active
        // (its follower shares it), and the log's memory figure follows the copy.
        LogConfig config;
        config.segmentBytes = 2 * kBatchBytes;
        PartitionLog leader(config);
        PartitionLog follower(config);
        appendBatches(leader, 0, 6);
        replicate(leader, follower);
        QCOMPARE(std::int64_t(leader.segments().size()), 3);
        QVERIFY(leader.corruptByteAt(0, 70));
        verifyStats(leader);
        QCOMPARE(baseOffsets(follower.read(0, INT32_MAX, INT64_MAX).records),
            (std::vector<std::int64_t> { 0, 10 })); // a read ends with its segment
        verifyStats(follower);
    }

    void truncatedLeaderWritesNewBytesElsewhere()
    {
        // A leader that loses leadership truncates and later appends other batches at the same
        // offsets; a follower that fetched the old ones keeps them until it truncates itself.
        PartitionLog leader;
        PartitionLog follower;
        appendBatches(leader, 0, 5, 1);
        replicate(leader, follower);
        leader.truncateTo(20);
        appendBatches(leader, 7, 3, 2);
        QCOMPARE(baseOffsets(leader.read(0, INT32_MAX, INT64_MAX).records),
            (std::vector<std::int64_t> { 0, 10, 20, 30, 40 }));
        const ReadInfo kept = follower.read(20, INT32_MAX, INT64_MAX);
        QCOMPARE(baseOffsets(kept.records), (std::vector<std::int64_t> { 20, 30, 40 }));
        BatchIterator batches(kept.records);
        while (batches.next())
            QCOMPARE(batches.header().partitionLeaderEpoch, 1);
        QCOMPARE(leader.read(20, INT32_MAX, INT64_MAX).records.toBytes() == kept.records.toBytes(), false);
        verifyStats(leader);
        verifyStats(follower);
    }

    void readAcrossChunksIsOneContiguousAnswer()
    {
        // Batches larger than a chunk each get a block of their own; a read spanning several comes
        // back as one run of whole batches all the same.
        PartitionLog leader;
        LogConfig config;
        config.maxMessageBytes = 4 << 20;
        leader.setConfig(config);
        const Bytes big = logtest::makeBatch(3, 0, "key-", Segment::kChunkBytes);
        for (int i = 0; i < 3; ++i)
            QVERIFY(leader.appendAsLeader(big, 1, 0).ok());
        const ReadInfo read = leader.read(0, INT32_MAX, INT64_MAX);
        QCOMPARE(baseOffsets(read.records), (std::vector<std::int64_t> { 0, 3, 6 }));
        PartitionLog follower(config);
        QVERIFY(follower.appendAsFollower(read.records, 0).ok());
        QCOMPARE(follower.read(3, INT32_MAX, INT64_MAX).records, leader.read(3, INT32_MAX, INT64_MAX).records);
        verifyStats(follower);
    }
};

QTEST_GUILESS_MAIN(TestSharedRecords)
#include "test_sharedrecords.moc"
