#include "scenario/configapply.h"

#include "scenario/suggest.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace brokerlab::scenario {

using protocol::ConfigDef;
using protocol::ConfigScope;
using protocol::ConfigType;

namespace {

constexpr std::int64_t kMsPerHour = 3600000;

// What the user wrote, before the definition's checks.
struct RawValue {
    enum class Kind { Integer, Number, Boolean, Text, List } kind = Kind::Text;
    std::int64_t integer = 0;
    double number = 0;
    bool boolean = false;
    std::string text;
    std::vector<std::string> items;
};

std::string inQuotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string join(const std::vector<std::string_view>& values, std::string_view separator)
{
    std::string text;
    for (std::string_view value : values) {
        if (!text.empty())
            text += separator;
        text += value;
    }
    return text;
}

std::string numberText(double value)
{
    // 1000000 rather than to_chars' shortest form 1e+06: messages are read by people.
    if (std::trunc(value) == value && std::fabs(value) < 1e15)
        return std::to_string(static_cast<std::int64_t>(value));
    std::array<char, 32> buffer {};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return { buffer.data(), result.ptr };
}

std::string describeJson(const JsonValue& value)
{
    switch (value.type()) {
    case JsonType::Null:
        return "null";
    case JsonType::Bool:
        return value.asBool() ? "true" : "false";
    case JsonType::Number:
        return "the number " + (value.isInteger() ? std::to_string(value.asInt()) : numberText(value.asDouble()));
    case JsonType::String:
        return "the string " + inQuotes(value.asString());
    case JsonType::Array:
        return "an array";
    case JsonType::Object:
        return "an object";
    }
    return "a value";
}

std::string trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> splitList(std::string_view text)
{
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        items.push_back(trim(text.substr(start, comma - start)));
        start = comma + 1;
    }
    if (items.size() == 1 && items.front().empty())
        items.clear();
    return items;
}

// "at least 0" reads better than "between 0 and 2147483647", unless the value broke the upper bound.
std::string rangeWords(const ConfigDef& def, bool aboveMaximum)
{
    std::string text = protocol::validValuesText(def);
    if (text.starts_with("at least") && !aboveMaximum)
        return text;
    return "between " + std::to_string(def.minimum) + " and " + std::to_string(def.maximum);
}

// "a", "a and b", "a, b and c"
std::string listWords(const std::vector<std::string_view>& values)
{
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            text += i + 1 == values.size() ? " and " : ", ";
        text += values[i];
    }
    return text;
}

std::vector<std::string_view> implementedValues(const ConfigDef& def)
{
    std::vector<std::string_view> values;
    for (std::string_view value : def.allowed) {
        if (std::find(def.notSupported.begin(), def.notSupported.end(), value) == def.notSupported.end())
            values.push_back(value);
    }
    return values;
}

std::optional<std::string> checkAllowed(const ConfigDef& def, const std::string& value)
{
    if (std::find(def.notSupported.begin(), def.notSupported.end(), value) != def.notSupported.end()) {
        return std::string(def.name) + " " + inQuotes(value) + " is not supported by Brokerlab yet: only "
            + listWords(implementedValues(def)) + " are implemented";
    }
    if (std::find(def.allowed.begin(), def.allowed.end(), value) == def.allowed.end()) {
        return std::string(def.name) + " must be one of " + join(def.allowed, ", ") + "; got " + inQuotes(value)
            + didYouMean(value, def.allowed);
    }
    return std::nullopt;
}

ConfigResult finishList(const ConfigDef& def, const std::vector<std::string>& items)
{
    const bool assignors = def.name == "partition.assignment.strategy";
    if (items.empty())
        return std::string(def.name) + " must name at least one of " + join(def.allowed, ", ");
    std::vector<std::string> canonical;
    for (const std::string& item : items) {
        std::string name = item;
        if (assignors) {
            if (const auto shortName = assignorShortName(item))
                name = std::string(*shortName);
        }
        if (auto error = checkAllowed(def, name))
            return *error;
        if (std::find(canonical.begin(), canonical.end(), name) != canonical.end())
            return std::string(def.name) + " names " + inQuotes(name) + " twice";
        canonical.push_back(name);
    }
    ConfigValue value;
    value.def = &def;
    if (def.name == "cleanup.policy" || def.name == "log.cleanup.policy") {
        // Order carries no meaning for the cleanup policy; one spelling lets texts compare equal.
        const bool compact = std::find(canonical.begin(), canonical.end(), "compact") != canonical.end();
        const bool remove = std::find(canonical.begin(), canonical.end(), "delete") != canonical.end();
        value.text = compact && remove ? "compact,delete" : compact ? "compact" : "delete";
        return value;
    }
    for (const std::string& name : canonical)
        value.text += (value.text.empty() ? "" : ",") + name;
    return value;
}

