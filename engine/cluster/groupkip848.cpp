// KIP-848, the consumer rebalance protocol (group.protocol=consumer): no JoinGroup/SyncGroup
// barrier. Every change of membership or subscription bumps the group epoch; the coordinator runs
// the server-side assignor to a target assignment for that epoch; each member, on its heartbeats,
// is first asked to revoke what it must give up and then handed what is free, and reaches the new
// epoch when it holds exactly its target. Partitions nobody has to give up keep being consumed.

#include "cluster/broker.h"
#include "cluster/groupcoordinatorinternal.h"
#include "group/consumerprotocol.h"

#include <algorithm>

namespace brokerlab::cluster {

using protocol::ErrorCode;

std::vector<protocol::TopicPartition> decodeAssignmentPartitions(const protocol::ByteString& bytes)
{
    std::vector<protocol::TopicPartition> partitions;
    if (bytes.empty())
        return partitions;
    if (auto decoded = group::decodeAssignment(bytes)) {
        for (const auto& partition : decoded->partitions)
            partitions.push_back({ partition.topic, partition.partition });
    }
    return partitions;
}

namespace {

std::vector<protocol::ConsumerGroupHeartbeatTopicPartitions> grouped(const std::vector<protocol::TopicPartition>& partitions)
{
    std::vector<protocol::ConsumerGroupHeartbeatTopicPartitions> result;
    for (const auto& partition : partitions) {
        if (result.empty() || result.back().topic != partition.topic)
            result.push_back({ partition.topic, {} });
        result.back().partitions.push_back(partition.partition);
    }
    return result;
}

std::vector<protocol::TopicPartition> flattened(const std::vector<protocol::ConsumerGroupHeartbeatTopicPartitions>& topics)
{
    std::vector<protocol::TopicPartition> result;
    for (const auto& topic : topics) {
        for (std::int32_t partition : topic.partitions)
            result.push_back({ topic.topic, partition });
    }
    std::sort(result.begin(), result.end());
    return result;
}

bool contains(const std::vector<protocol::TopicPartition>& sorted, const protocol::TopicPartition& partition)
{
    return std::binary_search(sorted.begin(), sorted.end(), partition);
}

} // namespace

void GroupCoordinator::handleConsumerGroupHeartbeat(protocol::ConsumerGroupHeartbeatRequest request,
    GroupResponder<protocol::ConsumerGroupHeartbeatResponse> respond)
{
    ++counters_.heartbeats;
    if (const ErrorCode error = checkCoordinator(request.groupId); error != ErrorCode::NONE) {
        protocol::ConsumerGroupHeartbeatResponse response;
        response.errorCode = error;
        respond(std::move(response));
        return;
    }
    kip848_->heartbeat(std::move(request), std::move(respond));
}

ErrorCode GroupCoordinator::Kip848::validateCommit(const Group& group, const protocol::OffsetCommitRequest& request) const
{
    auto it = group.members.find(request.memberId);
    if (it == group.members.end())
        return ErrorCode::UNKNOWN_MEMBER_ID;
    // Kafka's ConsumerGroup.validateMemberEpoch: any other epoch, older or newer, is stale.
    if (request.generationIdOrMemberEpoch != it->second.memberEpoch)
        return ErrorCode::STALE_MEMBER_EPOCH;
    return ErrorCode::NONE;
}

void GroupCoordinator::Kip848::heartbeat(protocol::ConsumerGroupHeartbeatRequest&& request,
    GroupResponder<protocol::ConsumerGroupHeartbeatResponse>&& respond)
{
    GroupCoordinator& c = coordinator_;
    protocol::ConsumerGroupHeartbeatResponse response;
    response.heartbeatIntervalMs = c.config_.groupConsumerHeartbeatIntervalMs;
    Group* existing = c.findGroup(request.groupId);
    if (existing && !existing->kip848 && !existing->members.empty()) {
        response.errorCode = ErrorCode::INCONSISTENT_GROUP_PROTOCOL;
        respond(std::move(response));
        return;
    }
    Group& group = c.getOrCreateGroup(request.groupId);
    group.kip848 = true;
    group.protocolType = "consumer";
    if (request.serverAssignor && *request.serverAssignor != "uniform" && *request.serverAssignor != "range") {
        response.errorCode = ErrorCode::UNSUPPORTED_ASSIGNOR;
        response.errorMessage = "server assignor " + *request.serverAssignor + " is not one of uniform, range";
        respond(std::move(response));
        return;
    }
    if (request.memberEpoch == -1 || request.memberEpoch == -2) {
        response.memberId = request.memberId;
        response.memberEpoch = request.memberEpoch;
        if (group.members.count(request.memberId) != 0)
            removeMember(group, request.memberId, "member " + request.memberId + " left group " + group.groupId,
                "group.member_left");
        else
            response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
        respond(std::move(response));
        return;
    }
    Member* member = nullptr;
    bool changed = false;
    if (request.memberEpoch == 0) {
        std::string memberId = request.memberId.empty() ? c.newMemberId(request.client.clientId) : request.memberId;
        if (request.instanceId) {
            auto old = group.staticMembers.find(*request.instanceId);
            if (old != group.staticMembers.end() && old->second != memberId) {
                // KIP-345 under KIP-848: the instance takes over its old member's place and target.
                Member previous = std::move(group.members.at(old->second));
                group.members.erase(old->second);
                Member& replaced = group.members[memberId];
                replaced = std::move(previous);
                replaced.memberId = memberId;
                replaced.owned.clear();
            }
            group.staticMembers[*request.instanceId] = memberId;
        }
        auto [it, added] = group.members.try_emplace(memberId);
        member = &it->second;
        if (added) {
            member->memberId = memberId;
            member->groupInstanceId = request.instanceId;
            member->protocolType = "consumer";
            changed = true;
            c.trace("group.member_joined", group,
                "member " + memberId + " (client " + request.client.clientId + ") joined group " + group.groupId
                    + " (KIP-848)",
                { { "members", static_cast<std::int64_t>(group.members.size()) } });
        }
        member->memberEpoch = 0;
        member->previousMemberEpoch = -1;
        member->assigned.clear();
        member->owned.clear();
    } else {
        auto it = group.members.find(request.memberId);
        if (it == group.members.end()) {
            response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
            respond(std::move(response));
            return;
        }
        member = &it->second;
        // Kafka tolerates the previous epoch when the member's owned partitions are a subset of
        // what it was given (the response with the bump may have been lost); anything else is
        // fenced and must rejoin with epoch 0.
        const std::vector<protocol::TopicPartition> claimed
            = request.topicPartitions ? flattened(*request.topicPartitions) : std::vector<protocol::TopicPartition> {};
        const bool lostBump = request.memberEpoch < member->memberEpoch
            && request.memberEpoch == member->previousMemberEpoch && request.topicPartitions
            && std::includes(member->assigned.begin(), member->assigned.end(), claimed.begin(), claimed.end());
        if (request.memberEpoch != member->memberEpoch && !lostBump) {
            response.errorCode = ErrorCode::FENCED_MEMBER_EPOCH;
            response.memberId = member->memberId;
            respond(std::move(response));
            return;
        }
    }
    member->clientId = request.client.clientId;
    member->clientHost = request.client.clientHost;
    if (request.rebalanceTimeoutMs > 0)
        member->rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member->sessionTimeoutMs = c.config_.groupConsumerSessionTimeoutMs;
    if (request.subscribedTopicNames) {
        std::vector<std::string> topics = *request.subscribedTopicNames;
        std::sort(topics.begin(), topics.end());
        if (topics != member->subscribedTopics) {
            member->subscribedTopics = std::move(topics);
            changed = true;
        }
    }
    if (request.serverAssignor && *request.serverAssignor != group.serverAssignor) {
        group.serverAssignor = *request.serverAssignor;
        changed = true;
    }
    if (request.topicPartitions)
        member->owned = flattened(*request.topicPartitions);
    if (changed) {
        ++group.generation;
        if (group.rebalanceStart < 0)
            group.rebalanceStart = c.context_.now();
        group.rebalanceReason = "membership or subscriptions changed";
        c.trace("group.rebalance_started", group,
            "group " + group.groupId + " moves to epoch " + std::to_string(group.generation)
                + ": membership or subscriptions changed (KIP-848, no stop-the-world)",
            { { "members", static_cast<std::int64_t>(group.members.size()) } });
        computeTargetAssignment(group);
    }
    scheduleSessionExpiry(group, *member);

    // Reconcile: revoke first, then hand out what nobody else still holds.
    std::vector<protocol::TopicPartition> keep;
    bool mustRevoke = false;
    for (const auto& partition : member->owned) {
        if (contains(member->target, partition))
            keep.push_back(partition);
        else
            mustRevoke = true;
    }
    std::vector<protocol::TopicPartition> assignment;
    if (mustRevoke) {
        assignment = keep;
    } else {
        for (const auto& partition : member->target) {
            bool heldByOther = false;
            for (const auto& [id, other] : group.members) {
                if (id != member->memberId && std::binary_search(other.owned.begin(), other.owned.end(), partition)
                    && !contains(other.target, partition)) {
                    heldByOther = true;
                    break;
                }
            }
            if (!heldByOther)
                assignment.push_back(partition);
        }
        if (assignment == member->target && member->memberEpoch != group.generation) {
            member->previousMemberEpoch = member->memberEpoch;
            member->memberEpoch = group.generation;
            c.trace("group.member_reconciled", group,
                "member " + member->memberId + " of group " + group.groupId + " holds its target ("
                    + std::to_string(assignment.size()) + " partitions) and reaches epoch "
                    + std::to_string(group.generation),
                { { "member_epoch", member->memberEpoch } });
        }
    }
    member->assigned = assignment;
    std::sort(member->assigned.begin(), member->assigned.end());
    updateState(group);
    response.memberId = member->memberId;
    response.memberEpoch = member->memberEpoch;
    response.assignment = grouped(assignment);
    respond(std::move(response));
}

void GroupCoordinator::Kip848::computeTargetAssignment(Group& group)
{
    std::vector<group::MemberSubscription> subscriptions;
    std::map<std::string, std::int32_t> partitionsPerTopic;
    const MetadataImage* image = coordinator_.broker_.metadata();
    for (const auto& [id, member] : group.members) {
        group::MemberSubscription subscription;
        subscription.memberId = id;
        subscription.groupInstanceId = member.groupInstanceId;
        subscription.topics = member.subscribedTopics;
        for (const auto& partition : member.target)
            subscription.ownedPartitions.push_back({ partition.topic, partition.partition });
        subscription.generation = group.targetEpoch;
        subscriptions.push_back(std::move(subscription));
        for (const std::string& topic : member.subscribedTopics) {
            if (const TopicInfo* info = image ? image->topic(topic) : nullptr)
                partitionsPerTopic[topic] = static_cast<std::int32_t>(info->partitions.size());
        }
    }
    // Kafka's "uniform" server assignor is sticky and balanced; "range" is range.
    const group::AssignorKind kind = group.serverAssignor == "range" ? group::AssignorKind::Range
        : group::isSupported(group::AssignorKind::Sticky)                ? group::AssignorKind::Sticky
                                                                         : group::AssignorKind::RoundRobin;
    const group::AssignResult result = group::assign(kind, subscriptions, partitionsPerTopic);
    for (auto& [id, member] : group.members) {
        member.target.clear();
        if (auto it = result.assignment.find(id); it != result.assignment.end()) {
            for (const auto& partition : it->second)
                member.target.push_back({ partition.topic, partition.partition });
        }
        std::sort(member.target.begin(), member.target.end());
    }
    group.targetEpoch = group.generation;
}

void GroupCoordinator::Kip848::updateState(Group& group)
{
    GroupState next = GroupState::Stable;
    if (group.members.empty())
        next = GroupState::Empty;
    else if (std::any_of(group.members.begin(), group.members.end(),
                 [&](const auto& entry) { return entry.second.memberEpoch != group.generation; }))
        next = GroupState::CompletingRebalance; // KIP-848 calls it Reconciling
    if (next == GroupState::Stable && group.state != GroupState::Stable && group.rebalanceStart >= 0) {
        const sim::SimTime took = coordinator_.context_.now() - group.rebalanceStart;
        ++group.rebalances;
        group.rebalanceMs += static_cast<std::int64_t>(sim::toMs(took));
        group.rebalanceStart = -1;
        coordinator_.trace("group.rebalance_completed", group,
            "every member of group " + group.groupId + " reached epoch " + std::to_string(group.generation) + " after "
                + std::to_string(sim::toMs(took)) + " ms",
            { { "members", static_cast<std::int64_t>(group.members.size()) },
                { "duration_ms", static_cast<std::int64_t>(sim::toMs(took)) } });
    }
    if (next != group.state)
        coordinator_.transition(group, next);
}

void GroupCoordinator::Kip848::removeMember(
    Group& group, const std::string& memberId, const std::string& why, std::string_view kind)
{
    auto it = group.members.find(memberId);
    if (it == group.members.end())
        return;
    if (it->second.groupInstanceId)
        group.staticMembers.erase(*it->second.groupInstanceId);
    group.members.erase(it);
    coordinator_.trace(std::string(kind), group, why, { { "members", static_cast<std::int64_t>(group.members.size()) } });
    ++group.generation;
    if (group.rebalanceStart < 0)
        group.rebalanceStart = coordinator_.context_.now();
    group.rebalanceReason = why;
    computeTargetAssignment(group);
    updateState(group);
}

void GroupCoordinator::Kip848::scheduleSessionExpiry(Group& group, Member& member)
{
    const std::uint64_t token = ++member.sessionToken;
    const std::uint64_t epoch = coordinator_.epoch_;
    const std::string groupId = group.groupId;
    const std::string memberId = member.memberId;
    coordinator_.context_.scheduler.scheduleAfter(
        sim::fromMs(member.sessionTimeoutMs), [this, epoch, groupId, memberId, token] {
            if (epoch != coordinator_.epoch_)
                return;
            Group* g = coordinator_.findGroup(groupId);
            if (!g)
                return;
            auto it = g->members.find(memberId);
            if (it == g->members.end() || it->second.sessionToken != token)
                return;
            removeMember(*g, memberId,
                "member " + memberId + " of group " + groupId + " sent no heartbeat for "
                    + std::to_string(it->second.sessionTimeoutMs) + " ms",
                "group.member_removed");
        });
}

} // namespace brokerlab::cluster
