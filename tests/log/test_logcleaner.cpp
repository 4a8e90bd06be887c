// PartitionLog's cleanup policies: retention (cleanup.policy=delete) and compaction
// (cleanup.policy=compact).

#include "log/compactionfacts.h"
#include "log/partitionlog.h"
#include "logfixtures.h"

#include <QTest>

#include <climits>

using namespace brokerlab::log;
using logtest::kBatchBytes;
using logtest::keyedBatch;
using logtest::makeBatch;
using logtest::offsetsOf;
using logtest::tenRecords;
using logtest::verifyStats;

namespace {

// One batch per segment: batch i holds offsets 10i..10i+9 with timestamps 1000i..1000i+9.
PartitionLog segmentPerBatch(LogConfig config, int batches)
{
    config.segmentBytes = kBatchBytes;
    PartitionLog log(config);
    for (int i = 0; i < batches; ++i)
        log.appendAsLeader(tenRecords(i), i + 1, 1000 * i);
    return log;
}

// Offsets 0..9 in four segments (one batch each); offset 3 has no key, offset 5 is a tombstone.
//   0 k0=a0  1 k1=a1  2 k2=a2  3 (no key)  |  4 k0=b0  5 k1=null  6 k3=b3  |  7 k2=c2  8 k4=c4  |  9 k0=d0
PartitionLog keyedLog(Compression compression, LogConfig config = {})
{
    const Bytes batches[] = {
        keyedBatch({ { "k0", "a0" }, { "k1", "a1" }, { "k2", "a2" }, { nullptr, "n0" } }, 100, compression),
        keyedBatch({ { "k0", "b0" }, { "k1", nullptr }, { "k3", "b3" } }, 200, compression),
        keyedBatch({ { "k2", "c2" }, { "k4", "c4" } }, 300, compression),
        keyedBatch({ { "k0", "d0" } }, 400, compression),
    };
    config.cleanupCompact = true;
    config.cleanupDelete = false;
    config.segmentBytes = 0;
    for (const Bytes& batch : batches) // any two batches overflow a segment: one batch per segment
        config.segmentBytes = std::max<std::int64_t>(config.segmentBytes, std::int64_t(batch.size()));
    PartitionLog log(config);
    // A null key is refused on a compacted topic (INVALID_RECORD): write it while the topic is not
    // compacted yet, as happens when cleanup.policy changes later.
    LogConfig plain = config;
    plain.cleanupCompact = false;
    log.setConfig(plain);
    for (int i = 0; i < 4; ++i) {
        log.appendAsLeader(batches[i], i < 2 ? 1 : 2, 100 * (i + 1));
        log.setConfig(config);
    }
    return log;
}

} // namespace

class TestLogCleaner : public QObject {
    Q_OBJECT

private slots:
    void retentionByTime_data();
    void retentionByTime();
    void retentionByBytes_data();
    void retentionByBytes();
    void deleteRecordsBreachedSegmentsGoWhateverThePolicy();
    void compactionKeepsLatestPerKey_data();
    void compactionKeepsLatestPerKey();
    void compactionNeverLooksPastHighWatermark();
    void highWatermarkInsideABatch();
    void tombstonesExpireAfterDeleteRetention();
    void compactionFactsCountWhatTheCleanerLeft();
    void minCompactionLagHoldsSegmentsBack();
    void compactedLogReplicatesWithGaps();
};

void TestLogCleaner::retentionByTime_data()
{
    QTest::addColumn<qint64>("retentionMs");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("highWatermark");
    QTest::addColumn<int>("deleted");
    QTest::addColumn<qint64>("logStart");
    // Segment i's largest timestamp is 1000i + 9; retention.ms is 10000 unless said otherwise.
    QTest::addRow("one segment expired") << qint64(10000) << qint64(10500) << qint64(50) << 1 << qint64(10);
    QTest::addRow("three expired") << qint64(10000) << qint64(12500) << qint64(50) << 3 << qint64(30);
    QTest::addRow("exactly retention.ms old is kept") << qint64(10000) << qint64(10009) << qint64(50) << 0 << qint64(0);
    QTest::addRow("high watermark stops it") << qint64(10000) << qint64(12500) << qint64(20) << 2 << qint64(20);
    QTest::addRow("high watermark inside a segment") << qint64(10000) << qint64(12500) << qint64(15) << 1 << qint64(10);
    QTest::addRow("nothing committed") << qint64(10000) << qint64(12500) << qint64(0) << 0 << qint64(0);
    QTest::addRow("everything expired: the active one too")
        << qint64(10000) << qint64(100000) << qint64(50) << 5 << qint64(50);
    QTest::addRow("everything expired, tail uncommitted")
        << qint64(10000) << qint64(100000) << qint64(49) << 4 << qint64(40);
    QTest::addRow("retention.ms -1 keeps forever") << qint64(-1) << qint64(100000) << qint64(50) << 0 << qint64(0);
}