ConfigResult finish(const ConfigDef& def, RawValue raw)
{
    ConfigValue value;
    value.def = &def;
    switch (def.type) {
    case ConfigType::Boolean:
        value.boolean = raw.boolean;
        value.text = raw.boolean ? "true" : "false";
        return value;
    case ConfigType::Short:
    case ConfigType::Int:
    case ConfigType::Long:
        if (raw.integer < def.minimum || raw.integer > def.maximum) {
            return std::string(def.name) + " must be " + rangeWords(def, raw.integer > def.maximum) + ", got "
                + std::to_string(raw.integer);
        }
        value.integer = raw.integer;
        value.text = std::to_string(raw.integer);
        return value;
    case ConfigType::Double:
        if (!(raw.number >= def.minimumDouble && raw.number <= def.maximumDouble)) {
            return std::string(def.name) + " must be " + protocol::validValuesText(def) + ", got "
                + numberText(raw.number);
        }
        value.number = raw.number;
        value.text = numberText(raw.number);
        return value;
    case ConfigType::String:
        value.text = std::move(raw.text);
        return value;
    case ConfigType::Enum:
        if (auto error = checkAllowed(def, raw.text))
            return *error;
        value.text = std::move(raw.text);
        if (def.name == "acks") {
            // Kafka treats "all" and "-1" alike; keep one spelling and the number the request carries.
            value.integer = value.text == "0" ? 0 : value.text == "1" ? 1 : -1;
            value.text = value.integer == -1 ? "all" : value.text;
        }
        return value;
    case ConfigType::List:
        return finishList(def, raw.items);
    }
    return std::string("unsupported config type");
}

std::string typeWords(const ConfigDef& def)
{
    switch (def.type) {
    case ConfigType::Boolean:
        return "true or false";
    case ConfigType::Short:
    case ConfigType::Int:
    case ConfigType::Long:
        return def.unit.empty() ? "a whole number" : "a whole number (" + std::string(def.unit) + ")";
    case ConfigType::Double:
        return "a number";
    case ConfigType::String:
        return "a string";
    case ConfigType::Enum:
        return "one of " + join(def.allowed, ", ");
    case ConfigType::List:
        return "a string or an array of strings";
    }
    return "a value";
}

template <typename Config>
struct Binding {
    std::string_view name;
    void (*set)(Config&, const ConfigValue&);
    std::string (*get)(const Config&);
};

template <typename T>
std::string text(T value)
{
    if constexpr (std::is_same_v<T, bool>) {
        return value ? "true" : "false";
    } else {
        return std::to_string(value);
    }
}

template <typename T>
T narrow(std::int64_t value)
{
    return static_cast<T>(value); // the registry's range already fits T
}

std::string codecName(log::Compression codec)
{
    switch (codec) {
    case log::Compression::None:
        return "none";
    case log::Compression::Gzip:
        return "gzip";
    case log::Compression::Snappy:
        return "snappy";
    case log::Compression::Lz4:
        return "lz4";
    case log::Compression::Zstd:
        return "zstd";
    }
    return "none";
}

log::Compression codecFromName(std::string_view name)
{
    if (name == "gzip")
        return log::Compression::Gzip;
    if (name == "snappy")
        return log::Compression::Snappy;
    if (name == "lz4")
        return log::Compression::Lz4;
    if (name == "zstd")
        return log::Compression::Zstd;
    return log::Compression::None; // "none", "uncompressed"
}

using cluster::TopicConfig;

