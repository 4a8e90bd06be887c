#include "log/partitionlog.h"
#include "logfixtures.h"

#include <QTest>

#include <climits>

using namespace brokerlab::log;
using logtest::baseOffsets;
using logtest::fixCrc;
using logtest::kBatchBytes;
using logtest::keyedBatch;
using logtest::makeBatch;
using logtest::readBe;
using logtest::segmentBases;
using logtest::tenRecords;
using logtest::verifyStats;

Q_DECLARE_METATYPE(BatchError)

namespace {

void appendBatches(PartitionLog& log, int count, std::int32_t epoch = 1, int firstIndex = 0)
{
    for (int i = firstIndex; i < firstIndex + count; ++i)
        QVERIFY(log.appendAsLeader(tenRecords(i), epoch, 1000 * std::int64_t(i)).ok());
}

} // namespace

class TestPartitionLog : public QObject {
    Q_OBJECT

private slots:
    void leaderAssignsOffsetsAndStampsEpoch();
    void leaderRejects_data();
    void leaderRejects();
    void brokerSideRecompression();
    void readRanges_data();
    void readRanges();
    void offsetOutOfRange_data();
    void offsetOutOfRange();
    void readServesOneSegmentPerFetch();
    void readRecordsAcrossSegments();
    void rollsBySegmentBytes_data();
    void rollsBySegmentBytes();
    void rollsBySegmentMs_data();
    void rollsBySegmentMs();
    void offsetAndTimeIndexSeek();
    void offsetForTimestamp_data();
    void offsetForTimestamp();
    void truncateTo_data();
    void truncateTo();
    void truncateFullyAndStartAt();
    void followerCopiesTheLeaderExactly();
    void followerRejects();
    void readSaysWhenItsBytesNeedNoCrcCheck();
    void epochEndOffsets_data();
    void epochEndOffsets();
    void epochCacheMaintenance();
    void fileImagesUseKafkasNamesAndLayout();
    void memoryStaysCloseToStoredBytes();
};

void TestPartitionLog::leaderAssignsOffsetsAndStampsEpoch()
{
    PartitionLog log;
    for (int i = 0; i < 3; ++i) {
        const AppendInfo info = log.appendAsLeader(makeBatch(5, 100 + i), 4, 10);
        QVERIFY(info.ok());
        QCOMPARE(info.firstOffset, 5 * i);
        QCOMPARE(info.lastOffset, 5 * i + 4);
        QCOMPARE(info.recordCount, 5);
        QCOMPARE(info.maxTimestamp, 104 + i);
        QCOMPARE(info.bytes, std::int32_t(makeBatch(5, 100 + i).size()));
    }
    QCOMPARE(log.logEndOffset(), 15);
    QCOMPARE(log.logStartOffset(), 0);
    const ReadInfo read = log.read(0, INT32_MAX, 15);
    BatchIterator it(read.records); // checks every CRC: stamping did not touch covered bytes
    for (int i = 0; i < 3; ++i) {
        QVERIFY(it.next());
        QCOMPARE(it.header().baseOffset, 5 * i);
        QCOMPARE(it.header().partitionLeaderEpoch, 4);
    }
    QVERIFY(!it.next());
    QCOMPARE(it.error(), BatchError::None);
    QCOMPARE(log.epochCache().entries(), (std::map<std::int32_t, std::int64_t> { { 4, 0 } }));
    QCOMPARE(log.stats().recordCount, 15);
    const auto records = log.readRecords(0, 15, 100);
    QCOMPARE(records.size(), std::size_t(15));
    QCOMPARE(records[7].offset, 7);
    QCOMPARE(*records[7].key, std::string("key-2"));
    verifyStats(log);
}

void TestPartitionLog::leaderRejects_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<BatchError>("error");
    QTest::addColumn<bool>("tooLarge");
    QTest::addColumn<bool>("invalidRecord");
    QTest::addRow("corrupt CRC") << QStringLiteral("crc") << BatchError::CorruptCrc << false << false;
    QTest::addRow("truncated") << QStringLiteral("cut") << BatchError::Truncated << false << false;
    QTest::addRow("old magic") << QStringLiteral("magic") << BatchError::BadMagic << false << false;
    QTest::addRow("two batches in one append") << QStringLiteral("two") << BatchError::CorruptRecords << false << false;
    QTest::addRow("no records") << QStringLiteral("empty") << BatchError::CorruptRecords << false << false;
    QTest::addRow("count disagrees with offsets")
        << QStringLiteral("count") << BatchError::CorruptRecords << false << false;
    QTest::addRow("bad record, good CRC") << QStringLiteral("record") << BatchError::CorruptRecords << false << false;
    QTest::addRow("zstd") << QStringLiteral("zstd") << BatchError::UnsupportedCompression << false << false;
    QTest::addRow("over max.message.bytes") << QStringLiteral("large") << BatchError::None << true << false;
    QTest::addRow("null key, compacted topic")
        << QStringLiteral("nullkey-compact") << BatchError::None << false << true;
}

