#include "log/compression.h"
#include "log/crc32c.h"
#include "log/recordbatch.h"
#include "logtestutil.h"

#include <QTest>

#include <climits>
#include <random>

using namespace brokerlab::log;
using logtest::asSpan;
using logtest::hex;
using logtest::loadWireVector;
using logtest::readBe;

Q_DECLARE_METATYPE(BatchError)

namespace {

// A batch around hand-written record bytes, with a correct CRC, to aim at one decoder check.
Bytes assembleBatch(const Bytes& records, std::int32_t count, std::int16_t attributes = 0)
{
    BatchBuilder builder;
    Bytes batch = builder.build(); // a valid empty header to patch
    batch.insert(batch.end(), records.begin(), records.end());
    auto put = [&](std::size_t at, std::uint64_t value, int width) {
        for (int i = width - 1; i >= 0; --i, value >>= 8)
            batch[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value);
    };
    put(field::BatchLength, batch.size() - kBatchOverheadBeforeLength, 4);
    put(field::Attributes, static_cast<std::uint16_t>(attributes), 2);
    put(field::LastOffsetDelta, static_cast<std::uint32_t>(count - 1), 4);
    put(field::RecordCount, static_cast<std::uint32_t>(count), 4);
    put(field::Crc, crc32c(std::span(batch).subspan(field::Attributes)), 4);
    return batch;
}

} // namespace

class TestRecordBatch : public QObject {
    Q_OBJECT

private slots:
    void builtBatchLayoutFieldByField();
    void roundTrips_data();
    void roundTrips();
    void gzipIsFramedLikeJava();
    void hasRoomForMirrorsKafka();
    void lastSequence_data();
    void lastSequence();
    void stampKeepsCrcValid();
    void explicitOffsetDeltasAndLastOffsetOverride();
    void emptyBuilderWritesRecordlessBatch();
    void headerDamage_data();
    void headerDamage();
    void recordDamage_data();
    void recordDamage();
    void decompressionIsBounded();
    void randomDamageNeverCrashes();
    void iteratorStopsAtPartialBatch();
};

void TestRecordBatch::builtBatchLayoutFieldByField()
{
    BatchBuilder::Options options;
    options.producerId = 1234;
    options.producerEpoch = 5;
    options.baseSequence = 42;
    options.transactional = true;
    BatchBuilder builder(options);
    const std::vector<RecordHeader> headers { { "h", std::string("x") } };
    builder.append(1000, asSpan("k1"), false, asSpan("v1"), false, headers);
    builder.append(1005, {}, true, asSpan("vv"), false);
    const Bytes batch = builder.build();

    const Bytes records = hex("1c000000046b310476310202680278" // 14-byte body: key k1, value v1, header h=x
                              "10000a020104767600"); // 8-byte body: tsDelta 5, offsetDelta 1, null key
    QCOMPARE(batch.size(), std::size_t(61 + 24));
    QCOMPARE(readBe(batch, field::BaseOffset, 8), 0);
    QCOMPARE(readBe(batch, field::BatchLength, 4), std::int64_t(batch.size()) - 12);
    QCOMPARE(readBe(batch, field::PartitionLeaderEpoch, 4), -1);
    QCOMPARE(readBe(batch, field::Magic, 1), 2);
    QCOMPARE(std::uint32_t(readBe(batch, field::Crc, 4)), crc32c(std::span(batch).subspan(21)));
    QCOMPARE(readBe(batch, field::Attributes, 2), 0x10); // transactional, no codec, CreateTime
    QCOMPARE(readBe(batch, field::LastOffsetDelta, 4), 1);
    QCOMPARE(readBe(batch, field::BaseTimestamp, 8), 1000);
    QCOMPARE(readBe(batch, field::MaxTimestamp, 8), 1005);
    QCOMPARE(readBe(batch, field::ProducerId, 8), 1234);
    QCOMPARE(readBe(batch, field::ProducerEpoch, 2), 5);
    QCOMPARE(readBe(batch, field::BaseSequence, 4), 42);
    QCOMPARE(readBe(batch, field::RecordCount, 4), 2);
    QCOMPARE(Bytes(batch.begin() + field::Records, batch.end()), records);
    QCOMPARE(builder.estimatedSizeInBytes(), batch.size());

    BatchHeader header;
    QCOMPARE(validateBatch(batch, &header), BatchError::None);
    QCOMPARE(header.lastSequence(), 43);
    QVERIFY(header.isTransactional());
    QVERIFY(!header.isControl());
}

