// Durability of a PartitionLog: flush policy, power loss, restart recovery, corruption, and a
// seeded random walk over every mutating call that checks the log stays consistent.

#include "log/partitionlog.h"
#include "logfixtures.h"

#include <QTest>

#include <climits>
#include <random>

using namespace brokerlab::log;
using logtest::kBatchBytes;
using logtest::makeBatch;
using logtest::tenRecords;
using logtest::verifyStats;

namespace {

void appendBatches(PartitionLog& log, int count, std::int32_t epoch = 1, int firstIndex = 0)
{
    for (int i = firstIndex; i < firstIndex + count; ++i)
        QVERIFY(log.appendAsLeader(tenRecords(i), epoch, 1000 * std::int64_t(i)).ok());
}

// Every stored batch checks out, offsets only rise, and the last one ends at the log end.
void verifyStoredBatches(const PartitionLog& log)
{
    std::int64_t next = -1;
    for (const auto& segment : log.segments()) {
        Segment::Cursor batches = segment->cursor();
        while (batches.next()) {
            QCOMPARE(validateBatch(batches.batch()), BatchError::None);
            QVERIFY(batches.header().baseOffset >= std::max(next, segment->baseOffset()));
            next = batches.header().nextOffset();
        }
        QCOMPARE(batches.error(), BatchError::None);
    }
    QVERIFY(next <= log.logEndOffset());
}

} // namespace

class TestLogDurability : public QObject {
    Q_OBJECT

private slots:
    void flushAndLoseUnflushed();
    void recoverAfterTornTail();
    void recoverAfterCorruption_data();
    void recoverAfterCorruption();
    void recoverCatchesABaseOffsetMovedBack();
    void randomOperationsKeepTheLogConsistent_data();
    void randomOperationsKeepTheLogConsistent();
};

void TestLogDurability::flushAndLoseUnflushed()
{
    LogConfig config;
    config.flushMessages = 10;
    PartitionLog log(config);
    QVERIFY(log.appendAsLeader(makeBatch(5, 0), 1, 0).ok());
    QCOMPARE(log.stats().flushedOffset, 0);
    QVERIFY(log.appendAsLeader(makeBatch(5, 1), 1, 1).ok());
    QCOMPARE(log.stats().flushedOffset, 10); // flush.messages reached on append
    QVERIFY(log.appendAsLeader(makeBatch(5, 2), 1, 2).ok());
    QCOMPARE(log.stats().flushedOffset, 10);
    log.loseUnflushed();
    QCOMPARE(log.logEndOffset(), 10);
    QCOMPARE(log.stats().recordCount, 10);
    verifyStats(log);

    config.flushMessages = INT64_MAX;
    config.flushMs = 100;
    log.setConfig(config);
    QVERIFY(log.appendAsLeader(makeBatch(5, 3), 1, 50).ok());
    log.maybeFlush(99); // last flush was at 1
    QCOMPARE(log.stats().flushedOffset, 10);
    log.maybeFlush(101);
    QCOMPARE(log.stats().flushedOffset, 15);

    PartitionLog defaults; // flush.messages and flush.ms: never; the page cache decides
    appendBatches(defaults, 2);
    defaults.maybeFlush(INT64_MAX / 2);
    QCOMPARE(defaults.stats().flushedOffset, 0);
    defaults.loseUnflushed();
    QCOMPARE(defaults.logEndOffset(), 0);
}

void TestLogDurability::recoverAfterTornTail()
{
    PartitionLog log;
    appendBatches(log, 3);
    QCOMPARE(log.tearTail(10), 10);
    QCOMPARE(log.recover(), kBatchBytes - 10); // the partial batch is cut
    QCOMPARE(log.logEndOffset(), 20);
    QCOMPARE(log.stats().recordCount, 20);
    QCOMPARE(log.stats().flushedOffset, 20);
    QCOMPARE(log.recover(), 0);
    QCOMPARE(log.appendAsLeader(tenRecords(7), 1, 9).firstOffset, 20);

    // A tear exactly on a batch edge leaves nothing to cut, but the log end still moves back.
    QCOMPARE(log.tearTail(kBatchBytes), kBatchBytes);
    QCOMPARE(log.recover(), 0);
    QCOMPARE(log.logEndOffset(), 20);
    verifyStats(log);
}

void TestLogDurability::recoverAfterCorruption_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("byteInBatch");
    QTest::addColumn<bool>("flushFirst");
    QTest::addColumn<int>("batchesCut");
    QTest::addRow("a record byte") << 1 << 70 << false << 2;
    QTest::addRow("the CRC") << 1 << int(field::Crc) << false << 2;
    QTest::addRow("the base offset (outside the CRC)") << 1 << 0 << false << 2;
    QTest::addRow("the batch length") << 1 << int(field::BatchLength) + 2 << false << 2;
    QTest::addRow("the last batch") << 2 << 70 << false << 1;
    // Kafka checks neither: the epoch lies outside the CRC and has no order to break.
    QTest::addRow("the leader epoch") << 1 << int(field::PartitionLeaderEpoch) + 1 << false << 0;
    // Below the recovery point segments are trusted; consumers see the bad CRC instead.
    QTest::addRow("a flushed batch") << 1 << 70 << true << 0;
}

