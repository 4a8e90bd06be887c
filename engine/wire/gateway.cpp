#include "wire/gateway.h"

#include "driver/engine.h"

namespace brokerlab::wire {

namespace {

template <typename Response>
sim::UniqueFunction<void(Response&&)> forward(ReplyFunction reply)
{
    return [reply = std::move(reply)](Response&& response) { reply(ResponseBody(std::move(response))); };
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

bool serveRequest(
    driver::Engine& engine, std::int32_t brokerId, sim::NodeId client, RequestBody request, ReplyFunction reply)
{
    cluster::Cluster& cluster = engine.cluster();
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
        return cluster.sendMetadata(
            client, brokerId, std::move(*metadata), forward<protocol::MetadataResponse>(std::move(reply)));
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
    return false;
}

} // namespace brokerlab::wire
