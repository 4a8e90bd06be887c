// Kafka's config registry and the config structs must agree: every default the registry documents is
// the value the structs start with, and every config can be set and read back by name.

#include "protocol/configdefs.h"
#include "scenario/configapply.h"

#include <QObject>
#include <QSet>
#include <QTest>

#include <functional>
#include <map>
#include <string>

using namespace brokerlab;
using protocol::ConfigDef;
using protocol::ConfigScope;
using protocol::ConfigType;
using scenario::ConfigResult;
using scenario::ConfigValue;

Q_DECLARE_METATYPE(ConfigScope)

namespace {

QString qs(std::string_view text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

std::string str(std::int64_t value) { return std::to_string(value); }

std::string str(bool value) { return value ? "true" : "false"; }

std::string codec(log::Compression compression)
{
    switch (compression) {
    case log::Compression::None:
        return "none";
    case log::Compression::Gzip:
        return "gzip";
    default:
        return "other";
    }
}

// Each struct field read directly, written the way Kafka documents its default. This table is the
// independent witness: it does not go through configText(), so a wrong binding cannot hide a wrong
// default.
std::map<std::pair<ConfigScope, std::string>, std::string> structDefaults()
{
    const cluster::TopicConfig topic;
    const cluster::BrokerConfig broker;
    const client::ProducerConfig producer;
    const client::ConsumerConfig consumer;
    const log::LogConfig& brokerLog = broker.topicDefaults.log;
    std::map<std::pair<ConfigScope, std::string>, std::string> values;
    const auto add = [&](ConfigScope scope, const char* name, std::string value) {
        values[{ scope, name }] = std::move(value);
    };
    using enum ConfigScope;

    add(Topic, "cleanup.policy", topic.log.cleanupDelete && !topic.log.cleanupCompact ? "delete" : "?");
    add(Topic, "compression.type", topic.log.compressionIsProducer ? "producer" : codec(topic.log.compression));
    add(Topic, "delete.retention.ms", str(topic.log.deleteRetentionMs));
    add(Topic, "flush.messages", str(topic.log.flushMessages));
    add(Topic, "flush.ms", str(topic.log.flushMs));
    add(Topic, "index.interval.bytes", str(std::int64_t { topic.log.indexIntervalBytes }));
    add(Topic, "max.message.bytes", str(std::int64_t { topic.log.maxMessageBytes }));
    add(Topic, "min.compaction.lag.ms", str(topic.log.minCompactionLagMs));
    add(Topic, "min.insync.replicas", str(std::int64_t { topic.minInsyncReplicas }));
    add(Topic, "retention.bytes", str(topic.log.retentionBytes));
    add(Topic, "retention.ms", str(topic.log.retentionMs));
    add(Topic, "segment.bytes", str(topic.log.segmentBytes));
    add(Topic, "segment.ms", str(topic.log.segmentMs));
    add(Topic, "unclean.leader.election.enable", str(topic.uncleanLeaderElectionEnable));

    add(Broker, "auto.create.topics.enable", str(broker.autoCreateTopicsEnable));
    add(Broker, "auto.leader.rebalance.enable", str(broker.autoLeaderRebalanceEnable));
    add(Broker, "broker.heartbeat.interval.ms", str(broker.brokerHeartbeatIntervalMs));
    add(Broker, "broker.session.timeout.ms", str(broker.brokerSessionTimeoutMs));
    add(Broker, "controller.quorum.election.timeout.ms", str(broker.controllerQuorumElectionTimeoutMs));
    add(Broker, "controller.quorum.fetch.timeout.ms", str(broker.controllerQuorumFetchTimeoutMs));
    add(Broker, "eligible.leader.replicas.enable", str(broker.eligibleLeaderReplicasEnable));
    add(Broker, "compression.type", brokerLog.compressionIsProducer ? "producer" : codec(brokerLog.compression));
    add(Broker, "default.replication.factor", str(std::int64_t { broker.defaultReplicationFactor }));
    add(Broker, "group.initial.rebalance.delay.ms", str(std::int64_t { broker.groupInitialRebalanceDelayMs }));
    add(Broker, "log.cleaner.delete.retention.ms", str(brokerLog.deleteRetentionMs));
    add(Broker, "log.cleaner.min.compaction.lag.ms", str(brokerLog.minCompactionLagMs));
    add(Broker, "log.cleanup.policy", brokerLog.cleanupDelete && !brokerLog.cleanupCompact ? "delete" : "?");
    add(Broker, "log.flush.interval.messages", str(brokerLog.flushMessages));
    add(Broker, "log.flush.interval.ms", str(brokerLog.flushMs));
    add(Broker, "log.index.interval.bytes", str(std::int64_t { brokerLog.indexIntervalBytes }));
    add(Broker, "log.retention.bytes", str(brokerLog.retentionBytes));
    add(Broker, "log.retention.check.interval.ms", str(broker.logRetentionCheckIntervalMs));
    add(Broker, "log.retention.hours", str(brokerLog.retentionMs / 3600000));
    add(Broker, "log.retention.ms", str(brokerLog.retentionMs));
    add(Broker, "log.roll.hours", str(brokerLog.segmentMs / 3600000));
    add(Broker, "log.roll.ms", str(brokerLog.segmentMs));
    add(Broker, "log.segment.bytes", str(brokerLog.segmentBytes));
    add(Broker, "message.max.bytes", str(std::int64_t { broker.messageMaxBytes }));
    add(Broker, "min.insync.replicas", str(std::int64_t { broker.topicDefaults.minInsyncReplicas }));
    add(Broker, "num.partitions", str(std::int64_t { broker.numPartitions }));
    add(Broker, "offsets.topic.num.partitions", str(std::int64_t { broker.offsetsTopicNumPartitions }));
    add(Broker, "offsets.topic.replication.factor", str(std::int64_t { broker.offsetsTopicReplicationFactor }));
    add(Broker, "replica.fetch.max.bytes", str(std::int64_t { broker.replicaFetchMaxBytes }));
    add(Broker, "replica.fetch.min.bytes", str(std::int64_t { broker.replicaFetchMinBytes }));
    add(Broker, "replica.fetch.wait.max.ms", str(std::int64_t { broker.replicaFetchWaitMaxMs }));
    add(Broker, "replica.lag.time.max.ms", str(broker.replicaLagTimeMaxMs));
    add(Broker, "unclean.leader.election.enable", str(broker.topicDefaults.uncleanLeaderElectionEnable));

    add(Producer, "acks", producer.acks == -1 ? "all" : str(std::int64_t { producer.acks }));
    add(Producer, "batch.size", str(std::int64_t { producer.batchSize }));
    add(Producer, "buffer.memory", str(producer.bufferMemory));
    add(Producer, "client.id", producer.clientId);
    add(Producer, "compression.type", codec(producer.compression));
    add(Producer, "delivery.timeout.ms", str(producer.deliveryTimeoutMs));
    add(Producer, "enable.idempotence", str(producer.enableIdempotence));
    add(Producer, "linger.ms", str(producer.lingerMs));
    add(Producer, "max.in.flight.requests.per.connection",
        str(std::int64_t { producer.maxInFlightRequestsPerConnection }));
    add(Producer, "metadata.max.age.ms", str(producer.metadataMaxAgeMs));
    add(Producer, "request.timeout.ms", str(producer.requestTimeoutMs));
    add(Producer, "retries", str(std::int64_t { producer.retries }));
    add(Producer, "retry.backoff.ms", str(producer.retryBackoffMs));

    add(Consumer, "auto.commit.interval.ms", str(consumer.autoCommitIntervalMs));
    add(Consumer, "auto.offset.reset", consumer.autoOffsetReset == client::OffsetReset::Latest ? "latest" : "?");
    add(Consumer, "client.id", consumer.clientId);
    add(Consumer, "enable.auto.commit", str(consumer.enableAutoCommit));
    add(Consumer, "fetch.max.bytes", str(std::int64_t { consumer.fetchMaxBytes }));
    add(Consumer, "fetch.max.wait.ms", str(std::int64_t { consumer.fetchMaxWaitMs }));
    add(Consumer, "fetch.min.bytes", str(std::int64_t { consumer.fetchMinBytes }));
    add(Consumer, "group.id", consumer.groupId);
    add(Consumer, "group.instance.id", consumer.groupInstanceId);
    add(Consumer, "group.protocol", consumer.groupProtocol);
    add(Consumer, "group.remote.assignor", consumer.groupRemoteAssignor);
    add(Consumer, "heartbeat.interval.ms", str(std::int64_t { consumer.heartbeatIntervalMs }));
    add(Consumer, "max.partition.fetch.bytes", str(std::int64_t { consumer.maxPartitionFetchBytes }));
    add(Consumer, "max.poll.interval.ms", str(std::int64_t { consumer.maxPollIntervalMs }));
    add(Consumer, "max.poll.records", str(std::int64_t { consumer.maxPollRecords }));
    add(Consumer, "partition.assignment.strategy", consumer.partitionAssignmentStrategy);
    add(Consumer, "request.timeout.ms", str(consumer.requestTimeoutMs));
    add(Consumer, "retry.backoff.ms", str(consumer.retryBackoffMs));
    add(Consumer, "session.timeout.ms", str(std::int64_t { consumer.sessionTimeoutMs }));
    add(Consumer, "value.deserializer", std::string(client::deserializerClassName(consumer.valueDeserializer)));
    return values;
}

// Reads config `name` of `scope` through configText() from structs that `setup` may change.
std::optional<std::string> readBack(ConfigScope scope, const std::string& name, const ConfigValue* apply = nullptr)
{
    cluster::TopicConfig topic;
    cluster::BrokerConfig broker;
    client::ProducerConfig producer;
    client::ConsumerConfig consumer;
    switch (scope) {
    case ConfigScope::Topic:
        if (apply && !scenario::applyConfig(topic, *apply))
            return std::nullopt;
        return scenario::configText(topic, name);
    case ConfigScope::Broker:
        if (apply && !scenario::applyConfig(broker, *apply))
            return std::nullopt;
        return scenario::configText(broker, name);
    case ConfigScope::Producer:
        if (apply && !scenario::applyConfig(producer, *apply))
            return std::nullopt;
        return scenario::configText(producer, name);
    case ConfigScope::Consumer:
        if (apply && !scenario::applyConfig(consumer, *apply))
            return std::nullopt;
        return scenario::configText(consumer, name);
    }
    return std::nullopt;
}

QString errorOf(const ConfigResult& result)
{
    const auto* error = std::get_if<std::string>(&result);
    return error ? QString::fromStdString(*error) : QString();
}

void addRowsForEveryDef()
{
    QTest::addColumn<ConfigScope>("scope");
    QTest::addColumn<QString>("name");
    for (const ConfigDef& def : protocol::configDefs()) {
        QTest::addRow("%s %s", protocol::configScopeName(def.scope).data(), std::string(def.name).c_str())
            << def.scope << qs(def.name);
    }
}

// A valid value different from the default, so that a round trip proves the setter wrote something.
std::string otherValue(const ConfigDef& def)
{
    switch (def.type) {
    case ConfigType::Boolean:
        return def.effective() == "true" ? "false" : "true";
    case ConfigType::Short:
    case ConfigType::Int:
    case ConfigType::Long:
        return std::to_string(def.effective() == std::to_string(def.minimum) ? def.minimum + 1 : def.minimum);
    case ConfigType::Double:
        return "0.5";
    case ConfigType::String:
        return "custom-name";
    case ConfigType::Enum:
    case ConfigType::List:
        for (std::string_view value : def.allowed) {
            const bool supported
                = std::find(def.notSupported.begin(), def.notSupported.end(), value) == def.notSupported.end();
            if (supported && value != def.effective() && !(def.name == "acks" && value == "-1"))
                return std::string(value);
        }
    }
    return {};
}

} // namespace

class TestConfigDefs : public QObject {
    Q_OBJECT

private slots:
    void registryIsWellFormed()
    {
        QSet<QString> seen;
        ConfigScope previousScope = ConfigScope::Topic;
        std::string_view previousName;
        for (const ConfigDef& def : protocol::configDefs()) {
            const QString id = qs(protocol::configScopeName(def.scope)) + QLatin1Char(' ') + qs(def.name);
            QVERIFY2(!seen.contains(id), qPrintable(id));
            seen.insert(id);
            QVERIFY2(
                def.scope > previousScope || (def.scope == previousScope && def.name > previousName), qPrintable(id));
            previousScope = def.scope;
            previousName = def.name;
            QVERIFY2(!def.doc.empty() && def.doc.size() < 300, qPrintable(id));
            QVERIFY2(def.doc.back() == '.' || def.doc.back() == '?', qPrintable(id));
            QVERIFY2(!def.defaultValue.empty() || def.type == ConfigType::String, qPrintable(id));
            QVERIFY2(def.minimum <= def.maximum, qPrintable(id));
            for (std::string_view value : def.notSupported)
                QVERIFY2(std::find(def.allowed.begin(), def.allowed.end(), value) != def.allowed.end(), qPrintable(id));
            if (def.type == ConfigType::Enum || def.type == ConfigType::List)
                QVERIFY2(!def.allowed.empty(), qPrintable(id));
            // The effective default must itself pass the definition's checks.
            if (!def.effective().empty() || def.type != ConfigType::String) {
                const ConfigResult result = scenario::checkConfigText(def.scope, def.name, def.effective());
                QVERIFY2(std::holds_alternative<ConfigValue>(result),
                    qPrintable(id + QStringLiteral(": ") + errorOf(result)));
                QCOMPARE(qs(std::get<ConfigValue>(result).text), qs(def.effective()));
            }
        }
        QCOMPARE(protocol::configDefs(ConfigScope::Topic).size(), std::size_t { 14 });
        QCOMPARE(protocol::configDefs(ConfigScope::Producer).size(), std::size_t { 13 });
        QCOMPARE(protocol::configDefs(ConfigScope::Consumer).size(), std::size_t { 20 });
        QCOMPARE(protocol::configDefs(ConfigScope::Broker).size(), std::size_t { 33 });
    }

