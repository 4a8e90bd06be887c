// Invariants from the TLA+ specifications of Kafka's replication protocol
// (hachikuji/kafka-specification, Vanlightly/kafka-tlaplus), checked while a cluster runs through
// random faults:
//  - the leader is in the ISR;
//  - the leader's high watermark never goes back within its epoch;
//  - never two live leaders of a partition with the same epoch;
//  - every in-sync replica's log equals the leader's below the high watermark.
// All four are checked after every event. The log comparison is incremental: for each ISR member
// it remembers the offset up to which the member was found equal to the leader and compares only
// the records between there and the HW; it starts over from the log start whenever the leader or
// its epoch changes, the member rejoins the ISR, or either replica truncated its log (a rewritten
// prefix would otherwise go unseen). At the end the whole logs are compared once more.

#include "../common/testscenario.h"

#include <QTest>

#include <algorithm>
#include <map>

using namespace brokerlab;

namespace {

constexpr int kSeeds = 12;

std::string scenarioJson(std::uint64_t seed)
{
    sim::Rng rng(seed);
    std::string faults = "[";
    const char* kinds[] = { "broker_crash", "power_loss", "broker_shutdown", "isolate" };
    // The active controller of the 3-voter quorum dies too, at a random time, and comes back.
    const std::int64_t controllerDies = rng.uniformInt(3000, 30000);
    faults += R"({"kind":"kill_controller","at_ms":)" + std::to_string(controllerDies) + R"(,"until_ms":)"
        + std::to_string(controllerDies + rng.uniformInt(1000, 10000)) + "},";
    for (int i = 0; i < 3; ++i) {
        const std::int64_t at = rng.uniformInt(3000, 25000);
        faults += (i ? "," : "") + std::string(R"({"kind":")") + kinds[rng.uniformInt(0, 3)] + R"(","broker":)"
            + std::to_string(rng.uniformInt(1, 3)) + R"(,"at_ms":)" + std::to_string(at) + R"(,"until_ms":)"
            + std::to_string(at + rng.uniformInt(1000, 12000)) + "}";
    }
    faults += "]";
    return R"({"name":"invariants","duration_ms":45000,
      "cluster":{"brokers":3,"controllers":3,"config":{"replica.lag.time.max.ms":5000}},
      "topics":[{"name":"t","partitions":2,"replication_factor":3,"config":{"min.insync.replicas":2,"flush.messages":1}}],
      "producers":[{"id":"p","topic":"t","rate":300,"workload":{"kind":"orders","keys":"uniform"}}],
      "faults":)"
        + faults + "}";
}

struct Watch {
    std::int32_t epoch = -1;
    std::int64_t highWatermark = -1;
};

// What was already found equal for one ISR member of one partition.
struct Verified {
    std::int32_t leader = -1;
    std::int32_t leaderEpoch = -1;
    std::int64_t leaderTruncations = -1; // the brokers' truncatedRecords counters when last checked
    std::int64_t memberTruncations = -1;
    std::int64_t upTo = 0; // offsets below this are known equal
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
        std::map<std::pair<std::int32_t, std::int32_t>, Verified> verified; // (partition, member)
        std::int64_t recordsCompared = 0;
        // Every in-sync replica's log equals the leader's below the HW: compares what is new
        // since the last call (everything when `full`).
        auto checkLogs = [&](bool full) {
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
                for (std::int32_t id : partition.isr) {
                    auto* broker = engine.cluster().broker(id);
                    if (id == partition.leader || !broker->isOnline())
                        continue;
                    const auto* member = broker->replica({ "t", partition.partition });
                    if (!member)
                        continue; // it has not applied the topic's creation yet
                    Verified& state = verified[{ partition.partition, id }];
                    const Verified now { partition.leader, partition.leaderEpoch, leaderBroker->counters().truncatedRecords,
                        broker->counters().truncatedRecords, state.upTo };
                    if (full || now.leader != state.leader || now.leaderEpoch != state.leaderEpoch
                        || now.leaderTruncations != state.leaderTruncations
                        || now.memberTruncations != state.memberTruncations)
                        state = Verified { now.leader, now.leaderEpoch, now.leaderTruncations, now.memberTruncations, 0 };
                    const std::int64_t from = std::max({ state.upTo, leader->logStartOffset(), member->logStartOffset() });
                    const std::int64_t to = std::min({ leader->highWatermark(), member->logEndOffset() });
                    if (from >= to)
                        continue;
                    const auto leaderRecords = leader->log().readRecords(from, to, std::size_t(-1));
                    const auto memberRecords = member->log().readRecords(from, to, std::size_t(-1));
                    QVERIFY2(leaderRecords.size() == memberRecords.size(),
                        qPrintable(QStringLiteral("ISR member %1 holds %2 records in [%3, %4), the leader %5")
                                       .arg(id)
                                       .arg(memberRecords.size())
                                       .arg(from)
                                       .arg(to)
                                       .arg(leaderRecords.size())));
                    for (std::size_t i = 0; i < leaderRecords.size(); ++i) {
                        const auto& a = leaderRecords[i];
                        const auto& b = memberRecords[i];
                        QVERIFY2(a.offset == b.offset && a.key == b.key && a.value == b.value,
                            qPrintable(QStringLiteral("ISR member %1 differs from leader %2 below the HW at offset %3")
                                           .arg(id)
                                           .arg(partition.leader)
                                           .arg(a.offset)));
                    }
                    recordsCompared += static_cast<std::int64_t>(leaderRecords.size());
                    state.upTo = to;
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
            checkLogs(false);
            if (QTest::currentTestFailed())
                return;
        }
        checkLogs(true);
        QVERIFY(events > 10000);
        QVERIFY(recordsCompared > 10000);
    }
};

QTEST_GUILESS_MAIN(TestInvariants)
#include "test_invariants.moc"
