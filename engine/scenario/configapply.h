#pragma once
// Kafka configs by name onto Brokerlab's config structs, checked against the registry
// (protocol/configdefs.h). Scenario files use the JSON entry points; a CreateTopics request, an
// AlterConfigs-like GUI edit or a .properties line can use the text ones. Every message is written for
// a student: it names the config, says what was expected and what was found.

#include "client/consumerconfig.h"
#include "client/producerconfig.h"
#include "cluster/brokerconfig.h"
#include "protocol/configdefs.h"
#include "scenario/json.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace brokerlab::scenario {

// A config value that passed its definition's checks (type, range, allowed values).
struct ConfigValue {
    const protocol::ConfigDef* def = nullptr;
    std::int64_t integer = 0; // Short, Int, Long; acks as 0, 1 or -1
    double number = 0; // Double
    bool boolean = false; // Boolean
    // Canonical text of every type: "true", "5", "all", "compact,delete", "range,cooperative-sticky".
    // It is what configText() returns after the value is applied.
    std::string text;
};

using ConfigResult = std::variant<ConfigValue, std::string>; // the value, or why it was refused

// `name` must be a config of `scope`; otherwise the result is unknownConfigMessage().
ConfigResult checkConfigJson(protocol::ConfigScope scope, std::string_view name, const JsonValue& value);
// Kafka's text form, as in a .properties file or a CreateTopics request ("all", "true", "compact,delete").
ConfigResult checkConfigText(protocol::ConfigScope scope, std::string_view name, std::string_view text);

// Why `name` is not a config of `scope`, as helpfully as possible: a close name ("did you mean"),
// the scope it does belong to, or that Brokerlab does not simulate that Kafka config yet.
std::string unknownConfigMessage(protocol::ConfigScope scope, std::string_view name);

// Stores a checked value in the field(s) it configures. Returns false, changing nothing, when the
// value's definition belongs to another scope.
bool applyConfig(cluster::TopicConfig& config, const ConfigValue& value);
bool applyConfig(cluster::BrokerConfig& config, const ConfigValue& value); // topic defaults included
bool applyConfig(client::ProducerConfig& config, const ConfigValue& value);
bool applyConfig(client::ConsumerConfig& config, const ConfigValue& value);

// The value a struct holds for config `name`, in canonical text; nullopt for a name outside the scope.
std::optional<std::string> configText(const cluster::TopicConfig& config, std::string_view name);
std::optional<std::string> configText(const cluster::BrokerConfig& config, std::string_view name);
std::optional<std::string> configText(const client::ProducerConfig& config, std::string_view name);
std::optional<std::string> configText(const client::ConsumerConfig& config, std::string_view name);

// checkConfigText + applyConfig in one step; returns an empty string on success, else the message.
template <typename Config>
std::string setConfigText(Config& config, protocol::ConfigScope scope, std::string_view name, std::string_view text)
{
    ConfigResult result = checkConfigText(scope, name, text);
    if (auto* error = std::get_if<std::string>(&result))
        return *error;
    applyConfig(config, std::get<ConfigValue>(result));
    return {};
}

// Rules that involve two configs, checked once all of an entity's configs are applied. `explicitNames`
// are the configs the user wrote: like Kafka's clients, an explicit conflicting setting is an error
// while a default quietly gives way (idempotence is turned off, delivery.timeout.ms is raised).
struct ConfigConflict {
    std::string name; // the config to point at
    std::string message;
};
std::optional<ConfigConflict> finishProducerConfig(
    client::ProducerConfig& config, const std::set<std::string>& explicitNames);
std::optional<ConfigConflict> finishConsumerConfig(
    client::ConsumerConfig& config, const std::set<std::string>& explicitNames);
std::optional<ConfigConflict> checkBrokerConfig(const cluster::BrokerConfig& config, std::int32_t brokers);

// Canonical name of an assignor for partition.assignment.strategy: "range" for "range" and for
// "org.apache.kafka.clients.consumer.RangeAssignor"; nullopt when unknown.
std::optional<std::string_view> assignorShortName(std::string_view name);

} // namespace brokerlab::scenario
