#pragma once
// Kafka request decoding and response encoding. Requests decode into the same protocol types the
// simulated clients send (protocol/messages.h, protocol/adminmessages.h), so a real client's
// request reaches the very broker handler a simulated one does.

#include "protocol/adminmessages.h"
#include "protocol/groupmessages.h"
#include "protocol/messages.h"
#include "wire/apis.h"
#include "wire/kip848codec.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace brokerlab::wire {

struct RequestHeader {
    std::int16_t apiKey = -1;
    std::int16_t apiVersion = -1;
    std::int32_t correlationId = 0;
    std::optional<std::string> clientId;
};

struct ApiVersionsRequest {
    std::string clientSoftwareName; // v3+
    std::string clientSoftwareVersion; // v3+
};
struct ApiVersionsResponse {
    protocol::ErrorCode errorCode = protocol::ErrorCode::NONE;
    std::vector<ApiVersionRange> apiKeys;
    std::int32_t throttleTimeMs = 0;
};

using RequestBody = std::variant<std::monostate, ApiVersionsRequest, protocol::MetadataRequest,
    protocol::ProduceRequest, protocol::FetchRequest, protocol::ListOffsetsRequest, protocol::CreateTopicsRequest,
    protocol::DeleteTopicsRequest, protocol::DescribeConfigsRequest, protocol::InitProducerIdRequest,
    protocol::FindCoordinatorRequest, protocol::JoinGroupRequest, protocol::SyncGroupRequest, protocol::HeartbeatRequest,
    protocol::LeaveGroupRequest, protocol::OffsetCommitRequest, protocol::OffsetFetchRequest,
    protocol::DescribeGroupsRequest, protocol::ListGroupsRequest, ConsumerGroupHeartbeatRequest>;
using ResponseBody = std::variant<ApiVersionsResponse, protocol::MetadataResponse, protocol::ProduceResponse,
    protocol::FetchResponse, protocol::ListOffsetsResponse, protocol::CreateTopicsResponse,
    protocol::DeleteTopicsResponse, protocol::DescribeConfigsResponse, protocol::InitProducerIdResponse,
    protocol::FindCoordinatorResponse, protocol::JoinGroupResponse, protocol::SyncGroupResponse,
    protocol::HeartbeatResponse, protocol::LeaveGroupResponse, protocol::OffsetCommitResponse,
    protocol::OffsetFetchResponse, protocol::DescribeGroupsResponse, protocol::ListGroupsResponse,
    ConsumerGroupHeartbeatResponse>;

enum class DecodeStatus {
    Ok,
    Malformed, // truncated, a bad length, trailing bytes: the connection is closed
    UnknownApi, // an api key Brokerlab does not speak: closed, as Kafka does
    UnsupportedVersion, // a version outside the advertised range: ApiVersions gets an answer, others are closed
};

struct DecodedRequest {
    DecodeStatus status = DecodeStatus::Malformed;
    bool headerValid = false; // the correlation id is known, so an error answer can be sent
    RequestHeader header;
    RequestBody body;
    std::string error; // what was wrong, for the log
};

// `frame` is one request without its 4-byte size prefix.
DecodedRequest decodeRequest(std::span<const std::uint8_t> frame);
// The body alone, once the header has been read (used by decodeRequest and the tests).
bool decodeRequestBody(std::int16_t apiKey, std::int16_t version, std::span<const std::uint8_t> body,
    RequestBody& out, std::string& error);

// The answer to `header`, framed: 4-byte size, response header, body. ApiVersions always uses
// response header v0, as Kafka does, so a client can read it whatever version it asked for.
std::vector<std::uint8_t> encodeResponse(const RequestHeader& header, const ResponseBody& body);
// The body alone in the given version (no header, no size prefix).
std::vector<std::uint8_t> encodeResponseBody(std::int16_t apiKey, std::int16_t version, const ResponseBody& body);

// Whether Kafka sends a response at all: Produce with acks=0 gets none.
bool expectsResponse(const DecodedRequest& request);

// Request encoding, for tests and tools that play the client: the inverse of decodeRequestBody.
std::vector<std::uint8_t> encodeRequest(const RequestHeader& header, const RequestBody& body);

} // namespace brokerlab::wire