void TestLogCleaner::retentionByTime()
{
    QFETCH(qint64, retentionMs);
    QFETCH(qint64, now);
    QFETCH(qint64, highWatermark);
    QFETCH(int, deleted);
    QFETCH(qint64, logStart);
    LogConfig config;
    config.retentionMs = retentionMs;
    PartitionLog log = segmentPerBatch(config, 5);
    QCOMPARE(log.segments().size(), std::size_t(5));
    QCOMPARE(log.applyRetention(now, highWatermark), deleted);
    QCOMPARE(log.logStartOffset(), logStart);
    QCOMPARE(log.logEndOffset(), 50);
    QCOMPARE(log.stats().recordCount, 50 - logStart);
    QVERIFY(log.logStartOffset() <= highWatermark);
    QVERIFY(!log.segments().empty());
    QVERIFY(log.read(logStart - 1, INT32_MAX, 50).offsetOutOfRange || logStart == 0);
    QCOMPARE(log.epochCache().entries().begin()->second, logStart); // the epoch history starts there too
    verifyStats(log);
    if (deleted == 5) {
        // The log rolled a fresh segment at its end before dropping the expired active one.
        QCOMPARE(log.segments().size(), std::size_t(1));
        QCOMPARE(log.segments().front()->baseOffset(), 50);
        QCOMPARE(log.appendAsLeader(tenRecords(9), 6, now).firstOffset, 50);
    }
}

void TestLogCleaner::retentionByBytes_data()
{
    QTest::addColumn<qint64>("retentionBytes");
    QTest::addColumn<qint64>("highWatermark");
    QTest::addColumn<int>("deleted");
    QTest::addRow("keep two segments' worth") << 2 * kBatchBytes << qint64(50) << 3;
    QTest::addRow("one byte more keeps three") << 2 * kBatchBytes + 1 << qint64(50) << 2;
    QTest::addRow("never past the high watermark") << 2 * kBatchBytes << qint64(10) << 1;
    QTest::addRow("under the limit") << 5 * kBatchBytes << qint64(50) << 0;
    QTest::addRow("retention.bytes -1") << qint64(-1) << qint64(50) << 0;
}

void TestLogCleaner::retentionByBytes()
{
    QFETCH(qint64, retentionBytes);
    QFETCH(qint64, highWatermark);
    QFETCH(int, deleted);
    LogConfig config;
    config.retentionBytes = retentionBytes;
    config.retentionMs = -1;
    PartitionLog log = segmentPerBatch(config, 5);
    QCOMPARE(log.applyRetention(0, highWatermark), deleted);
    QCOMPARE(log.stats().sizeInBytes, (5 - deleted) * kBatchBytes);
    QCOMPARE(log.logStartOffset(), 10 * deleted);
    verifyStats(log);
    // Time-based retention plays no part here, and a second pass finds nothing more.
    QCOMPARE(log.applyRetention(0, highWatermark), 0);
}

void TestLogCleaner::deleteRecordsBreachedSegmentsGoWhateverThePolicy()
{
    LogConfig config;
    config.cleanupDelete = false;
    config.cleanupCompact = true;
    PartitionLog log = segmentPerBatch(config, 5);
    log.advanceLogStartOffset(25);
    QVERIFY(log.read(24, INT32_MAX, 50).offsetOutOfRange);
    QCOMPARE(log.read(25, INT32_MAX, 50).firstBatchBaseOffset, 20);
    QCOMPARE(log.applyRetention(10000000, 50), 2); // segments wholly below offset 25
    QCOMPARE(log.logStartOffset(), 25);
    QCOMPARE(log.segments().front()->baseOffset(), 20);
    QCOMPARE(log.stats().recordCount, 30);
    QCOMPARE(log.epochCache().entries().begin()->first, 3);
    QCOMPARE(log.epochCache().entries().begin()->second, 25);
    verifyStats(log);
}

void TestLogCleaner::compactionKeepsLatestPerKey_data()
{
    QTest::addColumn<int>("codec");
    QTest::addRow("uncompressed") << int(Compression::None);
    QTest::addRow("gzip") << int(Compression::Gzip);
}

