#include "wire/groupcodec.h"

#include <limits>

namespace brokerlab::wire {

using namespace protocol;

namespace {

constexpr std::size_t kMinString = 2;

void writeError(WireWriter& out, ErrorCode code) { out.int16(static_cast<std::int16_t>(code)); }

ByteString readBytes(WireReader& in)
{
    auto bytes = in.nullableBytes();
    return bytes ? std::move(*bytes) : ByteString {};
}

std::vector<std::int32_t> readInt32s(WireReader& in)
{
    std::vector<std::int32_t> out;
    const std::int32_t count = in.arrayLength(4);
    for (std::int32_t i = 0; i < count && in.ok(); ++i)
        out.push_back(in.int32());
    return out;
}

} // namespace

// ---- requests

FindCoordinatorRequest readFindCoordinator(WireReader& in, std::int16_t version)
{
    FindCoordinatorRequest request;
    request.key = in.string();
    if (version >= 1)
        request.keyType = static_cast<CoordinatorType>(in.int8());
    return request;
}

JoinGroupRequest readJoinGroup(WireReader& in, std::int16_t version)
{
    JoinGroupRequest request;
    request.groupId = in.string();
    request.sessionTimeoutMs = in.int32();
    // v0 has no rebalance timeout: Kafka uses the session timeout for it.
    request.rebalanceTimeoutMs = version >= 1 ? in.int32() : request.sessionTimeoutMs;
    request.memberId = in.string();
    if (version >= 5)
        request.groupInstanceId = in.nullableString();
    request.protocolType = in.string();
    const std::int32_t protocols = in.arrayLength(kMinString + 4);
    for (std::int32_t i = 0; i < protocols && in.ok(); ++i) {
        JoinGroupRequestProtocol protocol;
        protocol.name = in.string();
        protocol.metadata = readBytes(in);
        request.protocols.push_back(std::move(protocol));
    }
    // KIP-394: from v4 a member without an id first gets MEMBER_ID_REQUIRED.
    request.requireKnownMemberId = version >= 4;
    return request;
}

SyncGroupRequest readSyncGroup(WireReader& in, std::int16_t version)
{
    SyncGroupRequest request;
    request.groupId = in.string();
    request.generationId = in.int32();
    request.memberId = in.string();
    if (version >= 3)
        request.groupInstanceId = in.nullableString();
    const std::int32_t assignments = in.arrayLength(kMinString + 4);
    for (std::int32_t i = 0; i < assignments && in.ok(); ++i) {
        SyncGroupRequestAssignment assignment;
        assignment.memberId = in.string();
        assignment.assignment = readBytes(in);
        request.assignments.push_back(std::move(assignment));
    }
    return request;
}

HeartbeatRequest readHeartbeat(WireReader& in, std::int16_t version)
{
    HeartbeatRequest request;
    request.groupId = in.string();
    request.generationId = in.int32();
    request.memberId = in.string();
    if (version >= 3)
        request.groupInstanceId = in.nullableString();
    return request;
}

LeaveGroupRequest readLeaveGroup(WireReader& in, std::int16_t version)
{
    LeaveGroupRequest request;
    request.groupId = in.string();
    if (version <= 2) {
        MemberIdentity member;
        member.memberId = in.string();
        request.members.push_back(std::move(member));
        return request;
    }
    const std::int32_t members = in.arrayLength(kMinString + 2);
    for (std::int32_t i = 0; i < members && in.ok(); ++i) {
        MemberIdentity member;
        member.memberId = in.string();
        member.groupInstanceId = in.nullableString();
        request.members.push_back(std::move(member));
    }
    return request;
}

OffsetCommitRequest readOffsetCommit(WireReader& in, std::int16_t version)
{
    OffsetCommitRequest request;
    request.groupId = in.string();
    request.generationIdOrMemberEpoch = in.int32();
    request.memberId = in.string();
    if (version >= 2 && version <= 4)
        in.int64(); // retention_time_ms: offsets.retention.minutes applies instead (KIP-211)
    if (version >= 7)
        request.groupInstanceId = in.nullableString();
    const std::int32_t topics = in.arrayLength(kMinString + 4);
    for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
        OffsetCommitRequestTopic topic;
        topic.name = in.string();
        const std::int32_t partitions = in.arrayLength(4 + 8 + 2);
        for (std::int32_t p = 0; p < partitions && in.ok(); ++p) {
            OffsetCommitRequestPartition partition;
            partition.partitionIndex = in.int32();
            partition.committedOffset = in.int64();
            if (version >= 6)
                partition.committedLeaderEpoch = in.int32();
            partition.committedMetadata = in.nullableString();
            topic.partitions.push_back(std::move(partition));
        }
        request.topics.push_back(std::move(topic));
    }
    return request;
}

