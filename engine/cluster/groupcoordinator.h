#pragma once
// The group coordinator of one broker, shaped like Kafka's classic GroupCoordinator: it serves the
// groups whose __consumer_offsets partition this broker leads, runs the classic rebalance protocol
// (Empty, PreparingRebalance, CompletingRebalance, Stable, Dead) and KIP-848's server-side protocol,
// and keeps committed offsets. Offsets and group metadata are records in __consumer_offsets, appended
// with acks=all through the broker's own produce path; a broker that becomes leader of a partition of
// that topic loads its groups by replaying it. Everything runs on the sim thread.

#include "cluster/context.h"
#include "cluster/offsetsrecords.h"
#include "protocol/groupmessages.h"
#include "sim/function.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::cluster {

class Broker;
class Replica;

template <typename Response>
using GroupResponder = sim::UniqueFunction<void(Response&&)>;

enum class GroupState { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead };
std::string_view groupStateName(GroupState state);

// Coordinator-side settings (broker configs under Kafka's names).
struct GroupCoordinatorConfig {
    std::int32_t offsetsTopicNumPartitions = 50; // offsets.topic.num.partitions
    std::int16_t offsetsTopicReplicationFactor = 3; // offsets.topic.replication.factor
    std::int32_t groupInitialRebalanceDelayMs = 3000; // group.initial.rebalance.delay.ms
    std::int32_t groupMinSessionTimeoutMs = 6000; // group.min.session.timeout.ms
    std::int32_t groupMaxSessionTimeoutMs = 1800000; // group.max.session.timeout.ms
    std::int32_t offsetsCommitTimeoutMs = 5000; // offsets.commit.timeout.ms
    std::int32_t groupConsumerHeartbeatIntervalMs = 5000; // group.consumer.heartbeat.interval.ms (KIP-848)
    std::int32_t groupConsumerSessionTimeoutMs = 45000; // group.consumer.session.timeout.ms (KIP-848)
};

// What a view or a report shows of one group.
struct GroupMemberSummary {
    std::string memberId;
    std::string clientId;
    std::optional<std::string> groupInstanceId;
    std::vector<protocol::TopicPartition> assignment;
    std::int32_t memberEpoch = -1; // KIP-848 only
};
struct GroupSummary {
    std::string groupId;
    GroupState state = GroupState::Empty;
    std::int32_t generation = 0; // the group epoch under KIP-848
    std::string protocolType; // "consumer"
    std::string protocol; // the assignor chosen
    bool kip848 = false;
    std::string leader;
    std::int32_t coordinator = -1;
    std::vector<GroupMemberSummary> members;
    std::map<protocol::TopicPartition, CommittedOffset> offsets;
    std::int64_t rebalances = 0; // completed
    std::int64_t rebalanceMs = 0; // virtual ms spent in PreparingRebalance + CompletingRebalance
    // Classic protocol, over the rebalances this coordinator completed: partitions assigned to another
    // member than their last owner, and of those the ones taken from a member still in the group.
    std::int64_t movedPartitions = 0;
    std::int64_t movedFromStayingMembers = 0;
};

struct CoordinatorCounters {
    std::int64_t joins = 0;
    std::int64_t syncs = 0;
    std::int64_t heartbeats = 0;
    std::int64_t commits = 0; // partitions committed
    std::int64_t loads = 0; // __consumer_offsets partitions loaded
    std::int64_t errors = 0;
};

class GroupCoordinator {
public:
    GroupCoordinator(Context& context, Broker& broker, GroupCoordinatorConfig config);
    ~GroupCoordinator();
    GroupCoordinator(const GroupCoordinator&) = delete;
    GroupCoordinator& operator=(const GroupCoordinator&) = delete;

    const GroupCoordinatorConfig& config() const { return config_; }
    const CoordinatorCounters& counters() const { return counters_; }

    // The broker's role for a __consumer_offsets partition changed.
    void onBecomeLeader(Replica& replica);
    void onResign(std::int32_t partition);
    // The process stopped: every group, timer and parked request is gone (nothing is answered).
    void clear();