void TestPartitionLog::leaderRejects()
{
    QFETCH(QString, kind);
    QFETCH(BatchError, error);
    QFETCH(bool, tooLarge);
    QFETCH(bool, invalidRecord);
    LogConfig config;
    config.maxMessageBytes = 4096;
    config.cleanupCompact = kind == QStringLiteral("nullkey-compact");
    PartitionLog log(config);
    QVERIFY(log.appendAsLeader(makeBatch(10, 0), 1, 0).ok());
    const LogStats before = log.stats();

    Bytes batch = makeBatch(3, 50);
    if (kind == QStringLiteral("crc")) {
        batch[70] ^= 0x01;
    } else if (kind == QStringLiteral("cut")) {
        batch.pop_back();
    } else if (kind == QStringLiteral("magic")) {
        batch[field::Magic] = 1;
    } else if (kind == QStringLiteral("two")) {
        const Bytes second = makeBatch(2, 60);
        batch.insert(batch.end(), second.begin(), second.end());
    } else if (kind == QStringLiteral("empty")) {
        batch = BatchBuilder().build();
    } else if (kind == QStringLiteral("count")) {
        batch[field::RecordCount + 3] = 2;
        fixCrc(batch);
    } else if (kind == QStringLiteral("record")) {
        batch[field::Records] = 0x01; // first record's length: -1
        fixCrc(batch);
    } else if (kind == QStringLiteral("zstd")) {
        batch[field::Attributes + 1] = static_cast<std::uint8_t>(Compression::Zstd);
        fixCrc(batch);
    } else if (kind == QStringLiteral("large")) {
        batch = makeBatch(3, 50, "key-", 2000);
    } else if (kind == QStringLiteral("nullkey-compact")) {
        batch = keyedBatch({ { "k", "v" }, { nullptr, "no key" } }, 50);
    }
    const AppendInfo info = log.appendAsLeader(batch, 1, 5);
    QVERIFY(!info.ok());
    QCOMPARE(info.error, error);
    QCOMPARE(info.tooLarge, tooLarge);
    QCOMPARE(info.invalidRecord, invalidRecord);
    QCOMPARE(info.firstOffset, -1);
    // Nothing of a refused batch is kept, and the next good batch follows on.
    QCOMPARE(log.stats().logEndOffset, before.logEndOffset);
    QCOMPARE(log.stats().sizeInBytes, before.sizeInBytes);
    QCOMPARE(log.stats().recordCount, before.recordCount);
    QCOMPARE(log.appendAsLeader(makeBatch(2, 70), 1, 6).firstOffset, 10);
    verifyStats(log);
}

void TestPartitionLog::brokerSideRecompression()
{
    LogConfig config;
    config.compressionIsProducer = false;
    config.compression = Compression::Gzip;
    PartitionLog log(config);
    const Bytes plain = makeBatch(50, 7, "key-", 200);
    const AppendInfo info = log.appendAsLeader(plain, 2, 0);
    QVERIFY(info.ok());
    QVERIFY(info.bytes < std::int32_t(plain.size()));
    const ReadInfo read = log.read(0, INT32_MAX, 50);
    BatchHeader header;
    QCOMPARE(validateBatch(read.records, &header), BatchError::None);
    QCOMPARE(header.compression(), Compression::Gzip);
    QCOMPARE(header.partitionLeaderEpoch, 2);
    std::vector<Record> expected;
    QCOMPARE(decodeRecords(plain, expected), BatchError::None);
    QCOMPARE(log.readRecords(0, 50, 100), expected);

    config.compression = Compression::Snappy; // we cannot write snappy: refuse rather than lie
    log.setConfig(config);
    QCOMPARE(log.appendAsLeader(plain, 2, 0).error, BatchError::UnsupportedCompression);
    QCOMPARE(log.logEndOffset(), 50);
}

