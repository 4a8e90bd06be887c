// The workspace through the real main window, offscreen: closing the window writes the last
// autosave (nothing since the last interval is lost), and reopening the workspace in a new window
// resumes the run where it stopped, recording on into the same file as if it had never stopped.

#include "../common/testscenario.h"
#include "mainwindow.h"
#include "simulationsession.h"
#include "workspacecontroller.h"

#include "driver/engine.h"
#include "store/partitionfeed.h"
#include "store/workspace.h"

#include <QFile>
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
};

Saved readSaved(const QString& path)
{
    store::Workspace workspace("resume-check");
    workspace.open(path.toStdString(), store::Workspace::Mode::ReadOnly);
    Saved saved;
    saved.virtualUs = std::stoll(workspace.meta("virtual_us").value_or("-1"));
    saved.records = workspace.recordCount();
    saved.trace = workspace.meta("trace_sha256").value_or("");
    saved.offsets = workspace.committedOffsets().size();
    return saved;
}

// One uninterrupted run of the scenario to `untilUs`: its trace hash and how many records it committed.
struct Straight {
    std::string trace;
    std::int64_t committed = 0;
};

Straight straightRun(std::int64_t untilUs)
{
    driver::Engine engine(testing::scenarioFromJson(kScenario), 7);
    engine.start();
    engine.runUntil(untilUs);
    Straight run { engine.trace().sha256Hex(), 0 };
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
        // As if it had never stopped: the trace is that of one run to 15 s.
        QCOMPARE(after.trace, straightRun(15000000).trace);
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

private:
    QTemporaryDir dir_;
    QString scenarioPath_;
};

QTEST_MAIN(TestWorkspaceResume)
#include "test_workspaceresume.moc"
