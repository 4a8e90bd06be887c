#include "scenario/scenario.h"

#include <cmath>

#include "scenario/configapply.h"
#include "scenario/limits.h"
#include "scenario/scenarioreader.h"
#include "scenario/suggest.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace brokerlab::scenario {

using namespace detail;
using protocol::ConfigScope;

double ProcessingSpec::draw(sim::Rng& rng) const
{
    switch (kind) {
    case Kind::Fixed:
        return meanMs;
    case Kind::Uniform:
        return rng.uniform(minMs, maxMs);
    case Kind::Exponential:
        return meanMs > 0 ? rng.exponential(meanMs) : 0;
    case Kind::Normal:
        return std::max(0.0, rng.normal(meanMs, stddevMs));
    case Kind::Lognormal: {
        // Parameters of the underlying normal from the distribution's mean and standard deviation.
        const double variance = stddevMs * stddevMs;
        const double sigma2 = std::log(1 + variance / (meanMs * meanMs));
        return rng.lognormal(std::log(meanMs) - sigma2 / 2, std::sqrt(sigma2));
    }
    }
    return 0;
}

std::string ConsumerSpec::memberClientId(std::int32_t index) const
{
    const std::string base = config.clientId.empty() ? id : config.clientId;
    return members == 1 && index == 0 ? base : base + "-" + std::to_string(index + 1);
}

std::string ScenarioError::toString() const
{
    std::string text = file;
    if (line > 0)
        text += ":" + std::to_string(line) + ":" + std::to_string(column);
    text += ": ";
    if (!field.empty())
        text += field + ": ";
    return text + message;
}

namespace detail {

template <typename Config>
void readConfigObject(const Reader& reader, const ObjectReader& owner, std::string_view key, ConfigScope scope,
    Config& config, std::set<std::string>& explicitNames)
{
    const JsonValue* object = owner.get(key);
    if (!object)
        return;
    const std::string path = owner.pathOf(key);
    // Built for its check that "config" is an object; its keys are config names, checked below.
    const ObjectReader configs(reader, *object, path, "the \"config\"", {}, true);
    std::vector<const JsonMember*> ordered;
    for (const JsonMember& member : object->members())
        ordered.push_back(&member);
    std::stable_partition(
        ordered.begin(), ordered.end(), [](const JsonMember* member) { return member->key.ends_with(".hours"); });
    for (const JsonMember* member : ordered) {
        ConfigResult result = checkConfigJson(scope, member->key, member->value);
        if (auto* message = std::get_if<std::string>(&result)) {
            // An unknown name is the key's fault, a bad value the value's.
            const bool known = protocol::findConfigDef(member->key, scope) != nullptr;
            reader.fail(known ? member->value.line() : member->line, known ? member->value.column() : member->column,
                childPath(path, member->key), *message);
        }
        applyConfig(config, std::get<ConfigValue>(result));
        explicitNames.insert(member->key);
    }
}

template void readConfigObject(
    const Reader&, const ObjectReader&, std::string_view, ConfigScope, cluster::TopicConfig&, std::set<std::string>&);
template void readConfigObject(
    const Reader&, const ObjectReader&, std::string_view, ConfigScope, cluster::BrokerConfig&, std::set<std::string>&);
template void readConfigObject(
    const Reader&, const ObjectReader&, std::string_view, ConfigScope, client::ProducerConfig&, std::set<std::string>&);
template void readConfigObject(
    const Reader&, const ObjectReader&, std::string_view, ConfigScope, client::ConsumerConfig&, std::set<std::string>&);

void readCluster(const Reader& reader, const ObjectReader& root, Scenario& scenario)
{
    const JsonValue* value = root.get("cluster");
    if (!value) {
        if (auto conflict = checkBrokerConfig(scenario.brokerConfig, scenario.brokers))
            reader.fail(root.value(), "cluster", conflict->message);
        return;
    }
    const ObjectReader cluster(
        reader, *value, "cluster", "the cluster", { "brokers", "controllers", "racks", "config", "network" });
    scenario.brokers = static_cast<std::int32_t>(cluster.integer("brokers", 1, limits::kMaxBrokers, scenario.brokers));
    // The controller quorum (controller.quorum.voters): one voter, or three that elect a leader.
    const std::int64_t controllers = cluster.integer("controllers", 1, 3, 1);
    if (controllers == 2) {
        cluster.fail("controllers",
            "controllers is 2: a Raft quorum of 2 survives no failure (both votes are needed); use 1 or 3");
    }
    scenario.brokerConfig.controllerQuorumVoters = static_cast<std::int32_t>(controllers);

    if (const JsonValue::Array* racks = cluster.array("racks", false)) {
        for (std::size_t i = 0; i < racks->size(); ++i) {
            const JsonValue& rack = (*racks)[i];
            if (!rack.isString() || rack.asString().empty()) {
                reader.fail(rack, indexPath(cluster.pathOf("racks"), i),
                    "expected a rack name (a non-empty string), got " + describe(rack));
            }
            scenario.racks.push_back(rack.asString());
        }
        if (static_cast<std::int32_t>(racks->size()) != scenario.brokers) {
            cluster.fail("racks",
                "lists " + std::to_string(racks->size()) + " racks for " + std::to_string(scenario.brokers)
                    + " brokers: give exactly one rack per broker, in broker order");
        }
    }

    std::set<std::string> explicitNames;
    readConfigObject(reader, cluster, "config", ConfigScope::Broker, scenario.brokerConfig, explicitNames);

    if (const JsonValue* networkValue = cluster.get("network")) {
        const ObjectReader network(reader, *networkValue, "cluster.network", "the network",
            { "latency_ms", "jitter_ms", "loss", "bandwidth_mbps" });
        sim::LinkSpec& link = scenario.network;
        link.latencyMs = network.number("latency_ms", 0, limits::kMaxLatencyMs, link.latencyMs);
        link.jitterMs = network.number("jitter_ms", 0, limits::kMaxLatencyMs, link.jitterMs);
        link.loss = network.number("loss", 0, 1, link.loss);
        // The file speaks network units (megabits per second); LinkSpec holds megabytes per second.
        link.bandwidthMBps = network.number("bandwidth_mbps", 0, limits::kMaxBandwidthMbps, link.bandwidthMBps * 8) / 8;
    }

    if (auto conflict = checkBrokerConfig(scenario.brokerConfig, scenario.brokers)) {
        const JsonValue* brokers = cluster.get("brokers");
        failConflict(reader, cluster.get("config"), "cluster.config", brokers ? *brokers : *value,
            brokers ? "cluster.brokers" : "cluster", conflict->name, conflict->message);
    }
}

void checkTopicName(const ObjectReader& topic, const std::string& name)
{
    if (name.size() > static_cast<std::size_t>(limits::kMaxNameLength))
        topic.fail("name", "a topic name may have at most 249 characters, this one has " + std::to_string(name.size()));
    if (name == "." || name == "..")
        topic.fail("name", "a topic cannot be called \".\" or \"..\"");
    const bool legal = std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
            || c == '-';
    });
    if (!legal)
        topic.fail("name", "a topic name may contain only letters, digits, '.', '_' and '-', got " + inQuotes(name));
    if (name.starts_with("__")) {
        topic.fail(
            "name", "names starting with \"__\" are reserved for Kafka's internal topics such as __consumer_offsets");
    }
}

