#include "scenario/schema.h"

#include "scenario/scenario.h"

#include "protocol/configdefs.h"
#include "scenario/limits.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace brokerlab::scenario {

using protocol::ConfigDef;
using protocol::ConfigScope;
using protocol::ConfigType;

namespace {

JsonValue integerSchema(std::int64_t minimum, std::int64_t maximum, std::string_view description)
{
    JsonValue schema = JsonValue::object({ { "type", "integer" }, { "minimum", minimum } });
    if (maximum != std::numeric_limits<std::int64_t>::max())
        schema.set("maximum", maximum);
    if (!description.empty())
        schema.set("description", description);
    return schema;
}

JsonValue numberSchema(double minimum, double maximum, std::string_view description)
{
    return JsonValue::object(
        { { "type", "number" }, { "minimum", minimum }, { "maximum", maximum }, { "description", description } });
}

JsonValue stringSchema(std::string_view description, bool nonEmpty = true)
{
    JsonValue schema = JsonValue::object({ { "type", "string" } });
    if (nonEmpty)
        schema.set("minLength", 1);
    schema.set("description", description);
    return schema;
}

JsonValue objectSchema(
    JsonValue properties, std::initializer_list<std::string_view> required, std::string_view description)
{
    JsonValue schema = JsonValue::object({ { "type", "object" } });
    if (!description.empty())
        schema.set("description", description);
    if (required.size() > 0) {
        JsonValue names = JsonValue::array();
        for (std::string_view name : required)
            names.push(name);
        schema.set("required", std::move(names));
    }
    schema.set("properties", std::move(properties));
    schema.set("additionalProperties", false);
    return schema;
}

JsonValue ref(std::string_view name) { return JsonValue::object({ { "$ref", "#/$defs/" + std::string(name) } }); }

JsonValue arrayOf(JsonValue items, std::string_view description)
{
    return JsonValue::object({ { "type", "array" }, { "items", std::move(items) }, { "description", description } });
}

std::vector<std::string_view> acceptedValues(const ConfigDef& def)
{
    std::vector<std::string_view> values;
    for (std::string_view value : def.allowed) {
        if (std::find(def.notSupported.begin(), def.notSupported.end(), value) == def.notSupported.end())
            values.push_back(value);
    }
    return values;
}

// The loader's default when the config is absent, typed as the file would write it.
std::optional<JsonValue> defaultOf(const ConfigDef& def)
{
    const std::string_view text = def.effective();
    if (text.empty() || text == "null")
        return std::nullopt;
    switch (def.type) {
    case ConfigType::Boolean:
        return JsonValue(text == "true");
    case ConfigType::Short:
    case ConfigType::Int:
    case ConfigType::Long: {
        std::int64_t value = 0;
        std::from_chars(text.data(), text.data() + text.size(), value);
        return JsonValue(value);
    }
    case ConfigType::Double: {
        double value = 0;
        std::from_chars(text.data(), text.data() + text.size(), value);
        return JsonValue(value);
    }
    case ConfigType::String:
    case ConfigType::Enum:
    case ConfigType::List:
        return JsonValue(text);
    }
    return std::nullopt;
}

JsonValue configSchema(const ConfigDef& def)
{
    JsonValue schema = JsonValue::object();
    switch (def.type) {
    case ConfigType::Boolean:
        schema.set("type", "boolean");
        break;
    case ConfigType::Short:
    case ConfigType::Int:
    case ConfigType::Long:
        schema.set("type", "integer").set("minimum", def.minimum).set("maximum", def.maximum);
        break;
    case ConfigType::Double:
        schema.set("type", "number").set("minimum", def.minimumDouble).set("maximum", def.maximumDouble);
        break;
    case ConfigType::String:
        schema.set("type", "string");
        break;
    case ConfigType::Enum: {
        JsonValue values = JsonValue::array();
        for (std::string_view value : acceptedValues(def)) {
            values.push(value);
            std::int64_t number = 0;
            const auto result = std::from_chars(value.data(), value.data() + value.size(), number);
            if (result.ec == std::errc() && result.ptr == value.data() + value.size())
                values.push(number); // acks may be written as a number
        }
        schema.set("enum", std::move(values));
        break;
    }
    case ConfigType::List: {
        JsonValue items = JsonValue::array();
        for (std::string_view value : acceptedValues(def))
            items.push(value);
        JsonValue arrayForm = JsonValue::object({ { "type", "array" },
            { "items", JsonValue::object({ { "enum", items } }) }, { "minItems", 1 }, { "uniqueItems", true } });
        JsonValue stringForm = JsonValue::object({ { "type", "string" },
            { "description", "comma-separated, e.g. \"" + std::string(def.effective()) + "\"" } });
        schema.set("anyOf", JsonValue::array({ stringForm, arrayForm }));
        break;
    }
    }
    if (auto value = defaultOf(def))
        schema.set("default", *value);
    schema.set("description", def.doc);
    return schema;
}

JsonValue configObjectSchema(ConfigScope scope, std::string_view description)
{
    JsonValue properties = JsonValue::object();
    for (const ConfigDef* def : protocol::configDefs(scope))
        properties.set(def->name, configSchema(*def));
    return objectSchema(std::move(properties), {}, description);
}

JsonValue clusterSchema()
{
    JsonValue network = objectSchema(
        JsonValue::object({
            { "latency_ms",
                numberSchema(0, limits::kMaxLatencyMs, "One-way base latency of every link (default 0.5).") },
            { "jitter_ms",
                numberSchema(0, limits::kMaxLatencyMs, "Uniform extra delay in [0, jitter_ms] (default 0.1).") },
            { "loss", numberSchema(0, 1, "Probability that a transmission is lost and resent after a TCP retransmission timeout (default 0).") },
            { "bandwidth_mbps",
                numberSchema(0, limits::kMaxBandwidthMbps, "Link bandwidth in megabits per second; 0 = unlimited.") },
        }),
        {}, "The simulated network between all nodes.");
    return objectSchema(
        JsonValue::object({
            { "brokers", integerSchema(1, limits::kMaxBrokers, "Number of brokers (default 3).") },
            { "controllers",
                JsonValue::object({ { "type", "integer" }, { "enum", JsonValue::array({ 1, 3 }) },
                    { "description",
                        "Controller quorum voters (default 1): 3 elect a new active controller when one fails." } }) },
            { "racks",
                arrayOf(JsonValue::object({ { "type", "string" }, { "minLength", 1 } }),
                    "One rack name per broker, in broker order; leave out for a rack-unaware cluster.") },
            { "config", ref("brokerConfig") },
            { "network", network },
        }),
        {}, "The brokers and their settings.");
}

JsonValue topicSchema()
{
    JsonValue name = stringSchema("Kafka topic name: letters, digits, '.', '_' and '-'; not starting with \"__\".");
    name.set("maxLength", limits::kMaxNameLength).set("pattern", "^(?!__)[a-zA-Z0-9._-]+$");
    return objectSchema(
        JsonValue::object({
            { "name", name },
            { "partitions", integerSchema(1, limits::kMaxPartitions, "Default: the broker config num.partitions.") },
            { "replication_factor",
                integerSchema(1, limits::kMaxBrokers,
                    "At most the number of brokers. Default: the broker config default.replication.factor.") },
            { "config", ref("topicConfig") },
        }),
        { "name" }, "A topic. Its configs default to the cluster's broker-level defaults.");
}

JsonValue workloadSchema()
{
    return objectSchema(
        JsonValue::object({
            { "kind",
                JsonValue::object({ { "enum",
                                        JsonValue::array({ "orders", "ride_requests", "page_views", "log_lines",
                                            "sensor_metrics", "bytes" }) },
                    { "default", "orders" }, { "description", "What the records look like." } }) },
            { "keys",
                JsonValue::object({ { "enum", JsonValue::array({ "null", "uniform", "zipf", "sequential", nullptr }) },
                    { "default", "uniform" },
                    { "description", "How record keys are chosen; \"null\" sends no keys." } }) },
            { "key_count", integerSchema(1, limits::kMaxKeyCount, "Distinct keys (default 100).") },
            { "zipf_exponent",
                JsonValue::object(
                    { { "type", "number" }, { "exclusiveMinimum", 0 }, { "maximum", limits::kMaxZipfExponent },
                        { "description", "How strongly a few keys dominate when keys is \"zipf\" (default 1.1)." } }) },
            { "key_prefix", stringSchema("Prefix of every key; default: the kind's own, e.g. \"customer-\".", false) },
            { "value_bytes",
                integerSchema(0, limits::kMaxValueBytes, "Value size for the kind \"bytes\" only (default 100).") },
            { "headers",
                JsonValue::object({ { "type", "boolean" }, { "default", true },
                    { "description", "Add content-type and trace-id headers to JSON kinds." } }) },
            { "tombstones",
                JsonValue::object({ { "type", "boolean" }, { "default", false },
                    { "description",
                        "Send every record as a tombstone: its key with a null value, a delete on a compacted "
                        "topic." } }) },
            { "key_by",
                JsonValue::object({ { "enum", JsonValue::array({ "service", "host" }) }, { "default", "service" },
                    { "description", "log_lines only: one key per service, or per host (prefix \"host-\")." } }) },
            { "poison_every",
                integerSchema(1, std::numeric_limits<std::int64_t>::max(),
                    "Every n-th record is framed as Avro instead of JSON, so a JSON value.deserializer rejects it "
                    "(JSON kinds only; default: none).") },
        }),
        {}, "The records a producer generates.");
}

JsonValue windowProperty(std::string_view description) { return integerSchema(0, limits::kMaxDurationMs, description); }

JsonValue producerSchema()
{
    return objectSchema(
        JsonValue::object({
            { "id", stringSchema("Unique among producers and consumers; also the default client.id.") },
            { "topic", stringSchema("A topic declared in \"topics\".") },
            { "rate",
                numberSchema(
                    0, limits::kMaxRatePerSec, "Records per second of virtual time; 0 = as fast as possible.") },
            { "start_ms", windowProperty("When the producer starts (default 0); at most duration_ms.") },
            { "stop_ms", windowProperty("When it stops; after start_ms. Default: the end of the run.") },
            { "max_records",
                integerSchema(
                    1, std::numeric_limits<std::int64_t>::max(), "Stop after this many records; default: no limit.") },
            { "partition", integerSchema(0, limits::kMaxPartitions - 1, "Send every record to this partition.") },
            { "workload", ref("workload") },
            { "config", ref("producerConfig") },
        }),
        { "id", "topic" }, "A producer application.");
}

JsonValue consumerSchema()
{
    JsonValue topics = arrayOf(JsonValue::object({ { "type", "string" } }), "Topics the group subscribes to.");
    topics.set("minItems", 1).set("uniqueItems", true);
    return objectSchema(
        JsonValue::object({
            { "id", stringSchema("Unique among producers and consumers; the default group.id and client.id.") },
            { "topics", topics },
            { "members", integerSchema(1, limits::kMaxMembers, "Consumers in the group from this entry (default 1).") },
            { "start_ms", windowProperty("When the members start (default 0); at most duration_ms.") },
            { "stop_ms", windowProperty("When they stop; after start_ms. Default: the end of the run.") },
            { "poll_interval_ms",
                integerSchema(1, limits::kMaxPollIntervalMs, "Pause between polls when idle (default 100).") },
            { "processing_ms_per_record",
                numberSchema(0, limits::kMaxProcessingMsPerRecord, "Simulated work per record (default 0).") },
            { "processing",
                JsonValue::object({ { "type", "object" },
                    { "description",
                        "Processing time per record drawn from a distribution (instead of processing_ms_per_record)." },
                    { "required", JsonValue::array({ "distribution" }) },
                    { "properties",
                        JsonValue::object({
                            { "distribution",
                                JsonValue::object({ { "enum",
                                    JsonValue::array(
                                        { "fixed", "uniform", "exponential", "normal", "lognormal" }) } }) },
                            { "mean_ms",
                                numberSchema(0, limits::kMaxProcessingMsPerRecord,
                                    "Mean (fixed, exponential, normal, lognormal).") },
                            { "min_ms", numberSchema(0, limits::kMaxProcessingMsPerRecord, "Lowest value (uniform).") },
                            { "max_ms",
                                numberSchema(0, limits::kMaxProcessingMsPerRecord, "Highest value (uniform).") },
                            { "stddev_ms",
                                numberSchema(
                                    0, limits::kMaxProcessingMsPerRecord, "Standard deviation (normal, lognormal).") },
                        }) },
                    { "additionalProperties", false } }) },
            { "commit",
                JsonValue::object({ { "enum", JsonValue::array({ "auto", "sync", "async" }) }, { "default", "auto" },
                    { "description",
                        "How the application commits: auto (enable.auto.commit), sync (commitSync) or async "
                        "(commitAsync)." } }) },
            { "delivery",
                JsonValue::object(
                    { { "enum", JsonValue::array({ "at-least-once", "at-most-once" }) }, { "default", "at-least-once" },
                        { "description", "Commit after processing (at-least-once) or before it (at-most-once)." } }) },
            { "on_deserialization_error",
                JsonValue::object({ { "enum", JsonValue::array({ "retry", "skip" }) }, { "default", "retry" },
                    { "description",
                        "When poll() throws RecordDeserializationException: poll again (retry, stuck on the record) or "
                        "seek past it (skip)." } }) },
            { "config", ref("consumerConfig") },
        }),
        { "id", "topics" }, "A consumer group (or part of one).");
}

JsonValue conditionProperties(bool withTopic)
{
    JsonValue properties = JsonValue::object({
        { "field", stringSchema("A member of the record's JSON value; a dotted path reaches into nested objects (\"pickup.lat\").") },
        { "op",
            JsonValue::object({ { "enum", JsonValue::array({ "==", "!=", "<", "<=", ">", ">=", "exists", "missing" }) },
                { "description", "How the field is tested; <, <=, > and >= compare numbers." } }) },
        { "value",
            JsonValue::object({ { "type", JsonValue::array({ "number", "string", "boolean", "null" }) },
                { "description", "What the field is compared with; not for exists and missing." } }) },
    });
    if (withTopic)
        properties.set("topic", stringSchema("The declared topic the records this route matches go to."));
    return properties;
}

JsonValue processorSchema()
{
    JsonValue condition = JsonValue::object({ { "type", "object" }, { "required", JsonValue::array({ "field", "op" }) },
        { "properties", conditionProperties(false) }, { "additionalProperties", false } });
    JsonValue route = JsonValue::object({ { "type", "object" },
        { "required", JsonValue::array({ "field", "op", "topic" }) }, { "properties", conditionProperties(true) },
        { "additionalProperties", false } });
    JsonValue map = objectSchema(
        JsonValue::object({
            { "set", JsonValue::object({ { "type", "object" }, { "description", "Fields added or replaced, with their values." } }) },
            { "remove", arrayOf(JsonValue::object({ { "type", "string" }, { "minLength", 1 } }), "Fields dropped.") },
            { "key", stringSchema("The field whose value becomes the record key.") },
        }),
        {}, "How the JSON value of a kept record changes.");
    return objectSchema(
        JsonValue::object({
            { "id", stringSchema("Unique among producers, consumers and processors; the default group.id and client.id.") },
            { "input", stringSchema("The declared topic the processor consumes.") },
            { "filter", arrayOf(condition, "Conditions a record must all meet to be kept; the others are filtered out.") },
            { "map", map },
            { "route", arrayOf(route, "The first route whose condition holds picks the output topic.") },
            { "output", stringSchema("The topic of kept records no route took; without it they are dropped as unrouted.") },
            { "start_ms", windowProperty("When the processor starts (default 0); at most duration_ms.") },
            { "stop_ms", windowProperty("When it stops; after start_ms. Default: the end of the run.") },
            { "poll_interval_ms",
                integerSchema(1, limits::kMaxPollIntervalMs, "Pause between polls when idle (default 100).") },
            { "processing_ms_per_record",
                numberSchema(0, limits::kMaxProcessingMsPerRecord, "Simulated work per record (default 0).") },
            { "config", ref("consumerConfig") },
            { "producer_config", ref("producerConfig") },
        }),
        { "id", "input" }, "A stream processor: consume, filter, map, route, produce; commits after its output is acknowledged.");
}

JsonValue queueSchema()
{
    JsonValue subscriber = objectSchema(
        JsonValue::object({
            { "id", stringSchema("Unique within the queue.") },
            { "start_ms", windowProperty("When the subscriber starts (default 0).") },
            { "stop_ms", windowProperty("When it stops; after start_ms. Default: the end of the run.") },
            { "poll_interval_ms",
                integerSchema(1, limits::kMaxPollIntervalMs, "Wait when the queue had nothing (default 100).") },
            { "processing_ms_per_record",
                numberSchema(0, limits::kMaxProcessingMsPerRecord, "Simulated work per message (default 0).") },
            { "prefetch", integerSchema(1, 1000, "Messages taken at once (default 10).") },
            { "ack",
                JsonValue::object({ { "type", "boolean" }, { "default", true },
                    { "description", "false: a faulty subscriber that never acknowledges (deletes) a message." } }) },
        }),
        { "id" }, "A subscriber of a modelled queue.");
    return objectSchema(
        JsonValue::object({
            { "id", stringSchema("Unique among queues.") },
            { "kind",
                JsonValue::object({ { "enum", JsonValue::array({ "delete_on_ack", "visibility_timeout" }) },
                    { "description", "delete_on_ack: RabbitMQ-style; visibility_timeout: SQS-style." } }) },
            { "source", stringSchema("The id of the producer whose workload also feeds the queue.") },
            { "visibility_timeout_ms",
                integerSchema(0, 43200000, "visibility_timeout only: how long a received message stays hidden (default 30000).") },
            { "subscribers", arrayOf(subscriber, "Competing subscribers.") },
        }),
        { "id", "kind", "source" }, "A message queue modelled beside Kafka, fed by a producer's workload.");
}

JsonValue faultSchema()
{
    JsonValue schema = JsonValue::object({ { "type", "object" },
        { "description", "A fault. Which keys beyond kind, at_ms and until_ms are allowed depends on the kind "
                         "(docs/scenario-format.md); the loader checks them strictly." },
        { "required", JsonValue::array({ "kind", "at_ms" }) } });
    JsonValue kinds = JsonValue::array();
    for (std::string_view kind : kFaultKinds)
        kinds.push(kind);
    JsonValue kind = stringSchema("What happens.");
    kind.set("enum", std::move(kinds));
    JsonValue nodes = JsonValue::object({ { "type", "array" }, { "minItems", 1 },
        { "items", integerSchema(-2, limits::kMaxBrokers, "A broker id, or 0, -1, -2 for the controller voters.") } });
    JsonValue replicas = JsonValue::object({ { "type", "array" }, { "minItems", 1 },
        { "items", integerSchema(1, limits::kMaxBrokers, "A broker id.") } });
    schema.set("properties",
        JsonValue::object({
            { "kind", std::move(kind) },
            { "at_ms", windowProperty("When it starts; at most duration_ms.") },
            { "until_ms", windowProperty("When it ends; after at_ms. Default: it lasts.") },
            { "broker", integerSchema(1, limits::kMaxBrokers, "The broker the fault hits.") },
            { "side_a", nodes },
            { "side_b", nodes },
            { "from", integerSchema(-2, limits::kMaxBrokers, "link: one end (0, -1, -2 = controller voters).") },
            { "to", integerSchema(-2, limits::kMaxBrokers, "link: the other end.") },
            { "both_directions", JsonValue::object({ { "type", "boolean" } }) },
            { "latency_ms", numberSchema(0, 600000, "link: one-way latency.") },
            { "jitter_ms", numberSchema(0, 600000, "link: extra uniform delay.") },
            { "loss", numberSchema(0, 1, "link: probability a message is dropped.") },
            { "delay_ms", numberSchema(0, 600000, "slow_disk: extra time per append.") },
            { "consumer", stringSchema("consumer_*: a member's client.id; consumer_join: a consumer entry's id.") },
            { "factor", numberSchema(1, 1000, "consumer_slow: processing takes this many times longer (default 2).") },
            { "skew_ms",
                integerSchema(-limits::kMaxDurationMs * 1000, limits::kMaxDurationMs * 1000,
                    "clock_skew: how far the broker's wall clock runs ahead (negative: behind).") },
            { "topic", stringSchema("reassign: the topic.") },
            { "partition", integerSchema(0, limits::kMaxPartitions, "reassign: the partition.") },
            { "replicas", replicas },
        }));
    schema.set("additionalProperties", false);
    return schema;
}

} // namespace

