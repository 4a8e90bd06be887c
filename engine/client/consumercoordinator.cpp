#include "client/consumercoordinator.h"

#include "group/consumerprotocol.h"

#include <algorithm>
#include <memory>
#include <sstream>

namespace brokerlab::client {

using protocol::ErrorCode;
using protocol::TopicPartition;

std::string_view memberStateName(MemberState state)
{
    switch (state) {
    case MemberState::Unjoined:
        return "Unjoined";
    case MemberState::Joining:
        return "Joining";
    case MemberState::AwaitingSync:
        return "AwaitingSync";
    case MemberState::Stable:
        return "Stable";
    case MemberState::Left:
        return "Left";
    case MemberState::Failed:
        return "Failed";
    }
    return "Unknown";
}

namespace {

std::string listText(const std::vector<TopicPartition>& partitions)
{
    std::string text;
    for (const auto& partition : partitions)
        text += (text.empty() ? "" : ", ") + partition.toString();
    return "[" + text + "]";
}

std::vector<TopicPartition> minus(const std::vector<TopicPartition>& a, const std::vector<TopicPartition>& b)
{
    std::vector<TopicPartition> result;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(result));
    return result;
}

} // namespace

ConsumerCoordinator::ConsumerCoordinator(
    cluster::Cluster& cluster, sim::NodeId node, const ConsumerConfig& config, Hooks hooks)
    : cluster_(cluster)
    , context_(cluster.context())
    , node_(node)
    , config_(config)
    , hooks_(std::move(hooks))
    , kip848_(config.groupProtocol == "consumer")
{
    std::stringstream names(config_.partitionAssignmentStrategy);
    std::string name;
    while (std::getline(names, name, ',')) {
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        if (auto kind = group::assignorFromName(name); kind && group::isSupported(*kind))
            assignors_.push_back(*kind);
    }
    if (assignors_.empty())
        assignors_.push_back(group::AssignorKind::Range);
}

ConsumerCoordinator::~ConsumerCoordinator() = default;

void ConsumerCoordinator::trace(std::string kind, std::string message,
    std::vector<std::pair<std::string, std::int64_t>> numbers,
    std::vector<std::pair<std::string, std::vector<TopicPartition>>> partitions)
{
    numbers.insert(numbers.begin(), { "generation", kip848_ ? kipEpoch_ : generation_ });
    std::vector<std::pair<std::string, std::vector<sim::EventPartition>>> lists;
    for (auto& [name, list] : partitions) {
        std::vector<sim::EventPartition> entries;
        entries.reserve(list.size());
        for (TopicPartition& partition : list)
            entries.push_back({ std::move(partition.topic), partition.partition });
        lists.emplace_back(std::move(name), std::move(entries));
    }
    context_.trace.record({ .time = context_.now(),
        .kind = std::move(kind),
        .broker = coordinator_,
        .topic = {},
        .client = config_.clientId,
        .numbers = std::move(numbers),
        .message = std::move(message),
        .partitionLists = std::move(lists) });
}

protocol::ClientIdentity ConsumerCoordinator::identity() const
{
    return { config_.clientId, "/sim-client-" + std::to_string(node_) };
}

template <typename Request, typename Response>
void ConsumerCoordinator::send(
    Request request, std::function<void(Response&&)> onResponse, std::function<void(RequestFailure)> onFailure)
{
    // A request answers once: by its response, by a closed connection (the coordinator's process
    // died: Kafka's NetworkClient fails the requests in flight at once) or by request.timeout.ms,
    // whichever comes first. A reset member (requestEpoch_) ignores all of them.
    auto settled = std::make_shared<bool>(false);
    const std::uint64_t epoch = requestEpoch_;
    auto fail = [this, settled, epoch, onFailure](RequestFailure failure) {
        if (*settled || crashed_ || epoch != requestEpoch_)
            return;
        *settled = true;
        onFailure(failure);
    };
    std::int64_t timeoutMs = config_.requestTimeoutMs;
    if constexpr (std::is_same_v<Request, protocol::JoinGroupRequest>)
        timeoutMs = std::max<std::int64_t>(timeoutMs, config_.maxPollIntervalMs + 5000); // Kafka's join timeout
    const bool sent = cluster_.sendGroupRequest<Request, Response>(
        node_, coordinator_, std::move(request),
        [this, settled, epoch, onResponse](Response&& response) {
            if (*settled || crashed_ || epoch != requestEpoch_)
                return;
            *settled = true;
            onResponse(std::move(response));
        },
        [fail] { fail(RequestFailure::Disconnected); });
    // A refused connection is reported after the reconnect backoff, so a member does not spin.
    context_.scheduler.scheduleAfter(sim::fromMs(static_cast<double>(sent ? timeoutMs : config_.retryBackoffMs)),
        [fail, sent] { fail(sent ? RequestFailure::TimedOut : RequestFailure::Refused); });
}

