// Faults that change the cluster rather than kill a process: clock skew, decommissioning a broker,
// reassigning partitions (KIP-455); and KIP-101's two data-loss cases, which leader-epoch
// truncation must survive.

#include "../common/testscenario.h"

#include <QTest>

#include <cstdlib>
#include <fstream>
#include <vector>

using namespace brokerlab;

namespace {

struct Recorded {
    std::vector<sim::Event> events;
    int count(const std::string& kind) const
    {
        int n = 0;
        for (const auto& event : events)
            n += event.kind == kind ? 1 : 0;
        return n;
    }
    const sim::Event* first(const std::string& kind) const
    {
        for (const auto& event : events) {
            if (event.kind == kind)
                return &event;
        }
        return nullptr;
    }
};

struct Run {
    std::unique_ptr<driver::Engine> engine;
    std::shared_ptr<Recorded> recorded = std::make_shared<Recorded>();
};

Run started(const std::string& json)
{
    Run r;
    r.engine = std::make_unique<driver::Engine>(testing::scenarioFromJson(json), 7);
    auto recorded = r.recorded;
    r.engine->trace().setListener([recorded](const sim::Event& event) { recorded->events.push_back(event); });
    r.engine->enableHistory();
    if (const char* path = std::getenv("DEBUG_TRACE")) {
        auto file = std::make_shared<std::ofstream>(path);
        r.engine->trace().setSink([file](std::string_view line) { *file << line; file->flush(); });
    }
    r.engine->start();
    return r;
}

std::string retentionScenario(const std::string& faults)
{
    return R"({"name":"skew","seed":7,"duration_ms":60000,
      "cluster":{"brokers":3,"config":{"log.retention.check.interval.ms":1000}},
      "topics":[{"name":"t","partitions":3,"replication_factor":3,
        "config":{"retention.ms":20000,"segment.ms":2000}}],
      "producers":[{"id":"p","topic":"t","rate":300,"workload":{"kind":"orders","keys":"uniform","key_count":50},
        "config":{"acks":"all"}}],
      "faults":)"
        + faults + "}";
}

std::vector<std::string> logValues(driver::Engine& engine, std::int32_t broker, const std::string& topic, std::int32_t p)
{
    std::vector<std::string> values;
    const auto* replica = engine.cluster().broker(broker)->replica({ topic, p });
    for (const auto& record : replica->log().readRecords(replica->logStartOffset(), replica->logEndOffset(), 100000000))
        values.push_back(record.value.value_or(""));
    return values;
}

} // namespace