OffsetFetchRequest readOffsetFetch(WireReader& in, std::int16_t version)
{
    OffsetFetchRequest request;
    request.groupId = in.string();
    const std::int32_t topics = in.arrayLength(kMinString + 4);
    if (topics < 0) {
        if (version < 2)
            in.fail(); // null (all partitions) arrived in v2
        return request;
    }
    std::vector<OffsetFetchRequestTopic> list;
    for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
        OffsetFetchRequestTopic topic;
        topic.name = in.string();
        topic.partitionIndexes = readInt32s(in);
        list.push_back(std::move(topic));
    }
    request.topics = std::move(list);
    return request;
}

DescribeGroupsRequest readDescribeGroups(WireReader& in, std::int16_t version)
{
    DescribeGroupsRequest request;
    const std::int32_t groups = in.arrayLength(kMinString);
    for (std::int32_t i = 0; i < groups && in.ok(); ++i)
        request.groups.push_back(in.string());
    if (version >= 3)
        in.boolean(); // include_authorized_operations: Brokerlab has no ACLs
    return request;
}

ListGroupsRequest readListGroups(WireReader&, std::int16_t) { return {}; }

void write(WireWriter& out, std::int16_t version, const FindCoordinatorRequest& request)
{
    out.string(request.key);
    if (version >= 1)
        out.int8(static_cast<std::int8_t>(request.keyType));
}

void write(WireWriter& out, std::int16_t version, const JoinGroupRequest& request)
{
    out.string(request.groupId);
    out.int32(request.sessionTimeoutMs);
    if (version >= 1)
        out.int32(request.rebalanceTimeoutMs);
    out.string(request.memberId);
    if (version >= 5)
        out.nullableString(request.groupInstanceId);
    out.string(request.protocolType);
    out.arrayLength(request.protocols.size());
    for (const auto& protocol : request.protocols) {
        out.string(protocol.name);
        out.bytes(protocol.metadata);
    }
}

void write(WireWriter& out, std::int16_t version, const SyncGroupRequest& request)
{
    out.string(request.groupId);
    out.int32(request.generationId);
    out.string(request.memberId);
    if (version >= 3)
        out.nullableString(request.groupInstanceId);
    out.arrayLength(request.assignments.size());
    for (const auto& assignment : request.assignments) {
        out.string(assignment.memberId);
        out.bytes(assignment.assignment);
    }
}

void write(WireWriter& out, std::int16_t version, const HeartbeatRequest& request)
{
    out.string(request.groupId);
    out.int32(request.generationId);
    out.string(request.memberId);
    if (version >= 3)
        out.nullableString(request.groupInstanceId);
}

void write(WireWriter& out, std::int16_t version, const LeaveGroupRequest& request)
{
    out.string(request.groupId);
    if (version <= 2) {
        out.string(request.members.empty() ? std::string() : request.members.front().memberId);
        return;
    }
    out.arrayLength(request.members.size());
    for (const auto& member : request.members) {
        out.string(member.memberId);
        out.nullableString(member.groupInstanceId);
    }
}

void write(WireWriter& out, std::int16_t version, const OffsetCommitRequest& request)
{
    out.string(request.groupId);
    out.int32(request.generationIdOrMemberEpoch);
    out.string(request.memberId);
    if (version >= 2 && version <= 4)
        out.int64(-1);
    if (version >= 7)
        out.nullableString(request.groupInstanceId);
    out.arrayLength(request.topics.size());
    for (const auto& topic : request.topics) {
        out.string(topic.name);
        out.arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            out.int32(partition.partitionIndex);
            out.int64(partition.committedOffset);
            if (version >= 6)
                out.int32(partition.committedLeaderEpoch);
            out.nullableString(partition.committedMetadata);
        }
    }
}

void write(WireWriter& out, std::int16_t, const OffsetFetchRequest& request)
{
    out.string(request.groupId);
    if (!request.topics) {
        out.int32(-1);
        return;
    }
    out.arrayLength(request.topics->size());
    for (const auto& topic : *request.topics) {
        out.string(topic.name);
        out.arrayLength(topic.partitionIndexes.size());
        for (std::int32_t index : topic.partitionIndexes)
            out.int32(index);
    }
}