void TestPartitionLog::readRanges_data()
{
    QTest::addColumn<qint64>("fetchOffset");
    QTest::addColumn<double>("maxBatches"); // maxBytes in batch sizes
    QTest::addColumn<qint64>("maxOffset");
    QTest::addColumn<QList<qint64>>("bases");
    const QList<qint64> all { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90 };
    QTest::addRow("whole log") << qint64(0) << 100.0 << qint64(100) << all;
    QTest::addRow("from inside a batch") << qint64(15) << 100.0 << qint64(100) << all.mid(1);
    QTest::addRow("maxBytes below one batch") << qint64(0) << 0.1 << qint64(100) << QList<qint64> { 0 };
    QTest::addRow("maxBytes zero") << qint64(42) << 0.0 << qint64(100) << QList<qint64> { 40 };
    QTest::addRow("two and a half batches") << qint64(0) << 2.5 << qint64(100) << QList<qint64> { 0, 10 };
    QTest::addRow("exactly three batches") << qint64(0) << 3.0 << qint64(100) << QList<qint64> { 0, 10, 20 };
    QTest::addRow("high watermark at a batch edge") << qint64(0) << 100.0 << qint64(30) << all.mid(0, 3);
    QTest::addRow("high watermark inside a batch") << qint64(0) << 100.0 << qint64(25) << all.mid(0, 3);
    QTest::addRow("fetch at the high watermark") << qint64(30) << 100.0 << qint64(30) << QList<qint64> {};
    QTest::addRow("fetch at the log end") << qint64(100) << 100.0 << qint64(100) << QList<qint64> {};
    QTest::addRow("last record") << qint64(99) << 100.0 << qint64(100) << QList<qint64> { 90 };
}

void TestPartitionLog::readRanges()
{
    QFETCH(qint64, fetchOffset);
    QFETCH(double, maxBatches);
    QFETCH(qint64, maxOffset);
    QFETCH(QList<qint64>, bases);
    LogConfig config;
    config.indexIntervalBytes = 100; // index entries get exercised too
    PartitionLog log(config);
    appendBatches(log, 10);
    const ReadInfo info = log.read(fetchOffset, static_cast<std::int32_t>(maxBatches * double(kBatchBytes)), maxOffset);
    QVERIFY(!info.offsetOutOfRange);
    const auto got = baseOffsets(info.records);
    QCOMPARE(QList<qint64>(got.begin(), got.end()), bases);
    QCOMPARE(info.firstBatchBaseOffset, bases.isEmpty() ? -1 : bases.front());
    QCOMPARE(std::int64_t(info.records.size()), kBatchBytes * bases.size());
}

void TestPartitionLog::offsetOutOfRange_data()
{
    QTest::addColumn<qint64>("fetchOffset");
    QTest::addColumn<bool>("outOfRange");
    QTest::addRow("negative") << qint64(-1) << true;
    QTest::addRow("below the log start") << qint64(24) << true;
    QTest::addRow("at the log start") << qint64(25) << false;
    QTest::addRow("at the log end") << qint64(50) << false;
    QTest::addRow("past the log end") << qint64(51) << true;
}

void TestPartitionLog::offsetOutOfRange()
{
    QFETCH(qint64, fetchOffset);
    QFETCH(bool, outOfRange);
    PartitionLog log;
    appendBatches(log, 5);
    log.advanceLogStartOffset(25);
    const ReadInfo info = log.read(fetchOffset, 1 << 20, 50);
    QCOMPARE(info.offsetOutOfRange, outOfRange);
    if (outOfRange)
        QVERIFY(info.records.empty());
    if (fetchOffset == 25)
        QCOMPARE(info.firstBatchBaseOffset, 20); // the batch holding the log start is served whole
}

void TestPartitionLog::readServesOneSegmentPerFetch()
{
    LogConfig config;
    config.segmentBytes = 3 * kBatchBytes;
    PartitionLog log(config);
    appendBatches(log, 7);
    QCOMPARE(segmentBases(log), (std::vector<std::int64_t> { 0, 30, 60 }));
    // LocalLog.read: one segment per fetch, however large maxBytes is.
    QCOMPARE(baseOffsets(log.read(5, INT32_MAX, 70).records), (std::vector<std::int64_t> { 0, 10, 20 }));
    QCOMPARE(baseOffsets(log.read(30, INT32_MAX, 70).records), (std::vector<std::int64_t> { 30, 40, 50 }));
    QCOMPARE(baseOffsets(log.read(65, INT32_MAX, 70).records), (std::vector<std::int64_t> { 60 }));
}

void TestPartitionLog::readRecordsAcrossSegments()
{
    LogConfig config;
    config.segmentBytes = 3 * kBatchBytes;
    PartitionLog log(config);
    appendBatches(log, 7);
    auto offsets = [](const std::vector<Record>& records) {
        std::vector<std::int64_t> out;
        for (const Record& record : records)
            out.push_back(record.offset);
        return out;
    };
    const auto middle = log.readRecords(15, 65, 1000);
    QCOMPARE(middle.size(), std::size_t(50));
    QCOMPARE(middle.front().offset, 15);
    QCOMPARE(middle.back().offset, 64);
    QCOMPARE(middle[20].timestamp, 3005); // offset 35: batch 3, record 5
    QCOMPARE(offsets(log.readRecords(15, 65, 3)), (std::vector<std::int64_t> { 15, 16, 17 }));
    QCOMPARE(log.readRecords(60, 1000, 1000).size(), std::size_t(10)); // clipped at the log end
    log.advanceLogStartOffset(12);
    QCOMPARE(log.readRecords(0, 14, 1000).size(), std::size_t(2)); // clipped at the log start
    QVERIFY(log.readRecords(20, 20, 1000).empty());
}