std::string failureText(std::string_view api, RequestFailure failure)
{
    switch (failure) {
    case RequestFailure::TimedOut:
        return std::string(api) + " timed out";
    case RequestFailure::Disconnected:
        return std::string(api) + " failed: the coordinator's connection closed";
    case RequestFailure::Refused:
        return std::string(api) + " failed: connection refused";
    }
    return std::string(api) + " failed";
}

// The KIP-848 path (consumerkip848.cpp) sends through the same template.
template void
    ConsumerCoordinator::send<protocol::ConsumerGroupHeartbeatRequest, protocol::ConsumerGroupHeartbeatResponse>(
        protocol::ConsumerGroupHeartbeatRequest, std::function<void(protocol::ConsumerGroupHeartbeatResponse&&)>,
        std::function<void(RequestFailure)>);

// ---- Coordinator discovery

void ConsumerCoordinator::subscribe(std::vector<std::string> topics)
{
    std::sort(topics.begin(), topics.end());
    topics_ = std::move(topics);
    lastPoll_ = context_.now();
    nextAutoCommit_ = context_.now() + sim::fromMs(static_cast<double>(config_.autoCommitIntervalMs));
    requestRejoin("subscribed to " + std::to_string(topics_.size()) + " topics");
    findCoordinator();
}

void ConsumerCoordinator::findCoordinator()
{
    if (findingCoordinator_ || crashed_ || state_ == MemberState::Left)
        return;
    const auto brokers = cluster_.brokerIds();
    if (brokers.empty())
        return;
    findingCoordinator_ = true;
    const std::int32_t broker = brokers[static_cast<std::size_t>(bootstrapIndex_++) % brokers.size()];
    const std::int32_t previous = coordinator_;
    coordinator_ = broker; // FindCoordinator goes to any broker
    send<protocol::FindCoordinatorRequest, protocol::FindCoordinatorResponse>(
        protocol::FindCoordinatorRequest { config_.groupId, protocol::CoordinatorType::Group },
        [this](protocol::FindCoordinatorResponse&& response) {
            findingCoordinator_ = false;
            if (response.errorCode != ErrorCode::NONE) {
                coordinator_ = -1;
                context_.scheduler.scheduleAfter(
                    sim::fromMs(static_cast<double>(config_.retryBackoffMs)), [this] { findCoordinator(); });
                return;
            }
            coordinator_ = response.nodeId;
            trace("consumer.coordinator_found",
                "consumer '" + config_.clientId + "' found group " + config_.groupId + "'s coordinator: broker "
                    + std::to_string(coordinator_));
            lastHeartbeatOk_ = context_.now();
            if (kip848_) {
                sendConsumerHeartbeat();
                return;
            }
            if (rejoinNeeded_ && state_ != MemberState::Joining && state_ != MemberState::AwaitingSync)
                startJoin();
            else
                scheduleHeartbeat(0);
        },
        [this](RequestFailure) {
            findingCoordinator_ = false;
            coordinator_ = -1;
            findCoordinator(); // the next broker
        });
    (void)previous;
}