void write(WireWriter& out, std::int16_t version, const DescribeGroupsRequest& request)
{
    out.arrayLength(request.groups.size());
    for (const auto& group : request.groups)
        out.string(group);
    if (version >= 3)
        out.boolean(false);
}

void write(WireWriter&, std::int16_t, const ListGroupsRequest&) { }

// ---- responses

void write(WireWriter& out, std::int16_t version, const FindCoordinatorResponse& response)
{
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    writeError(out, response.errorCode);
    if (version >= 1)
        out.nullableString(response.errorMessage.empty() ? std::nullopt : std::optional(response.errorMessage));
    out.int32(response.nodeId);
    out.string(response.host);
    out.int32(response.port);
}

void write(WireWriter& out, std::int16_t version, const JoinGroupResponse& response)
{
    if (version >= 2)
        out.int32(response.throttleTimeMs);
    writeError(out, response.errorCode);
    out.int32(response.generationId);
    out.string(response.protocolName.value_or(std::string())); // not nullable before v7
    out.string(response.leader);
    out.string(response.memberId);
    out.arrayLength(response.members.size());
    for (const auto& member : response.members) {
        out.string(member.memberId);
        if (version >= 5)
            out.nullableString(member.groupInstanceId);
        out.bytes(member.metadata);
    }
}

void write(WireWriter& out, std::int16_t version, const SyncGroupResponse& response)
{
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    writeError(out, response.errorCode);
    out.bytes(response.assignment);
}

void write(WireWriter& out, std::int16_t version, const HeartbeatResponse& response)
{
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    writeError(out, response.errorCode);
}

void write(WireWriter& out, std::int16_t version, const LeaveGroupResponse& response)
{
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    // Before v3 a request names one member and the answer is that member's outcome.
    ErrorCode error = response.errorCode;
    if (version <= 2 && error == ErrorCode::NONE && !response.members.empty())
        error = response.members.front().errorCode;
    writeError(out, error);
    if (version >= 3) {
        out.arrayLength(response.members.size());
        for (const auto& member : response.members) {
            out.string(member.memberId);
            out.nullableString(member.groupInstanceId);
            writeError(out, member.errorCode);
        }
    }
}

void write(WireWriter& out, std::int16_t version, const OffsetCommitResponse& response)
{
    if (version >= 3)
        out.int32(response.throttleTimeMs);
    out.arrayLength(response.topics.size());
    for (const auto& topic : response.topics) {
        out.string(topic.name);
        out.arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            out.int32(partition.partitionIndex);
            writeError(out, partition.errorCode);
        }
    }
}

void write(WireWriter& out, std::int16_t version, const OffsetFetchResponse& response)
{
    if (version >= 3)
        out.int32(response.throttleTimeMs);
    out.arrayLength(response.topics.size());
    for (const auto& topic : response.topics) {
        out.string(topic.name);
        out.arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            out.int32(partition.partitionIndex);
            out.int64(partition.committedOffset);
            if (version >= 5)
                out.int32(partition.committedLeaderEpoch);
            out.nullableString(partition.metadata);
            writeError(out, partition.errorCode);
        }
    }
    if (version >= 2)
        writeError(out, response.errorCode);
}

void write(WireWriter& out, std::int16_t version, const DescribeGroupsResponse& response)
{
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    out.arrayLength(response.groups.size());
    for (const auto& group : response.groups) {
        writeError(out, group.errorCode);
        out.string(group.groupId);
        out.string(group.groupState);
        out.string(group.protocolType);
        out.string(group.protocolData);
        out.arrayLength(group.members.size());
        for (const auto& member : group.members) {
            out.string(member.memberId);
            if (version >= 4)
                out.nullableString(member.groupInstanceId);
            out.string(member.clientId);
            out.string(member.clientHost);
            out.bytes(member.memberMetadata);
            out.bytes(member.memberAssignment);
        }
        if (version >= 3)
            out.int32(std::numeric_limits<std::int32_t>::min()); // authorized_operations: not requested
    }
}

void write(WireWriter& out, std::int16_t version, const ListGroupsResponse& response)
{
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    writeError(out, response.errorCode);
    out.arrayLength(response.groups.size());
    for (const auto& group : response.groups) {
        out.string(group.groupId);
        out.string(group.protocolType);
    }
}

} // namespace brokerlab::wire
