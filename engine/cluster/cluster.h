#pragma once
// The simulated cluster: the controller, the brokers, and the request paths between clients and
// brokers over the simulated network. One instance lives on the sim thread.

#include "cluster/broker.h"
#include "cluster/controller.h"
#include "cluster/quorum.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace brokerlab::cluster {

inline constexpr sim::NodeId kFirstClientNode = 1000;

// Config names and text for CreateTopics and DescribeConfigs. The scenario layer knows how to
// parse and print every config (scenario/configapply.h) and installs this; without it CreateTopics
// refuses configs and DescribeConfigs lists none.
struct ConfigTextCodec {
    // Applies one `name=value`; returns an error message, or an empty string when applied.
    std::function<std::string(TopicConfig&, const std::string& name, const std::string& value)> applyTopic;
    // Every config of the scope with its value, in the registry's order.
    std::function<std::vector<std::pair<std::string, std::string>>(const TopicConfig&)> describeTopic;
    std::function<std::vector<std::pair<std::string, std::string>>(const BrokerConfig&)> describeBroker;
};

using OnDisconnect = sim::UniqueFunction<void()>;

class Cluster {
public:
    Cluster(Context& context, BrokerConfig config);
    ~Cluster();

    Context& context() { return context_; }
    Controller& controller() { return controller_; }
    const Controller& controller() const { return controller_; }
    ControllerQuorum& quorum() { return quorum_; }
    const ControllerQuorum& quorum() const { return quorum_; }
    // The controller voter broker `id` currently sends its heartbeats to.
    std::int32_t controllerKnownBy(std::int32_t brokerId) const;
    const BrokerConfig& config() const { return config_; }

    // Adds and starts a broker with the next id (1, 2, 3, ...).
    Broker& addBroker(std::string rack = {});
    Broker* broker(std::int32_t id);
    const std::vector<std::unique_ptr<Broker>>& brokers() const { return brokers_; }
    std::vector<std::int32_t> brokerIds() const;

    CreateTopicResult createTopic(const std::string& name, std::int32_t partitions, std::int32_t replicationFactor,
        const TopicConfig& config);
    // Resolved config for a new topic: the broker-level defaults.
    TopicConfig defaultTopicConfig() const { return config_.topicDefaults; }

    // Producer ids for idempotent producers (InitProducerId), from the controller's block.
    std::int64_t allocateProducerId() { return nextProducerId_++; }

    void setConfigTextCodec(ConfigTextCodec codec) { configCodec_ = std::move(codec); }
    const ConfigTextCodec& configTextCodec() const { return configCodec_; }

    // Network node ids for clients, handed out in creation order (deterministic).
    sim::NodeId allocateClientNode() { return nextClientNode_++; }

    // Request paths. The callback runs at the sender when the response arrives; it never runs if
    // the request or the response was lost (the sender times out, as with a broken connection).
    // `onDisconnect`, when given, runs at the sender instead if the broker's process dies before
    // answering: its connection closes and every request in flight on it fails at once, as Kafka's
    // NetworkClient reports a disconnect (a power loss, a cut link or a pause closes nothing).
    bool sendProduce(sim::NodeId from, std::int32_t broker, protocol::ProduceRequest request,
        sim::UniqueFunction<void(protocol::ProduceResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    bool sendFetch(sim::NodeId from, std::int32_t broker, protocol::FetchRequest request,
        sim::UniqueFunction<void(protocol::FetchResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    bool sendListOffsets(sim::NodeId from, std::int32_t broker, protocol::ListOffsetsRequest request,
        sim::UniqueFunction<void(protocol::ListOffsetsResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    bool sendMetadata(sim::NodeId from, std::int32_t broker, protocol::MetadataRequest request,
        sim::UniqueFunction<void(protocol::MetadataResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    bool sendInitProducerId(sim::NodeId from, std::int32_t broker, protocol::InitProducerIdRequest request,
        sim::UniqueFunction<void(protocol::InitProducerIdResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    bool sendCreateTopics(sim::NodeId from, std::int32_t broker, protocol::CreateTopicsRequest request,
        sim::UniqueFunction<void(protocol::CreateTopicsResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    bool sendDeleteTopics(sim::NodeId from, std::int32_t broker, protocol::DeleteTopicsRequest request,
        sim::UniqueFunction<void(protocol::DeleteTopicsResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    bool sendDescribeConfigs(sim::NodeId from, std::int32_t broker, protocol::DescribeConfigsRequest request,
        sim::UniqueFunction<void(protocol::DescribeConfigsResponse&&)> onResponse, OnDisconnect onDisconnect = {});
    // Consumer-group requests to a broker's group coordinator: FindCoordinator, JoinGroup, SyncGroup,
    // Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups, ListGroups and
    // ConsumerGroupHeartbeat (instantiated for exactly those request/response pairs).
    template <typename Request, typename Response>
    bool sendGroupRequest(sim::NodeId from, std::int32_t broker, Request request,
        sim::UniqueFunction<void(Response&&)> onResponse, OnDisconnect onDisconnect = {});

    // Broker -> controller paths: to the active controller as far as the broker knows. A voter that
    // is not active answers NOT_CONTROLLER with the leader it knows; an unanswered heartbeat makes
    // the broker try the next voter of controller.quorum.voters.
    void sendHeartbeat(std::int32_t broker, bool wantShutdown, std::uint64_t incarnation,
        sim::UniqueFunction<void(const HeartbeatResponse&)> onResponse);
    void sendAlterPartition(AlterPartitionRequest request, sim::UniqueFunction<void(protocol::ErrorCode)> onResponse);

private:
    void publish(std::shared_ptr<const MetadataImage> image);
    template <typename Request, typename Response, typename Handler>
    bool roundTrip(sim::NodeId from, std::int32_t brokerId, std::int64_t requestBytes, Request request, Handler handler,
        sim::UniqueFunction<void(Response&&)> onResponse, OnDisconnect onDisconnect);

    struct ControllerChannel {
        std::int32_t voter = 0;
        bool awaiting = false;
    };
    void heartbeatVia(std::int32_t broker, bool wantShutdown, std::uint64_t incarnation, bool retried,
        sim::UniqueFunction<void(const HeartbeatResponse&)> onResponse);

    Context& context_;
    BrokerConfig config_;
    Controller controller_;
    ControllerQuorum quorum_;
    std::map<std::int32_t, ControllerChannel> channels_;
    std::vector<std::unique_ptr<Broker>> brokers_;
    sim::NodeId nextClientNode_ = kFirstClientNode;
    std::int64_t nextProducerId_ = 1000;
    ConfigTextCodec configCodec_;
};

} // namespace brokerlab::cluster
