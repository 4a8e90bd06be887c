#pragma once
// Kafka's configuration registry, for the configs Brokerlab simulates: names, types, defaults (Apache
// Kafka 4.0), valid values and a short explanation for students. Scenario files, the GUI's tooltips
// and editors, and DescribeConfigs all read from here, so a name or default is written down once.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::protocol {

enum class ConfigScope { Topic, Broker, Producer, Consumer };

// Kafka's ConfigDef types; Enum is Kafka's STRING with a fixed list of valid strings.
enum class ConfigType { Boolean, Short, Int, Long, Double, String, List, Enum };

struct ConfigDef {
    std::string_view name; // Kafka's exact name
    ConfigScope scope = ConfigScope::Topic;
    ConfigType type = ConfigType::String;
    // The default as Kafka documents it; "null" where Kafka has none (log.retention.ms, group.id).
    std::string_view defaultValue;
    // What applies when the config is unset, in the canonical text of scenario/configapply.h, when
    // that differs from defaultValue: log.retention.ms falls back to log.retention.hours = 168, so
    // its effective default is 604800000. A "null" string config is effectively the empty string.
    std::string_view effectiveDefault;
    // Valid range for Short/Int/Long (inclusive), already narrowed to the type's own range.
    std::int64_t minimum = std::numeric_limits<std::int64_t>::min();
    std::int64_t maximum = std::numeric_limits<std::int64_t>::max();
    double minimumDouble = -std::numeric_limits<double>::infinity(); // Double only
    double maximumDouble = std::numeric_limits<double>::infinity();
    std::vector<std::string_view> allowed; // Enum: the valid values; List: the valid items
    std::vector<std::string_view> notSupported; // valid in Kafka, not implemented by Brokerlab yet
    std::string_view unit; // "ms", "bytes", "records", "replicas", "partitions", ... or empty
    // Topic scope: the broker config that holds the cluster-wide default. Broker scope: the topic
    // config this broker config is the default for. Empty when there is none.
    std::string_view synonym;
    std::string_view doc; // one or two plain sentences; becomes a GUI tooltip

    std::string_view effective() const
    {
        if (!effectiveDefault.empty())
            return effectiveDefault;
        return type == ConfigType::String && defaultValue == "null" ? std::string_view() : defaultValue;
    }
    bool isInteger() const { return type == ConfigType::Short || type == ConfigType::Int || type == ConfigType::Long; }
};

// Every definition, grouped by scope (Topic, Broker, Producer, Consumer), alphabetical within one.
const std::vector<ConfigDef>& configDefs();
std::vector<const ConfigDef*> configDefs(ConfigScope scope);
const ConfigDef* findConfigDef(std::string_view name, ConfigScope scope); // nullptr when unknown
// Scopes in which `name` is defined, in enum order (e.g. compression.type: Topic, Broker, Producer).
std::vector<ConfigScope> scopesOf(std::string_view name);

// A real Kafka config of that scope that Brokerlab does not simulate (transactional.id,
// isolation.level, ...): lets an error say "not simulated yet" instead of "unknown".
bool isUnsimulatedKafkaConfig(std::string_view name, ConfigScope scope);

std::string_view configScopeName(ConfigScope scope); // "topic", "broker", "producer", "consumer"
std::string_view configTypeName(
    ConfigType type); // "boolean", "short", "int", "long", "double", "string", "list", "enum"
// Valid values in words for messages and tooltips: "at least 0", "1 to 32767", "one of: earliest, latest, none".
std::string validValuesText(const ConfigDef& def);

} // namespace brokerlab::protocol