void TestRecordBatch::roundTrips_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("nullKeys");
    QTest::addColumn<bool>("nullValues");
    QTest::addColumn<int>("headerCount");
    QTest::addColumn<int>("codec");
    QTest::addColumn<int>("valueSize");
    QTest::addColumn<int>("timestampStep");
    QTest::addRow("plain") << 10 << false << false << 0 << 0 << 100 << 1;
    QTest::addRow("null keys") << 5 << true << false << 0 << 0 << 10 << 1;
    QTest::addRow("tombstones") << 5 << false << true << 0 << 0 << 0 << 1;
    QTest::addRow("null key and value") << 3 << true << true << 0 << 0 << 0 << 0;
    QTest::addRow("headers, some null") << 4 << false << false << 3 << 0 << 20 << 1;
    QTest::addRow("empty key and value") << 2 << false << false << 0 << 0 << 0 << 1;
    QTest::addRow("timestamps going back") << 6 << false << false << 1 << 0 << 8 << -7000;
    QTest::addRow("gzip") << 50 << false << false << 2 << 1 << 100 << 3;
    QTest::addRow("gzip with nulls") << 7 << true << true << 1 << 1 << 0 << 1;
    QTest::addRow("one large value") << 1 << false << false << 0 << 0 << 300000 << 0;
    QTest::addRow("gzip large values") << 4 << false << false << 0 << 1 << 200000 << 1;
}

void TestRecordBatch::roundTrips()
{
    QFETCH(int, count);
    QFETCH(bool, nullKeys);
    QFETCH(bool, nullValues);
    QFETCH(int, headerCount);
    QFETCH(int, codec);
    QFETCH(int, valueSize);
    QFETCH(int, timestampStep);

    BatchBuilder::Options options;
    options.compression = static_cast<Compression>(codec);
    options.batchSizeLimit = INT32_MAX;
    BatchBuilder builder(options);
    std::vector<Record> expected;
    for (int i = 0; i < count; ++i) {
        Record record;
        record.offset = i;
        record.timestamp = 1700000000000 + std::int64_t(i) * timestampStep;
        if (!nullKeys)
            record.key = i == 1 ? std::string() : "key-" + std::to_string(i);
        if (!nullValues)
            record.value = std::string(static_cast<std::size_t>(valueSize), static_cast<char>('a' + i % 26));
        for (int h = 0; h < headerCount; ++h) {
            std::optional<std::string> value;
            if (h % 2 == 0)
                value = "value-" + std::to_string(h);
            record.headers.push_back({ "header-" + std::to_string(h), value });
        }
        expected.push_back(record);
        builder.append(record);
    }
    Bytes batch = builder.build();
    BatchHeader header;
    QCOMPARE(validateBatch(batch, &header), BatchError::None);
    QCOMPARE(header.compression(), static_cast<Compression>(codec));
    QCOMPARE(header.recordCount, count);
    QCOMPARE(header.lastOffsetDelta, count - 1);
    std::int64_t maxTimestamp = expected.front().timestamp;
    for (const Record& record : expected)
        maxTimestamp = std::max(maxTimestamp, record.timestamp);
    QCOMPARE(header.baseTimestamp, expected.front().timestamp);
    QCOMPARE(header.maxTimestamp, maxTimestamp);
    if (codec != 0 && valueSize >= 100)
        QVERIFY(batch.size() < builder.estimatedSizeInBytes()); // really compressed

    std::vector<Record> decoded;
    QCOMPARE(decodeRecords(batch, decoded), BatchError::None);
    QCOMPARE(decoded, expected);

    // A broker stamps the offset and epoch; records come back at absolute offsets, CRC intact.
    stampBatch(batch, 5000, 3);
    QCOMPARE(validateBatch(batch), BatchError::None);
    decoded.clear();
    QCOMPARE(decodeRecords(batch, decoded), BatchError::None);
    for (auto& record : expected)
        record.offset += 5000;
    QCOMPARE(decoded, expected);
}