void ConsumerCoordinator::coordinatorUnknown(const std::string& why)
{
    if (coordinator_ >= 0) {
        trace("consumer.coordinator_lost",
            "consumer '" + config_.clientId + "' marks coordinator " + std::to_string(coordinator_) + " dead: " + why);
    }
    coordinator_ = -1;
    if (state_ == MemberState::Joining || state_ == MemberState::AwaitingSync) {
        // The join or sync in flight is abandoned; the member joins again at the new coordinator.
        state_ = MemberState::Unjoined;
        rejoinNeeded_ = true;
    }
    ++requestEpoch_;
    // Answers to requests in flight are ignored from now on: nothing may keep waiting for them.
    joinPrepareCommit_ = false;
    findingCoordinator_ = false;
    findCoordinator();
}

// ---- Joining

void ConsumerCoordinator::requestRejoin(const std::string& why)
{
    if (!rejoinNeeded_)
        rejoinReason_ = why;
    rejoinNeeded_ = true;
}

void ConsumerCoordinator::onPoll()
{
    if (crashed_ || state_ == MemberState::Left || state_ == MemberState::Failed)
        return;
    lastPoll_ = context_.now();
    if (kip848_) {
        maybeAutoCommit();
        return;
    }
    if (state_ == MemberState::Unjoined && coordinator_ < 0)
        findCoordinator();
    // While FindCoordinator is in flight coordinator_ names the broker it went to, not the
    // coordinator: joining there would earn NOT_COORDINATOR. The answer starts the join.
    if (rejoinNeeded_ && coordinator_ >= 0 && !findingCoordinator_ && state_ != MemberState::Joining
        && state_ != MemberState::AwaitingSync)
        startJoin();
    else if (state_ == MemberState::Stable)
        maybeAutoCommit();
}

std::vector<protocol::JoinGroupRequestProtocol> ConsumerCoordinator::protocols() const
{
    std::vector<protocol::JoinGroupRequestProtocol> result;
    for (group::AssignorKind kind : assignors_) {
        group::Subscription subscription;
        subscription.topics = topics_;
        // An eager member owns nothing when it joins (it revoked everything first); the sticky
        // assignor still learns its previous assignment, as Kafka's StickyAssignor sends it in userData.
        const bool eagerSticky = kind == group::AssignorKind::Sticky && owned_.empty();
        for (const auto& partition : eagerSticky ? lastAssigned_ : owned_)
            subscription.ownedPartitions.push_back({ partition.topic, partition.partition });
        subscription.generationId = eagerSticky ? lastAssignedGeneration_ : generation_;
        result.push_back({ std::string(group::assignorName(kind)), group::encodeSubscription(subscription) });
    }
    return result;
}

void ConsumerCoordinator::startJoin()
{
    // Eager assignors give everything up before joining (committing first when auto-commit is on);
    // cooperative-sticky keeps what it owns and gives up only what the assignment moves.
    const bool cooperative = !assignors_.empty() && assignors_.front() == group::AssignorKind::CooperativeSticky;
    const auto counts = hooks_.partitionCounts();
    for (const std::string& topic : topics_) {
        if (counts.count(topic) == 0)
            return; // metadata for the subscription first: a leader assigns from it (retried on the next poll)
    }
    state_ = MemberState::Joining;
    enterRebalance();
    trace("consumer.rebalance_started",
        "consumer '" + config_.clientId + "' (re)joins group " + config_.groupId + ": " + rejoinReason_);
    if (!cooperative && !owned_.empty()) {
        if (config_.enableAutoCommit) {
            // Kafka's onJoinPrepare: still a member of the current generation, it commits what
            // it processed (the coordinator accepts that in PreparingRebalance), then gives up.
            joinPrepareCommit_ = true;
            sendCommit({}, [this](ErrorCode) {
                joinPrepareCommit_ = false;
                revoke(owned_, false);
                sendJoin();
            }, true);
            return;
        }
        revoke(owned_, false);
    }
    sendJoin();
}

void ConsumerCoordinator::sendJoin()
{
    if (crashed_ || state_ != MemberState::Joining)
        return;
    if (coordinator_ < 0) {
        findCoordinator();
        return;
    }
    rejoinNeeded_ = false;
    ++counters_.joins;
    protocol::JoinGroupRequest request;
    request.groupId = config_.groupId;
    request.sessionTimeoutMs = config_.sessionTimeoutMs;
    request.rebalanceTimeoutMs = config_.maxPollIntervalMs;
    request.memberId = memberId_;
    if (!config_.groupInstanceId.empty())
        request.groupInstanceId = config_.groupInstanceId;
    request.protocols = protocols();
    request.reason = rejoinReason_;
    request.client = identity();
    send<protocol::JoinGroupRequest, protocol::JoinGroupResponse>(
        std::move(request), [this](protocol::JoinGroupResponse&& response) { onJoinResponse(std::move(response)); },
        [this](RequestFailure failure) { coordinatorUnknown(failureText("JoinGroup", failure)); });
}

