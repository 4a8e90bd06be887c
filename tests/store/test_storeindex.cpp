// The message index stays consistent with the logs: whatever retention, compaction or an unclean
// leader election removes from a log leaves the store and its full-text index, and nothing
// committed is missing. Checked on hand-built logs and on whole engine runs.

#include "driver/engine.h"
#include "scenario/scenario.h"
#include "store/partitionfeed.h"
#include "store/runrecorder.h"
#include "storefixtures.h"

using namespace brokerlab;
using namespace storetest;

namespace {

// A value with a word unique to the record ("rec<id>") and one shared by all ("marker").
Record valued(std::int64_t id, std::string key, std::int64_t timestamp)
{
    return record(0, timestamp, std::move(key),
        "{\"id\":" + std::to_string(id) + ",\"note\":\"rec" + std::to_string(id) + " marker\"}",
        { { "origin", std::string("test") } });
}

struct LogUnderTest {
    log::PartitionLog log;
    std::int64_t highWatermark = 0;
    explicit LogUnderTest(log::LogConfig config) : log(config, 0) { }
};

void sync(store::PartitionFeed& feed, store::Workspace& workspace, const LogUnderTest& partition, bool index = true)
{
    const std::vector<store::PartitionSource> sources { { "t", 0, &partition.log, partition.highWatermark, 1 } };
    store::IngestBatch batch;
    do {
        batch = feed.collect(sources, 7); // small batches: the hand-over must work across many
        workspace.ingest(batch);
    } while (batch.pendingRecords > 0);
    if (index)
        workspace.indexAll();
}

// The store holds exactly the committed records of the log, and the index exactly those.
void verifyConsistent(const store::Workspace& workspace, const LogUnderTest& partition)
{
    const auto expected = partition.log.readRecords(partition.log.logStartOffset(), partition.highWatermark, 1000000);
    const auto stored = workspace.readPartition("t", 0, INT64_MIN, 1000000);
    QCOMPARE(stored.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(stored[i].record.offset, expected[i].offset);
        QCOMPARE(stored[i].record.key, expected[i].key);
        QCOMPARE(stored[i].record.value, expected[i].value);
        QCOMPARE(stored[i].record.timestamp, expected[i].timestamp);
        QVERIFY(stored[i].record.headers == expected[i].headers);
    }
    // The counters behind the index lag agree with the table.
    store::Statement count(workspace.handle(), "SELECT count(*) FROM records");
    count.step();
    QCOMPARE(workspace.recordCount(), count.integer(0));
    QCOMPARE(workspace.indexStatus().indexed, count.integer(0));
    // The full-text index itself, not the join that would hide stale rows: one "marker" per record.
    QCOMPARE(ftsCount(workspace, "marker"), std::int64_t(expected.size()));
    store::execute(workspace.handle(), "INSERT INTO records_fts(records_fts, rank) VALUES('integrity-check', 0)");
}

bool indexHas(const store::Workspace& workspace, std::int64_t id)
{
    return ftsCount(workspace, "rec" + std::to_string(id)) > 0;
}

} // namespace

class TestStoreIndex : public QObject {
    Q_OBJECT
private slots:
    void retentionRemovesRecordsFromTheIndex()
    {
        log::LogConfig config;
        config.segmentBytes = 600; // a few batches per segment
        config.retentionMs = 1000;
        LogUnderTest partition(config);
        for (int i = 0; i < 30; ++i)
            appendAsLeader(
                partition.log, 1, { valued(i * 2, "k" + std::to_string(i), i), valued(i * 2 + 1, "k", i) }, i);
        partition.highWatermark = partition.log.logEndOffset();
        TempWorkspace temp;
        store::PartitionFeed feed;
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
        QVERIFY(indexHas(temp.workspace, 0));

        QVERIFY(partition.log.applyRetention(100000, partition.highWatermark) > 0);
        QVERIFY(partition.log.logStartOffset() > 0);
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
        QVERIFY(!indexHas(temp.workspace, 0)); // the oldest record left the index
    }

    void deleteRecordsMovesTheStartToo()
    {
        LogUnderTest partition({});
        for (int i = 0; i < 10; ++i)
            appendAsLeader(partition.log, 1, { valued(i, "k", i) }, i);
        partition.highWatermark = 10;
        TempWorkspace temp;
        store::PartitionFeed feed;
        sync(feed, temp.workspace, partition);
        partition.log.advanceLogStartOffset(4);
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
        QCOMPARE(temp.workspace.readPartition("t", 0, INT64_MIN, 100).front().record.offset, 4);
    }

    void compactionRemovesSupersededRecords()
    {
        log::LogConfig config;
        config.segmentBytes = 500;
        config.cleanupCompact = true;
        config.cleanupDelete = false;
        LogUnderTest partition(config);
        for (int i = 0; i < 40; ++i)
            appendAsLeader(partition.log, 1, { valued(i, "key-" + std::to_string(i % 4), i) }, i);
        partition.highWatermark = partition.log.logEndOffset();
        TempWorkspace temp;
        store::PartitionFeed feed;
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
        QVERIFY(indexHas(temp.workspace, 0));

        QVERIFY(partition.log.compact(100, partition.highWatermark) > 0);
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
        QVERIFY(!indexHas(temp.workspace, 0)); // superseded by key-0's later records
        QVERIFY(indexHas(temp.workspace, 39));
        // Still there after more appends and another compaction.
        for (int i = 40; i < 60; ++i)
            appendAsLeader(partition.log, 1, { valued(i, "key-" + std::to_string(i % 4), i) }, i);
        partition.highWatermark = partition.log.logEndOffset();
        partition.log.compact(200, partition.highWatermark);
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
    }