void TestPartitionLog::rollsBySegmentBytes_data()
{
    QTest::addColumn<qint64>("segmentBytes");
    QTest::addColumn<QList<qint64>>("bases");
    QTest::addRow("three batches fit exactly") << 3 * kBatchBytes << QList<qint64> { 0, 30, 60 };
    QTest::addRow("one byte short of three") << 3 * kBatchBytes - 1 << QList<qint64> { 0, 20, 40, 60 };
    QTest::addRow("smaller than a batch") << qint64(10) << QList<qint64> { 0, 10, 20, 30, 40, 50, 60 };
    QTest::addRow("default 1 GiB") << qint64(1073741824) << QList<qint64> { 0 };
}

void TestPartitionLog::rollsBySegmentBytes()
{
    QFETCH(qint64, segmentBytes);
    QFETCH(QList<qint64>, bases);
    LogConfig config;
    config.segmentBytes = segmentBytes;
    config.maxMessageBytes = 1 << 20;
    PartitionLog log(config);
    // A batch larger than segment.bytes is refused, as Kafka's RecordBatchTooLargeException.
    if (segmentBytes < kBatchBytes) {
        QVERIFY(log.appendAsLeader(tenRecords(0), 1, 0).tooLarge);
        config.segmentBytes = kBatchBytes;
        log.setConfig(config);
    }
    appendBatches(log, 7);
    const auto got = segmentBases(log);
    QCOMPARE(QList<qint64>(got.begin(), got.end()), bases);
    for (const auto& segment : log.segments())
        QVERIFY(segment->sizeInBytes() <= std::max<std::int64_t>(segmentBytes, kBatchBytes));
    verifyStats(log);
}

void TestPartitionLog::rollsBySegmentMs_data()
{
    QTest::addColumn<qint64>("secondAppendAt");
    QTest::addColumn<qint64>("secondTimestamp");
    QTest::addColumn<int>("segments");
    QTest::addRow("exactly segment.ms later") << qint64(1000) << qint64(1000) << 1;
    QTest::addRow("one ms past segment.ms") << qint64(1001) << qint64(1001) << 2;
    // Kafka measures from the first batch's timestamp, not the clock, when records carry one.
    QTest::addRow("clock late, timestamps close") << qint64(50000) << qint64(900) << 1;
    QTest::addRow("clock close, timestamps late") << qint64(10) << qint64(5000) << 2;
}

void TestPartitionLog::rollsBySegmentMs()
{
    QFETCH(qint64, secondAppendAt);
    QFETCH(qint64, secondTimestamp);
    QFETCH(int, segments);
    LogConfig config;
    config.segmentMs = 1000;
    PartitionLog log(config, 0);
    // An empty segment never rolls by time, however old it is.
    QVERIFY(log.appendAsLeader(makeBatch(1, 0), 1, 0).ok());
    QCOMPARE(log.segments().size(), std::size_t(1));
    QVERIFY(log.appendAsLeader(makeBatch(1, secondTimestamp), 1, secondAppendAt).ok());
    QCOMPARE(int(log.segments().size()), segments);
    if (segments == 2) {
        QCOMPARE(log.segments().back()->baseOffset(), 1);
        QCOMPARE(log.segments().back()->createdMs(), secondAppendAt);
    }

    PartitionLog idle(config, 0);
    QVERIFY(idle.appendAsLeader(makeBatch(1, 1000000), 1, 1000000).ok());
    QCOMPARE(idle.segments().size(), std::size_t(1));
}

