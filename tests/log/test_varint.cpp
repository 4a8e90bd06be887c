#include "log/varint.h"

#include <QTest>

#include <climits>
#include <random>

using namespace brokerlab::log;

namespace {

QByteArray toQt(const Bytes& bytes)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

Bytes fromQt(const QByteArray& bytes) { return Bytes(bytes.begin(), bytes.end()); }

} // namespace

class TestVarint : public QObject {
    Q_OBJECT

private slots:
    void varintEncoding_data();
    void varintEncoding();
    void varlongEncoding_data();
    void varlongEncoding();
    void randomRoundTrips();
    void truncatedInputFails();
    void overlongInputFails_data();
    void overlongInputFails();
    void decodeStopsAtTheSpanEnd();
};

void TestVarint::varintEncoding_data()
{
    QTest::addColumn<int>("value");
    QTest::addColumn<QByteArray>("encoded");
    // Zigzag: 0, -1, 1, -2, ... map to 0, 1, 2, 3, ... (Kafka's ByteUtils.writeVarint).
    QTest::addRow("0") << 0 << QByteArray::fromHex("00");
    QTest::addRow("-1") << -1 << QByteArray::fromHex("01");
    QTest::addRow("1") << 1 << QByteArray::fromHex("02");
    QTest::addRow("63") << 63 << QByteArray::fromHex("7e");
    QTest::addRow("-64") << -64 << QByteArray::fromHex("7f");
    QTest::addRow("64") << 64 << QByteArray::fromHex("8001");
    QTest::addRow("100 (a value length)") << 100 << QByteArray::fromHex("c801");
    QTest::addRow("-8193") << -8193 << QByteArray::fromHex("818001");
    QTest::addRow("INT32_MAX") << INT32_MAX << QByteArray::fromHex("feffffff0f");
    QTest::addRow("INT32_MIN") << INT32_MIN << QByteArray::fromHex("ffffffff0f");
}

void TestVarint::varintEncoding()
{
    QFETCH(int, value);
    QFETCH(QByteArray, encoded);
    Bytes out { 0xaa }; // appending keeps what was there
    varint::appendVarint(out, value);
    QCOMPARE(toQt(out).mid(1), encoded);
    QCOMPARE(varint::sizeOfVarint(value), encoded.size());

    const Bytes input = fromQt(encoded);
    std::size_t pos = 0;
    std::int32_t decoded = 0;
    QVERIFY(varint::readVarint(input, pos, decoded));
    QCOMPARE(decoded, value);
    QCOMPARE(pos, input.size());
}

void TestVarint::varlongEncoding_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<QByteArray>("encoded");
    QTest::addRow("0") << qint64(0) << QByteArray::fromHex("00");
    QTest::addRow("-1") << qint64(-1) << QByteArray::fromHex("01");
    QTest::addRow("300") << qint64(300) << QByteArray::fromHex("d804");
    QTest::addRow("INT32_MAX + 1") << qint64(INT32_MAX) + 1 << QByteArray::fromHex("8080808010");
    QTest::addRow("INT64_MAX") << qint64(INT64_MAX) << QByteArray::fromHex("feffffffffffffffff01");
    QTest::addRow("INT64_MIN") << qint64(INT64_MIN) << QByteArray::fromHex("ffffffffffffffffff01");
}

void TestVarint::varlongEncoding()
{
    QFETCH(qint64, value);
    QFETCH(QByteArray, encoded);
    Bytes out;
    varint::appendVarlong(out, value);
    QCOMPARE(toQt(out), encoded);
    QCOMPARE(varint::sizeOfVarlong(value), encoded.size());

    std::size_t pos = 0;
    std::int64_t decoded = 0;
    QVERIFY(varint::readVarlong(out, pos, decoded));
    QCOMPARE(decoded, value);
    QCOMPARE(pos, out.size());
}

void TestVarint::randomRoundTrips()
{
    std::mt19937_64 rng(7);
    Bytes stream;
    std::vector<std::int64_t> longs;
    std::vector<std::int32_t> ints;
    for (int i = 0; i < 20000; ++i) {
        // Spread over every encoded length, not just the huge values a uniform draw gives.
        const int bits = static_cast<int>(rng() % 64);
        const auto value = static_cast<std::int64_t>(rng() >> bits) * ((rng() & 1) ? 1 : -1);
        longs.push_back(value);
        ints.push_back(static_cast<std::int32_t>(value));
        varint::appendVarlong(stream, longs.back());
        varint::appendVarint(stream, ints.back());
    }
    std::size_t pos = 0;
    for (std::size_t i = 0; i < longs.size(); ++i) {
        std::int64_t decodedLong = 0;
        std::int32_t decodedInt = 0;
        QVERIFY(varint::readVarlong(stream, pos, decodedLong));
        QVERIFY(varint::readVarint(stream, pos, decodedInt));
        QCOMPARE(decodedLong, longs[i]);
        QCOMPARE(decodedInt, ints[i]);
    }
    QCOMPARE(pos, stream.size());
}

void TestVarint::truncatedInputFails()
{
    // Every proper prefix of a multi-byte number fails and leaves the position untouched.
    Bytes full;
    varint::appendVarlong(full, INT64_MIN);
    for (std::size_t length = 0; length < full.size(); ++length) {
        const std::span<const std::uint8_t> prefix(full.data(), length);
        std::size_t pos = 0;
        std::int64_t value = 42;
        QVERIFY(!varint::readVarlong(prefix, pos, value));
        QCOMPARE(pos, std::size_t(0));
        QCOMPARE(value, std::int64_t(42));
    }
    Bytes fullInt;
    varint::appendVarint(fullInt, INT32_MIN);
    for (std::size_t length = 0; length < fullInt.size(); ++length) {
        std::size_t pos = 0;
        std::int32_t value = 42;
        QVERIFY(!varint::readVarint(std::span<const std::uint8_t>(fullInt.data(), length), pos, value));
        QCOMPARE(pos, std::size_t(0));
    }
}

void TestVarint::overlongInputFails_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("isVarlong");
    QTest::addRow("varint of six bytes") << QByteArray::fromHex("808080808000") << false;
    QTest::addRow("varint fifth byte beyond 32 bits") << QByteArray::fromHex("8080808010") << false;
    QTest::addRow("varlong of eleven bytes") << QByteArray::fromHex("8080808080808080808000") << true;
    QTest::addRow("varlong tenth byte beyond 64 bits") << QByteArray::fromHex("80808080808080808002") << true;
}

void TestVarint::overlongInputFails()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, isVarlong);
    const Bytes bytes = fromQt(input);
    std::size_t pos = 0;
    if (isVarlong) {
        std::int64_t value = 0;
        QVERIFY(!varint::readVarlong(bytes, pos, value));
    } else {
        std::int32_t value = 0;
        QVERIFY(!varint::readVarint(bytes, pos, value));
    }
    QCOMPARE(pos, std::size_t(0));
}

void TestVarint::decodeStopsAtTheSpanEnd()
{
    // The byte after the span would complete the number; the decoder must not look at it.
    const Bytes buffer { 0x02, 0x80, 0x01 };
    const std::span<const std::uint8_t> view(buffer.data(), 2);
    std::size_t pos = 0;
    std::int32_t value = 0;
    QVERIFY(varint::readVarint(view, pos, value));
    QCOMPARE(value, 1);
    QVERIFY(!varint::readVarint(view, pos, value));
    QCOMPARE(pos, std::size_t(1));
    pos = 5; // past the end: fails, no read
    QVERIFY(!varint::readVarint(view, pos, value));
}

QTEST_GUILESS_MAIN(TestVarint)
#include "test_varint.moc"
