// Brokers store what producers send, followers fetch it, the high watermark follows the ISR, and
// acks / min.insync.replicas behave as Kafka's do.

#include "../common/testscenario.h"

#include <QTest>

using namespace brokerlab;
using testing::partitionOf;
using testing::runForMs;
using testing::startedEngine;

namespace {

std::string scenarioJson(int rf, const std::string& acks, int minIsr, int records, const std::string& extra = {})
{
    return R"({"name":"t","duration_ms":60000,"cluster":{"brokers":3},
      "topics":[{"name":"orders","partitions":3,"replication_factor":)"
        + std::to_string(rf) + R"(,"config":{"min.insync.replicas":)" + std::to_string(minIsr) + R"(}}],
      "producers":[{"id":"p","topic":"orders","rate":1000,"max_records":)"
        + std::to_string(records) + R"(,"workload":{"kind":"orders","keys":"uniform","key_count":50},
        "config":{"acks":)" + acks
        + R"(,"enable.idempotence":false}}])" + extra + "}";
}

} // namespace

class TestReplication : public QObject {
    Q_OBJECT
private slots:
    void followersCatchUpAndHighWatermarkIsCommitted_data()
    {
        QTest::addColumn<QString>("acks");
        QTest::addRow("acks=all") << "\"all\"";
        QTest::addRow("acks=1") << "1";
        QTest::addRow("acks=0") << "0";
    }
    void followersCatchUpAndHighWatermarkIsCommitted()
    {
        QFETCH(QString, acks);
        auto engine = startedEngine(scenarioJson(3, acks.toStdString(), 2, 2000));
        runForMs(*engine, 10000);
        const auto snapshot = engine->snapshot();
        std::int64_t total = 0;
        for (int p = 0; p < 3; ++p) {
            const auto& partition = partitionOf(snapshot, "orders", p);
            QCOMPARE(partition.replicas.size(), std::size_t(3));
            for (const auto& replica : partition.replicas) {
                // Every replica holds the same log once the workload is over.
                QCOMPARE(replica.logEndOffset, partition.logEndOffset);
                QCOMPARE(replica.highWatermark <= replica.logEndOffset, true);
            }
            QCOMPARE(partition.highWatermark, partition.logEndOffset);
            total += partition.logEndOffset;
        }
        QCOMPARE(total, std::int64_t(2000));
        const auto& counters = engine->producers().front()->counters();
        QCOMPARE(counters.acked, std::int64_t(2000));
        QCOMPARE(counters.failed, std::int64_t(0));
    }

    void acksAllWaitsForTheFollowers()
    {
        // With acks=all the acknowledgement needs a follower fetch round trip; with acks=1 it
        // does not. Latency shows the difference.
        auto all = startedEngine(scenarioJson(3, "\"all\"", 2, 500));
        auto one = startedEngine(scenarioJson(3, "1", 2, 500));
        runForMs(*all, 5000);
        runForMs(*one, 5000);
        const auto& a = all->producers().front()->counters();
        const auto& b = one->producers().front()->counters();
        QCOMPARE(a.acked, std::int64_t(500));
        QCOMPARE(b.acked, std::int64_t(500));
        QVERIFY2(a.latencySumUs / a.acked > b.latencySumUs / b.acked, "acks=all should take longer than acks=1");
    }

    void notEnoughReplicasFailsAcksAll()
    {
        // min.insync.replicas 3 with RF 2: the ISR can never be large enough.
        auto engine = startedEngine(scenarioJson(2, "\"all\"", 3, 100));
        runForMs(*engine, 1000);
        const auto& counters = engine->producers().front()->counters();
        QCOMPARE(counters.acked, std::int64_t(0));
        QVERIFY(counters.retries > 0); // NOT_ENOUGH_REPLICAS is retriable
        const auto snapshot = engine->snapshot();
        for (int p = 0; p < 3; ++p)
            QCOMPARE(partitionOf(snapshot, "orders", p).logEndOffset, std::int64_t(0));
    }

    void notEnoughReplicasDoesNotAffectAcksOne()
    {
        auto engine = startedEngine(scenarioJson(2, "1", 3, 100));
        runForMs(*engine, 2000);
        QCOMPARE(engine->producers().front()->counters().acked, std::int64_t(100));
    }

    void deliveryTimeoutFailsRecordsForGood()
    {
        auto engine = startedEngine(R"({"name":"t","duration_ms":200000,
          "cluster":{"brokers":2,"config":{"offsets.topic.replication.factor":2}},
          "topics":[{"name":"t","partitions":1,"replication_factor":2,"config":{"min.insync.replicas":3}}],
          "producers":[{"id":"p","topic":"t","rate":10,"max_records":5,"workload":{"kind":"log_lines"},
            "config":{"acks":"all","delivery.timeout.ms":5000,"request.timeout.ms":1000,"linger.ms":0}}]})");
        runForMs(*engine, 20000);
        const auto& counters = engine->producers().front()->counters();
        QCOMPARE(counters.failed, std::int64_t(5));
        QCOMPARE(counters.acked, std::int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestReplication)
#include "test_replication.moc"