class TestClusterFaults : public QObject {
    Q_OBJECT
private slots:
    void clockSkewMovesRetention()
    {
        // The same run three times: broker 1's wall clock in step, 15 s ahead, 15 s behind.
        // Retention compares the records' timestamps with the broker's clock, so the broker
        // whose clock runs ahead deletes earlier and the one behind later. Followers also
        // follow the leader's log start offset, as in Kafka, so the difference shows on the
        // partition broker 1 leads for everybody, and on its own replicas elsewhere.
        struct Starts {
            std::map<std::pair<std::int32_t, std::int32_t>, std::int64_t> at; // (partition, broker)
            std::int32_t led = -1; // the partition broker 1 leads
            int skewEvents = 0;
        };
        auto logStarts = [](std::int64_t skew) {
            Run r = started(retentionScenario(
                skew == 0 ? std::string("[]")
                          : R"([{"kind":"clock_skew","broker":1,"at_ms":0,"skew_ms":)" + std::to_string(skew) + "}]"));
            r.engine->runUntil(r.engine->endTime());
            Starts starts;
            starts.skewEvents = r.recorded->count("fault.clock_skew");
            for (const auto& partition : r.engine->cluster().controller().image().topics.at("t").partitions) {
                for (std::int32_t broker : partition.replicas) {
                    starts.at[{ partition.partition, broker }]
                        = r.engine->cluster().broker(broker)->replica({ "t", partition.partition })->logStartOffset();
                }
                if (partition.leader == 1)
                    starts.led = partition.partition;
            }
            return starts;
        };
        const Starts inStepRun = logStarts(0), aheadRun = logStarts(15000), behindRun = logStarts(-15000);
        QCOMPARE(inStepRun.skewEvents, 0);
        QCOMPARE(aheadRun.skewEvents, 1);
        QCOMPARE(behindRun.skewEvents, 1);
        const auto& inStep = inStepRun.at;
        const auto& ahead = aheadRun.at;
        const auto& behind = behindRun.at;
        const std::int32_t led = inStepRun.led;
        const std::int32_t ledAhead = aheadRun.led, ledBehind = behindRun.led;
        QVERIFY(led >= 0);
        QCOMPARE(ledAhead, led);
        QCOMPARE(ledBehind, led);
        QVERIFY(inStep.at({ led, 1 }) > 0); // retention ran at all
        // Broker 1 leads `led`: ahead it deletes more, behind it keeps more.
        QVERIFY(ahead.at({ led, 1 }) > inStep.at({ led, 1 }));
        QVERIFY(behind.at({ led, 1 }) < inStep.at({ led, 1 }));
        // On a partition it follows, a broker ahead deletes before its leader does.
        for (std::int32_t p = 0; p < 3; ++p) {
            if (p == led)
                continue;
            for (std::int32_t other : { 2, 3 }) {
                if (ahead.count({ p, other }) != 0)
                    QVERIFY(ahead.at({ p, 1 }) >= ahead.at({ p, other }));
            }
            QVERIFY(ahead.at({ p, 1 }) > inStep.at({ p, 1 }));
        }
    }

