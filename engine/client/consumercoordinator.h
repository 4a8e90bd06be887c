#pragma once
// A consumer's side of its group, shaped like Kafka's ConsumerCoordinator: it finds the coordinator,
// joins (JoinGroup, the leader runs the assignor, SyncGroup), heartbeats in the background, leaves
// when the application stops polling for max.poll.interval.ms, and commits offsets (auto-commit or
// on request). With group.protocol=consumer it runs KIP-848's ConsumerGroupHeartbeat instead.
// The consumer tells it when the application polls; it tells the consumer which partitions to drop
// and which to add (with their committed offsets). Everything runs on the sim thread.

#include "client/consumerconfig.h"
#include "cluster/cluster.h"
#include "group/assignor.h"
#include "protocol/groupmessages.h"
#include "protocol/topicpartition.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::client {

enum class MemberState { Unjoined, Joining, AwaitingSync, Stable, Left, Failed };
// Why a request to the coordinator got no answer: request.timeout.ms passed, the coordinator's
// process died and its connection closed, or the connection was refused (nothing listens).
enum class RequestFailure { TimedOut, Disconnected, Refused };
// "JoinGroup timed out", "JoinGroup failed: connection refused", ...: why a member gave up on a request.
std::string failureText(std::string_view api, RequestFailure failure);
std::string_view memberStateName(MemberState state);

struct GroupMemberCounters {
    std::int64_t joins = 0; // JoinGroup requests (or KIP-848 joins)
    std::int64_t rebalances = 0; // assignments received
    std::int64_t heartbeats = 0;
    std::int64_t commits = 0; // OffsetCommit requests answered without error
    std::int64_t commitFailures = 0;
    std::int64_t revoked = 0; // partitions given up
    std::int64_t lost = 0; // partitions lost without a chance to commit
    std::int64_t pausedMs = 0; // virtual ms spent rebalancing with no partition to consume
};

using OffsetMap = std::map<protocol::TopicPartition, std::int64_t>;

class ConsumerCoordinator {
public:
    struct Hooks {
        std::function<void(const std::vector<protocol::TopicPartition>&, bool lost)> revoke;
        // Added partitions with their committed offsets (-1: none, use auto.offset.reset).
        std::function<void(const std::vector<protocol::TopicPartition>&, const OffsetMap& committed)> assign;
        std::function<OffsetMap()> positions; // what a commit of "everything consumed" sends
        std::function<std::map<std::string, std::int32_t>()> partitionCounts; // for the leader's assignor
        std::function<void(const std::string& why)> fatal;
    };

    ConsumerCoordinator(cluster::Cluster& cluster, sim::NodeId node, const ConsumerConfig& config, Hooks hooks);
    ~ConsumerCoordinator();
    ConsumerCoordinator(const ConsumerCoordinator&) = delete;
    ConsumerCoordinator& operator=(const ConsumerCoordinator&) = delete;

    void subscribe(std::vector<std::string> topics);
    // The application called poll(): starts a pending (re)join and runs auto-commit.
    void onPoll();
    // True while poll() would still be blocked in Kafka's onJoinPrepare (its synchronous commit):
    // the application gets no records meanwhile.
    bool pollBlocked() const { return joinPrepareCommit_; }
    // Commits `offsets` (or every consumed position when empty); `done` gets the first error or NONE.
    void commit(OffsetMap offsets, std::function<void(protocol::ErrorCode)> done);
    // A graceful close: commit when auto-commit is on, then LeaveGroup.
    void close();
    // The process died: nothing more is sent, nothing answered is acted on.
    void crash();

    MemberState state() const { return state_; }
    const std::string& memberId() const { return memberId_; }
    std::int32_t generation() const { return generation_; }
    std::int32_t coordinator() const { return coordinator_; }
    const std::string& protocolName() const { return protocolName_; }
    bool rebalancing() const { return state_ == MemberState::Joining || state_ == MemberState::AwaitingSync; }
    const std::vector<protocol::TopicPartition>& owned() const { return owned_; }
    const GroupMemberCounters& counters() const { return counters_; }
    bool kip848() const { return kip848_; }

private:
    void findCoordinator();
    void coordinatorUnknown(const std::string& why);
    void requestRejoin(const std::string& why);
    void startJoin();
    void sendJoin();
    void onJoinResponse(protocol::JoinGroupResponse&& response);
    void sendSync(std::vector<protocol::SyncGroupRequestAssignment> assignments);
    void onSyncResponse(protocol::SyncGroupResponse&& response);
    void applyAssignment(const std::vector<protocol::TopicPartition>& assigned);
    void fetchCommittedThenAssign(std::vector<protocol::TopicPartition> added);
    void scheduleHeartbeat(sim::SimTime delay);
    void sendHeartbeat();
    void checkPollInterval();
    void leaveGroup(const std::string& reason);
    void maybeAutoCommit();
    void revoke(std::vector<protocol::TopicPartition> partitions, bool lost);
    // commit() with the member's current generation; joinPrepare: also while a join is starting.
    void sendCommit(OffsetMap offsets, std::function<void(protocol::ErrorCode)> done, bool joinPrepare);
    bool joinPrepareCommit_ = false;
    void resetMember(bool keepMemberId);
    void enterRebalance();
    void leaveRebalance();
    std::vector<protocol::JoinGroupRequestProtocol> protocols() const;
    protocol::ClientIdentity identity() const;
    // `partitions`: named partition lists carried as data beside the message (sim::Event::partitionLists).
    void trace(std::string kind, std::string message, std::vector<std::pair<std::string, std::int64_t>> numbers = {},
        std::vector<std::pair<std::string, std::vector<protocol::TopicPartition>>> partitions = {});
    // Exactly one of `onResponse` and `onFailure` runs, unless the member resets first.
    template <typename Request, typename Response>
    void send(
        Request request, std::function<void(Response&&)> onResponse, std::function<void(RequestFailure)> onFailure);

    // KIP-848
    void sendConsumerHeartbeat();
    void onConsumerHeartbeat(protocol::ConsumerGroupHeartbeatResponse&& response);

    cluster::Cluster& cluster_;
    cluster::Context& context_;
    sim::NodeId node_;
    ConsumerConfig config_;
    Hooks hooks_;
    std::vector<std::string> topics_;
    std::vector<group::AssignorKind> assignors_;
    bool kip848_ = false;

    MemberState state_ = MemberState::Unjoined;
    std::string memberId_;
    std::int32_t generation_ = -1;
    std::string protocolName_;
    std::int32_t coordinator_ = -1;
    bool findingCoordinator_ = false;
    bool rejoinNeeded_ = false;
    std::string rejoinReason_;
    std::vector<protocol::TopicPartition> owned_;
    // The eager StickyAssignor's memory (Kafka keeps it in the assignor and sends it as subscription
    // userData): the last assignment received and its generation, kept after an eager revocation.
    std::vector<protocol::TopicPartition> lastAssigned_;
    std::int32_t lastAssignedGeneration_ = -1;
    std::uint64_t requestEpoch_ = 0; // bumps when the member resets: older responses are stale
    std::uint64_t heartbeatToken_ = 0;
    sim::SimTime lastPoll_ = 0;
    sim::SimTime lastHeartbeatOk_ = 0;
    sim::SimTime nextAutoCommit_ = 0;
    sim::SimTime pauseStart_ = -1;
    std::int32_t bootstrapIndex_ = 0;
    bool crashed_ = false;
    bool heartbeatInFlight_ = false;
    std::int32_t kipEpoch_ = 0; // KIP-848 member epoch
    bool kipSendFull_ = true;
    GroupMemberCounters counters_;
};

} // namespace brokerlab::client