void TestLogCleaner::compactionKeepsLatestPerKey()
{
    QFETCH(int, codec);
    PartitionLog log = keyedLog(static_cast<Compression>(codec));
    QCOMPARE(log.segments().size(), std::size_t(4));
    const std::int64_t sizeBefore = log.stats().sizeInBytes;

    QCOMPARE(log.compact(1000, 10), 4); // 0 (k0), 1 (k1), 2 (k2) and 4 (k0) are superseded
    const auto records = log.readRecords(0, 10, 100);
    QCOMPARE(offsetsOf(records), (std::vector<std::int64_t> { 3, 5, 6, 7, 8, 9 }));
    QVERIFY(!records[0].key); // no key: kept
    QCOMPARE(*records[0].value, std::string("n0"));
    QCOMPARE(records[0].timestamp, 103); // timestamps survive the rewrite
    QCOMPARE(*records[1].key, std::string("k1"));
    QVERIFY(!records[1].value); // the tombstone is still within delete.retention.ms
    QCOMPARE(records[1].timestamp, 201);
    QCOMPARE(*records[5].value, std::string("d0")); // the active segment is never cleaned
    QCOMPARE(log.logStartOffset(), 0);
    QCOMPARE(log.logEndOffset(), 10);
    QCOMPARE(log.stats().recordCount, 6);
    QVERIFY(log.stats().sizeInBytes < sizeBefore);
    verifyStats(log);

    // Rewritten batches keep their base offset, last offset, epoch and codec; their CRCs are new.
    const ReadInfo first = log.read(0, INT32_MAX, 10);
    BatchIterator it(first.records);
    QVERIFY(it.next());
    QCOMPARE(it.header().baseOffset, 0);
    QCOMPARE(it.header().lastOffset(), 3);
    QCOMPARE(it.header().recordCount, 1);
    QCOMPARE(it.header().partitionLeaderEpoch, 1);
    QCOMPARE(int(it.header().compression()), codec);
    QVERIFY(!it.next());
    QCOMPARE(it.error(), BatchError::None);
    BatchHeader second;
    QCOMPARE(validateBatch(log.read(4, INT32_MAX, 10).records, &second), BatchError::None);
    QCOMPARE(second.baseOffset, 4);
    QCOMPARE(second.lastOffset(), 6);
    QCOMPARE(second.recordCount, 2);
    QCOMPARE(log.read(1, INT32_MAX, 10).firstBatchBaseOffset, 0);

    QCOMPARE(log.compact(1000, 10), 0); // already clean
}

void TestLogCleaner::compactionNeverLooksPastHighWatermark()
{
    PartitionLog log = keyedLog(Compression::None);
    // Offsets 7 and up are not committed: k2=c2 may still be truncated away, so k2=a2 must stay.
    QCOMPARE(log.compact(1000, 7), 2);
    QCOMPARE(offsetsOf(log.readRecords(0, 10, 100)), (std::vector<std::int64_t> { 2, 3, 4, 5, 6, 7, 8, 9 }));
    QCOMPARE(log.compact(1000, 0), 0);
    QCOMPARE(log.compact(1000, 10), 2); // now 2 (k2) and 4 (k0) go
    QCOMPARE(offsetsOf(log.readRecords(0, 10, 100)), (std::vector<std::int64_t> { 3, 5, 6, 7, 8, 9 }));
    verifyStats(log);
}

void TestLogCleaner::highWatermarkInsideABatch()
{
    LogConfig config;
    config.cleanupCompact = true;
    // A batch per segment: segment.bytes is the larger batch, smaller than any two together.
    config.segmentBytes = std::int64_t(keyedBatch({ { "k1", "b" }, { "k0", "c" }, { "k0", "d" } }, 0).size());
    PartitionLog log(config);
    QVERIFY(log.appendAsLeader(keyedBatch({ { "k0", "a" }, { "k2", "x" } }, 100), 1, 100).ok());
    QVERIFY(log.appendAsLeader(keyedBatch({ { "k1", "b" }, { "k0", "c" }, { "k0", "d" } }, 200), 1, 200).ok());
    QCOMPARE(log.segments().size(), std::size_t(2));
    // Offset 2 (k1) is committed, 3 and 4 (k0) are not: k0=a must survive.
    QCOMPARE(log.compact(1000, 3), 0);
    QCOMPARE(log.compact(1000, 4), 1);
    QCOMPARE(logtest::offsetsOf(log.readRecords(0, 5, 100)), (std::vector<std::int64_t> { 1, 2, 3, 4 }));

    // A closed segment that reaches past the high watermark is not cleaned at all, even where one
    // of its committed records supersedes another.
    PartitionLog straddling(config);
    QVERIFY(straddling.appendAsLeader(keyedBatch({ { "k", "a" }, { "k", "b" }, { "k", "c" } }, 100), 1, 100).ok());
    QVERIFY(straddling.appendAsLeader(keyedBatch({ { "k1", "b" }, { "k0", "c" }, { "k0", "d" } }, 200), 1, 200).ok());
    QCOMPARE(straddling.compact(1000, 2), 0);
    QCOMPARE(straddling.compact(1000, 3), 2);
    verifyStats(straddling);
}