void TestPartitionLog::offsetAndTimeIndexSeek()
{
    LogConfig config;
    config.indexIntervalBytes = static_cast<std::int32_t>(kBatchBytes);
    PartitionLog log(config);
    appendBatches(log, 10);
    const Segment& segment = *log.segments().front();
    // LogSegment.append: an entry once more than index.interval.bytes went by, mapping the batch's
    // last offset to its position: here every second batch from the third on.
    const auto S = static_cast<std::int32_t>(kBatchBytes);
    QCOMPARE(segment.offsetIndex(),
        (std::vector<OffsetIndexEntry> { { 29, 2 * S }, { 49, 4 * S }, { 69, 6 * S }, { 89, 8 * S } }));
    QCOMPARE(
        segment.timeIndex(), (std::vector<TimeIndexEntry> { { 2009, 29 }, { 4009, 49 }, { 6009, 69 }, { 8009, 89 } }));
    QCOMPARE(segment.lookupPosition(35), 2 * S);
    QCOMPARE(segment.lookupPosition(28), 0);
    QCOMPARE(segment.lookupTimestamp(4500), 49);
    QCOMPARE(segment.lookupTimestamp(10), 0);
    for (std::int64_t offset = 0; offset < 100; ++offset)
        QCOMPARE(*segment.translateOffset(offset), (offset / 10) * S);
    QVERIFY(!segment.translateOffset(100));

    // Rolling closes the segment with a last time index entry for its largest timestamp.
    config.segmentBytes = 10 * kBatchBytes;
    log.setConfig(config);
    appendBatches(log, 1, 1, 10);
    QCOMPARE(log.segments().size(), std::size_t(2));
    QCOMPARE(log.segments().front()->timeIndex().back(), (TimeIndexEntry { 9009, 99 }));
}

void TestPartitionLog::offsetForTimestamp_data()
{
    QTest::addColumn<qint64>("target");
    QTest::addColumn<qint64>("expected"); // -100: none
    QTest::addRow("before everything") << qint64(0) << qint64(0);
    QTest::addRow("first record of a batch") << qint64(3000) << qint64(30);
    QTest::addRow("inside a batch") << qint64(3005) << qint64(35);
    QTest::addRow("between batches") << qint64(3010) << qint64(40);
    QTest::addRow("last record") << qint64(9009) << qint64(99);
    QTest::addRow("after everything") << qint64(9010) << qint64(-100);
    QTest::addRow("EARLIEST (-2)") << qint64(-2) << qint64(0);
    QTest::addRow("LATEST (-1)") << qint64(-1) << qint64(100);
}

void TestPartitionLog::offsetForTimestamp()
{
    QFETCH(qint64, target);
    QFETCH(qint64, expected);
    // The same answer from one segment, from many small segments with dense indexes, and from gzip.
    for (int layout = 0; layout < 3; ++layout) {
        LogConfig config;
        if (layout == 1) {
            config.segmentBytes = 3 * kBatchBytes;
            config.indexIntervalBytes = 1;
        }
        PartitionLog log(config);
        for (int i = 0; i < 10; ++i) {
            const Bytes batch
                = makeBatch(10, 1000 * i, "key-", 16, layout == 2 ? Compression::Gzip : Compression::None);
            QVERIFY(log.appendAsLeader(batch, 1, 1000 * i).ok());
        }
        const auto offset = log.offsetForTimestamp(target);
        QCOMPARE(offset.value_or(-100), expected);
    }
}

void TestPartitionLog::truncateTo_data()
{
    QTest::addColumn<qint64>("target");
    QTest::addColumn<qint64>("logEnd");
    QTest::addColumn<int>("segments");
    QTest::addColumn<int>("epochEntries");
    QTest::addRow("at the log end: nothing") << qint64(50) << qint64(50) << 3 << 3;
    QTest::addRow("at a batch edge") << qint64(30) << qint64(30) << 2 << 2;
    QTest::addRow("inside a batch: the batch goes whole") << qint64(35) << qint64(30) << 2 << 2;
    QTest::addRow("at a segment base") << qint64(20) << qint64(20) << 2 << 1;
    QTest::addRow("inside the first batch") << qint64(5) << qint64(0) << 1 << 0;
    QTest::addRow("to zero") << qint64(0) << qint64(0) << 1 << 0;
}

void TestPartitionLog::truncateTo()
{
    QFETCH(qint64, target);
    QFETCH(qint64, logEnd);
    QFETCH(int, segments);
    QFETCH(int, epochEntries);
    LogConfig config;
    config.segmentBytes = 2 * kBatchBytes;
    PartitionLog log(config);
    const std::int32_t epochs[] = { 1, 1, 2, 2, 3 };
    for (int i = 0; i < 5; ++i) {
        QVERIFY(log.appendAsLeader(tenRecords(i), epochs[i], i).ok());
        if (i == 2)
            log.flush(i);
    }
    QCOMPARE(log.epochCache().entries().size(), std::size_t(3));
    log.truncateTo(target);
    QCOMPARE(log.logEndOffset(), logEnd);
    QCOMPARE(int(log.segments().size()), segments);
    QCOMPARE(int(log.epochCache().entries().size()), epochEntries);
    QCOMPARE(log.stats().recordCount, logEnd);
    QCOMPARE(log.stats().flushedOffset, std::min<qint64>(30, logEnd));
    QCOMPARE(log.read(logEnd, INT32_MAX, INT64_MAX).records.size(), std::size_t(0));
    QVERIFY(log.read(logEnd + 1, INT32_MAX, INT64_MAX).offsetOutOfRange);
    verifyStats(log);
    // The log goes on from its new end.
    QCOMPARE(log.appendAsLeader(tenRecords(9), 4, 10).firstOffset, logEnd);
    QCOMPARE(log.epochCache().entries().rbegin()->second, logEnd);
}

