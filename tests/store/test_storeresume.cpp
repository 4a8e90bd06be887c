// Resuming a run from its workspace (store/resume.h): the replay of the saved scenario and seed
// reaches the very state the file holds, the run then goes on into the same file, and the file
// ends up holding what one uninterrupted run would have written. Runs that cannot be resumed
// exactly (commands from the window, a different replay, no run at all) say why.

#include "store/partitionfeed.h"
#include "store/resume.h"
#include "store/runrecorder.h"
#include "store/workspace.h"

#include "driver/engine.h"

#include <QTemporaryDir>
#include <QTest>

using namespace brokerlab;

namespace {

// Three brokers, a keyed producer with acks=all, a group that commits, and broker 1 crashing
// mid-run and coming back: leadership moves and the logs diverge from a plain append.
constexpr const char* kScenario = R"json({
  "name": "resume",
  "seed": 7,
  "duration_ms": 20000,
  "cluster": { "brokers": 3 },
  "topics": [ { "name": "orders", "partitions": 3, "replication_factor": 3 } ],
  "producers": [ { "id": "app", "topic": "orders", "rate": 200,
    "workload": { "kind": "orders", "keys": "zipf", "key_count": 50 }, "config": { "acks": "all" } } ],
  "consumers": [ { "id": "billing", "topics": ["orders"], "members": 2, "commit": "sync", "config": { "auto.offset.reset": "earliest" } } ],
  "faults": [ { "kind": "broker_crash", "at_ms": 7000, "until_ms": 12000, "broker": 1 } ]
})json";

constexpr sim::SimTime kSecond = 1000000;
constexpr std::int64_t kBatch = 50000;

scenario::Scenario loadScenario()
{
    auto loaded = scenario::parseScenario(kScenario, "resume.json");
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded))
        qFatal("%s", error->toString().c_str());
    return std::get<scenario::Scenario>(std::move(loaded));
}

// What the GUI's autosave does: the records the run committed since the last call, the groups'
// committed offsets and where the run is.
void autosave(driver::Engine& engine, store::PartitionFeed& feed, store::Workspace& workspace)
{
    store::IngestBatch batch;
    do {
        batch = feed.collect(store::PartitionFeed::sourcesOf(engine), kBatch);
        workspace.ingest(batch);
    } while (batch.pendingRecords > 0);
    workspace.setCommittedOffsets(store::RunRecorder::committedOffsetsOf(engine.snapshot()));
    store::writeRunState(workspace, store::runStateOf(engine));
}

// Runs `engine` to `untilUs`, autosaving every virtual second.
void runRecording(driver::Engine& engine, store::PartitionFeed& feed, store::Workspace& workspace, sim::SimTime untilUs)
{
    while (engine.now() < untilUs) {
        engine.runUntil(std::min(untilUs, engine.now() + kSecond));
        autosave(engine, feed, workspace);
    }
}

struct Held {
    std::vector<std::tuple<std::string, std::int32_t, std::int64_t, std::string>> records;
    std::vector<store::CommittedOffset> offsets;
};

Held held(store::Workspace& workspace)
{
    Held result;
    for (const auto& row : workspace.partitions())
        for (const auto& stored : workspace.readPartition(row.topic, row.partition, 0, 1000000))
            result.records.emplace_back(
                row.topic, row.partition, stored.record.offset, stored.record.value.value_or("(null)"));
    result.offsets = workspace.committedOffsets();
    return result;
}

std::string pathIn(const QTemporaryDir& dir, const char* name) { return dir.filePath(QString::fromLatin1(name)).toStdString(); }

} // namespace