    void synonymsPointBothWays()
    {
        for (const ConfigDef* topic : protocol::configDefs(ConfigScope::Topic)) {
            QVERIFY2(!topic->synonym.empty(), std::string(topic->name).c_str());
            const ConfigDef* broker = protocol::findConfigDef(topic->synonym, ConfigScope::Broker);
            QVERIFY2(broker, std::string(topic->synonym).c_str());
            QCOMPARE(qs(broker->synonym), qs(topic->name));
            QCOMPARE(broker->type, topic->type);
            QCOMPARE(qs(broker->effective()), qs(topic->effective()));
        }
    }

    void defaultsMatchTheStructs_data() { addRowsForEveryDef(); }

    void defaultsMatchTheStructs()
    {
        QFETCH(ConfigScope, scope);
        QFETCH(QString, name);
        const auto defaults = structDefaults();
        const auto it = defaults.find({ scope, name.toStdString() });
        QVERIFY2(it != defaults.end(), "the registry has a config that no struct field holds");
        const ConfigDef* def = protocol::findConfigDef(name.toStdString(), scope);
        QVERIFY(def);
        QCOMPARE(qs(it->second), qs(def->effective()));
        // The getter agrees with the witness.
        QCOMPARE(readBack(scope, name.toStdString()).value_or("<none>"), it->second);
    }

