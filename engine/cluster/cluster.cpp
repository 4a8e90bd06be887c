#include "cluster/cluster.h"

#include <algorithm>

namespace brokerlab::cluster {

namespace {

// Approximate request and response sizes for the network's bandwidth model: the record bytes
// dominate, framing adds a little per topic and partition.
constexpr std::int64_t kRequestOverhead = 64;
constexpr std::int64_t kPerPartitionOverhead = 32;

std::int64_t sizeOf(const protocol::ProduceRequest& request)
{
    std::int64_t bytes = kRequestOverhead;
    for (const auto& topic : request.topicData) {
        bytes += static_cast<std::int64_t>(topic.name.size());
        for (const auto& partition : topic.partitionData)
            bytes += kPerPartitionOverhead + static_cast<std::int64_t>(partition.bytes().size());
    }
    return bytes;
}

std::int64_t sizeOf(const protocol::FetchResponse& response)
{
    std::int64_t bytes = kRequestOverhead;
    for (const auto& topic : response.responses) {
        bytes += static_cast<std::int64_t>(topic.topic.size());
        for (const auto& partition : topic.partitions)
            bytes += kPerPartitionOverhead + static_cast<std::int64_t>(partition.records.size());
    }
    return bytes;
}

// Responses are small except a fetch's, which carries records.
template <typename Response>
std::int64_t responseBytes(const Response&)
{
    return kRequestOverhead;
}

std::int64_t responseBytes(const protocol::FetchResponse& response) { return sizeOf(response); }

} // namespace

Cluster::Cluster(Context& context, BrokerConfig config)
    : context_(context)
    , config_(std::move(config))
    , controller_(context, config_)
    , quorum_(context, config_, config_.controllerQuorumVoters)
{
    // Every controller change is a record in the quorum's metadata log; brokers learn it once it
    // is committed.
    controller_.setPublisher([this](std::shared_ptr<const MetadataImage> image) { quorum_.append(std::move(image)); });
    quorum_.setListeners(
        [this](std::int32_t voter, std::shared_ptr<const MetadataImage> image) { controller_.activate(voter, std::move(image)); },
        [this] { controller_.deactivate(); },
        [this](std::shared_ptr<const MetadataImage> image) { publish(std::move(image)); });
    quorum_.start(controller_.imagePointer());
}

std::int32_t Cluster::controllerKnownBy(std::int32_t brokerId) const
{
    auto it = channels_.find(brokerId);
    return it == channels_.end() ? 0 : it->second.voter;
}

Cluster::~Cluster() = default;

Broker& Cluster::addBroker(std::string rack)
{
    const auto id = static_cast<std::int32_t>(brokers_.size()) + 1;
    brokers_.push_back(std::make_unique<Broker>(context_, *this, id, rack, config_));
    Broker& added = *brokers_.back();
    controller_.registerBroker(id, std::move(rack));
    added.start();
    return added;
}

Broker* Cluster::broker(std::int32_t id)
{
    if (id < 1 || id > static_cast<std::int32_t>(brokers_.size()))
        return nullptr;
    return brokers_[static_cast<std::size_t>(id - 1)].get();
}

std::vector<std::int32_t> Cluster::brokerIds() const
{
    std::vector<std::int32_t> ids;
    for (const auto& broker : brokers_)
        ids.push_back(broker->id());
    return ids;
}

CreateTopicResult Cluster::createTopic(
    const std::string& name, std::int32_t partitions, std::int32_t replicationFactor, const TopicConfig& config)
{
    return controller_.createTopic(name, partitions, replicationFactor, config);
}

void Cluster::publish(std::shared_ptr<const MetadataImage> image)
{
    // Brokers learn metadata over the network, so a broker cut off from the controller keeps
    // acting on what it last heard, as a real one does. (A broker's metadata fetch is a long
    // poll: the active controller answers it as soon as a record commits, modelled as a send.)
    const sim::NodeId from = controllerNode(std::max(0, quorum_.activeIndex()));
    for (auto& broker : brokers_) {
        Broker* target = broker.get();
        context_.network.send(from, target->id(), kRequestOverhead, [target, image] { target->applyMetadata(image); });
    }
}

void Cluster::sendHeartbeat(std::int32_t brokerId, bool wantShutdown, std::uint64_t incarnation,
    sim::UniqueFunction<void(const HeartbeatResponse&)> onResponse)
{
    ControllerChannel& channel = channels_[brokerId];
    if (channel.awaiting) // the previous heartbeat went unanswered: try the next voter
        channel.voter = (channel.voter + 1) % quorum_.size();
    heartbeatVia(brokerId, wantShutdown, incarnation, false, std::move(onResponse));
}

void Cluster::heartbeatVia(std::int32_t brokerId, bool wantShutdown, std::uint64_t incarnation, bool retried,
    sim::UniqueFunction<void(const HeartbeatResponse&)> onResponse)
{
    ControllerChannel& channel = channels_[brokerId];
    channel.awaiting = true;
    const std::int32_t voter = channel.voter;
    Broker* sender = broker(brokerId);
    // What the broker has applied of the metadata log, and how its previous process ended.
    const std::int64_t metadataOffset = sender && sender->metadata() ? sender->metadata()->version : 0;
    const bool cleanShutdown = !sender || sender->lastShutdownClean();
    context_.network.send(brokerId, controllerNode(voter), kRequestOverhead,
        [this, brokerId, voter, wantShutdown, incarnation, retried, metadataOffset, cleanShutdown,
            onResponse = std::move(onResponse)]() mutable {
            if (!quorum_.isActive(voter)) {
                // NOT_CONTROLLER, with the leader this voter knows of.
                const std::int32_t hint = quorum_.leaderKnownBy(voter);
                context_.network.send(controllerNode(voter), brokerId, kRequestOverhead,
                    [this, brokerId, voter, hint, wantShutdown, incarnation, retried,
                        onResponse = std::move(onResponse)]() mutable {
                        ControllerChannel& back = channels_[brokerId];
                        back.awaiting = false;
                        if (hint < 0 || hint == voter) {
                            back.voter = (voter + 1) % quorum_.size();
                            return;
                        }
                        back.voter = hint;
                        if (!retried)
                            heartbeatVia(brokerId, wantShutdown, incarnation, true, std::move(onResponse));
                    });
                return;
            }
            if (controller_.shouldRegister(brokerId)) {
                if (Broker* joining = broker(brokerId))
                    controller_.registerBroker(brokerId, joining->rack());
            }
            const HeartbeatResponse response
                = controller_.onHeartbeat(brokerId, wantShutdown, incarnation, metadataOffset, cleanShutdown);
            // KRaft answers once the records the heartbeat caused are committed. The answer also
            // carries the newest committed metadata, so a broker that missed an update (it was
            // down or cut off) catches up here.
            quorum_.whenCommitted(quorum_.logEndOffset(voter),
                [this, brokerId, voter, response, onResponse = std::move(onResponse)]() mutable {
                    Broker* target = broker(brokerId);
                    auto image = quorum_.committedImage();
                    context_.network.send(controllerNode(voter), brokerId, kRequestOverhead,
                        [this, brokerId, target, image, response, onResponse = std::move(onResponse)]() mutable {
                            channels_[brokerId].awaiting = false;
                            if (target)
                                target->applyMetadata(image);
                            onResponse(response);
                        });
                });
        });
}

void Cluster::sendAlterPartition(AlterPartitionRequest request, sim::UniqueFunction<void(protocol::ErrorCode)> onResponse)
{
    const std::int32_t from = request.brokerId;
    const std::int32_t voter = controllerKnownBy(from);
    context_.network.send(from, controllerNode(voter), kRequestOverhead,
        [this, from, voter, request = std::move(request), onResponse = std::move(onResponse)]() mutable {
            const protocol::ErrorCode error
                = quorum_.isActive(voter) ? controller_.onAlterPartition(request) : protocol::ErrorCode::NOT_CONTROLLER;
            auto reply = [this, from, voter, error, onResponse = std::move(onResponse)]() mutable {
                context_.network.send(controllerNode(voter), from, kRequestOverhead,
                    [error, onResponse = std::move(onResponse)]() mutable { onResponse(error); });
            };
            if (error == protocol::ErrorCode::NONE)
                quorum_.whenCommitted(quorum_.logEndOffset(voter), std::move(reply));
            else
                reply();
        });
}

// Every client -> broker request takes the same path: over the network to the broker, into its
// handler, and the response back over the network to the sender.
template <typename Request, typename Response, typename Handler>
bool Cluster::roundTrip(sim::NodeId from, std::int32_t brokerId, std::int64_t requestBytes, Request request,
    Handler handler, sim::UniqueFunction<void(Response&&)> onResponse, OnDisconnect onDisconnect)
{
    Broker* target = broker(brokerId);
    if (!target)
        return false;
    sim::Network& network = context_.network;
    const sim::ExchangeId exchange = onDisconnect ? network.openExchange(from, brokerId, std::move(onDisconnect)) : 0;
    const bool sent = network.send(
        from, brokerId, requestBytes,
        [this, from, target, exchange, handler, request = std::move(request),
            onResponse = std::move(onResponse)]() mutable {
            handler(*target, from, std::move(request),
                Responder<Response>([this, from, target, exchange, onResponse = std::move(onResponse)](
                                        Response&& response) mutable {
                    const std::int64_t bytes = responseBytes(response);
                    context_.network.send(
                        target->id(), from, bytes,
                        [this, exchange, response = std::move(response), onResponse = std::move(onResponse)]() mutable {
                            context_.network.closeExchange(exchange);
                            onResponse(std::move(response));
                        },
                        exchange);
                }));
        },
        exchange);
    if (!sent)
        network.closeExchange(exchange);
    return sent;
}

bool Cluster::sendProduce(sim::NodeId from, std::int32_t brokerId, protocol::ProduceRequest request,
    sim::UniqueFunction<void(protocol::ProduceResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    const std::int64_t bytes = sizeOf(request);
    return roundTrip(
        from, brokerId, bytes, std::move(request),
        [](Broker& broker, sim::NodeId sender, protocol::ProduceRequest&& received,
            Responder<protocol::ProduceResponse> respond) {
            broker.handleProduce(sender, std::move(received), std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

bool Cluster::sendFetch(sim::NodeId from, std::int32_t brokerId, protocol::FetchRequest request,
    sim::UniqueFunction<void(protocol::FetchResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId sender, protocol::FetchRequest&& received,
            Responder<protocol::FetchResponse> respond) {
            broker.handleFetch(sender, std::move(received), std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

bool Cluster::sendListOffsets(sim::NodeId from, std::int32_t brokerId, protocol::ListOffsetsRequest request,
    sim::UniqueFunction<void(protocol::ListOffsetsResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId, protocol::ListOffsetsRequest&& received,
            Responder<protocol::ListOffsetsResponse> respond) {
            broker.handleListOffsets(std::move(received), std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

bool Cluster::sendMetadata(sim::NodeId from, std::int32_t brokerId, protocol::MetadataRequest request,
    sim::UniqueFunction<void(protocol::MetadataResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId, protocol::MetadataRequest&& received,
            Responder<protocol::MetadataResponse> respond) { broker.handleMetadata(received, std::move(respond)); },
        std::move(onResponse), std::move(onDisconnect));
}

bool Cluster::sendInitProducerId(sim::NodeId from, std::int32_t brokerId, protocol::InitProducerIdRequest request,
    sim::UniqueFunction<void(protocol::InitProducerIdResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId, protocol::InitProducerIdRequest&& received,
            Responder<protocol::InitProducerIdResponse> respond) {
            broker.handleInitProducerId(received, std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

bool Cluster::sendCreateTopics(sim::NodeId from, std::int32_t brokerId, protocol::CreateTopicsRequest request,
    sim::UniqueFunction<void(protocol::CreateTopicsResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId, protocol::CreateTopicsRequest&& received,
            Responder<protocol::CreateTopicsResponse> respond) {
            broker.handleCreateTopics(received, std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

bool Cluster::sendDeleteTopics(sim::NodeId from, std::int32_t brokerId, protocol::DeleteTopicsRequest request,
    sim::UniqueFunction<void(protocol::DeleteTopicsResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId, protocol::DeleteTopicsRequest&& received,
            Responder<protocol::DeleteTopicsResponse> respond) {
            broker.handleDeleteTopics(received, std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

bool Cluster::sendDescribeConfigs(sim::NodeId from, std::int32_t brokerId, protocol::DescribeConfigsRequest request,
    sim::UniqueFunction<void(protocol::DescribeConfigsResponse&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId, protocol::DescribeConfigsRequest&& received,
            Responder<protocol::DescribeConfigsResponse> respond) {
            broker.handleDescribeConfigs(received, std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

namespace {

// One overload per group API: which coordinator handler serves it.
template <typename Response>
using Reply = GroupResponder<Response>;
void dispatch(GroupCoordinator& c, protocol::FindCoordinatorRequest&& r, Reply<protocol::FindCoordinatorResponse> reply)
{
    c.handleFindCoordinator(r, std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::JoinGroupRequest&& r, Reply<protocol::JoinGroupResponse> reply)
{
    c.handleJoinGroup(std::move(r), std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::SyncGroupRequest&& r, Reply<protocol::SyncGroupResponse> reply)
{
    c.handleSyncGroup(std::move(r), std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::HeartbeatRequest&& r, Reply<protocol::HeartbeatResponse> reply)
{
    c.handleHeartbeat(r, std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::LeaveGroupRequest&& r, Reply<protocol::LeaveGroupResponse> reply)
{
    c.handleLeaveGroup(r, std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::OffsetCommitRequest&& r, Reply<protocol::OffsetCommitResponse> reply)
{
    c.handleOffsetCommit(std::move(r), std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::OffsetFetchRequest&& r, Reply<protocol::OffsetFetchResponse> reply)
{
    c.handleOffsetFetch(r, std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::DescribeGroupsRequest&& r, Reply<protocol::DescribeGroupsResponse> reply)
{
    c.handleDescribeGroups(r, std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::ListGroupsRequest&& r, Reply<protocol::ListGroupsResponse> reply)
{
    c.handleListGroups(r, std::move(reply));
}
void dispatch(GroupCoordinator& c, protocol::ConsumerGroupHeartbeatRequest&& r,
    Reply<protocol::ConsumerGroupHeartbeatResponse> reply)
{
    c.handleConsumerGroupHeartbeat(std::move(r), std::move(reply));
}

} // namespace

template <typename Request, typename Response>
bool Cluster::sendGroupRequest(sim::NodeId from, std::int32_t brokerId, Request request,
    sim::UniqueFunction<void(Response&&)> onResponse, OnDisconnect onDisconnect)
{
    return roundTrip(
        from, brokerId, kRequestOverhead, std::move(request),
        [](Broker& broker, sim::NodeId, Request&& received, Responder<Response> respond) {
            dispatch(broker.groupCoordinator(), std::move(received), std::move(respond));
        },
        std::move(onResponse), std::move(onDisconnect));
}

#define BROKERLAB_GROUP_API(name)                                                                                      \
    template bool Cluster::sendGroupRequest<protocol::name##Request, protocol::name##Response>(sim::NodeId,            \
        std::int32_t, protocol::name##Request, sim::UniqueFunction<void(protocol::name##Response &&)>, OnDisconnect);
BROKERLAB_GROUP_API(FindCoordinator)
BROKERLAB_GROUP_API(JoinGroup)
BROKERLAB_GROUP_API(SyncGroup)
BROKERLAB_GROUP_API(Heartbeat)
BROKERLAB_GROUP_API(LeaveGroup)
BROKERLAB_GROUP_API(OffsetCommit)
BROKERLAB_GROUP_API(OffsetFetch)
BROKERLAB_GROUP_API(DescribeGroups)
BROKERLAB_GROUP_API(ListGroups)
BROKERLAB_GROUP_API(ConsumerGroupHeartbeat)
#undef BROKERLAB_GROUP_API

} // namespace brokerlab::cluster