void ConsumerCoordinator::onJoinResponse(protocol::JoinGroupResponse&& response)
{
    switch (response.errorCode) {
    case ErrorCode::NONE:
        break;
    case ErrorCode::MEMBER_ID_REQUIRED:
        memberId_ = response.memberId;
        sendJoin();
        return;
    case ErrorCode::UNKNOWN_MEMBER_ID:
        resetMember(false);
        state_ = MemberState::Joining;
        sendJoin();
        return;
    case ErrorCode::COORDINATOR_LOAD_IN_PROGRESS:
    case ErrorCode::REBALANCE_IN_PROGRESS:
        context_.scheduler.scheduleAfter(sim::fromMs(static_cast<double>(config_.retryBackoffMs)), [this] { sendJoin(); });
        return;
    case ErrorCode::NOT_COORDINATOR:
    case ErrorCode::COORDINATOR_NOT_AVAILABLE:
        coordinatorUnknown(std::string(protocol::errorName(response.errorCode)));
        return;
    default:
        state_ = MemberState::Failed;
        leaveRebalance();
        trace("consumer.group_error",
            "consumer '" + config_.clientId + "' cannot join group " + config_.groupId + ": "
                + std::string(protocol::errorName(response.errorCode)));
        if (hooks_.fatal)
            hooks_.fatal(std::string(protocol::errorName(response.errorCode)));
        return;
    }
    memberId_ = response.memberId;
    generation_ = response.generationId;
    protocolName_ = response.protocolName.value_or("");
    state_ = MemberState::AwaitingSync;
    std::vector<protocol::SyncGroupRequestAssignment> assignments;
    if (response.leader == memberId_) {
        // The leader runs the chosen assignor over every member's subscription.
        std::vector<group::MemberSubscription> members;
        for (const auto& member : response.members) {
            group::MemberSubscription entry;
            entry.memberId = member.memberId;
            entry.groupInstanceId = member.groupInstanceId;
            if (auto subscription = group::decodeSubscription(member.metadata)) {
                entry.topics = subscription->topics;
                entry.ownedPartitions = subscription->ownedPartitions;
                entry.generation = subscription->generationId;
            }
            members.push_back(std::move(entry));
        }
        const auto kind = group::assignorFromName(protocolName_).value_or(group::AssignorKind::Range);
        const group::AssignResult result = group::assign(kind, members, hooks_.partitionCounts());
        for (const auto& member : members) {
            group::MemberAssignment assignment;
            if (auto it = result.assignment.find(member.memberId); it != result.assignment.end())
                assignment.partitions = it->second;
            assignments.push_back({ member.memberId, group::encodeAssignment(assignment) });
        }
        trace("consumer.assignment_computed",
            "consumer '" + config_.clientId + "' leads generation " + std::to_string(generation_) + " of group "
                + config_.groupId + " and assigned partitions to " + std::to_string(members.size()) + " members with "
                + protocolName_,
            { { "members", static_cast<std::int64_t>(members.size()) } });
    }
    sendSync(std::move(assignments));
}

void ConsumerCoordinator::sendSync(std::vector<protocol::SyncGroupRequestAssignment> assignments)
{
    protocol::SyncGroupRequest request;
    request.groupId = config_.groupId;
    request.generationId = generation_;
    request.memberId = memberId_;
    if (!config_.groupInstanceId.empty())
        request.groupInstanceId = config_.groupInstanceId;
    request.protocolType = "consumer";
    request.protocolName = protocolName_;
    request.assignments = std::move(assignments);
    send<protocol::SyncGroupRequest, protocol::SyncGroupResponse>(
        std::move(request), [this](protocol::SyncGroupResponse&& response) { onSyncResponse(std::move(response)); },
        [this](RequestFailure failure) { coordinatorUnknown(failureText("SyncGroup", failure)); });
    scheduleHeartbeat(sim::fromMs(static_cast<double>(config_.heartbeatIntervalMs)));
}

