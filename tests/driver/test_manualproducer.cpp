// Records written by hand (the explorer's Produce dialog and JSON Lines import) go through real
// simulated producers: they land in the leader's log as record batches with their key, headers and
// timestamp, keyed records take Kafka's murmur2 partition, and the broker's errors come back as Kafka
// names them. Virtual time only.

#include "../common/testscenario.h"
#include "client/partitioner.h"
#include "driver/manualproducer.h"

#include <QTest>

#include <algorithm>

using namespace brokerlab;

namespace {

const char* kScenario = R"({"name":"manual","duration_ms":120000,"cluster":{"brokers":3},
  "topics":[{"name":"orders","partitions":4,"replication_factor":3},
            {"name":"strict","partitions":1,"replication_factor":3,"config":{"min.insync.replicas":3}}],
  "faults":[{"kind":"broker_crash","broker":3,"at_ms":30000}]})";

std::vector<log::Record> logOf(driver::Engine& engine, const std::string& topic, std::int32_t partition)
{
    const auto* info = engine.cluster().controller().image().partition(topic, partition);
    if (!info || info->leader < 0)
        return {};
    const cluster::Replica* replica = engine.cluster().broker(info->leader)->replica({ topic, partition });
    return replica->log().readRecords(replica->log().logStartOffset(), replica->log().logEndOffset(), 100000);
}

} // namespace

class TestManualProducer : public QObject {
    Q_OBJECT
private slots:
    void aRecordLandsInTheLogWithKeyHeadersAndItsPartition()
    {
        auto engine = testing::startedEngine(kScenario);
        testing::runForMs(*engine, 2000);
        std::vector<driver::ManualDelivery> deliveries;
        driver::ManualRecord keyed;
        keyed.key = "customer-42";
        keyed.value = R"({"total":12.5})";
        keyed.headers = { { "trace-id", std::string("abc") }, { "empty", std::nullopt } };
        driver::ManualRecord pinned;
        pinned.partition = 3;
        pinned.value = "pinned";
        pinned.timestampMs = 1234;
        std::string error;
        const auto job = engine->manualProducer().send(
            { .topic = "orders" }, { keyed, pinned },
            [&](const driver::ManualDelivery& delivery) { deliveries.push_back(delivery); }, &error);
        QVERIFY2(job > 0, error.c_str());
        testing::runForMs(*engine, 1000);
        QCOMPARE(deliveries.size(), std::size_t(2));
        std::sort(deliveries.begin(), deliveries.end(),
            [](const auto& a, const auto& b) { return a.firstIndex < b.firstIndex; });

        // The key's partition is Kafka's: toPositive(murmur2(key)) % 4.
        const std::string& key = *keyed.key;
        const auto expected
            = client::partitionForKey({ reinterpret_cast<const std::uint8_t*>(key.data()), key.size() }, 4);
        QCOMPARE(deliveries[0].error, protocol::ErrorCode::NONE);
        QCOMPARE(deliveries[0].partition, expected);
        const auto records = logOf(*engine, "orders", expected);
        QCOMPARE(records.size(), std::size_t(1));
        QCOMPARE(records[0].offset, deliveries[0].baseOffset);
        QCOMPARE(records[0].key, keyed.key);
        QCOMPARE(records[0].value, keyed.value);
        QCOMPARE(records[0].headers.size(), std::size_t(2));
        QCOMPARE(records[0].headers[0].key, std::string("trace-id"));
        QCOMPARE(records[0].headers[0].value, std::optional<std::string>("abc"));
        QVERIFY(!records[0].headers[1].value);

        QCOMPARE(deliveries[1].partition, 3);
        const auto pinnedLog = logOf(*engine, "orders", 3);
        QCOMPARE(pinnedLog.back().value, std::optional<std::string>("pinned"));
        QCOMPARE(pinnedLog.back().timestamp, std::int64_t(1234));
        QVERIFY(engine->manualProducer().idle());
    }

