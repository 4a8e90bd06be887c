#pragma once
// The coordinator's per-group state, shared by the classic protocol (groupcoordinator.cpp) and
// KIP-848's (groupkip848.cpp). Private to engine/cluster.

#include "cluster/groupcoordinator.h"
#include "group/assignor.h"

namespace brokerlab::cluster {

struct GroupCoordinator::Member {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string clientHost;
    std::int32_t sessionTimeoutMs = 45000;
    std::int32_t rebalanceTimeoutMs = 300000;
    std::string protocolType;
    std::vector<protocol::JoinGroupRequestProtocol> protocols;
    protocol::ByteString assignment; // classic: this generation's ConsumerProtocolAssignment
    GroupResponder<protocol::JoinGroupResponse> awaitingJoin;
    GroupResponder<protocol::SyncGroupResponse> awaitingSync;
    std::uint64_t sessionToken = 0;
    bool isNew = false;
    // KIP-848
    std::int32_t memberEpoch = -1;
    std::int32_t previousMemberEpoch = -1; // Kafka accepts it once more when the bump's response was lost
    std::vector<protocol::TopicPartition> assigned; // what the last response gave it (sorted)
    std::vector<std::string> subscribedTopics;
    std::vector<protocol::TopicPartition> owned; // what the member last said it owns
    std::vector<protocol::TopicPartition> target; // its share of the group's target assignment
};

struct GroupCoordinator::Group {
    std::string groupId;
    std::int32_t partition = 0; // of __consumer_offsets
    GroupState state = GroupState::Empty;
    std::int32_t generation = 0; // the group epoch under KIP-848
    std::string protocolType;
    std::optional<std::string> protocolName;
    std::string leaderId;
    std::map<std::string, Member> members;
    std::map<std::string, std::string> staticMembers; // group.instance.id -> member id
    std::set<std::string> pendingMembers; // got MEMBER_ID_REQUIRED, not joined yet
    std::map<protocol::TopicPartition, CommittedOffset> offsets;
    std::uint64_t joinToken = 0;
    bool initialDelay = false;
    bool newMemberAdded = false;
    std::int32_t initialDelayRemainingMs = 0;
    sim::SimTime rebalanceStart = -1;
    std::string rebalanceReason;
    std::int64_t rebalances = 0;
    std::int64_t rebalanceMs = 0;
    // Who was last assigned each partition, to count what each classic rebalance moved (countMoves).
    std::map<protocol::TopicPartition, std::string> lastOwner;
    std::int64_t movedPartitions = 0;
    std::int64_t movedFromStayingMembers = 0;
    // KIP-848
    bool kip848 = false;
    std::int32_t targetEpoch = 0; // the epoch the target assignment was computed for
    std::string serverAssignor = "uniform";
};

// KIP-848's consumer protocol: the coordinator computes the target assignment and each member
// converges to it through heartbeats, revoking before anything it gives up is handed on.
class GroupCoordinator::Kip848 {
public:
    explicit Kip848(GroupCoordinator& coordinator)
        : coordinator_(coordinator)
    {
    }
    void heartbeat(protocol::ConsumerGroupHeartbeatRequest&& request,
        GroupResponder<protocol::ConsumerGroupHeartbeatResponse>&& respond);
    protocol::ErrorCode validateCommit(const Group& group, const protocol::OffsetCommitRequest& request) const;

private:
    void computeTargetAssignment(Group& group);
    void removeMember(Group& group, const std::string& memberId, const std::string& why, std::string_view kind);
    void scheduleSessionExpiry(Group& group, Member& member);
    void updateState(Group& group);
    GroupCoordinator& coordinator_;
};

// The partitions in a ConsumerProtocolAssignment (empty on bytes that do not decode).
std::vector<protocol::TopicPartition> decodeAssignmentPartitions(const protocol::ByteString& bytes);

} // namespace brokerlab::cluster
