#include "log/crc32c.h"
#include "logtestutil.h"

#include <QTest>

#include <random>

using namespace brokerlab::log;

class TestCrc32c : public QObject {
    Q_OBJECT

private slots:
    void knownVectors_data();
    void knownVectors();
    void bothPathsAgreeOnEveryLengthAndAlignment();
    void extendEqualsWholeAtEverySplit();
    void batchCrcOfRealClientBatch();
};

void TestCrc32c::knownVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<quint32>("expected");

    QTest::addRow("check string 123456789") << QByteArray("123456789") << 0xE3069283u;
    QTest::addRow("empty") << QByteArray() << 0u;
    QTest::addRow("one NUL byte (kafkajs)") << QByteArray(1, '\0') << 1383945041u;
    // RFC 3720 (iSCSI) appendix B.4; the RFC lists the CRC bytes little-endian.
    QTest::addRow("32 zero bytes (RFC 3720)") << QByteArray(32, '\0') << 0x8A9136AAu;
    QTest::addRow("32 0xff bytes (RFC 3720)") << QByteArray(32, '\xff') << 0x62A8AB43u;
    QByteArray ascending;
    QByteArray descending;
    for (int i = 0; i < 32; ++i) {
        ascending.append(static_cast<char>(i));
        descending.append(static_cast<char>(31 - i));
    }
    QTest::addRow("ascending 0..31 (RFC 3720)") << ascending << 0x46DD794Eu;
    QTest::addRow("descending 31..0 (RFC 3720)") << descending << 0x113FDB5Cu;
    const QByteArray lorem
        = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Morbi mollis cursus metus vel "
          "tristique. Proin congue massa massa, a malesuada dolor ullamcorper a. Nulla eget leo vel "
          "orci venenatis placerat. Donec semper condimentum justo, vel sollicitudin dolor consequat "
          "id. Nunc sed aliquet felis, eget congue nisi. Mauris eu justo suscipit, elementum turpis "
          "ut, molestie tellus. Mauris ornare rutrum fringilla. Nulla dignissim luctus pretium. "
          "Nullam nec eros hendrerit sapien pellentesque sollicitudin. Integer eget ligula dui. "
          "Mauris nec cursus nibh. Nunc interdum elementum leo, eu sagittis eros sodales nec. Duis "
          "dictum nulla sed tincidunt malesuada. Quisque in vulputate sapien. Sed sit amet tellus a "
          "est porta rhoncus sed eu metus. Mauris non pulvinar nisl, volutpat luctus enim. "
          "Suspendisse est nisi, sagittis at risus quis, ultricies rhoncus sem. Donec ullamcorper "
          "purus eget sapien facilisis, eu eleifend felis viverra. Suspendisse elit neque, semper "
          "aliquet neque sed, egestas tempus leo. Duis condimentum turpis duis.";
    QTest::addRow("long paragraph (kafkajs)") << lorem << 1796588439u;

    const Bytes payload = logtest::loadWireVector(QStringLiteral("recordBatch/crc32C/crcPayload.json"));
    QTest::addRow("kafkajs crcPayload matching Java's CRC32C")
        << QByteArray(reinterpret_cast<const char*>(payload.data()), static_cast<qsizetype>(payload.size()))
        << 818496390u;
}

void TestCrc32c::knownVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(quint32, expected);
    const std::span<const std::uint8_t> bytes(
        reinterpret_cast<const std::uint8_t*>(input.constData()), static_cast<std::size_t>(input.size()));

    QCOMPARE(crc32c(bytes), expected);
    QCOMPARE(crc32cPortable(0, bytes), expected);
    if (!crc32cHardwareAvailable())
        QSKIP("this CPU has no SSE4.2: only the portable path was checked");
    QCOMPARE(crc32cHardware(0, bytes), expected);
}

void TestCrc32c::bothPathsAgreeOnEveryLengthAndAlignment()
{
    if (!crc32cHardwareAvailable())
        QSKIP("this CPU has no SSE4.2");
    std::mt19937_64 rng(20240611);
    Bytes buffer(40000 + 16);
    for (auto& byte : buffer)
        byte = static_cast<std::uint8_t>(rng());
    // Every start alignment and every tail length of the 8-byte loops.
    for (std::size_t start = 0; start < 16; ++start) {
        for (std::size_t length = 0; length <= 300; ++length) {
            const std::span<const std::uint8_t> bytes(buffer.data() + start, length);
            QCOMPARE(crc32cHardware(0, bytes), crc32cPortable(0, bytes));
        }
    }
    // Around and past the sizes where the hardware path splits into three interleaved streams
    // (3 x 256 and 3 x 2048 bytes), and a batch-sized buffer.
    for (std::size_t length = 700; length <= 40000; length += length < 7000 ? 1 : 997) {
        const std::span<const std::uint8_t> bytes(buffer.data() + length % 7, length);
        QCOMPARE(crc32cHardware(0xffffffff, bytes), crc32cPortable(0xffffffff, bytes));
    }
    QCOMPARE(crc32cHardware(0x12345678, buffer), crc32cPortable(0x12345678, buffer));
}

void TestCrc32c::extendEqualsWholeAtEverySplit()
{
    const QByteArray text = "The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps.";
    const std::span<const std::uint8_t> bytes(
        reinterpret_cast<const std::uint8_t*>(text.constData()), static_cast<std::size_t>(text.size()));
    const std::uint32_t whole = crc32c(bytes);
    for (std::size_t split = 0; split <= bytes.size(); ++split) {
        QCOMPARE(crc32cExtend(crc32c(bytes.first(split)), bytes.subspan(split)), whole);
        QCOMPARE(crc32cPortable(crc32cPortable(0, bytes.first(split)), bytes.subspan(split)), whole);
    }
}

void TestCrc32c::batchCrcOfRealClientBatch()
{
    // The CRC stored at byte 17 of a client's RecordBatch covers byte 21 to the end.
    const Bytes batch = logtest::loadWireVector(QStringLiteral("recordBatch/v0_recordbatch.json"));
    QCOMPARE(batch.size(), std::size_t(125));
    const auto stored = static_cast<std::uint32_t>(logtest::readBe(batch, 17, 4));
    QCOMPARE(stored, 0xE4C324A5u);
    QCOMPARE(crc32c(std::span(batch).subspan(21)), stored);
    QVERIFY(crc32c(std::span(batch).subspan(20)) != stored);
}

QTEST_GUILESS_MAIN(TestCrc32c)
#include "test_crc32c.moc"