    void manyRecordsAreAllReportedInOrderOfIndex()
    {
        auto engine = testing::startedEngine(kScenario);
        std::vector<driver::ManualRecord> records(5000);
        for (std::size_t i = 0; i < records.size(); ++i) {
            records[i].key = "k" + std::to_string(i % 13);
            records[i].value = std::string(200, char('a' + i % 26));
        }
        std::vector<int> seen(records.size(), 0);
        std::size_t failed = 0;
        engine->manualProducer().send(
            { .topic = "orders", .acks = -1, .retry = true }, records, [&](const driver::ManualDelivery& delivery) {
                for (std::size_t i = 0; i < delivery.count; ++i)
                    ++seen[delivery.firstIndex + i];
                failed += delivery.error == protocol::ErrorCode::NONE ? 0 : delivery.count;
            });
        testing::runForMs(*engine, 5000);
        QCOMPARE(failed, std::size_t(0));
        QVERIFY(std::all_of(seen.begin(), seen.end(), [](int count) { return count == 1; }));
        std::size_t inLogs = 0;
        for (std::int32_t p = 0; p < 4; ++p)
            inLogs += logOf(*engine, "orders", p).size();
        QCOMPARE(inLogs, records.size());
    }

    void errorsAreKafkas()
    {
        auto engine = testing::startedEngine(kScenario);
        testing::runForMs(*engine, 2000);
        std::string error;
        QCOMPARE(engine->manualProducer().send({ .topic = "nope" }, { driver::ManualRecord {} }, {}, &error),
            std::uint64_t(0));
        QVERIFY(error.find("UNKNOWN_TOPIC_OR_PARTITION") == 0);
        QVERIFY(error.find("nope") != std::string::npos);
        driver::ManualRecord outside;
        outside.partition = 4;
        QCOMPARE(engine->manualProducer().send({ .topic = "orders" }, { outside }, {}, &error), std::uint64_t(0));
        QVERIFY(error.find("0..3") != std::string::npos);

        // Broker 3 crashes at 30 s and leaves the ISR; "strict" needs 3 in-sync replicas.
        testing::runForMs(*engine, 58000);
        std::vector<driver::ManualDelivery> deliveries;
        driver::ManualRecord record;
        record.value = "needs three replicas";
        QVERIFY(engine->manualProducer().send({ .topic = "strict" }, { record },
                    [&](const driver::ManualDelivery& delivery) { deliveries.push_back(delivery); })
            > 0);
        testing::runForMs(*engine, 2000);
        QCOMPARE(deliveries.size(), std::size_t(1));
        QCOMPARE(deliveries[0].error, protocol::ErrorCode::NOT_ENOUGH_REPLICAS);
        QCOMPARE(deliveries[0].baseOffset, std::int64_t(-1));
        QVERIFY(logOf(*engine, "strict", 0).empty());
    }

    void cancelDropsWhatWasNotHandedOver()
    {
        auto engine = testing::startedEngine(kScenario);
        // Before any metadata arrived: nothing can be handed to the producer yet.
        std::vector<driver::ManualRecord> records(10);
        for (auto& record : records)
            record.value = "v";
        driver::ManualDelivery cancelled;
        const auto job = engine->manualProducer().send(
            { .topic = "orders" }, records, [&](const driver::ManualDelivery& delivery) {
                if (delivery.cancelled)
                    cancelled = delivery;
            });
        QVERIFY(engine->manualProducer().cancel(job));
        QCOMPARE(cancelled.count + cancelled.firstIndex, std::size_t(10));
        QVERIFY(cancelled.count > 0);
        testing::runForMs(*engine, 3000);
        std::size_t inLogs = 0;
        for (std::int32_t p = 0; p < 4; ++p)
            inLogs += logOf(*engine, "orders", p).size();
        QCOMPARE(inLogs, cancelled.firstIndex);
    }
};

QTEST_GUILESS_MAIN(TestManualProducer)
#include "test_manualproducer.moc"