void TestPartitionLog::truncateFullyAndStartAt()
{
    PartitionLog log;
    appendBatches(log, 3);
    log.truncateFullyAndStartAt(1000, 77);
    QCOMPARE(log.logStartOffset(), 1000);
    QCOMPARE(log.logEndOffset(), 1000);
    QCOMPARE(log.segments().size(), std::size_t(1));
    QCOMPARE(log.segments().front()->baseOffset(), 1000);
    QCOMPARE(log.segments().front()->createdMs(), 77);
    QVERIFY(log.epochCache().entries().empty());
    QCOMPARE(log.stats().recordCount, 0);
    QVERIFY(log.read(999, 100, INT64_MAX).offsetOutOfRange);
    QCOMPARE(log.appendAsLeader(tenRecords(0), 5, 80).firstOffset, 1000);
    QCOMPARE(log.readRecords(1000, 1010, 100).front().offset, 1000);
}

void TestPartitionLog::followerCopiesTheLeaderExactly()
{
    LogConfig config;
    config.segmentBytes = 3 * kBatchBytes;
    config.indexIntervalBytes = 1;
    PartitionLog leader(config);
    for (int i = 0; i < 8; ++i)
        QVERIFY(leader.appendAsLeader(tenRecords(i), i < 4 ? 1 : 2, i).ok());
    PartitionLog follower(config);
    int fetches = 0;
    while (follower.logEndOffset() < leader.logEndOffset()) {
        const ReadInfo fetched
            = leader.read(follower.logEndOffset(), static_cast<std::int32_t>(2 * kBatchBytes), leader.logEndOffset());
        const AppendInfo info = follower.appendAsFollower(fetched.records, fetches);
        QVERIFY(info.ok());
        QCOMPARE(info.firstOffset, fetched.firstBatchBaseOffset);
        ++fetches;
    }
    QCOMPARE(fetches, 5); // two batches per fetch, never across a segment boundary
    QCOMPARE(follower.epochCache().entries(), leader.epochCache().entries());
    const auto leaderFiles = leader.fileImages();
    const auto followerFiles = follower.fileImages();
    QCOMPARE(followerFiles.size(), leaderFiles.size());
    for (std::size_t i = 0; i < leaderFiles.size(); ++i) {
        QCOMPARE(followerFiles[i].name, leaderFiles[i].name);
        QCOMPARE(followerFiles[i].bytes, leaderFiles[i].bytes);
    }
    verifyStats(follower);
}

void TestPartitionLog::followerRejects()
{
    PartitionLog leader;
    appendBatches(leader, 4);
    PartitionLog follower;
    QVERIFY(follower.appendAsFollower(leader.read(0, static_cast<std::int32_t>(kBatchBytes), 40).records, 0).ok());
    QCOMPARE(follower.logEndOffset(), 10);

    // Below the log end: Kafka's UnexpectedAppendOffsetException.
    AppendInfo info = follower.appendAsFollower(leader.read(0, INT32_MAX, 40).records, 1);
    QVERIFY(info.unexpectedOffset);
    QVERIFY(!info.ok());
    QCOMPARE(follower.logEndOffset(), 10);

    // A corrupt batch anywhere refuses the whole fetch: nothing of it is appended.
    Bytes fetched = leader.read(10, INT32_MAX, 40).records.toBytes();
    fetched[2 * kBatchBytes + 70] ^= 0x10;
    info = follower.appendAsFollower(fetched, 2);
    QCOMPARE(info.error, BatchError::CorruptCrc);
    QCOMPARE(follower.logEndOffset(), 10);
    fetched = leader.read(10, INT32_MAX, 40).records.toBytes();
    fetched.pop_back();
    QCOMPARE(follower.appendAsFollower(fetched, 3).error, BatchError::Truncated);
    QCOMPARE(follower.logEndOffset(), 10);

    // A gap above the log end is how a compacted leader's log looks: accepted.
    Bytes gapped = tenRecords(5);
    stampBatch(gapped, 25, 3);
    info = follower.appendAsFollower(gapped, 4);
    QVERIFY(info.ok());
    QCOMPARE(info.firstOffset, 25);
    QCOMPARE(follower.logEndOffset(), 35);
    QCOMPARE(follower.epochCache().latestEpoch().value_or(-1), 3);
    QCOMPARE(baseOffsets(follower.read(12, INT32_MAX, 35).records), (std::vector<std::int64_t> { 25 }));
    verifyStats(follower);
}

