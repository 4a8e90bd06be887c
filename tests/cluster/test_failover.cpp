// Faults and what they do to the data: crash and restart, power loss, controlled shutdown,
// unclean election, slow and full disks, isolation. Each test checks what Kafka guarantees (or
// shows what it does not) through the final logs and the trace.

#include "../common/testscenario.h"

#include <QTest>

#include <map>
#include <set>

using namespace brokerlab;
using testing::runForMs;
using testing::startedEngine;

namespace {

std::string faultScenario(const std::string& producerConfig, const std::string& topicConfig, const std::string& faults,
    int durationMs = 90000, const std::string& clusterConfig = R"({"min.insync.replicas":2})")
{
    return R"({"name":"f","seed":3,"duration_ms":)" + std::to_string(durationMs) + R"(,
      "cluster":{"brokers":3,"config":)"
        + clusterConfig + R"(},
      "topics":[{"name":"t","partitions":3,"replication_factor":3,"config":)"
        + topicConfig + R"(}],
      "producers":[{"id":"p","topic":"t","rate":300,"workload":{"kind":"orders","keys":"uniform","key_count":100},
        "config":)" + producerConfig
        + R"(}],
      "faults":)" + faults
        + "}";
}

struct Acked {
    std::map<protocol::TopicPartition, std::set<std::int64_t>> offsets;
    std::int64_t records = 0;
};

// Subscribes to every delivery report before the run starts.
std::shared_ptr<Acked> collectAcks(driver::Engine& engine)
{
    auto acked = std::make_shared<Acked>();
    engine.producers().front()->setDeliveryListener([acked](const client::DeliveryReport& report) {
        if (report.error != protocol::ErrorCode::NONE || report.baseOffset < 0)
            return;
        for (std::int32_t i = 0; i < report.recordCount; ++i)
            acked->offsets[report.topicPartition].insert(report.baseOffset + i);
        acked->records += report.recordCount;
    });
    return acked;
}

std::vector<std::string> values(driver::Engine& engine, std::int32_t broker, const std::string& topic, std::int32_t p)
{
    std::vector<std::string> result;
    const auto* replica = engine.cluster().broker(broker)->replica({ topic, p });
    for (const auto& record : replica->log().readRecords(0, replica->logEndOffset(), 10000000))
        result.push_back(record.value.value_or(""));
    return result;
}

int countEvents(const std::string& trace, const std::string& kind)
{
    int count = 0;
    const std::string needle = "\"kind\":\"" + kind + "\"";
    for (std::size_t at = trace.find(needle); at != std::string::npos; at = trace.find(needle, at + 1))
        ++count;
    return count;
}

struct Run {
    std::unique_ptr<driver::Engine> engine;
    std::shared_ptr<Acked> acked;
    std::shared_ptr<std::string> trace;
};

Run runScenario(const std::string& json)
{
    Run run;
    run.engine = std::make_unique<driver::Engine>(testing::scenarioFromJson(json), 3);
    run.trace = std::make_shared<std::string>();
    auto trace = run.trace;
    run.engine->trace().setSink([trace](std::string_view line) { trace->append(line); });
    run.engine->start();
    run.acked = collectAcks(*run.engine);
    run.engine->runUntil(run.engine->endTime());
    return run;
}

check::CheckResult checkedRun(const std::string& json)
{
    driver::Engine engine(testing::scenarioFromJson(json), 3);
    engine.enableHistory();
    engine.start();
    engine.runUntil(engine.endTime());
    return engine.checkHistory();
}

// Every acknowledged offset is below the final HW of its partition, and every in-sync replica
// holds the same records as the leader below the HW.
void verifyNoAckedLoss(Run& run)
{
    const auto snapshot = run.engine->snapshot();
    QVERIFY(run.acked->records > 0);
    for (const auto& [topicPartition, offsets] : run.acked->offsets) {
        const auto& partition = testing::partitionOf(snapshot, topicPartition.topic, topicPartition.partition);
        QVERIFY2(partition.leader > 0, "partition offline at the end");
        QVERIFY(*offsets.rbegin() < partition.highWatermark);
        const auto leader = values(*run.engine, partition.leader, topicPartition.topic, topicPartition.partition);
        QCOMPARE(static_cast<std::int64_t>(leader.size()), partition.logEndOffset);
        for (std::int32_t id : partition.isr) {
            auto replica = values(*run.engine, id, topicPartition.topic, topicPartition.partition);
            replica.resize(std::min(replica.size(), static_cast<std::size_t>(partition.highWatermark)));
            QCOMPARE(replica, std::vector<std::string>(leader.begin(), leader.begin() + static_cast<std::ptrdiff_t>(replica.size())));
        }
    }
}

} // namespace

class TestFailover : public QObject {
    Q_OBJECT
private slots:
    void crashFencesElectsAndLosesNothingAcked()
    {
        Run run = runScenario(faultScenario(R"({"acks":"all"})", "{}",
            R"([{"kind":"broker_crash","at_ms":20000,"until_ms":50000,"broker":1}])"));
        QCOMPARE(countEvents(*run.trace, "fault.broker_crash"), 1);
        QCOMPARE(countEvents(*run.trace, "broker.fenced"), 1);
        QVERIFY(countEvents(*run.trace, "partition.leader_elected") >= 1);
        QCOMPARE(countEvents(*run.trace, "partition.unclean_election"), 0);
        // Fenced within broker.session.timeout.ms (9 s) of the last heartbeat.
        const auto fenced = run.trace->find("\"kind\":\"broker.fenced\"");
        const auto timeStart = run.trace->rfind("{\"t_us\":", fenced) + 8;
        const std::int64_t fencedAt = std::stoll(run.trace->substr(timeStart));
        QVERIFY(fencedAt > 20000000 && fencedAt <= 20000000 + 9000000 + 1000000);
        // The broker came back into every ISR.
        const auto snapshot = run.engine->snapshot();
        for (int p = 0; p < 3; ++p)
            QCOMPARE(testing::partitionOf(snapshot, "t", p).isr.size(), std::size_t(3));
        verifyNoAckedLoss(run);
        QCOMPARE(run.engine->producers().front()->counters().failed, std::int64_t(0));
    }

