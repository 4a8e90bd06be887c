#pragma once
// A simulated Kafka producer, shaped like KafkaProducer: the application appends records to an
// accumulator (one queue of batches per partition), a sender drains ready batches (full, or older
// than linger.ms) into one ProduceRequest per broker, with at most
// max.in.flight.requests.per.connection requests outstanding, retries retriable errors until
// delivery.timeout.ms, and reports every batch's fate.

#include "client/latencyhistogram.h"
#include "client/partitioner.h"
#include "client/producerconfig.h"
#include "client/workload.h"
#include "cluster/cluster.h"
#include "log/recordbatch.h"
#include "protocol/topicpartition.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::client {

struct DeliveryReport {
    protocol::TopicPartition topicPartition;
    std::int64_t baseOffset = -1; // -1 when failed or acks=0
    std::int32_t recordCount = 0;
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string errorMessage;
    std::int64_t firstRecordId = -1; // the producer's running record number of the first record
    sim::SimTime createdAt = 0;
    sim::SimTime completedAt = 0;
    // With record tracking on (history checking): one hash and key per record, in batch order.
    const std::vector<std::uint64_t>* recordHashes = nullptr;
    const std::vector<std::optional<std::string>>* recordKeys = nullptr;
    // With record id tracking on: each record's running number, in batch order (a batch takes
    // records of one partition, so its ids need not be consecutive).
    const std::vector<std::int64_t>* recordIds = nullptr;
};

// Hashes a record's key and value (null = nullopt) for the history checker.
using RecordHasher = std::uint64_t (*)(std::optional<std::string_view> key, std::optional<std::string_view> value);

struct ProducerCounters {
    std::int64_t produced = 0; // records handed to send()
    std::int64_t acked = 0; // records acknowledged (or sent, with acks=0)
    std::int64_t failed = 0; // records whose delivery failed for good
    std::int64_t retries = 0; // batches re-sent
    std::int64_t requests = 0;
    std::int64_t batches = 0;
    std::int64_t bytesSent = 0; // RecordBatch bytes (after compression)
    std::int64_t uncompressedBytes = 0;
    std::int64_t bufferedBytes = 0; // held in the accumulator and in flight
    std::int64_t inFlightRequests = 0;
    std::int64_t latencySumUs = 0; // batch creation to acknowledgement, summed over acknowledged records
    std::int64_t latencyMaxUs = 0;
    LatencyHistogram latency; // the same, per record: percentiles
};

struct WorkloadPlan {
    std::string topic;
    WorkloadSpec workload;
    double ratePerSec = 100; // 0 = as fast as buffer.memory allows
    sim::SimTime start = 0;
    sim::SimTime stop = sim::kNever;
    std::int64_t maxRecords = -1;
    std::optional<std::int32_t> partition;
};

class Producer {
public:
    using DeliveryListener = std::function<void(const DeliveryReport&)>;

    Producer(cluster::Cluster& cluster, ProducerConfig config, std::uint64_t seed);
    ~Producer();
    Producer(const Producer&) = delete;
    Producer& operator=(const Producer&) = delete;

    const ProducerConfig& config() const { return config_; }
    const std::string& clientId() const { return config_.clientId; }
    sim::NodeId node() const { return node_; }
    const ProducerCounters& counters() const { return counters_; }
    std::int64_t producerId() const { return producerId_; }
    void setDeliveryListener(DeliveryListener listener) { deliveryListener_ = std::move(listener); }
    // Keeps every record's hash and key until its delivery report (costs memory and time: the
    // benchmark runs without it).
    void setRecordTracking(RecordHasher hasher) { hasher_ = hasher; }
    // Keeps every record's running number (0, 1, ... in send() order) until its delivery report.
    void setRecordIdTracking(bool on) { trackRecordIds_ = on; }
    // Sees every record a workload generates, once the accumulator took it (a modelled queue fed by
    // the same workload).
    using WorkloadListener = std::function<void(const GeneratedRecord&)>;
    void setWorkloadListener(WorkloadListener listener) { workloadListener_ = std::move(listener); }

