// The controller quorum and the controller's own faults: killing the active controller of a
// 3-voter quorum elects another and the cluster goes on; a single controller's death freezes the
// metadata until it returns; a restarted broker is unfenced only after it has caught up with the
// metadata log.

#include "../common/testscenario.h"
#include "driver/report.h"

#include <QTest>

#include <vector>

using namespace brokerlab;

namespace {

struct Recorded {
    std::vector<sim::Event> events;

    std::vector<const sim::Event*> of(const std::string& kind) const
    {
        std::vector<const sim::Event*> found;
        for (const auto& event : events) {
            if (event.kind == kind)
                found.push_back(&event);
        }
        return found;
    }
    int count(const std::string& kind, sim::SimTime from = 0, sim::SimTime to = sim::kNever) const
    {
        int n = 0;
        for (const auto* event : of(kind))
            n += event->time >= from && event->time < to ? 1 : 0;
        return n;
    }
};

std::string scenarioJson(int controllers, const std::string& faults, int durationMs = 60000,
    const std::string& clusterConfig = R"({"min.insync.replicas":2})")
{
    return R"({"name":"q","seed":5,"duration_ms":)" + std::to_string(durationMs) + R"(,
      "cluster":{"brokers":3,"controllers":)"
        + std::to_string(controllers) + R"(,"config":)" + clusterConfig + R"(},
      "topics":[{"name":"t","partitions":3,"replication_factor":3}],
      "producers":[{"id":"p","topic":"t","rate":300,"workload":{"kind":"orders","keys":"uniform","key_count":50},
        "config":{"acks":"all","enable.idempotence":true}}],
      "faults":)"
        + faults + "}";
}

struct Run {
    std::unique_ptr<driver::Engine> engine;
    std::shared_ptr<Recorded> recorded = std::make_shared<Recorded>();
    check::CheckResult result;
};

Run run(const std::string& json, double untilMs = -1)
{
    Run r;
    r.engine = std::make_unique<driver::Engine>(testing::scenarioFromJson(json), 5);
    auto recorded = r.recorded;
    r.engine->trace().setListener([recorded](const sim::Event& event) { recorded->events.push_back(event); });
    r.engine->enableHistory();
    r.engine->start();
    r.engine->runUntil(untilMs < 0 ? r.engine->endTime() : sim::fromMs(untilMs));
    r.result = r.engine->checkHistory();
    return r;
}

} // namespace

class TestController : public QObject {
    Q_OBJECT
private slots:
    void threeVoterQuorumFailsOverAndKeepsServing()
    {
        // The active controller dies at 10 s; at 20 s broker 1 crashes, so only a new active
        // controller can fence it and move its leaderships.
        Run r = run(scenarioJson(3,
            R"([{"kind":"kill_controller","at_ms":10000},
                {"kind":"broker_crash","broker":1,"at_ms":20000,"until_ms":40000}])"));
        const auto& quorum = r.engine->cluster().quorum();
        QCOMPARE(r.recorded->count("fault.controller_kill"), 1);
        QCOMPARE(r.recorded->of("fault.controller_kill").front()->number("controller"), std::int64_t(0));
        QVERIFY(quorum.activeIndex() == 1 || quorum.activeIndex() == 2);
        QVERIFY(quorum.counters().elections >= 1);
        QVERIFY(quorum.epoch() >= 2);
        const auto elected = r.recorded->of("controller.elected");
        QVERIFY(!elected.empty());
        // Elected after controller.quorum.fetch.timeout.ms (2 s) and well before the broker crash.
        QVERIFY(elected.front()->time >= sim::fromMs(12000));
        QVERIFY(elected.front()->time < sim::fromMs(20000));
        // The new controller fenced the crashed broker and elected leaders for its partitions.
        QCOMPARE(r.recorded->count("broker.fenced", sim::fromMs(20000)), 1);
        QVERIFY(r.recorded->count("partition.leader_elected", sim::fromMs(20000)) >= 1);
        // And unfenced it when it came back.
        QCOMPARE(r.recorded->count("broker.unfenced", sim::fromMs(40000)), 1);
        // Produce with acks=all went on, and nothing acknowledged was lost.
        QVERIFY(r.result.acked > 15000);
        QCOMPARE(r.result.lost.count, std::int64_t(0));
        QCOMPARE(r.result.duplicated.count, std::int64_t(0));
        QCOMPARE(r.result.inconsistent.count, std::int64_t(0));
        QCOMPARE(r.engine->producers().front()->counters().failed, std::int64_t(0));
        // Every broker found the new active controller.
        for (std::int32_t id : r.engine->cluster().brokerIds())
            QCOMPARE(r.engine->cluster().controllerKnownBy(id), quorum.activeIndex());
        const auto& image = *quorum.committedImage();
        QCOMPARE(image.activeController, quorum.activeIndex());
        QCOMPARE(image.brokers.at(1).state, cluster::BrokerState::Online);
    }