const std::vector<Binding<TopicConfig>> kTopicBindings {
    { "cleanup.policy",
        [](TopicConfig& c, const ConfigValue& v) {
            c.log.cleanupCompact = v.text.find("compact") != std::string::npos;
            c.log.cleanupDelete = v.text.find("delete") != std::string::npos;
        },
        [](const TopicConfig& c) -> std::string {
            return c.log.cleanupCompact && c.log.cleanupDelete ? "compact,delete"
                : c.log.cleanupCompact                         ? "compact"
                                                               : "delete";
        } },
    { "compression.type",
        [](TopicConfig& c, const ConfigValue& v) {
            c.log.compressionIsProducer = v.text == "producer";
            c.log.compression = codecFromName(v.text);
        },
        [](const TopicConfig& c) -> std::string {
            if (c.log.compressionIsProducer)
                return "producer";
            return c.log.compression == log::Compression::None ? "uncompressed" : codecName(c.log.compression);
        } },
    { "delete.retention.ms", [](TopicConfig& c, const ConfigValue& v) { c.log.deleteRetentionMs = v.integer; },
        [](const TopicConfig& c) { return text(c.log.deleteRetentionMs); } },
    { "flush.messages", [](TopicConfig& c, const ConfigValue& v) { c.log.flushMessages = v.integer; },
        [](const TopicConfig& c) { return text(c.log.flushMessages); } },
    { "flush.ms", [](TopicConfig& c, const ConfigValue& v) { c.log.flushMs = v.integer; },
        [](const TopicConfig& c) { return text(c.log.flushMs); } },
    { "index.interval.bytes",
        [](TopicConfig& c, const ConfigValue& v) { c.log.indexIntervalBytes = narrow<std::int32_t>(v.integer); },
        [](const TopicConfig& c) { return text(c.log.indexIntervalBytes); } },
    { "max.message.bytes",
        [](TopicConfig& c, const ConfigValue& v) { c.log.maxMessageBytes = narrow<std::int32_t>(v.integer); },
        [](const TopicConfig& c) { return text(c.log.maxMessageBytes); } },
    { "min.compaction.lag.ms", [](TopicConfig& c, const ConfigValue& v) { c.log.minCompactionLagMs = v.integer; },
        [](const TopicConfig& c) { return text(c.log.minCompactionLagMs); } },
    { "min.insync.replicas",
        [](TopicConfig& c, const ConfigValue& v) { c.minInsyncReplicas = narrow<std::int32_t>(v.integer); },
        [](const TopicConfig& c) { return text(c.minInsyncReplicas); } },
    { "retention.bytes", [](TopicConfig& c, const ConfigValue& v) { c.log.retentionBytes = v.integer; },
        [](const TopicConfig& c) { return text(c.log.retentionBytes); } },
    { "retention.ms", [](TopicConfig& c, const ConfigValue& v) { c.log.retentionMs = v.integer; },
        [](const TopicConfig& c) { return text(c.log.retentionMs); } },
    { "segment.bytes", [](TopicConfig& c, const ConfigValue& v) { c.log.segmentBytes = v.integer; },
        [](const TopicConfig& c) { return text(c.log.segmentBytes); } },
    { "segment.ms", [](TopicConfig& c, const ConfigValue& v) { c.log.segmentMs = v.integer; },
        [](const TopicConfig& c) { return text(c.log.segmentMs); } },
    { "unclean.leader.election.enable",
        [](TopicConfig& c, const ConfigValue& v) { c.uncleanLeaderElectionEnable = v.boolean; },
        [](const TopicConfig& c) { return text(c.uncleanLeaderElectionEnable); } },
};

using cluster::BrokerConfig;