void ConsumerCoordinator::onSyncResponse(protocol::SyncGroupResponse&& response)
{
    switch (response.errorCode) {
    case ErrorCode::NONE:
        break;
    case ErrorCode::REBALANCE_IN_PROGRESS:
        state_ = MemberState::Unjoined;
        requestRejoin("the group rebalanced again during SyncGroup");
        onPoll();
        return;
    case ErrorCode::UNKNOWN_MEMBER_ID:
    case ErrorCode::ILLEGAL_GENERATION:
        resetMember(response.errorCode == ErrorCode::ILLEGAL_GENERATION);
        requestRejoin(std::string(protocol::errorName(response.errorCode)) + " on SyncGroup");
        onPoll();
        return;
    case ErrorCode::NOT_COORDINATOR:
    case ErrorCode::COORDINATOR_NOT_AVAILABLE:
        coordinatorUnknown(std::string(protocol::errorName(response.errorCode)));
        return;
    default:
        state_ = MemberState::Unjoined;
        requestRejoin(std::string(protocol::errorName(response.errorCode)) + " on SyncGroup");
        return;
    }
    std::vector<TopicPartition> assigned;
    if (auto decoded = group::decodeAssignment(response.assignment)) {
        for (const auto& partition : decoded->partitions)
            assigned.push_back({ partition.topic, partition.partition });
    }
    std::sort(assigned.begin(), assigned.end());
    lastAssigned_ = assigned;
    lastAssignedGeneration_ = generation_;
    state_ = MemberState::Stable;
    ++counters_.rebalances;
    lastHeartbeatOk_ = context_.now();
    applyAssignment(assigned);
}

void ConsumerCoordinator::applyAssignment(const std::vector<TopicPartition>& assigned)
{
    const std::vector<TopicPartition> revoked = minus(owned_, assigned);
    const std::vector<TopicPartition> added = minus(assigned, owned_);
    trace("consumer.assignment_received",
        "consumer '" + config_.clientId + "' got " + listText(assigned) + " in generation "
            + std::to_string(kip848_ ? kipEpoch_ : generation_) + "; revoked " + listText(revoked) + ", added "
            + listText(added),
        { { "assigned", static_cast<std::int64_t>(assigned.size()) },
            { "revoked", static_cast<std::int64_t>(revoked.size()) },
            { "added", static_cast<std::int64_t>(added.size()) } },
        { { "assigned", assigned }, { "revoked", revoked }, { "added", added } });
    if (!revoked.empty()) {
        // Cooperative: give these up (committing first), then rejoin so they can be handed on.
        if (config_.enableAutoCommit) {
            commit({}, [](ErrorCode) {});
        }
        revoke(revoked, false);
        if (!kip848_)
            requestRejoin("partitions were revoked in a cooperative rebalance");
    }
    if (!added.empty())
        fetchCommittedThenAssign(added);
    else
        leaveRebalance();
    if (!kip848_ && rejoinNeeded_)
        onPoll();
}

