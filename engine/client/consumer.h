#pragma once
// A simulated Kafka consumer, shaped like KafkaConsumer: poll() hands out buffered records up to
// max.poll.records; a fetcher keeps one Fetch in flight per broker for the assigned partitions
// that have nothing buffered, honouring fetch.min.bytes and fetch.max.wait.ms at the broker;
// positions start from seek() or auto.offset.reset (ListOffsets).

#include "client/consumerconfig.h"
#include "client/consumercoordinator.h"
#include "cluster/cluster.h"
#include "log/record.h"
#include "protocol/topicpartition.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::client {

struct ConsumedRecord {
    protocol::TopicPartition topicPartition;
    log::Record record;
};

struct ConsumerCounters {
    std::int64_t consumed = 0; // records returned by poll()
    std::int64_t polls = 0;
    std::int64_t fetchRequests = 0;
    std::int64_t bytesFetched = 0;
    std::int64_t offsetResets = 0;
    std::int64_t errors = 0;
    std::int64_t deserializationErrors = 0; // RecordDeserializationExceptions poll() threw
    std::int64_t skipped = 0; // undeserializable records the application seeked past
    sim::SimTime stuckUs = 0; // time poll() kept throwing on one record, over the episodes that ended
    sim::SimTime stuckSince = -1; // start of the current episode; -1: not stuck
    std::int64_t stuckMs(sim::SimTime now) const { return (stuckUs + (stuckSince < 0 ? 0 : now - stuckSince)) / 1000; }
};

// What poll() throws when value.deserializer rejects a record (Kafka's RecordDeserializationException).
// The position stays on that record: every poll() throws again until the application seeks past it.
struct RecordDeserializationError {
    protocol::TopicPartition topicPartition;
    std::int64_t offset = -1;
    std::string message;
};

struct PartitionPosition {
    protocol::TopicPartition topicPartition;
    std::int64_t position = -1; // next offset poll() returns; -1 = unknown (reset pending)
    std::int64_t highWatermark = -1; // from the last fetch response
    std::int64_t logStartOffset = -1;
    std::int32_t leader = -1;
    std::int64_t lag() const { return position < 0 || highWatermark < 0 ? -1 : std::max<std::int64_t>(0, highWatermark - position); }
};

// How the simulated application commits what it consumed.
enum class CommitMode { Auto, Sync, Async }; // enable.auto.commit, commitSync(), commitAsync()
enum class Delivery { AtLeastOnce, AtMostOnce }; // commit after processing, or before

struct PollLoopPlan {
    sim::SimTime start = 0;
    sim::SimTime stop = sim::kNever;
    std::int64_t pollIntervalMs = 100; // poll(timeout) when nothing is buffered
    double processingMsPerRecord = 0;
    // Draws one record's processing time in ms; when set it replaces processingMsPerRecord.
    std::function<double()> processingMs;
    CommitMode commit = CommitMode::Auto;
    Delivery delivery = Delivery::AtLeastOnce;
    // On a RecordDeserializationException: seek past the record (true), or log it and poll again (false),
    // which retries the same record for ever.
    bool skipUndeserializable = false;
    // Called after a batch is processed, before its offsets are committed and the next poll; the
    // loop goes on when `proceed` is called (a stream processor first waits for its producer's acks).
    std::function<void(std::function<void()> proceed)> beforeCommit;
};

class Consumer {
public:
    using RecordListener = std::function<void(const ConsumedRecord&)>;

    Consumer(cluster::Cluster& cluster, ConsumerConfig config);
    ~Consumer();
    Consumer(const Consumer&) = delete;
    Consumer& operator=(const Consumer&) = delete;

    const ConsumerConfig& config() const { return config_; }
    const std::string& clientId() const { return config_.clientId; }
    sim::NodeId node() const { return node_; }
    const ConsumerCounters& counters() const { return counters_; }
    void setRecordListener(RecordListener listener) { recordListener_ = std::move(listener); }

