// Invariants from the TLA+ specifications of Kafka's replication protocol
// (hachikuji/kafka-specification, Vanlightly/kafka-tlaplus), checked while a cluster runs through
// random faults:
//  - the leader is in the ISR;
//  - the leader's high watermark never goes back within its epoch;
//  - never two live leaders of a partition with the same epoch;
//  - every in-sync replica's log equals the leader's below the high watermark.
// The first three are checked after every event; the log comparison, which reads whole logs, after
// every 500 events and at the end.

#include "../common/testscenario.h"
#include "check/loghashes.h"

#include <QTest>

#include <map>

using namespace brokerlab;

namespace {

constexpr int kSeeds = 12;

std::string scenarioJson(std::uint64_t seed)
{
    sim::Rng rng(seed);
    std::string faults = "[";
    const char* kinds[] = { "broker_crash", "power_loss", "broker_shutdown", "isolate" };
    for (int i = 0; i < 3; ++i) {
        const std::int64_t at = rng.uniformInt(3000, 25000);
        faults += (i ? "," : "") + std::string(R"({"kind":")") + kinds[rng.uniformInt(0, 3)] + R"(","broker":)"
            + std::to_string(rng.uniformInt(1, 3)) + R"(,"at_ms":)" + std::to_string(at) + R"(,"until_ms":)"
            + std::to_string(at + rng.uniformInt(1000, 12000)) + "}";
    }
    faults += "]";
    return R"({"name":"invariants","duration_ms":45000,
      "cluster":{"brokers":3,"config":{"replica.lag.time.max.ms":5000}},
      "topics":[{"name":"t","partitions":2,"replication_factor":3,"config":{"min.insync.replicas":2,"flush.messages":1}}],
      "producers":[{"id":"p","topic":"t","rate":300,"workload":{"kind":"orders","keys":"uniform"}}],
      "faults":)"
        + faults + "}";
}

struct Watch {
    std::int32_t epoch = -1;
    std::int64_t highWatermark = -1;
};

} // namespace

class TestInvariants : public QObject {
    Q_OBJECT
private slots:
    void replicationInvariantsHoldUnderFaults_data()
    {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed = 1; seed <= kSeeds; ++seed)
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
    }
    void replicationInvariantsHoldUnderFaults()
    {
        QFETCH(quint64, seed);
        driver::Engine engine(testing::scenarioFromJson(scenarioJson(seed)), seed);
        engine.start();
        std::map<std::pair<std::int32_t, std::int32_t>, Watch> watches; // (partition, broker) -> leader HW
        std::uint64_t events = 0;
        auto checkLogs = [&] {
            const auto& image = engine.cluster().controller().image();
            for (const auto& partition : image.topic("t")->partitions) {
                if (partition.leader < 0)
                    continue;
                auto* leaderBroker = engine.cluster().broker(partition.leader);
                if (!leaderBroker->isOnline())
                    continue;
                const auto* leader = leaderBroker->replica({ "t", partition.partition });
                if (!leader || !leader->isLeader() || leader->leaderEpoch() != partition.leaderEpoch)
                    continue; // the new leader has not applied its election yet
                const auto leaderLog = check::logHashes(leader->log());
                for (std::int32_t id : partition.isr) {
                    auto* broker = engine.cluster().broker(id);
                    if (id == partition.leader || !broker->isOnline())
                        continue;
                    const auto memberLog = check::logHashes(broker->replica({ "t", partition.partition })->log());
                    for (std::size_t i = 0; i < leaderLog.size() && i < memberLog.size(); ++i) {
                        if (leaderLog[i].first >= leader->highWatermark())
                            break;
                        QVERIFY2(leaderLog[i] == memberLog[i],
                            qPrintable(QStringLiteral("ISR member %1 differs from leader %2 below the HW at offset %3")
                                           .arg(id)
                                           .arg(partition.leader)
                                           .arg(leaderLog[i].first)));
                    }
                }
            }
        };
        while (engine.now() < engine.endTime() && engine.step()) {
            ++events;
            const auto& image = engine.cluster().controller().image();
            for (const auto& partition : image.topic("t")->partitions) {
                if (partition.leader >= 0) {
                    QVERIFY2(std::find(partition.isr.begin(), partition.isr.end(), partition.leader) != partition.isr.end(),
                        "the leader is not in the ISR");
                }
                std::map<std::int32_t, std::int32_t> leadersByEpoch;
                for (std::int32_t id : engine.cluster().brokerIds()) {
                    auto* broker = engine.cluster().broker(id);
                    const auto* replica = broker->replica({ "t", partition.partition });
                    if (!broker->isOnline() || !replica || !replica->isLeader())
                        continue;
                    QVERIFY2(++leadersByEpoch[replica->leaderEpoch()] == 1, "two live leaders share an epoch");
                    Watch& watch = watches[{ partition.partition, id }];
                    if (watch.epoch == replica->leaderEpoch())
                        QVERIFY2(replica->highWatermark() >= watch.highWatermark, "the leader's HW went back");
                    watch = { replica->leaderEpoch(), replica->highWatermark() };
                }
            }
            if (events % 500 == 0)
                checkLogs();
        }
        checkLogs();
        QVERIFY(events > 10000);
    }
};

QTEST_GUILESS_MAIN(TestInvariants)
#include "test_invariants.moc"
