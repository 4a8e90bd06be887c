// The browser's reads (engine/store/browse.cpp): partition bounds, offset ranges across a gap left
// by compaction, the offset for a time (binary search), the chronological merge of partitions, and
// a second read-only connection reading while the first one writes.

#include "storefixtures.h"

#include "store/workspace.h"

#include <QTest>

using namespace brokerlab;
using namespace storetest;

namespace {
store::PartitionUpdate update(const std::string& topic, std::int32_t partition, std::vector<Record> records)
{
    store::PartitionUpdate u;
    u.topic = topic;
    u.partition = partition;
    u.highWatermark = records.empty() ? 0 : records.back().offset + 1;
    u.logEndOffset = u.highWatermark;
    u.records = std::move(records);
    return u;
}
} // namespace

class TestStoreBrowse : public QObject {
    Q_OBJECT
private slots:
    void readsRangesBoundsAndTimes()
    {
        TempWorkspace temp;
        std::vector<Record> a, b;
        for (std::int64_t i = 0; i < 1000; ++i)
            if (i < 100 || i >= 400) // 100..399 compacted away
                a.push_back(record(i, 10 * i, "k" + std::to_string(i), "value " + std::to_string(i)));
        for (std::int64_t i = 0; i < 5; ++i)
            b.push_back(record(i, 10 * i + 5, std::nullopt, std::nullopt));
        store::IngestBatch batch;
        batch.partitions = { update("t", 0, a), update("t", 1, b), update("u", 0, {}) };
        temp.workspace.ingest(batch);

        const auto bounds = temp.workspace.partitionBounds();
        QCOMPARE(bounds.size(), std::size_t(3));
        QCOMPARE(bounds[0].firstOffset, std::int64_t(0));
        QCOMPARE(bounds[0].lastOffset, std::int64_t(999));
        QCOMPARE(bounds[1].lastOffset, std::int64_t(4));
        QCOMPARE(bounds[2].firstOffset, std::int64_t(-1)); // an empty partition says so

        const auto range = temp.workspace.readRange("t", 0, 90, 410);
        QCOMPARE(range.size(), std::size_t(20)); // 90..99 and 400..409
        QCOMPARE(range[10].record.offset, std::int64_t(400));
        QCOMPARE(*range[10].record.value, std::string("value 400"));
        QVERIFY(temp.workspace.readRange("t", 0, 200, 300).empty());
        QVERIFY(temp.workspace.readRange("nope", 0, 0, 10).empty());
        QVERIFY(!temp.workspace.readRange("t", 1, 0, 1)[0].record.value.has_value()); // tombstone kept as null

        QCOMPARE(temp.workspace.offsetForTime("t", 0, 0), std::int64_t(0));
        QCOMPARE(temp.workspace.offsetForTime("t", 0, 505), std::int64_t(51));
        QCOMPARE(temp.workspace.offsetForTime("t", 0, 2000), std::int64_t(400)); // inside the gap: the next held
        QCOMPARE(temp.workspace.offsetForTime("t", 0, 9990), std::int64_t(999));
        QCOMPARE(temp.workspace.offsetForTime("t", 0, 9991), std::int64_t(-1));
        QCOMPARE(temp.workspace.offsetForTime("u", 0, 0), std::int64_t(-1));

        const auto merged = temp.workspace.readByTime({ { "t", 0 }, { "t", 1 } }, 0, 6);
        QCOMPARE(merged.size(), std::size_t(6));
        const std::int64_t expected[] = { 0, 5, 10, 15, 20, 25 };
        for (std::size_t i = 0; i < merged.size(); ++i) {
            QCOMPARE(merged[i].record.timestamp, expected[i]);
            QCOMPARE(merged[i].partition, std::int32_t(i % 2));
        }
    }

    void aReaderSeesWhatTheWriterCommits()
    {
        TempWorkspace temp;
        store::IngestBatch first;
        first.partitions = { update("t", 0, { record(0, 1, "a", "one") }) };
        temp.workspace.ingest(first);
        store::Workspace reader("browse-reader");
        reader.openReader(temp.path);
        QCOMPARE(reader.partitionBounds().at(0).lastOffset, std::int64_t(0));
        store::IngestBatch second;
        second.partitions = { update("t", 0, { record(1, 2, "b", "two") }) };
        second.partitions[0].highWatermark = 2;
        temp.workspace.ingest(second);
        QCOMPARE(reader.partitionBounds().at(0).lastOffset, std::int64_t(1));
        QCOMPARE(*reader.readRange("t", 0, 1, 2).at(0).record.value, std::string("two"));
        reader.close();
    }

    void aReaderRefusesAForeignFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a workspace at all, just some text that is long enough to have a header");
        file.close();
        store::Workspace reader("browse-foreign");
        QVERIFY_THROWS_EXCEPTION(store::StoreError, reader.openReader(path.toStdString()));
        QVERIFY(!reader.isOpen());
    }
};

QTEST_GUILESS_MAIN(TestStoreBrowse)
#include "test_storebrowse.moc"
