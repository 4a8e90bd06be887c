// The workspace through the real main window, offscreen: closing the window writes the last
// autosave (nothing since the last interval is lost), and reopening the workspace in a new window
// resumes the run where it stopped, recording on into the same file as if it had never stopped.

#include "../common/testscenario.h"
#include "chartadapter.h"
#include "chartspanel.h"
#include "mainwindow.h"
#include "simulationsession.h"
#include "timelinemodel.h"
#include "workspacecontroller.h"

#include "driver/engine.h"
#include "store/partitionfeed.h"
#include "store/storeworker.h"
#include "store/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QLockFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

// A producer with acks=all, a group that commits, and a crash that the replay must repeat.
const char* kScenario = R"({"name":"resume","duration_ms":600000,"cluster":{"brokers":3},
 "topics":[{"name":"orders","partitions":3,"replication_factor":3}],
 "producers":[{"id":"app","topic":"orders","rate":300,"workload":{"kind":"orders","keys":"uniform","key_count":40},
   "config":{"acks":"all"}}],
 "consumers":[{"id":"billing","topics":["orders"],"members":2,"commit":"sync",
   "config":{"auto.offset.reset":"earliest"}}],
 "faults":[{"kind":"broker_crash","at_ms":9000,"until_ms":13000,"broker":2}]})";

struct Saved {
    std::int64_t virtualUs = 0;
    std::int64_t records = 0;
    std::string trace;
    std::size_t offsets = 0;
    std::vector<store::TimelineEvent> events;
    std::vector<store::MetricSeries> metrics;
};

// No series holds a sample twice: every autosave wrote only what the file lacked.
bool samplesOnce(const std::vector<store::MetricSeries>& metrics)
{
    for (const auto& series : metrics)
        for (std::size_t i = 1; i < series.points.size(); ++i)
            if (series.points[i - 1].first >= series.points[i].first)
                return false;
    return !metrics.empty();
}

const store::MetricSeries* seriesNamed(const std::vector<store::MetricSeries>& metrics, const std::string& name)
{
    for (const auto& series : metrics)
        if (series.name == name)
            return &series;
    return nullptr;
}

Saved readSaved(const QString& path)
{
    store::Workspace workspace("resume-check");
    workspace.open(path.toStdString(), store::Workspace::Mode::ReadOnly);
    Saved saved;
    saved.virtualUs = std::stoll(workspace.meta("virtual_us").value_or("-1"));
    saved.records = workspace.recordCount();
    saved.trace = workspace.meta("trace_sha256").value_or("");
    saved.offsets = workspace.committedOffsets().size();
    saved.events = workspace.events();
    saved.metrics = workspace.metrics();
    return saved;
}

// One uninterrupted run of the scenario to `untilUs`: its trace hash and how many records it committed.
struct Straight {
    std::string trace;
    std::int64_t committed = 0;
    std::uint64_t timelineEvents = 0;
};

Straight straightRun(std::int64_t untilUs, std::uint64_t seed = 7)
{
    driver::Engine engine(testing::scenarioFromJson(kScenario), seed);
    engine.start();
    engine.runUntil(untilUs);
    Straight run { engine.trace().sha256Hex(), 0, engine.trace().timelineEvents() };
    for (const auto& source : store::PartitionFeed::sourcesOf(engine))
        run.committed += std::min(source.highWatermark, source.log->logEndOffset()) - source.log->logStartOffset();
    return run;
}

std::unique_ptr<MainWindow> openWindow()
{
    auto window = std::make_unique<MainWindow>(false);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        qFatal("the main window was not exposed");
    return window;
}

WorkspaceController* controllerOf(MainWindow& window) { return window.findChild<WorkspaceController*>(); }

// The pid of a process that has exited.
qint64 deadPid()
{
    QProcess gone;
    gone.start(QStringLiteral("true"), {});
    gone.waitForStarted();
    const qint64 pid = gone.processId();
    gone.waitForFinished();
    return pid;
}