JsonValue scenarioSchema()
{
    JsonValue seed = JsonValue::object(
        { { "description", "Seed of every random choice (default 1). Above 2^53, write it as a string of digits." } });
    seed.set("anyOf",
        JsonValue::array({ JsonValue::object({ { "type", "integer" }, { "minimum", 0 } }),
            JsonValue::object({ { "type", "string" }, { "pattern", "^[0-9]{1,20}$" } }) }));

    JsonValue properties = JsonValue::object({
        { "$schema", JsonValue::object({ { "type", "string" } }) },
        { "name", stringSchema("Shown in the title bar and reports.") },
        { "description", stringSchema("What the scenario demonstrates.", false) },
        { "seed", seed },
        { "duration_ms",
            integerSchema(1, limits::kMaxDurationMs, "Length of the run in virtual time (default 60000).") },
        { "cluster", clusterSchema() },
        { "topics", arrayOf(ref("topic"), "Topics created before the run starts.") },
        { "producers", arrayOf(ref("producer"), "Producer applications.") },
        { "consumers", arrayOf(ref("consumer"), "Consumer groups.") },
        { "faults", arrayOf(ref("fault"), "Scheduled faults.") },
        { "processors", arrayOf(ref("processor"), "Stream processors.") },
        { "queues", arrayOf(ref("queue"), "Message queues modelled beside Kafka.") },
    });

    JsonValue schema = JsonValue::object({
        { "$schema", "https://json-schema.org/draft/2020-12/schema" },
        { "$id", "urn:brokerlab:scenario" },
        { "title", "Brokerlab scenario" },
        { "description", "A Brokerlab scenario file; see docs/scenario-format.md." },
    });
    JsonValue root = objectSchema(std::move(properties), { "name" }, {});
    for (const JsonMember& member : root.members())
        schema.set(member.key, member.value);
    schema.set("$defs",
        JsonValue::object({
            { "topic", topicSchema() },
            { "workload", workloadSchema() },
            { "producer", producerSchema() },
            { "consumer", consumerSchema() },
            { "fault", faultSchema() },
            { "processor", processorSchema() },
            { "queue", queueSchema() },
            { "brokerConfig",
                configObjectSchema(
                    ConfigScope::Broker, "Broker configs by Kafka name, including cluster-wide topic defaults.") },
            { "topicConfig", configObjectSchema(ConfigScope::Topic, "Topic configs by Kafka name.") },
            { "producerConfig", configObjectSchema(ConfigScope::Producer, "Producer configs by Kafka name.") },
            { "consumerConfig", configObjectSchema(ConfigScope::Consumer, "Consumer configs by Kafka name.") },
        }));
    return schema;
}

} // namespace brokerlab::scenario
