#pragma once
// Codecs of the consumer-group APIs (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
// OffsetCommit, OffsetFetch, DescribeGroups, ListGroups), used by requestcodec.cpp and
// responsecodec.cpp. Field order follows Kafka's common/message/*.json.

#include "protocol/groupmessages.h"
#include "wire/wirebuffer.h"

namespace brokerlab::wire {

// Request decoders: each reads one body of the given version.
protocol::FindCoordinatorRequest readFindCoordinator(WireReader& in, std::int16_t version);
protocol::JoinGroupRequest readJoinGroup(WireReader& in, std::int16_t version);
protocol::SyncGroupRequest readSyncGroup(WireReader& in, std::int16_t version);
protocol::HeartbeatRequest readHeartbeat(WireReader& in, std::int16_t version);
protocol::LeaveGroupRequest readLeaveGroup(WireReader& in, std::int16_t version);
protocol::OffsetCommitRequest readOffsetCommit(WireReader& in, std::int16_t version);
protocol::OffsetFetchRequest readOffsetFetch(WireReader& in, std::int16_t version);
protocol::DescribeGroupsRequest readDescribeGroups(WireReader& in, std::int16_t version);
protocol::ListGroupsRequest readListGroups(WireReader& in, std::int16_t version);

// Request encoders (the client side, for tests and tools).
void write(WireWriter& out, std::int16_t version, const protocol::FindCoordinatorRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::JoinGroupRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::SyncGroupRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::HeartbeatRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::LeaveGroupRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::OffsetCommitRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::OffsetFetchRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::DescribeGroupsRequest& request);
void write(WireWriter& out, std::int16_t version, const protocol::ListGroupsRequest& request);

// Response encoders.
void write(WireWriter& out, std::int16_t version, const protocol::FindCoordinatorResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::JoinGroupResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::SyncGroupResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::HeartbeatResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::LeaveGroupResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::OffsetCommitResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::OffsetFetchResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::DescribeGroupsResponse& response);
void write(WireWriter& out, std::int16_t version, const protocol::ListGroupsResponse& response);

} // namespace brokerlab::wire