    void quickRestartReRegistersBeforeLeadingAgain()
    {
        // Back within broker.session.timeout.ms: the session never expired, but the new process
        // re-registers, so the controller fences the old registration first (its leaderships
        // move to in-sync replicas) and then unfences it; it rejoins as a follower.
        Run run = runScenario(faultScenario(R"({"acks":"all"})", "{}",
            R"([{"kind":"broker_crash","at_ms":20000,"until_ms":23000,"broker":1}])", 60000));
        QCOMPARE(countEvents(*run.trace, "broker.fenced"), 1);
        QVERIFY(run.trace->find("it restarted and registered again") != std::string::npos);
        QCOMPARE(countEvents(*run.trace, "broker.unfenced"), 1);
        verifyNoAckedLoss(run);
        const auto& counters = run.engine->producers().front()->counters();
        QCOMPARE(counters.failed, std::int64_t(0));
        QVERIFY(counters.acked >= counters.produced - 10); // only the last instant's records in flight
        const auto snapshot = run.engine->snapshot();
        for (int p = 0; p < 3; ++p)
            QVERIFY(testing::partitionOf(snapshot, "t", p).highWatermark > 4000);
    }

    void pausedBrokerIsFencedAndCatchesUp()
    {
        // A long GC pause: heartbeats stop, the controller fences the broker and moves its
        // leaderships; when it runs again it works through the queued requests (too late to
        // acknowledge anything as leader) and rejoins the ISRs as a follower.
        Run run = runScenario(faultScenario(R"({"acks":"all"})", "{}",
            R"([{"kind":"broker_pause","at_ms":10000,"until_ms":25000,"broker":2}])", 60000));
        QCOMPARE(countEvents(*run.trace, "fault.broker_pause"), 1);
        QCOMPARE(countEvents(*run.trace, "fault.broker_resume"), 1);
        QCOMPARE(countEvents(*run.trace, "broker.fenced"), 1);
        QCOMPARE(countEvents(*run.trace, "broker.unfenced"), 1);
        verifyNoAckedLoss(run);
        const auto snapshot = run.engine->snapshot();
        for (int p = 0; p < 3; ++p)
            QCOMPARE(testing::partitionOf(snapshot, "t", p).isr.size(), std::size_t(3));
        QCOMPARE(run.engine->producers().front()->counters().failed, std::int64_t(0));
    }