    void handleFindCoordinator(
        const protocol::FindCoordinatorRequest& request, GroupResponder<protocol::FindCoordinatorResponse> respond);
    void handleJoinGroup(protocol::JoinGroupRequest request, GroupResponder<protocol::JoinGroupResponse> respond);
    void handleSyncGroup(protocol::SyncGroupRequest request, GroupResponder<protocol::SyncGroupResponse> respond);
    void handleHeartbeat(const protocol::HeartbeatRequest& request, GroupResponder<protocol::HeartbeatResponse> respond);
    void handleLeaveGroup(const protocol::LeaveGroupRequest& request, GroupResponder<protocol::LeaveGroupResponse> respond);
    void handleOffsetCommit(protocol::OffsetCommitRequest request, GroupResponder<protocol::OffsetCommitResponse> respond);
    void handleOffsetFetch(const protocol::OffsetFetchRequest& request, GroupResponder<protocol::OffsetFetchResponse> respond);
    void handleDescribeGroups(
        const protocol::DescribeGroupsRequest& request, GroupResponder<protocol::DescribeGroupsResponse> respond);
    void handleListGroups(const protocol::ListGroupsRequest& request, GroupResponder<protocol::ListGroupsResponse> respond);
    void handleConsumerGroupHeartbeat(protocol::ConsumerGroupHeartbeatRequest request,
        GroupResponder<protocol::ConsumerGroupHeartbeatResponse> respond);

    // Groups this broker coordinates now, by group id.
    std::vector<GroupSummary> summaries() const;
    std::set<std::int32_t> ownedPartitions() const { return owned_; }

private:
    struct Member;
    struct Group;
    class Kip848;
    friend class Kip848;

    // After a classic rebalance: the partitions assigned to another member than their last owner, and
    // of those the ones taken from a member still in the group (a sticky assignor moves only the
    // partitions of members that left, unless balance needs more). Updates the group's last owners.
    static void countMoves(Group& group);

    // Routing: the error for a group this broker cannot serve now, or NONE.
    protocol::ErrorCode checkCoordinator(const std::string& groupId) const;
    Group* findGroup(const std::string& groupId);
    Group& getOrCreateGroup(const std::string& groupId);

    void joinUnknownMember(Group& group, protocol::JoinGroupRequest&& request,
        GroupResponder<protocol::JoinGroupResponse>&& respond);
    void joinKnownMember(Group& group, protocol::JoinGroupRequest&& request,
        GroupResponder<protocol::JoinGroupResponse>&& respond);
    void addMemberAndRebalance(Group& group, const std::string& memberId, protocol::JoinGroupRequest&& request,
        GroupResponder<protocol::JoinGroupResponse>&& respond);
    void prepareRebalance(Group& group, const std::string& reason);
    void scheduleJoinCompletion(Group& group, sim::SimTime delay);
    void tryCompleteJoin(Group& group, bool deadline);
    void completeJoin(Group& group);
    void completeSync(Group& group, std::map<std::string, protocol::ByteString> assignments);
    void removeMember(Group& group, const std::string& memberId, const std::string& why, std::string_view kind);
    void scheduleSessionExpiry(Group& group, Member& member);
    void transition(Group& group, GroupState to);
    void respondSyncWaiters(Group& group, protocol::ErrorCode error);
    void respondJoin(Group& group, Member& member, protocol::ErrorCode error);
    bool protocolsCompatible(const Group& group, const protocol::JoinGroupRequest& request) const;
    std::string selectProtocol(const Group& group) const;

    // Appends records to the group's __consumer_offsets partition with acks=all; `done` gets the
    // coordinator-level error (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, ...) or NONE.
    void appendToLog(const Group& group, std::vector<std::pair<std::vector<std::uint8_t>, std::optional<std::vector<std::uint8_t>>>> records,
        sim::UniqueFunction<void(protocol::ErrorCode)> done);
    StoredGroup storedForm(const Group& group) const;
    void load(Replica& replica);
    void requestOffsetsTopic();

    void trace(std::string kind, const Group& group, std::string message,
        std::vector<std::pair<std::string, std::int64_t>> numbers = {}) const;
    std::string newMemberId(const std::string& clientId);

    Context& context_;
    Broker& broker_;
    GroupCoordinatorConfig config_;
    CoordinatorCounters counters_;
    std::set<std::int32_t> owned_; // __consumer_offsets partitions this broker leads and has loaded
    std::map<std::string, std::unique_ptr<Group>> groups_;
    std::unique_ptr<Kip848> kip848_;
    std::uint64_t nextMemberNumber_ = 1;
    std::uint64_t epoch_ = 0; // bumps on clear(): timers of a previous process do nothing
    bool creatingOffsetsTopic_ = false;
};

} // namespace brokerlab::cluster
