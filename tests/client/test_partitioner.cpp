// A keyed record must land in the partition the Java client would choose (lessons compare our
// placement with real clients), and null keys must stick per KIP-480.

#include "client/partitioner.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <set>
#include <string_view>
#include <vector>

using brokerlab::client::murmur2;
using brokerlab::client::partitionForKey;
using brokerlab::client::StickyPartitioner;
using brokerlab::client::toPositive;
using brokerlab::sim::Rng;

namespace {

std::span<const std::uint8_t> bytesOf(const QByteArray& data)
{
    return { reinterpret_cast<const std::uint8_t*>(data.constData()), static_cast<std::size_t>(data.size()) };
}

// A second, deliberately literal transcription of Java's Utils.murmur2: Java bytes are signed,
// ints wrap, and ">>>" is a logical shift. Used to check tails with bytes >= 0x80, for which the
// Kafka test has no vector.
qint32 javaStyleMurmur2(const QByteArray& data)
{
    const auto wrap = [](qint64 value) { return static_cast<qint32>(static_cast<quint32>(value & 0xffffffff)); };
    const auto logicalShift
        = [](qint32 value, int bits) { return static_cast<qint32>(static_cast<quint32>(value) >> bits); };
    const qint32 m = 0x5bd1e995;
    const qsizetype length = data.size();
    qint32 h = static_cast<qint32>(0x9747b28c) ^ static_cast<qint32>(length);
    for (qsizetype i = 0; i < length / 4; ++i) {
        const qsizetype i4 = i * 4;
        qint32 k = wrap((data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
            + (qint64 { data[i4 + 3] & 0xff } << 24));
        k = wrap(qint64 { k } * m);
        k ^= logicalShift(k, 24);
        k = wrap(qint64 { k } * m);
        h = wrap(qint64 { h } * m);
        h ^= k;
    }
    const qsizetype tail = length & ~qsizetype { 3 };
    switch (length % 4) {
    case 3:
        h ^= (data[tail + 2] & 0xff) << 16;
        [[fallthrough]];
    case 2:
        h ^= (data[tail + 1] & 0xff) << 8;
        [[fallthrough]];
    case 1:
        h ^= data[tail] & 0xff;
        h = wrap(qint64 { h } * m);
        break;
    default:
        break;
    }
    h ^= logicalShift(h, 13);
    h = wrap(qint64 { h } * m);
    h ^= logicalShift(h, 15);
    return h;
}

} // namespace

class TestPartitioner : public QObject {
    Q_OBJECT

private slots:
    void murmur2MatchesJava_data();
    void murmur2MatchesJava();
    void murmur2TreatsBytesAsUnsigned_data();
    void murmur2TreatsBytesAsUnsigned();
    void partitionForKey_data();
    void partitionForKey();
    void partitionForKeySpreadsKeys();
    void stickyStaysUntilNewBatch_data();
    void stickyStaysUntilNewBatch();
    void stickyWithOnePartition();
    void stickyFollowsShrinkingTopic();
    void stickyIsDeterministic();
};

void TestPartitioner::murmur2MatchesJava_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<qint32>("expected");
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2: tails of 0, 2 and 3 bytes.
    QTest::addRow("21") << QByteArray("21") << -973932308;
    QTest::addRow("foobar") << QByteArray("foobar") << -790332482;
    QTest::addRow("a-little-bit-long-string") << QByteArray("a-little-bit-long-string") << -985981536;
    QTest::addRow("a-little-bit-longer-string") << QByteArray("a-little-bit-longer-string") << -1486304829;
    QTest::addRow("lkjh...") << QByteArray("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") << -58897971;
    QTest::addRow("abc") << QByteArray("abc") << 479470107;
}

void TestPartitioner::murmur2MatchesJava()
{
    QFETCH(QByteArray, key);
    QFETCH(qint32, expected);
    QCOMPARE(murmur2(bytesOf(key)), expected);
    QCOMPARE(javaStyleMurmur2(key), expected); // the reference below is trustworthy too
}

void TestPartitioner::murmur2TreatsBytesAsUnsigned_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addRow("one high byte") << QByteArray("\xff", 1);
    QTest::addRow("two high bytes") << QByteArray("\x80\xfe", 2);
    QTest::addRow("three high bytes") << QByteArray("\xc3\xa9\x9f", 3);
    QTest::addRow("high bytes in a word") << QByteArray("\xf0\x9f\x98\x80", 4);
    QTest::addRow("UTF-8 key") << QByteArray("kund\xc3\xa4-\xc3\xb6\xc3\xbc");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("NUL bytes") << QByteArray("\0\0\0\0\0", 5);
}

void TestPartitioner::murmur2TreatsBytesAsUnsigned()
{
    QFETCH(QByteArray, key);
    QCOMPARE(murmur2(bytesOf(key)), javaStyleMurmur2(key));
}