    void everyStructFieldIsInTheRegistry()
    {
        for (const auto& [key, value] : structDefaults()) {
            QVERIFY2(protocol::findConfigDef(key.second, key.first), key.second.c_str());
            Q_UNUSED(value);
        }
        QCOMPARE(structDefaults().size(), protocol::configDefs().size());
    }

    void knowsKafkaDocumentedDefaults_data()
    {
        QTest::addColumn<ConfigScope>("scope");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("kafkaDefault");
        // Apache Kafka 4.0's documentation, written out once more: the registry must not drift from it.
        QTest::addRow("acks") << ConfigScope::Producer << "acks"
                              << "all";
        QTest::addRow("linger.ms") << ConfigScope::Producer << "linger.ms"
                                   << "5";
        QTest::addRow("enable.idempotence") << ConfigScope::Producer << "enable.idempotence"
                                            << "true";
        QTest::addRow("retries") << ConfigScope::Producer << "retries"
                                 << "2147483647";
        QTest::addRow("session.timeout.ms") << ConfigScope::Consumer << "session.timeout.ms"
                                            << "45000";
        QTest::addRow("auto.offset.reset") << ConfigScope::Consumer << "auto.offset.reset"
                                           << "latest";
        QTest::addRow("group.id") << ConfigScope::Consumer << "group.id"
                                  << "null";
        QTest::addRow("retention.ms") << ConfigScope::Topic << "retention.ms"
                                      << "604800000";
        QTest::addRow("segment.bytes") << ConfigScope::Topic << "segment.bytes"
                                       << "1073741824";
        QTest::addRow("log.retention.ms") << ConfigScope::Broker << "log.retention.ms"
                                          << "null";
        QTest::addRow("log.retention.hours") << ConfigScope::Broker << "log.retention.hours"
                                             << "168";
        QTest::addRow("replica.lag.time.max.ms") << ConfigScope::Broker << "replica.lag.time.max.ms"
                                                 << "30000";
        QTest::addRow("broker.session.timeout.ms") << ConfigScope::Broker << "broker.session.timeout.ms"
                                                   << "9000";
        QTest::addRow("offsets.topic.num.partitions") << ConfigScope::Broker << "offsets.topic.num.partitions"
                                                      << "50";
        QTest::addRow("message.max.bytes") << ConfigScope::Broker << "message.max.bytes"
                                           << "1048588";
    }

