// Scenario files: the built-in ones load and mean what they say, configs resolve in Kafka's layers,
// and every mistake is reported at the right file, line, column and field with a clear message.

#include "protocol/configdefs.h"
#include "scenario/limits.h"
#include "scenario/scenario.h"
#include "scenario/schema.h"
#include "scenario/suggest.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <fstream>
#include <sstream>

using namespace brokerlab;
using namespace brokerlab::scenario;

namespace {

const QString kDataDir = QStringLiteral(BROKERLAB_TEST_DATA "/scenarios");
const QString kSourceDir = QStringLiteral(BROKERLAB_SOURCE_DIR);

std::string dataPath(const std::string& file) { return kDataDir.toStdString() + "/" + file; }

std::string sourcePath(const std::string& file) { return kSourceDir.toStdString() + "/" + file; }

std::string readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

Scenario loadOk(std::string_view text)
{
    LoadResult result = parseScenario(text, "inline.json");
    if (auto* error = std::get_if<ScenarioError>(&result)) {
        qWarning("unexpected error: %s", error->toString().c_str());
        return {};
    }
    return std::get<Scenario>(std::move(result));
}

ScenarioError loadError(std::string_view text)
{
    LoadResult result = parseScenario(text, "inline.json");
    if (auto* error = std::get_if<ScenarioError>(&result))
        return *error;
    qWarning("expected an error, the scenario loaded");
    return {};
}

QStringList names(std::initializer_list<const char*> items)
{
    QStringList list;
    for (const char* item : items)
        list.append(QString::fromUtf8(item));
    return list;
}

const TopicSpec* topic(const Scenario& scenario, std::string_view name)
{
    for (const TopicSpec& spec : scenario.topics) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

// Files in tests/data/scenarios that must fail, with where and why. Positions are 1-based.
struct BadScenario {
    const char* file;
    int line;
    int column;
    const char* field;
    const char* message; // a fragment of the message
};

const auto kBadScenarios = std::to_array<BadScenario>({
    { "bad-json-syntax.json", 3, 3, "", "expected ',' or '}' (is a comma missing before this key?)" },
    { "bad-duplicate-json-key.json", 3, 3, "", "duplicate key \"name\"" },
    { "bad-top-level-array.json", 1, 1, "", "a scenario file must hold one JSON object { ... }, found an array" },
    { "bad-unknown-top-key.json", 3, 3, "durations_ms",
        "unknown key \"durations_ms\" in the scenario (did you mean \"duration_ms\"?)" },
    { "bad-missing-name.json", 1, 1, "name", "missing required key \"name\"" },
    { "bad-empty-name.json", 1, 11, "name", "must not be empty" },
    { "bad-duration-fraction.json", 3, 18, "duration_ms", "expected a whole number, got the number 1.5" },
    { "bad-seed-string.json", 3, 11, "seed", "a seed written as a string must be digits only" },
    { "bad-seed-negative.json", 3, 11, "seed", "must be at least 0, got -1" },
    { "bad-brokers-range.json", 3, 27, "cluster.brokers", "must be between 1 and 32, got 40" },
    { "bad-racks-count.json", 5, 14, "cluster.racks", "lists 2 racks for 3 brokers" },
    { "bad-loss.json", 3, 54, "cluster.network.loss", "must be between 0 and 1, got 1.5" },
    { "bad-network-key.json", 3, 29, "cluster.network.latency",
        "unknown key \"latency\" in the network (did you mean \"latency_ms\"?)" },
    { "bad-offsets-rf.json", 3, 27, "cluster.brokers",
        "offsets.topic.replication.factor is 3 but the cluster has 1 broker" },
    { "bad-broker-config-value.json", 4, 40, "cluster.config.log.retention.hours",
        "expects a whole number (hours), got the string \"168\" (write it without quotes)" },
    { "bad-topic-config-on-broker.json", 4, 17, "cluster.config.retention.ms",
        "is a topic config, not a broker config; the cluster-wide default is \"log.retention.ms\"" },
    { "bad-fetch-wait.json", 4, 79, "cluster.config.replica.fetch.wait.max.ms",
        "must not exceed replica.lag.time.max.ms (1000)" },
    { "bad-partitions-zero.json", 3, 49, "topics[0].partitions", "must be between 1 and 10000, got 0" },
    { "bad-partitions-too-many.json", 4, 37, "topics[0].partitions", "must be between 1 and 10000, got 10001" },
    { "bad-rf-above-brokers.json", 4, 57, "topics[0].replication_factor",
        "replication_factor 4 is larger than the number of brokers (3)" },
    { "bad-topic-missing-name.json", 4, 5, "topics[0].name", "missing required key \"name\"" },
    { "bad-duplicate-topic.json", 5, 15, "topics[1].name",
        "duplicate topic name \"orders\": topics[0] has it already" },
    { "bad-topic-collision.json", 5, 15, "topics[1].name", "collides with \"eu.orders\"" },
    { "bad-topic-name-chars.json", 3, 25, "topics[0].name",
        "a topic name may contain only letters, digits, '.', '_' and '-'" },
    { "bad-internal-topic.json", 3, 25, "topics[0].name", "reserved for Kafka's internal topics" },
    { "bad-topic-key.json", 3, 35, "topics[0].replicationfactor",
        "unknown key \"replicationfactor\" in a topic (did you mean \"replication_factor\"?)" },
    { "bad-unknown-topic-config.json", 6, 19, "topics[0].config.retention.msec",
        "unknown topic config \"retention.msec\" (did you mean \"retention.ms\"?)" },
    { "bad-topic-config-type.json", 4, 53, "topics[0].config.retention.ms",
        "retention.ms expects a whole number (ms), got the string \"1h\"" },
    { "bad-broker-config-on-topic.json", 4, 37, "topics[0].config.log.retention.ms",
        "\"log.retention.ms\" is a broker config, not a topic config" },
    { "bad-cleanup-policy.json", 4, 57, "topics[0].config.cleanup.policy",
        "cleanup.policy must be one of delete, compact; got \"compacted\" (did you mean \"compact\"?)" },
    { "bad-segment-bytes.json", 4, 53, "topics[0].config.segment.bytes",
        "segment.bytes must be at least 1048576, got 1000" },
    { "bad-config-not-object.json", 3, 45, "topics[0].config",
        "expected the \"config\" as an object { ... }, got an array" },
    { "bad-acks.json", 5, 59, "producers[0].config.acks", "acks must be one of all, -1, 0, 1; got \"2\"" },
    { "bad-compression-snappy.json", 5, 71, "producers[0].config.compression.type",
        "compression.type \"snappy\" is not supported by Brokerlab yet: only none and gzip are implemented" },
    { "bad-negative-rate.json", 5, 47, "producers[0].rate", "must be between 0 and 1000000, got -5" },
    { "bad-producer-missing-topic.json", 5, 5, "producers[0].topic", "missing required key \"topic\"" },
    { "bad-producer-unknown-topic.json", 5, 29, "producers[0].topic",
        "unknown topic \"order\" (did you mean \"orders\"?)" },
    { "bad-producer-undeclared-topic.json", 5, 29, "producers[0].topic",
        "unknown topic \"payments\": every topic must be declared in \"topics\"" },
    { "bad-duplicate-producer.json", 6, 13, "producers[1].id", "duplicate id \"app\": producers[0] already uses it" },
    { "bad-partition-index.json", 5, 52, "producers[0].partition",
        "partition 6 does not exist: topic \"orders\" has partitions 0 to 5" },
    { "bad-stop-before-start.json", 5, 68, "producers[0].stop_ms", "stop_ms (5000) must be after start_ms (5000)" },
    { "bad-start-after-end.json", 6, 51, "producers[0].start_ms",
        "start_ms (20000) is after the end of the scenario (duration_ms is 10000)" },
    { "bad-max-records.json", 5, 54, "producers[0].max_records", "must be at least 1, got 0" },
    { "bad-workload-kind.json", 5, 61, "producers[0].workload.kind",
        "unknown workload kind \"order\" (did you mean \"orders\"?)" },
    { "bad-workload-keys.json", 5, 61, "producers[0].workload.keys", "unknown key distribution \"zipfian\"" },
    { "bad-zipf-exponent.json", 5, 86, "producers[0].workload.zipf_exponent", "must be greater than 0" },
    { "bad-value-bytes-kind.json", 8, 54, "producers[0].workload.value_bytes",
        "value_bytes only applies to the kind \"bytes\"" },
    { "bad-tombstones-null-keys.json", 5, 83, "producers[0].workload.tombstones",
        "a tombstone deletes a key, so tombstones need keys; keys is \"null\"" },
    { "bad-idempotence-conflict.json", 8, 55, "producers[0].config.acks", "an idempotent producer needs acks=all" },
    { "bad-delivery-timeout.json", 8, 42, "producers[0].config.delivery.timeout.ms",
        "delivery.timeout.ms must be at least linger.ms + request.timeout.ms (30005), got 1000" },
    { "bad-not-simulated.json", 5, 51, "producers[0].config.transactional.id",
        "is a Kafka producer config that Brokerlab does not simulate yet" },
    { "bad-linger-typo.json", 5, 51, "producers[0].config.linger",
        "unknown producer config \"linger\" (did you mean \"linger.ms\"?)" },
    { "bad-auto-offset-reset.json", 5, 79, "consumers[0].config.auto.offset.reset",
        "auto.offset.reset must be one of earliest, latest, none; got \"beginning\"" },
    { "bad-members.json", 5, 57, "consumers[0].members", "must be between 1 and 1000, got 0" },
    { "bad-consumer-unknown-topic.json", 5, 45, "consumers[0].topics[1]",
        "unknown topic \"ordres\" (did you mean \"orders\"?)" },
    { "bad-consumer-topics-empty.json", 5, 34, "consumers[0].topics", "must name at least one topic" },
    { "bad-consumer-topic-twice.json", 5, 45, "consumers[0].topics[1]", "topic \"orders\" is listed twice" },
    { "bad-on-deserialization-error.json", 5, 74, "consumers[0].on_deserialization_error",
        "on_deserialization_error must be \"retry\" (poll again, stuck on the record) or \"skip\" (seek past it), not "
        "\"ignore\"" },
    { "bad-poison-bytes.json", 5, 87, "producers[0].workload.poison_every", "poison_every applies to the JSON kinds" },
    { "bad-value-deserializer.json", 5, 80, "consumers[0].config.value.deserializer",
        "value.deserializer must be one of org.apache.kafka.common.serialization.ByteArrayDeserializer" },
    { "bad-consumer-topic-string.json", 5, 34, "consumers[0].topics",
        "expected an array [ ... ], got the string \"orders\"" },
    { "bad-duplicate-client-id.json", 5, 26, "consumers[0].id", "duplicate id \"app\": producers[0] already uses it" },
    { "bad-heartbeat.json", 8, 44, "consumers[0].config.heartbeat.interval.ms",
        "heartbeat.interval.ms (50000) must be lower than session.timeout.ms (45000)" },
    { "bad-session-timeout.json", 5, 80, "consumers[0].config.session.timeout.ms",
        "must be between 6000 and 1800000, got 1000" },
    { "bad-group-id-empty.json", 5, 70, "consumers[0].config.group.id", "group.id must not be empty" },
    { "bad-static-members.json", 9, 40, "consumers[0].config.group.instance.id",
        "every member would share this group.instance.id" },
    { "bad-poll-interval.json", 5, 66, "consumers[0].poll_interval_ms", "must be between 1 and 3600000, got 0" },
    { "bad-fault-missing-at.json", 5, 5, "faults[0].at_ms", "missing required key \"at_ms\"" },
    { "bad-fault-kind-empty.json", 5, 15, "faults[0].kind", "must not be empty" },
    { "bad-fault-until.json", 5, 59, "faults[0].until_ms", "until_ms (10000) must be after at_ms (20000)" },
    { "bad-fault-unknown-kind.json", 5, 15, "faults[0].kind", "unknown fault kind \"broker_explode\"" },
    { "bad-fault-broker-range.json", 6, 76, "faults[0].broker", "must be" },
    { "bad-fault-unknown-key.json", 6, 57, "faults[0].dealy_ms", "did you mean \"delay_ms\"" },
    { "bad-fault-after-end.json", 5, 40, "faults[0].at_ms",
        "at_ms (70000) is after the end of the scenario (duration_ms is 60000)" },
    { "bad-controllers-two.json", 4, 45, "cluster.controllers", "a Raft quorum of 2 survives no failure" },
    { "bad-fault-controller-node.json", 6, 77, "faults[0].side_b[0]", "must be between 0 and 3, got -1" },
    { "bad-fault-clock-skew.json", 6, 5, "faults[0].skew_ms", "missing required key \"skew_ms\"" },
    { "bad-fault-reassign-topic.json", 6, 51, "faults[0].topic",
        "topic \"ordres\" is not among the scenario's topics" },
    { "bad-fault-reassign-twice.json", 6, 89, "faults[0].replicas", "broker 3 is listed twice" },
    { "bad-fault-not-object.json", 4, 15, "faults[0]",
        "expected a fault as an object { ... }, got the string \"broker_crash\"" },
});

} // namespace

class TestScenario : public QObject {
    Q_OBJECT

private slots:
    void builtInScenariosLoad_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QString::fromStdString(sourcePath("resources/scenarios")));
        const QStringList files = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
        QVERIFY(files.contains(QStringLiteral("demo.json")));
        QVERIFY(files.size() >= 5);
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << dir.filePath(file);
    }

    void builtInScenariosLoad()
    {
        QFETCH(QString, path);
        LoadResult result = loadScenarioFile(path.toStdString());
        const auto* error = std::get_if<ScenarioError>(&result);
        QVERIFY2(!error, error ? error->toString().c_str() : "");
        const Scenario& scenario = std::get<Scenario>(result);
        QVERIFY(!scenario.name.empty());
        QVERIFY2(scenario.description.size() > 40, "a built-in scenario explains what it shows");
        QVERIFY(!scenario.topics.empty());
        QVERIFY(!scenario.producers.empty());
    }

    void demoResolvesAsDocumented()
    {
        LoadResult result = loadScenarioFile(sourcePath("resources/scenarios/demo.json"));
        QVERIFY(std::holds_alternative<Scenario>(result));
        const Scenario& demo = std::get<Scenario>(result);
        QCOMPARE(demo.seed, std::uint64_t { 42 });
        QCOMPARE(demo.durationMs, std::int64_t { 120000 });
        QCOMPARE(demo.brokers, 3);
        QVERIFY(demo.racks.empty());
        QCOMPARE(demo.brokerConfig.topicDefaults.minInsyncReplicas, 2);
        QCOMPARE(demo.brokerConfig.logRetentionCheckIntervalMs, std::int64_t { 30000 });
        QCOMPARE(demo.network, sim::LinkSpec {});

        QCOMPARE(demo.topics.size(), std::size_t { 3 });
        const TopicSpec* orders = topic(demo, "orders");
        QVERIFY(orders);
        QCOMPARE(orders->partitions, 6);
        QCOMPARE(orders->replicationFactor, std::int16_t { 3 });
        QCOMPARE(orders->config.minInsyncReplicas, 2); // from the cluster
        QCOMPARE(orders->config.log.retentionMs, std::int64_t { 604800000 });
        const TopicSpec* views = topic(demo, "page-views");
        QVERIFY(views);
        QCOMPARE(views->partitions, 3);
        QCOMPARE(views->replicationFactor, std::int16_t { 3 });
        const TopicSpec* sensors = topic(demo, "sensor-readings");
        QVERIFY(sensors);
        QCOMPARE(sensors->partitions, 4);
        QCOMPARE(sensors->replicationFactor, std::int16_t { 2 });
        QCOMPARE(sensors->config.log.retentionMs, std::int64_t { 600000 });
        QCOMPARE(sensors->config.log.segmentMs, std::int64_t { 60000 });
        QCOMPARE(sensors->config.minInsyncReplicas, 1);
        QVERIFY(sensors->config.log.cleanupDelete);
        QVERIFY(!sensors->config.log.cleanupCompact);

        QCOMPARE(demo.producers.size(), std::size_t { 3 });
        const ProducerSpec& ordersApp = demo.producers[0];
        QCOMPARE(ordersApp.topic, std::string("orders"));
        QCOMPARE(ordersApp.config.clientId, std::string("orders-app"));
        QCOMPARE(ordersApp.workload.kind, client::WorkloadKind::Orders);
        QCOMPARE(ordersApp.workload.keys, client::KeyDistribution::Zipf);
        QCOMPARE(ordersApp.workload.keyCount, std::int64_t { 1000 });
        QCOMPARE(ordersApp.workload.keyPrefix, std::string("customer-"));
        QCOMPARE(ordersApp.config.acks, std::int16_t { -1 });
        QVERIFY(ordersApp.config.enableIdempotence);
        QVERIFY(ordersApp.ratePerSec >= 100 && ordersApp.ratePerSec <= 1000);
        const ProducerSpec& web = demo.producers[1];
        QCOMPARE(web.topic, std::string("page-views"));
        QCOMPARE(web.workload.keys, client::KeyDistribution::Null);
        const ProducerSpec& sensor = demo.producers[2];
        QCOMPARE(sensor.topic, std::string("sensor-readings"));
        QCOMPARE(sensor.config.compression, log::Compression::Gzip);
        for (const ProducerSpec& producer : demo.producers)
            QVERIFY(producer.ratePerSec >= 100 && producer.ratePerSec <= 1000);

        QCOMPARE(demo.consumers.size(), std::size_t { 2 });
        const ConsumerSpec& billing = demo.consumers[0];
        QCOMPARE(billing.config.groupId, std::string("billing"));
        QCOMPARE(billing.members, 2);
        QCOMPARE(billing.topics, std::vector<std::string> { "orders" });
        QCOMPARE(billing.config.autoOffsetReset, client::OffsetReset::Earliest);
        const ConsumerSpec& analytics = demo.consumers[1];
        QCOMPARE(analytics.config.groupId, std::string("analytics"));
        QCOMPARE(analytics.members, 1);
        QCOMPARE(analytics.topics, std::vector<std::string> { "page-views" });
        QVERIFY(demo.faults.empty());
    }

    void readsEveryField()
    {
        LoadResult result = loadScenarioFile(dataPath("good-everything.json"));
        const auto* error = std::get_if<ScenarioError>(&result);
        QVERIFY2(!error, error ? error->toString().c_str() : "");
        const Scenario& s = std::get<Scenario>(result);
        QCOMPARE(s.name, std::string("every field"));
        QCOMPARE(s.seed, std::numeric_limits<std::uint64_t>::max());
        QCOMPARE(s.durationMs, std::int64_t { 300000 });
        QCOMPARE(s.brokers, 4);
        QCOMPARE(s.racks, (std::vector<std::string> { "a", "a", "b", "b" }));

        // Cluster-wide topic defaults; log.retention.ms beats log.retention.hours although it comes first.
        const cluster::TopicConfig& defaults = s.brokerConfig.topicDefaults;
        QCOMPARE(defaults.log.retentionMs, std::int64_t { 7200000 });
        QCOMPARE(defaults.log.segmentBytes, std::int64_t { 2097152 });
        QVERIFY(defaults.log.cleanupDelete && !defaults.log.cleanupCompact);
        QCOMPARE(defaults.minInsyncReplicas, 2);
        QCOMPARE(defaults.log.maxMessageBytes, 2000000);
        QVERIFY(defaults.uncleanLeaderElectionEnable);
        QCOMPARE(s.brokerConfig.messageMaxBytes, 2000000);
        QCOMPARE(s.brokerConfig.numPartitions, 8);
        QCOMPARE(s.brokerConfig.defaultReplicationFactor, std::int16_t { 2 });
        QCOMPARE(s.network.latencyMs, 2.0);
        QCOMPARE(s.network.jitterMs, 0.5);
        QCOMPARE(s.network.loss, 0.01);
        QCOMPARE(s.network.bandwidthMBps, 100.0); // 800 megabits per second

        // Layers: struct defaults <- cluster defaults <- the topic's own config.
        const TopicSpec* plain = topic(s, "defaults");
        QVERIFY(plain);
        QCOMPARE(plain->partitions, 8);
        QCOMPARE(plain->replicationFactor, std::int16_t { 2 });
        QCOMPARE(plain->config, defaults);
        const TopicSpec* tuned = topic(s, "tuned");
        QVERIFY(tuned);
        QCOMPARE(tuned->partitions, 2);
        QCOMPARE(tuned->replicationFactor, std::int16_t { 4 });
        QCOMPARE(tuned->config.log.retentionMs, std::int64_t { -1 });
        QVERIFY(tuned->config.log.cleanupDelete && tuned->config.log.cleanupCompact);
        QCOMPARE(tuned->config.minInsyncReplicas, 3);
        QCOMPARE(tuned->config.log.compression, log::Compression::Gzip);
        QVERIFY(!tuned->config.log.compressionIsProducer);
        QVERIFY(!tuned->config.uncleanLeaderElectionEnable);
        QCOMPARE(tuned->config.log.segmentBytes, std::int64_t { 2097152 }); // inherited
        QCOMPARE(tuned->config.log.deleteRetentionMs, std::int64_t { 86400000 }); // Kafka's default

        QCOMPARE(s.producers.size(), std::size_t { 2 });
        const ProducerSpec& p1 = s.producers[0];
        QCOMPARE(p1.ratePerSec, 12.5);
        QCOMPARE(p1.startMs, std::int64_t { 1000 });
        QCOMPARE(p1.stopMs, std::int64_t { 2000 });
        QCOMPARE(p1.maxRecords, std::int64_t { 10 });
        QCOMPARE(p1.partition, std::optional<std::int32_t> { 1 });
        QCOMPARE(p1.workload.kind, client::WorkloadKind::FixedBytes);
        QCOMPARE(p1.workload.keys, client::KeyDistribution::Null);
        QCOMPARE(p1.workload.keyCount, std::int64_t { 7 });
        QCOMPARE(p1.workload.zipfExponent, 2.0);
        QCOMPARE(p1.workload.keyPrefix, std::string("k-"));
        QCOMPARE(p1.workload.valueBytes, 64);
        QVERIFY(!p1.workload.headers);
        QCOMPARE(p1.config.acks, std::int16_t { 1 });
        QVERIFY(!p1.config.enableIdempotence); // Kafka turns the default off rather than refuse acks=1
        QCOMPARE(p1.config.lingerMs, std::int64_t { 0 });
        QCOMPARE(p1.config.batchSize, 1024);
        QCOMPARE(p1.config.clientId, std::string("custom-client"));
        QCOMPARE(p1.config.compression, log::Compression::Gzip);
        QCOMPARE(p1.config.retries, 3);
        const ProducerSpec& p2 = s.producers[1];
        QCOMPARE(p2.ratePerSec, 100.0);
        QCOMPARE(p2.startMs, std::int64_t { 0 });
        QCOMPARE(p2.stopMs, std::int64_t { -1 });
        QCOMPARE(p2.maxRecords, std::int64_t { -1 });
        QVERIFY(!p2.partition);
        QCOMPARE(p2.workload.kind, client::WorkloadKind::Orders);
        QCOMPARE(p2.workload.keys, client::KeyDistribution::Uniform);
        QCOMPARE(p2.config.clientId, std::string("p2"));
        QCOMPARE(p2.config.acks, std::int16_t { -1 });
        QVERIFY(p2.config.enableIdempotence);

        QCOMPARE(s.consumers.size(), std::size_t { 2 });
        const ConsumerSpec& c1 = s.consumers[0];
        QCOMPARE(c1.topics, (std::vector<std::string> { "tuned", "defaults" }));
        QCOMPARE(c1.members, 3);
        QCOMPARE(c1.startMs, std::int64_t { 500 });
        QCOMPARE(c1.stopMs, std::int64_t { 250000 });
        QCOMPARE(c1.pollIntervalMs, std::int64_t { 50 });
        QCOMPARE(c1.processingMsPerRecord, 1.5);
        QCOMPARE(c1.config.groupId, std::string("shared"));
        QCOMPARE(c1.config.clientId, std::string("c1"));
        QCOMPARE(c1.config.autoOffsetReset, client::OffsetReset::None);
        QVERIFY(!c1.config.enableAutoCommit);
        QCOMPARE(c1.config.partitionAssignmentStrategy, std::string("cooperative-sticky,range"));
        QCOMPARE(c1.config.maxPollRecords, 10);
        const ConsumerSpec& c2 = s.consumers[1];
        QCOMPARE(c2.config.groupId, std::string("c2"));
        QCOMPARE(c2.config.clientId, std::string("c2"));
        QCOMPARE(c2.members, 1);
        QCOMPARE(c2.stopMs, std::int64_t { -1 });
        QCOMPARE(c2.pollIntervalMs, std::int64_t { 100 });
        QCOMPARE(c2.config.autoOffsetReset, client::OffsetReset::Latest);

        QCOMPARE(s.faults.size(), std::size_t { 2 });
        const FaultSpec& partition = s.faults[0];
        QCOMPARE(partition.kind, std::string("network_partition"));
        QCOMPARE(partition.atMs, std::int64_t { 100 });
        QCOMPARE(partition.untilMs, std::optional<std::int64_t> { 200 });
        QCOMPARE(partition.line, 89);
        QCOMPARE(partition.sideA, (std::vector<std::int32_t> { 0, 1 }));
        QCOMPARE(partition.sideB, (std::vector<std::int32_t> { 2 }));
        const FaultSpec& crash = s.faults[1];
        QCOMPARE(crash.kind, std::string("broker_crash"));
        QVERIFY(!crash.untilMs);
        QCOMPARE(crash.line, 90);
        QCOMPARE(crash.params.find("broker")->asInt(), std::int64_t { 2 });
        QCOMPARE(crash.broker, 2);
        QCOMPARE(crash.params.find("kind")->asString(), std::string("broker_crash"));
    }

    void minimalScenarioUsesDefaults()
    {
        LoadResult result = loadScenarioFile(dataPath("good-minimal.json"));
        QVERIFY(std::holds_alternative<Scenario>(result));
        const Scenario& s = std::get<Scenario>(result);
        QCOMPARE(s.name, std::string("minimal"));
        QCOMPARE(s.seed, std::uint64_t { 1 });
        QCOMPARE(s.durationMs, std::int64_t { 60000 });
        QCOMPARE(s.brokers, 3);
        QCOMPARE(s.brokerConfig.topicDefaults, cluster::TopicConfig {});
        QCOMPARE(s.brokerConfig.offsetsTopicReplicationFactor, std::int16_t { 3 });
        QCOMPARE(s.network, sim::LinkSpec {});
        QVERIFY(s.topics.empty() && s.producers.empty() && s.consumers.empty() && s.faults.empty());
    }

    void hoursApplyWhenMillisecondsAreAbsent()
    {
        const Scenario hours = loadOk("{\"name\":\"h\",\"cluster\":{\"config\":{\"log.retention.hours\":2,"
                                      "\"log.roll.hours\":1}},\"topics\":[{\"name\":\"t\"}]}");
        QCOMPARE(hours.topics.at(0).config.log.retentionMs, std::int64_t { 7200000 });
        QCOMPARE(hours.topics.at(0).config.log.segmentMs, std::int64_t { 3600000 });
        const Scenario both = loadOk("{\"name\":\"h\",\"cluster\":{\"config\":{\"log.retention.hours\":2,"
                                     "\"log.retention.ms\":5000}}}");
        QCOMPARE(both.brokerConfig.topicDefaults.log.retentionMs, std::int64_t { 5000 });
    }

    void seeds_data()
    {
        QTest::addColumn<QByteArray>("seed");
        QTest::addColumn<QString>("expected"); // the seed, or "error: <fragment>"
        QTest::addRow("number") << QByteArray("42") << "42";
        QTest::addRow("zero") << QByteArray("0") << "0";
        QTest::addRow("above 2^53 as number") << QByteArray("9007199254740993") << "9007199254740993";
        QTest::addRow("above 2^53 as string") << QByteArray("\"9007199254740993\"") << "9007199254740993";
        QTest::addRow("uint64 max as string") << QByteArray("\"18446744073709551615\"") << "18446744073709551615";
        QTest::addRow("uint64 max as number")
            << QByteArray("18446744073709551615") << "error: write it as a string of digits";
        QTest::addRow("overflowing string") << QByteArray("\"18446744073709551616\"") << "error: digits only";
        QTest::addRow("empty string") << QByteArray("\"\"") << "error: digits only";
        QTest::addRow("signed string") << QByteArray("\"+5\"") << "error: digits only";
        QTest::addRow("fraction") << QByteArray("4.5") << "error: expected a whole number";
        QTest::addRow("boolean") << QByteArray("true") << "error: expected a whole number, got true";
    }

    void seeds()
    {
        QFETCH(QByteArray, seed);
        QFETCH(QString, expected);
        const std::string text = "{\"name\": \"s\", \"seed\": " + seed.toStdString() + "}";
        LoadResult result = parseScenario(text, "seed.json");
        if (expected.startsWith(QStringLiteral("error: "))) {
            QVERIFY(std::holds_alternative<ScenarioError>(result));
            const ScenarioError& error = std::get<ScenarioError>(result);
            QVERIFY2(QString::fromStdString(error.message).contains(expected.mid(7)), error.message.c_str());
            QCOMPARE(error.field, std::string("seed"));
            QCOMPARE(error.column, 23);
        } else {
            QVERIFY(std::holds_alternative<Scenario>(result));
            QCOMPARE(QString::number(std::get<Scenario>(result).seed), expected);
        }
    }

    void badScenarios_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        for (const BadScenario& bad : kBadScenarios) {
            QTest::newRow(bad.file) << QString::fromUtf8(bad.file) << bad.line << bad.column
                                    << QString::fromUtf8(bad.field) << QString::fromUtf8(bad.message);
        }
    }

    void badScenarios()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const std::string path = dataPath(file.toStdString());
        LoadResult result = loadScenarioFile(path);
        QVERIFY2(std::holds_alternative<ScenarioError>(result), "the scenario loaded although it is wrong");
        const ScenarioError& error = std::get<ScenarioError>(result);
        QCOMPARE(error.file, path);
        QCOMPARE(QString::fromStdString(error.field), field);
        QVERIFY2(QString::fromStdString(error.message).contains(message), error.message.c_str());
        QCOMPARE(error.line, line);
        QCOMPARE(error.column, column);
        const std::string expected = path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": "
            + (field.isEmpty() ? std::string() : field.toStdString() + ": ") + error.message;
        QCOMPARE(error.toString(), expected);
    }

    void everyBadFileIsTested()
    {
        // A bad-*.json without a row would silently test nothing; a row without a file would fail anyway.
        QSet<QString> rows;
        for (const BadScenario& bad : kBadScenarios)
            rows.insert(QString::fromUtf8(bad.file));
        const QStringList files = QDir(kDataDir).entryList({ QStringLiteral("bad-*.json") }, QDir::Files);
        QCOMPARE(QSet<QString>(files.begin(), files.end()), rows);
        QCOMPARE(rows.size(), static_cast<qsizetype>(kBadScenarios.size()));
    }

    void suggestsCloseNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("candidates");
        QTest::addColumn<QString>("expected"); // empty: no suggestion
        const QStringList keys = names({ "name", "duration_ms", "seed", "topics" });
        QTest::addRow("extra letter") << "durations_ms" << keys << "duration_ms";
        QTest::addRow("missing letter") << "topcs" << keys << "topics";
        QTest::addRow("swapped letters") << "lniger.ms" << names({ "linger.ms", "batch.size" }) << "linger.ms";
        QTest::addRow("missing dot") << "lingerms" << names({ "linger.ms", "batch.size" }) << "linger.ms";
        QTest::addRow("missing suffix") << "retention" << names({ "retention.bytes", "retention.ms" })
                                        << "retention.bytes";
        QTest::addRow("case") << "Earliest" << names({ "earliest", "latest", "none" }) << "earliest";
        QTest::addRow("closest wins") << "ordres" << names({ "order-events", "orders" }) << "orders";
        QTest::addRow("single character") << "2" << names({ "all", "-1", "0", "1" }) << "";
        QTest::addRow("too far") << "payments" << names({ "orders", "page-views" }) << "";
        QTest::addRow("no candidates") << "x" << QStringList() << "";
    }

    void suggestsCloseNames()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, candidates);
        QFETCH(QString, expected);
        std::vector<std::string> storage;
        for (const QString& candidate : candidates)
            storage.push_back(candidate.toStdString());
        const std::vector<std::string_view> views(storage.begin(), storage.end());
        const std::optional<std::string> match = closestMatch(name.toStdString(), views);
        QCOMPARE(QString::fromStdString(match.value_or(std::string())), expected);
        QCOMPARE(didYouMean(name.toStdString(), views).empty(), expected.isEmpty());
    }

    void measuresEditDistance()
    {
        QCOMPARE(editDistance("kitten", "sitting"), std::size_t { 3 });
        QCOMPARE(editDistance("ab", "ba"), std::size_t { 1 });
        QCOMPARE(editDistance("", "abc"), std::size_t { 3 });
        QCOMPARE(editDistance("ACKS", "acks"), std::size_t { 0 });
        QCOMPARE(editDistance("linger.ms", "linger.ms"), std::size_t { 0 });
    }

    void errorStrings()
    {
        QCOMPARE((ScenarioError { "s.json", 3, 7, "producers[0].config.acks", "acks must be one of all, -1, 0, 1" })
                     .toString(),
            std::string("s.json:3:7: producers[0].config.acks: acks must be one of all, -1, 0, 1"));
        QCOMPARE((ScenarioError { "s.json", 1, 1, "", "empty document" }).toString(),
            std::string("s.json:1:1: empty document"));
        QCOMPARE((ScenarioError { "s.json", 0, 0, "", "cannot read the file" }).toString(),
            std::string("s.json: cannot read the file"));
    }

    void syntaxErrorsKeepTheirPosition()
    {
        const ScenarioError error = loadError("{\n  \"name\": \"x\",\n  \"topics\": [,]\n}");
        QCOMPARE(error.file, std::string("inline.json"));
        QCOMPARE(error.line, 3);
        QCOMPARE(error.column, 14);
        QVERIFY(error.field.empty());
        QCOMPARE(error.message, std::string("expected a value, found ','"));
    }

    void reportsFileProblems()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string missing = dir.filePath(QStringLiteral("missing.json")).toStdString();
        LoadResult result = loadScenarioFile(missing);
        QVERIFY(std::holds_alternative<ScenarioError>(result));
        QCOMPARE(std::get<ScenarioError>(result).file, missing);
        QCOMPARE(std::get<ScenarioError>(result).line, 0);
        QCOMPARE(std::get<ScenarioError>(result).toString(), missing + ": cannot read the file: it does not exist");

        result = loadScenarioFile(dir.path().toStdString());
        QVERIFY(std::holds_alternative<ScenarioError>(result));
        QCOMPARE(std::get<ScenarioError>(result).message, std::string("cannot read the file: it is a directory"));

        // Exactly at the limit still loads; one byte more does not.
        std::string document = "{\"name\": \"big\"}";
        document.resize(limits::kMaxFileBytes, ' ');
        const QString atLimit = dir.filePath(QStringLiteral("at-limit.json"));
        QFile file(atLimit);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(document.data(), static_cast<qint64>(document.size()));
        file.close();
        result = loadScenarioFile(atLimit.toStdString());
        QVERIFY(std::holds_alternative<Scenario>(result));
        QCOMPARE(std::get<Scenario>(result).name, std::string("big"));

        QVERIFY(file.open(QIODevice::Append));
        file.write(" ");
        file.close();
        result = loadScenarioFile(atLimit.toStdString());
        QVERIFY(std::holds_alternative<ScenarioError>(result));
        QCOMPARE(std::get<ScenarioError>(result).line, 0);
        QVERIFY(QString::fromStdString(std::get<ScenarioError>(result).message).contains(QStringLiteral("16 MiB")));
    }

    void parsesFromMemory()
    {
        const Scenario scenario = loadOk("{\"name\": \"mem\", \"topics\": [{\"name\": \"t\", \"partitions\": 2}]}");
        QCOMPARE(scenario.name, std::string("mem"));
        QCOMPARE(scenario.topics.at(0).partitions, 2);
        QCOMPARE(scenario.topics.at(0).replicationFactor, std::int16_t { 1 }); // default.replication.factor
        const ScenarioError error = loadError("{\"name\": \"mem\", \"topics\": 5}");
        QCOMPARE(error.field, std::string("topics"));
        QCOMPARE(error.message, std::string("expected an array [ ... ], got the number 5"));
        const ScenarioError deep = loadError(std::string(300, '[') + std::string(300, ']'));
        QCOMPARE(deep.message, std::string("nesting deeper than 256 levels"));
    }

    void limitsTotalPartitions()
    {
        std::string text = "{\"name\": \"many\", \"topics\": [";
        for (int i = 0; i < 11; ++i)
            text += (i ? "," : "") + std::string("{\"name\": \"t") + std::to_string(i) + "\", \"partitions\": 10000}";
        text += "]}";
        const ScenarioError error = loadError(text);
        QCOMPARE(error.field, std::string("topics[10].partitions"));
        QVERIFY(QString::fromStdString(error.message).contains(QStringLiteral("100000 partitions in total")));
    }

    void schemaFileMatchesTheLoader()
    {
        const JsonParseResult parsed
            = parseJson(readFile(QString::fromStdString(sourcePath("docs/scenario.schema.json"))));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error->toString().c_str());
        const JsonValue expected = scenarioSchema();
        if (!(parsed.value == expected)) {
            const QString fresh = QDir::temp().filePath(QStringLiteral("scenario.schema.json"));
            QFile out(fresh);
            if (out.open(QIODevice::WriteOnly))
                out.write(QByteArray::fromStdString(toJson(expected, true) + "\n"));
            QFAIL(qPrintable(
                QStringLiteral("docs/scenario.schema.json is out of date; the current schema is in ") + fresh));
        }
        // Every config of the registry is in the schema, under its scope.
        const JsonValue* defs = parsed.value.find("$defs");
        QVERIFY(defs);
        for (const protocol::ConfigDef& def : protocol::configDefs()) {
            const std::string scope = std::string(protocol::configScopeName(def.scope)) + "Config";
            const JsonValue* properties = defs->find(scope) ? defs->find(scope)->find("properties") : nullptr;
            QVERIFY2(properties && properties->find(def.name), std::string(def.name).c_str());
        }
    }

    void documentListsEveryConfig()
    {
        const std::string doc = readFile(QString::fromStdString(sourcePath("docs/scenario-format.md")));
        for (const protocol::ConfigDef& def : protocol::configDefs()) {
            const std::string row
                = "| `" + std::string(def.name) + "` | " + std::string(protocol::configTypeName(def.type));
            QVERIFY2(doc.find(row) != std::string::npos, row.c_str());
        }
    }

    void documentedExamplesLoad()
    {
        // Every ```json block of docs/scenario-format.md is a complete scenario and must load.
        const std::string doc = readFile(QString::fromStdString(sourcePath("docs/scenario-format.md")));
        QVERIFY(!doc.empty());
        int examples = 0;
        std::size_t pos = 0;
        while ((pos = doc.find("```json\n", pos)) != std::string::npos) {
            const std::size_t start = pos + 8;
            const std::size_t end = doc.find("```", start);
            QVERIFY(end != std::string::npos);
            LoadResult result = parseScenario(std::string_view(doc).substr(start, end - start), "example.json");
            const auto* error = std::get_if<ScenarioError>(&result);
            QVERIFY2(!error, error ? error->toString().c_str() : "");
            ++examples;
            pos = end + 3;
        }
        QVERIFY(examples >= 1);
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "test_scenario.moc"
