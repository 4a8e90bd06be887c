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

// Tests drive this consumer directly, calling poll() themselves.
std::unique_ptr<client::Consumer> addConsumer(driver::Engine& engine, client::ConsumerConfig config)
{
    return std::make_unique<client::Consumer>(engine.cluster(), std::move(config));
}

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
};

QTEST_GUILESS_MAIN(TestConsumer)
#include "test_consumer.moc"