void readTopics(const Reader& reader, const ObjectReader& root, Scenario& scenario)
{
    const JsonValue::Array* topics = root.array("topics", false);
    if (!topics)
        return;
    std::int64_t totalPartitions = 0;
    for (std::size_t i = 0; i < topics->size(); ++i) {
        const ObjectReader topic(reader, (*topics)[i], indexPath("topics", i), "a topic",
            { "name", "partitions", "replication_factor", "config" });
        TopicSpec spec;
        spec.name = topic.nonEmptyString("name", true);
        checkTopicName(topic, spec.name);
        for (std::size_t j = 0; j < scenario.topics.size(); ++j) {
            const std::string& other = scenario.topics[j].name;
            if (other == spec.name) {
                topic.fail("name",
                    "duplicate topic name " + inQuotes(spec.name) + ": topics[" + std::to_string(j)
                        + "] has it already");
            }
            // Kafka forbids these pairs: '.' and '_' map to the same character in metric names.
            std::string a = other;
            std::string b = spec.name;
            std::replace(a.begin(), a.end(), '.', '_');
            std::replace(b.begin(), b.end(), '.', '_');
            if (a == b) {
                topic.fail("name",
                    "topic " + inQuotes(spec.name) + " collides with " + inQuotes(other)
                        + ": Kafka forbids names that differ only in '.' versus '_'");
            }
        }

        const bool partitionsGiven = topic.get("partitions") != nullptr;
        spec.partitions = static_cast<std::int32_t>(
            topic.integer("partitions", 1, limits::kMaxPartitions, scenario.brokerConfig.numPartitions));
        if (!partitionsGiven && spec.partitions > limits::kMaxPartitions) {
            topic.fail("name",
                "num.partitions (" + std::to_string(spec.partitions) + ") is above Brokerlab's limit of "
                    + std::to_string(limits::kMaxPartitions) + " partitions per topic; give \"partitions\"");
        }
        totalPartitions += spec.partitions;
        if (totalPartitions > limits::kMaxTotalPartitions) {
            topic.fail(partitionsGiven ? "partitions" : "name",
                "the topics have more than " + std::to_string(limits::kMaxTotalPartitions)
                    + " partitions in total, more than Brokerlab can simulate");
        }

        if (const JsonValue* rf = topic.get("replication_factor")) {
            checkInteger(reader, *rf, topic.pathOf("replication_factor"), 1, std::numeric_limits<std::int16_t>::max());
            if (rf->asInt() > scenario.brokers) {
                topic.fail("replication_factor",
                    "replication_factor " + std::to_string(rf->asInt()) + " is larger than the number of brokers ("
                        + std::to_string(scenario.brokers) + "): each replica of a partition needs its own broker");
            }
            spec.replicationFactor = static_cast<std::int16_t>(rf->asInt());
        } else {
            spec.replicationFactor = scenario.brokerConfig.defaultReplicationFactor; // checked against brokers
        }

        spec.config = scenario.brokerConfig.topicDefaults;
        std::set<std::string> explicitNames;
        readConfigObject(reader, topic, "config", ConfigScope::Topic, spec.config, explicitNames);
        scenario.topics.push_back(std::move(spec));
    }
}