void ConsumerCoordinator::fetchCommittedThenAssign(std::vector<TopicPartition> added)
{
    // Added partitions start from the group's committed offsets (OffsetFetch).
    std::vector<TopicPartition> merged = owned_;
    merged.insert(merged.end(), added.begin(), added.end());
    std::sort(merged.begin(), merged.end());
    owned_ = merged;
    protocol::OffsetFetchRequest request;
    request.groupId = config_.groupId;
    request.topics = std::vector<protocol::OffsetFetchRequestTopic>();
    for (const auto& partition : added) {
        if (request.topics->empty() || request.topics->back().name != partition.topic)
            request.topics->push_back({ partition.topic, {} });
        request.topics->back().partitionIndexes.push_back(partition.partition);
    }
    auto retry = [this, added] {
        context_.scheduler.scheduleAfter(sim::fromMs(static_cast<double>(config_.retryBackoffMs)), [this, added] {
            std::vector<TopicPartition> still;
            for (const auto& partition : added) {
                if (std::binary_search(owned_.begin(), owned_.end(), partition))
                    still.push_back(partition);
            }
            owned_ = minus(owned_, still);
            if (!still.empty())
                fetchCommittedThenAssign(still);
        });
    };
    send<protocol::OffsetFetchRequest, protocol::OffsetFetchResponse>(
        std::move(request),
        [this, added, retry](protocol::OffsetFetchResponse&& response) {
            if (response.errorCode != ErrorCode::NONE) {
                if (response.errorCode == ErrorCode::NOT_COORDINATOR)
                    coordinatorUnknown("NOT_COORDINATOR on OffsetFetch");
                retry();
                return;
            }
            OffsetMap committed;
            for (const auto& topic : response.topics) {
                for (const auto& partition : topic.partitions)
                    committed[{ topic.name, partition.partitionIndex }] = partition.committedOffset;
            }
            std::vector<TopicPartition> stillOwned;
            for (const auto& partition : added) {
                if (std::binary_search(owned_.begin(), owned_.end(), partition))
                    stillOwned.push_back(partition);
            }
            hooks_.assign(stillOwned, committed);
            leaveRebalance();
        },
        [this, retry](RequestFailure failure) {
            coordinatorUnknown(failureText("OffsetFetch", failure));
            retry();
        });
}

void ConsumerCoordinator::revoke(std::vector<TopicPartition> partitions, bool lost)
{
    // By value: callers pass owned_ itself, which this function shrinks before the hook runs.
    if (partitions.empty())
        return;
    (lost ? counters_.lost : counters_.revoked) += static_cast<std::int64_t>(partitions.size());
    trace(lost ? "consumer.partitions_lost" : "consumer.partitions_revoked",
        "consumer '" + config_.clientId + "' " + (lost ? "lost " : "gave up ") + listText(partitions),
        { { "partitions", static_cast<std::int64_t>(partitions.size()) } }, { { "partitions", partitions } });
    owned_ = minus(owned_, partitions);
    hooks_.revoke(partitions, lost);
    enterRebalance();
}

void ConsumerCoordinator::resetMember(bool keepMemberId)
{
    if (!keepMemberId)
        memberId_.clear();
    generation_ = -1;
    state_ = MemberState::Unjoined;
    ++requestEpoch_;
    // Answers to requests in flight are ignored from now on: nothing may keep waiting for them.
    joinPrepareCommit_ = false;
    findingCoordinator_ = false;
    // The generation is gone: what it owned can no longer be committed (onPartitionsLost).
    revoke(owned_, true);
}

void ConsumerCoordinator::enterRebalance()
{
    // A member that owned partitions and now owns none cannot consume: that is its share of the
    // rebalance's stop-the-world time (eager protocols revoke everything; cooperative ones rarely do).
    if (owned_.empty() && counters_.rebalances > 0 && pauseStart_ < 0)
        pauseStart_ = context_.now();
}

void ConsumerCoordinator::leaveRebalance()
{
    if (pauseStart_ < 0 || owned_.empty())
        return;
    counters_.pausedMs += static_cast<std::int64_t>(sim::toMs(context_.now() - pauseStart_));
    pauseStart_ = -1;
}

// ---- Heartbeats and liveness

void ConsumerCoordinator::scheduleHeartbeat(sim::SimTime delay)
{
    const std::uint64_t token = ++heartbeatToken_;
    context_.scheduler.scheduleAfter(delay, [this, token] {
        if (token == heartbeatToken_)
            sendHeartbeat();
    });
}

