#pragma once
// A scenario: the cluster, its topics, the workloads and the faults, as loaded from a JSON file.
// Format: docs/scenario-format.md, schema: docs/scenario.schema.json.

#include "client/consumer.h"
#include "client/consumerconfig.h"
#include "client/modelledqueue.h"
#include "client/producerconfig.h"
#include "client/streamprocessor.h"
#include "client/workload.h"
#include "cluster/brokerconfig.h"
#include "scenario/json.h"
#include "sim/link.h"
#include "sim/rng.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace brokerlab::scenario {

struct TopicSpec {
    std::string name;
    std::int32_t partitions = 1;
    std::int16_t replicationFactor = 1;
    cluster::TopicConfig config; // resolved: broker defaults overridden by the topic's "config"
};

struct ProducerSpec {
    std::string id; // also client.id unless config sets one
    std::string topic;
    double ratePerSec = 100; // records per second (virtual time); 0 = as fast as the producer can
    std::int64_t startMs = 0;
    std::int64_t stopMs = -1; // -1 = until the end
    std::int64_t maxRecords = -1; // -1 = unlimited
    std::optional<std::int32_t> partition; // explicit partition, else the partitioner
    client::WorkloadSpec workload;
    client::ProducerConfig config;
};

// Processing time per record, drawn from a distribution (ms).
struct ProcessingSpec {
    enum class Kind { Fixed, Uniform, Exponential, Normal, Lognormal };
    Kind kind = Kind::Fixed;
    double meanMs = 0; // fixed, exponential, normal, lognormal (the distribution's mean)
    double minMs = 0, maxMs = 0; // uniform
    double stddevMs = 0; // normal, lognormal
    double draw(sim::Rng& rng) const;
};

struct ConsumerSpec {
    std::string id; // member i gets client.id "<id>-<i>" when members > 1
    std::vector<std::string> topics;
    std::int32_t members = 1; // consumers in the group
    std::int64_t startMs = 0;
    std::int64_t stopMs = -1;
    std::int64_t pollIntervalMs = 100; // time between polls when idle
    double processingMsPerRecord = 0; // simulated processing time per record
    ProcessingSpec processing; // "processing": a distribution; overrides processingMsPerRecord
    client::CommitMode commit = client::CommitMode::Auto; // "commit": auto, sync, async
    client::Delivery delivery = client::Delivery::AtLeastOnce; // "delivery": at-least-once, at-most-once
    bool skipUndeserializable = false; // "on_deserialization_error": retry (poll again) or skip (seek past)
    client::ConsumerConfig config;
    // client.id of member i (0-based), as the engine names them.
    std::string memberClientId(std::int32_t index) const;
};

// A stream processor (docs/scenario-format.md, "processors"): one consumer-group member reading
// `input`, with its own producer for the output topics.
struct ProcessorSpec {
    std::string id; // the default group.id and client.id; the producer is "<id>-producer"
    client::StreamProcessorPlan plan; // topics, filter, map, route; times in ms (start_ms, stop_ms)
    std::int64_t startMs = 0;
    std::int64_t stopMs = -1;
    client::ConsumerConfig consumerConfig;
    client::ProducerConfig producerConfig;
};

// A modelled message queue fed by a producer's workload (docs/scenario-format.md, "queues").
struct QueueSubscriberSpec {
    std::string id;
    std::int64_t startMs = 0;
    std::int64_t stopMs = -1;
    std::int64_t pollIntervalMs = 100;
    double processingMsPerRecord = 0;
    std::int32_t prefetch = 10;
    bool acks = true;
};
struct QueueSpec {
    std::string id;
    client::QueueKind kind = client::QueueKind::DeleteOnAck;
    std::string source; // the id of the producer whose workload records are enqueued too
    std::int64_t visibilityTimeoutMs = 30000; // visibility_timeout only (SQS's default)
    std::vector<QueueSubscriberSpec> subscribers;
};

// A fault entry: kind + virtual start time + optional end; parameters stay JSON until the fault
// layer interprets them (the failover issue).
// Fault kinds, as written in scenario files. Each fault starts at at_ms; with until_ms it ends
// then (a crashed broker restarts, a cut link heals, a slow disk recovers).
inline constexpr std::string_view kFaultKinds[] = { "broker_crash", "power_loss", "broker_shutdown",
    "broker_restart", "broker_pause", "isolate", "network_partition", "link", "slow_disk", "disk_full", "add_broker",
    "consumer_crash", "consumer_pause", "consumer_slow", "consumer_leave", "consumer_join",
    "kill_controller", "clock_skew", "remove_broker", "reassign" };

struct FaultSpec {
    std::string kind;
    std::int64_t atMs = 0;
    std::optional<std::int64_t> untilMs;
    std::int32_t broker = -1; // every kind that hits one broker
    std::vector<std::int32_t> sideA, sideB; // network_partition: broker ids (0, -1, -2 = controller voters)
    std::int32_t from = -1, to = -1; // link
    bool bothDirections = true; // link
    sim::LinkSpec link; // link: latency_ms, jitter_ms, loss
    double delayMs = 0; // slow_disk: each append waits this long
    std::string consumer; // consumer_*: a member's client.id; consumer_join: a consumer entry's id
    double factor = 1; // consumer_slow: processing takes this many times longer
    std::int64_t skewMs = 0; // clock_skew: the broker's wall clock offset
    std::string topic; // reassign
    std::int32_t partition = 0; // reassign
    std::vector<std::int32_t> replicas; // reassign: the new replica list
    JsonValue params; // the whole entry
    int line = 0;
};

struct Scenario {
    std::string name;
    std::string description;
    std::uint64_t seed = 1;
    std::int64_t durationMs = 60000;
    std::int32_t brokers = 3;
    std::vector<std::string> racks; // empty: rack-unaware
    cluster::BrokerConfig brokerConfig;
    sim::LinkSpec network;
    std::vector<TopicSpec> topics;
    std::vector<ProducerSpec> producers;
    std::vector<ConsumerSpec> consumers;
    std::vector<FaultSpec> faults;
    std::vector<ProcessorSpec> processors;
    std::vector<QueueSpec> queues;
};

struct ScenarioError {
    std::string file;
    int line = 0; // 1-based; 0 = not tied to a line (e.g. file unreadable)
    int column = 0;
    std::string field; // JSON path such as producers[0].config.acks
    std::string message;
    std::string toString() const; // "file:line:column: producers[0].config.acks: message"
};

using LoadResult = std::variant<Scenario, ScenarioError>;
LoadResult parseScenario(std::string_view text, const std::string& fileName);
LoadResult loadScenarioFile(const std::string& path);
// Reads an already parsed document (e.g. a lesson's scenario with a variant's patch applied); the
// values' positions are those of the file they came from.
LoadResult parseScenarioDocument(const JsonValue& document, const std::string& fileName);

} // namespace brokerlab::scenario
