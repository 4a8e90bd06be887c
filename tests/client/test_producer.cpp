// The producer batches like Kafka's: linger.ms and batch.size decide records per batch, keys pick
// partitions with murmur2, null keys stick to a partition per batch, compression shrinks batches.

#include "../common/testscenario.h"
#include "client/partitioner.h"
#include "log/recordbatch.h"

#include <QTest>

using namespace brokerlab;
using testing::runForMs;
using testing::startedEngine;

namespace {

std::string producerScenario(const std::string& producerConfig, const std::string& workload, int partitions = 4,
    int rate = 2000, int records = 4000)
{
    return R"({"name":"t","duration_ms":60000,"cluster":{"brokers":3},
      "topics":[{"name":"t","partitions":)"
        + std::to_string(partitions) + R"(,"replication_factor":1}],
      "producers":[{"id":"p","topic":"t","rate":)"
        + std::to_string(rate) + R"(,"max_records":)" + std::to_string(records) + R"(,"workload":)" + workload
        + R"(,"config":)" + producerConfig + "}]}";
}

double recordsPerBatch(driver::Engine& engine)
{
    const auto& counters = engine.producers().front()->counters();
    return static_cast<double>(counters.acked) / static_cast<double>(counters.batches);
}

std::vector<log::Record> partitionRecords(driver::Engine& engine, const std::string& topic, std::int32_t partition)
{
    const auto& image = engine.cluster().controller().image();
    const auto* info = image.partition(topic, partition);
    auto* replica = engine.cluster().broker(info->leader)->replica({ topic, partition });
    return replica->log().readRecords(replica->logStartOffset(), replica->logEndOffset(), 1000000);
}

} // namespace

class TestProducer : public QObject {
    Q_OBJECT
private slots:
    void lingerGathersMoreRecordsPerBatch()
    {
        auto noLinger = startedEngine(producerScenario(R"({"linger.ms":0,"acks":1})", R"({"kind":"orders"})"));
        auto linger = startedEngine(producerScenario(R"({"linger.ms":20,"acks":1})", R"({"kind":"orders"})"));
        runForMs(*noLinger, 5000);
        runForMs(*linger, 5000);
        QCOMPARE(noLinger->producers().front()->counters().acked, std::int64_t(4000));
        QCOMPARE(linger->producers().front()->counters().acked, std::int64_t(4000));
        QVERIFY2(recordsPerBatch(*linger) > 2 * recordsPerBatch(*noLinger),
            qPrintable(QStringLiteral("linger 20: %1, linger 0: %2")
                           .arg(recordsPerBatch(*linger))
                           .arg(recordsPerBatch(*noLinger))));
    }

    void batchSizeBoundsBatches()
    {
        // As fast as possible with 100-byte values: batches fill up to batch.size.
        auto engine = startedEngine(producerScenario(R"({"linger.ms":1000,"batch.size":4096,"acks":1})",
            R"({"kind":"bytes","value_bytes":100,"keys":"null","headers":false})", 4, 0, 20000));
        runForMs(*engine, 5000);
        QCOMPARE(engine->producers().front()->counters().acked, std::int64_t(20000));
        for (std::int32_t p = 0; p < 4; ++p) {
            const auto* info = engine->cluster().controller().image().partition("t", p);
            const auto& log = engine->cluster().broker(info->leader)->replica({ "t", p })->log();
            const log::ReadInfo read = log.read(log.logStartOffset(), INT32_MAX, log.logEndOffset());
            log::BatchIterator batches(read.records);
            int count = 0;
            while (batches.next()) {
                QVERIFY(batches.header().sizeInBytes() <= 4096 + 200);
                ++count;
            }
            QCOMPARE(batches.error(), log::BatchError::None);
            QVERIFY(count > 0);
        }
    }

    void keyedRecordsLandOnMurmur2Partition()
    {
        auto engine = startedEngine(
            producerScenario(R"({"acks":1})", R"({"kind":"orders","keys":"uniform","key_count":100})", 6, 1000, 1000));
        runForMs(*engine, 3000);
        int checked = 0;
        for (std::int32_t p = 0; p < 6; ++p) {
            for (const auto& record : partitionRecords(*engine, "t", p)) {
                QVERIFY(record.key.has_value());
                const auto& key = *record.key;
                QCOMPARE(client::partitionForKey(
                             { reinterpret_cast<const std::uint8_t*>(key.data()), key.size() }, 6),
                    p);
                ++checked;
            }
        }
        QCOMPARE(checked, 1000);
    }

    void nullKeysStickPerBatch()
    {
        auto engine = startedEngine(
            producerScenario(R"({"acks":1,"linger.ms":10})", R"({"kind":"page_views","keys":"null"})", 6, 1000, 3000));
        runForMs(*engine, 5000);
        // Each batch holds records of one partition, and over the run several partitions got data.
        int partitionsUsed = 0;
        for (std::int32_t p = 0; p < 6; ++p) {
            const auto records = partitionRecords(*engine, "t", p);
            if (!records.empty())
                ++partitionsUsed;
            for (const auto& record : records)
                QVERIFY(!record.key.has_value());
        }
        QVERIFY(partitionsUsed >= 3);
        QVERIFY(recordsPerBatch(*engine) > 5); // sticky: a batch fills instead of spreading records
    }

    void gzipShrinksBatches()
    {
        auto plain = startedEngine(producerScenario(R"({"acks":1,"linger.ms":20})", R"({"kind":"orders"})"));
        auto gzip = startedEngine(
            producerScenario(R"({"acks":1,"linger.ms":20,"compression.type":"gzip"})", R"({"kind":"orders"})"));
        runForMs(*plain, 5000);
        runForMs(*gzip, 5000);
        const auto& a = plain->producers().front()->counters();
        const auto& b = gzip->producers().front()->counters();
        QCOMPARE(b.acked, std::int64_t(4000));
        QVERIFY(b.bytesSent < a.bytesSent / 2);
        // The consumer side sees the same records either way.
        const auto records = partitionRecords(*gzip, "t", 0);
        QVERIFY(!records.empty());
        QVERIFY(records.front().value->starts_with("{"));
    }

    void explicitPartitionIsHonoured()
    {
        auto engine = startedEngine(R"({"name":"t","duration_ms":10000,"cluster":{"brokers":3},
          "topics":[{"name":"t","partitions":5,"replication_factor":1}],
          "producers":[{"id":"p","topic":"t","rate":500,"max_records":300,"partition":3,
            "workload":{"kind":"orders","keys":"uniform"},"config":{"acks":1}}]})");
        runForMs(*engine, 3000);
        const auto snapshot = engine->snapshot();
        for (int p = 0; p < 5; ++p)
            QCOMPARE(testing::partitionOf(snapshot, "t", p).logEndOffset, p == 3 ? std::int64_t(300) : std::int64_t(0));
    }

    void idempotentProducerAsksABrokerForItsId()
    {
        // Broker 1, the first bootstrap broker, is cut off before the producer starts: its
        // InitProducerId request cannot reach it, so the producer asks the next broker. Records
        // wait meanwhile and are then sent numbered under the id it got: a batch sent before
        // would be stored without a producer id.
        driver::Engine engine(testing::scenarioFromJson(R"({"name":"t","duration_ms":60000,
          "cluster":{"brokers":3,"config":{"min.insync.replicas":1}},
          "topics":[{"name":"t","partitions":2,"replication_factor":3}],
          "producers":[{"id":"p","topic":"t","rate":2000,"max_records":1000,"workload":{"kind":"orders","keys":"uniform"},
            "config":{"acks":"all","enable.idempotence":true,"request.timeout.ms":5000}}]})"),
            1);
        std::vector<sim::Event> allocations;
        engine.trace().setListener([&](const sim::Event& event) {
            if (event.kind == "producer.id_allocated")
                allocations.push_back(event);
        });
        engine.start();
        engine.isolate(1, true);
        const auto& producer = *engine.producers().front();
        QCOMPARE(producer.producerId(), log::kNoProducerId);
        runForMs(engine, 30000);
        QCOMPARE(allocations.size(), std::size_t(1));
        QVERIFY(allocations.front().broker != 1);
        QCOMPARE(producer.producerId(), allocations.front().number("producer_id"));
        QCOMPARE(producer.counters().acked, std::int64_t(1000));
        // Every stored batch carries the id, and each partition's sequence starts at 0 and has no gap.
        for (std::int32_t p = 0; p < 2; ++p) {
            const auto* info = engine.cluster().controller().image().partition("t", p);
            const auto& log = engine.cluster().broker(info->leader)->replica({ "t", p })->log();
            const log::ReadInfo read = log.read(log.logStartOffset(), INT32_MAX, log.logEndOffset());
            log::BatchIterator batches(read.records);
            std::int32_t expectedSequence = 0;
            while (batches.next()) {
                QCOMPARE(batches.header().producerId, producer.producerId());
                QCOMPARE(batches.header().baseSequence, expectedSequence);
                expectedSequence += batches.header().recordCount;
            }
            QVERIFY(expectedSequence > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestProducer)
#include "test_producer.moc"
