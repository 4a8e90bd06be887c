// libFuzzer target for the Kafka request decoder: any bytes a client can send as one frame. The
// decoder must never crash, hang or read out of bounds; a request it accepts must encode back and
// decode to the same request again (encodeRequest is its inverse), and answering it must not crash.

#include "wire/codec.h"

#include <cstdlib>

namespace {

using namespace brokerlab;

// An answer of the right type for the decoded request, to run the response encoder in its version.
wire::ResponseBody emptyAnswer(const wire::RequestBody& body)
{
    if (std::holds_alternative<protocol::ProduceRequest>(body))
        return protocol::ProduceResponse {};
    if (std::holds_alternative<protocol::FetchRequest>(body))
        return protocol::FetchResponse {};
    if (std::holds_alternative<protocol::ListOffsetsRequest>(body))
        return protocol::ListOffsetsResponse {};
    if (std::holds_alternative<protocol::MetadataRequest>(body))
        return protocol::MetadataResponse {};
    if (std::holds_alternative<protocol::CreateTopicsRequest>(body))
        return protocol::CreateTopicsResponse {};
    if (std::holds_alternative<protocol::DeleteTopicsRequest>(body))
        return protocol::DeleteTopicsResponse {};
    if (std::holds_alternative<protocol::DescribeConfigsRequest>(body))
        return protocol::DescribeConfigsResponse {};
    if (std::holds_alternative<protocol::InitProducerIdRequest>(body))
        return protocol::InitProducerIdResponse {};
    if (std::holds_alternative<protocol::FindCoordinatorRequest>(body))
        return protocol::FindCoordinatorResponse {};
    if (std::holds_alternative<protocol::JoinGroupRequest>(body))
        return protocol::JoinGroupResponse {};
    if (std::holds_alternative<protocol::SyncGroupRequest>(body))
        return protocol::SyncGroupResponse {};
    if (std::holds_alternative<protocol::HeartbeatRequest>(body))
        return protocol::HeartbeatResponse {};
    if (std::holds_alternative<protocol::LeaveGroupRequest>(body))
        return protocol::LeaveGroupResponse {};
    if (std::holds_alternative<protocol::OffsetCommitRequest>(body))
        return protocol::OffsetCommitResponse {};
    if (std::holds_alternative<protocol::OffsetFetchRequest>(body))
        return protocol::OffsetFetchResponse {};
    if (std::holds_alternative<protocol::DescribeGroupsRequest>(body))
        return protocol::DescribeGroupsResponse {};
    if (std::holds_alternative<protocol::ListGroupsRequest>(body))
        return protocol::ListGroupsResponse {};
    if (std::holds_alternative<wire::ConsumerGroupHeartbeatRequest>(body))
        return wire::ConsumerGroupHeartbeatResponse {};
    return wire::ApiVersionsResponse {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const wire::DecodedRequest request = wire::decodeRequest(std::span(data, size));
    if (request.status != wire::DecodeStatus::Ok)
        return 0;
    const std::vector<std::uint8_t> encoded = wire::encodeRequest(request.header, request.body);
    const wire::DecodedRequest again = wire::decodeRequest(std::span(encoded).subspan(4));
    if (again.status != wire::DecodeStatus::Ok || again.header.correlationId != request.header.correlationId)
        std::abort(); // an accepted request that does not survive its own encoding
    (void)wire::encodeResponse(request.header, emptyAnswer(request.body));
    return 0;
}
