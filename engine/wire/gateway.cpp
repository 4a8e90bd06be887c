#include "wire/gateway.h"

#include "driver/engine.h"

#include <algorithm>

namespace brokerlab::wire {

namespace {

template <typename Response>
sim::UniqueFunction<void(Response&&)> forward(ReplyFunction reply)
{
    return [reply = std::move(reply)](Response&& response) { reply(ResponseBody(std::move(response))); };
}

template <typename Request, typename Response>
bool sendGroup(cluster::Cluster& cluster, std::int32_t brokerId, sim::NodeId client, Request& request, ReplyFunction& reply)
{
    return cluster.sendGroupRequest<Request, Response>(
        client, brokerId, std::move(request), forward<Response>(std::move(reply)));
}

// KIP-848's heartbeat names topics by id on the wire and by name in the engine: owned partitions
// of a topic id the cluster does not know are left out (the coordinator cannot have assigned
// them), and the assignment goes back by id.
bool serveConsumerGroupHeartbeat(cluster::Cluster& cluster, std::int32_t brokerId, sim::NodeId client,
    wire::ConsumerGroupHeartbeatRequest& request, ReplyFunction& reply)
{
    const cluster::MetadataImage& image = cluster.controller().image();
    protocol::ConsumerGroupHeartbeatRequest fields = std::move(request.fields);
    if (request.topicPartitions) {
        fields.topicPartitions.emplace();
        for (const auto& owned : *request.topicPartitions) {
            for (const auto& [name, topic] : image.topics) {
                if (topicUuid(topic.topicId) == owned.topicId) {
                    fields.topicPartitions->push_back({ name, owned.partitions });
                    break;
                }
            }
        }
    }
    return cluster.sendGroupRequest<protocol::ConsumerGroupHeartbeatRequest, protocol::ConsumerGroupHeartbeatResponse>(
        client, brokerId, std::move(fields),
        [&cluster, reply = std::move(reply)](protocol::ConsumerGroupHeartbeatResponse&& response) {
            wire::ConsumerGroupHeartbeatResponse answer;
            if (response.assignment) {
                answer.assignment.emplace();
                const cluster::MetadataImage& now = cluster.controller().image();
                for (const auto& assigned : *response.assignment) {
                    if (const cluster::TopicInfo* topic = now.topic(assigned.topic))
                        answer.assignment->push_back({ topicUuid(topic->topicId), assigned.partitions });
                }
            }
            answer.fields = std::move(response);
            reply(ResponseBody(std::move(answer)));
        });
}

// Metadata v12+ may ask for topics by id: known ids become names for the broker; unknown ones are answered
// UNKNOWN_TOPIC_ID with a null name, as Kafka does.
bool serveMetadata(cluster::Cluster& cluster, std::int32_t brokerId, sim::NodeId client,
    protocol::MetadataRequest& request, ReplyFunction& reply)
{
    std::vector<std::string> unknownIds;
    const cluster::MetadataImage& image = cluster.controller().image();
    for (const std::string& id : request.topicIds) {
        const Uuid uuid = topicUuid(id);
        auto known = std::find_if(image.topics.begin(), image.topics.end(),
            [&](const auto& entry) { return topicUuid(entry.second.topicId) == uuid; });
        if (known != image.topics.end() && request.topics)
            request.topics->push_back(known->first);
        else
            unknownIds.push_back(id);
    }
    request.topicIds.clear();
    return cluster.sendMetadata(client, brokerId, std::move(request),
        [unknownIds = std::move(unknownIds), reply = std::move(reply)](protocol::MetadataResponse&& response) {
            for (const std::string& id : unknownIds) {
                protocol::MetadataResponseTopic unknown;
                unknown.errorCode = protocol::ErrorCode::UNKNOWN_TOPIC_ID;
                unknown.topicId = id;
                response.topics.push_back(std::move(unknown));
            }
            reply(ResponseBody(std::move(response)));
        });
}

// The consumer-group APIs go to the broker's group coordinator.
bool serveGroupRequest(
    cluster::Cluster& cluster, std::int32_t brokerId, sim::NodeId client, RequestBody& request, ReplyFunction& reply)
{
    using namespace protocol;
    if (auto* r = std::get_if<FindCoordinatorRequest>(&request))
        return sendGroup<FindCoordinatorRequest, FindCoordinatorResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<JoinGroupRequest>(&request))
        return sendGroup<JoinGroupRequest, JoinGroupResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<SyncGroupRequest>(&request))
        return sendGroup<SyncGroupRequest, SyncGroupResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<HeartbeatRequest>(&request))
        return sendGroup<HeartbeatRequest, HeartbeatResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<LeaveGroupRequest>(&request))
        return sendGroup<LeaveGroupRequest, LeaveGroupResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<OffsetCommitRequest>(&request))
        return sendGroup<OffsetCommitRequest, OffsetCommitResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<OffsetFetchRequest>(&request))
        return sendGroup<OffsetFetchRequest, OffsetFetchResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<DescribeGroupsRequest>(&request))
        return sendGroup<DescribeGroupsRequest, DescribeGroupsResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<ListGroupsRequest>(&request))
        return sendGroup<ListGroupsRequest, ListGroupsResponse>(cluster, brokerId, client, *r, reply);
    if (auto* r = std::get_if<wire::ConsumerGroupHeartbeatRequest>(&request))
        return serveConsumerGroupHeartbeat(cluster, brokerId, client, *r, reply);
    return false;
}