    void controlledShutdownMovesLeadershipFirst()
    {
        Run run = runScenario(faultScenario(R"({"acks":"all"})", "{}",
            R"([{"kind":"broker_shutdown","at_ms":20000,"until_ms":40000,"broker":2}])", 60000));
        QCOMPARE(countEvents(*run.trace, "broker.controlled_shutdown"), 1);
        QCOMPARE(countEvents(*run.trace, "broker.stopped"), 1);
        QCOMPARE(countEvents(*run.trace, "partition.offline"), 0);
        QCOMPARE(countEvents(*run.trace, "broker.fenced"), 0); // nothing timed out
        // Leadership moved before the broker stopped.
        QVERIFY(run.trace->find("\"kind\":\"partition.leader_elected\"") < run.trace->find("\"kind\":\"broker.stopped\""));
        verifyNoAckedLoss(run);
    }

    void powerLossLosesTheUnflushedTail_data()
    {
        QTest::addColumn<QString>("topicConfig");
        QTest::addColumn<bool>("expectLoss");
        QTest::addRow("page cache only") << "{}" << true;
        QTest::addRow("flush.messages=1") << R"({"flush.messages":1})" << false;
    }
    void powerLossLosesTheUnflushedTail()
    {
        QFETCH(QString, topicConfig);
        QFETCH(bool, expectLoss);
        Run run = runScenario(faultScenario(R"({"acks":"all"})", topicConfig.toStdString(),
            R"([{"kind":"power_loss","at_ms":20000,"until_ms":30000,"broker":3}])", 50000));
        const auto at = run.trace->find("\"kind\":\"fault.power_loss\"");
        QVERIFY(at != std::string::npos);
        const bool lost = run.trace->find("\"offsets_lost\":0,", at) == std::string::npos;
        QCOMPARE(lost, expectLoss);
        // Either way the cluster as a whole lost nothing acknowledged: the others had it.
        verifyNoAckedLoss(run);
    }

    void uncleanElectionShowsTheLoss()
    {
        // RF 3 but the ISR shrinks to the leader (min.insync.replicas 1, acks=1); the leader dies
        // and only an out-of-sync replica is left: with unclean election it becomes leader.
        Run run = runScenario(faultScenario(R"({"acks":1,"enable.idempotence":false})",
            R"({"unclean.leader.election.enable":true,"min.insync.replicas":1})",
            R"([{"kind":"broker_crash","at_ms":10000,"until_ms":80000,"broker":2},
                {"kind":"broker_crash","at_ms":45000,"broker":1},
                {"kind":"broker_crash","at_ms":45000,"broker":3},
                {"kind":"broker_restart","at_ms":60000,"broker":2}])"));
        QVERIFY(countEvents(*run.trace, "partition.unclean_election") >= 1);
        QVERIFY(run.trace->find("UNCLEAN") != std::string::npos);
    }

    void historyCheckerFindsWhatUncleanElectionLost()
    {
        const auto unclean = checkedRun(faultScenario(R"({"acks":1,"enable.idempotence":false})",
            R"({"unclean.leader.election.enable":true,"min.insync.replicas":1})",
            R"([{"kind":"broker_crash","at_ms":10000,"until_ms":80000,"broker":2},
                {"kind":"broker_crash","at_ms":45000,"broker":1},
                {"kind":"broker_crash","at_ms":45000,"broker":3},
                {"kind":"broker_restart","at_ms":60000,"broker":2}])"));
        QVERIFY(unclean.acked > 0);
        QVERIFY2(unclean.lost.count > 0, "an unclean election after acks=1 writes must lose acknowledged records");
        QVERIFY(!unclean.ok());
        QVERIFY(!unclean.lost.examples.empty());

        const auto clean = checkedRun(faultScenario(R"({"acks":"all"})", "{}",
            R"([{"kind":"broker_crash","at_ms":20000,"until_ms":50000,"broker":1}])"));
        QVERIFY(clean.acked > 10000);
        QCOMPARE(clean.lost.count, std::int64_t(0));
        QVERIFY(clean.ok());
    }