// Only the broker's own fields and the few topic defaults that need a conversion; every other
// broker config with a topic synonym is handed to the topic bindings on topicDefaults.
const std::vector<Binding<BrokerConfig>> kBrokerBindings {
    { "auto.create.topics.enable", [](BrokerConfig& c, const ConfigValue& v) { c.autoCreateTopicsEnable = v.boolean; },
        [](const BrokerConfig& c) { return text(c.autoCreateTopicsEnable); } },
    { "auto.leader.rebalance.enable",
        [](BrokerConfig& c, const ConfigValue& v) { c.autoLeaderRebalanceEnable = v.boolean; },
        [](const BrokerConfig& c) { return text(c.autoLeaderRebalanceEnable); } },
    { "broker.heartbeat.interval.ms",
        [](BrokerConfig& c, const ConfigValue& v) { c.brokerHeartbeatIntervalMs = v.integer; },
        [](const BrokerConfig& c) { return text(c.brokerHeartbeatIntervalMs); } },
    { "broker.session.timeout.ms", [](BrokerConfig& c, const ConfigValue& v) { c.brokerSessionTimeoutMs = v.integer; },
        [](const BrokerConfig& c) { return text(c.brokerSessionTimeoutMs); } },
    { "controller.quorum.election.timeout.ms",
        [](BrokerConfig& c, const ConfigValue& v) { c.controllerQuorumElectionTimeoutMs = v.integer; },
        [](const BrokerConfig& c) { return text(c.controllerQuorumElectionTimeoutMs); } },
    { "controller.quorum.fetch.timeout.ms",
        [](BrokerConfig& c, const ConfigValue& v) { c.controllerQuorumFetchTimeoutMs = v.integer; },
        [](const BrokerConfig& c) { return text(c.controllerQuorumFetchTimeoutMs); } },
    { "default.replication.factor",
        [](BrokerConfig& c, const ConfigValue& v) { c.defaultReplicationFactor = narrow<std::int16_t>(v.integer); },
        [](const BrokerConfig& c) { return text(c.defaultReplicationFactor); } },
    { "eligible.leader.replicas.enable",
        [](BrokerConfig& c, const ConfigValue& v) { c.eligibleLeaderReplicasEnable = v.boolean; },
        [](const BrokerConfig& c) { return text(c.eligibleLeaderReplicasEnable); } },
    { "group.initial.rebalance.delay.ms",
        [](BrokerConfig& c, const ConfigValue& v) { c.groupInitialRebalanceDelayMs = narrow<std::int32_t>(v.integer); },
        [](const BrokerConfig& c) { return text(c.groupInitialRebalanceDelayMs); } },
    { "log.retention.check.interval.ms",
        [](BrokerConfig& c, const ConfigValue& v) { c.logRetentionCheckIntervalMs = v.integer; },
        [](const BrokerConfig& c) { return text(c.logRetentionCheckIntervalMs); } },
    { "log.retention.hours",
        [](BrokerConfig& c, const ConfigValue& v) {
            c.topicDefaults.log.retentionMs = v.integer < 0 ? -1 : v.integer * kMsPerHour;
        },
        [](const BrokerConfig& c) {
            const std::int64_t ms = c.topicDefaults.log.retentionMs;
            return text(ms < 0 ? std::int64_t { -1 } : ms / kMsPerHour);
        } },
    { "log.roll.hours",
        [](BrokerConfig& c, const ConfigValue& v) { c.topicDefaults.log.segmentMs = v.integer * kMsPerHour; },
        [](const BrokerConfig& c) { return text(c.topicDefaults.log.segmentMs / kMsPerHour); } },
    { "message.max.bytes",
        [](BrokerConfig& c, const ConfigValue& v) {
            // Kafka keeps one value: the broker's limit is the default of every topic's max.message.bytes.
            c.messageMaxBytes = narrow<std::int32_t>(v.integer);
            c.topicDefaults.log.maxMessageBytes = c.messageMaxBytes;
        },
        [](const BrokerConfig& c) { return text(c.messageMaxBytes); } },
    { "num.partitions",
        [](BrokerConfig& c, const ConfigValue& v) { c.numPartitions = narrow<std::int32_t>(v.integer); },
        [](const BrokerConfig& c) { return text(c.numPartitions); } },
    { "offsets.topic.num.partitions",
        [](BrokerConfig& c, const ConfigValue& v) { c.offsetsTopicNumPartitions = narrow<std::int32_t>(v.integer); },
        [](const BrokerConfig& c) { return text(c.offsetsTopicNumPartitions); } },
    { "offsets.topic.replication.factor",
        [](BrokerConfig& c, const ConfigValue& v) {
            c.offsetsTopicReplicationFactor = narrow<std::int16_t>(v.integer);
        },
        [](const BrokerConfig& c) { return text(c.offsetsTopicReplicationFactor); } },
    { "replica.fetch.max.bytes",
        [](BrokerConfig& c, const ConfigValue& v) { c.replicaFetchMaxBytes = narrow<std::int32_t>(v.integer); },
        [](const BrokerConfig& c) { return text(c.replicaFetchMaxBytes); } },
    { "replica.fetch.min.bytes",
        [](BrokerConfig& c, const ConfigValue& v) { c.replicaFetchMinBytes = narrow<std::int32_t>(v.integer); },
        [](const BrokerConfig& c) { return text(c.replicaFetchMinBytes); } },
    { "replica.fetch.wait.max.ms",
        [](BrokerConfig& c, const ConfigValue& v) { c.replicaFetchWaitMaxMs = narrow<std::int32_t>(v.integer); },
        [](const BrokerConfig& c) { return text(c.replicaFetchWaitMaxMs); } },
    { "replica.lag.time.max.ms", [](BrokerConfig& c, const ConfigValue& v) { c.replicaLagTimeMaxMs = v.integer; },
        [](const BrokerConfig& c) { return text(c.replicaLagTimeMaxMs); } },
};