class TestStoreResume : public QObject {
    Q_OBJECT
private slots:
    void resumedRunGoesOnAsIfNeverStopped()
    {
        QTemporaryDir dir;
        const scenario::Scenario scenario = loadScenario();

        // The reference: one run from 0 to 16 s.
        store::Workspace whole("whole");
        whole.create(pathIn(dir, "whole.blw"));
        driver::Engine straight(scenario, 7);
        straight.start();
        store::PartitionFeed straightFeed;
        runRecording(straight, straightFeed, whole, 16 * kSecond);

        // The same run stopped at 8.5 s (broker 1 down since 7 s, back at 12 s) and closed.
        const std::string path = pathIn(dir, "stopped.blw");
        {
            store::Workspace workspace("first");
            workspace.create(path);
            store::writeRunIdentity(workspace, kScenario, scenario.name, 7, scenario.durationMs);
            driver::Engine engine(scenario, 7);
            engine.start();
            store::PartitionFeed feed;
            runRecording(engine, feed, workspace, 8 * kSecond + kSecond / 2);
            workspace.close();
        }

        // Reopened: the point says where it stopped; the replay reaches the same state.
        store::Workspace workspace("reopened");
        workspace.open(path);
        const auto found = store::resumePointOf(workspace);
        if (const auto* why = std::get_if<std::string>(&found))
            QFAIL(why->c_str());
        const auto& point = std::get<store::ResumePoint>(found);
        QCOMPARE(point.virtualUs, 8 * kSecond + kSecond / 2);
        QCOMPARE(point.seed, std::uint64_t(7));
        QVERIFY(!point.traceSha256.empty());
        const auto replayScenario = store::scenarioOf(point);
        QVERIFY(std::holds_alternative<scenario::Scenario>(replayScenario));
        driver::Engine replay(std::get<scenario::Scenario>(replayScenario), point.seed);
        replay.start();
        replay.runUntil(point.virtualUs);
        const auto difference = store::replayDifference(replay, point, workspace.partitions());
        QVERIFY2(!difference, difference.value_or("").c_str());

        // Going on into the same file, nothing handed over twice.
        store::PartitionFeed feed;
        feed.markHandedOver(store::PartitionFeed::sourcesOf(replay));
        const std::int64_t before = workspace.recordCount();
        const auto nothingNew = feed.collect(store::PartitionFeed::sourcesOf(replay), kBatch);
        for (const auto& update : nothingNew.partitions)
            QVERIFY(update.records.empty() && update.truncateFrom < 0 && !update.reconcile);
        runRecording(replay, feed, workspace, 16 * kSecond);
        QVERIFY(workspace.recordCount() > before);

        // The resumed run is the uninterrupted one: same trace, same records, same committed offsets.
        QCOMPARE(replay.trace().sha256Hex(), straight.trace().sha256Hex());
        const Held resumed = held(workspace);
        const Held reference = held(whole);
        QCOMPARE(resumed.records.size(), reference.records.size());
        QVERIFY(resumed.records == reference.records);
        QVERIFY(!reference.offsets.empty());
        QCOMPARE(resumed.offsets.size(), reference.offsets.size());
        for (std::size_t i = 0; i < reference.offsets.size(); ++i) {
            QCOMPARE(resumed.offsets[i].group, reference.offsets[i].group);
            QCOMPARE(resumed.offsets[i].offset, reference.offsets[i].offset);
        }
    }

    void aReplayThatDiffersIsNotTakenForTheRun()
    {
        QTemporaryDir dir;
        const scenario::Scenario scenario = loadScenario();
        store::Workspace workspace("differs");
        workspace.create(pathIn(dir, "differs.blw"));
        store::writeRunIdentity(workspace, kScenario, scenario.name, 7, scenario.durationMs);
        driver::Engine engine(scenario, 7);
        engine.start();
        store::PartitionFeed feed;
        runRecording(engine, feed, workspace, 3 * kSecond);
        auto point = std::get<store::ResumePoint>(store::resumePointOf(workspace));

        // Another seed is another run: its trace tells.
        driver::Engine other(scenario, 8);
        other.start();
        other.runUntil(point.virtualUs);
        const auto trace = store::replayDifference(other, point, workspace.partitions());
        QVERIFY(trace && trace->find("trace") != std::string::npos);
        // Without a trace hash (an older file), the partitions' offsets tell.
        point.traceSha256.clear();
        const auto offsets = store::replayDifference(other, point, workspace.partitions());
        QVERIFY(offsets && offsets->find("partition orders-") != std::string::npos);
        // A replay that stopped short.
        driver::Engine shortOne(scenario, 7);
        shortOne.start();
        shortOne.runUntil(point.virtualUs - 1000);
        const auto time = store::replayDifference(shortOne, point, workspace.partitions());
        QVERIFY(time && time->find("reached") != std::string::npos);
    }

    void runsThatCannotBeResumedSayWhy()
    {
        QTemporaryDir dir;
        store::Workspace workspace("why");
        workspace.create(pathIn(dir, "why.blw"));
        const auto empty = store::resumePointOf(workspace);
        const std::string* reason = std::get_if<std::string>(&empty);
        QVERIFY(reason && reason->find("no run") != std::string::npos);

        store::writeRunIdentity(workspace, kScenario, "resume", 7, 20000);
        store::RunState state;
        state.virtualUs = 4 * kSecond;
        state.traceSha256 = "00";
        state.commands = { { 2500000, "crash broker 2" }, { 3000000, "create topic audit" } };
        store::writeRunState(workspace, state);
        const auto withCommands = store::resumePointOf(workspace);
        reason = std::get_if<std::string>(&withCommands);
        QVERIFY(reason);
        QVERIFY2(reason->find("2 commands") != std::string::npos, reason->c_str());
        QVERIFY2(reason->find("crash broker 2") != std::string::npos, reason->c_str());
        QVERIFY2(reason->find("2.500 s") != std::string::npos, reason->c_str());

        // A scenario that no longer reads is named as such.
        state.commands.clear();
        store::writeRunState(workspace, state);
        workspace.setMeta("scenario_json", "{\"name\": 3}");
        const auto point = std::get<store::ResumePoint>(store::resumePointOf(workspace));
        const auto scenario = store::scenarioOf(point);
        const auto* bad = std::get_if<std::string>(&scenario);
        QVERIFY(bad && bad->find("no longer reads") != std::string::npos);
    }
};

QTEST_MAIN(TestStoreResume)
#include "test_storeresume.moc"