    void knowsKafkaDocumentedDefaults()
    {
        QFETCH(ConfigScope, scope);
        QFETCH(QString, name);
        QFETCH(QString, kafkaDefault);
        const ConfigDef* def = protocol::findConfigDef(name.toStdString(), scope);
        QVERIFY(def);
        QCOMPARE(qs(def->defaultValue), kafkaDefault);
    }

    void setsAndReadsEveryConfig_data() { addRowsForEveryDef(); }

    void setsAndReadsEveryConfig()
    {
        QFETCH(ConfigScope, scope);
        QFETCH(QString, name);
        const ConfigDef* def = protocol::findConfigDef(name.toStdString(), scope);
        QVERIFY(def);
        std::vector<std::string> values { otherValue(*def) };
        if (def->isInteger()) {
            // The extremes prove each field is wide enough for the registry's range.
            values.push_back(std::to_string(def->minimum));
            values.push_back(std::to_string(def->maximum));
        }
        for (const std::string& value : values) {
            const ConfigResult result = scenario::checkConfigText(scope, def->name, value);
            QVERIFY2(std::holds_alternative<ConfigValue>(result), qPrintable(errorOf(result)));
            const auto& checked = std::get<ConfigValue>(result);
            QCOMPARE(readBack(scope, name.toStdString(), &checked).value_or("<none>"), checked.text);
            QVERIFY(checked.text != std::string(def->effective()) || value != otherValue(*def));
        }
        // A value outside the range is refused, naming the range.
        if (def->isInteger() && def->minimum > std::numeric_limits<std::int64_t>::min()) {
            const ConfigResult below = scenario::checkConfigText(scope, def->name, std::to_string(def->minimum - 1));
            QVERIFY(errorOf(below).contains(QStringLiteral("must be")));
        }
    }