    void killedControllerRejoinsAsFollower()
    {
        Run r = run(scenarioJson(3, R"([{"kind":"kill_controller","at_ms":5000,"until_ms":15000}])", 30000));
        const auto& quorum = r.engine->cluster().quorum();
        QCOMPARE(r.recorded->count("fault.controller_restart"), 1);
        QVERIFY(quorum.voterAlive(0));
        QVERIFY(quorum.activeIndex() != 0); // the old leader does not take over again
        QCOMPARE(quorum.counters().elections, std::int64_t(1));
        // Its log caught up with the leader's.
        QCOMPARE(quorum.logEndOffset(0), quorum.logEndOffset(quorum.activeIndex()));
        QCOMPARE(r.result.lost.count, std::int64_t(0));
    }

    void singleControllerDeathFreezesMetadata()
    {
        // Kafka with one controller: while it is down nothing can be decided. A crashed broker is
        // neither fenced nor replaced as leader, and no ISR changes; produce to partitions whose
        // leader is alive goes on (acks=all needs the ISR, which cannot shrink, so partitions
        // with the dead broker in their ISR wait). When the controller returns it elects itself,
        // fences the broker after a fresh session timeout and moves its leaderships.
        Run r = run(scenarioJson(1,
            R"([{"kind":"kill_controller","at_ms":10000,"until_ms":40000},
                {"kind":"broker_crash","broker":1,"at_ms":15000}])",
            70000));
        const auto& quorum = r.engine->cluster().quorum();
        const sim::SimTime killed = sim::fromMs(10000), back = sim::fromMs(40000);
        for (const char* kind : { "broker.fenced", "partition.leader_elected", "isr.shrink", "isr.expand",
                 "controller.elected", "broker.unfenced" })
            QVERIFY2(r.recorded->count(kind, killed, back) == 0, kind);
        QCOMPARE(quorum.counters().elections, std::int64_t(1)); // the restart's self-election
        const auto elected = r.recorded->of("controller.elected");
        QCOMPARE(elected.size(), std::size_t(1));
        QCOMPARE(elected.front()->time, back);
        // Only after the return: broker 1 fenced (a whole session timeout later) and replaced.
        const auto fenced = r.recorded->of("broker.fenced");
        QCOMPARE(fenced.size(), std::size_t(1));
        QVERIFY(fenced.front()->time >= back + sim::fromMs(9000));
        QVERIFY(r.recorded->count("partition.leader_elected", back) >= 1);
        QCOMPARE(quorum.activeIndex(), 0);
        QCOMPARE(r.result.lost.count, std::int64_t(0));
        for (const auto& topic : r.engine->snapshot().topics) {
            for (const auto& partition : topic.partitions)
                QVERIFY(partition.leader == 2 || partition.leader == 3);
        }
    }

    void controllerStateInTheReport()
    {
        Run r = run(scenarioJson(3, R"([{"kind":"kill_controller","at_ms":5000}])", 20000));
        driver::RunInfo info;
        info.checker = r.result;
        const std::string text = scenario::toJson(driver::buildReport(*r.engine, r.engine->snapshot(), info));
        QVERIFY(text.find("\"active_controller\":" + std::to_string(r.engine->cluster().quorum().activeIndex()))
            != std::string::npos);
        QVERIFY(text.find("\"controller_elections\":1") != std::string::npos);
    }

    void isolatedActiveControllerResigns()
    {
        // The active controller is cut off from the other voters and from the brokers. It cannot
        // commit anything, resigns once a majority has been silent for 1.5 × the fetch timeout,
        // and the other two elect a leader the brokers move to. After the heal it follows.
        Run r = run(scenarioJson(3,
            R"([{"kind":"network_partition","side_a":[0],"side_b":[-1,-2,1,2,3],"at_ms":10000,"until_ms":30000}])",
            50000));
        const auto& quorum = r.engine->cluster().quorum();
        QCOMPARE(r.recorded->count("controller.resigned"), 1);
        QVERIFY(r.recorded->count("controller.elected") >= 1);
        QVERIFY(quorum.activeIndex() == 1 || quorum.activeIndex() == 2);
        QCOMPARE(quorum.logEndOffset(0), quorum.logEndOffset(quorum.activeIndex()));
        QCOMPARE(r.recorded->count("broker.fenced"), 0); // nobody was fenced for the controller's trouble
        QCOMPARE(r.result.lost.count, std::int64_t(0));
        QCOMPARE(r.engine->producers().front()->counters().failed, std::int64_t(0));
    }

    void brokerAddedWhileNoControllerRegistersLater()
    {
        Run r = run(scenarioJson(1,
            R"([{"kind":"kill_controller","at_ms":5000,"until_ms":15000},{"kind":"add_broker","at_ms":8000}])", 30000));
        const auto& image = r.engine->cluster().controller().image();
        QCOMPARE(image.brokers.count(4), std::size_t(1));
        QCOMPARE(image.brokers.at(4).state, cluster::BrokerState::Online);
        const auto registered = r.recorded->of("broker.registered");
        QVERIFY(registered.back()->broker == 4 && registered.back()->time >= sim::fromMs(15000));
    }

    void reassignAsAScenarioEntry()
    {
        Run r = run(R"({"name":"re","seed":5,"duration_ms":30000,"cluster":{"brokers":4},
          "topics":[{"name":"t","partitions":1,"replication_factor":1}],
          "producers":[{"id":"p","topic":"t","rate":100,"workload":{"kind":"orders"}}],
          "faults":[{"kind":"reassign","at_ms":10000,"topic":"t","partition":0,"replicas":[4,3]}]})");
        const auto& partition = r.engine->cluster().controller().image().topics.at("t").partitions.at(0);
        QCOMPARE(partition.replicas, (std::vector<std::int32_t> { 4, 3 }));
        QVERIFY(partition.leader == 4 || partition.leader == 3);
        QCOMPARE(r.recorded->count("partition.reassignment_completed"), 1);
        QCOMPARE(r.result.lost.count, std::int64_t(0));
    }

    void restartedBrokerIsUnfencedOnlyAfterCatchingUp()
    {
        Run r = run(scenarioJson(1, R"([{"kind":"broker_crash","broker":2,"at_ms":10000,"until_ms":12000}])", 30000));
        const auto registered = r.recorded->of("broker.registered");
        const sim::Event* again = nullptr;
        for (const auto* event : registered)
            again = event->time > 0 ? event : again;
        QVERIFY(again);
        const auto unfenced = r.recorded->of("broker.unfenced");
        QCOMPARE(unfenced.size(), std::size_t(1));
        // The broker asked with its metadata offset; it had to reach its new broker epoch.
        QCOMPARE(unfenced.front()->number("broker_epoch"), again->number("broker_epoch"));
        QVERIFY(unfenced.front()->number("broker_metadata_offset") >= unfenced.front()->number("broker_epoch"));
        // The first heartbeat after the restart carried an empty metadata cache: not unfenced then,
        // but one heartbeat interval (2 s) after that heartbeat; the registration's own round trip
        // (under a millisecond) lies between the restart and the registration event.
        QVERIFY(unfenced.front()->time >= again->time + sim::fromMs(1990));
    }
};

QTEST_GUILESS_MAIN(TestController)
#include "test_controller.moc"