    void assign(const std::vector<protocol::TopicPartition>& partitions);
    // Joins group.id and consumes the partitions its coordinator hands out.
    void subscribe(const std::vector<std::string>& topics);
    const ConsumerCoordinator* groupMember() const { return coordinator_.get(); }
    // The application has finished processing a record (after its processing time).
    void setProcessedListener(RecordListener listener) { processedListener_ = std::move(listener); }
    // Scripted behaviour: the application stops polling (heartbeats go on), or slows down.
    void pauseApplication(bool paused);
    void setSlowdown(double factor) { slowdown_ = factor; }
    // close(): commits (auto-commit) and leaves the group; crash(): the process dies.
    void close();
    void crash();
    bool crashed() const { return crashed_; }
    std::vector<protocol::TopicPartition> assignment() const;
    void seek(const protocol::TopicPartition& partition, std::int64_t offset);
    // Looks the offset up with ListOffsets(timestamp); the position is unknown until it answers.
    void seekToTimestamp(const protocol::TopicPartition& partition, std::int64_t timestampMs);
    void seekToBeginning(const protocol::TopicPartition& partition);
    void seekToEnd(const protocol::TopicPartition& partition);
    std::optional<std::int64_t> position(const protocol::TopicPartition& partition) const;
    std::vector<PartitionPosition> positions() const;

    // Returns up to max.poll.records buffered records and advances positions past them. A record
    // value.deserializer rejects ends the batch before it; when it comes first, poll() returns nothing
    // and deserializationError() says why (Kafka's poll() throws).
    std::vector<ConsumedRecord> poll();
    const std::optional<RecordDeserializationError>& deserializationError() const { return pollError_; }
    // Runs a simulated application: poll, process each record for processingMsPerRecord, repeat.
    void runPollLoop(PollLoopPlan plan);
    void stop();

private:
    struct PartitionState;
    enum class ResetTarget { Earliest, Latest, Timestamp };

    PartitionState* state(const protocol::TopicPartition& partition);
    void requestMetadata();
    void onMetadata(protocol::MetadataResponse&& response);
    void resetOffset(PartitionState& partition, ResetTarget target, std::int64_t timestampMs = 0);
    void retryResetLater(PartitionState& partition, ResetTarget target, std::int64_t timestampMs);
    void onFetchConnectionFailed(std::int32_t broker);
    void maybeSendFetches();
    using FetchOffsets = std::map<protocol::TopicPartition, std::int64_t>;
    void onFetchResponse(
        std::int32_t broker, std::uint64_t requestId, const FetchOffsets& offsets, protocol::FetchResponse&& response);
    void pollLoopStep();
    void raiseDeserializationError(RecordDeserializationError error);
    void endStuckEpisodeIfMoved();

    cluster::Cluster& cluster_;
    cluster::Context& context_;
    ConsumerConfig config_;
    sim::NodeId node_;
    ConsumerCounters counters_;
    RecordListener recordListener_;
    std::map<protocol::TopicPartition, std::unique_ptr<PartitionState>> partitions_;
    std::map<std::int32_t, std::uint64_t> fetchInFlight_; // broker -> request id
    std::map<std::int32_t, sim::SimTime> fetchSentAt_;
    std::map<std::int32_t, sim::SimTime> reconnectAt_; // broker -> no fetch before (its connection failed)
    std::uint64_t nextRequestId_ = 1;
    std::uint64_t nextResetRequest_ = 0; // ListOffsets requests for offset resets
    bool metadataInFlight_ = false;
    sim::SimTime metadataRequestedAt_ = 0;
    std::int32_t bootstrapIndex_ = 0;
    std::size_t pollRotation_ = 0;
    std::optional<RecordDeserializationError> pollError_; // what the last poll() threw
    std::optional<protocol::TopicPartition> failedPartition_; // its next record fails: poll() starts there
    std::optional<RecordDeserializationError> stuckOn_; // the record poll() keeps throwing on

    struct ProcessingBatch {
        std::vector<ConsumedRecord> records;
        sim::SimTime start = 0;
        std::vector<sim::SimTime> doneAfterUs; // record i is processed this long after start
    };
    void processBatch(std::vector<ConsumedRecord> records, std::uint64_t token);
    void abandonProcessing(); // stopped mid-batch: only the records finished by now were processed
    std::shared_ptr<ProcessingBatch> processing_; // the batch the application is working through
    void commitAndPoll(std::uint64_t token);
    std::unique_ptr<ConsumerCoordinator> coordinator_;
    std::vector<std::string> subscription_;
    std::map<std::string, std::int32_t> partitionCounts_; // from metadata, for the group leader
    RecordListener processedListener_;
    bool applicationPaused_ = false;
    bool crashed_ = false;
    double slowdown_ = 1.0;
    PollLoopPlan loop_;
    bool looping_ = false;
    bool waitingInPoll_ = false;
    bool stopped_ = false;
    std::uint64_t pollWakeToken_ = 0;
};

} // namespace brokerlab::client