    void appliesOnlyToItsOwnScope()
    {
        const ConfigResult acks = scenario::checkConfigText(ConfigScope::Producer, "acks", "1");
        cluster::TopicConfig topic;
        QVERIFY(!scenario::applyConfig(topic, std::get<ConfigValue>(acks)));
        QCOMPARE(topic, cluster::TopicConfig {});
        QVERIFY(!scenario::configText(topic, "acks"));
    }

    void looksUpByNameAndScope()
    {
        QVERIFY(protocol::findConfigDef("acks", ConfigScope::Producer));
        QVERIFY(!protocol::findConfigDef("acks", ConfigScope::Topic));
        QVERIFY(!protocol::findConfigDef("no.such.config", ConfigScope::Broker));
        QCOMPARE(protocol::scopesOf("compression.type"),
            (std::vector<ConfigScope> { ConfigScope::Topic, ConfigScope::Broker, ConfigScope::Producer }));
        QCOMPARE(protocol::scopesOf("min.insync.replicas"),
            (std::vector<ConfigScope> { ConfigScope::Topic, ConfigScope::Broker }));
        QVERIFY(protocol::scopesOf("nothing").empty());
        QVERIFY(protocol::isUnsimulatedKafkaConfig("transactional.id", ConfigScope::Producer));
        QVERIFY(!protocol::isUnsimulatedKafkaConfig("transactional.id", ConfigScope::Consumer));
        QVERIFY(!protocol::isUnsimulatedKafkaConfig("acks", ConfigScope::Producer));

        const ConfigDef* linger = protocol::findConfigDef("linger.ms", ConfigScope::Producer);
        QCOMPARE(linger->type, ConfigType::Long);
        QCOMPARE(qs(linger->unit), QStringLiteral("ms"));
        QCOMPARE(qs(protocol::validValuesText(*linger)), QStringLiteral("at least 0"));
        const ConfigDef* session = protocol::findConfigDef("session.timeout.ms", ConfigScope::Consumer);
        QCOMPARE(qs(protocol::validValuesText(*session)), QStringLiteral("6000 to 1800000"));
        const ConfigDef* reset = protocol::findConfigDef("auto.offset.reset", ConfigScope::Consumer);
        QCOMPARE(qs(protocol::validValuesText(*reset)), QStringLiteral("one of: earliest, latest, none"));
        const ConfigDef* rf = protocol::findConfigDef("offsets.topic.replication.factor", ConfigScope::Broker);
        QCOMPARE(rf->type, ConfigType::Short);
        QCOMPARE(rf->maximum, std::int64_t { 32767 });
        const ConfigDef* segment = protocol::findConfigDef("log.segment.bytes", ConfigScope::Broker);
        QCOMPARE(qs(segment->synonym), QStringLiteral("segment.bytes"));
        QCOMPARE(segment->minimum, std::int64_t { 1048576 });
        QCOMPARE(protocol::configTypeName(ConfigType::Enum), std::string_view("enum"));
        QCOMPARE(protocol::configScopeName(ConfigScope::Consumer), std::string_view("consumer"));
    }

