// The event timeline and metrics history in the workspace, written the GUI's way (store::RunHistory:
// events as they arrive, samples of snapshots, each autosave writing what the file lacks): each event
// and sample reaches the file once across many autosaves and after a resume, whose replay re-creates
// what the file holds already; older files and damaged tables.

#include "driver/engine.h"
#include "scenario/scenario.h"
#include "store/partitionfeed.h"
#include "store/resume.h"
#include "store/runhistory.h"
#include "store/workspace.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace brokerlab;

namespace {

constexpr const char* kScenario = R"json({
  "name": "history",
  "duration_ms": 60000,
  "cluster": { "brokers": 3 },
  "topics": [ { "name": "orders", "partitions": 3, "replication_factor": 3 } ],
  "producers": [ { "id": "app", "topic": "orders", "rate": 100, "config": { "acks": "all" } } ],
  "consumers": [ { "id": "billing", "topics": ["orders"], "members": 2, "commit": "sync",
    "config": { "auto.offset.reset": "earliest" } } ],
  "faults": [ { "kind": "broker_crash", "at_ms": 4000, "until_ms": 7000, "broker": 1 } ]
})json";

constexpr sim::SimTime kMs = 1000;

// No faults: a group that reads all the while.
constexpr const char* kSteadyScenario = R"json({
  "name": "steady",
  "duration_ms": 60000,
  "cluster": { "brokers": 3 },
  "topics": [ { "name": "orders", "partitions": 3, "replication_factor": 3 } ],
  "producers": [ { "id": "app", "topic": "orders", "rate": 100, "config": { "acks": "all" } } ],
  "consumers": [ { "id": "billing", "topics": ["orders"], "members": 2,
    "config": { "auto.offset.reset": "earliest" } } ]
})json";

scenario::Scenario loadScenario(const char* json = kScenario)
{
    auto loaded = scenario::parseScenario(json, "history.json");
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded))
        qFatal("%s", error->toString().c_str());
    return std::get<scenario::Scenario>(std::move(loaded));
}

// The GUI's side of a run: the timeline's events as they come, a snapshot every `snapshotMs` (the
// charts' sampling), and an autosave every `autosaveMs` that writes what the file has not got.
struct GuiRun {
    driver::Engine engine;
    store::RunHistory history;
    std::vector<store::TimelineEvent> seen; // every timeline event of the run, in order

    explicit GuiRun(const char* json = kScenario) : engine(loadScenario(json), 7)
    {
        engine.trace().setListener([this](const sim::Event& event) {
            history.addEvent(event);
            seen.push_back(store::timelineEventOf(event));
        });
        engine.start();
    }
    void run(sim::SimTime untilUs, sim::SimTime snapshotMs, sim::SimTime autosaveMs, store::Workspace* workspace)
    {
        sim::SimTime nextAutosave = engine.now() + autosaveMs * kMs;
        while (engine.now() < untilUs) {
            engine.runUntil(std::min(untilUs, engine.now() + snapshotMs * kMs));
            history.sample(engine.snapshot());
            if (workspace && engine.now() >= nextAutosave) {
                autosave(*workspace);
                nextAutosave += autosaveMs * kMs;
            }
        }
    }
    void autosave(store::Workspace& workspace)
    {
        store::writeHistory(workspace, history.takeUnwritten());
        store::writeRunState(workspace, store::runStateOf(engine));
    }
};

bool sameEvent(const store::TimelineEvent& a, const store::TimelineEvent& b)
{
    return a.virtualUs == b.virtualUs && a.kind == b.kind && a.text == b.text && a.broker == b.broker
        && a.topic == b.topic && a.partition == b.partition && a.client == b.client && a.numbers == b.numbers;
}

// Every series' times are distinct and rising: no sample is in the file twice.
void verifyNoDuplicateSamples(const std::vector<store::MetricSeries>& series)
{
    for (const auto& one : series)
        for (std::size_t i = 1; i < one.points.size(); ++i)
            QVERIFY2(one.points[i - 1].first < one.points[i].first, one.name.c_str());
}

