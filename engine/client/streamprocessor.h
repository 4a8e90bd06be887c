#pragma once
// A stream processor, shaped like a stateless Kafka Streams application: one consumer-group member
// reads an input topic, drops the records a filter rejects, rewrites the JSON values it keeps (map),
// picks an output topic for each (route) and sends them with its own producer. It commits its input
// offsets after each batch, and only once everything the batch produced is acknowledged (Kafka
// Streams flushes its producer before it commits), so a crash repeats records but never loses one.

#include "client/consumer.h"
#include "client/producer.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brokerlab::client {

// A test on one member of a record's JSON value.
struct FieldCondition {
    enum class Op { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Exists, Missing };
    std::string field; // a member of the top-level object, or a dotted path into nested objects ("pickup.lat")
    Op op = Op::Exists;
    std::string operand; // JSON text: 10, "plant-1", true; empty for exists and missing
    // Numbers compare by value, anything else by its JSON text; the ordering operators need two
    // numbers. A value that is not a JSON object, or lacks the member, fails every test but missing.
    bool holds(std::string_view jsonValue) const;
};
std::string_view conditionOpName(FieldCondition::Op op); // "==", "!=", "<", "<=", ">", ">=", "exists", "missing"
std::optional<FieldCondition::Op> conditionOpFromName(std::string_view name);

// How a kept record's value and key change. Values that are not JSON objects pass unchanged.
struct RecordMapping {
    std::vector<std::pair<std::string, std::string>> set; // member -> JSON text, replaced or appended
    std::vector<std::string> remove; // members dropped
    std::string keyField; // not empty: the new key is this member's value (a string without its quotes)
};

struct ProcessorRoute {
    FieldCondition when;
    std::string topic;
};

struct StreamProcessorPlan {
    std::string inputTopic;
    std::vector<FieldCondition> filter; // a record is kept when every condition holds
    RecordMapping map;
    std::vector<ProcessorRoute> routes; // the first route whose condition holds picks the topic
    std::string output; // the topic when no route matches; empty: such records are dropped as unrouted
    sim::SimTime start = 0;
    sim::SimTime stop = sim::kNever;
    std::int64_t pollIntervalMs = 100;
    double processingMsPerRecord = 0;
    // Every topic the processor may write to, routes first, then output, each once.
    std::vector<std::string> outputTopics() const;
};

// What one record becomes: nothing (filtered or unrouted), or a record for a topic.
struct ProcessedRecord {
    enum class Fate { Produced, Filtered, Unrouted };
    Fate fate = Fate::Produced;
    std::string topic;
    std::optional<std::string> key;
    std::optional<std::string> value;
};
ProcessedRecord applyPlan(
    const StreamProcessorPlan& plan, const std::optional<std::string>& key, const std::optional<std::string>& value);

struct ProcessorOutput {
    std::string topic;
    std::int64_t sent = 0; // records handed to the producer
    std::int64_t acked = 0; // ... acknowledged
    std::int64_t failed = 0; // ... whose delivery failed for good
    // Sum of the acknowledged records' hashes (key and value): equal for the same records in any
    // order, so two runs of one topology over one input can be compared.
    std::uint64_t contentHash = 0;
};

struct StreamProcessorCounters {
    std::int64_t recordsIn = 0; // input records processed
    std::int64_t filtered = 0; // ... rejected by the filter
    std::int64_t unrouted = 0; // ... kept, but no route matched and there is no output topic
    std::int64_t commits = 0; // batches whose offsets were committed after a flush
    std::vector<ProcessorOutput> outputs; // in outputTopics() order
};

class StreamProcessor {
public:
    StreamProcessor(cluster::Cluster& cluster, ConsumerConfig consumerConfig, ProducerConfig producerConfig,
        std::uint64_t seed, StreamProcessorPlan plan);
    ~StreamProcessor();
    StreamProcessor(const StreamProcessor&) = delete;
    StreamProcessor& operator=(const StreamProcessor&) = delete;

    // Joins the group at plan.start and runs until plan.stop.
    void start();
    const StreamProcessorPlan& plan() const { return plan_; }
    const Consumer& consumer() const { return *consumer_; }
    Consumer& consumer() { return *consumer_; }
    const Producer& producer() const { return *producer_; }
    const StreamProcessorCounters& counters() const { return counters_; }

private:
    void process(const ConsumedRecord& record);
    void sendPending();
    void onDelivery(const DeliveryReport& report);
    void whenFlushed(std::function<void()> proceed);
    void checkFlushed();
    ProcessorOutput& output(const std::string& topic);

    cluster::Cluster& cluster_;
    StreamProcessorPlan plan_;
    std::unique_ptr<Consumer> consumer_;
    std::unique_ptr<Producer> producer_;
    StreamProcessorCounters counters_;
    std::deque<ProcessedRecord> pending_; // not yet accepted by the producer (no metadata yet, or memory full)
    std::int64_t unacknowledged_ = 0; // accepted by the producer, no delivery report yet
    std::vector<std::function<void()>> flushWaiters_;
    bool retryScheduled_ = false;
};

// The record hash contentHash sums (FNV-1a of key and value, then mixed).
std::uint64_t processorRecordHash(std::optional<std::string_view> key, std::optional<std::string_view> value);

} // namespace brokerlab::client
