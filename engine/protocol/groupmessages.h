#pragma once
// The consumer-group APIs as plain C++ values: FindCoordinator (10), JoinGroup (11), Heartbeat (12),
// LeaveGroup (13), SyncGroup (14), DescribeGroups (15), ListGroups (16), OffsetCommit (8), OffsetFetch (9)
// and ConsumerGroupHeartbeat (68, KIP-848). Field names follow Kafka's message definitions
// (clients/src/main/resources/common/message/*.json). Member metadata and assignments are the opaque
// bytes of the embedded protocol (ConsumerProtocol for consumers, see group/consumerprotocol.h).

#include "protocol/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::protocol {

using ByteString = std::vector<std::uint8_t>;

// Who sent a request, from the request header and the connection (not part of the body).
struct ClientIdentity {
    std::string clientId;
    std::string clientHost;
};

// ---- FindCoordinator (ApiKey 10)
enum class CoordinatorType : std::int8_t { Group = 0, Transaction = 1 };
struct FindCoordinatorRequest {
    std::string key; // the group.id
    CoordinatorType keyType = CoordinatorType::Group;
};
struct FindCoordinatorResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::string errorMessage;
    std::int32_t nodeId = -1;
    std::string host;
    std::int32_t port = -1;
};

// ---- JoinGroup (ApiKey 11)
struct JoinGroupRequestProtocol {
    std::string name; // assignor name, e.g. "range"
    ByteString metadata; // ConsumerProtocolSubscription
};
struct JoinGroupRequest {
    std::string groupId;
    std::int32_t sessionTimeoutMs = 45000;
    std::int32_t rebalanceTimeoutMs = 300000; // the consumer sends max.poll.interval.ms
    std::string memberId; // empty on the first join
    std::optional<std::string> groupInstanceId;
    std::string protocolType = "consumer";
    std::vector<JoinGroupRequestProtocol> protocols;
    std::string reason;
    bool requireKnownMemberId = true; // JoinGroup v4+: the first join gets MEMBER_ID_REQUIRED
    ClientIdentity client;
};
struct JoinGroupResponseMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    ByteString metadata;
};
struct JoinGroupResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::int32_t generationId = -1;
    std::optional<std::string> protocolType;
    std::optional<std::string> protocolName;
    std::string leader;
    bool skipAssignment = false;
    std::string memberId;
    std::vector<JoinGroupResponseMember> members; // only the leader gets them
};

// ---- SyncGroup (ApiKey 14)
struct SyncGroupRequestAssignment {
    std::string memberId;
    ByteString assignment; // ConsumerProtocolAssignment
};
struct SyncGroupRequest {
    std::string groupId;
    std::int32_t generationId = -1;
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::optional<std::string> protocolType;
    std::optional<std::string> protocolName;
    std::vector<SyncGroupRequestAssignment> assignments; // only the leader sends them
};
struct SyncGroupResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::optional<std::string> protocolType;
    std::optional<std::string> protocolName;
    ByteString assignment;
};

// ---- Heartbeat (ApiKey 12)
struct HeartbeatRequest {
    std::string groupId;
    std::int32_t generationId = -1;
    std::string memberId;
    std::optional<std::string> groupInstanceId;
};
struct HeartbeatResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
};

// ---- LeaveGroup (ApiKey 13)
struct MemberIdentity {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string reason;
};
struct LeaveGroupRequest {
    std::string groupId;
    std::vector<MemberIdentity> members; // v0-2 carry exactly one member id
};
struct LeaveGroupMemberResponse {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    ErrorCode errorCode = ErrorCode::NONE;
};
struct LeaveGroupResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::vector<LeaveGroupMemberResponse> members;
};