    void idempotenceTurnsLostResponsesIntoNoDuplicates_data()
    {
        QTest::addColumn<bool>("idempotent");
        QTest::addRow("enable.idempotence=true") << true;
        QTest::addRow("enable.idempotence=false") << false;
    }
    void idempotenceTurnsLostResponsesIntoNoDuplicates()
    {
        // A lossy network drops some produce responses: the producer retries batches the leader
        // already wrote. Only the idempotent producer's retries are recognised as duplicates.
        QFETCH(bool, idempotent);
        const std::string producer = std::string(R"({"acks":"all","request.timeout.ms":500,"enable.idempotence":)")
            + (idempotent ? "true" : "false") + "}";
        std::string json = faultScenario(producer, "{}", "[]", 60000);
        json.replace(json.find(R"("cluster":{)"), 11, R"("cluster":{"network":{"loss":0.2},)");
        const auto result = checkedRun(json);
        QVERIFY(result.acked > 5000);
        QCOMPARE(result.lost.count, std::int64_t(0));
        if (idempotent)
            QCOMPARE(result.duplicated.count, std::int64_t(0));
        else
            QVERIFY2(result.duplicated.count > 0, "retries without idempotence should write duplicates");
    }

    void jepsen2013_data()
    {
        QTest::addColumn<bool>("unclean");
        QTest::addRow("unclean.leader.election.enable=false") << false;
        QTest::addRow("unclean.leader.election.enable=true") << true;
    }
    void jepsen2013()
    {
        // Jepsen's 2013 Kafka finding, replayed: the followers are cut off from broker 1, its ISR
        // shrinks to itself (min.insync.replicas 1 lets acks=all writes go on), then broker 1 dies.
        // With unclean election a lagging replica takes over and acknowledged writes are gone;
        // without it the partition waits offline for broker 1 and nothing is lost.
        QFETCH(bool, unclean);
        const std::string topic = std::string(R"({"min.insync.replicas":1,"unclean.leader.election.enable":)")
            + (unclean ? "true" : "false") + "}";
        const auto result = checkedRun(faultScenario(R"({"acks":"all"})", topic,
            R"([{"kind":"network_partition","side_a":[1],"side_b":[2,3],"at_ms":10000,"until_ms":30000},
                {"kind":"broker_crash","broker":1,"at_ms":25000,"until_ms":60000}])",
            90000, R"({"min.insync.replicas":1,"replica.lag.time.max.ms":5000})"));
        QVERIFY(result.acked > 10000);
        if (unclean)
            QVERIFY2(result.lost.count > 0, "the lagging replica's election must lose acknowledged writes");
        else
            QCOMPARE(result.lost.count, std::int64_t(0));
    }

    void lastReplicaStanding_data()
    {
        QTest::addColumn<QString>("topicConfig");
        QTest::addColumn<bool>("elr");
        QTest::addColumn<QString>("broker3Stops"); // how broker 3 goes down
        QTest::addColumn<bool>("expectLoss");
        QTest::addColumn<bool>("expectOffline");
        const QString mir2 = QStringLiteral(R"({"min.insync.replicas":2})");
        QTest::addRow("page cache only") << mir2 << false << "broker_crash" << true << false;
        QTest::addRow("flush.messages=1") << R"({"min.insync.replicas":2,"flush.messages":1})" << false << "broker_crash"
                                          << false << false;
        QTest::addRow("broker 3 shut down cleanly") << mir2 << false << "broker_shutdown" << true << false;
        QTest::addRow("broker 3 shut down cleanly, ELR") << mir2 << true << "broker_shutdown" << false << false;
        QTest::addRow("broker 3 crashed, ELR") << mir2 << true << "broker_crash" << false << true;
    }
    void lastReplicaStanding()
    {
        // The case KIP-966 (eligible leader replicas) addresses: brokers 2 and 3 fail one after
        // the other, so broker 1 is the last member of every ISR; then broker 1 loses power and
        // its unflushed tail with it. When it returns it is the only replica allowed to lead, and
        // the others truncate to its shorter log: acknowledged records are gone unless every
        // message was flushed.
        // With eligible.leader.replicas.enable, broker 3 left an ISR already below
        // min.insync.replicas, so it joined the ELR: it holds every committed record (acks=all
        // writes stopped with the ISR at 1). If broker 3 had shut down cleanly it is elected when
        // it returns and nothing is lost. If it crashed, its unclean restart takes it out of the
        // ELR (it may have lost its unflushed tail), as broker 1's does, and the partitions stay
        // offline rather than lose data (Kafka leaves that to unclean election).
        QFETCH(QString, topicConfig);
        QFETCH(bool, elr);
        QFETCH(QString, broker3Stops);
        QFETCH(bool, expectLoss);
        QFETCH(bool, expectOffline);
        const std::string cluster = elr ? R"({"min.insync.replicas":2,"eligible.leader.replicas.enable":true})"
                                        : R"({"min.insync.replicas":2})";
        const std::string json = faultScenario(R"({"acks":"all"})", topicConfig.toStdString(),
            R"([{"kind":"broker_crash","broker":2,"at_ms":10000,"until_ms":50000},
                {"kind":")" + broker3Stops.toStdString()
                + R"(","broker":3,"at_ms":25000,"until_ms":50000},
                {"kind":"power_loss","broker":1,"at_ms":40000,"until_ms":55000}])",
            90000, cluster);
        const auto result = checkedRun(json);
        QVERIFY(result.acked > 5000);
        // Offline partitions are judged too: against a replica that still has their records.
        QCOMPARE(result.unchecked, std::int64_t(0));
        if (expectLoss)
            QVERIFY2(result.lost.count > 0, "the last replica standing lost its unflushed tail");
        else
            QCOMPARE(result.lost.count, std::int64_t(0));
        Run run = runScenario(json);
        QCOMPARE(countEvents(*run.trace, "partition.unclean_election"), 0);
        const auto snapshot = run.engine->snapshot();
        for (std::int32_t p = 0; p < 3; ++p) {
            const std::int32_t leader = testing::partitionOf(snapshot, "t", p).leader;
            QVERIFY(expectOffline ? leader < 0 : leader > 0);
        }
        if (elr && expectOffline)
            QVERIFY(countEvents(*run.trace, "elr.removed") >= 6); // both unclean restarts, every partition
        else if (elr)
            QVERIFY(run.trace->find("elected from the eligible leader replicas") != std::string::npos);
    }

    void slowDiskDropsTheFollowerFromTheIsr()
    {
        Run run = runScenario(faultScenario(R"({"acks":1,"enable.idempotence":false})", "{}",
            R"([{"kind":"slow_disk","at_ms":10000,"until_ms":70000,"broker":3,"delay_ms":45000}])", 150000));
        QVERIFY(run.trace->find("a follower fell behind for replica.lag.time.max.ms") != std::string::npos);
        QVERIFY(countEvents(*run.trace, "isr.expand") >= 1); // and it comes back once the disk recovers
    }

    void diskFullFailsAppendsUntilFreed()
    {
        Run run = runScenario(faultScenario(R"({"acks":"all"})", "{}",
            R"([{"kind":"disk_full","at_ms":10000,"until_ms":15000,"broker":1}])", 40000));
        QVERIFY(run.engine->producers().front()->counters().retries > 0);
        QCOMPARE(run.engine->producers().front()->counters().failed, std::int64_t(0));
        QVERIFY(run.trace->find("\"error_code\":56") != std::string::npos); // KAFKA_STORAGE_ERROR
        verifyNoAckedLoss(run);
    }

    void isolatedBrokerIsFencedAndRejoins()
    {
        Run run = runScenario(faultScenario(R"({"acks":"all"})", "{}",
            R"([{"kind":"isolate","at_ms":10000,"until_ms":40000,"broker":1}])", 80000));
        QCOMPARE(countEvents(*run.trace, "broker.fenced"), 1);
        QCOMPARE(countEvents(*run.trace, "broker.unfenced"), 1);
        verifyNoAckedLoss(run);
    }
};

QTEST_GUILESS_MAIN(TestFailover)
#include "test_failover.moc"