    void checksJsonValues_data()
    {
        QTest::addColumn<ConfigScope>("scope");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected"); // canonical text, or "error: <fragment>"
        using enum ConfigScope;
        QTest::addRow("integer") << Producer << "linger.ms" << QByteArray("20") << "20";
        QTest::addRow("integer as string") << Producer << "linger.ms" << QByteArray("\"5\"")
                                           << "error: linger.ms expects a whole number (ms), got the string \"5\" "
                                              "(write it without quotes)";
        QTest::addRow("fraction") << Producer << "batch.size" << QByteArray("1.5")
                                  << "error: batch.size must be a whole number, got the number 1.5";
        QTest::addRow("negative") << Producer << "linger.ms" << QByteArray("-1")
                                  << "error: linger.ms must be at least 0, got -1";
        QTest::addRow("session too short") << Consumer << "session.timeout.ms" << QByteArray("1000")
                                           << "error: must be between 6000 and 1800000, got 1000";
        QTest::addRow("int overflow") << Topic << "segment.bytes" << QByteArray("4294967296")
                                      << "error: must be between 1048576 and 2147483647";
        QTest::addRow("long max") << Topic << "flush.ms" << QByteArray("9223372036854775807") << "9223372036854775807";
        QTest::addRow("bool") << Producer << "enable.idempotence" << QByteArray("false") << "false";
        QTest::addRow("bool as string") << Producer << "enable.idempotence" << QByteArray("\"true\"")
                                        << "error: enable.idempotence expects true or false, got the string \"true\"";
        QTest::addRow("acks all") << Producer << "acks" << QByteArray("\"all\"") << "all";
        QTest::addRow("acks -1 number") << Producer << "acks" << QByteArray("-1") << "all";
        QTest::addRow("acks -1 string") << Producer << "acks" << QByteArray("\"-1\"") << "all";
        QTest::addRow("acks 1") << Producer << "acks" << QByteArray("1") << "1";
        QTest::addRow("acks 2") << Producer << "acks" << QByteArray("2")
                                << "error: acks must be one of all, -1, 0, 1; got \"2\"";
        QTest::addRow("acks bool") << Producer << "acks" << QByteArray("true")
                                   << "error: acks expects one of all, -1, 0, 1, got true";
        QTest::addRow("gzip") << Producer << "compression.type" << QByteArray("\"gzip\"") << "gzip";
        QTest::addRow("snappy")
            << Producer << "compression.type" << QByteArray("\"snappy\"")
            << "error: compression.type \"snappy\" is not supported by Brokerlab yet: only none and "
               "gzip are implemented";
        QTest::addRow("topic zstd") << Topic << "compression.type" << QByteArray("\"zstd\"")
                                    << "error: only uncompressed, gzip and producer are implemented";
        QTest::addRow("topic none") << Topic << "compression.type" << QByteArray("\"none\"")
                                    << "error: compression.type must be one of uncompressed, zstd, lz4, snappy, gzip, "
                                       "producer; got \"none\"";
        QTest::addRow("reset case") << Consumer << "auto.offset.reset" << QByteArray("\"Earliest\"")
                                    << "error: (did you mean \"earliest\"?)";
        QTest::addRow("policy both") << Topic << "cleanup.policy" << QByteArray("\"delete, compact\"")
                                     << "compact,delete";
        QTest::addRow("policy array") << Topic << "cleanup.policy" << QByteArray("[\"compact\"]") << "compact";
        QTest::addRow("policy typo") << Topic << "cleanup.policy" << QByteArray("\"delte\"")
                                     << "error: (did you mean \"delete\"?)";
        QTest::addRow("policy twice") << Topic << "cleanup.policy" << QByteArray("\"compact,compact\"")
                                      << "error: cleanup.policy names \"compact\" twice";
        QTest::addRow("policy empty") << Topic << "cleanup.policy" << QByteArray("\"\"")
                                      << "error: cleanup.policy must name at least one of delete, compact";
        QTest::addRow("policy number") << Topic << "cleanup.policy" << QByteArray("[1]")
                                       << "error: expects a list of strings, got the number 1";
        QTest::addRow("java assignor") << Consumer << "partition.assignment.strategy"
                                       << QByteArray("\"org.apache.kafka.clients.consumer.RoundRobinAssignor, range\"")
                                       << "roundrobin,range";
        QTest::addRow("unknown assignor") << Consumer << "partition.assignment.strategy" << QByteArray("[\"rnage\"]")
                                          << "error: (did you mean \"range\"?)";
        QTest::addRow("string") << Consumer << "group.id" << QByteArray("\"billing\"") << "billing";
        QTest::addRow("string as number")
            << Consumer << "group.id" << QByteArray("7") << "error: group.id expects a string, got the number 7";
        QTest::addRow("typo") << Producer << "linger" << QByteArray("5")
                              << "error: unknown producer config \"linger\" (did you mean \"linger.ms\"?)";
        QTest::addRow("topic config on broker")
            << Broker << "retention.ms" << QByteArray("5")
            << "error: \"retention.ms\" is a topic config, not a broker config; the "
               "cluster-wide default is \"log.retention.ms\"";
        QTest::addRow("producer config on topic") << Topic << "acks" << QByteArray("1")
                                                  << "error: \"acks\" is a producer config, not a topic config; set it "
                                                     "in a producer's \"config\"";
        QTest::addRow("not simulated")
            << Producer << "transactional.id" << QByteArray("\"tx\"")
            << "error: \"transactional.id\" is a Kafka producer config that Brokerlab does not "
               "simulate yet";
        QTest::addRow("unknown") << Consumer << "colour" << QByteArray("1")
                                 << "error: unknown consumer config \"colour\"";
    }