// Counts a real client's request and, when it comes, its answer, for the views (driver::ExternalClients).
ReplyFunction observe(driver::Engine& engine, std::int32_t brokerId, const std::string& clientId,
    const RequestBody& request, ReplyFunction reply)
{
    using namespace protocol;
    driver::ExternalClients& clients = engine.externalClients();
    if (auto* produce = std::get_if<ProduceRequest>(&request)) {
        return [&engine, pending = clients.produceSent(clientId, *produce, engine.now()), reply = std::move(reply)](
                   ResponseBody&& body) {
            if (auto* response = std::get_if<ProduceResponse>(&body))
                engine.externalClients().produceAnswered(pending, *response, engine.now());
            reply(std::move(body));
        };
    }
    if (auto* fetch = std::get_if<FetchRequest>(&request)) {
        return [&clients, pending = clients.fetchSent(clientId, brokerId, *fetch), reply = std::move(reply)](
                   ResponseBody&& body) {
            if (auto* response = std::get_if<FetchResponse>(&body))
                clients.fetchAnswered(pending, *response);
            reply(std::move(body));
        };
    }
    if (std::holds_alternative<LeaveGroupRequest>(request))
        clients.leaveSent(clientId);
    const bool groupApi = std::holds_alternative<JoinGroupRequest>(request)
        || std::holds_alternative<SyncGroupRequest>(request) || std::holds_alternative<HeartbeatRequest>(request)
        || std::holds_alternative<OffsetCommitRequest>(request);
    if (!groupApi)
        return reply;
    const std::string groupId = std::holds_alternative<JoinGroupRequest>(request)
        ? std::get<JoinGroupRequest>(request).groupId
        : std::string();
    return [&clients, clientId, groupId, reply = std::move(reply)](ResponseBody&& body) {
        if (auto* join = std::get_if<JoinGroupResponse>(&body))
            clients.joinAnswered(clientId, groupId, *join);
        else if (auto* sync = std::get_if<SyncGroupResponse>(&body))
            clients.syncAnswered(clientId, sync->errorCode);
        else if (auto* heartbeat = std::get_if<HeartbeatResponse>(&body))
            clients.heartbeatAnswered(clientId, heartbeat->errorCode);
        else if (auto* commit = std::get_if<OffsetCommitResponse>(&body))
            clients.commitAnswered(clientId, *commit);
        reply(std::move(body));
    };
}

} // namespace

ApiVersionsResponse apiVersionsResponse(protocol::ErrorCode error)
{
    ApiVersionsResponse response;
    response.errorCode = error;
    for (const ApiVersionRange& api : supportedApis())
        response.apiKeys.push_back(api);
    return response;
}

bool serveRequest(driver::Engine& engine, std::int32_t brokerId, sim::NodeId client, const std::string& clientId,
    RequestBody request, ReplyFunction reply)
{
    cluster::Cluster& cluster = engine.cluster();
    reply = observe(engine, brokerId, clientId, request, std::move(reply));
    if (auto* produce = std::get_if<protocol::ProduceRequest>(&request))
        return cluster.sendProduce(
            client, brokerId, std::move(*produce), forward<protocol::ProduceResponse>(std::move(reply)));
    if (auto* fetch = std::get_if<protocol::FetchRequest>(&request)) {
        // Only brokers fetch as followers; a real client is always a consumer, whatever it says.
        fetch->replicaId = protocol::kConsumerReplicaId;
        return cluster.sendFetch(client, brokerId, std::move(*fetch), forward<protocol::FetchResponse>(std::move(reply)));
    }
    if (auto* listOffsets = std::get_if<protocol::ListOffsetsRequest>(&request)) {
        listOffsets->replicaId = protocol::kConsumerReplicaId;
        return cluster.sendListOffsets(
            client, brokerId, std::move(*listOffsets), forward<protocol::ListOffsetsResponse>(std::move(reply)));
    }
    if (auto* metadata = std::get_if<protocol::MetadataRequest>(&request))
        return serveMetadata(cluster, brokerId, client, *metadata, reply);
    if (auto* init = std::get_if<protocol::InitProducerIdRequest>(&request))
        return cluster.sendInitProducerId(
            client, brokerId, std::move(*init), forward<protocol::InitProducerIdResponse>(std::move(reply)));
    if (auto* create = std::get_if<protocol::CreateTopicsRequest>(&request))
        return cluster.sendCreateTopics(
            client, brokerId, std::move(*create), forward<protocol::CreateTopicsResponse>(std::move(reply)));
    if (auto* remove = std::get_if<protocol::DeleteTopicsRequest>(&request))
        return cluster.sendDeleteTopics(
            client, brokerId, std::move(*remove), forward<protocol::DeleteTopicsResponse>(std::move(reply)));
    if (auto* describe = std::get_if<protocol::DescribeConfigsRequest>(&request))
        return cluster.sendDescribeConfigs(
            client, brokerId, std::move(*describe), forward<protocol::DescribeConfigsResponse>(std::move(reply)));
    return serveGroupRequest(cluster, brokerId, client, request, reply);
}

} // namespace brokerlab::wire