void TestPartitioner::partitionForKey_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<qint32>("hash");
    QTest::addColumn<qint32>("numPartitions");
    QTest::addColumn<qint32>("expected");
    // Expected values worked out by hand from the Java vectors: (hash & 0x7fffffff) % n.
    QTest::addRow("foobar / 50") << QByteArray("foobar") << -790332482 << 50 << 16; // 1357151166 % 50
    QTest::addRow("foobar / 6") << QByteArray("foobar") << -790332482 << 6 << 0; // 1357151166 % 6
    QTest::addRow("abc / 12") << QByteArray("abc") << 479470107 << 12 << 3; // 479470107 % 12
    QTest::addRow("21 / 7") << QByteArray("21") << -973932308 << 7 << 3; // 1173551340 % 7
    QTest::addRow("21 / 1") << QByteArray("21") << -973932308 << 1 << 0;
    for (const qint32 n : { 2, 3, 7, 10, 64, 100, 1000 }) {
        QTest::addRow("a-little-bit-long-string / %d", n)
            << QByteArray("a-little-bit-long-string") << -985981536 << n << (toPositive(-985981536) % n);
    }
}

void TestPartitioner::partitionForKey()
{
    QFETCH(QByteArray, key);
    QFETCH(qint32, hash);
    QFETCH(qint32, numPartitions);
    QFETCH(qint32, expected);
    QCOMPARE(toPositive(hash), hash & 0x7fffffff);
    QCOMPARE(brokerlab::client::partitionForKey(bytesOf(key), numPartitions), expected);
}

void TestPartitioner::partitionForKeySpreadsKeys()
{
    // Not Kafka's "abs()": toPositive keeps the hash of Integer.MIN_VALUE-like values in range.
    QCOMPARE(toPositive(std::numeric_limits<qint32>::min()), 0);
    QCOMPARE(toPositive(-1), 0x7fffffff);
    constexpr int partitions = 12;
    std::vector<int> counts(partitions, 0);
    for (int i = 0; i < 12000; ++i) {
        const QByteArray key = "customer-" + QByteArray::number(i);
        const qint32 partition = brokerlab::client::partitionForKey(bytesOf(key), partitions);
        QVERIFY(partition >= 0 && partition < partitions);
        ++counts[static_cast<std::size_t>(partition)];
    }
    for (const int count : counts)
        QVERIFY2(count > 850 && count < 1150, qPrintable(QString::number(count)));
    QCOMPARE(brokerlab::client::partitionForKey(bytesOf("x"), 0), -1);
}

void TestPartitioner::stickyStaysUntilNewBatch_data()
{
    QTest::addColumn<qint32>("numPartitions");
    QTest::addRow("2 partitions") << 2;
    QTest::addRow("3 partitions") << 3;
    QTest::addRow("12 partitions") << 12;
    QTest::addRow("100 partitions") << 100;
}

void TestPartitioner::stickyStaysUntilNewBatch()
{
    QFETCH(qint32, numPartitions);
    Rng rng(1);
    StickyPartitioner partitioner;
    QCOMPARE(partitioner.current(), -1);
    std::set<qint32> visited;
    std::vector<int> picks(static_cast<std::size_t>(numPartitions), 0);
    for (int batch = 0; batch < 2000; ++batch) {
        const qint32 sticky = partitioner.partition(numPartitions, rng);
        QVERIFY(sticky >= 0 && sticky < numPartitions);
        // Every record of the batch goes to the same partition.
        for (int record = 0; record < 20; ++record)
            QCOMPARE(partitioner.partition(numPartitions, rng), sticky);
        QCOMPARE(partitioner.current(), sticky);
        partitioner.onNewBatch(numPartitions, rng);
        // KIP-480: the next batch goes elsewhere when there is an elsewhere.
        QVERIFY(partitioner.current() != sticky);
        QVERIFY(partitioner.current() >= 0 && partitioner.current() < numPartitions);
        visited.insert(sticky);
        ++picks[static_cast<std::size_t>(sticky)];
    }
    // Over many batches every partition gets traffic, roughly evenly.
    QCOMPARE(static_cast<qint32>(visited.size()), numPartitions);
    const double expected = 2000.0 / numPartitions;
    for (const int count : picks)
        QVERIFY2(std::abs(count - expected) < 5 * std::sqrt(expected) + 1, qPrintable(QString::number(count)));
}

void TestPartitioner::stickyWithOnePartition()
{
    Rng rng(2);
    StickyPartitioner partitioner;
    QCOMPARE(partitioner.partition(1, rng), 0);
    partitioner.onNewBatch(1, rng);
    QCOMPARE(partitioner.partition(1, rng), 0);
    QCOMPARE(partitioner.partition(0, rng), -1); // no metadata yet
}

void TestPartitioner::stickyFollowsShrinkingTopic()
{
    Rng rng(3);
    StickyPartitioner partitioner;
    qint32 sticky = partitioner.partition(100, rng);
    while (sticky < 10) { // find a sticky partition the smaller topic does not have
        partitioner.onNewBatch(100, rng);
        sticky = partitioner.partition(100, rng);
    }
    const qint32 afterShrink = partitioner.partition(10, rng);
    QVERIFY(afterShrink >= 0 && afterShrink < 10);
    QCOMPARE(partitioner.partition(10, rng), afterShrink);
}

void TestPartitioner::stickyIsDeterministic()
{
    const auto sequence = [] {
        Rng rng(4);
        StickyPartitioner partitioner;
        std::vector<qint32> out;
        for (int i = 0; i < 50; ++i) {
            out.push_back(partitioner.partition(6, rng));
            partitioner.onNewBatch(6, rng);
        }
        return out;
    };
    QCOMPARE(sequence(), sequence());
}

QTEST_GUILESS_MAIN(TestPartitioner)
#include "test_partitioner.moc"