// A copy of a live workspace (the file and its WAL) as a crashed process would leave it: its lock
// file names that process, which no longer runs.
void leaveAsCrashed(const QString& from, const QString& to)
{
    for (const QString& suffix : { QString(), QStringLiteral("-wal") })
        if (QFile::exists(from + suffix) && !QFile::copy(from + suffix, to + suffix))
            qFatal("cannot copy the workspace");
    QByteArray contents;
    {
        QLockFile real(to + QStringLiteral(".lock"));
        if (!real.tryLock(0))
            qFatal("cannot lock");
        QFile file(to + QStringLiteral(".lock"));
        file.open(QIODevice::ReadOnly);
        contents = file.readAll();
    }
    contents.replace(0, contents.indexOf('\n'), QByteArray::number(deadPid()));
    QFile file(to + QStringLiteral(".lock"));
    file.open(QIODevice::WriteOnly);
    file.write(contents);
}

} // namespace

class TestWorkspaceResume : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        scenarioPath_ = dir_.filePath(QStringLiteral("resume.json"));
        QFile file(scenarioPath_);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kScenario);
    }

    void closingTheWindowWritesTheLastAutosave()
    {
        const QString path = dir_.filePath(QStringLiteral("closed.blw"));
        {
            auto window = openWindow();
            window->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
            WorkspaceController* controller = controllerOf(*window);
            controller->setAutosaveSeconds(3600); // no autosave tick during the test
            QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
            controller->newWorkspace(path);
            QVERIFY(changed.wait(20000));
            QTRY_COMPARE_WITH_TIMEOUT(controller->path(), path, 20000);
            SimulationSession* session = window->session();
            session->step(8000);
            QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->virtualUs >= 8000000, 60000);
            window->close();
        }
        // Everything up to the close is in the file: the run's time, every committed record, the offsets.
        const Saved saved = readSaved(path);
        const Straight straight = straightRun(8000000);
        QCOMPARE(saved.virtualUs, std::int64_t(8000000));
        QCOMPARE(saved.trace, straight.trace);
        QVERIFY(straight.committed > 500);
        QCOMPARE(saved.records, straight.committed);
        QVERIFY(saved.offsets > 0);
        // The timeline and metrics history too: every event of the run once, a sample per virtual second.
        QCOMPARE(saved.events.size(), std::size_t(straight.timelineEvents));
        QVERIFY(samplesOnce(saved.metrics));
        QVERIFY(seriesNamed(saved.metrics, "group.billing.lag"));
        QCOMPARE(seriesNamed(saved.metrics, "acked")->points.back().first, std::int64_t(8000));
    }

    void aCrashLosesAtMostTheAutosaveInterval()
    {
        // The file and its WAL as they are on disk while the window runs, never closed: what a crash leaves.
        const QString path = dir_.filePath(QStringLiteral("live.blw"));
        auto crashCopy = [&](const QString& name) {
            const QString copy = dir_.filePath(name);
            if (!QFile::copy(path, copy))
                return QString();
            QFile::copy(path + QStringLiteral("-wal"), copy + QStringLiteral("-wal"));
            store::Workspace recovered("crash-recovery"); // Brokerlab started again: the WAL is replayed
            recovered.open(copy.toStdString());
            recovered.close();
            return copy;
        };
        auto window = openWindow();
        window->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
        WorkspaceController* controller = controllerOf(*window);
        controller->setAutosaveSeconds(1);
        QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
        controller->newWorkspace(path);
        QVERIFY(changed.wait(20000));
        SimulationSession* session = window->session();
        session->step(8000);
        QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->virtualUs >= 8000000, 60000);
        // Two autosave ticks after the run paused at 8 s: the second took everything the window had.
        QSignalSpy flushed(controller, &WorkspaceController::flushed);
        QTRY_VERIFY_WITH_TIMEOUT(flushed.count() >= 2, 20000);
        controller->writer()->waitUntilIdle();
        const int shownEvents = window->timelineModel()->rowCount();
        const QString crashed = crashCopy(QStringLiteral("crashed.blw"));
        QVERIFY(!crashed.isEmpty());
        const Saved saved = readSaved(crashed);
        const Straight straight = straightRun(8000000);
        QCOMPARE(saved.virtualUs, std::int64_t(8000000));
        QCOMPARE(saved.records, straight.committed);
        QVERIFY(saved.offsets > 0);
        QVERIFY(shownEvents > 5);
        QCOMPARE(int(saved.events.size()), shownEvents);
        QCOMPARE(saved.events.size(), std::size_t(straight.timelineEvents));
        QVERIFY(samplesOnce(saved.metrics));
        QCOMPARE(seriesNamed(saved.metrics, "acked")->points.back().first, std::int64_t(8000));
        QVERIFY(seriesNamed(saved.metrics, "group.billing.lag"));
        QVERIFY(seriesNamed(saved.metrics, "topic.orders.produce_rate"));

        // With no autosave since, a crash loses what followed the last one, and only that.
        controller->setAutosaveSeconds(3600);
        session->step(3000);
        QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->virtualUs >= 11000000, 60000);
        controller->writer()->waitUntilIdle();
        QVERIFY(window->timelineModel()->rowCount() > shownEvents); // the crash at 9 s is on the timeline
        const QString later = crashCopy(QStringLiteral("crashed-later.blw"));
        QVERIFY(!later.isEmpty());
        const Saved unsaved = readSaved(later);
        QCOMPARE(unsaved.virtualUs, saved.virtualUs);
        QCOMPARE(unsaved.events.size(), saved.events.size());
        QCOMPARE(seriesNamed(unsaved.metrics, "acked")->points.back().first, std::int64_t(8000));
        window->close();
    }

    void reopeningAWorkspaceResumesTheRun()
    {
        const QString path = dir_.filePath(QStringLiteral("resumed.blw"));
        {
            auto window = openWindow();
            window->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
            WorkspaceController* controller = controllerOf(*window);
            QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
            controller->newWorkspace(path);
            QVERIFY(changed.wait(20000));
            window->session()->step(10000); // mid-crash: broker 2 is down
            QTRY_VERIFY_WITH_TIMEOUT(window->session()->snapshot()->virtualUs >= 10000000, 60000);
            window->close();
        }
        const Saved stopped = readSaved(path);
        QCOMPARE(stopped.virtualUs, std::int64_t(10000000));

        auto window = openWindow();
        WorkspaceController* controller = controllerOf(*window);
        QSignalSpy resumed(controller, &WorkspaceController::resumed);
        QSignalSpy failed(controller, &WorkspaceController::failed);
        controller->openWorkspace(path);
        QVERIFY(resumed.wait(60000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(controller->path(), path);
        QVERIFY(controller->isRecording());
        SimulationSession* session = window->session();
        QVERIFY(session->paused());
        QTRY_COMPARE_WITH_TIMEOUT(session->snapshot()->virtualUs, std::int64_t(10000000), 10000);
        QCOMPARE(session->seed(), std::uint64_t(7));
        // The run goes on past the restart and records into the same file.
        session->step(5000);
        QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->virtualUs >= 15000000, 60000);
        window->close();
        window.reset();
        const Saved after = readSaved(path);
        QCOMPARE(after.virtualUs, std::int64_t(15000000));
        QVERIFY(after.records > stopped.records);
        // As if it had never stopped: the trace is that of one run to 15 s, and so is the timeline; the
        // replay's copies of the events and samples the file held were not written again.
        const Straight straight = straightRun(15000000);
        QCOMPARE(after.trace, straight.trace);
        QCOMPARE(after.events.size(), std::size_t(straight.timelineEvents));
        QVERIFY(samplesOnce(after.metrics));
        for (std::size_t i = 0; i < stopped.events.size(); ++i)
            QCOMPARE(after.events[i].text, stopped.events[i].text);
        QCOMPARE(seriesNamed(after.metrics, "acked")->points.back().first, std::int64_t(15000));
    }

    void aBrowsedWorkspaceShowsItsTimelineAndCharts()
    {
        const QString path = dir_.filePath(QStringLiteral("browsed.blw"));
        int shownEvents = 0;
        {
            auto window = openWindow();
            window->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
            WorkspaceController* controller = controllerOf(*window);
            controller->setAutosaveSeconds(3600);
            QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
            controller->newWorkspace(path);
            QVERIFY(changed.wait(20000));
            // A command from the window: the file opens for browsing only.
            window->session()->post(QStringLiteral("isolate broker 3"), [](driver::Engine& engine) {
                engine.isolate(3, true);
                return std::string();
            });
            window->session()->step(4000);
            QTRY_VERIFY_WITH_TIMEOUT(window->session()->snapshot()->virtualUs >= 4000000, 60000);
            QSignalSpy flushed(controller, &WorkspaceController::flushed);
            controller->flush(); // an autosave mid-run; the last one on close must not repeat it
            QVERIFY(flushed.wait(20000));
            window->session()->step(3000);
            QTRY_VERIFY_WITH_TIMEOUT(window->session()->snapshot()->virtualUs >= 7000000, 60000);
            window->close();
            shownEvents = window->timelineModel()->rowCount();
        }
        const Saved saved = readSaved(path);
        QVERIFY(shownEvents > 5);
        QCOMPARE(int(saved.events.size()), shownEvents);
        QVERIFY(samplesOnce(saved.metrics));
        const auto* lag = seriesNamed(saved.metrics, "group.billing.lag");
        const auto* rate = seriesNamed(saved.metrics, "topic.orders.produce_rate");
        QVERIFY(lag && rate);
        // At most one sample per virtual second: fewer when a step outruns the window's pulls, as on the charts.
        QVERIFY(lag->points.size() >= 2 && lag->points.size() <= 8);
        QCOMPARE(lag->points.back().first, std::int64_t(7000));

        // A window with another run going on opens the file for browsing.
        auto window = openWindow();
        window->openScenario(testing::scenarioFromJson(kScenario), 8, scenarioPath_, true);
        WorkspaceController* controller = controllerOf(*window);
        QSignalSpy unavailable(controller, &WorkspaceController::resumeUnavailable);
        controller->openWorkspace(path);
        QVERIFY(unavailable.wait(20000));
        TimelineModel* timeline = window->timelineModel();
        QTRY_COMPARE_WITH_TIMEOUT(timeline->rowCount(), int(saved.events.size()), 20000);
        for (int row : { 0, timeline->rowCount() - 1 }) {
            QCOMPARE(timeline->event(row).kind, saved.events[std::size_t(row)].kind);
            QCOMPARE(timeline->event(row).message, saved.events[std::size_t(row)].text);
            QCOMPARE(timeline->event(row).broker, saved.events[std::size_t(row)].broker);
        }
        ChartsPanel* charts = window->chartsPanel();
        QCOMPARE(charts->lagChart()->pointCount(QStringLiteral("billing")), qsizetype(lag->points.size()));
        QCOMPARE(charts->produceChart()->pointCount(QStringLiteral("orders")), qsizetype(rate->points.size()));
        QCOMPARE(charts->recorder().lastSampleSeconds(), 7.0);
        // The other run goes on, but its events and samples do not mix into the stored run's.
        window->session()->step(2000);
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->snapshot()->virtualUs >= 2000000, 60000);
        window->session()->pollNow();
        QCOMPARE(timeline->rowCount(), int(saved.events.size()));
        QCOMPARE(charts->lagChart()->pointCount(QStringLiteral("billing")), qsizetype(lag->points.size()));

        // File → New records the run going on: the window shows that run again, and the file gets all of it.
        const QString newPath = dir_.filePath(QStringLiteral("after-browsing.blw"));
        QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
        controller->newWorkspace(newPath);
        QVERIFY(changed.wait(20000));
        const int liveEvents = int(straightRun(2000000, 8).timelineEvents);
        QTRY_COMPARE_WITH_TIMEOUT(timeline->rowCount(), liveEvents, 10000);
        QCOMPARE(timeline->event(0).time, sim::SimTime(0));
        window->close();
        window.reset();
        QCOMPARE(int(readSaved(newPath).events.size()), liveEvents);
    }

    void aWorkspaceInUseIsRefused()
    {
        // Window A records into a file; window B (another window or process) may not open, create or save
        // over it, is told who holds it, and writes nothing. Once A closes, B opens it.
        const QString path = dir_.filePath(QStringLiteral("in-use.blw"));
        const QString pid = QString::number(QCoreApplication::applicationPid());
        auto first = openWindow();
        first->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
        WorkspaceController* holder = controllerOf(*first);
        QSignalSpy changed(holder, &WorkspaceController::workspaceChanged);
        holder->newWorkspace(path);
        QVERIFY(changed.wait(20000));
        QVERIFY(QFile::exists(path + QStringLiteral(".lock")));
        first->session()->step(2000);
        QTRY_VERIFY_WITH_TIMEOUT(first->session()->snapshot()->virtualUs >= 2000000, 60000);

        auto second = openWindow();
        WorkspaceController* other = controllerOf(*second);
        QSignalSpy failed(other, &WorkspaceController::failed);
        QSignalSpy otherChanged(other, &WorkspaceController::workspaceChanged);
        other->openWorkspace(path);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("Cannot Open Workspace"));
        const QString message = failed.at(0).at(1).toString();
        QVERIFY2(message.contains(path) && message.contains(QStringLiteral("process ") + pid), qPrintable(message));
        QVERIFY(other->path() != path);
        // A locked name that does not exist yet is not created either (a run of brokerlab-cli writing it).
        const QString future = dir_.filePath(QStringLiteral("future.blw"));
        {
            QLockFile cli(future + QStringLiteral(".lock"));
            QVERIFY(cli.tryLock(0));
            other->newWorkspace(future);
            QCOMPARE(failed.count(), 2);
            QCOMPARE(failed.at(1).at(0).toString(), QStringLiteral("Cannot Create Workspace"));
            QVERIFY(!QFile::exists(future));
        }
        // Nor is it a Save As target: B's untitled run stays where it is.
        QSignalSpy otherUntitled(other, &WorkspaceController::workspaceChanged);
        second->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
        QVERIFY(otherUntitled.wait(20000));
        QVERIFY(other->isUntitled());
        QVERIFY(QFile::exists(other->path() + QStringLiteral(".lock"))); // an untitled run is locked too
        QVERIFY(QFile::exists(path));
        other->saveAs(path);
        QCOMPARE(failed.count(), 3);
        QCOMPARE(failed.at(2).at(0).toString(), QStringLiteral("Cannot Save Workspace"));
        QVERIFY(other->isUntitled());
        const int changes = otherChanged.count();

        first->close();
        first.reset();
        QVERIFY(!QFile::exists(path + QStringLiteral(".lock")));
        QSignalSpy resumed(other, &WorkspaceController::resumed);
        other->openWorkspace(path);
        QTRY_COMPARE_WITH_TIMEOUT(otherChanged.count(), changes + 1, 20000);
        QCOMPARE(other->path(), path);
        QCOMPARE(failed.count(), 3);
        QVERIFY(QFile::exists(path + QStringLiteral(".lock")));
        QTRY_COMPARE_WITH_TIMEOUT(resumed.count(), 1, 60000); // it may come while waiting for the path
        second->close();
        second.reset();
        QVERIFY(!QFile::exists(path + QStringLiteral(".lock")));
    }

    void anUntitledRunLeftByACrashIsOffered()
    {
        auto first = openWindow();
        WorkspaceController* controller = controllerOf(*first);
        QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
        first->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
        QVERIFY(changed.wait(20000));
        QVERIFY(controller->isUntitled());
        const QString live = controller->path();
        first->session()->step(3000);
        QTRY_VERIFY_WITH_TIMEOUT(first->session()->snapshot()->virtualUs >= 3000000, 60000);
        QSignalSpy flushed(controller, &WorkspaceController::flushed);
        controller->flush();
        QVERIFY(flushed.wait(20000));
        // This window's own untitled run is held: never offered.
        QVERIFY(!WorkspaceController::leftoverUntitled().contains(live));

        const QString stamp = QString::number(deadPid());
        const QString crashed = QDir::temp().filePath(QStringLiteral("brokerlab-untitled-%1-1.blw").arg(stamp));
        const QString another = QDir::temp().filePath(QStringLiteral("brokerlab-untitled-%1-2.blw").arg(stamp));
        leaveAsCrashed(live, crashed);
        leaveAsCrashed(live, another);
        const QStringList offered = WorkspaceController::leftoverUntitled();
        QVERIFY(offered.contains(crashed) && offered.contains(another));

        // Discard deletes it; Open It makes it this window's untitled workspace, resumed.
        WorkspaceController::discardUntitled(another);
        QVERIFY(!QFile::exists(another) && !QFile::exists(another + QStringLiteral(".lock")));
        QSignalSpy resumed(controller, &WorkspaceController::resumed);
        controller->recoverUntitled(crashed);
        QTRY_COMPARE_WITH_TIMEOUT(controller->path(), crashed, 20000);
        QVERIFY(controller->isUntitled());
        QVERIFY(!QFile::exists(live)); // the run it replaced was untitled: gone
        QTRY_COMPARE_WITH_TIMEOUT(resumed.count(), 1, 60000); // it may come while waiting for the path
        QVERIFY(!WorkspaceController::leftoverUntitled().contains(crashed));
        first->close();
        first.reset();
        QVERIFY(!QFile::exists(crashed)); // untitled: quitting deletes it, as any untitled workspace
        QVERIFY(!QFile::exists(crashed + QStringLiteral(".lock")));
    }

    void aRunWithCommandsFromTheWindowOpensForBrowsing()
    {
        const QString path = dir_.filePath(QStringLiteral("commands.blw"));
        {
            auto window = openWindow();
            window->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
            WorkspaceController* controller = controllerOf(*window);
            QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
            controller->newWorkspace(path);
            QVERIFY(changed.wait(20000));
            window->session()->post(QStringLiteral("isolate broker 3"), [](driver::Engine& engine) {
                engine.isolate(3, true);
                return std::string();
            });
            window->session()->step(1000);
            QTRY_VERIFY_WITH_TIMEOUT(window->session()->snapshot()->virtualUs >= 1000000, 60000);
            window->close();
        }
        const Saved before = readSaved(path);
        auto window = openWindow();
        WorkspaceController* controller = controllerOf(*window);
        QSignalSpy unavailable(controller, &WorkspaceController::resumeUnavailable);
        controller->openWorkspace(path);
        QVERIFY(unavailable.wait(20000));
        const QString why = unavailable.first().first().toString();
        QVERIFY2(why.contains(QStringLiteral("isolate broker 3")), qPrintable(why));
        QVERIFY(!controller->isRecording());
        QVERIFY(!controller->isResuming());
        window.reset();
        // Browsing recorded nothing into it: the run is as it was saved.
        const Saved after = readSaved(path);
        QCOMPARE(after.virtualUs, before.virtualUs);
        QCOMPARE(after.records, before.records);
        QCOMPARE(after.trace, before.trace);
    }

    void aDamagedHistoryIsReportedAndTheFileKept()
    {
        const QString path = dir_.filePath(QStringLiteral("damaged.blw"));
        {
            store::Workspace workspace("damage");
            workspace.create(path.toStdString());
            workspace.addEvents({ { 1000, "topic.created", "orders created" } });
            workspace.addMetrics({ { 1000, "partitions.offline", 0 } });
            store::execute(workspace.handle(), "UPDATE metrics SET value = 'none'");
            workspace.close();
        }
        auto window = openWindow();
        WorkspaceController* controller = controllerOf(*window);
        QSignalSpy failed(controller, &WorkspaceController::failed);
        controller->openWorkspace(path);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("Cannot Show the Run's History"));
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("metrics table")) && message.contains(path), qPrintable(message));
        QCOMPARE(controller->path(), path); // open for browsing all the same
        QTRY_COMPARE_WITH_TIMEOUT(window->timelineModel()->rowCount(), 1, 10000); // the events table reads
        window.reset();
        // Nothing was dropped or mended: the file holds what it held.
        store::Workspace reopened("damage-check");
        reopened.open(path.toStdString(), store::Workspace::Mode::ReadOnly);
        QCOMPARE(reopened.eventCount(), std::int64_t(1));
        QVERIFY_THROWS_EXCEPTION(store::StoreError, reopened.metrics());
    }

    void aResumableRunWithADamagedHistoryOpensForBrowsing()
    {
        // A run that would resume, but one metrics value is no number: recording on would add to a table
        // that no longer reads, so the file opens for browsing, says why, and keeps what it holds.
        const QString path = dir_.filePath(QStringLiteral("damaged-run.blw"));
        {
            auto window = openWindow();
            window->openScenario(testing::scenarioFromJson(kScenario), 7, scenarioPath_, true);
            WorkspaceController* controller = controllerOf(*window);
            controller->setAutosaveSeconds(3600);
            QSignalSpy changed(controller, &WorkspaceController::workspaceChanged);
            controller->newWorkspace(path);
            QVERIFY(changed.wait(20000));
            window->session()->step(3000);
            QTRY_VERIFY_WITH_TIMEOUT(window->session()->snapshot()->virtualUs >= 3000000, 60000);
            window->close();
        }
        const Saved before = readSaved(path);
        QVERIFY(before.events.size() > 3);
        {
            store::Workspace workspace("damage");
            workspace.open(path.toStdString());
            store::execute(workspace.handle(),
                "UPDATE metrics SET value = 'lots' WHERE name = 'acked' AND virtual_ms = "
                "(SELECT max(virtual_ms) FROM metrics WHERE name = 'acked')");
            workspace.close();
        }
        auto window = openWindow();
        WorkspaceController* controller = controllerOf(*window);
        QSignalSpy resumed(controller, &WorkspaceController::resumed);
        QSignalSpy unavailable(controller, &WorkspaceController::resumeUnavailable);
        QSignalSpy failed(controller, &WorkspaceController::failed);
        controller->openWorkspace(path);
        QVERIFY(unavailable.wait(20000));
        QVERIFY2(unavailable.first().at(0).toString().contains(QStringLiteral("metrics table")),
            qPrintable(unavailable.first().at(0).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("Cannot Show the Run's History"));
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("row ")) && message.contains(path), qPrintable(message));
        QTRY_COMPARE_WITH_TIMEOUT(window->timelineModel()->rowCount(), int(before.events.size()), 10000);
        QCOMPARE(resumed.count(), 0);
        QVERIFY(!controller->isRecording());
        window.reset();
        // Nothing written: the same records, events and run state; the damaged value is still there.
        store::Workspace reopened("damage-check");
        reopened.open(path.toStdString(), store::Workspace::Mode::ReadOnly);
        QCOMPARE(reopened.recordCount(), before.records);
        QCOMPARE(reopened.eventCount(), std::int64_t(before.events.size()));
        QCOMPARE(reopened.meta("virtual_us").value_or(""), std::to_string(before.virtualUs));
        QVERIFY_THROWS_EXCEPTION(store::StoreError, reopened.metrics());
    }

private:
    QTemporaryDir dir_;
    QString scenarioPath_;
};

QTEST_MAIN(TestWorkspaceResume)
#include "test_workspaceresume.moc"
