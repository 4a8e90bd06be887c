// The client sections of a scenario file: producers (with their workloads), consumers and faults.

#include "scenario/configapply.h"
#include "scenario/limits.h"
#include "scenario/scenarioreader.h"
#include "scenario/suggest.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>

namespace brokerlab::scenario::detail {

namespace {

using protocol::ConfigScope;

constexpr std::array kWorkloadKinds { client::WorkloadKind::Orders, client::WorkloadKind::RideRequests,
    client::WorkloadKind::PageViews, client::WorkloadKind::LogLines, client::WorkloadKind::SensorMetrics,
    client::WorkloadKind::FixedBytes };
constexpr std::array kKeyDistributions { client::KeyDistribution::Null, client::KeyDistribution::Uniform,
    client::KeyDistribution::Zipf, client::KeyDistribution::Sequential };

template <typename T, std::size_t N, typename NameOf>
std::vector<std::string_view> namesOf(const std::array<T, N>& values, NameOf nameOf)
{
    std::vector<std::string_view> names;
    names.reserve(N);
    for (T value : values)
        names.push_back(nameOf(value));
    return names;
}

std::string joined(const std::vector<std::string_view>& names)
{
    std::string text;
    for (std::string_view name : names)
        text += (text.empty() ? "" : ", ") + std::string(name);
    return text;
}

// Producers and consumers share one namespace of ids: the GUI and the event log name clients by id.
class ClientIds {
public:
    void add(const std::string& id, const std::string& path) { owners_.emplace(id, path); }
    void claim(const ObjectReader& client, const std::string& id)
    {
        const auto [it, inserted] = owners_.emplace(id, client.path());
        if (!inserted)
            client.fail("id", "duplicate id " + inQuotes(id) + ": " + it->second + " already uses it");
    }

private:
    std::map<std::string, std::string> owners_;
};

} // namespace

const TopicSpec& findTopic(const Reader& reader, const Scenario& scenario, const JsonValue& at, const std::string& path,
    const std::string& name)
{
    for (const TopicSpec& topic : scenario.topics) {
        if (topic.name == name)
            return topic;
    }
    std::vector<std::string_view> names;
    for (const TopicSpec& topic : scenario.topics)
        names.emplace_back(topic.name);
    std::string message = "unknown topic " + inQuotes(name);
    if (const auto match = closestMatch(name, names)) {
        message += " (did you mean " + inQuotes(*match) + "?)";
    } else {
        message += ": every topic must be declared in \"topics\"";
    }
    reader.fail(at, path, std::move(message));
}

TimeWindow readWindow(const ObjectReader& object, const Scenario& scenario)
{
    TimeWindow window;
    window.startMs = object.integer("start_ms", 0, limits::kMaxDurationMs, 0);
    if (window.startMs > scenario.durationMs) {
        object.fail("start_ms",
            "start_ms (" + std::to_string(window.startMs) + ") is after the end of the scenario (duration_ms is "
                + std::to_string(scenario.durationMs) + ")");
    }
    if (const auto stop = object.optionalInteger("stop_ms", 0, limits::kMaxDurationMs)) {
        if (*stop <= window.startMs) {
            object.fail("stop_ms",
                "stop_ms (" + std::to_string(*stop) + ") must be after start_ms (" + std::to_string(window.startMs)
                    + ")");
        }
        window.stopMs = *stop;
    }
    return window;
}

PollTiming readPollTiming(const ObjectReader& object, const Scenario& scenario, const PollTiming& defaults)
{
    PollTiming timing;
    timing.window = readWindow(object, scenario);
    timing.pollIntervalMs = object.integer("poll_interval_ms", 1, limits::kMaxPollIntervalMs, defaults.pollIntervalMs);
    timing.processingMsPerRecord = object.number(
        "processing_ms_per_record", 0, limits::kMaxProcessingMsPerRecord, defaults.processingMsPerRecord);
    return timing;
}

namespace {

client::WorkloadSpec readWorkload(const Reader& reader, const ObjectReader& producer)
{
    client::WorkloadSpec spec;
    const JsonValue* value = producer.get("workload");
    if (!value)
        return spec;
    const ObjectReader workload(reader, *value, producer.pathOf("workload"), "a workload",
        { "kind", "keys", "key_count", "zipf_exponent", "key_prefix", "value_bytes", "headers", "tombstones",
            "poison_every", "key_by" });

    if (workload.get("kind")) {
        const std::string kind = workload.nonEmptyString("kind", false);
        const auto parsed = client::workloadKindFromName(kind);
        if (!parsed) {
            const auto names = namesOf(kWorkloadKinds, client::workloadKindName);
            workload.fail("kind",
                "unknown workload kind " + inQuotes(kind) + didYouMean(kind, names) + "; the kinds are "
                    + joined(names));
        }
        spec.kind = *parsed;
    }
    if (const JsonValue* keys = workload.get("keys")) {
        // JSON null reads naturally as "null keys", so accept it beside the string "null".
        if (keys->isNull()) {
            spec.keys = client::KeyDistribution::Null;
        } else {
            const std::string name = workload.string("keys", {});
            const auto parsed = client::keyDistributionFromName(name);
            if (!parsed) {
                const auto names = namesOf(kKeyDistributions, client::keyDistributionName);
                workload.fail("keys",
                    "unknown key distribution " + inQuotes(name) + didYouMean(name, names) + "; the distributions are "
                        + joined(names));
            }
            spec.keys = *parsed;
        }
    }
    spec.keyCount = workload.integer("key_count", 1, limits::kMaxKeyCount, spec.keyCount);
    if (const JsonValue* exponent = workload.get("zipf_exponent")) {
        spec.zipfExponent = workload.number("zipf_exponent", 0, limits::kMaxZipfExponent, spec.zipfExponent);
        if (spec.zipfExponent <= 0)
            reader.fail(*exponent, workload.pathOf("zipf_exponent"), "must be greater than 0");
    }
    spec.keyPrefix = workload.string("key_prefix", spec.keyPrefix);
    if (spec.keyPrefix.size() > static_cast<std::size_t>(limits::kMaxKeyPrefixLength))
        workload.fail("key_prefix", "may have at most " + std::to_string(limits::kMaxKeyPrefixLength) + " characters");
    if (workload.get("value_bytes") && spec.kind != client::WorkloadKind::FixedBytes) {
        workload.fail("value_bytes",
            "value_bytes only applies to the kind \"bytes\"; the " + std::string(client::workloadKindName(spec.kind))
                + " kind writes realistic JSON values of its own size");
    }
    spec.valueBytes
        = static_cast<std::int32_t>(workload.integer("value_bytes", 0, limits::kMaxValueBytes, spec.valueBytes));
    spec.headers = workload.boolean("headers", spec.headers);
    spec.tombstones = workload.boolean("tombstones", spec.tombstones);
    if (spec.tombstones && spec.keys == client::KeyDistribution::Null)
        workload.fail("tombstones", "a tombstone deletes a key, so tombstones need keys; keys is \"null\"");
    if (workload.get("poison_every") && spec.kind == client::WorkloadKind::FixedBytes) {
        workload.fail("poison_every",
            "poison_every applies to the JSON kinds: the kind \"bytes\" writes no JSON for a deserializer to reject");
    }
    if (workload.get("key_by")) {
        const std::string keyBy = workload.nonEmptyString("key_by", false);
        if (spec.kind != client::WorkloadKind::LogLines)
            workload.fail("key_by", "key_by applies to the kind \"log_lines\" only");
        if (keyBy != "service" && keyBy != "host")
            workload.fail("key_by", "key_by must be \"service\" or \"host\", not " + inQuotes(keyBy));
        spec.keyByHost = keyBy == "host";
    }
    spec.poisonEvery = workload.integer("poison_every", 1, std::numeric_limits<std::int64_t>::max(), spec.poisonEvery);
    return spec;
}

} // namespace

void readProducers(const Reader& reader, const ObjectReader& root, Scenario& scenario)
{
    const JsonValue::Array* producers = root.array("producers", false);
    if (!producers)
        return;
    ClientIds ids;
    for (std::size_t i = 0; i < producers->size(); ++i) {
        const ObjectReader producer(reader, (*producers)[i], indexPath("producers", i), "a producer",
            { "id", "topic", "rate", "start_ms", "stop_ms", "max_records", "partition", "workload", "config" });
        ProducerSpec spec;
        spec.id = producer.nonEmptyString("id", true);
        ids.claim(producer, spec.id);
        spec.topic = producer.nonEmptyString("topic", true);
        const TopicSpec& topic
            = findTopic(reader, scenario, producer.require("topic"), producer.pathOf("topic"), spec.topic);
        spec.ratePerSec = producer.number("rate", 0, limits::kMaxRatePerSec, spec.ratePerSec);
        const TimeWindow window = readWindow(producer, scenario);
        spec.startMs = window.startMs;
        spec.stopMs = window.stopMs;
        if (const auto maxRecords
            = producer.optionalInteger("max_records", 1, std::numeric_limits<std::int64_t>::max()))
            spec.maxRecords = *maxRecords;
        if (const JsonValue* partition = producer.get("partition")) {
            checkInteger(reader, *partition, producer.pathOf("partition"), 0, std::numeric_limits<std::int32_t>::max());
            if (partition->asInt() >= topic.partitions) {
                producer.fail("partition",
                    "partition " + std::to_string(partition->asInt()) + " does not exist: topic " + inQuotes(topic.name)
                        + " has partitions 0 to " + std::to_string(topic.partitions - 1));
            }
            spec.partition = static_cast<std::int32_t>(partition->asInt());
        }
        spec.workload = readWorkload(reader, producer);

        std::set<std::string> explicitNames;
        readConfigObject(reader, producer, "config", ConfigScope::Producer, spec.config, explicitNames);
        if (!explicitNames.contains("client.id"))
            spec.config.clientId = spec.id;

        if (auto conflict = finishProducerConfig(spec.config, explicitNames)) {
            failConflict(reader, producer.get("config"), producer.pathOf("config"), producer.value(), producer.path(),
                conflict->name, conflict->message);
        }
        scenario.producers.push_back(std::move(spec));
    }
}

namespace {

ProcessingSpec readProcessing(const Reader& reader, const ObjectReader& consumer)
{
    const ObjectReader processing(reader, *consumer.get("processing"), consumer.pathOf("processing"),
        "a processing-time distribution", { "distribution", "mean_ms", "min_ms", "max_ms", "stddev_ms" });
    ProcessingSpec spec;
    const std::string distribution = processing.nonEmptyString("distribution", true);
    const double limit = limits::kMaxProcessingMsPerRecord;
    if (distribution == "fixed" || distribution == "exponential") {
        spec.kind = distribution == "fixed" ? ProcessingSpec::Kind::Fixed : ProcessingSpec::Kind::Exponential;
        spec.meanMs = processing.number("mean_ms", 0, limit, 0);
        if (!processing.get("mean_ms"))
            processing.fail("distribution", "a " + distribution + " distribution needs mean_ms");
    } else if (distribution == "uniform") {
        spec.kind = ProcessingSpec::Kind::Uniform;
        spec.minMs = processing.number("min_ms", 0, limit, 0);
        spec.maxMs = processing.number("max_ms", 0, limit, 0);
        if (spec.maxMs < spec.minMs)
            processing.fail("max_ms", "max_ms must not be below min_ms");
    } else if (distribution == "normal" || distribution == "lognormal") {
        spec.kind = distribution == "normal" ? ProcessingSpec::Kind::Normal : ProcessingSpec::Kind::Lognormal;
        spec.meanMs = processing.number("mean_ms", 0, limit, 0);
        spec.stddevMs = processing.number("stddev_ms", 0, limit, 0);
        if (spec.kind == ProcessingSpec::Kind::Lognormal && spec.meanMs <= 0)
            processing.fail("mean_ms", "a lognormal distribution needs a mean_ms above 0");
    } else {
        processing.fail("distribution",
            "unknown distribution " + inQuotes(distribution) + "; known: fixed, uniform, exponential, normal, lognormal");
    }
    return spec;
}

} // namespace

void readConsumers(const Reader& reader, const ObjectReader& root, Scenario& scenario)
{
    const JsonValue::Array* consumers = root.array("consumers", false);
    if (!consumers)
        return;
    ClientIds ids;
    for (std::size_t j = 0; j < scenario.producers.size(); ++j)
        ids.add(scenario.producers[j].id, indexPath("producers", j));
    for (std::size_t i = 0; i < consumers->size(); ++i) {
        const ObjectReader consumer(reader, (*consumers)[i], indexPath("consumers", i), "a consumer",
            { "id", "topics", "members", "start_ms", "stop_ms", "poll_interval_ms", "processing_ms_per_record",
                "processing", "commit", "delivery", "on_deserialization_error", "config" });
        ConsumerSpec spec;
        spec.id = consumer.nonEmptyString("id", true);
        ids.claim(consumer, spec.id);

        const JsonValue::Array* topics = consumer.array("topics", true);
        if (topics->empty())
            consumer.fail("topics", "must name at least one topic to subscribe to");
        for (std::size_t t = 0; t < topics->size(); ++t) {
            const JsonValue& item = (*topics)[t];
            const std::string path = indexPath(consumer.pathOf("topics"), t);
            if (!item.isString())
                reader.fail(item, path, "expected a topic name (a string), got " + describe(item));
            findTopic(reader, scenario, item, path, item.asString());
            if (std::find(spec.topics.begin(), spec.topics.end(), item.asString()) != spec.topics.end())
                reader.fail(item, path, "topic " + inQuotes(item.asString()) + " is listed twice");
            spec.topics.push_back(item.asString());
        }

        spec.members = static_cast<std::int32_t>(consumer.integer("members", 1, limits::kMaxMembers, spec.members));
        const PollTiming timing = readPollTiming(consumer, scenario,
            { .pollIntervalMs = spec.pollIntervalMs, .processingMsPerRecord = spec.processingMsPerRecord });
        spec.startMs = timing.window.startMs;
        spec.stopMs = timing.window.stopMs;
        spec.pollIntervalMs = timing.pollIntervalMs;
        spec.processingMsPerRecord = timing.processingMsPerRecord;
        if (consumer.get("processing")) {
            if (consumer.get("processing_ms_per_record"))
                consumer.fail("processing", "write either processing or processing_ms_per_record, not both");
            spec.processing = readProcessing(reader, consumer);
            // A fixed time is the per-record figure; the other distributions are drawn per record.
            if (spec.processing.kind == ProcessingSpec::Kind::Fixed)
                spec.processingMsPerRecord = spec.processing.meanMs;
        }
        const std::string commit = consumer.string("commit", "auto");
        if (commit == "auto")
            spec.commit = client::CommitMode::Auto;
        else if (commit == "sync")
            spec.commit = client::CommitMode::Sync;
        else if (commit == "async")
            spec.commit = client::CommitMode::Async;
        else
            consumer.fail("commit", "commit must be \"auto\" (enable.auto.commit), \"sync\" (commitSync) or \"async\" (commitAsync), not " + inQuotes(commit));
        const std::string delivery = consumer.string("delivery", "at-least-once");
        if (delivery == "at-least-once")
            spec.delivery = client::Delivery::AtLeastOnce;
        else if (delivery == "at-most-once")
            spec.delivery = client::Delivery::AtMostOnce;
        else
            consumer.fail("delivery", "delivery must be \"at-least-once\" (commit after processing) or \"at-most-once\" (commit before), not " + inQuotes(delivery));
        const std::string onError = consumer.string("on_deserialization_error", "retry");
        if (onError != "retry" && onError != "skip")
            consumer.fail("on_deserialization_error",
                "on_deserialization_error must be \"retry\" (poll again, stuck on the record) or \"skip\" (seek past "
                "it), not "
                    + inQuotes(onError));
        spec.skipUndeserializable = onError == "skip";
        if (spec.delivery == client::Delivery::AtMostOnce && spec.commit == client::CommitMode::Auto)
            consumer.fail("delivery", "at-most-once needs commit \"sync\" or \"async\": auto-commit commits after the records were returned");

        std::set<std::string> explicitNames;
        readConfigObject(reader, consumer, "config", ConfigScope::Consumer, spec.config, explicitNames);
        if (!explicitNames.contains("client.id"))
            spec.config.clientId = spec.id;
        if (spec.commit != client::CommitMode::Auto) {
            if (explicitNames.contains("enable.auto.commit") && spec.config.enableAutoCommit)
                consumer.fail("commit", "commit " + inQuotes(commit) + " commits by hand, so enable.auto.commit must not be true");
            spec.config.enableAutoCommit = false;
        } else if (explicitNames.contains("enable.auto.commit") && !spec.config.enableAutoCommit) {
            consumer.fail("commit", "enable.auto.commit is false, so say how the application commits: commit \"sync\" or \"async\"");
        }
        if (!explicitNames.contains("group.id"))
            spec.config.groupId = spec.id;
        if (auto conflict = finishConsumerConfig(spec.config, explicitNames)) {
            failConflict(reader, consumer.get("config"), consumer.pathOf("config"), consumer.value(), consumer.path(),
                conflict->name, conflict->message);
        }
        if (!spec.config.groupInstanceId.empty() && spec.members > 1) {
            failConflict(reader, consumer.get("config"), consumer.pathOf("config"), consumer.value(), consumer.path(),
                "group.instance.id",
                "with \"members\": " + std::to_string(spec.members)
                    + " every member would share this group.instance.id and fence the others; write one consumer "
                      "entry per static member");
        }
        scenario.consumers.push_back(std::move(spec));
    }
}

namespace {

// Node ids: brokers 1..n; controller voters 0, -1, -2 (a single controller is 0).
std::vector<std::int32_t> readNodeList(
    const Reader& reader, const ObjectReader& fault, std::string_view key, std::int32_t brokers, std::int32_t lowest)
{
    std::vector<std::int32_t> nodes;
    const JsonValue::Array* items = fault.array(key, true);
    if (items->empty())
        fault.fail(key, std::string(key) + " must name at least one broker");
    for (std::size_t i = 0; i < items->size(); ++i) {
        checkInteger(reader, (*items)[i], indexPath(fault.pathOf(key), i), lowest, brokers);
        nodes.push_back(static_cast<std::int32_t>((*items)[i].asInt()));
    }
    return nodes;
}

} // namespace

void readFaultDetails(const Reader& reader, const JsonValue& entry, const std::string& path, const Scenario& scenario,
    FaultSpec& spec)
{
    const std::int32_t brokers = scenario.brokers;
    const std::int32_t lowestNode = 1 - scenario.brokerConfig.controllerQuorumVoters;
    bool known = false;
    for (std::string_view kind : kFaultKinds)
        known = known || kind == spec.kind;
    if (!known) {
        std::string list;
        for (std::string_view kind : kFaultKinds)
            list += (list.empty() ? "" : ", ") + std::string(kind);
        reader.fail(entry.find("kind") ? *entry.find("kind") : entry, childPath(path, "kind"),
            "unknown fault kind " + inQuotes(spec.kind) + "; known kinds: " + list);
    }
    const std::string what = "a " + spec.kind + " fault";
    if (spec.kind == "network_partition") {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "until_ms", "side_a", "side_b" });
        spec.sideA = readNodeList(reader, fault, "side_a", brokers, lowestNode);
        spec.sideB = readNodeList(reader, fault, "side_b", brokers, lowestNode);
    } else if (spec.kind == "link") {
        const ObjectReader fault(reader, entry, path, what,
            { "kind", "at_ms", "until_ms", "from", "to", "both_directions", "latency_ms", "jitter_ms", "loss" });
        spec.from = static_cast<std::int32_t>(fault.integer("from", lowestNode, brokers, 0, true));
        spec.to = static_cast<std::int32_t>(fault.integer("to", lowestNode, brokers, 0, true));
        if (spec.from == spec.to)
            fault.fail("to", "a link joins two different nodes");
        spec.bothDirections = fault.boolean("both_directions", true);
        spec.link = scenario.network;
        spec.link.latencyMs = fault.number("latency_ms", 0, 600000, spec.link.latencyMs);
        spec.link.jitterMs = fault.number("jitter_ms", 0, 600000, spec.link.jitterMs);
        spec.link.loss = fault.number("loss", 0, 1, spec.link.loss);
    } else if (spec.kind.starts_with("consumer_")) {
        const ObjectReader fault = spec.kind == "consumer_slow"
            ? ObjectReader(reader, entry, path, what, { "kind", "at_ms", "until_ms", "consumer", "factor" })
            : spec.kind == "consumer_pause"
            ? ObjectReader(reader, entry, path, what, { "kind", "at_ms", "until_ms", "consumer" })
            : ObjectReader(reader, entry, path, what, { "kind", "at_ms", "consumer" });
        spec.consumer = fault.nonEmptyString("consumer", true);
        std::string candidates;
        bool found = false;
        for (const ConsumerSpec& consumer : scenario.consumers) {
            if (spec.kind == "consumer_join") {
                found = found || consumer.id == spec.consumer;
                candidates += (candidates.empty() ? "" : ", ") + consumer.id;
                continue;
            }
            for (std::int32_t m = 0; m < consumer.members; ++m) {
                found = found || consumer.memberClientId(m) == spec.consumer;
                candidates += (candidates.empty() ? "" : ", ") + consumer.memberClientId(m);
            }
        }
        if (!found) {
            fault.fail("consumer",
                (spec.kind == "consumer_join" ? "no consumer entry has id " : "no consumer has client.id ")
                    + inQuotes(spec.consumer) + (candidates.empty() ? std::string("; the scenario has no consumers") : "; known: " + candidates));
        }
        if (spec.kind == "consumer_slow")
            spec.factor = fault.number("factor", 1, 1000, 2);
    } else if (spec.kind == "add_broker") {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms" });
    } else if (spec.kind == "kill_controller") {
        // Kills whichever voter is active at at_ms; until_ms restarts that voter.
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "until_ms" });
    } else if (spec.kind == "clock_skew") {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "until_ms", "broker", "skew_ms" });
        spec.broker = static_cast<std::int32_t>(fault.integer("broker", 1, brokers, 1, true));
        spec.skewMs = fault.integer("skew_ms", -limits::kMaxDurationMs * 1000, limits::kMaxDurationMs * 1000, 0, true);
    } else if (spec.kind == "remove_broker") {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "broker" });
        spec.broker = static_cast<std::int32_t>(fault.integer("broker", 1, brokers, 1, true));
    } else if (spec.kind == "reassign") {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "topic", "partition", "replicas" });
        spec.topic = fault.nonEmptyString("topic", true);
        const TopicSpec* topic = nullptr;
        for (const TopicSpec& candidate : scenario.topics)
            topic = candidate.name == spec.topic ? &candidate : topic;
        if (!topic)
            fault.fail("topic", "topic " + inQuotes(spec.topic) + " is not among the scenario's topics");
        spec.partition = static_cast<std::int32_t>(fault.integer("partition", 0, topic->partitions - 1, 0, true));
        spec.replicas = readNodeList(reader, fault, "replicas", limits::kMaxBrokers, 1);
        for (std::size_t i = 0; i < spec.replicas.size(); ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (spec.replicas[i] == spec.replicas[j])
                    fault.fail("replicas", "broker " + std::to_string(spec.replicas[i]) + " is listed twice");
            }
        }
    } else if (spec.kind == "slow_disk") {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "until_ms", "broker", "delay_ms" });
        spec.broker = static_cast<std::int32_t>(fault.integer("broker", 1, brokers, 1, true));
        spec.delayMs = fault.number("delay_ms", 0, 600000, 0);
    } else if (spec.kind == "broker_restart") {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "broker" });
        spec.broker = static_cast<std::int32_t>(fault.integer("broker", 1, brokers, 1, true));
    } else {
        const ObjectReader fault(reader, entry, path, what, { "kind", "at_ms", "until_ms", "broker" });
        spec.broker = static_cast<std::int32_t>(fault.integer("broker", 1, brokers, 1, true));
    }
}