    void removedBrokerIsUnregisteredAndItsReplicasStay()
    {
        Run r = started(R"({"name":"rm","seed":7,"duration_ms":40000,
          "cluster":{"brokers":4,"config":{"min.insync.replicas":2}},
          "topics":[{"name":"t","partitions":4,"replication_factor":3}],
          "producers":[{"id":"p","topic":"t","rate":200,"workload":{"kind":"orders","keys":"uniform","key_count":50},
            "config":{"acks":"all"}}],
          "faults":[{"kind":"remove_broker","broker":2,"at_ms":10000}]})");
        r.engine->runUntil(r.engine->endTime());
        QCOMPARE(r.recorded->count("fault.remove_broker"), 1);
        QCOMPARE(r.recorded->count("broker.controlled_shutdown"), 1);
        QCOMPARE(r.recorded->count("broker.unregistered"), 1);
        QVERIFY(r.recorded->first("broker.stopped")->time <= r.recorded->first("broker.unregistered")->time);
        const auto& image = r.engine->cluster().controller().image();
        QCOMPARE(image.brokers.count(2), std::size_t(0));
        bool hosted = false;
        for (const auto& partition : image.topics.at("t").partitions) {
            // KRaft keeps the replica in the assignment: under-replicated until reassigned.
            const bool here = std::find(partition.replicas.begin(), partition.replicas.end(), 2) != partition.replicas.end();
            hosted = hosted || here;
            QVERIFY(std::find(partition.isr.begin(), partition.isr.end(), 2) == partition.isr.end());
            QVERIFY(partition.leader != 2 && partition.leader > 0);
        }
        QVERIFY(hosted);
        const auto result = r.engine->checkHistory();
        QCOMPARE(result.lost.count, std::int64_t(0));
        QCOMPARE(r.engine->producers().front()->counters().failed, std::int64_t(0));
    }

    void reassignmentAddsCatchesUpThenRemoves()
    {
        // t-0 moves from its three replicas onto the fourth broker plus two of them; if the leader is the
        // one removed, leadership moves.
        Run r = started(R"({"name":"re","seed":7,"duration_ms":40000,
          "cluster":{"brokers":4,"config":{"min.insync.replicas":2}},
          "topics":[{"name":"t","partitions":1,"replication_factor":3}],
          "producers":[{"id":"p","topic":"t","rate":300,"workload":{"kind":"orders","keys":"uniform","key_count":50},
            "config":{"acks":"all"}}],
          "faults":[]})");
        testing::runForMs(*r.engine, 10000);
        const auto before = r.engine->cluster().controller().image().topics.at("t").partitions.at(0);
        QCOMPARE(before.replicas.size(), std::size_t(3));
        std::int32_t spare = 1; // the broker without a replica
        while (std::find(before.replicas.begin(), before.replicas.end(), spare) != before.replicas.end())
            ++spare;
        const std::int32_t removed = before.leader; // move the leader away: the hardest case
        std::vector<std::int32_t> target { spare };
        for (std::int32_t id : before.replicas) {
            if (id != removed)
                target.push_back(id);
        }
        QCOMPARE(r.engine->reassignPartition("t", 0, target).error, protocol::ErrorCode::NONE);
        {
            const auto& during = r.engine->cluster().controller().image().topics.at("t").partitions.at(0);
            QCOMPARE(during.replicas.size(), std::size_t(4)); // target + removing
            QCOMPARE(during.addingReplicas, std::vector<std::int32_t> { spare });
            QCOMPARE(during.removingReplicas, std::vector<std::int32_t> { removed });
            QCOMPARE(during.leader, removed); // still leads while 4 catches up
        }
        // A second reassignment while one is in progress is refused with a reason.
        QCOMPARE(r.engine->reassignPartition("t", 0, before.replicas).error, protocol::ErrorCode::INVALID_REPLICA_ASSIGNMENT);
        r.engine->runUntil(r.engine->endTime());
        const auto& after = r.engine->cluster().controller().image().topics.at("t").partitions.at(0);
        QCOMPARE(after.replicas, target);
        QVERIFY(after.addingReplicas.empty() && after.removingReplicas.empty());
        QVERIFY(after.leader != removed && after.leader > 0);
        QCOMPARE(std::set<std::int32_t>(after.isr.begin(), after.isr.end()), std::set<std::int32_t>(target.begin(), target.end()));
        // The order of events is KIP-455's: started, 4 enters the ISR, completed, new leader.
        const auto* started = r.recorded->first("partition.reassignment_started");
        const auto* completed = r.recorded->first("partition.reassignment_completed");
        QVERIFY(started && completed && started->time < completed->time);
        bool joined = false;
        for (const auto& event : r.recorded->events) {
            if (event.kind == "isr.expand" && event.time >= started->time && event.time <= completed->time)
                joined = true;
        }
        QVERIFY(joined);
        // The removed broker dropped its replica; the added one holds the same records as the leader.
        QVERIFY(r.engine->cluster().broker(removed)->replica({ "t", 0 }) == nullptr);
        const auto leaderLog = logValues(*r.engine, after.leader, "t", 0);
        const auto newLog = logValues(*r.engine, spare, "t", 0);
        const auto hw = r.engine->cluster().broker(after.leader)->replica({ "t", 0 })->highWatermark();
        QVERIFY(static_cast<std::int64_t>(newLog.size()) >= hw);
        QVERIFY(std::equal(newLog.begin(), newLog.begin() + hw, leaderLog.begin()));
        const auto result = r.engine->checkHistory();
        QCOMPARE(result.lost.count, std::int64_t(0));
        QCOMPARE(result.inconsistent.count, std::int64_t(0));
    }

    void badReassignmentsAreRefused()
    {
        Run r = started(R"({"name":"re","seed":7,"duration_ms":10000,"cluster":{"brokers":3},
          "topics":[{"name":"t","partitions":1,"replication_factor":2}]})");
        QCOMPARE(r.engine->reassignPartition("t", 0, {}).error, protocol::ErrorCode::INVALID_REPLICA_ASSIGNMENT);
        QCOMPARE(r.engine->reassignPartition("t", 0, { 1, 1 }).error, protocol::ErrorCode::INVALID_REPLICA_ASSIGNMENT);
        QCOMPARE(r.engine->reassignPartition("t", 0, { 1, 9 }).error, protocol::ErrorCode::INVALID_REPLICA_ASSIGNMENT);
        QCOMPARE(r.engine->reassignPartition("u", 0, { 1 }).error, protocol::ErrorCode::UNKNOWN_TOPIC_OR_PARTITION);
        QVERIFY(r.recorded->count("fault.reassign_failed") == 4);
        // A scenario naming a topic it does not have fails to load, naming the key.
        auto parsed = scenario::parseScenario(R"({"name":"x","topics":[{"name":"t"}],
          "faults":[{"kind":"reassign","at_ms":0,"topic":"nope","partition":0,"replicas":[1]}]})", "x.json");
        QVERIFY(std::holds_alternative<scenario::ScenarioError>(parsed));
        QVERIFY(std::get<scenario::ScenarioError>(parsed).toString().find("nope") != std::string::npos);
    }

    void kip101HighWatermarkTruncationCase()
    {
        // KIP-101 case 1: a follower restarts while its high watermark lags its log end (the
        // leader's HW has moved, the follower has not heard yet). Truncating to that stale HW, as
        // Kafka did before leader epochs, would cut records the leader already acknowledged;
        // if the leader then dies and the follower takes over, they are gone. Brokerlab's
        // follower keeps its log and asks the leader by epoch, so nothing is lost.
        Run r = started(R"({"name":"kip101a","seed":7,"duration_ms":60000,
          "cluster":{"brokers":2,"config":{"min.insync.replicas":1,"offsets.topic.replication.factor":2}},
          "topics":[{"name":"t","partitions":1,"replication_factor":2}],
          "producers":[{"id":"p","topic":"t","rate":500,"workload":{"kind":"orders","keys":"uniform","key_count":50},
            "config":{"acks":"all","linger.ms":0}}]})");
        auto ackedOffsets = std::make_shared<std::set<std::int64_t>>();
        const std::set<std::int64_t>& acked = *ackedOffsets;
        r.engine->producers().front()->setDeliveryListener([ackedOffsets](const client::DeliveryReport& report) {
            if (report.error == protocol::ErrorCode::NONE)
                for (std::int32_t i = 0; i < report.recordCount; ++i)
                    ackedOffsets->insert(report.baseOffset + i);
        });
        testing::runForMs(*r.engine, 10000);
        const auto& partition = r.engine->cluster().controller().image().topics.at("t").partitions.at(0);
        const std::int32_t leader = partition.leader;
        const std::int32_t follower = leader == 1 ? 2 : 1;
        // Step until the follower holds acknowledged records above its own HW.
        auto* replica = r.engine->cluster().broker(follower)->replica({ "t", 0 });
        bool stale = false;
        for (int i = 0; i < 1000000 && !stale; ++i) {
            r.engine->step();
            const std::int64_t hw = replica->highWatermark(), leo = replica->logEndOffset();
            stale = hw < leo && acked.count(leo - 1) != 0 && acked.count(hw) != 0;
        }
        QVERIFY2(stale, "the follower never held acknowledged records above its HW");
        const std::int64_t staleHw = replica->highWatermark();
        const std::int64_t leoBefore = replica->logEndOffset();
        // It crashes and comes straight back.
        cluster::Broker* restarted = r.engine->cluster().broker(follower);
        restarted->crash();
        restarted->restart();
        replica = restarted->replica({ "t", 0 });
        QCOMPARE(replica->logEndOffset(), leoBefore); // no truncation to the stale HW
        QVERIFY(staleHw < leoBefore);
        // It rejoins the ISR; then the leader dies for good and the follower is elected.
        testing::runForMs(*r.engine, 20000);
        {
            const auto& now = r.engine->cluster().controller().image().topics.at("t").partitions.at(0);
            QCOMPARE(now.isr.size(), std::size_t(2));
        }
        r.engine->cluster().broker(leader)->crash();
        r.engine->runUntil(r.engine->endTime());
        const auto& final = r.engine->cluster().controller().image().topics.at("t").partitions.at(0);
        QCOMPARE(final.leader, follower);
        // Every acknowledged offset is committed on the new leader, with the record the old
        // leader had there (its log survives in the page cache, so it can be compared).
        QVERIFY(acked.size() > 10000);
        const std::int64_t hw = replica->highWatermark();
        QVERIFY(*acked.rbegin() < hw);
        const auto newLog = logValues(*r.engine, follower, "t", 0);
        const auto oldLog = logValues(*r.engine, leader, "t", 0);
        QVERIFY(static_cast<std::int64_t>(oldLog.size()) >= leoBefore);
        QVERIFY(std::equal(oldLog.begin(), oldLog.begin() + leoBefore, newLog.begin()));
    }

    void kip101DivergentLogsCase()
    {
        // KIP-101 case 2: leader and follower crash together; the follower (behind: acks=1 and a
        // slow link) comes back first and is elected from the ISR, then takes new writes at
        // offsets the old leader also used. With HW truncation the old leader would keep its own
        // records there and the replicas would disagree for good. With leader epochs it
        // truncates at the divergence and copies the new leader's records.
        Run r = started(R"({"name":"kip101b","seed":7,"duration_ms":90000,
          "cluster":{"brokers":2,"config":{"min.insync.replicas":1,"offsets.topic.replication.factor":2}},
          "topics":[{"name":"t","partitions":2,"replication_factor":2}],
          "producers":[{"id":"p","topic":"t","rate":500,"workload":{"kind":"orders","keys":"uniform","key_count":50},
            "config":{"acks":1,"enable.idempotence":false,"linger.ms":0}}],
          "faults":[{"kind":"link","from":1,"to":2,"latency_ms":60,"at_ms":0,"until_ms":20000},
            {"kind":"broker_crash","broker":1,"at_ms":20000,"until_ms":50000},
            {"kind":"broker_crash","broker":2,"at_ms":20000,"until_ms":35000}]})");
        r.engine->runUntil(r.engine->endTime());
        // Whichever partition broker 2 stayed in the ISR of was led by broker 2 again from 35 s,
        // while broker 1 held records broker 2 never got: broker 1 must truncate.
        QVERIFY(r.recorded->count("replica.truncated") >= 1);
        const auto* truncated = r.recorded->first("replica.truncated");
        QCOMPARE(truncated->broker, 1);
        QVERIFY(truncated->time >= sim::fromMs(50000));
        const auto result = r.engine->checkHistory();
        // The replicas agree everywhere. What acks=1 costs is shown, not hidden: records the old
        // leader acknowledged at offsets the new leader reused are lost, and their acks
        // name offsets that now hold other records.
        QCOMPARE(result.inconsistentReplicas, std::int64_t(0));
        QCOMPARE(result.inconsistentReads, std::int64_t(0));
        QVERIFY(result.lost.count > 0);
        QVERIFY(result.inconsistentAcks > 0);
        for (std::int32_t p = 0; p < 2; ++p) {
            const auto& partition = r.engine->cluster().controller().image().topics.at("t").partitions.at(p);
            QCOMPARE(partition.isr.size(), std::size_t(2));
            const auto one = logValues(*r.engine, 1, "t", p);
            const auto two = logValues(*r.engine, 2, "t", p);
            const auto hw = r.engine->cluster().broker(partition.leader)->replica({ "t", p })->highWatermark();
            QVERIFY(static_cast<std::int64_t>(one.size()) >= hw && static_cast<std::int64_t>(two.size()) >= hw);
            QVERIFY(std::equal(one.begin(), one.begin() + hw, two.begin()));
        }
    }
};

QTEST_GUILESS_MAIN(TestClusterFaults)
#include "test_clusterfaults.moc"
