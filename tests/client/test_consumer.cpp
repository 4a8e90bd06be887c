// The consumer reads what was committed, in order, max.poll.records at a time, from the position
// auto.offset.reset or seek() gives it.

#include "../common/testscenario.h"

#include <QTest>

using namespace brokerlab;
using testing::runForMs;
using testing::startedEngine;

namespace {

// 1 partition, 1000 records produced in the first second.
const char* kBase = R"({"name":"t","duration_ms":600000,"cluster":{"brokers":3},
  "topics":[{"name":"t","partitions":2,"replication_factor":3,"config":{"min.insync.replicas":2}}],
  "producers":[{"id":"p","topic":"t","rate":1000,"max_records":1000,"workload":{"kind":"sensor_metrics","keys":"uniform"}}]})";

// 200 records on one partition; records 50, 100, 150 and 200 (offsets 49, 99, 149, 199) are Avro, not JSON.
const char* kPoisoned = R"({"name":"t","duration_ms":600000,"cluster":{"brokers":3},
  "topics":[{"name":"t","partitions":1,"replication_factor":3}],
  "producers":[{"id":"p","topic":"t","rate":1000,"max_records":200,"workload":{"kind":"orders","poison_every":50}}]})";

// Tests drive this consumer directly, calling poll() themselves.
std::unique_ptr<client::Consumer> addConsumer(driver::Engine& engine, client::ConsumerConfig config)
{
    return std::make_unique<client::Consumer>(engine.cluster(), std::move(config));
}

// kPoisoned's 200 records, and a consumer of t-0 from the earliest offset that has fetched them.
struct PoisonedTopic {
    explicit PoisonedTopic(client::ValueDeserializer deserializer) : engine(startedEngine(kPoisoned))
    {
        runForMs(*engine, 3000);
        client::ConsumerConfig config;
        config.clientId = "reader";
        config.autoOffsetReset = client::OffsetReset::Earliest;
        config.valueDeserializer = deserializer;
        consumer = addConsumer(*engine, std::move(config));
        consumer->assign({ { "t", 0 } });
        runForMs(*engine, 500);
    }
    std::unique_ptr<driver::Engine> engine;
    std::unique_ptr<client::Consumer> consumer;
};

} // namespace

class TestConsumer : public QObject {
    Q_OBJECT
private slots:
    void readsEverythingInOffsetOrder()
    {
        auto engine = startedEngine(kBase);
        runForMs(*engine, 3000);
        client::ConsumerConfig config;
        config.clientId = "reader";
        config.autoOffsetReset = client::OffsetReset::Earliest;
        config.maxPollRecords = 100;
        auto owned = addConsumer(*engine, config);
        auto& consumer = *owned;
        consumer.assign({ { "t", 0 }, { "t", 1 } });
        std::map<std::int32_t, std::int64_t> next { { 0, 0 }, { 1, 0 } };
        std::int64_t total = 0;
        for (int round = 0; round < 200 && total < 1000; ++round) {
            runForMs(*engine, 10);
            const auto records = consumer.poll();
            QVERIFY(records.size() <= 100);
            for (const auto& record : records) {
                QCOMPARE(record.record.offset, next[record.topicPartition.partition]);
                ++next[record.topicPartition.partition];
            }
            total += static_cast<std::int64_t>(records.size());
        }
        QCOMPARE(total, std::int64_t(1000));
        QCOMPARE(*consumer.position({ "t", 0 }) + *consumer.position({ "t", 1 }), std::int64_t(1000));
    }

    void latestStartsAtTheEnd()
    {
        auto engine = startedEngine(kBase);
        runForMs(*engine, 3000);
        client::ConsumerConfig config;
        config.clientId = "late";
        config.autoOffsetReset = client::OffsetReset::Latest;
        auto owned = addConsumer(*engine, config);
        auto& consumer = *owned;
        consumer.assign({ { "t", 0 } });
        runForMs(*engine, 100);
        const auto snapshot = engine->snapshot();
        QCOMPARE(*consumer.position({ "t", 0 }), testing::partitionOf(snapshot, "t", 0).highWatermark);
        QVERIFY(consumer.poll().empty());
    }

    void noneLeavesThePositionUnknown()
    {
        auto engine = startedEngine(kBase);
        runForMs(*engine, 2000);
        client::ConsumerConfig config;
        config.clientId = "strict";
        config.autoOffsetReset = client::OffsetReset::None;
        auto owned = addConsumer(*engine, config);
        auto& consumer = *owned;
        consumer.assign({ { "t", 0 } });
        runForMs(*engine, 500);
        QVERIFY(!consumer.position({ "t", 0 }).has_value());
        consumer.seek({ "t", 0 }, 5);
        runForMs(*engine, 500);
        const auto records = consumer.poll();
        QVERIFY(!records.empty());
        QCOMPARE(records.front().record.offset, std::int64_t(5));
    }

