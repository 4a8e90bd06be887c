#include "cluster/groupcoordinator.h"

#include "cluster/broker.h"
#include "cluster/cluster.h"
#include "cluster/groupcoordinatorinternal.h"

#include <algorithm>
#include <cstdio>

namespace brokerlab::cluster {

using protocol::ErrorCode;

std::string_view groupStateName(GroupState state)
{
    switch (state) {
    case GroupState::Empty:
        return "Empty";
    case GroupState::PreparingRebalance:
        return "PreparingRebalance";
    case GroupState::CompletingRebalance:
        return "CompletingRebalance";
    case GroupState::Stable:
        return "Stable";
    case GroupState::Dead:
        return "Dead";
    }
    return "Unknown";
}

GroupCoordinator::GroupCoordinator(Context& context, Broker& broker, GroupCoordinatorConfig config)
    : context_(context)
    , broker_(broker)
    , config_(config)
    , kip848_(std::make_unique<Kip848>(*this))
{
}

GroupCoordinator::~GroupCoordinator() = default;

void GroupCoordinator::trace(
    std::string kind, const Group& group, std::string message, std::vector<std::pair<std::string, std::int64_t>> numbers) const
{
    numbers.insert(numbers.begin(), { "generation", group.generation });
    context_.trace.record({ .time = context_.now(),
        .kind = std::move(kind),
        .broker = broker_.id(),
        .topic = kOffsetsTopic,
        .partition = group.partition,
        .client = group.groupId,
        .numbers = std::move(numbers),
        .message = std::move(message) });
}

std::string GroupCoordinator::newMemberId(const std::string& clientId)
{
    // Kafka: clientId + "-" + a random UUID. The seeded generator keeps runs reproducible.
    const std::uint64_t high = context_.rng.next();
    const std::uint64_t low = context_.rng.next();
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
        static_cast<unsigned>((high >> 16) & 0xFFFFU), static_cast<unsigned>(high & 0xFFFU),
        static_cast<unsigned>(0x8000U | ((low >> 48) & 0x3FFFU)),
        static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
    ++nextMemberNumber_;
    return (clientId.empty() ? std::string("consumer") : clientId) + "-" + uuid;
}

// ---- JoinGroup

bool GroupCoordinator::protocolsCompatible(const Group& group, const protocol::JoinGroupRequest& request) const
{
    if (request.protocols.empty() || request.protocolType.empty())
        return false;
    if (group.state == GroupState::Empty && group.members.empty())
        return true;
    if (!group.protocolType.empty() && group.protocolType != request.protocolType)
        return false;
    // Some protocol must be supported by every member and the newcomer.
    for (const auto& candidate : request.protocols) {
        bool everyone = true;
        for (const auto& [id, member] : group.members) {
            if (id == request.memberId)
                continue;
            const bool supports = std::any_of(member.protocols.begin(), member.protocols.end(),
                [&](const protocol::JoinGroupRequestProtocol& p) { return p.name == candidate.name; });
            everyone = everyone && supports;
        }
        if (everyone)
            return true;
    }
    return false;
}

std::string GroupCoordinator::selectProtocol(const Group& group) const
{
    // Kafka's GroupMetadata.selectProtocol: among the protocols every member supports, each member
    // votes for the first of its own list that is a candidate; the most votes win, ties by name.
    std::vector<std::string> candidates;
    bool first = true;
    for (const auto& [id, member] : group.members) {
        std::vector<std::string> names;
        for (const auto& p : member.protocols)
            names.push_back(p.name);
        if (first) {
            candidates = names;
            first = false;
        } else {
            std::erase_if(candidates,
                [&](const std::string& name) { return std::find(names.begin(), names.end(), name) == names.end(); });
        }
    }
    std::map<std::string, int> votes;
    for (const auto& [id, member] : group.members) {
        for (const auto& p : member.protocols) {
            if (std::find(candidates.begin(), candidates.end(), p.name) != candidates.end()) {
                ++votes[p.name];
                break;
            }
        }
    }
    std::string best;
    int bestVotes = -1;
    for (const auto& [name, count] : votes) {
        if (count > bestVotes) {
            best = name;
            bestVotes = count;
        }
    }
    return best;
}

void GroupCoordinator::handleJoinGroup(
    protocol::JoinGroupRequest request, GroupResponder<protocol::JoinGroupResponse> respond)
{
    ++counters_.joins;
    auto fail = [&respond, &request](ErrorCode error) {
        protocol::JoinGroupResponse response;
        response.errorCode = error;
        response.memberId = request.memberId;
        respond(std::move(response));
    };
    if (const ErrorCode error = checkCoordinator(request.groupId); error != ErrorCode::NONE) {
        ++counters_.errors;
        fail(error);
        return;
    }
    if (request.sessionTimeoutMs < config_.groupMinSessionTimeoutMs
        || request.sessionTimeoutMs > config_.groupMaxSessionTimeoutMs) {
        ++counters_.errors;
        fail(ErrorCode::INVALID_SESSION_TIMEOUT);
        return;
    }
    Group* existing = findGroup(request.groupId);
    if (existing && existing->kip848) {
        fail(ErrorCode::INCONSISTENT_GROUP_PROTOCOL); // a KIP-848 group takes no classic members
        return;
    }
    Group& group = getOrCreateGroup(request.groupId);
    if (group.state == GroupState::Dead) {
        fail(ErrorCode::COORDINATOR_NOT_AVAILABLE);
        return;
    }
    if (!protocolsCompatible(group, request)) {
        ++counters_.errors;
        trace("group.join_rejected", group,
            "member " + (request.memberId.empty() ? request.client.clientId : request.memberId) + " of group "
                + group.groupId + " offers no assignor every member supports: INCONSISTENT_GROUP_PROTOCOL");
        fail(ErrorCode::INCONSISTENT_GROUP_PROTOCOL);
        return;
    }
    if (request.memberId.empty())
        joinUnknownMember(group, std::move(request), std::move(respond));
    else
        joinKnownMember(group, std::move(request), std::move(respond));
}

void GroupCoordinator::joinUnknownMember(
    Group& group, protocol::JoinGroupRequest&& request, GroupResponder<protocol::JoinGroupResponse>&& respond)
{
    const std::string memberId = newMemberId(request.client.clientId);
    if (request.groupInstanceId) {
        // KIP-345: a static member that comes back takes over its old member id's place.
        auto old = group.staticMembers.find(*request.groupInstanceId);
        if (old != group.staticMembers.end() && group.members.count(old->second) != 0) {
            // Kept before the replacement: `old` then points at the new id, and Kafka answers
            // with the leader as it was (see below).
            const std::string oldMemberId = old->second;
            const std::string currentLeader = group.leaderId;
            Member previous = std::move(group.members.at(old->second));
            group.members.erase(old->second);
            if (previous.awaitingJoin) {
                protocol::JoinGroupResponse fenced;
                fenced.errorCode = ErrorCode::FENCED_INSTANCE_ID;
                fenced.memberId = previous.memberId;
                previous.awaitingJoin(std::move(fenced));
            }
            if (previous.awaitingSync) {
                protocol::SyncGroupResponse fenced;
                fenced.errorCode = ErrorCode::FENCED_INSTANCE_ID;
                previous.awaitingSync(std::move(fenced));
            }
            Member& member = group.members[memberId];
            member = std::move(previous);
            member.awaitingJoin = {};
            member.awaitingSync = {};
            member.memberId = memberId;
            member.clientId = request.client.clientId;
            member.clientHost = request.client.clientHost;
            member.sessionTimeoutMs = request.sessionTimeoutMs;
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
            group.staticMembers[*request.groupInstanceId] = memberId;
            if (group.leaderId == oldMemberId) // Kafka's replaceStaticMember: the leader's place moves too
                group.leaderId = memberId;
            trace("group.static_member_rejoined", group,
                "static member " + *request.groupInstanceId + " of group " + group.groupId
                    + " came back as " + memberId + " within its session: no rebalance");
            const bool sameProtocols = member.protocols.size() == request.protocols.size()
                && std::equal(member.protocols.begin(), member.protocols.end(), request.protocols.begin(),
                    [](const auto& a, const auto& b) { return a.name == b.name && a.metadata == b.metadata; });
            if (group.state == GroupState::Stable && sameProtocols) {
                // It rejoins the current generation and gets its old assignment by SyncGroup.
                scheduleSessionExpiry(group, member);
                protocol::JoinGroupResponse response;
                response.generationId = group.generation;
                response.protocolType = group.protocolType;
                response.protocolName = group.protocolName;
                // Kafka (KIP-814) answers with the leader id from before the replacement, so the
                // new process of a leader does not assign for a Stable group that would not
                // broadcast it; a leader gets skipAssignment and the member list instead.
                response.leader = currentLeader;
                response.memberId = memberId;
                if (group.leaderId == memberId) {
                    response.skipAssignment = true;
                    for (const auto& [id, other] : group.members) {
                        protocol::JoinGroupResponseMember entry { id, other.groupInstanceId, {} };
                        for (const auto& p : other.protocols) {
                            if (p.name == group.protocolName)
                                entry.metadata = p.metadata;
                        }
                        response.members.push_back(std::move(entry));
                    }
                }
                respond(std::move(response));
                return;
            }
            member.protocols = request.protocols;
            member.awaitingJoin = std::move(respond);
            if (group.state != GroupState::PreparingRebalance)
                prepareRebalance(group, "static member " + *request.groupInstanceId + " rejoined with a new subscription");
            else
                tryCompleteJoin(group, false);
            return;
        }
        addMemberAndRebalance(group, memberId, std::move(request), std::move(respond));
        return;
    }
    if (request.requireKnownMemberId) {
        // JoinGroup v4+: hand out the id first; the member joins again with it (KIP-394).
        group.pendingMembers.insert(memberId);
        const std::uint64_t epoch = epoch_;
        const std::string groupId = group.groupId;
        context_.scheduler.scheduleAfter(sim::fromMs(static_cast<double>(request.sessionTimeoutMs)),
            [this, epoch, groupId, memberId] {
                if (epoch != epoch_)
                    return;
                if (Group* g = findGroup(groupId); g && g->pendingMembers.erase(memberId) != 0
                    && g->state == GroupState::PreparingRebalance)
                    tryCompleteJoin(*g, false);
            });
        protocol::JoinGroupResponse response;
        response.errorCode = ErrorCode::MEMBER_ID_REQUIRED;
        response.memberId = memberId;
        respond(std::move(response));
        return;
    }
    addMemberAndRebalance(group, memberId, std::move(request), std::move(respond));
}

void GroupCoordinator::joinKnownMember(
    Group& group, protocol::JoinGroupRequest&& request, GroupResponder<protocol::JoinGroupResponse>&& respond)
{
    const std::string memberId = request.memberId;
    if (group.pendingMembers.erase(memberId) != 0) {
        addMemberAndRebalance(group, memberId, std::move(request), std::move(respond));
        return;
    }
    auto it = group.members.find(memberId);
    if (it == group.members.end()) {
        protocol::JoinGroupResponse response;
        response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
        response.memberId = memberId;
        respond(std::move(response));
        return;
    }
    Member& member = it->second;
    if (member.groupInstanceId != request.groupInstanceId) {
        protocol::JoinGroupResponse response;
        response.errorCode = ErrorCode::FENCED_INSTANCE_ID;
        response.memberId = memberId;
        respond(std::move(response));
        return;
    }
    const bool sameProtocols = member.protocols.size() == request.protocols.size()
        && std::equal(member.protocols.begin(), member.protocols.end(), request.protocols.begin(),
            [](const auto& a, const auto& b) { return a.name == b.name && a.metadata == b.metadata; });
    member.protocols = std::move(request.protocols);
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.clientId = request.client.clientId;
    member.clientHost = request.client.clientHost;
    switch (group.state) {
    case GroupState::PreparingRebalance:
        member.awaitingJoin = std::move(respond);
        tryCompleteJoin(group, false);
        return;
    case GroupState::CompletingRebalance:
        if (sameProtocols) {
            // A retried join of the generation being synced: answer as the join did.
            member.awaitingJoin = std::move(respond);
            respondJoin(group, member, ErrorCode::NONE);
            return;
        }
        member.awaitingJoin = std::move(respond);
        prepareRebalance(group, "member " + memberId + " updated its subscription while the group was syncing");
        return;
    case GroupState::Stable:
        if (memberId == group.leaderId || !sameProtocols) {
            member.awaitingJoin = std::move(respond);
            prepareRebalance(group,
                memberId == group.leaderId ? "the leader " + memberId + " rejoined"
                                           : "member " + memberId + " changed its subscription");
            return;
        }
        // A follower with nothing new: tell it the current generation, no rebalance.
        member.awaitingJoin = std::move(respond);
        respondJoin(group, member, ErrorCode::NONE);
        return;
    case GroupState::Empty:
    case GroupState::Dead:
        break;
    }
    protocol::JoinGroupResponse response;
    response.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
    response.memberId = memberId;
    respond(std::move(response));
}

void GroupCoordinator::addMemberAndRebalance(Group& group, const std::string& memberId,
    protocol::JoinGroupRequest&& request, GroupResponder<protocol::JoinGroupResponse>&& respond)
{
    Member& member = group.members[memberId];
    member.memberId = memberId;
    member.groupInstanceId = request.groupInstanceId;
    member.clientId = request.client.clientId;
    member.clientHost = request.client.clientHost;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.protocolType = request.protocolType;
    member.protocols = std::move(request.protocols);
    member.awaitingJoin = std::move(respond);
    member.isNew = true;
    if (member.groupInstanceId)
        group.staticMembers[*member.groupInstanceId] = memberId;
    if (group.leaderId.empty()) // Kafka's ClassicGroup.add: the first member added leads
        group.leaderId = memberId;
    if (group.protocolType.empty())
        group.protocolType = member.protocolType;
    group.newMemberAdded = true;
    trace("group.member_joined", group,
        "member " + memberId + " (client " + member.clientId + ") joined group " + group.groupId,
        { { "members", static_cast<std::int64_t>(group.members.size()) } });
    // A new member's session is checked from now on (Kafka's new-member join timeout).
    scheduleSessionExpiry(group, member);
    if (group.state == GroupState::PreparingRebalance)
        tryCompleteJoin(group, false);
    else
        prepareRebalance(group, "member " + memberId + " joined");
}

void GroupCoordinator::transition(Group& group, GroupState to)
{
    if (group.state == to)
        return;
    const GroupState from = group.state;
    group.state = to;
    trace("group.state_changed", group,
        "group " + group.groupId + ": " + std::string(groupStateName(from)) + " -> " + std::string(groupStateName(to)),
        { { "from", static_cast<std::int64_t>(from) }, { "to", static_cast<std::int64_t>(to) } });
}

void GroupCoordinator::prepareRebalance(Group& group, const std::string& reason)
{
    if (group.state == GroupState::CompletingRebalance)
        respondSyncWaiters(group, ErrorCode::REBALANCE_IN_PROGRESS);
    const bool initial = group.state == GroupState::Empty;
    if (group.rebalanceStart < 0)
        group.rebalanceStart = context_.now();
    group.rebalanceReason = reason;
    transition(group, GroupState::PreparingRebalance);
    trace("group.rebalance_started", group, "group " + group.groupId + " rebalances: " + reason,
        { { "members", static_cast<std::int64_t>(group.members.size()) } });
    std::int32_t rebalanceTimeout = 0;
    for (const auto& [id, member] : group.members)
        rebalanceTimeout = std::max(rebalanceTimeout, member.rebalanceTimeoutMs);
    if (initial) {
        // InitialDelayedJoin: wait group.initial.rebalance.delay.ms for more members, again each
        // time one arrives, up to the rebalance timeout.
        group.initialDelayRemainingMs = std::max(0, rebalanceTimeout - config_.groupInitialRebalanceDelayMs);
        group.newMemberAdded = false;
        group.initialDelay = true;
        scheduleJoinCompletion(group, sim::fromMs(config_.groupInitialRebalanceDelayMs));
    } else {
        group.initialDelay = false;
        scheduleJoinCompletion(group, sim::fromMs(rebalanceTimeout));
        tryCompleteJoin(group, false);
    }
}

void GroupCoordinator::scheduleJoinCompletion(Group& group, sim::SimTime delay)
{
    const std::uint64_t token = ++group.joinToken;
    const std::uint64_t epoch = epoch_;
    const std::string groupId = group.groupId;
    context_.scheduler.scheduleAfter(delay, [this, epoch, groupId, token] {
        if (epoch != epoch_)
            return;
        Group* g = findGroup(groupId);
        if (!g || g->joinToken != token || g->state != GroupState::PreparingRebalance)
            return;
        if (g->initialDelay && g->newMemberAdded && g->initialDelayRemainingMs > 0) {
            const std::int32_t next = std::min(config_.groupInitialRebalanceDelayMs, g->initialDelayRemainingMs);
            g->initialDelayRemainingMs -= next;
            g->newMemberAdded = false;
            scheduleJoinCompletion(*g, sim::fromMs(next));
            return;
        }
        g->initialDelay = false;
        tryCompleteJoin(*g, true);
    });
}

void GroupCoordinator::tryCompleteJoin(Group& group, bool deadline)
{
    if (group.state != GroupState::PreparingRebalance)
        return;
    if (!deadline) {
        if (group.initialDelay)
            return; // the initial delay runs its course
        const bool everyone = std::all_of(group.members.begin(), group.members.end(),
            [](const auto& entry) { return static_cast<bool>(entry.second.awaitingJoin); });
        if (!everyone || !group.pendingMembers.empty())
            return;
    }
    completeJoin(group);
}

void GroupCoordinator::completeJoin(Group& group)
{
    // Members that did not rejoin within the rebalance timeout are removed (static ones too: they
    // missed the rebalance).
    std::vector<std::string> late;
    for (const auto& [id, member] : group.members) {
        if (!member.awaitingJoin)
            late.push_back(id);
    }
    for (const std::string& id : late) {
        trace("group.member_removed", group,
            "member " + id + " of group " + group.groupId + " did not rejoin within the rebalance timeout and is removed");
        Member& member = group.members.at(id);
        if (member.groupInstanceId)
            group.staticMembers.erase(*member.groupInstanceId);
        group.members.erase(id);
    }
    group.pendingMembers.clear();
    ++group.generation;
    for (auto& [id, member] : group.members) {
        member.isNew = false;
        member.assignment.clear();
    }
    if (group.members.empty()) {
        group.protocolName.reset();
        group.leaderId.clear();
        transition(group, GroupState::Empty);
        const sim::SimTime took = context_.now() - std::max<sim::SimTime>(group.rebalanceStart, 0);
        group.rebalanceStart = -1;
        trace("group.rebalance_completed", group,
            "group " + group.groupId + " is empty after its rebalance; generation " + std::to_string(group.generation),
            { { "members", 0 }, { "duration_ms", static_cast<std::int64_t>(sim::toMs(took)) } });
        appendToLog(group, { { encodeKey(GroupMetadataKey { group.groupId }), encodeGroupValue(storedForm(group)) } },
            [](ErrorCode) {});
        return;
    }
    group.protocolName = selectProtocol(group);
    if (group.members.count(group.leaderId) == 0)
        group.leaderId = group.members.begin()->first;
    transition(group, GroupState::CompletingRebalance);
    trace("group.generation_started", group,
        "group " + group.groupId + " starts generation " + std::to_string(group.generation) + " with "
            + std::to_string(group.members.size()) + " members; leader " + group.leaderId + ", assignor "
            + group.protocolName.value_or("?"),
        { { "members", static_cast<std::int64_t>(group.members.size()) } });
    for (auto& [id, member] : group.members) {
        respondJoin(group, member, ErrorCode::NONE);
        scheduleSessionExpiry(group, member);
    }
}

void GroupCoordinator::respondJoin(Group& group, Member& member, ErrorCode error)
{
    if (!member.awaitingJoin)
        return;
    protocol::JoinGroupResponse response;
    response.errorCode = error;
    response.generationId = group.generation;
    response.protocolType = group.protocolType;
    response.protocolName = group.protocolName;
    response.leader = group.leaderId;
    response.memberId = member.memberId;
    if (member.memberId == group.leaderId && group.state == GroupState::CompletingRebalance) {
        for (const auto& [id, other] : group.members) {
            protocol::JoinGroupResponseMember entry;
            entry.memberId = id;
            entry.groupInstanceId = other.groupInstanceId;
            for (const auto& p : other.protocols) {
                if (p.name == group.protocolName)
                    entry.metadata = p.metadata;
            }
            response.members.push_back(std::move(entry));
        }
    }
    auto respond = std::move(member.awaitingJoin);
    member.awaitingJoin = {};
    respond(std::move(response));
}

void GroupCoordinator::respondSyncWaiters(Group& group, ErrorCode error)
{
    for (auto& [id, member] : group.members) {
        if (!member.awaitingSync)
            continue;
        protocol::SyncGroupResponse response;
        response.errorCode = error;
        response.protocolType = group.protocolType;
        response.protocolName = group.protocolName;
        if (error == ErrorCode::NONE)
            response.assignment = member.assignment;
        auto respond = std::move(member.awaitingSync);
        member.awaitingSync = {};
        respond(std::move(response));
    }
}

// ---- SyncGroup

void GroupCoordinator::handleSyncGroup(
    protocol::SyncGroupRequest request, GroupResponder<protocol::SyncGroupResponse> respond)
{
    ++counters_.syncs;
    auto fail = [&respond](ErrorCode error) {
        protocol::SyncGroupResponse response;
        response.errorCode = error;
        respond(std::move(response));
    };
    if (const ErrorCode error = checkCoordinator(request.groupId); error != ErrorCode::NONE) {
        fail(error);
        return;
    }
    Group* group = findGroup(request.groupId);
    if (!group) {
        fail(ErrorCode::UNKNOWN_MEMBER_ID);
        return;
    }
    if (request.groupInstanceId) {
        // Kafka's validateMember: the old process of a restarted static member is fenced.
        auto instance = group->staticMembers.find(*request.groupInstanceId);
        if (instance != group->staticMembers.end() && instance->second != request.memberId) {
            fail(ErrorCode::FENCED_INSTANCE_ID);
            return;
        }
    }
    auto it = group->members.find(request.memberId);
    if (it == group->members.end()) {
        fail(ErrorCode::UNKNOWN_MEMBER_ID);
        return;
    }
    if (request.generationId != group->generation) {
        fail(ErrorCode::ILLEGAL_GENERATION);
        return;
    }
    if ((request.protocolType && *request.protocolType != group->protocolType)
        || (request.protocolName && *request.protocolName != group->protocolName.value_or(""))) {
        fail(ErrorCode::INCONSISTENT_GROUP_PROTOCOL);
        return;
    }
    Member& member = it->second;
    switch (group->state) {
    case GroupState::Empty:
    case GroupState::Dead:
        fail(ErrorCode::UNKNOWN_MEMBER_ID);
        return;
    case GroupState::PreparingRebalance:
        fail(ErrorCode::REBALANCE_IN_PROGRESS);
        return;
    case GroupState::Stable: {
        protocol::SyncGroupResponse response;
        response.protocolType = group->protocolType;
        response.protocolName = group->protocolName;
        response.assignment = member.assignment;
        scheduleSessionExpiry(*group, member);
        respond(std::move(response));
        return;
    }
    case GroupState::CompletingRebalance:
        break;
    }
    member.awaitingSync = std::move(respond);
    scheduleSessionExpiry(*group, member);
    if (request.memberId != group->leaderId)
        return;
    std::map<std::string, protocol::ByteString> assignments;
    for (auto& entry : request.assignments)
        assignments[entry.memberId] = std::move(entry.assignment);
    completeSync(*group, std::move(assignments));
}

void GroupCoordinator::completeSync(Group& group, std::map<std::string, protocol::ByteString> assignments)
{
    // The leader's assignment is stored in __consumer_offsets before anyone hears of it, so a new
    // coordinator after a failover knows the generation.
    for (auto& [id, member] : group.members) {
        auto it = assignments.find(id);
        member.assignment = it == assignments.end() ? protocol::ByteString() : std::move(it->second);
    }
    const std::int32_t generation = group.generation;
    const std::string groupId = group.groupId;
    const std::uint64_t epoch = epoch_;
    appendToLog(group, { { encodeKey(GroupMetadataKey { group.groupId }), encodeGroupValue(storedForm(group)) } },
        [this, epoch, groupId, generation](ErrorCode error) {
            if (epoch != epoch_)
                return;
            Group* g = findGroup(groupId);
            if (!g || g->generation != generation || g->state != GroupState::CompletingRebalance)
                return;
            if (error != ErrorCode::NONE) {
                for (auto& [id, member] : g->members)
                    member.assignment.clear();
                respondSyncWaiters(*g, error);
                prepareRebalance(*g, "storing the assignment failed with " + std::string(protocol::errorName(error)));
                return;
            }
            transition(*g, GroupState::Stable);
            const sim::SimTime took = context_.now() - std::max<sim::SimTime>(g->rebalanceStart, 0);
            ++g->rebalances;
            g->rebalanceMs += static_cast<std::int64_t>(sim::toMs(took));
            countMoves(*g);
            g->rebalanceStart = -1;
            trace("group.rebalance_completed", *g,
                "group " + g->groupId + " is Stable in generation " + std::to_string(g->generation) + " with "
                    + std::to_string(g->members.size()) + " members after " + std::to_string(sim::toMs(took))
                    + " ms (" + g->rebalanceReason + ")",
                { { "members", static_cast<std::int64_t>(g->members.size()) },
                    { "duration_ms", static_cast<std::int64_t>(sim::toMs(took)) } });
            respondSyncWaiters(*g, ErrorCode::NONE);
        });
}

} // namespace brokerlab::cluster
