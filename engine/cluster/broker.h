#pragma once
// A simulated Kafka broker: holds replicas, answers Produce, Fetch, ListOffsets and Metadata, parks
// acks=all produces and long-poll fetches in its purgatory, fetches as a follower from leaders,
// manages the ISR of the partitions it leads, heartbeats to the controller and runs the log
// retention and cleaner tasks. Everything runs on the sim thread.

#include "cluster/context.h"
#include "cluster/groupcoordinator.h"
#include "cluster/metadata.h"
#include "cluster/partitionindex.h"
#include "cluster/replica.h"
#include "protocol/adminmessages.h"
#include "protocol/messages.h"
#include "sim/function.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

namespace brokerlab::cluster {

class Cluster;

template <typename Response>
using Responder = sim::UniqueFunction<void(Response&&)>;

struct BrokerCounters {
    std::int64_t produceRequests = 0;
    std::int64_t fetchRequests = 0;
    std::int64_t recordsIn = 0;
    std::int64_t bytesIn = 0;
    std::int64_t bytesOut = 0; // fetched by consumers and followers
    std::int64_t errors = 0;
    std::int64_t truncatedRecords = 0; // removed from this broker's logs by truncation or power loss
    // ... of which by a follower truncating to where its leader-epoch history meets the leader's
    // (KIP-101/279): records it had past the high watermark that the new leader never got.
    std::int64_t epochTruncatedRecords = 0;
};

// What the process is doing, as opposed to what the controller thinks (BrokerState).
enum class ProcessState { Running, Crashed, ShuttingDown, Stopped, Paused };
std::string_view processStateName(ProcessState state);

class Broker {
public:
    Broker(Context& context, Cluster& cluster, std::int32_t id, std::string rack, const BrokerConfig& config);
    ~Broker();

    std::int32_t id() const { return id_; }
    const std::string& rack() const { return rack_; }
    bool isOnline() const { return process_ == ProcessState::Running || process_ == ProcessState::ShuttingDown; }
    ProcessState processState() const { return process_; }
    const BrokerConfig& config() const { return config_; }
    const BrokerCounters& counters() const { return counters_; }
    const MetadataImage* metadata() const { return image_.get(); }

    // Reconciles local replicas with the controller's image: creates, deletes, changes roles.
    void applyMetadata(std::shared_ptr<const MetadataImage> image);
    // Brings the broker up: heartbeats, periodic tasks, fetchers.
    void start();

    // ---- Faults
    // The process dies; the OS and its page cache survive, so every appended byte is kept.
    void crash();
    // The machine loses power: the unflushed tail of every log is gone.
    void powerLoss();
    // Controlled shutdown: the controller moves leadership away, then the process stops.
    void shutdown();
    // Starts again after a crash, power loss or shutdown: logs are recovered (CRC check, torn
    // tail truncated), then the broker registers and catches up as a follower.
    void restart();
    // The process freezes (SIGSTOP, a long GC pause): it runs nothing, its sockets fill up, its
    // heartbeats stop. resume() carries on where it stopped: overdue parked requests expire, the
    // backlog of messages is processed, and it learns what changed while it was away.
    void pause();
    void resume();
    // Slow disk: every append waits this long first (0 = healthy).
    void setDiskDelay(sim::SimTime delay) { diskDelay_ = delay; }
    sim::SimTime diskDelay() const { return diskDelay_; }
    // Clock skew: this broker's wall clock runs `skewMs` ahead (negative: behind) of true time. It
    // rolls segments by segment.ms, deletes by retention.ms, flushes by flush.ms and compacts
    // with it (it would stamp LogAppendTime too; message.timestamp.type is not simulated yet).
    void setClockSkewMs(std::int64_t skewMs) { clockSkewMs_ = skewMs; }
    std::int64_t clockSkewMs() const { return clockSkewMs_; }
    std::int64_t wallClockMs() const;
    // Whether the previous process ended with a controlled shutdown (KIP-966 cares).
    bool lastShutdownClean() const { return cleanShutdown_; }
    // Disk full: appends fail with KAFKA_STORAGE_ERROR.
    void setDiskFull(bool full) { diskFull_ = full; }
    bool diskFull() const { return diskFull_; }

