// The trace hash decides whether two runs were identical, so SHA-256 must be exactly SHA-256:
// FIPS 180-4's examples, an independent implementation (Qt's) for every padding boundary, and any
// way of feeding the bytes in.

#include "sim/sha256.h"

#include <QCryptographicHash>
#include <QTest>

#include <string>
#include <vector>

using brokerlab::sim::Sha256;

namespace {

QByteArray toHex(const Sha256::Digest& digest)
{
    return QByteArray::fromStdString(Sha256::hex(digest));
}

std::string patternMessage(std::size_t length)
{
    std::string message(length, '\0');
    for (std::size_t i = 0; i < length; ++i)
        message[i] = static_cast<char>((i * 131 + 7) & 0xff); // every byte value, including NUL and 0x80
    return message;
}

QByteArray qtSha256(const std::string& message)
{
    return QCryptographicHash::hash(QByteArrayView(message.data(), static_cast<qsizetype>(message.size())),
        QCryptographicHash::Sha256)
        .toHex();
}

} // namespace

class TestSha256 : public QObject {
    Q_OBJECT

private slots:
    void nistVectors_data();
    void nistVectors();
    void oneMillionAs();
    void matchesQtAcrossPaddingBoundaries_data();
    void matchesQtAcrossPaddingBoundaries();
    void incrementalEqualsOneShot_data();
    void incrementalEqualsOneShot();
    void finishResetsForReuse();
    void hexIsLowercasePerByte();
};

void TestSha256::nistVectors_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("digest");
    // FIPS 180-4 / NIST CSRC example values for SHA-256.
    QTest::addRow("empty") << QByteArray()
                           << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::addRow("abc") << QByteArray("abc")
                         << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::addRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                              << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::addRow("896 bits")
        << QByteArray("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                      "mnopqrstnopqrstu")
        << QByteArray("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

void TestSha256::nistVectors()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, digest);
    QCOMPARE(toHex(Sha256::digest(message.toStdString())), digest);
    QCOMPARE(QByteArray::fromStdString(Sha256::hexDigest(message.toStdString())), digest);
}

void TestSha256::oneMillionAs()
{
    // Fed in 1000-byte pieces, so the data crosses block boundaries at every offset mod 64.
    Sha256 hasher;
    const std::string piece(1000, 'a');
    for (int i = 0; i < 1000; ++i)
        hasher.update(piece);
    QCOMPARE(toHex(hasher.finish()), QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

void TestSha256::matchesQtAcrossPaddingBoundaries_data()
{
    QTest::addColumn<int>("length");
    // 55 is the longest message whose padding fits its own block; 56..63 need a second block.
    for (int length : { 1, 54, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000, 4096, 4097 })
        QTest::addRow("%d bytes", length) << length;
}

void TestSha256::matchesQtAcrossPaddingBoundaries()
{
    QFETCH(int, length);
    const std::string message = patternMessage(static_cast<std::size_t>(length));
    QCOMPARE(toHex(Sha256::digest(message)), qtSha256(message));
}

void TestSha256::incrementalEqualsOneShot_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("chunk");
    QTest::addRow("byte by byte") << 300 << 1;
    QTest::addRow("7-byte chunks") << 300 << 7;
    QTest::addRow("63-byte chunks") << 1000 << 63;
    QTest::addRow("64-byte chunks") << 1000 << 64;
    QTest::addRow("65-byte chunks") << 1000 << 65;
    QTest::addRow("uneven tail") << 200 << 199;
}

void TestSha256::incrementalEqualsOneShot()
{
    QFETCH(int, length);
    QFETCH(int, chunk);
    const std::string message = patternMessage(static_cast<std::size_t>(length));
    const Sha256::Digest oneShot = Sha256::digest(message);

    Sha256 chunked;
    for (std::size_t at = 0; at < message.size(); at += static_cast<std::size_t>(chunk))
        chunked.update(std::string_view(message).substr(at, static_cast<std::size_t>(chunk)));
    QCOMPARE(toHex(chunked.finish()), toHex(oneShot));

    // Every two-way split, through the byte-span overload, with empty updates mixed in.
    const std::vector<std::uint8_t> bytes(message.begin(), message.end());
    for (std::size_t split = 0; split <= bytes.size(); split += 13) {
        Sha256 twoParts;
        twoParts.update(std::span(bytes).first(split));
        twoParts.update(std::span<const std::uint8_t>());
        twoParts.update(std::span(bytes).subspan(split));
        QCOMPARE(toHex(twoParts.finish()), toHex(oneShot));
    }
}

void TestSha256::finishResetsForReuse()
{
    Sha256 hasher;
    hasher.update("some trace events");
    const Sha256::Digest first = hasher.finish();
    hasher.update("abc");
    QCOMPARE(toHex(hasher.finish()), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    hasher.update("some trace events");
    QCOMPARE(toHex(hasher.finish()), toHex(first));

    hasher.update("discarded");
    hasher.reset();
    QCOMPARE(toHex(hasher.finish()), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

void TestSha256::hexIsLowercasePerByte()
{
    const std::uint8_t bytes[] = { 0x00, 0x0f, 0xa0, 0xff };
    QCOMPARE(QByteArray::fromStdString(Sha256::hex(bytes)), QByteArray("000fa0ff"));
    QCOMPARE(QByteArray::fromStdString(Sha256::hex({})), QByteArray());
}

QTEST_GUILESS_MAIN(TestSha256)
#include "test_sha256.moc"