using client::ProducerConfig;

const std::vector<Binding<ProducerConfig>> kProducerBindings {
    { "acks", [](ProducerConfig& c, const ConfigValue& v) { c.acks = narrow<std::int16_t>(v.integer); },
        [](const ProducerConfig& c) { return c.acks == -1 ? std::string("all") : text(c.acks); } },
    { "batch.size", [](ProducerConfig& c, const ConfigValue& v) { c.batchSize = narrow<std::int32_t>(v.integer); },
        [](const ProducerConfig& c) { return text(c.batchSize); } },
    { "buffer.memory", [](ProducerConfig& c, const ConfigValue& v) { c.bufferMemory = v.integer; },
        [](const ProducerConfig& c) { return text(c.bufferMemory); } },
    { "client.id", [](ProducerConfig& c, const ConfigValue& v) { c.clientId = v.text; },
        [](const ProducerConfig& c) { return c.clientId; } },
    { "compression.type", [](ProducerConfig& c, const ConfigValue& v) { c.compression = codecFromName(v.text); },
        [](const ProducerConfig& c) { return codecName(c.compression); } },
    { "delivery.timeout.ms", [](ProducerConfig& c, const ConfigValue& v) { c.deliveryTimeoutMs = v.integer; },
        [](const ProducerConfig& c) { return text(c.deliveryTimeoutMs); } },
    { "enable.idempotence", [](ProducerConfig& c, const ConfigValue& v) { c.enableIdempotence = v.boolean; },
        [](const ProducerConfig& c) { return text(c.enableIdempotence); } },
    { "linger.ms", [](ProducerConfig& c, const ConfigValue& v) { c.lingerMs = v.integer; },
        [](const ProducerConfig& c) { return text(c.lingerMs); } },
    { "max.in.flight.requests.per.connection",
        [](ProducerConfig& c, const ConfigValue& v) {
            c.maxInFlightRequestsPerConnection = narrow<std::int32_t>(v.integer);
        },
        [](const ProducerConfig& c) { return text(c.maxInFlightRequestsPerConnection); } },
    { "metadata.max.age.ms", [](ProducerConfig& c, const ConfigValue& v) { c.metadataMaxAgeMs = v.integer; },
        [](const ProducerConfig& c) { return text(c.metadataMaxAgeMs); } },
    { "request.timeout.ms", [](ProducerConfig& c, const ConfigValue& v) { c.requestTimeoutMs = v.integer; },
        [](const ProducerConfig& c) { return text(c.requestTimeoutMs); } },
    { "retries", [](ProducerConfig& c, const ConfigValue& v) { c.retries = narrow<std::int32_t>(v.integer); },
        [](const ProducerConfig& c) { return text(c.retries); } },
    { "retry.backoff.ms", [](ProducerConfig& c, const ConfigValue& v) { c.retryBackoffMs = v.integer; },
        [](const ProducerConfig& c) { return text(c.retryBackoffMs); } },
};

using client::ConsumerConfig;
using client::OffsetReset;

