#include "check/recordhash.h"
#include "log/record.h"
#include "log/recordbatch.h"

#include <QTest>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace brokerlab;
using check::recordHash;

namespace {

// A null QByteArray stands for a null key or value; QByteArray("") is an empty one.
std::optional<std::string_view> bytes(const QByteArray& array)
{
    return array.isNull() ? std::nullopt : std::optional(std::string_view(array.constData(), array.size()));
}

std::span<const std::uint8_t> span(std::string_view text)
{
    return { reinterpret_cast<const std::uint8_t*>(text.data()), text.size() };
}

} // namespace

class TestRecordHash : public QObject {
    Q_OBJECT

private slots:
    void distinguishes_data();
    void distinguishes();
    void pinnedValues_data();
    void pinnedValues();
    void workloadValuesNeverCollide();
    void everyBitMatters_data();
    void everyBitMatters();
    void recordOverloadsAgree();
};

void TestRecordHash::distinguishes_data()
{
    QTest::addColumn<QByteArray>("keyA");
    QTest::addColumn<QByteArray>("valueA");
    QTest::addColumn<QByteArray>("keyB");
    QTest::addColumn<QByteArray>("valueB");
    const QByteArray null;
    const QByteArray empty("");
    QTest::addRow("null key vs empty key") << null << QByteArray("v") << empty << QByteArray("v");
    QTest::addRow("tombstone vs empty value") << QByteArray("k") << null << QByteArray("k") << empty;
    QTest::addRow("all null vs all empty") << null << null << empty << empty;
    QTest::addRow("null key vs null value") << null << empty << empty << null;
    QTest::addRow("key/value boundary moves")
        << QByteArray("ab") << QByteArray("c") << QByteArray("a") << QByteArray("bc");
    QTest::addRow("bytes move from value to key") << empty << QByteArray("abc") << QByteArray("abc") << empty;
    QTest::addRow("trailing zero byte") << null << QByteArray("abc") << null << QByteArray("abc\0", 4);
    QTest::addRow("16-byte block vs 15 + 1")
        << null << QByteArray("0123456789abcdef") << QByteArray("0") << QByteArray("123456789abcdef");
    QTest::addRow("swapped halves") << null << QByteArray("aaaaaaaabbbbbbbb") << null << QByteArray("bbbbbbbbaaaaaaaa");
}

void TestRecordHash::distinguishes()
{
    QFETCH(QByteArray, keyA);
    QFETCH(QByteArray, valueA);
    QFETCH(QByteArray, keyB);
    QFETCH(QByteArray, valueB);
    QVERIFY(recordHash(bytes(keyA), bytes(valueA)) != recordHash(bytes(keyB), bytes(valueB)));
    // Deterministic, and independent of where the bytes live.
    const QByteArray copy = valueA.isNull() ? valueA : QByteArray(valueA.constData(), valueA.size());
    QCOMPARE(recordHash(bytes(keyA), bytes(copy)), recordHash(bytes(keyA), bytes(valueA)));
}

void TestRecordHash::pinnedValues_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<quint64>("expected");
    // Recorded histories and other tests rely on these bits: a change here is a format change. The values
    // were computed by a separate implementation of the same mix, so they also catch a byte-order slip.
    QTest::addRow("null, null") << QByteArray() << QByteArray() << Q_UINT64_C(0x8bf8c10c75cca1b2);
    QTest::addRow("empty, empty") << QByteArray("") << QByteArray("") << Q_UINT64_C(0xea5837b7b87e8e8e);
    QTest::addRow("key, tombstone") << QByteArray("user-42") << QByteArray() << Q_UINT64_C(0x546ffdf4bd723de0);
    QTest::addRow("json event") << QByteArray("user-42")
                                << QByteArray(R"({"id":"e-000001","type":"click","user":"user-42"})")
                                << Q_UINT64_C(0x81beac3a9e2c361b);
    QTest::addRow("benchmark bytes") << QByteArray() << QByteArray("00000000000000000017").append(100, 'x')
                                     << Q_UINT64_C(0x427e779567d416a5);
}