void TestPartitionLog::readSaysWhenItsBytesNeedNoCrcCheck()
{
    // Every stored batch passed a CRC check on the way in: a follower may skip checking them again.
    PartitionLog leader;
    appendBatches(leader, 2);
    QVERIFY(leader.read(0, INT32_MAX, 20).crcVerified);
    // A byte corrupted in place (the corrupt fault): from now on every read says so, and a follower
    // that checks (as it then must) refuses the corrupt batch.
    QVERIFY(leader.corruptByteAt(10, 70));
    const ReadInfo read = leader.read(0, INT32_MAX, 20);
    QVERIFY(!read.crcVerified);
    PartitionLog follower;
    QCOMPARE(follower.appendAsFollower(read.records, 0, !read.crcVerified).error, BatchError::CorruptCrc);
    QCOMPARE(follower.logEndOffset(), 0);
    QVERIFY(!leader.read(0, INT32_MAX, 10).crcVerified);
}

void TestPartitionLog::epochEndOffsets_data()
{
    QTest::addColumn<int>("epoch");
    QTest::addColumn<int>("answerEpoch");
    QTest::addColumn<qint64>("endOffset");
    QTest::addRow("latest epoch: the log end") << 5 << 5 << qint64(60);
    QTest::addRow("middle epoch") << 2 << 2 << qint64(40);
    QTest::addRow("first epoch") << 1 << 1 << qint64(20);
    QTest::addRow("unknown epoch between") << 3 << 2 << qint64(40);
    QTest::addRow("older than all") << 0 << 0 << qint64(0);
    QTest::addRow("newer than all") << 6 << -1 << qint64(-1);
    QTest::addRow("undefined") << -1 << -1 << qint64(-1);
}

void TestPartitionLog::epochEndOffsets()
{
    QFETCH(int, epoch);
    QFETCH(int, answerEpoch);
    QFETCH(qint64, endOffset);
    PartitionLog log;
    const std::int32_t epochs[] = { 1, 1, 2, 2, 5, 5 };
    for (int i = 0; i < 6; ++i)
        QVERIFY(log.appendAsLeader(tenRecords(i), epochs[i], i).ok());
    const auto answer = log.epochCache().endOffsetFor(epoch, log.logEndOffset());
    QCOMPARE(answer.first, answerEpoch);
    QCOMPARE(answer.second, endOffset);
}

void TestPartitionLog::epochCacheMaintenance()
{
    using Entries = std::map<std::int32_t, std::int64_t>;
    LeaderEpochCache cache;
    QCOMPARE(cache.endOffsetFor(1, 10), (std::pair<std::int32_t, std::int64_t> { -1, -1 }));
    QVERIFY(!cache.latestEpoch());
    cache.assign(1, 0);
    cache.assign(2, 20);
    cache.assign(5, 40);
    cache.assign(5, 45); // the latest epoch again: ignored
    cache.assign(-1, 50); // no epoch: ignored
    QCOMPARE(cache.entries(), (Entries { { 1, 0 }, { 2, 20 }, { 5, 40 } }));
    cache.assign(3, 30); // breaks monotonicity: replaces what it contradicts, as Kafka does
    QCOMPARE(cache.entries(), (Entries { { 1, 0 }, { 2, 20 }, { 3, 30 } }));
    QCOMPARE(cache.latestEpoch().value_or(-1), 3);
    LeaderEpochCache fromStart = cache;
    fromStart.truncateFromStart(25);
    QCOMPARE(fromStart.entries(), (Entries { { 2, 25 }, { 3, 30 } }));
    cache.truncateFromEnd(20);
    QCOMPARE(cache.entries(), (Entries { { 1, 0 } }));
}