const std::vector<Binding<ConsumerConfig>> kConsumerBindings {
    { "auto.commit.interval.ms", [](ConsumerConfig& c, const ConfigValue& v) { c.autoCommitIntervalMs = v.integer; },
        [](const ConsumerConfig& c) { return text(c.autoCommitIntervalMs); } },
    { "auto.offset.reset",
        [](ConsumerConfig& c, const ConfigValue& v) {
            c.autoOffsetReset = v.text == "earliest" ? OffsetReset::Earliest
                : v.text == "none"                   ? OffsetReset::None
                                                     : OffsetReset::Latest;
        },
        [](const ConsumerConfig& c) -> std::string {
            return c.autoOffsetReset == OffsetReset::Earliest ? "earliest"
                : c.autoOffsetReset == OffsetReset::None      ? "none"
                                                              : "latest";
        } },
    { "client.id", [](ConsumerConfig& c, const ConfigValue& v) { c.clientId = v.text; },
        [](const ConsumerConfig& c) { return c.clientId; } },
    { "enable.auto.commit", [](ConsumerConfig& c, const ConfigValue& v) { c.enableAutoCommit = v.boolean; },
        [](const ConsumerConfig& c) { return text(c.enableAutoCommit); } },
    { "fetch.max.bytes",
        [](ConsumerConfig& c, const ConfigValue& v) { c.fetchMaxBytes = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.fetchMaxBytes); } },
    { "fetch.max.wait.ms",
        [](ConsumerConfig& c, const ConfigValue& v) { c.fetchMaxWaitMs = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.fetchMaxWaitMs); } },
    { "fetch.min.bytes",
        [](ConsumerConfig& c, const ConfigValue& v) { c.fetchMinBytes = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.fetchMinBytes); } },
    { "group.id", [](ConsumerConfig& c, const ConfigValue& v) { c.groupId = v.text; },
        [](const ConsumerConfig& c) { return c.groupId; } },
    { "group.instance.id", [](ConsumerConfig& c, const ConfigValue& v) { c.groupInstanceId = v.text; },
        [](const ConsumerConfig& c) { return c.groupInstanceId; } },
    { "group.protocol", [](ConsumerConfig& c, const ConfigValue& v) { c.groupProtocol = v.text; },
        [](const ConsumerConfig& c) { return c.groupProtocol; } },
    { "group.remote.assignor",
        [](ConsumerConfig& c, const ConfigValue& v) { c.groupRemoteAssignor = v.text.empty() ? "uniform" : v.text; },
        [](const ConsumerConfig& c) { return c.groupRemoteAssignor; } },
    { "heartbeat.interval.ms",
        [](ConsumerConfig& c, const ConfigValue& v) { c.heartbeatIntervalMs = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.heartbeatIntervalMs); } },
    { "max.partition.fetch.bytes",
        [](ConsumerConfig& c, const ConfigValue& v) { c.maxPartitionFetchBytes = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.maxPartitionFetchBytes); } },
    { "max.poll.interval.ms",
        [](ConsumerConfig& c, const ConfigValue& v) { c.maxPollIntervalMs = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.maxPollIntervalMs); } },
    { "max.poll.records",
        [](ConsumerConfig& c, const ConfigValue& v) { c.maxPollRecords = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.maxPollRecords); } },
    { "partition.assignment.strategy",
        [](ConsumerConfig& c, const ConfigValue& v) { c.partitionAssignmentStrategy = v.text; },
        [](const ConsumerConfig& c) { return c.partitionAssignmentStrategy; } },
    { "request.timeout.ms", [](ConsumerConfig& c, const ConfigValue& v) { c.requestTimeoutMs = v.integer; },
        [](const ConsumerConfig& c) { return text(c.requestTimeoutMs); } },
    { "retry.backoff.ms", [](ConsumerConfig& c, const ConfigValue& v) { c.retryBackoffMs = v.integer; },
        [](const ConsumerConfig& c) { return text(c.retryBackoffMs); } },
    { "session.timeout.ms",
        [](ConsumerConfig& c, const ConfigValue& v) { c.sessionTimeoutMs = narrow<std::int32_t>(v.integer); },
        [](const ConsumerConfig& c) { return text(c.sessionTimeoutMs); } },
    { "value.deserializer",
        [](ConsumerConfig& c, const ConfigValue& v) {
            c.valueDeserializer
                = client::deserializerFromClassName(v.text).value_or(client::ValueDeserializer::ByteArray);
        },
        [](const ConsumerConfig& c) { return std::string(client::deserializerClassName(c.valueDeserializer)); } },
};

template <typename Config>
const Binding<Config>* findBinding(const std::vector<Binding<Config>>& bindings, std::string_view name)
{
    for (const Binding<Config>& binding : bindings) {
        if (binding.name == name)
            return &binding;
    }
    return nullptr;
}

template <typename Config>
bool applyWith(
    const std::vector<Binding<Config>>& bindings, ConfigScope scope, Config& config, const ConfigValue& value)
{
    if (!value.def || value.def->scope != scope)
        return false;
    const Binding<Config>* binding = findBinding(bindings, value.def->name);
    if (!binding)
        return false;
    binding->set(config, value);
    return true;
}

