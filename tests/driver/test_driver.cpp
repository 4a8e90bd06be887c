// The driver runs the engine on its worker thread: paused with exact steps, paced, or as fast as
// possible; commands run on the worker and are logged with their virtual time; readers get
// immutable snapshots and the timeline events.

#include "../common/testscenario.h"
#include "driver/driver.h"

#include <QTest>

#include <atomic>

using namespace brokerlab;

namespace {

const char* kScenario = R"({"name":"drv","duration_ms":30000,"cluster":{"brokers":3},
  "topics":[{"name":"t","partitions":3,"replication_factor":3}],
  "producers":[{"id":"p","topic":"t","rate":500,"workload":{"kind":"orders"}}]})";

} // namespace

class TestDriver : public QObject {
    Q_OBJECT
private slots:
    void pausedStepsAdvanceExactly()
    {
        driver::Driver driver(testing::scenarioFromJson(kScenario), 1);
        driver.start(driver::PacingMode::Paused);
        QCOMPARE(driver.snapshot()->virtualUs, std::int64_t(0));
        driver.step(250);
        QTRY_COMPARE(driver.snapshot()->virtualUs, std::int64_t(250000));
        driver.step(250);
        QTRY_COMPARE(driver.snapshot()->virtualUs, std::int64_t(500000));
        // A single-event step moves the clock to the next event and no further.
        const auto before = driver.snapshot()->eventsRun;
        driver.step();
        QTRY_COMPARE(driver.snapshot()->eventsRun, before + 1);
        QVERIFY(driver.snapshot()->virtualUs >= 500000);
    }

    void asFastAsPossibleReachesTheEnd()
    {
        driver::Driver driver(testing::scenarioFromJson(kScenario), 1);
        driver.start(driver::PacingMode::AsFastAsPossible);
        QTRY_VERIFY_WITH_TIMEOUT(driver.finished(), 60000);
        const auto snapshot = driver.snapshot();
        QCOMPARE(snapshot->virtualUs, std::int64_t(30000000));
        QVERIFY(snapshot->producers.front().counters.acked > 14000);
    }

    void pacedRunsInRealTimeTimesSpeed()
    {
        driver::Driver driver(testing::scenarioFromJson(kScenario), 1);
        driver.setSpeed(1000); // clamped to the maximum
        QCOMPARE(driver.speed(), driver::Driver::kMaxSpeed);
        driver.setSpeed(0.001);
        QCOMPARE(driver.speed(), driver::Driver::kMinSpeed);
        driver.setSpeed(50);
        driver.start(driver::PacingMode::Paced);
        QTRY_VERIFY(driver.snapshot()->virtualUs > 1000000); // a virtual second at 50x
        driver.setMode(driver::PacingMode::Paused);
        // The worker finishes the slice it is in (a few ms), publishes, and stops: from then on
        // virtual time stays put.
        QTest::qWait(250);
        const auto first = driver.snapshot()->virtualUs;
        QTest::qWait(250);
        QCOMPARE(driver.snapshot()->virtualUs, first);
    }

    void commandsRunOnTheWorkerAndAreLogged()
    {
        driver::Driver driver(testing::scenarioFromJson(kScenario), 1);
        driver.start(driver::PacingMode::Paused);
        driver.step(100);
        QTRY_COMPARE(driver.snapshot()->virtualUs, std::int64_t(100000));
        driver.post("create topic audit", [](driver::Engine& engine) {
            engine.cluster().createTopic("audit", 2, 3, engine.cluster().defaultTopicConfig());
        });
        driver.step(1);
        QTRY_COMPARE(driver.snapshot()->topics.size(), std::size_t(2));
        const auto log = driver.commandLog();
        QCOMPARE(log.size(), std::size_t(1));
        QCOMPARE(log.front().at, std::int64_t(100000));
        QCOMPARE(log.front().description, std::string("create topic audit"));
        // The timeline saw the topic being created.
        bool sawAudit = false;
        for (const auto& event : driver.takeEvents())
            sawAudit = sawAudit || (event.kind == "topic.created" && event.topic == "audit");
        QVERIFY(sawAudit);
    }

    void aSnapshotNobodyReadsIsNotBuilt()
    {
        // brokerlab-cli serve has no one drawing: the worker builds a snapshot only after the last was read.
        driver::Driver driver(testing::scenarioFromJson(kScenario), 1);
        driver.start(driver::PacingMode::Paced);
        const std::int64_t first = driver.snapshot()->virtualUs;
        QTest::qWait(400);
        // One was built after that read (an interval later), none since: 400 ms went by unwatched.
        const std::int64_t afterTheGap = driver.snapshot()->virtualUs;
        QVERIFY2(afterTheGap - first < 200000, qPrintable(QStringLiteral("%1 us").arg(afterTheGap - first)));
        // A reader that keeps reading gets fresh ones again.
        QTRY_VERIFY(driver.snapshot()->virtualUs > afterTheGap + 300000);
    }

    void aBrokerThatStopsIsPublishedWithoutAReader()
    {
        driver::Driver driver(testing::scenarioFromJson(kScenario), 1);
        std::atomic<int> calls { 0 };
        driver.setBrokersChangedListener([&calls] { ++calls; });
        driver.start(driver::PacingMode::Paced);
        const std::uint64_t before = driver.brokersVersion();
        // As a real client's request does: no description, so no publish of its own.
        driver.post("", [](driver::Engine& engine) { engine.cluster().broker(2)->crash(); });
        QTRY_VERIFY(driver.brokersVersion() != before);
        QCOMPARE(calls.load(), 1);
        // The snapshot there when the version changed already shows it (the wire server closes the listener on it).
        bool running = true;
        for (const auto& broker : driver.snapshot()->brokers)
            if (broker.id == 2)
                running = broker.running;
        QVERIFY(!running);
    }
};

QTEST_GUILESS_MAIN(TestDriver)
#include "test_driver.moc"
