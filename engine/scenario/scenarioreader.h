#pragma once
// Internal to the scenario library: typed, path-tracking access to the JSON of a scenario file. The
// first problem ends the load with a ScenarioError, thrown as ScenarioFailure and caught by
// parseScenario, which is why the readers can simply return values.

#include "scenario/configapply.h"
#include "scenario/scenario.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::scenario::detail {

struct ScenarioFailure {
    ScenarioError error;
};

std::string childPath(const std::string& parent, std::string_view key);
std::string indexPath(const std::string& parent, std::size_t index);
std::string inQuotes(std::string_view text);
std::string describe(const JsonValue& value); // "the string \"5\"", "an array", ...

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) { }
    const std::string& file() const { return file_; }

    [[noreturn]] void fail(int line, int column, std::string field, std::string message) const;
    [[noreturn]] void fail(const JsonValue& at, std::string field, std::string message) const
    {
        fail(at.line(), at.column(), std::move(field), std::move(message));
    }

private:
    std::string file_;
};

// One JSON object of the scenario with the keys it may hold. Constructing it checks the type and
// rejects unknown keys (with a suggestion), so readers only deal with known ones.
class ObjectReader {
public:
    // `what` names the object in messages: "a topic", "the cluster", ...
    ObjectReader(const Reader& reader, const JsonValue& value, std::string path, std::string_view what,
        std::initializer_list<std::string_view> keys, bool allowUnknownKeys = false);

    const JsonValue& value() const { return value_; }
    const std::string& path() const { return path_; }
    std::string pathOf(std::string_view key) const { return childPath(path_, key); }
    const JsonValue* get(std::string_view key) const { return value_.find(key); }
    // The object's position is where a missing key is reported.
    const JsonValue& require(std::string_view key) const;
    [[noreturn]] void fail(std::string_view key, std::string message) const;

    std::string string(std::string_view key, std::string fallback, bool required = false) const;
    std::string nonEmptyString(std::string_view key, bool required) const;
    std::int64_t integer(std::string_view key, std::int64_t minimum, std::int64_t maximum, std::int64_t fallback,
        bool required = false) const;
    std::optional<std::int64_t> optionalInteger(std::string_view key, std::int64_t minimum, std::int64_t maximum) const;
    double number(std::string_view key, double minimum, double maximum, double fallback) const;
    bool boolean(std::string_view key, bool fallback) const;
    const JsonValue::Array* array(std::string_view key, bool required) const;

private:
    const Reader& reader_;
    const JsonValue& value_;
    std::string path_;
};

// Range checks shared by ObjectReader and the readers of array items.
void checkInteger(
    const Reader& reader, const JsonValue& value, const std::string& path, std::int64_t minimum, std::int64_t maximum);

// Turns a ConfigConflict into an error located at the config's value when the file sets it,
// else at `fallback` (the object the config belongs to).
[[noreturn]] void failConflict(const Reader& reader, const JsonValue* configObject, const std::string& configPath,
    const JsonValue& fallback, const std::string& fallbackPath, const std::string& name, const std::string& message);

// Applies the members of `owner[key]` (a "config" object) to `config`, recording the names written.
// Broker configs in hours are applied before the rest so that, as in Kafka, log.retention.ms beats
// log.retention.hours whatever their order in the file.
template <typename Config>
void readConfigObject(const Reader& reader, const ObjectReader& owner, std::string_view key,
    protocol::ConfigScope scope, Config& config, std::set<std::string>& explicitNames);

// The declared topic `name`, or an error at `at` naming the closest declared one.
const TopicSpec& findTopic(const Reader& reader, const Scenario& scenario, const JsonValue& at, const std::string& path,
    const std::string& name);
// start_ms and stop_ms of a client, checked against each other and the scenario's duration.
struct TimeWindow {
    std::int64_t startMs = 0;
    std::int64_t stopMs = -1;
};
TimeWindow readWindow(const ObjectReader& object, const Scenario& scenario);
// What every polling client has: its window, poll_interval_ms and processing_ms_per_record.
struct PollTiming {
    TimeWindow window;
    std::int64_t pollIntervalMs = 100;
    double processingMsPerRecord = 0;
};
PollTiming readPollTiming(const ObjectReader& object, const Scenario& scenario, const PollTiming& defaults);

// Readers of the scenario's sections, in the order parseScenario calls them: each may rely on the
// sections before it (topics on the cluster, producers on topics).
void readCluster(const Reader& reader, const ObjectReader& root, Scenario& scenario);
void readTopics(const Reader& reader, const ObjectReader& root, Scenario& scenario);
void readProducers(const Reader& reader, const ObjectReader& root, Scenario& scenario);
void readConsumers(const Reader& reader, const ObjectReader& root, Scenario& scenario);
void readFaults(const Reader& reader, const ObjectReader& root, Scenario& scenario);
// Stream processors and modelled queues (scenarioprocessors.cpp), after the producers and consumers.
void readProcessors(const Reader& reader, const ObjectReader& root, Scenario& scenario);
void readQueues(const Reader& reader, const ObjectReader& root, Scenario& scenario);
// The kind-specific keys of one fault entry (broker, link, sides, ...), checked strictly.
void readFaultDetails(const Reader& reader, const JsonValue& entry, const std::string& path, const Scenario& scenario,
    FaultSpec& spec);

} // namespace brokerlab::scenario::detail