template <typename Config>
std::optional<std::string> textWith(
    const std::vector<Binding<Config>>& bindings, const Config& config, std::string_view name)
{
    const Binding<Config>* binding = findBinding(bindings, name);
    if (!binding)
        return std::nullopt;
    return binding->get(config);
}

// The topic config a broker config is the default of, when no dedicated broker binding exists.
const ConfigDef* topicSynonym(std::string_view brokerName)
{
    const ConfigDef* def = protocol::findConfigDef(brokerName, ConfigScope::Broker);
    if (!def || def->synonym.empty())
        return nullptr;
    return protocol::findConfigDef(def->synonym, ConfigScope::Topic);
}

} // namespace

std::optional<std::string_view> assignorShortName(std::string_view name)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kAssignors { {
        { "range", "org.apache.kafka.clients.consumer.RangeAssignor" },
        { "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor" },
        { "sticky", "org.apache.kafka.clients.consumer.StickyAssignor" },
        { "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor" },
    } };
    if (name.starts_with("class "))
        name.remove_prefix(6); // as Kafka prints its own default
    for (const auto& [shortName, javaClass] : kAssignors) {
        if (name == shortName || name == javaClass)
            return shortName;
    }
    return std::nullopt;
}

std::string unknownConfigMessage(ConfigScope scope, std::string_view name)
{
    const std::string scopeName(protocol::configScopeName(scope));
    if (protocol::isUnsimulatedKafkaConfig(name, scope))
        return inQuotes(name) + " is a Kafka " + scopeName + " config that Brokerlab does not simulate yet";
    std::vector<std::string_view> names;
    for (const ConfigDef* def : protocol::configDefs(scope))
        names.push_back(def->name);
    if (const auto match = closestMatch(name, names))
        return "unknown " + scopeName + " config " + inQuotes(name) + " (did you mean " + inQuotes(*match) + "?)";
    const std::vector<ConfigScope> elsewhere = protocol::scopesOf(name);
    if (!elsewhere.empty()) {
        const ConfigScope other = elsewhere.front();
        std::string message = inQuotes(name) + " is a " + std::string(protocol::configScopeName(other))
            + " config, not a " + scopeName + " config";
        const ConfigDef* def = protocol::findConfigDef(name, other);
        if (scope == ConfigScope::Broker && other == ConfigScope::Topic && !def->synonym.empty()) {
            message += "; the cluster-wide default is " + inQuotes(def->synonym);
        } else if (other == ConfigScope::Topic) {
            message += "; set it in a topic's \"config\"";
        } else if (other == ConfigScope::Producer) {
            message += "; set it in a producer's \"config\"";
        } else if (other == ConfigScope::Consumer) {
            message += "; set it in a consumer's \"config\"";
        } else {
            message += "; set it in \"cluster\": { \"config\": ... }";
        }
        return message;
    }
    return "unknown " + scopeName + " config " + inQuotes(name);
}

ConfigResult checkConfigJson(ConfigScope scope, std::string_view name, const JsonValue& value)
{
    const ConfigDef* def = protocol::findConfigDef(name, scope);
    if (!def)
        return unknownConfigMessage(scope, name);
    const auto wrongType = [&] {
        std::string message = std::string(def->name) + " expects " + typeWords(*def) + ", got " + describeJson(value);
        if (value.isString() && (def->isInteger() || def->type == ConfigType::Boolean))
            message += " (write it without quotes)";
        return message;
    };
    RawValue raw;
    switch (def->type) {
    case ConfigType::Boolean:
        if (!value.isBool())
            return wrongType();
        raw.boolean = value.asBool();
        break;
    case ConfigType::Short:
    case ConfigType::Int:
    case ConfigType::Long:
        if (!value.isNumber())
            return wrongType();
        if (!value.isInteger())
            return std::string(def->name) + " must be a whole number, got " + describeJson(value);
        raw.integer = value.asInt();
        break;
    case ConfigType::Double:
        if (!value.isNumber())
            return wrongType();
        raw.number = value.asDouble();
        break;
    case ConfigType::String:
        if (!value.isString())
            return wrongType();
        raw.text = value.asString();
        break;
    case ConfigType::Enum:
        // acks is a string in Kafka but is usually written as a number: accept integers for enums
        // whose values are numbers.
        if (value.isInteger()) {
            raw.text = std::to_string(value.asInt());
        } else if (value.isString()) {
            raw.text = value.asString();
        } else {
            return wrongType();
        }
        break;
    case ConfigType::List:
        if (value.isString()) {
            raw.items = splitList(value.asString());
        } else if (value.isArray()) {
            for (const JsonValue& item : value.items()) {
                if (!item.isString()) {
                    return std::string(def->name) + " expects a list of strings, got " + describeJson(item)
                        + " in the array";
                }
                raw.items.push_back(item.asString());
            }
        } else {
            return wrongType();
        }
        break;
    }
    return finish(*def, std::move(raw));
}