const store::MetricSeries* find(const std::vector<store::MetricSeries>& all, const std::string& name)
{
    for (const auto& series : all)
        if (series.name == name)
            return &series;
    return nullptr;
}

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestStoreHistory : public QObject {
    Q_OBJECT
private slots:
    void everyEventAndSampleIsWrittenOnceAcrossAutosaves()
    {
        QTemporaryDir dir;
        store::Workspace workspace("history");
        workspace.create(dir.filePath(QStringLiteral("gui.blw")).toStdString());
        GuiRun run;
        run.run(12000 * kMs, 33, 1000, &workspace);
        run.autosave(workspace); // the last autosave (closing the window)
        run.autosave(workspace); // and one more with nothing new: it writes nothing

        const auto events = workspace.events();
        QVERIFY(run.seen.size() > 20);
        QCOMPARE(events.size(), run.seen.size());
        for (std::size_t i = 0; i < events.size(); ++i)
            QVERIFY2(sameEvent(events[i], run.seen[i]), events[i].kind.c_str());
        // The fields the timeline's columns show come back: the crash names its broker.
        QVERIFY(std::any_of(events.begin(), events.end(),
            [](const store::TimelineEvent& event) { return event.broker == 1 && event.kind.find("broker") == 0; }));

        const auto metrics = workspace.metrics();
        verifyNoDuplicateSamples(metrics);
        // One sample per virtual second, 0 s to 12 s, under the CLI's names and the charts' names.
        for (const char* name : { "produced", "acked", "consumer_lag", "broker.1.stored_bytes",
                 "partitions.under_replicated", "partitions.offline" }) {
            const auto* series = find(metrics, name);
            QVERIFY2(series, name);
            QVERIFY2(series->points.size() == 13, name);
        }
        QVERIFY(find(metrics, "group.billing.lag")); // from when the group's coordinator knows it
        const auto* rate = find(metrics, "topic.orders.produce_rate");
        QVERIFY(rate);
        QCOMPARE(rate->points.size(), std::size_t(12)); // a rate needs two samples
        QVERIFY(rate->points.back().second > 50);
        // Broker 1 was down from 4 s to 7 s: its partitions were under-replicated once it was back, catching up,
        // and not at the start.
        const auto* under = find(metrics, "partitions.under_replicated");
        QCOMPARE(under->points.front().second, 0.0);
        QVERIFY(std::any_of(under->points.begin(), under->points.end(),
            [](const auto& point) { return point.first >= 7000 && point.second > 0; }));

        // The charts' second tab: the ISR of "orders" is 3 replicas at the start and shrinks while broker 1 is
        // down; acks=all latency has a median below its p99. (Consumption: consumeRateIsWhatTheGroupRead.)
        QVERIFY(find(metrics, "topic.orders.consume_rate"));
        const auto* isr = find(metrics, "topic.orders.isr_mean");
        QVERIFY(isr);
        QCOMPARE(isr->points.front().second, 3.0);
        // One topic, never offline: its mean ISR is below 3 exactly when a partition is under-replicated.
        QCOMPARE(isr->points.size(), under->points.size());
        for (std::size_t i = 0; i < isr->points.size(); ++i)
            QCOMPARE(isr->points[i].second < 3.0, under->points[i].second > 0);
        QVERIFY(std::any_of(isr->points.begin(), isr->points.end(), [](const auto& point) { return point.second < 3; }));
        const auto* p50 = find(metrics, store::RunMetrics::kLatencyP50);
        const auto* p99 = find(metrics, store::RunMetrics::kLatencyP99);
        QVERIFY(p50 && p99);
        QCOMPARE(p50->points.size(), p99->points.size());
        QVERIFY(!p50->points.empty());
        for (std::size_t i = 0; i < p50->points.size(); ++i)
            QVERIFY(p50->points[i].second > 0 && p50->points[i].second <= p99->points[i].second);
    }

    void consumeRateIsWhatTheGroupRead()
    {
        GuiRun run(kSteadyScenario);
        run.run(15000 * kMs, 33, 1000, nullptr);
        const auto metrics = run.history.series();
        const auto* rate = find(metrics, "topic.orders.consume_rate");
        const auto* consumed = find(metrics, "consumed");
        QVERIFY(rate && consumed);
        QCOMPARE(rate->points.size(), consumed->points.size() - 1); // a rate needs two samples
        // From the first sample after the group got its partitions, rate × interval, summed, is the records its
        // members handed to the application (positions and the poll() counter move together while no member
        // leaves). What they read before that sample counts nowhere: a position first seen is a starting point.
        double integral = 0;
        std::size_t from = 0;
        while (from + 1 < consumed->points.size() && consumed->points[from].second == 0)
            ++from;
        for (std::size_t i = from; i < rate->points.size(); ++i) {
            const double seconds = double(consumed->points[i + 1].first - consumed->points[i].first) / 1000.0;
            integral += rate->points[i].second * seconds;
        }
        const double counted = consumed->points.back().second - consumed->points[from].second;
        QVERIFY2(counted > 500, qPrintable(QString::number(counted)));
        QVERIFY2(std::abs(integral - counted) < 1.0,
            qPrintable(QString::number(integral) + QLatin1Char(' ') + QString::number(counted)));
        QVERIFY(rate->points.back().second > 50);
    }

    void aResumeWritesOnlyWhatFollowsTheFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("resume.blw")).toStdString();
        std::set<std::int64_t> samplesBefore;
        {
            store::Workspace workspace("first");
            workspace.create(path);
            GuiRun first;
            first.run(9000 * kMs, 50, 1000, &workspace);
            first.autosave(workspace);
            // The window closed before it had pulled the run's last events: the file holds a prefix.
            const std::int64_t all = workspace.eventCount();
            QCOMPARE(all, std::int64_t(first.seen.size()));
            store::execute(workspace.handle(), "DELETE FROM events WHERE id > (SELECT max(id) - 3 FROM events)");
            QCOMPARE(workspace.eventCount(), all - 3);
            for (const auto& [ms, value] : workspace.metric("acked"))
                samplesBefore.insert(ms);
            workspace.close();
        }
        store::Workspace workspace("resumed");
        workspace.open(path);
        const std::int64_t storedEvents = workspace.eventCount();
        const auto storedUntil = workspace.lastMetricMs();
        QVERIFY(storedUntil.has_value());
        // The replay samples at other moments (every 700 ms) than the run did (every 50 ms).
        GuiRun replay;
        replay.run(9000 * kMs, 700, 1000, nullptr);
        replay.history.markWritten(storedEvents, storedUntil);
        replay.run(15000 * kMs, 50, 1000, &workspace);
        replay.autosave(workspace);

        // As if the run had never stopped: every event of one run to 15 s, once, in order.
        const auto events = workspace.events();
        QCOMPARE(events.size(), replay.seen.size());
        for (std::size_t i = 0; i < events.size(); ++i)
            QVERIFY2(sameEvent(events[i], replay.seen[i]), events[i].kind.c_str());
        const auto metrics = workspace.metrics();
        verifyNoDuplicateSamples(metrics);
        // None of the replay's samples went in: up to the saved point the file has the first run's only.
        std::set<std::int64_t> samplesUpToThen;
        for (const auto& [ms, value] : workspace.metric("acked"))
            if (ms <= *storedUntil)
                samplesUpToThen.insert(ms);
        QCOMPARE(samplesUpToThen, samplesBefore);
        QVERIFY(workspace.metric("acked").back().first >= 14000);
    }

    void aNewFileGetsTheWholeRunSoFar()
    {
        QTemporaryDir dir;
        store::Workspace first("first");
        first.create(dir.filePath(QStringLiteral("a.blw")).toStdString());
        GuiRun run;
        run.run(3000 * kMs, 100, 1000, &first);
        // File → New mid-run: the new file gets the timeline and metrics from the start, then goes on.
        store::Workspace second("second");
        second.create(dir.filePath(QStringLiteral("b.blw")).toStdString());
        run.history.rewind();
        run.run(5000 * kMs, 100, 1000, &second);
        run.autosave(second);
        QCOMPARE(second.events().size(), run.seen.size());
        const auto before = first.metric("acked");
        const auto after = second.metric("acked");
        QCOMPARE(after.size(), std::size_t(6)); // 0.1 s, 1 s, ... 5 s
        QVERIFY(std::equal(before.begin(), before.end(), after.begin())); // the first file's, then more
        verifyNoDuplicateSamples(second.metrics());
    }

    void chartSeriesNamesRoundTrip_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("chart");
        QTest::addColumn<QString>("label");
        using Chart = store::RunMetrics::Chart;
        QTest::addRow("topic with dots") << "topic.orders.eu.produce_rate" << int(Chart::ProduceRate) << "orders.eu";
        QTest::addRow("group") << "group.billing.lag" << int(Chart::GroupLag) << "billing";
        QTest::addRow("under-replicated") << "partitions.under_replicated" << int(Chart::UnderReplicated) << "";
        QTest::addRow("offline") << "partitions.offline" << int(Chart::Offline) << "";
        QTest::addRow("consume rate") << "topic.orders.consume_rate" << int(Chart::ConsumeRate) << "orders";
        QTest::addRow("isr") << "topic.orders.isr_mean" << int(Chart::IsrMean) << "orders";
        QTest::addRow("p50") << "producers.latency_p50_ms" << int(Chart::LatencyP50) << "";
        QTest::addRow("p99") << "producers.latency_p99_ms" << int(Chart::LatencyP99) << "";
        QTest::addRow("a counter") << "acked" << int(Chart::None) << "";
        QTest::addRow("no topic") << "topic..produce_rate" << int(Chart::None) << "";
    }
    void chartSeriesNamesRoundTrip()
    {
        QFETCH(QString, name);
        QFETCH(int, chart);
        QFETCH(QString, label);
        const auto [found, foundLabel] = store::RunMetrics::chartOf(name.toStdString());
        QCOMPARE(int(found), chart);
        QCOMPARE(QString::fromStdString(foundLabel), label);
    }

    void anOlderFileGetsTheEventColumnsOnItsFirstNewEvent()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("old.blw")).toStdString();
        {
            store::Workspace workspace("old");
            workspace.create(path);
            // The events table as format 2 had it before events kept their broker, partition and client.
            store::execute(workspace.handle(),
                "DROP TABLE events; CREATE TABLE events(id INTEGER PRIMARY KEY, virtual_us INTEGER NOT NULL,"
                " kind TEXT NOT NULL, text TEXT NOT NULL);"
                "INSERT INTO events(virtual_us, kind, text) VALUES(1000, 'topic.created', 'orders created');");
            workspace.close();
        }
        store::Workspace workspace("reopened");
        workspace.open(path);
        auto events = workspace.events();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].text, std::string("orders created"));
        QCOMPARE(events[0].broker, -1);
        workspace.addEvents({ { 2000, "broker.fenced", "broker 2 fenced", 2, "", -1, "", { { "epoch", 3 } } } });
        events = workspace.events();
        QCOMPARE(events.size(), std::size_t(2));
        QCOMPARE(events[0].broker, -1);
        QCOMPARE(events[1].broker, 2);
        QCOMPARE(events[1].numbers, (std::vector<std::pair<std::string, std::int64_t>> { { "epoch", 3 } }));
    }

    void aDamagedTableGivesAClearErrorAndTheFileStays_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("table");
        QTest::addRow("a value that is not a number") << "UPDATE metrics SET value = 'lots' WHERE name = 'acked'"
                                                      << "metrics";
        QTest::addRow("a time that is not a number") << "UPDATE events SET virtual_us = 'soon' WHERE id = 2"
                                                     << "events";
        QTest::addRow("numbers that are not JSON") << "UPDATE events SET numbers = '{oops' WHERE id = 1"
                                                   << "events";
        QTest::addRow("an events table of another shape") << "DROP TABLE events; CREATE TABLE events(x)"
                                                          << "events";
        QTest::addRow("a metrics table of another shape") << "DROP TABLE metrics; CREATE TABLE metrics(x)"
                                                          << "metrics";
    }
    void aDamagedTableGivesAClearErrorAndTheFileStays()
    {
        QFETCH(QString, damage);
        QFETCH(QString, table);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("damaged.blw"));
        {
            store::Workspace workspace("damage");
            workspace.create(path.toStdString());
            GuiRun run;
            run.run(2000 * kMs, 100, 1000, &workspace);
            run.autosave(workspace);
            store::execute(workspace.handle(), damage.toStdString());
            workspace.close();
        }
        const QByteArray before = fileHash(path);
        store::Workspace workspace("damaged");
        workspace.open(path.toStdString(), store::Workspace::Mode::ReadOnly);
        try {
            if (table == QStringLiteral("events"))
                workspace.events();
            else
                workspace.metrics();
            QFAIL("a damaged table was read without an error");
        } catch (const store::StoreError& error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("'s %1 table").arg(table)), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("left as it is")), qPrintable(message));
        }
        // The rest of the file still reads, and nothing was written to it.
        QVERIFY(workspace.meta("virtual_us").has_value());
        workspace.close();
        QCOMPARE(fileHash(path), before);
    }
};

QTEST_GUILESS_MAIN(TestStoreHistory)
#include "test_storehistory.moc"