// ---- OffsetCommit (ApiKey 8)
struct OffsetCommitRequestPartition {
    std::int32_t partitionIndex = 0;
    std::int64_t committedOffset = -1;
    std::int32_t committedLeaderEpoch = -1;
    std::optional<std::string> committedMetadata;
};
struct OffsetCommitRequestTopic {
    std::string name;
    std::vector<OffsetCommitRequestPartition> partitions;
};
struct OffsetCommitRequest {
    std::string groupId;
    std::int32_t generationIdOrMemberEpoch = -1; // -1 with an empty member id: a commit from outside a group
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::vector<OffsetCommitRequestTopic> topics;
};
struct OffsetCommitResponsePartition {
    std::int32_t partitionIndex = 0;
    ErrorCode errorCode = ErrorCode::NONE;
};
struct OffsetCommitResponseTopic {
    std::string name;
    std::vector<OffsetCommitResponsePartition> partitions;
};
struct OffsetCommitResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<OffsetCommitResponseTopic> topics;
};

// ---- OffsetFetch (ApiKey 9)
struct OffsetFetchRequestTopic {
    std::string name;
    std::vector<std::int32_t> partitionIndexes;
};
struct OffsetFetchRequest {
    std::string groupId;
    std::optional<std::vector<OffsetFetchRequestTopic>> topics; // nullopt = every committed partition
    bool requireStable = false;
};
struct OffsetFetchResponsePartition {
    std::int32_t partitionIndex = 0;
    std::int64_t committedOffset = -1; // -1: no committed offset
    std::int32_t committedLeaderEpoch = -1;
    std::optional<std::string> metadata;
    ErrorCode errorCode = ErrorCode::NONE;
};
struct OffsetFetchResponseTopic {
    std::string name;
    std::vector<OffsetFetchResponsePartition> partitions;
};
struct OffsetFetchResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<OffsetFetchResponseTopic> topics;
    ErrorCode errorCode = ErrorCode::NONE;
};

// ---- DescribeGroups (ApiKey 15)
struct DescribeGroupsRequest {
    std::vector<std::string> groups;
};
struct DescribedGroupMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string clientHost;
    ByteString memberMetadata;
    ByteString memberAssignment;
};
struct DescribedGroup {
    ErrorCode errorCode = ErrorCode::NONE;
    std::string groupId;
    std::string groupState; // "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead"
    std::string protocolType;
    std::string protocolData; // the chosen assignor
    std::vector<DescribedGroupMember> members;
};
struct DescribeGroupsResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<DescribedGroup> groups;
};

// ---- ListGroups (ApiKey 16)
struct ListGroupsRequest {
    std::vector<std::string> statesFilter; // empty = every state
};
struct ListedGroup {
    std::string groupId;
    std::string protocolType;
    std::string groupState;
};
struct ListGroupsResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::vector<ListedGroup> groups;
};

// ---- ConsumerGroupHeartbeat (ApiKey 68, KIP-848). Topics are named, not identified by topic id:
// Brokerlab's simulated clients use names everywhere.
struct ConsumerGroupHeartbeatTopicPartitions {
    std::string topic;
    std::vector<std::int32_t> partitions;
};
struct ConsumerGroupHeartbeatRequest {
    std::string groupId;
    std::string memberId; // empty when joining
    std::int32_t memberEpoch = 0; // 0 = join, -1 = leave, -2 = static member leaves temporarily
    std::optional<std::string> instanceId;
    std::optional<std::string> rackId;
    std::int32_t rebalanceTimeoutMs = -1;
    std::optional<std::vector<std::string>> subscribedTopicNames; // nullopt = unchanged
    std::optional<std::string> serverAssignor;
    std::optional<std::vector<ConsumerGroupHeartbeatTopicPartitions>> topicPartitions; // owned; nullopt = unchanged
    ClientIdentity client;
};
struct ConsumerGroupHeartbeatResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::string errorMessage;
    std::string memberId;
    std::int32_t memberEpoch = 0;
    std::int32_t heartbeatIntervalMs = 5000;
    std::optional<std::vector<ConsumerGroupHeartbeatTopicPartitions>> assignment; // nullopt = unchanged
};

} // namespace brokerlab::protocol