void TestRecordBatch::gzipIsFramedLikeJava()
{
    BatchBuilder::Options options;
    options.compression = Compression::Gzip;
    BatchBuilder builder(options);
    builder.append(1, asSpan("k"), false, asSpan("value"), false);
    const Bytes batch = builder.build();
    QCOMPARE(readBe(batch, field::Attributes, 2), 1);
    // GZIPOutputStream's fixed 10-byte header: magic, deflate, no flags, mtime 0, xfl 0, OS unknown.
    QCOMPARE(Bytes(batch.begin() + field::Records, batch.begin() + field::Records + 10), hex("1f8b08000000000000ff"));
}

void TestRecordBatch::hasRoomForMirrorsKafka()
{
    BatchBuilder::Options options;
    options.batchSizeLimit = 200;
    BatchBuilder builder(options);
    const std::string big(1000, 'x');
    // The first record always fits, even past batch.size.
    QVERIFY(builder.hasRoomFor(0, asSpan("k"), false, asSpan(big), false));
    builder.append(0, asSpan("k"), false, asSpan("v"), false);
    const std::size_t afterFirst = builder.estimatedSizeInBytes();

    // A second record of known size: fits when the limit is exactly reached, not one byte less.
    BatchBuilder probe;
    probe.append(0, asSpan("k"), false, asSpan("v"), false);
    const std::size_t before = probe.estimatedSizeInBytes();
    probe.append(7, asSpan("k2"), false, asSpan("value-2"), false);
    const auto secondSize = static_cast<std::int32_t>(probe.estimatedSizeInBytes() - before);

    options.batchSizeLimit = static_cast<std::int32_t>(afterFirst) + secondSize;
    builder.reset(options);
    builder.append(0, asSpan("k"), false, asSpan("v"), false);
    QVERIFY(builder.hasRoomFor(7, asSpan("k2"), false, asSpan("value-2"), false));
    options.batchSizeLimit -= 1;
    builder.reset(options);
    builder.append(0, asSpan("k"), false, asSpan("v"), false);
    QVERIFY(!builder.hasRoomFor(7, asSpan("k2"), false, asSpan("value-2"), false));
    QCOMPARE(builder.recordCount(), 1);
}

void TestRecordBatch::lastSequence_data()
{
    QTest::addColumn<int>("baseSequence");
    QTest::addColumn<int>("lastOffsetDelta");
    QTest::addColumn<int>("expected");
    QTest::addRow("no sequence") << -1 << 5 << -1;
    QTest::addRow("plain") << 0 << 4 << 4;
    QTest::addRow("at the top") << INT32_MAX << 0 << INT32_MAX;
    QTest::addRow("wraps to zero") << INT32_MAX << 1 << 0;
    QTest::addRow("wraps past zero") << INT32_MAX - 1 << 3 << 1;
}

void TestRecordBatch::lastSequence()
{
    QFETCH(int, baseSequence);
    QFETCH(int, lastOffsetDelta);
    QFETCH(int, expected);
    BatchHeader header;
    header.baseSequence = baseSequence;
    header.lastOffsetDelta = lastOffsetDelta;
    QCOMPARE(header.lastSequence(), expected);
}

void TestRecordBatch::stampKeepsCrcValid()
{
    Bytes batch = logtest::makeBatch(4, 100);
    const std::uint32_t crcBefore = static_cast<std::uint32_t>(readBe(batch, field::Crc, 4));
    stampBatch(batch, 1000, 7);
    BatchHeader header;
    QCOMPARE(validateBatch(batch, &header), BatchError::None);
    QCOMPARE(header.crc, crcBefore);
    QCOMPARE(header.baseOffset, 1000);
    QCOMPARE(header.partitionLeaderEpoch, 7);
    QCOMPARE(header.lastOffset(), 1003);
    QCOMPARE(header.nextOffset(), 1004);
}

void TestRecordBatch::explicitOffsetDeltasAndLastOffsetOverride()
{
    // What the log cleaner writes: surviving records at their old offsets, the old last offset kept.
    const Bytes source = logtest::makeBatch(10, 50);
    RecordReader reader;
    QCOMPARE(reader.open(source), BatchError::None);
    BatchBuilder builder;
    RecordView view;
    while (reader.next(view)) {
        if (view.offsetDelta == 0 || view.offsetDelta == 5 || view.offsetDelta == 8)
            builder.appendRecordView(view, view.offsetDelta);
    }
    builder.overrideLastOffsetDelta(9);
    const Bytes cleaned = builder.build();
    BatchHeader header;
    QCOMPARE(validateBatch(cleaned, &header), BatchError::None);
    QCOMPARE(header.recordCount, 3);
    QCOMPARE(header.lastOffsetDelta, 9);
    std::vector<Record> records;
    QCOMPARE(decodeRecords(cleaned, records), BatchError::None);
    QCOMPARE(records.size(), std::size_t(3));
    QCOMPARE(records[1].offset, 5);
    QCOMPARE(records[2].offset, 8);
    QCOMPARE(records[2].timestamp, 58);
    QCOMPARE(*records[1].key, std::string("key-5"));
}

