// The member side of KIP-848 (group.protocol=consumer): ConsumerGroupHeartbeat carries the subscription
// and what the member owns; the answer carries its target, which it reconciles to.

#include "client/consumercoordinator.h"

#include <algorithm>

namespace brokerlab::client {

using protocol::ErrorCode;
using protocol::TopicPartition;

// ---- KIP-848

void ConsumerCoordinator::sendConsumerHeartbeat()
{
    if (crashed_ || state_ == MemberState::Left || state_ == MemberState::Failed || heartbeatInFlight_)
        return;
    if (coordinator_ < 0) {
        findCoordinator();
        return;
    }
    protocol::ConsumerGroupHeartbeatRequest request;
    request.groupId = config_.groupId;
    request.memberId = memberId_;
    request.memberEpoch = kipEpoch_;
    if (!config_.groupInstanceId.empty())
        request.instanceId = config_.groupInstanceId;
    request.rebalanceTimeoutMs = config_.maxPollIntervalMs;
    request.client = identity();
    if (kipSendFull_) {
        request.subscribedTopicNames = topics_;
        request.serverAssignor = config_.groupRemoteAssignor;
    }
    std::vector<protocol::ConsumerGroupHeartbeatTopicPartitions> owned;
    for (const auto& partition : owned_) {
        if (owned.empty() || owned.back().topic != partition.topic)
            owned.push_back({ partition.topic, {} });
        owned.back().partitions.push_back(partition.partition);
    }
    request.topicPartitions = std::move(owned);
    heartbeatInFlight_ = true;
    ++counters_.heartbeats;
    if (kipEpoch_ == 0) {
        ++counters_.joins;
        state_ = MemberState::Joining;
        enterRebalance();
    }
    send<protocol::ConsumerGroupHeartbeatRequest, protocol::ConsumerGroupHeartbeatResponse>(
        std::move(request),
        [this](protocol::ConsumerGroupHeartbeatResponse&& response) {
            heartbeatInFlight_ = false;
            onConsumerHeartbeat(std::move(response));
        },
        [this](RequestFailure failure) {
            heartbeatInFlight_ = false;
            coordinatorUnknown(failureText("ConsumerGroupHeartbeat", failure));
        });
}

void ConsumerCoordinator::onConsumerHeartbeat(protocol::ConsumerGroupHeartbeatResponse&& response)
{
    auto again = [this](std::int64_t ms) {
        const std::uint64_t token = ++heartbeatToken_;
        context_.scheduler.scheduleAfter(sim::fromMs(static_cast<double>(ms)), [this, token] {
            if (token == heartbeatToken_)
                sendConsumerHeartbeat();
        });
    };
    switch (response.errorCode) {
    case ErrorCode::NONE:
        break;
    case ErrorCode::FENCED_MEMBER_EPOCH:
    case ErrorCode::UNKNOWN_MEMBER_ID:
        // Fenced: everything owned is lost; rejoin with epoch 0.
        revoke(owned_, true);
        kipEpoch_ = 0;
        kipSendFull_ = true;
        if (response.errorCode == ErrorCode::UNKNOWN_MEMBER_ID)
            memberId_.clear();
        again(0);
        return;
    case ErrorCode::NOT_COORDINATOR:
    case ErrorCode::COORDINATOR_NOT_AVAILABLE:
    case ErrorCode::COORDINATOR_LOAD_IN_PROGRESS:
        kipSendFull_ = true;
        coordinatorUnknown(std::string(protocol::errorName(response.errorCode)) + " on ConsumerGroupHeartbeat");
        return;
    default:
        state_ = MemberState::Failed;
        trace("consumer.group_error",
            "consumer '" + config_.clientId + "' cannot join group " + config_.groupId + ": "
                + std::string(protocol::errorName(response.errorCode)) + " " + response.errorMessage);
        if (hooks_.fatal)
            hooks_.fatal(std::string(protocol::errorName(response.errorCode)));
        return;
    }
    lastHeartbeatOk_ = context_.now();
    memberId_ = response.memberId;
    kipSendFull_ = false;
    const std::int32_t previousEpoch = kipEpoch_;
    kipEpoch_ = response.memberEpoch;
    if (response.assignment) {
        std::vector<TopicPartition> assigned;
        for (const auto& topic : *response.assignment) {
            for (std::int32_t partition : topic.partitions)
                assigned.push_back({ topic.topic, partition });
        }
        std::sort(assigned.begin(), assigned.end());
        if (assigned != owned_) {
            ++counters_.rebalances;
            enterRebalance();
            applyAssignment(assigned);
            state_ = MemberState::Stable;
            again(0); // tell the coordinator at once what it now owns, so reconciliation goes on
            return;
        }
    }
    state_ = MemberState::Stable;
    if (kipEpoch_ != previousEpoch)
        leaveRebalance();
    again(response.heartbeatIntervalMs);
}

} // namespace brokerlab::client
