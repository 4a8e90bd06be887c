#pragma once
// Real clients (kcat, a librdkafka or Java service over the Kafka protocol, engine/wire) as the views see them:
// a producer entry and a consumer entry per client.id, counted from the requests they send and the answers the
// brokers give them. Kafka itself groups a client's metrics and quotas by client.id the same way, so two
// processes sharing one client.id (librdkafka's default is "rdkafka") show as one entry; the group view still
// lists each member by its member id. Sim thread only; nothing here enters the trace.

#include "driver/snapshot.h"
#include "protocol/groupmessages.h"
#include "protocol/messages.h"
#include "sim/scheduler.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace brokerlab::driver {

class ExternalClients {
public:
    // What an answer needs from its request, taken before the request goes to the broker.
    struct PendingProduce {
        std::string clientId;
        std::vector<std::pair<protocol::TopicPartition, std::int64_t>> records; // per partition sent
        sim::SimTime sentAt = 0;
    };
    struct PendingFetch {
        std::string clientId;
        std::int32_t broker = -1;
        std::map<protocol::TopicPartition, std::int64_t> fetchOffsets;
    };

    PendingProduce produceSent(const std::string& clientId, const protocol::ProduceRequest& request, sim::SimTime now);
    void produceAnswered(const PendingProduce& pending, const protocol::ProduceResponse& response, sim::SimTime now);
    PendingFetch fetchSent(const std::string& clientId, std::int32_t broker, const protocol::FetchRequest& request);
    void fetchAnswered(const PendingFetch& pending, const protocol::FetchResponse& response);

    void joinAnswered(
        const std::string& clientId, const std::string& groupId, const protocol::JoinGroupResponse& response);
    void syncAnswered(const std::string& clientId, protocol::ErrorCode error);
    void heartbeatAnswered(const std::string& clientId, protocol::ErrorCode error);
    void commitAnswered(const std::string& clientId, const protocol::OffsetCommitResponse& response);
    void leaveSent(const std::string& clientId);

    // Appends every real client to the snapshot's producers and consumers (after the simulated ones), marked
    // `external`.
    void addTo(Snapshot& snapshot) const;
    bool empty() const { return producers_.empty() && consumers_.empty(); }

private:
    ConsumerSnapshot& consumer(const std::string& clientId);

    std::map<std::string, ProducerSnapshot> producers_; // by client.id
    std::map<std::string, ConsumerSnapshot> consumers_;
};

} // namespace brokerlab::driver