void ConsumerCoordinator::sendHeartbeat()
{
    if (crashed_ || state_ == MemberState::Left || state_ == MemberState::Failed)
        return;
    const sim::SimTime interval = sim::fromMs(static_cast<double>(config_.heartbeatIntervalMs));
    scheduleHeartbeat(interval);
    checkPollInterval();
    if (state_ == MemberState::Left)
        return;
    if (context_.now() - lastHeartbeatOk_ > sim::fromMs(static_cast<double>(config_.sessionTimeoutMs)))
        coordinatorUnknown("no successful heartbeat for session.timeout.ms");
    if (coordinator_ < 0) {
        findCoordinator();
        return;
    }
    if (state_ != MemberState::Stable || heartbeatInFlight_ || memberId_.empty())
        return;
    heartbeatInFlight_ = true;
    ++counters_.heartbeats;
    protocol::HeartbeatRequest request { config_.groupId, generation_, memberId_,
        config_.groupInstanceId.empty() ? std::nullopt : std::optional<std::string>(config_.groupInstanceId) };
    send<protocol::HeartbeatRequest, protocol::HeartbeatResponse>(
        std::move(request),
        [this](protocol::HeartbeatResponse&& response) {
            heartbeatInFlight_ = false;
            switch (response.errorCode) {
            case ErrorCode::NONE:
                lastHeartbeatOk_ = context_.now();
                return;
            case ErrorCode::REBALANCE_IN_PROGRESS:
                lastHeartbeatOk_ = context_.now();
                requestRejoin("the coordinator started a rebalance");
                return;
            case ErrorCode::ILLEGAL_GENERATION:
            case ErrorCode::UNKNOWN_MEMBER_ID:
            case ErrorCode::FENCED_INSTANCE_ID:
                resetMember(response.errorCode == ErrorCode::ILLEGAL_GENERATION);
                requestRejoin(std::string(protocol::errorName(response.errorCode)) + " on Heartbeat");
                return;
            case ErrorCode::NOT_COORDINATOR:
            case ErrorCode::COORDINATOR_NOT_AVAILABLE:
                coordinatorUnknown(std::string(protocol::errorName(response.errorCode)) + " on Heartbeat");
                return;
            default:
                return;
            }
        },
        [this](RequestFailure failure) {
            heartbeatInFlight_ = false;
            coordinatorUnknown(failureText("Heartbeat", failure));
        });
}

void ConsumerCoordinator::checkPollInterval()
{
    // Kafka's heartbeat thread: an application that has not polled for max.poll.interval.ms is
    // stuck, so the member leaves and its partitions go to the others.
    if (state_ != MemberState::Stable && state_ != MemberState::AwaitingSync)
        return;
    if (context_.now() - lastPoll_ <= sim::fromMs(static_cast<double>(config_.maxPollIntervalMs)))
        return;
    trace("consumer.poll_timeout",
        "consumer '" + config_.clientId + "' did not poll for max.poll.interval.ms ("
            + std::to_string(config_.maxPollIntervalMs) + " ms) and leaves group " + config_.groupId);
    leaveGroup("consumer poll timeout has expired");
    if (config_.groupInstanceId.empty())
        memberId_.clear();
    generation_ = -1;
    state_ = MemberState::Unjoined;
    revoke(owned_, true);
    requestRejoin("the application polled again after a poll timeout");
}

void ConsumerCoordinator::leaveGroup(const std::string& reason)
{
    if (coordinator_ < 0 || memberId_.empty())
        return;
    protocol::LeaveGroupRequest request;
    request.groupId = config_.groupId;
    request.members.push_back({ memberId_,
        config_.groupInstanceId.empty() ? std::nullopt : std::optional<std::string>(config_.groupInstanceId), reason });
    cluster_.sendGroupRequest<protocol::LeaveGroupRequest, protocol::LeaveGroupResponse>(
        node_, coordinator_, std::move(request), [](protocol::LeaveGroupResponse&&) {});
}

// ---- Commits

void ConsumerCoordinator::maybeAutoCommit()
{
    if (!config_.enableAutoCommit || context_.now() < nextAutoCommit_)
        return;
    nextAutoCommit_ = context_.now() + sim::fromMs(static_cast<double>(config_.autoCommitIntervalMs));
    commit({}, [](ErrorCode) {});
}

void ConsumerCoordinator::commit(OffsetMap offsets, std::function<void(ErrorCode)> done)
{
    sendCommit(std::move(offsets), std::move(done), false);
}