std::uint64_t readSeed(const Reader& reader, const ObjectReader& root, std::uint64_t fallback)
{
    const JsonValue* value = root.get("seed");
    if (!value)
        return fallback;
    if (value->isString()) {
        const std::string& digits = value->asString();
        std::uint64_t seed = 0;
        const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
        const bool allDigits
            = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!allDigits || result.ec != std::errc() || result.ptr != digits.data() + digits.size()) {
            reader.fail(*value, "seed",
                "a seed written as a string must be digits only, from 0 to 18446744073709551615, got "
                    + inQuotes(digits));
        }
        return seed;
    }
    if (value->isNumber() && !value->isInteger() && value->asDouble() > 9.2e18) {
        reader.fail(
            *value, "seed", "this seed is too large for a JSON number to hold exactly: write it as a string of digits");
    }
    checkInteger(reader, *value, "seed", 0, std::numeric_limits<std::int64_t>::max());
    return static_cast<std::uint64_t>(value->asInt());
}

Scenario readScenario(const Reader& reader, const JsonValue& document)
{
    if (!document.isObject())
        reader.fail(document, "", "a scenario file must hold one JSON object { ... }, found " + describe(document));
    const ObjectReader root(reader, document, "", "the scenario",
        { "$schema", "name", "description", "seed", "duration_ms", "cluster", "topics", "producers", "consumers",
            "faults", "processors", "queues" });
    Scenario scenario;
    root.string("$schema", {}); // lets editors find docs/scenario.schema.json; only its type is checked
    scenario.name = root.nonEmptyString("name", true);
    scenario.description = root.string("description", {});
    scenario.seed = readSeed(reader, root, scenario.seed);
    scenario.durationMs = root.integer("duration_ms", 1, limits::kMaxDurationMs, scenario.durationMs);
    readCluster(reader, root, scenario);
    readTopics(reader, root, scenario);
    readProducers(reader, root, scenario);
    readConsumers(reader, root, scenario);
    readFaults(reader, root, scenario);
    readProcessors(reader, root, scenario);
    readQueues(reader, root, scenario);
    return scenario;
}

} // namespace detail

LoadResult parseScenario(std::string_view text, const std::string& fileName)
{
    JsonParseResult parsed = parseJson(text);
    if (!parsed.ok())
        return ScenarioError { fileName, parsed.error->line, parsed.error->column, {}, parsed.error->message };
    try {
        return readScenario(Reader(fileName), parsed.value);
    } catch (const ScenarioFailure& failure) {
        return failure.error;
    }
}

LoadResult parseScenarioDocument(const JsonValue& document, const std::string& fileName)
{
    try {
        return readScenario(Reader(fileName), document);
    } catch (const ScenarioFailure& failure) {
        return failure.error;
    }
}

LoadResult loadScenarioFile(const std::string& path)
{
    const auto fileError = [&](std::string message) { return ScenarioError { path, 0, 0, {}, std::move(message) }; };
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status))
        return fileError("cannot read the file: it does not exist");
    if (std::filesystem::is_directory(status))
        return fileError("cannot read the file: it is a directory");
    const auto tooLarge
        = [&] { return fileError("the file is larger than 16 MiB; scenario files are small JSON documents"); };
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (!error && size > limits::kMaxFileBytes)
        return tooLarge();
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fileError("cannot read the file: " + std::generic_category().message(errno));
    // Read in chunks up to one byte past the limit: the size reported above can be stale or, for pipes
    // and /proc files, zero.
    std::string text;
    text.reserve(error ? 0 : static_cast<std::size_t>(size));
    std::array<char, 65536> chunk {};
    while (text.size() <= limits::kMaxFileBytes
        && in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())).gcount() > 0)
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (in.bad())
        return fileError("cannot read the file: input error");
    if (text.size() > limits::kMaxFileBytes)
        return tooLarge();
    return parseScenario(text, path);
}

} // namespace brokerlab::scenario