    void uncleanTruncationReplacesRecords()
    {
        LogUnderTest partition({});
        for (int i = 0; i < 50; ++i)
            appendAsLeader(partition.log, 1, { valued(i, "k", i) }, i);
        partition.highWatermark = 50;
        TempWorkspace temp;
        store::PartitionFeed feed;
        sync(feed, temp.workspace, partition);

        // An out-of-sync replica that had only 30 records becomes leader (unclean election) in
        // epoch 2 and writes other records at offsets 30.. The old 30..49 are gone for good.
        partition.log.truncateTo(30);
        for (int i = 100; i < 110; ++i)
            appendAsLeader(partition.log, 2, { valued(i, "k", i) }, i);
        partition.highWatermark = 40;
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
        QVERIFY(!indexHas(temp.workspace, 30));
        QVERIFY(!indexHas(temp.workspace, 45));
        QVERIFY(indexHas(temp.workspace, 100));
        QVERIFY(indexHas(temp.workspace, 29));
    }

    void divergenceIsFoundWithoutATruncationCall()
    {
        // The feed cannot rely on seeing the truncation: it compares leader epochs (KIP-101).
        LogUnderTest first({});
        for (int i = 0; i < 20; ++i)
            appendAsLeader(first.log, 1, { valued(i, "k", i) }, i);
        first.highWatermark = 20;
        TempWorkspace temp;
        store::PartitionFeed feed;
        sync(feed, temp.workspace, first);
        // Another replica's log, same records up to 12, then epoch 3 from 12 on.
        LogUnderTest second({});
        for (int i = 0; i < 12; ++i)
            appendAsLeader(second.log, 1, { valued(i, "k", i) }, i);
        for (int i = 200; i < 215; ++i)
            appendAsLeader(second.log, 3, { valued(i, "k", i) }, i);
        second.highWatermark = 27;
        sync(feed, temp.workspace, second);
        verifyConsistent(temp.workspace, second);
        QVERIFY(!indexHas(temp.workspace, 15));
    }

    void highWatermarkBoundsWhatIsStored()
    {
        LogUnderTest partition({});
        for (int i = 0; i < 10; ++i)
            appendAsLeader(partition.log, 1, { valued(i, "k", i) }, i);
        partition.highWatermark = 6; // 6..9 are not committed yet
        TempWorkspace temp;
        store::PartitionFeed feed;
        sync(feed, temp.workspace, partition);
        verifyConsistent(temp.workspace, partition);
        QCOMPARE(temp.workspace.recordCount(), 6);
        QVERIFY(!indexHas(temp.workspace, 7));
    }

    void engineRunsStayConsistent_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addRow("compaction") << QStringLiteral("compaction.json");
        QTest::addRow("failover") << QStringLiteral("failover.json");
    }

    void engineRunsStayConsistent()
    {
        QFETCH(QString, scenario);
        auto loaded = scenario::loadScenarioFile(BROKERLAB_SOURCE_DIR "/resources/scenarios/" + scenario.toStdString());
        QVERIFY(std::holds_alternative<scenario::Scenario>(loaded));
        scenario::Scenario spec = std::get<scenario::Scenario>(std::move(loaded));
        spec.durationMs = std::min<std::int64_t>(spec.durationMs, 60000);
        driver::Engine engine(spec, spec.seed);
        TempWorkspace temp;
        store::RunRecorder recorder(temp.workspace);
        recorder.attach(engine);
        engine.start();
        while (engine.now() < engine.endTime()) {
            engine.runUntil(std::min(engine.now() + 500 * sim::kMicrosPerMs, engine.endTime()));
            recorder.sample(engine); // records, removals and all, while the run goes on
        }
        recorder.finish(engine, "{}");

        std::int64_t total = 0;
        for (const store::PartitionSource& source : store::PartitionFeed::sourcesOf(engine)) {
            const auto expected = source.log->readRecords(
                source.log->logStartOffset(), std::min(source.highWatermark, source.log->logEndOffset()), 10000000);
            const auto stored = temp.workspace.readPartition(source.topic, source.partition, INT64_MIN, 10000000);
            QCOMPARE(stored.size(), expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                QCOMPARE(stored[i].record.offset, expected[i].offset);
                QCOMPARE(stored[i].record.value, expected[i].value);
            }
            total += std::int64_t(expected.size());
        }
        QVERIFY(total > 0);
        QCOMPARE(temp.workspace.indexStatus().indexed, total);
        QVERIFY(!temp.workspace.events().empty());
        QVERIFY(!temp.workspace.metric("acked").empty());
        store::execute(
            temp.workspace.handle(), "INSERT INTO records_fts(records_fts, rank) VALUES('integrity-check', 0)");
    }
};

QTEST_GUILESS_MAIN(TestStoreIndex)
#include "test_storeindex.moc"