void ConsumerCoordinator::sendCommit(OffsetMap offsets, std::function<void(ErrorCode)> done, bool joinPrepare)
{
    if (offsets.empty())
        offsets = hooks_.positions();
    const bool member = kip848_ ? kipEpoch_ > 0
                                : state_ == MemberState::Stable
            || (joinPrepare && state_ == MemberState::Joining && generation_ >= 0 && !memberId_.empty());
    if (offsets.empty() || coordinator_ < 0 || crashed_ || !member) {
        if (!offsets.empty())
            ++counters_.commitFailures;
        done(offsets.empty() ? ErrorCode::NONE : ErrorCode::COORDINATOR_NOT_AVAILABLE);
        return;
    }
    protocol::OffsetCommitRequest request;
    request.groupId = config_.groupId;
    request.generationIdOrMemberEpoch = kip848_ ? kipEpoch_ : generation_;
    request.memberId = memberId_;
    if (!config_.groupInstanceId.empty())
        request.groupInstanceId = config_.groupInstanceId;
    for (const auto& [partition, offset] : offsets) {
        if (request.topics.empty() || request.topics.back().name != partition.topic)
            request.topics.push_back({ partition.topic, {} });
        request.topics.back().partitions.push_back({ partition.partition, offset, -1, std::nullopt });
    }
    auto shared = std::make_shared<std::function<void(ErrorCode)>>(std::move(done));
    send<protocol::OffsetCommitRequest, protocol::OffsetCommitResponse>(
        std::move(request),
        [this, shared, offsets](protocol::OffsetCommitResponse&& response) {
            ErrorCode error = ErrorCode::NONE;
            for (const auto& topic : response.topics) {
                for (const auto& partition : topic.partitions) {
                    if (partition.errorCode != ErrorCode::NONE && error == ErrorCode::NONE)
                        error = partition.errorCode;
                }
            }
            if (error == ErrorCode::NONE) {
                ++counters_.commits;
            } else {
                ++counters_.commitFailures;
                if (error == ErrorCode::NOT_COORDINATOR || error == ErrorCode::COORDINATOR_NOT_AVAILABLE)
                    coordinatorUnknown(std::string(protocol::errorName(error)) + " on OffsetCommit");
                else if (error == ErrorCode::REBALANCE_IN_PROGRESS)
                    requestRejoin("REBALANCE_IN_PROGRESS on OffsetCommit");
            }
            (*shared)(error);
        },
        [this, shared](RequestFailure failure) {
            ++counters_.commitFailures;
            if (failure == RequestFailure::TimedOut) {
                (*shared)(ErrorCode::REQUEST_TIMED_OUT);
                return;
            }
            // A DisconnectException: Kafka's member looks the coordinator up again.
            coordinatorUnknown(failureText("OffsetCommit", failure));
            (*shared)(ErrorCode::NETWORK_EXCEPTION);
        });
}

void ConsumerCoordinator::close()
{
    if (crashed_ || state_ == MemberState::Left)
        return;
    auto finish = [this] {
        if (kip848_) {
            if (coordinator_ >= 0 && !memberId_.empty()) {
                protocol::ConsumerGroupHeartbeatRequest request;
                request.groupId = config_.groupId;
                request.memberId = memberId_;
                request.memberEpoch = config_.groupInstanceId.empty() ? -1 : -2;
                request.client = identity();
                cluster_.sendGroupRequest<protocol::ConsumerGroupHeartbeatRequest,
                    protocol::ConsumerGroupHeartbeatResponse>(
                    node_, coordinator_, std::move(request), [](protocol::ConsumerGroupHeartbeatResponse&&) {});
            }
        } else if (config_.groupInstanceId.empty()) {
            leaveGroup("the consumer is being closed"); // static members stay until their session ends
        }
        revoke(owned_, false);
        state_ = MemberState::Left;
        ++heartbeatToken_;
    };
    if (config_.enableAutoCommit && !owned_.empty())
        commit({}, [finish](ErrorCode) { finish(); });
    else
        finish();
}

void ConsumerCoordinator::crash()
{
    crashed_ = true;
    ++heartbeatToken_;
    ++requestEpoch_;
    // Answers to requests in flight are ignored from now on: nothing may keep waiting for them.
    joinPrepareCommit_ = false;
    findingCoordinator_ = false;
    trace("consumer.crashed", "consumer '" + config_.clientId + "' of group " + config_.groupId + " crashed");
}

} // namespace brokerlab::client