    void handleProduce(sim::NodeId from, protocol::ProduceRequest request, Responder<protocol::ProduceResponse> respond);
    void handleFetch(sim::NodeId from, protocol::FetchRequest request, Responder<protocol::FetchResponse> respond);
    void handleListOffsets(protocol::ListOffsetsRequest request, Responder<protocol::ListOffsetsResponse> respond);
    void handleMetadata(const protocol::MetadataRequest& request, Responder<protocol::MetadataResponse> respond);
    // Admin and producer-id requests (brokeradmin.cpp). Every broker forwards them to the
    // controller, as a KRaft broker does, so any live broker can take them.
    void handleInitProducerId(
        const protocol::InitProducerIdRequest& request, Responder<protocol::InitProducerIdResponse> respond);
    void handleCreateTopics(const protocol::CreateTopicsRequest& request, Responder<protocol::CreateTopicsResponse> respond);
    void handleDeleteTopics(const protocol::DeleteTopicsRequest& request, Responder<protocol::DeleteTopicsResponse> respond);
    void handleDescribeConfigs(
        const protocol::DescribeConfigsRequest& request, Responder<protocol::DescribeConfigsResponse> respond);

    // The group coordinator for the __consumer_offsets partitions this broker leads.
    GroupCoordinator& groupCoordinator() { return *groupCoordinator_; }
    const GroupCoordinator& groupCoordinator() const { return *groupCoordinator_; }
    Cluster& cluster() { return cluster_; }

    Replica* replica(std::string_view topic, std::int32_t partition);
    Replica* replica(const protocol::TopicPartition& topicPartition)
    {
        return replica(topicPartition.topic, topicPartition.partition);
    }
    const std::map<protocol::TopicPartition, std::unique_ptr<Replica>>& replicas() const { return replicas_; }

private:
    struct DelayedProduce;
    struct DelayedFetch;
    struct Fetcher;

    void stopProcess(ProcessState state, sim::Departure departure = sim::Departure::ProcessExit);
    void startTimers();
    void produceAfterDisk(protocol::ProduceRequest request, Responder<protocol::ProduceResponse> respond);
    void onHighWatermarkAdvanced(Replica& replica);
    void onLeaderAppend(Replica& replica);
    void tryCompleteFetches(const protocol::TopicPartition& topicPartition);
    void completeProduceWaiters(Replica& replica);
    bool fillFetchResponse(DelayedFetch& fetch, bool final);
    void expireProduce(const std::shared_ptr<DelayedProduce>& produce);
    void expireFetch(const std::shared_ptr<DelayedFetch>& fetch);

    void updateFetchers();
    void sendFollowerFetch(std::int32_t leader);
    void onFollowerFetchResponse(std::int32_t leader, std::uint64_t requestId, protocol::FetchResponse&& response);
    void checkFetcherTimeout(std::int32_t leader);
    void retryFetchAfterBackoff(std::int32_t leader); // replica.fetch.backoff.ms, then fetch again
    void truncateFollower(Replica& follower, std::int64_t offset, const std::string& why);

    void sendHeartbeat();
    void scheduleIsrCheck();
    void checkIsr(); // shrink: followers that lag past replica.lag.time.max.ms
    void maybeExpandIsr(Replica& leader, std::int32_t follower);
    void proposeIsr(Replica& leader, std::vector<std::int32_t> isr);

    void scheduleLogTasks();
    void scheduleRetention();
    void runRetention();
    void runCleaner();
    template <typename F>
    void every(sim::SimTime interval, F&& task);

    Context& context_;
    Cluster& cluster_;
    std::int32_t id_;
    std::string rack_;
    BrokerConfig config_;
    ProcessState process_ = ProcessState::Stopped;
    std::uint64_t incarnation_ = 0; // bumps on every start, stop, pause and resume; stale timers check it
    std::uint64_t processIncarnation_ = 0; // bumps when a new process starts; the controller sees it
    bool fencedByController_ = false;
    sim::SimTime diskDelay_ = 0;
    bool diskFull_ = false;
    std::int64_t clockSkewMs_ = 0;
    bool cleanShutdown_ = true;
    BrokerCounters counters_;
    std::shared_ptr<const MetadataImage> image_;
    std::map<protocol::TopicPartition, std::unique_ptr<Replica>> replicas_;
    PartitionIndex<Replica*> replicaIndex_; // the same replicas, for lookups on the fetch path
    std::map<protocol::TopicPartition, std::vector<std::shared_ptr<DelayedProduce>>> produceWaiters_;
    // Parked fetches by each partition they wait on (an empty vector: none).
    PartitionIndex<std::vector<std::shared_ptr<DelayedFetch>>> fetchWaiters_;
    std::map<std::int32_t, std::unique_ptr<Fetcher>> fetchers_; // by leader broker id
    std::set<protocol::TopicPartition> isrChangeInFlight_;
    std::unique_ptr<GroupCoordinator> groupCoordinator_;
};

} // namespace brokerlab::cluster