void TestRecordBatch::emptyBuilderWritesRecordlessBatch()
{
    const Bytes batch = BatchBuilder().build();
    BatchHeader header;
    QCOMPARE(batch.size(), std::size_t(kBatchHeaderSize));
    QCOMPARE(validateBatch(batch, &header), BatchError::None);
    QCOMPARE(header.recordCount, 0);
    QCOMPARE(header.lastOffsetDelta, -1);
    QCOMPARE(header.nextOffset(), header.baseOffset);
}

void TestRecordBatch::headerDamage_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<int>("at");
    QTest::addColumn<qint64>("value");
    QTest::addColumn<BatchError>("expected");
    QTest::addRow("byte in the records") << QStringLiteral("flip") << 70 << qint64(0) << BatchError::CorruptCrc;
    QTest::addRow("byte of the CRC") << QStringLiteral("flip") << int(field::Crc) << qint64(0)
                                     << BatchError::CorruptCrc;
    QTest::addRow("attributes") << QStringLiteral("flip") << int(field::Attributes) << qint64(0)
                                << BatchError::CorruptCrc;
    QTest::addRow("record count") << QStringLiteral("flip") << int(field::RecordCount) + 3 << qint64(0)
                                  << BatchError::CorruptCrc;
    QTest::addRow("base offset (outside the CRC)") << QStringLiteral("flip") << 3 << qint64(0) << BatchError::None;
    QTest::addRow("leader epoch (outside the CRC)") << QStringLiteral("flip") << 13 << qint64(0) << BatchError::None;
    QTest::addRow("cut inside the header") << QStringLiteral("cut") << 40 << qint64(0) << BatchError::Truncated;
    QTest::addRow("cut before the magic") << QStringLiteral("cut") << 16 << qint64(0) << BatchError::Truncated;
    QTest::addRow("cut to nothing") << QStringLiteral("cut") << 0 << qint64(0) << BatchError::Truncated;
    QTest::addRow("last byte missing") << QStringLiteral("cut") << -1 << qint64(0) << BatchError::Truncated;
    QTest::addRow("magic 0") << QStringLiteral("set8") << int(field::Magic) << qint64(0) << BatchError::BadMagic;
    QTest::addRow("magic 1") << QStringLiteral("set8") << int(field::Magic) << qint64(1) << BatchError::BadMagic;
    QTest::addRow("magic 3") << QStringLiteral("set8") << int(field::Magic) << qint64(3) << BatchError::BadMagic;
    QTest::addRow("negative batchLength")
        << QStringLiteral("set32") << int(field::BatchLength) << qint64(-1) << BatchError::CorruptRecords;
    QTest::addRow("batchLength below the header")
        << QStringLiteral("set32") << int(field::BatchLength) << qint64(10) << BatchError::CorruptRecords;
    QTest::addRow("batchLength INT32_MAX") << QStringLiteral("set32") << int(field::BatchLength) << qint64(INT32_MAX)
                                           << BatchError::CorruptRecords; // the whole batch could never be addressed
    QTest::addRow("batchLength 1 GiB") << QStringLiteral("set32") << int(field::BatchLength) << qint64(1 << 30)
                                       << BatchError::Truncated;
    QTest::addRow("batchLength one past the bytes")
        << QStringLiteral("grow") << int(field::BatchLength) << qint64(1) << BatchError::Truncated;
}

