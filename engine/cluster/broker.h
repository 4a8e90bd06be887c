#pragma once
// A simulated Kafka broker: holds replicas, answers Produce, Fetch, ListOffsets and Metadata, parks
// acks=all produces and long-poll fetches in its purgatory, fetches as a follower from leaders
// and runs the log retention and cleaner tasks. Everything runs on the sim thread.

#include "cluster/context.h"
#include "cluster/metadata.h"
#include "cluster/replica.h"
#include "protocol/messages.h"
#include "sim/function.h"

#include <cstdint>
#include <map>
#include <memory>
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
};

class Broker {
public:
    Broker(Context& context, Cluster& cluster, std::int32_t id, std::string rack, const BrokerConfig& config);
    ~Broker();

    std::int32_t id() const { return id_; }
    const std::string& rack() const { return rack_; }
    bool isOnline() const { return online_; }
    const BrokerConfig& config() const { return config_; }
    const BrokerCounters& counters() const { return counters_; }

    // Reconciles local replicas with the controller's image: creates, deletes, changes roles.
    void applyMetadata(const MetadataImage& image);
    // Brings the broker up (it starts its periodic tasks and fetchers).
    void start();

    void handleProduce(sim::NodeId from, protocol::ProduceRequest request, Responder<protocol::ProduceResponse> respond);
    void handleFetch(sim::NodeId from, protocol::FetchRequest request, Responder<protocol::FetchResponse> respond);
    void handleListOffsets(protocol::ListOffsetsRequest request, Responder<protocol::ListOffsetsResponse> respond);
    void handleMetadata(const protocol::MetadataRequest& request, Responder<protocol::MetadataResponse> respond);

    Replica* replica(const protocol::TopicPartition& topicPartition);
    const std::map<protocol::TopicPartition, std::unique_ptr<Replica>>& replicas() const { return replicas_; }

private:
    struct DelayedProduce;
    struct DelayedFetch;
    struct Fetcher;

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

    void scheduleLogTasks();
    void scheduleRetention();
    void runRetention();
    void runCleaner();

    Context& context_;
    Cluster& cluster_;
    std::int32_t id_;
    std::string rack_;
    BrokerConfig config_;
    bool online_ = false;
    std::uint64_t incarnation_ = 0; // bumps on restart; stale timers check it
    BrokerCounters counters_;
    std::map<protocol::TopicPartition, std::unique_ptr<Replica>> replicas_;
    std::map<protocol::TopicPartition, std::vector<std::shared_ptr<DelayedProduce>>> produceWaiters_;
    std::map<protocol::TopicPartition, std::vector<std::shared_ptr<DelayedFetch>>> fetchWaiters_;
    std::map<std::int32_t, std::unique_ptr<Fetcher>> fetchers_; // by leader broker id
};

} // namespace brokerlab::cluster
