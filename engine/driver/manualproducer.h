#pragma once
// Records a person writes by hand (the explorer's Produce dialog, Re-publish, JSON Lines import),
// sent by real simulated producers: each record goes through a producer's accumulator into a
// RecordBatch, over the simulated network to the partition leader, which appends it as any
// producer's batch. Each send is a job whose listener hears every record's fate.
//
// Lives on the engine's thread, like the engine that owns it; listeners are called there too.

#include "client/producer.h"
#include "protocol/errors.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::driver {

struct ManualRecord {
    std::optional<std::int32_t> partition; // none: the default partitioner (murmur2 of the key; sticky for null)
    std::optional<std::string> key;
    std::optional<std::string> value; // none: a tombstone
    std::vector<log::RecordHeader> headers;
    std::optional<std::int64_t> timestampMs; // CreateTime; none: the producer's clock
};

struct ManualSendOptions {
    std::string topic;
    std::int16_t acks = -1; // acks: 0, 1 or -1 (all)
    // false: retries=0 and no idempotence, so the broker's first answer (NOT_ENOUGH_REPLICAS, ...)
    // is what the person sees. true: Kafka's defaults (idempotent, retried until delivery.timeout.ms).
    bool retry = false;
};

// Records firstIndex .. firstIndex+count-1 of a job (indexes into the records it was given), which
// landed in one partition at baseOffset.. (or failed with `error`; cancelled: never sent).
struct ManualDelivery {
    std::size_t firstIndex = 0;
    std::size_t count = 0;
    std::int32_t partition = -1;
    std::int64_t baseOffset = -1; // -1 when failed, cancelled, or acks=0
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string message;
    bool cancelled = false;
};

using ManualListener = std::function<void(const ManualDelivery&)>;

class ManualProducer {
public:
    ManualProducer(cluster::Cluster& cluster, std::uint64_t seed);
    ~ManualProducer();
    ManualProducer(const ManualProducer&) = delete;
    ManualProducer& operator=(const ManualProducer&) = delete;

    // Queues `records` for `options.topic` and returns the job's id (> 0). Returns 0 and sends
    // nothing when the topic does not exist or a record names a partition it does not have; `error`
    // then says which (as Kafka names it: UNKNOWN_TOPIC_OR_PARTITION).
    std::uint64_t send(const ManualSendOptions& options, std::vector<ManualRecord> records, ManualListener listener,
        std::string* error = nullptr);
    // Drops the job's records not yet handed to a producer (reported as cancelled); those already
    // in a batch are delivered. False when the job is unknown or finished.
    bool cancel(std::uint64_t job);
    bool idle() const; // no job has records left to hand over or deliveries outstanding

private:
    struct Job;
    struct Run {
        std::uint64_t job = 0;
        std::size_t firstIndex = 0;
        std::size_t count = 0;
        std::size_t delivered = 0;
    };
    client::Producer& producerFor(const ManualSendOptions& options);
    void pump();
    bool handOver(std::uint64_t id, Job& job); // one record to its producer; false when send() refused
    void onDelivery(std::size_t producer, const client::DeliveryReport& report);
    void finishIfDone(std::uint64_t job);

    cluster::Cluster& cluster_;
    std::uint64_t seed_;
    std::vector<std::unique_ptr<client::Producer>> producers_; // one per (acks, retry) in use
    std::vector<std::pair<std::int16_t, bool>> producerKeys_; // parallel to producers_
    std::vector<std::int64_t> nextRecordId_; // parallel: the id the producer gives its next record
    std::vector<std::map<std::int64_t, Run>> runs_; // parallel: record id of a run's first record -> run
    std::map<std::uint64_t, std::unique_ptr<Job>> jobs_;
    std::uint64_t nextJob_ = 1;
    bool pumpScheduled_ = false;
    bool pumping_ = false;
    bool repump_ = false;
};

} // namespace brokerlab::driver