void TestRecordBatch::headerDamage()
{
    QFETCH(QString, damage);
    QFETCH(int, at);
    QFETCH(qint64, value);
    QFETCH(BatchError, expected);
    Bytes batch = logtest::makeBatch(3, 1000);
    const auto where = static_cast<std::size_t>(at);
    auto put32 = [&](std::uint32_t v) {
        for (int i = 3; i >= 0; --i, v >>= 8)
            batch[where + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    };
    if (damage == QStringLiteral("flip"))
        batch[where] ^= 0xff;
    else if (damage == QStringLiteral("cut"))
        batch.resize(at < 0 ? batch.size() - 1 : where);
    else if (damage == QStringLiteral("set8"))
        batch[where] = static_cast<std::uint8_t>(value);
    else if (damage == QStringLiteral("set32"))
        put32(static_cast<std::uint32_t>(value));
    else if (damage == QStringLiteral("grow"))
        put32(static_cast<std::uint32_t>(readBe(batch, where, 4) + value));
    QCOMPARE(validateBatch(batch), expected);
    // Whatever the damage, decoding stays inside the bytes and reports, never crashes.
    std::vector<Record> records;
    const BatchError decoded = decodeRecords(batch, records);
    if (expected != BatchError::None && expected != BatchError::CorruptCrc)
        QCOMPARE(decoded, expected);
}

void TestRecordBatch::recordDamage_data()
{
    QTest::addColumn<QByteArray>("records");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("attributes");
    QTest::addColumn<BatchError>("expected");
    QTest::addRow("minimal valid record") << QByteArray("0c0000000101 00") << 1 << 0 << BatchError::None;
    QTest::addRow("key length past the record")
        << QByteArray("0c0000002800 00") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("key length -2") << QByteArray("0c0000000300 00") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("record length past the batch")
        << QByteArray("c8010000000101 00") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("negative record length") << QByteArray("010000000101 00") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("bytes left after the last record")
        << QByteArray("0c0000000101 00 00") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("fewer records than recordCount")
        << QByteArray("0c0000000101 00 0c0000000101 00") << 3 << 0 << BatchError::CorruptRecords;
    QTest::addRow("absurd recordCount") << QByteArray("0c0000000101 00") << INT32_MAX << 0
                                        << BatchError::CorruptRecords;
    QTest::addRow("negative recordCount") << QByteArray("0c0000000101 00") << -5 << 0 << BatchError::CorruptRecords;
    QTest::addRow("negative header count") << QByteArray("0c0000000101 01") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("null header key") << QByteArray("100000000101 02 0101") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("header count past the record")
        << QByteArray("0e0000000101 c801") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("varint running off the record")
        << QByteArray("0c008080808080") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("record body too short") << QByteArray("0200 0000000000") << 1 << 0 << BatchError::CorruptRecords;
    QTest::addRow("gzip garbage") << QByteArray("1f8b0800deadbeef00112233") << 1 << 1 << BatchError::DecompressFailed;
    QTest::addRow("snappy") << QByteArray("0c0000000101 00") << 1 << 2 << BatchError::UnsupportedCompression;
    QTest::addRow("lz4") << QByteArray("0c0000000101 00") << 1 << 3 << BatchError::UnsupportedCompression;
    QTest::addRow("codec 7 (undefined)") << QByteArray("0c0000000101 00") << 1 << 7
                                         << BatchError::UnsupportedCompression;
}

void TestRecordBatch::recordDamage()
{
    QFETCH(QByteArray, records);
    QFETCH(int, count);
    QFETCH(int, attributes);
    QFETCH(BatchError, expected);
    const Bytes batch
        = assembleBatch(hex(records.replace(' ', "").constData()), count, static_cast<std::int16_t>(attributes));
    QCOMPARE(validateBatch(batch), BatchError::None); // the CRC is right: the damage is inside
    std::vector<Record> decoded;
    QCOMPARE(decodeRecords(batch, decoded), expected);
    if (expected == BatchError::None) {
        QCOMPARE(decoded.size(), std::size_t(1));
        QVERIFY(!decoded[0].key && !decoded[0].value);
    }
}

void TestRecordBatch::decompressionIsBounded()
{
    const Bytes zeros(1 << 20, 0);
    Bytes compressed;
    QCOMPARE(compressRecords(Compression::Gzip, zeros, compressed), BatchError::None);
    QVERIFY(compressed.size() < 8192);
    Bytes out { 1, 2, 3 };
    QCOMPARE(decompressRecords(Compression::Gzip, compressed, out, 64 << 10), BatchError::DecompressFailed);
    QCOMPARE(out, (Bytes { 1, 2, 3 })); // nothing left behind
    QCOMPARE(decompressRecords(Compression::Gzip, compressed, out, 2 << 20), BatchError::None);
    QCOMPARE(out.size(), zeros.size() + 3);
    // A truncated stream is an error, not a short result.
    out.clear();
    QCOMPARE(decompressRecords(Compression::Gzip, std::span(compressed).first(compressed.size() - 9), out),
        BatchError::DecompressFailed);

    // A batch that would inflate past the default bound is refused as a whole.
    const Bytes huge(kMaxDecompressedBytes + 1024, 0);
    compressed.clear();
    QCOMPARE(compressRecords(Compression::Gzip, huge, compressed), BatchError::None);
    const Bytes bomb = assembleBatch(compressed, 1, 1);
    std::vector<Record> records;
    QCOMPARE(decodeRecords(bomb, records), BatchError::DecompressFailed);
}

void TestRecordBatch::randomDamageNeverCrashes()
{
    std::mt19937_64 rng(99);
    for (const Compression codec : { Compression::None, Compression::Gzip }) {
        const Bytes pristine = logtest::makeBatch(20, 1000, "key-", 40, codec);
        for (int round = 0; round < 3000; ++round) {
            Bytes batch = pristine;
            const std::size_t at = rng() % batch.size();
            batch[at] ^= static_cast<std::uint8_t>(1 + rng() % 255);
            const BatchError error = validateBatch(batch);
            if (at >= std::size_t(field::Crc))
                QCOMPARE(error, BatchError::CorruptCrc); // CRC-32C catches every single-byte error
            else if (at == std::size_t(field::Magic))
                QCOMPARE(error, BatchError::BadMagic);
            else if (at >= std::size_t(field::BatchLength) && at < std::size_t(field::PartitionLeaderEpoch))
                QVERIFY(error != BatchError::None); // a wrong length: too short, too long, or the CRC
            else
                QCOMPARE(error, BatchError::None); // baseOffset and leader epoch lie outside the CRC
            std::vector<Record> records;
            decodeRecords(batch, records);
            const std::size_t cut = rng() % pristine.size();
            QCOMPARE(validateBatch(std::span(pristine).first(cut)), BatchError::Truncated);
        }
    }
    // Random bytes as a "fetch response": the iterator ends, with a reason.
    for (int round = 0; round < 2000; ++round) {
        Bytes noise(rng() % 200);
        for (auto& byte : noise)
            byte = static_cast<std::uint8_t>(rng());
        if (noise.size() > 16 && (round & 1))
            noise[16] = 2;
        BatchIterator it(noise, round % 3 != 0);
        int steps = 0;
        while (it.next())
            ++steps;
        QVERIFY(steps <= 3);
        QVERIFY(it.error() != BatchError::None || noise.empty());
    }
}

void TestRecordBatch::iteratorStopsAtPartialBatch()
{
    Bytes bytes;
    std::vector<std::size_t> starts;
    for (int i = 0; i < 3; ++i) {
        starts.push_back(bytes.size());
        Bytes batch = logtest::makeBatch(i + 1, 10 * i);
        stampBatch(batch, i * 10, 1);
        bytes.insert(bytes.end(), batch.begin(), batch.end());
    }
    Bytes corrupt = bytes;
    corrupt[starts[1] + 70] ^= 1;
    const Bytes partial = logtest::makeBatch(2, 0);
    bytes.insert(bytes.end(), partial.begin(), partial.begin() + 30);

    BatchIterator it(bytes);
    for (int i = 0; i < 3; ++i) {
        QVERIFY(it.next());
        QCOMPARE(it.position(), starts[static_cast<std::size_t>(i)]);
        QCOMPARE(it.header().baseOffset, i * 10);
        QCOMPARE(it.header().recordCount, i + 1);
    }
    QVERIFY(!it.next());
    QCOMPARE(it.error(), BatchError::Truncated);
    QVERIFY(!it.next()); // stays stopped

    BatchIterator checked(corrupt);
    QVERIFY(checked.next());
    QVERIFY(!checked.next());
    QCOMPARE(checked.error(), BatchError::CorruptCrc);
    BatchIterator unchecked(corrupt, false);
    int count = 0;
    while (unchecked.next())
        ++count;
    QCOMPARE(count, 3);
    QCOMPARE(unchecked.error(), BatchError::None);
    QCOMPARE(batchErrorName(BatchError::CorruptCrc), std::string_view("CorruptCrc"));
}

QTEST_GUILESS_MAIN(TestRecordBatch)
#include "test_recordbatch.moc"
