// Member liveness in the classic protocol: session expiry, Heartbeat and LeaveGroup.

#include "cluster/broker.h"
#include "cluster/groupcoordinatorinternal.h"

namespace brokerlab::cluster {

using protocol::ErrorCode;

// ---- Heartbeat, sessions, LeaveGroup

void GroupCoordinator::scheduleSessionExpiry(Group& group, Member& member)
{
    const std::uint64_t token = ++member.sessionToken;
    const std::uint64_t epoch = epoch_;
    const std::string groupId = group.groupId;
    const std::string memberId = member.memberId;
    context_.scheduler.scheduleAfter(sim::fromMs(member.sessionTimeoutMs), [this, epoch, groupId, memberId, token] {
        if (epoch != epoch_)
            return;
        Group* g = findGroup(groupId);
        if (!g)
            return;
        auto it = g->members.find(memberId);
        if (it == g->members.end() || it->second.sessionToken != token)
            return;
        if (it->second.awaitingJoin && g->state == GroupState::PreparingRebalance)
            return; // parked in a join: the rebalance timeout decides
        removeMember(*g, memberId,
            "member " + memberId + " of group " + groupId + " sent no heartbeat for session.timeout.ms ("
                + std::to_string(it->second.sessionTimeoutMs) + " ms)",
            "group.member_removed");
    });
}

void GroupCoordinator::removeMember(Group& group, const std::string& memberId, const std::string& why, std::string_view kind)
{
    auto it = group.members.find(memberId);
    if (it == group.members.end())
        return;
    Member& member = it->second;
    if (member.awaitingJoin) {
        protocol::JoinGroupResponse response;
        response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
        response.memberId = memberId;
        member.awaitingJoin(std::move(response));
    }
    if (member.awaitingSync) {
        protocol::SyncGroupResponse response;
        response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
        member.awaitingSync(std::move(response));
    }
    if (member.groupInstanceId)
        group.staticMembers.erase(*member.groupInstanceId);
    group.members.erase(it);
    if (group.leaderId == memberId) // Kafka's ClassicGroup.remove: another member leads, if any
        group.leaderId = group.members.empty() ? std::string() : group.members.begin()->first;
    trace(std::string(kind), group, why, { { "members", static_cast<std::int64_t>(group.members.size()) } });
    switch (group.state) {
    case GroupState::Stable:
    case GroupState::CompletingRebalance:
        prepareRebalance(group, why);
        break;
    case GroupState::PreparingRebalance:
        tryCompleteJoin(group, false);
        break;
    case GroupState::Empty:
    case GroupState::Dead:
        break;
    }
}

void GroupCoordinator::handleHeartbeat(
    const protocol::HeartbeatRequest& request, GroupResponder<protocol::HeartbeatResponse> respond)
{
    ++counters_.heartbeats;
    protocol::HeartbeatResponse response;
    response.errorCode = checkCoordinator(request.groupId);
    Group* group = response.errorCode == ErrorCode::NONE ? findGroup(request.groupId) : nullptr;
    if (response.errorCode == ErrorCode::NONE) {
        auto it = group ? group->members.find(request.memberId) : decltype(group->members.end()) {};
        // Kafka's validateMember looks a static member up by its instance id first, so the old
        // process of a restarted static member is fenced rather than unknown.
        const auto instance = group && request.groupInstanceId ? group->staticMembers.find(*request.groupInstanceId)
                                                               : decltype(group->staticMembers.end()) {};
        if (group && request.groupInstanceId && instance != group->staticMembers.end()
            && instance->second != request.memberId) {
            response.errorCode = ErrorCode::FENCED_INSTANCE_ID;
        } else if (!group || it == group->members.end()) {
            response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
        } else if (it->second.groupInstanceId != request.groupInstanceId) {
            response.errorCode = ErrorCode::FENCED_INSTANCE_ID;
        } else if (request.generationId != group->generation) {
            response.errorCode = ErrorCode::ILLEGAL_GENERATION;
        } else {
            scheduleSessionExpiry(*group, it->second);
            if (group->state == GroupState::PreparingRebalance)
                response.errorCode = ErrorCode::REBALANCE_IN_PROGRESS;
        }
    }
    respond(std::move(response));
}

void GroupCoordinator::handleLeaveGroup(
    const protocol::LeaveGroupRequest& request, GroupResponder<protocol::LeaveGroupResponse> respond)
{
    protocol::LeaveGroupResponse response;
    response.errorCode = checkCoordinator(request.groupId);
    Group* group = response.errorCode == ErrorCode::NONE ? findGroup(request.groupId) : nullptr;
    if (response.errorCode == ErrorCode::NONE && !group)
        response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
    if (response.errorCode != ErrorCode::NONE) {
        respond(std::move(response));
        return;
    }
    for (const protocol::MemberIdentity& identity : request.members) {
        protocol::LeaveGroupMemberResponse result { identity.memberId, identity.groupInstanceId, ErrorCode::NONE };
        std::string memberId = identity.memberId;
        if (identity.groupInstanceId) {
            auto it = group->staticMembers.find(*identity.groupInstanceId);
            if (it == group->staticMembers.end())
                result.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
            else if (!memberId.empty() && memberId != it->second)
                result.errorCode = ErrorCode::FENCED_INSTANCE_ID;
            else
                memberId = it->second;
        } else if (group->members.count(memberId) == 0) {
            result.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
        }
        if (result.errorCode == ErrorCode::NONE) {
            removeMember(*group, memberId,
                "member " + memberId + " left group " + group->groupId
                    + (identity.reason.empty() ? std::string() : " (" + identity.reason + ")"),
                "group.member_left");
        }
        response.members.push_back(std::move(result));
    }
    if (request.members.size() == 1)
        response.errorCode = response.members.front().errorCode; // v0-2 answer at the top level
    respond(std::move(response));
}

} // namespace brokerlab::cluster