void TestPartitionLog::fileImagesUseKafkasNamesAndLayout()
{
    LogConfig config;
    config.segmentBytes = 3 * kBatchBytes;
    config.indexIntervalBytes = static_cast<std::int32_t>(kBatchBytes);
    PartitionLog log(config);
    appendBatches(log, 5, 7);
    const auto files = log.fileImages();
    std::vector<std::string> names;
    for (const auto& file : files)
        names.push_back(file.name);
    QCOMPARE(names,
        (std::vector<std::string> { "00000000000000000000.log", "00000000000000000000.index",
            "00000000000000000000.timeindex", "00000000000000000030.log", "00000000000000000030.index",
            "00000000000000000030.timeindex", "leader-epoch-checkpoint" }));
    QCOMPARE(files[0].bytes, log.read(0, INT32_MAX, 50).records.toBytes()); // the .log file is the batches
    // One 8-byte big-endian entry: relative offset 29 at position 2 batches in.
    Bytes index { 0, 0, 0, 29 };
    for (int shift = 24; shift >= 0; shift -= 8)
        index.push_back(static_cast<std::uint8_t>((2 * kBatchBytes) >> shift));
    QCOMPARE(files[1].bytes, index);
    // One 12-byte entry: timestamp 2009 (i64), relative offset 29 (i32).
    QCOMPARE(files[2].bytes, (Bytes { 0, 0, 0, 0, 0, 0, 0x07, 0xd9, 0, 0, 0, 29 }));
    QCOMPARE(files[3].bytes.size(), std::size_t(2 * kBatchBytes));
    QCOMPARE(readBe(files[3].bytes, 0, 8), 30);
    QVERIFY(files[4].bytes.empty());
    QVERIFY(files[5].bytes.empty());
    const std::string checkpoint(files[6].bytes.begin(), files[6].bytes.end());
    QCOMPARE(checkpoint, std::string("0\n1\n7 0\n"));
    // Names and sizes alone (the run report's log directory listing) match the files, copy nothing.
    const auto listed = log.fileImages(false);
    QCOMPARE(listed.size(), files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        QCOMPARE(listed[i].name, files[i].name);
        QCOMPARE(listed[i].size, static_cast<std::int64_t>(files[i].bytes.size()));
        QCOMPARE(files[i].size, listed[i].size);
        QVERIFY(listed[i].bytes.empty());
    }
}

void TestPartitionLog::memoryStaysCloseToStoredBytes()
{
    // A tiny log holds a tiny amount, whatever segment.bytes says (1 GiB by default).
    PartitionLog tiny;
    appendBatches(tiny, 1);
    QVERIFY(tiny.stats().allocatedBytes < 64 * 1024);

    // Producer-sized batches (batch.size 16 KiB, 100-byte values) up to 48 MiB, one segment.
    Bytes batch = makeBatch(1, 0, "key-", 100);
    BatchBuilder::Options options;
    BatchBuilder builder(options);
    const std::string value(100, 'x');
    for (int i = 0; builder.hasRoomFor(i, logtest::asSpan("key"), false, logtest::asSpan(value), false); ++i)
        builder.append(i, logtest::asSpan("key"), false, logtest::asSpan(value), false);
    batch = builder.build();
    LogConfig config;
    PartitionLog big(config);
    while (big.stats().sizeInBytes < (48 << 20))
        QVERIFY(big.appendAsLeader(batch, 1, 0).ok());
    LogStats stats = big.stats();
    QVERIFY2(double(stats.allocatedBytes) <= 1.3 * double(stats.sizeInBytes),
        qPrintable(QStringLiteral("%1 allocated for %2 stored").arg(stats.allocatedBytes).arg(stats.sizeInBytes)));

    // Rolled segments give back their slack; retention gives back whole segments.
    config.segmentBytes = (1 << 20) + 12345;
    PartitionLog rolled(config);
    while (rolled.stats().sizeInBytes < (16 << 20))
        QVERIFY(rolled.appendAsLeader(batch, 1, 0).ok());
    stats = rolled.stats();
    QVERIFY(stats.segmentCount > 10);
    QVERIFY(double(stats.allocatedBytes) <= 1.3 * double(stats.sizeInBytes));
    config.retentionBytes = 4 << 20;
    rolled.setConfig(config);
    QVERIFY(rolled.applyRetention(0, rolled.logEndOffset()) > 5);
    QVERIFY(rolled.stats().allocatedBytes <= 1.3 * double(rolled.stats().sizeInBytes));
    QVERIFY(rolled.stats().allocatedBytes < stats.allocatedBytes / 2);

    // A batch larger than a chunk gets a chunk of its own size, and reads back whole.
    config = LogConfig {};
    config.maxMessageBytes = 8 << 20;
    PartitionLog large(config);
    appendBatches(large, 1);
    const std::int64_t before = large.stats().allocatedBytes;
    const Bytes huge = makeBatch(3, 5, "key-", 1 << 20);
    QVERIFY(large.appendAsLeader(huge, 1, 1).ok());
    QVERIFY(large.stats().allocatedBytes - before < std::int64_t(huge.size()) + 4096);
    const ReadInfo read = large.read(10, 1, 13);
    QCOMPARE(read.records.size(), huge.size());
    QCOMPARE(validateBatch(read.records), BatchError::None);
    appendBatches(large, 1, 1, 1);
    QCOMPARE(large.readRecords(13, 23, 100).size(), std::size_t(10));
    verifyStats(large);
}

QTEST_GUILESS_MAIN(TestPartitionLog)
#include "test_partitionlog.moc"