    void seekByTimestamp()
    {
        auto engine = startedEngine(kBase);
        runForMs(*engine, 3000);
        // Records were produced during the first second of virtual time: pick one in the middle.
        const std::int64_t start = engine->scheduler().epochMs();
        client::ConsumerConfig config;
        config.clientId = "time";
        auto owned = addConsumer(*engine, config);
        auto& consumer = *owned;
        consumer.assign({ { "t", 0 } });
        consumer.seekToTimestamp({ "t", 0 }, start + 500);
        runForMs(*engine, 500);
        const auto records = consumer.poll();
        QVERIFY(!records.empty());
        QVERIFY(records.front().record.timestamp >= start + 500);
        QVERIFY(records.front().record.offset > 0);
        // The record just before the found one is older than the target.
        consumer.seek({ "t", 0 }, records.front().record.offset - 1);
        runForMs(*engine, 1000); // the fetch parked at the broker returns first; its data is stale
        const auto before = consumer.poll();
        QVERIFY(!before.empty());
        QVERIFY(before.front().record.timestamp < start + 500);
    }

    void scenarioConsumersShareTheTopic()
    {
        auto engine = startedEngine(R"({"name":"t","duration_ms":20000,"cluster":{"brokers":3},
          "topics":[{"name":"t","partitions":6,"replication_factor":3}],
          "producers":[{"id":"p","topic":"t","rate":1000,"max_records":3000,"workload":{"kind":"orders"}}],
          "consumers":[{"id":"g","topics":["t"],"members":3,"config":{"auto.offset.reset":"earliest"}}]})");
        runForMs(*engine, 10000);
        std::int64_t consumed = 0;
        std::set<protocol::TopicPartition> seen;
        for (const auto& consumer : engine->consumers()) {
            QCOMPARE(consumer->assignment().size(), std::size_t(2)); // range: 6 partitions over 3 members
            for (const auto& partition : consumer->assignment())
                QVERIFY(seen.insert(partition).second);
            consumed += consumer->counters().consumed;
        }
        QCOMPARE(consumed, std::int64_t(3000));
    }

    // The application works through a batch record by record: a crash part-way leaves the first
    // records processed (and uncommitted), which is how at-least-once processes records twice.
    void aCrashMidBatchKeepsTheRecordsAlreadyProcessed()
    {
        auto engine = startedEngine(R"({"name":"t","duration_ms":60000,"cluster":{"brokers":3},
          "topics":[{"name":"t","partitions":1,"replication_factor":3}],
          "producers":[{"id":"p","topic":"t","rate":1000,"max_records":500,"workload":{"kind":"orders"}}],
          "consumers":[{"id":"g","topics":["t"],"processing_ms_per_record":10,"commit":"sync",
            "config":{"auto.offset.reset":"earliest","max.poll.records":100}}]})");
        client::Consumer& consumer = *engine->consumers().at(0);
        std::int64_t processed = 0;
        consumer.setProcessedListener([&processed](const client::ConsumedRecord&) { ++processed; });
        for (int ms = 0; ms < 20000 && consumer.counters().consumed == 0; ++ms)
            runForMs(*engine, 1);
        QCOMPARE(consumer.counters().consumed, std::int64_t(100));
        runForMs(*engine, 505); // records are done at 10, 20, ... ms into the batch
        QCOMPARE(processed, std::int64_t(0));
        consumer.crash();
        QCOMPARE(processed, std::int64_t(50));
        runForMs(*engine, 2000);
        QCOMPARE(processed, std::int64_t(50));
    }

    void deserializers_data()
    {
        QTest::addColumn<int>("deserializer");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("accepted");
        const int json = static_cast<int>(client::ValueDeserializer::Json);
        QTest::addRow("json object") << json << QByteArray(R"({"id":"order-1","items":[1,2.5e3,-0.5],"paid":true})")
                                     << true;
        QTest::addRow("json array with escapes")
            << json << QByteArray(" [\"a\\\"b\", \"\\u00e9\", null, false] ") << true;
        QTest::addRow("json number") << json << QByteArray("42") << true;
        QTest::addRow("empty value") << json << QByteArray("") << true;
        QTest::addRow("missing value") << json << QByteArray(R"({"a":})") << false;
        QTest::addRow("trailing garbage") << json << QByteArray(R"({"a":1}x)") << false;
        QTest::addRow("unterminated string") << json << QByteArray("{\"a\":\"b") << false;
        QTest::addRow("leading zero") << json << QByteArray("01") << false;
        QTest::addRow("avro framing") << json
                                      << QByteArray("\0\0\0\0\x07\x08"
                                                    "abcd",
                                             10)
                                      << false;
        QTest::addRow("string takes anything")
            << static_cast<int>(client::ValueDeserializer::String) << QByteArray("\xff\xfe not utf-8") << true;
        QTest::addRow("bytes take anything")
            << static_cast<int>(client::ValueDeserializer::ByteArray) << QByteArray("\0\0\0\0\x07", 5) << true;
    }

    void deserializers()
    {
        QFETCH(int, deserializer);
        QFETCH(QByteArray, value);
        QFETCH(bool, accepted);
        const auto why
            = client::whyUndeserializable(static_cast<client::ValueDeserializer>(deserializer), value.toStdString());
        QVERIFY2(why.has_value() != accepted, why ? why->c_str() : "accepted");
        QVERIFY(!client::whyUndeserializable(static_cast<client::ValueDeserializer>(deserializer), std::nullopt));
    }

    // Every 50th record is framed as Avro; a JsonDeserializer consumer cannot read it.
    void pollThrowsAtTheUndeserializableRecordUntilSeekedPast()
    {
        PoisonedTopic topic(client::ValueDeserializer::Json);
        auto& engine = topic.engine;
        auto& consumer = *topic.consumer;
        // The records before the bad one come first; then every poll() throws at offset 49.
        const auto first = consumer.poll();
        QCOMPARE(first.size(), std::size_t(49));
        QVERIFY(!consumer.deserializationError());
        for (int attempt = 0; attempt < 3; ++attempt) {
            runForMs(*engine, 100);
            QVERIFY(consumer.poll().empty());
            QVERIFY(consumer.deserializationError());
            QCOMPARE(consumer.deserializationError()->offset, std::int64_t(49));
            QVERIFY(
                QString::fromStdString(consumer.deserializationError()->message).contains(QStringLiteral("not JSON")));
            QCOMPARE(*consumer.position({ "t", 0 }), std::int64_t(49));
        }
        QCOMPARE(consumer.counters().deserializationErrors, std::int64_t(3));
        consumer.seek({ "t", 0 }, 50);
        runForMs(*engine, 500);
        const auto after = consumer.poll();
        QCOMPARE(after.size(), std::size_t(49)); // offsets 50 to 98; 99 is the next bad one
        QCOMPARE(after.front().record.offset, std::int64_t(50));
        // Stuck from the first throw to the seek, two polls (200 ms) later.
        QCOMPARE(consumer.counters().stuckMs(engine->now()), std::int64_t(200));
    }

    void theDefaultDeserializerAcceptsAnyBytes()
    {
        PoisonedTopic topic(client::ValueDeserializer::ByteArray);
        auto& consumer = *topic.consumer;
        QCOMPARE(consumer.poll().size(), std::size_t(200));
        QVERIFY(!consumer.deserializationError());
    }

    void stuckApplicationVersusSkippingApplication_data()
    {
        QTest::addColumn<QString>("onError");
        QTest::addRow("retry") << QStringLiteral("retry");
        QTest::addRow("skip") << QStringLiteral("skip");
    }

    void stuckApplicationVersusSkippingApplication()
    {
        QFETCH(QString, onError);
        const bool skip = onError == QStringLiteral("skip");
        std::string json = kPoisoned;
        json.insert(json.rfind('}'),
            R"(,"consumers":[{"id":"g","topics":["t"],"on_deserialization_error":")" + onError.toStdString()
                + R"(","config":{"auto.offset.reset":"earliest","value.deserializer":"org.apache.kafka.connect.json.JsonDeserializer"}}])");
        auto engine = startedEngine(json);
        runForMs(*engine, 30000);
        const client::Consumer& consumer = *engine->consumers().at(0);
        const client::ConsumerCounters& counters = consumer.counters();
        const auto snapshot = engine->snapshot();
        if (skip) {
            // Seeks past each of the 4 bad records at once: everything else is read, nothing is stuck.
            QCOMPARE(counters.consumed, std::int64_t(196));
            QCOMPARE(counters.skipped, std::int64_t(4));
            QCOMPARE(counters.deserializationErrors, std::int64_t(4));
            QCOMPARE(counters.stuckMs(engine->now()), std::int64_t(0));
            QCOMPARE(*consumer.position({ "t", 0 }), std::int64_t(200));
        } else {
            // Retries the same record every poll_interval_ms: stuck at offset 49 for the rest of the run.
            QCOMPARE(counters.consumed, std::int64_t(49));
            QCOMPARE(counters.skipped, std::int64_t(0));
            QVERIFY(counters.deserializationErrors > 100);
            QVERIFY(counters.stuckMs(engine->now()) > 25000);
            QCOMPARE(*consumer.position({ "t", 0 }), std::int64_t(49));
            QCOMPARE(snapshot.groups.at(0).totalLag(), std::int64_t(200 - 49)); // auto-commit commits offset 49
        }
    }
};

QTEST_GUILESS_MAIN(TestConsumer)
#include "test_consumer.moc"