    // Fetches metadata from a bootstrap broker; send() works before that (records wait).
    void start();
    // Generates records from a workload at a rate, in virtual time.
    void runWorkload(WorkloadPlan plan);
    // The application's send(): false when buffer.memory is exhausted or the topic's metadata has not
    // arrived yet (the caller should wait). `timestampMs` is the ProducerRecord's timestamp (CreateTime);
    // without one the record gets the producer's clock, as in Kafka.
    bool send(const std::string& topic, std::optional<std::int32_t> partition, const std::string* key,
        const std::string* value, const std::vector<log::RecordHeader>& headers = {},
        std::optional<std::int64_t> timestampMs = std::nullopt);
    // Stops generating; batches already accepted are still delivered.
    void stopWorkloads();
    bool idle() const; // nothing buffered or in flight

private:
    struct Batch;
    struct PartitionQueue;
    struct TopicState;
    struct InFlight;

    TopicState& topicState(const std::string& topic);
    bool append(TopicState& topic, std::optional<std::int32_t> explicitPartition, const std::string* key,
        const std::string* value, const std::vector<log::RecordHeader>& headers,
        std::optional<std::int64_t> timestampMs = std::nullopt);
    void sealBatch(PartitionQueue& queue);
    void buildBatch(PartitionQueue& queue, Batch& batch);
    bool awaitingProducerId() const;
    void requestProducerId();
    void onProducerId(std::uint64_t attemptId, protocol::InitProducerIdResponse&& response);
    void wakeSender(sim::SimTime at);
    void runSender();
    void sendTo(std::int32_t broker, std::vector<std::unique_ptr<Batch>> batches);
    void onProduceResponse(std::uint64_t requestId, protocol::ProduceResponse&& response);
    void failOrRetry(std::unique_ptr<Batch> batch, protocol::ErrorCode error, std::string message);
    // Fails (or retries) every batch of a request in flight: no answer in time, or a closed connection.
    void failInFlight(std::uint64_t requestId, protocol::ErrorCode error, const std::string& message);
    void complete(std::unique_ptr<Batch> batch, std::int64_t baseOffset, protocol::ErrorCode error, std::string message);
    void expireTimedOut();
    void requestMetadata();
    void onMetadata(protocol::MetadataResponse&& response);
    void onMetadataDisconnect(sim::SimTime requestedAt);
    void workloadTick(std::size_t plan);

    cluster::Cluster& cluster_;
    cluster::Context& context_;
    ProducerConfig config_;
    sim::Rng rng_;
    sim::NodeId node_;
    std::int64_t producerId_ = log::kNoProducerId;
    std::int16_t producerEpoch_ = log::kNoProducerEpoch;
    ProducerCounters counters_;
    DeliveryListener deliveryListener_;
    RecordHasher hasher_ = nullptr;
    bool trackRecordIds_ = false;
    WorkloadListener workloadListener_;

    std::map<std::string, std::unique_ptr<TopicState>> topics_;
    std::vector<std::unique_ptr<log::BatchBuilder>> builderPool_;
    std::map<std::int32_t, std::int32_t> inFlightPerBroker_;
    std::map<std::uint64_t, std::unique_ptr<InFlight>> inFlight_;
    std::uint64_t nextRequestId_ = 1;
    sim::SimTime senderWakeAt_ = sim::kNever;
    bool metadataInFlight_ = false;
    sim::SimTime metadataRequestedAt_ = 0;
    std::int32_t bootstrapIndex_ = 0;
    bool timeoutArmed_ = false;
    sim::SimTime producerIdRequestedAt_ = sim::kNever;
    std::uint64_t producerIdAttempt_ = 0;

    struct PlanState {
        WorkloadPlan plan;
        std::unique_ptr<Workload> workload;
        GeneratedRecord scratch;
        std::int64_t generated = 0;
        double credit = 0; // records owed at the plan's rate
        sim::SimTime lastTick = 0;
        bool waitingForMemory = false;
        bool stopped = false;
    };
    std::vector<PlanState> plans_;
    std::int64_t nextRecordId_ = 0;
};

} // namespace brokerlab::client