ConfigResult checkConfigText(ConfigScope scope, std::string_view name, std::string_view text)
{
    const ConfigDef* def = protocol::findConfigDef(name, scope);
    if (!def)
        return unknownConfigMessage(scope, name);
    const std::string trimmed = trim(text);
    RawValue raw;
    switch (def->type) {
    case ConfigType::Boolean: {
        std::string lower = trimmed;
        std::transform(lower.begin(), lower.end(), lower.begin(),
            [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
        if (lower != "true" && lower != "false")
            return std::string(def->name) + " expects true or false, got " + inQuotes(trimmed);
        raw.boolean = lower == "true";
        break;
    }
    case ConfigType::Short:
    case ConfigType::Int:
    case ConfigType::Long: {
        const char* end = trimmed.data() + trimmed.size();
        const auto result = std::from_chars(trimmed.data(), end, raw.integer);
        if (result.ec == std::errc::result_out_of_range) {
            return std::string(def->name) + " must be " + rangeWords(*def, !trimmed.starts_with('-')) + ", got "
                + trimmed;
        }
        if (trimmed.empty() || result.ec != std::errc() || result.ptr != end)
            return std::string(def->name) + " expects " + typeWords(*def) + ", got " + inQuotes(trimmed);
        break;
    }
    case ConfigType::Double: {
        const char* end = trimmed.data() + trimmed.size();
        const auto result = std::from_chars(trimmed.data(), end, raw.number);
        if (trimmed.empty() || result.ec != std::errc() || result.ptr != end || !std::isfinite(raw.number))
            return std::string(def->name) + " expects a number, got " + inQuotes(trimmed);
        break;
    }
    case ConfigType::String:
        raw.text = std::string(text); // spaces may be meaningful in a name
        break;
    case ConfigType::Enum:
        raw.text = trimmed;
        break;
    case ConfigType::List:
        raw.items = splitList(trimmed);
        break;
    }
    return finish(*def, std::move(raw));
}

bool applyConfig(cluster::TopicConfig& config, const ConfigValue& value)
{
    return applyWith(kTopicBindings, ConfigScope::Topic, config, value);
}

bool applyConfig(cluster::BrokerConfig& config, const ConfigValue& value)
{
    if (applyWith(kBrokerBindings, ConfigScope::Broker, config, value))
        return true;
    if (!value.def || value.def->scope != ConfigScope::Broker)
        return false;
    const ConfigDef* topicDef = topicSynonym(value.def->name);
    if (!topicDef)
        return false;
    ConfigValue asTopic = value;
    asTopic.def = topicDef;
    return applyConfig(config.topicDefaults, asTopic);
}

bool applyConfig(client::ProducerConfig& config, const ConfigValue& value)
{
    return applyWith(kProducerBindings, ConfigScope::Producer, config, value);
}

bool applyConfig(client::ConsumerConfig& config, const ConfigValue& value)
{
    return applyWith(kConsumerBindings, ConfigScope::Consumer, config, value);
}

std::optional<std::string> configText(const cluster::TopicConfig& config, std::string_view name)
{
    return textWith(kTopicBindings, config, name);
}

std::optional<std::string> configText(const cluster::BrokerConfig& config, std::string_view name)
{
    if (auto text = textWith(kBrokerBindings, config, name))
        return text;
    const ConfigDef* topicDef = topicSynonym(name);
    if (!topicDef)
        return std::nullopt;
    return configText(config.topicDefaults, topicDef->name);
}

std::optional<std::string> configText(const client::ProducerConfig& config, std::string_view name)
{
    return textWith(kProducerBindings, config, name);
}

std::optional<std::string> configText(const client::ConsumerConfig& config, std::string_view name)
{
    return textWith(kConsumerBindings, config, name);
}

} // namespace brokerlab::scenario