    void checksJsonValues()
    {
        QFETCH(ConfigScope, scope);
        QFETCH(QString, name);
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const scenario::JsonParseResult parsed = scenario::parseJson(json.toStdString());
        QVERIFY(parsed.ok());
        const ConfigResult result = scenario::checkConfigJson(scope, name.toStdString(), parsed.value);
        if (expected.startsWith(QStringLiteral("error: "))) {
            QVERIFY2(errorOf(result).contains(expected.mid(7)), qPrintable(errorOf(result)));
        } else {
            QVERIFY2(std::holds_alternative<ConfigValue>(result), qPrintable(errorOf(result)));
            QCOMPARE(QString::fromStdString(std::get<ConfigValue>(result).text), expected);
        }
    }

    void checksTextValues()
    {
        using enum ConfigScope;
        const auto text = [](ConfigScope scope, const char* name, const char* value) {
            return scenario::checkConfigText(scope, name, value);
        };
        QCOMPARE(std::get<ConfigValue>(text(Producer, "acks", "all")).integer, std::int64_t { -1 });
        QCOMPARE(std::get<ConfigValue>(text(Producer, "acks", "0")).integer, std::int64_t { 0 });
        QVERIFY(std::get<ConfigValue>(text(Topic, "unclean.leader.election.enable", "TRUE")).boolean);
        QCOMPARE(std::get<ConfigValue>(text(Producer, "linger.ms", " 42 ")).integer, std::int64_t { 42 });
        QVERIFY(errorOf(text(Producer, "linger.ms", "4x")).contains(QStringLiteral("expects a whole number")));
        QVERIFY(errorOf(text(Producer, "linger.ms", "")).contains(QStringLiteral("expects a whole number")));
        QVERIFY(errorOf(text(Producer, "batch.size", "99999999999")).contains(QStringLiteral("must be between 0 and")));
        QVERIFY(errorOf(text(Producer, "linger.ms", "99999999999999999999"))
                    .contains(QStringLiteral("must be between 0 and 9223372036854775807")));
        QVERIFY(errorOf(text(Topic, "preallocate", "true")).contains(QStringLiteral("does not simulate yet")));

        cluster::TopicConfig topic;
        QCOMPARE(scenario::setConfigText(topic, Topic, "cleanup.policy", "compact"), std::string());
        QVERIFY(topic.log.cleanupCompact);
        QVERIFY(!topic.log.cleanupDelete);
        QVERIFY(!scenario::setConfigText(topic, Topic, "retention.ms", "-2").empty());
        QCOMPARE(topic.log.retentionMs, std::int64_t { 604800000 }); // unchanged after a refusal
    }

    void brokerSynonymsFeedTopicDefaults()
    {
        using enum ConfigScope;
        cluster::BrokerConfig broker;
        QCOMPARE(scenario::setConfigText(broker, Broker, "log.retention.hours", "1"), std::string());
        QCOMPARE(broker.topicDefaults.log.retentionMs, std::int64_t { 3600000 });
        QCOMPARE(scenario::setConfigText(broker, Broker, "log.retention.ms", "-1"), std::string());
        QCOMPARE(broker.topicDefaults.log.retentionMs, std::int64_t { -1 });
        QCOMPARE(scenario::configText(broker, "log.retention.hours"), std::optional<std::string>("-1"));
        QCOMPARE(scenario::setConfigText(broker, Broker, "log.roll.hours", "2"), std::string());
        QCOMPARE(broker.topicDefaults.log.segmentMs, std::int64_t { 7200000 });
        QCOMPARE(scenario::setConfigText(broker, Broker, "log.roll.hours", "2147483647"), std::string());
        QCOMPARE(broker.topicDefaults.log.segmentMs, std::int64_t { 2147483647 } * 3600000);
        QCOMPARE(scenario::setConfigText(broker, Broker, "message.max.bytes", "2000000"), std::string());
        QCOMPARE(broker.messageMaxBytes, 2000000);
        QCOMPARE(broker.topicDefaults.log.maxMessageBytes, 2000000);
        QCOMPARE(scenario::setConfigText(broker, Broker, "log.cleanup.policy", "compact"), std::string());
        QVERIFY(broker.topicDefaults.log.cleanupCompact);
        QCOMPARE(scenario::setConfigText(broker, Broker, "compression.type", "gzip"), std::string());
        QCOMPARE(broker.topicDefaults.log.compression, log::Compression::Gzip);
        QVERIFY(!broker.topicDefaults.log.compressionIsProducer);
        QCOMPARE(scenario::setConfigText(broker, Broker, "min.insync.replicas", "2"), std::string());
        QCOMPARE(broker.topicDefaults.minInsyncReplicas, 2);
    }