void TestLogDurability::recoverAfterCorruption()
{
    QFETCH(int, batch);
    QFETCH(int, byteInBatch);
    QFETCH(bool, flushFirst);
    QFETCH(int, batchesCut);
    LogConfig config;
    config.indexIntervalBytes = 1;
    config.segmentBytes = kBatchBytes; // a segment per batch: recovery starts at the flushed one
    PartitionLog log(config);
    appendBatches(log, 3);
    if (flushFirst)
        log.flush(5);
    QVERIFY(log.corruptByteAt(10 * batch + 3, byteInBatch));
    // Reads of a corrupt log stay in bounds and report, whatever the byte was.
    static_cast<void>(log.read(0, INT32_MAX, 30));
    static_cast<void>(log.readRecords(0, 30, 100));
    static_cast<void>(log.offsetForTimestamp(1500));
    QCOMPARE(log.recover(), batchesCut * kBatchBytes);
    QCOMPARE(log.logEndOffset(), 30 - 10 * batchesCut);
    QCOMPARE(log.stats().recordCount, 30 - 10 * batchesCut);
    if (flushFirst)
        QCOMPARE(validateBatch(log.read(10, INT32_MAX, 30).records), BatchError::CorruptCrc);
    verifyStats(log);
    QVERIFY(!log.corruptByteAt(30 - 10 * batchesCut, 0)); // nothing there
    QVERIFY(!log.corruptByteAt(0, int(kBatchBytes))); // past the batch
}

void TestLogDurability::recoverCatchesABaseOffsetMovedBack()
{
    // The base offset lies outside the CRC: recovery checks that offsets follow on instead.
    PartitionLog log;
    QVERIFY(log.appendAsLeader(makeBatch(240, 0), 1, 0).ok());
    QVERIFY(log.appendAsLeader(makeBatch(5, 300), 1, 1).ok());
    const auto secondBatch = static_cast<std::int64_t>(makeBatch(5, 300).size());
    QVERIFY(log.corruptByteAt(240, 7)); // 240 (0xf0) becomes 15: still inside the segment, but going back
    QCOMPARE(log.recover(), secondBatch);
    QCOMPARE(log.logEndOffset(), 240);
    verifyStats(log);
}

void TestLogDurability::randomOperationsKeepTheLogConsistent_data()
{
    QTest::addColumn<int>("seed");
    QTest::addRow("seed 1") << 1;
    QTest::addRow("seed 2") << 2;
    QTest::addRow("seed 3") << 3;
}

void TestLogDurability::randomOperationsKeepTheLogConsistent()
{
    QFETCH(int, seed);
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    auto between = [&rng](std::int64_t low, std::int64_t high) {
        return high <= low ? low : low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
    };
    LogConfig config;
    config.segmentBytes = 4 * kBatchBytes;
    config.indexIntervalBytes = 200;
    config.cleanupCompact = true;
    config.retentionMs = 50000;
    config.deleteRetentionMs = 2000;
    PartitionLog log(config, 0);
    std::int64_t now = 0;
    std::int32_t epoch = 1;
    for (int step = 0; step < 1500; ++step) {
        now += between(0, 50);
        const std::int64_t start = log.logStartOffset();
        const std::int64_t end = log.logEndOffset();
        switch (rng() % 12) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4: {
            BatchBuilder builder;
            for (std::int64_t i = between(1, 8); i > 0; --i) {
                const std::string key = "k" + std::to_string(rng() % 20);
                const std::string value(static_cast<std::size_t>(between(0, 50)), 'v');
                builder.append(now, logtest::asSpan(key), false, logtest::asSpan(value), rng() % 10 == 0);
            }
            epoch += rng() % 7 == 0 ? 1 : 0;
            const AppendInfo info = log.appendAsLeader(builder.build(), epoch, now);
            QVERIFY(info.ok());
            QCOMPARE(info.firstOffset, end);
            break;
        }
        case 5: {
            const std::int64_t offset = between(start - 2, end + 2);
            const ReadInfo read
                = log.read(offset, static_cast<std::int32_t>(between(0, 3000)), between(start, end + 5));
            QCOMPARE(read.offsetOutOfRange, offset < start || offset > end);
            QVERIFY(logtest::baseOffsets(read.records) != std::vector<std::int64_t> { -999 });
            break;
        }
        case 6:
            log.truncateTo(between(start, end));
            break;
        case 7:
            log.applyRetention(now, between(start, end));
            break;
        case 8:
            log.compact(now, between(start, end));
            break;
        case 9: {
            const int byteInBatch = static_cast<int>(between(0, 80));
            const std::int64_t offset = between(start, end - 1);
            if (end > start && log.corruptByteAt(offset, byteInBatch)) {
                // A damaged log is read, cleaned and recovered without leaving its bytes.
                static_cast<void>(log.read(start, INT32_MAX, end));
                static_cast<void>(log.readRecords(start, end, 1000));
                log.compact(now, end);
                verifyStats(log);
                const std::int64_t cut = log.recover();
                // What recovery cannot see (a flushed batch, a field outside the CRC) is handled as
                // an operator would: wipe the replica and let it fetch again from the leader.
                if (cut == 0 || byteInBatch < field::Crc)
                    log.truncateFullyAndStartAt(log.logEndOffset(), now);
            }
            break;
        }
        case 10:
            log.tearTail(between(0, 200));
            log.recover();
            break;
        default:
            if (rng() % 3 == 0)
                log.advanceLogStartOffset(between(start, end));
            else if (rng() % 2 == 0)
                log.flush(now);
            else
                log.loseUnflushed();
            break;
        }
        verifyStats(log);
        verifyStoredBatches(log);
        if (QTest::currentTestFailed())
            return;
        static_cast<void>(log.readRecords(log.logStartOffset(), log.logEndOffset(), 50));
        static_cast<void>(log.offsetForTimestamp(between(0, now)));
    }
    QVERIFY(log.logEndOffset() > 0);
}

QTEST_GUILESS_MAIN(TestLogDurability)
#include "test_logdurability.moc"