void TestLogCleaner::tombstonesExpireAfterDeleteRetention()
{
    LogConfig config;
    config.deleteRetentionMs = 5000;
    PartitionLog log = keyedLog(Compression::None, config);
    QCOMPARE(log.compact(1000, 10), 4);
    // The tombstone's segment holds timestamps up to 202: it may go once 5000 ms have passed.
    QCOMPARE(log.compact(5202, 10), 0);
    QCOMPARE(log.compact(5203, 10), 1);
    QCOMPARE(offsetsOf(log.readRecords(0, 10, 100)), (std::vector<std::int64_t> { 3, 6, 7, 8, 9 }));
    // Offset 5 leaves a gap inside the kept batch; reads and the log end are unaffected.
    QCOMPARE(log.read(5, INT32_MAX, 10).firstBatchBaseOffset, 4);
    QCOMPARE(log.logEndOffset(), 10);
    QCOMPARE(log.stats().recordCount, 5);
    verifyStats(log);

    // Without compaction, nothing of this happens.
    LogConfig deleteOnly;
    PartitionLog plain = segmentPerBatch(deleteOnly, 3);
    QCOMPARE(plain.compact(100000000, 30), 0);
    QCOMPARE(plain.stats().recordCount, 30);
}

void TestLogCleaner::compactionFactsCountWhatTheCleanerLeft()
{
    LogConfig config;
    config.deleteRetentionMs = 5000;
    PartitionLog log = keyedLog(Compression::None, config);
    const auto facts = [&] {
        const CompactionFacts f = compactionFacts(log);
        return std::vector<std::int64_t> { f.closedSegments, f.records, f.keys, f.maxRecordsPerKey, f.tombstones,
            f.activeRecords, f.activeTombstones };
    };
    // Before cleaning, the closed segments hold k0 twice and k1's tombstone; the active one k0=d0.
    QCOMPARE(facts(), (std::vector<std::int64_t> { 3, 9, 5, 2, 1, 1, 0 }));
    log.compact(1000, 10);
    // One record per key outside the active segment (3 has no key), the tombstone still there.
    QCOMPARE(facts(), (std::vector<std::int64_t> { 3, 5, 4, 1, 1, 1, 0 }));
    log.compact(5203, 10);
    // delete.retention.ms later the tombstone is gone, and k1 with it.
    QCOMPARE(facts(), (std::vector<std::int64_t> { 3, 4, 3, 1, 0, 1, 0 }));
}

void TestLogCleaner::minCompactionLagHoldsSegmentsBack()
{
    LogConfig config;
    config.minCompactionLagMs = 1000;
    PartitionLog log = keyedLog(Compression::None, config);
    QCOMPARE(log.compact(1102, 10), 0); // the first segment's newest record (103) is too young
    QCOMPARE(log.compact(1103, 10), 3); // only the first segment is old enough: 0, 1 and 2 go
    QCOMPARE(offsetsOf(log.readRecords(0, 10, 100)), (std::vector<std::int64_t> { 3, 4, 5, 6, 7, 8, 9 }));
    QCOMPARE(log.compact(1400, 10), 1); // then 4 (k0) in the second
    QCOMPARE(log.stats().recordCount, 6);
}

void TestLogCleaner::compactedLogReplicatesWithGaps()
{
    PartitionLog leader = keyedLog(Compression::None);
    QCOMPARE(leader.compact(1000, 10), 4);
    LogConfig config = leader.config();
    PartitionLog follower(config);
    while (follower.logEndOffset() < leader.logEndOffset()) {
        const ReadInfo fetched = leader.read(follower.logEndOffset(), INT32_MAX, leader.logEndOffset());
        QVERIFY(!fetched.records.empty());
        QVERIFY(follower.appendAsFollower(fetched.records, 0).ok());
    }
    QCOMPARE(follower.readRecords(0, 10, 100), leader.readRecords(0, 10, 100));
    QCOMPARE(follower.logEndOffset(), 10);
}

QTEST_GUILESS_MAIN(TestLogCleaner)
#include "test_logcleaner.moc"