    void producerRulesFollowKafka()
    {
        client::ProducerConfig config;
        config.acks = 1;
        // Idempotence is only a default here: it quietly gives way, as in Kafka's producer.
        QVERIFY(!scenario::finishProducerConfig(config, { "acks" }));
        QVERIFY(!config.enableIdempotence);

        client::ProducerConfig explicitConfig;
        explicitConfig.acks = 0;
        const auto conflict = scenario::finishProducerConfig(explicitConfig, { "acks", "enable.idempotence" });
        QVERIFY(conflict);
        QCOMPARE(conflict->name, std::string("acks"));
        QVERIFY(QString::fromStdString(conflict->message).contains(QStringLiteral("needs acks=all")));

        client::ProducerConfig inFlight;
        inFlight.maxInFlightRequestsPerConnection = 6;
        QCOMPARE(scenario::finishProducerConfig(inFlight, { "enable.idempotence" })->name,
            std::string("max.in.flight.requests.per.connection"));
        client::ProducerConfig noRetries;
        noRetries.retries = 0;
        QCOMPARE(scenario::finishProducerConfig(noRetries, { "enable.idempotence" })->name, std::string("retries"));

        client::ProducerConfig slow;
        slow.requestTimeoutMs = 200000;
        QVERIFY(!scenario::finishProducerConfig(slow, { "request.timeout.ms" }));
        QCOMPARE(slow.deliveryTimeoutMs, std::int64_t { 200005 }); // raised to linger.ms + request.timeout.ms
        slow.deliveryTimeoutMs = 1000;
        const auto delivery = scenario::finishProducerConfig(slow, { "delivery.timeout.ms" });
        QVERIFY(delivery);
        QCOMPARE(delivery->name, std::string("delivery.timeout.ms"));
        QVERIFY(QString::fromStdString(delivery->message)
                    .contains(QStringLiteral("at least linger.ms + request.timeout.ms")));

        client::ProducerConfig defaults;
        QVERIFY(!scenario::finishProducerConfig(defaults, {}));
        QVERIFY(defaults.enableIdempotence);
        QCOMPARE(defaults.deliveryTimeoutMs, std::int64_t { 120000 });
    }

    void consumerAndBrokerRules()
    {
        client::ConsumerConfig consumer;
        consumer.heartbeatIntervalMs = 45000;
        const auto heartbeat = scenario::finishConsumerConfig(consumer, { "heartbeat.interval.ms" });
        QVERIFY(heartbeat);
        QCOMPARE(heartbeat->name, std::string("heartbeat.interval.ms"));
        QVERIFY(QString::fromStdString(heartbeat->message)
                    .contains(QStringLiteral("must be lower than session.timeout.ms")));
        consumer.heartbeatIntervalMs = 3000;
        consumer.groupId = "g";
        QVERIFY(!scenario::finishConsumerConfig(consumer, {}));

        cluster::BrokerConfig broker;
        QVERIFY(!scenario::checkBrokerConfig(broker, 3));
        const auto offsets = scenario::checkBrokerConfig(broker, 1);
        QVERIFY(offsets);
        QCOMPARE(offsets->name, std::string("offsets.topic.replication.factor"));
        QVERIFY(QString::fromStdString(offsets->message).contains(QStringLiteral("the cluster has 1 broker:")));
        broker.offsetsTopicReplicationFactor = 1;
        QVERIFY(!scenario::checkBrokerConfig(broker, 1));
        broker.replicaFetchWaitMaxMs = 40000;
        QCOMPARE(scenario::checkBrokerConfig(broker, 1)->name, std::string("replica.fetch.wait.max.ms"));
    }

    void namesAssignors()
    {
        QCOMPARE(scenario::assignorShortName("range"), std::optional<std::string_view>("range"));
        QCOMPARE(scenario::assignorShortName("class org.apache.kafka.clients.consumer.CooperativeStickyAssignor"),
            std::optional<std::string_view>("cooperative-sticky"));
        QVERIFY(!scenario::assignorShortName("uniform"));
    }
};

QTEST_GUILESS_MAIN(TestConfigDefs)
#include "test_configdefs.moc"
