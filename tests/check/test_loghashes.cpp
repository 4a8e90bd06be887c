#include "check/history.h"
#include "check/loghashes.h"
#include "check/recordhash.h"
#include "log/crc32c.h"
#include "log/partitionlog.h"
#include "log/recordbatch.h"

#include <QTest>

#include <optional>
#include <string>
#include <vector>

using namespace brokerlab;
using check::recordHash;
using Log = std::vector<std::pair<std::int64_t, std::uint64_t>>;

namespace {

struct KeyValue {
    std::optional<std::string> key;
    std::optional<std::string> value;
};

std::span<const std::uint8_t> span(const std::optional<std::string>& text)
{
    return text ? std::span(reinterpret_cast<const std::uint8_t*>(text->data()), text->size())
                : std::span<const std::uint8_t> {};
}

log::Bytes batchOf(const std::vector<KeyValue>& records)
{
    log::BatchBuilder builder;
    for (const KeyValue& record : records)
        builder.append(0, span(record.key), !record.key, span(record.value), !record.value);
    return builder.build();
}

// A transaction marker: a control batch of one record, as the transaction coordinator writes it.
log::Bytes controlBatch()
{
    log::Bytes batch = batchOf({ { std::string("\0\0\0\1", 4), std::string("\0\0\0\0\0\0", 6) } });
    batch[log::field::Attributes + 1] |= 0x20;
    const std::uint32_t crc = log::crc32c(std::span(batch).subspan(log::field::Attributes));
    for (int i = 0; i < 4; ++i)
        batch[log::field::Crc + i] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
    return batch;
}

KeyValue record(int key, int value) { return { "k" + std::to_string(key), "v" + std::to_string(value) }; }

} // namespace

class TestLogHashes : public QObject {
    Q_OBJECT

private slots:
    void hashesEveryReadableRecord_data();
    void hashesEveryReadableRecord();
    void compactedLogChecksAsSuperseded();
};

void TestLogHashes::hashesEveryReadableRecord_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QList<qint64>>("offsets");
    QTest::addRow("three batches") << QString() << QList<qint64> { 0, 1, 2, 3, 4, 5, 6 };
    QTest::addRow("DeleteRecords inside a batch") << QStringLiteral("delete") << QList<qint64> { 4, 5, 6 };
    QTest::addRow("transaction marker left out") << QStringLiteral("marker") << QList<qint64> { 0, 1, 2, 4, 5, 6, 7 };
}

void TestLogHashes::hashesEveryReadableRecord()
{
    QFETCH(QString, change);
    QFETCH(QList<qint64>, offsets);
    log::PartitionLog partitionLog;
    std::vector<KeyValue> written;
    const auto append = [&](const std::vector<KeyValue>& records) {
        QVERIFY(partitionLog.appendAsLeader(batchOf(records), 1, 0).ok());
        written.insert(written.end(), records.begin(), records.end());
    };
    append({ record(1, 1), record(2, 2), { std::nullopt, "no key" } });
    if (change == QLatin1String("marker")) {
        const log::AppendInfo info = partitionLog.appendAsLeader(controlBatch(), 1, 0);
        QVERIFY(info.ok());
        written.push_back({}); // the marker's offset: never hashed
    }
    append({ { "k1", std::nullopt }, { "", "" } });
    append({ record(3, 3), record(4, 4) });
    if (change == QLatin1String("delete"))
        partitionLog.advanceLogStartOffset(4);

    const Log hashes = check::logHashes(partitionLog);
    QCOMPARE(hashes.size(), std::size_t(offsets.size()));
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        QCOMPARE(hashes[i].first, offsets[qsizetype(i)]);
        const KeyValue& expected = written[static_cast<std::size_t>(hashes[i].first)];
        QCOMPARE(hashes[i].second, recordHash(expected.key, expected.value));
    }
}

void TestLogHashes::compactedLogChecksAsSuperseded()
{
    // Ten keys written five times each, one batch per record so segments roll and the cleaner has work.
    log::LogConfig config;
    config.cleanupCompact = true;
    config.cleanupDelete = false;
    config.segmentBytes = 300;
    log::PartitionLog partitionLog(config);
    check::History history;
    const check::TopicPartition tp { "users", 0 };
    for (int i = 0; i < 50; ++i) {
        const KeyValue kv = record(i % 10, i);
        const log::AppendInfo info = partitionLog.appendAsLeader(batchOf({ kv }), 1, i);
        QVERIFY(info.ok());
        history.sendAcked(tp, info.firstOffset, recordHash(kv.key, kv.value), "producer-1", kv.key, i);
    }
    const std::int64_t removed = partitionLog.compact(100, partitionLog.logEndOffset());
    QVERIFY(removed > 0);
    const Log hashes = check::logHashes(partitionLog);
    QCOMPARE(std::int64_t(hashes.size()), 50 - removed);
    history.finalLog(tp, 1, true, hashes, partitionLog.logEndOffset(), partitionLog.logStartOffset());

    check::CheckOptions options;
    options.compactedTopics.insert("users");
    const check::CheckResult compacted = check::check(history, options);
    QCOMPARE(compacted.superseded.count, removed);
    QCOMPARE(compacted.lost.count, std::int64_t(0));
    QVERIFY(compacted.ok());
    // Told nothing about compaction, the checker must call the same records lost.
    const check::CheckResult plain = check::check(history);
    QCOMPARE(plain.lost.count, removed);
    QVERIFY(!plain.ok());
}

QTEST_APPLESS_MAIN(TestLogHashes)
#include "test_loghashes.moc"