void TestRecordHash::pinnedValues()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, value);
    QFETCH(quint64, expected);
    QCOMPARE(quint64(recordHash(bytes(key), bytes(value))), expected);
}

void TestRecordHash::workloadValuesNeverCollide()
{
    // Values shaped like the workloads': a unique sequence, the rest alike. 64 bits make a collision among
    // 300,000 of them a one in 10^8 event, so any collision here is a weak mix.
    std::vector<std::uint64_t> hashes;
    for (int producer = 0; producer < 3; ++producer) {
        for (int i = 0; i < 100'000; ++i) {
            const std::string value
                = "producer-" + std::to_string(producer) + "#" + std::to_string(i) + std::string(40, 'p');
            hashes.push_back(recordHash("key-" + std::to_string(i % 97), value));
        }
    }
    std::sort(hashes.begin(), hashes.end());
    QCOMPARE(std::adjacent_find(hashes.begin(), hashes.end()), hashes.end());
    // The low and high bits are both used: the checker's hash table takes the high bits, callers may take
    // the low ones. Each of the 16 low and 16 high buckets gets its share.
    std::vector<int> low(16), high(16);
    for (std::uint64_t hash : hashes) {
        ++low[hash & 15];
        ++high[hash >> 60];
    }
    for (int i = 0; i < 16; ++i) {
        QVERIFY2(std::abs(low[i] - 300'000 / 16) < 600, qPrintable(QString::number(low[i])));
        QVERIFY2(std::abs(high[i] - 300'000 / 16) < 600, qPrintable(QString::number(high[i])));
    }
}

void TestRecordHash::everyBitMatters_data()
{
    QTest::addColumn<int>("length");
    for (int length : { 1, 7, 8, 9, 15, 16, 17, 31, 33, 64 })
        QTest::addRow("%d bytes", length) << length;
}

void TestRecordHash::everyBitMatters()
{
    QFETCH(int, length);
    std::string value(static_cast<std::size_t>(length), '\0');
    for (int i = 0; i < length; ++i)
        value[static_cast<std::size_t>(i)] = static_cast<char>('a' + i % 26);
    std::vector<std::uint64_t> hashes { recordHash("k", value), recordHash(value, "k") };
    for (int bit = 0; bit < 8 * length; ++bit) {
        std::string flipped = value;
        flipped[static_cast<std::size_t>(bit / 8)] ^= static_cast<char>(1 << (bit % 8));
        hashes.push_back(recordHash("k", flipped));
        hashes.push_back(recordHash(flipped, "k"));
    }
    std::sort(hashes.begin(), hashes.end());
    QCOMPARE(std::adjacent_find(hashes.begin(), hashes.end()), hashes.end());
}

void TestRecordHash::recordOverloadsAgree()
{
    struct Input {
        std::optional<std::string> key;
        std::optional<std::string> value;
    };
    const std::vector<Input> inputs { { "k1", "v1" }, { std::nullopt, "v2" }, { "k3", std::nullopt }, { "", "" },
        { std::nullopt, std::nullopt } };
    log::BatchBuilder builder;
    for (const Input& input : inputs) {
        builder.append(0, span(input.key.value_or("")), !input.key, span(input.value.value_or("")), !input.value);
    }
    const log::Bytes batch = builder.build();
    log::RecordReader reader;
    QVERIFY(reader.open(batch) == log::BatchError::None);
    log::RecordView view;
    std::size_t i = 0;
    for (; reader.next(view); ++i) {
        QVERIFY(i < inputs.size());
        const auto expected = recordHash(inputs[i].key, inputs[i].value);
        QCOMPARE(recordHash(view), expected);
        log::Record record;
        record.key = inputs[i].key;
        record.value = inputs[i].value;
        QCOMPARE(recordHash(record), expected);
    }
    QCOMPARE(i, inputs.size());
}

QTEST_APPLESS_MAIN(TestRecordHash)
#include "test_recordhash.moc"