void readFaults(const Reader& reader, const ObjectReader& root, Scenario& scenario)
{
    const JsonValue::Array* faults = root.array("faults", false);
    if (!faults)
        return;
    for (std::size_t i = 0; i < faults->size(); ++i) {
        const JsonValue& entry = (*faults)[i];
        // The fault layer owns the other keys of an entry (which broker, which link, ...).
        const ObjectReader fault(reader, entry, indexPath("faults", i), "a fault", {}, true);
        FaultSpec spec;
        spec.kind = fault.nonEmptyString("kind", true);
        spec.atMs = fault.integer("at_ms", 0, limits::kMaxDurationMs, 0, true);
        if (spec.atMs > scenario.durationMs) {
            fault.fail("at_ms",
                "at_ms (" + std::to_string(spec.atMs) + ") is after the end of the scenario (duration_ms is "
                    + std::to_string(scenario.durationMs) + ")");
        }
        if (const auto until = fault.optionalInteger("until_ms", 0, limits::kMaxDurationMs)) {
            if (*until <= spec.atMs) {
                fault.fail("until_ms",
                    "until_ms (" + std::to_string(*until) + ") must be after at_ms (" + std::to_string(spec.atMs)
                        + ")");
            }
            spec.untilMs = *until;
        }
        readFaultDetails(reader, entry, indexPath("faults", i), scenario, spec);
        spec.params = entry;
        spec.line = entry.line();
        scenario.faults.push_back(std::move(spec));
    }
}

} // namespace brokerlab::scenario::detail
