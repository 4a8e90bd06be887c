#include "cluster/replica.h"

#include <algorithm>

namespace brokerlab::cluster {

Replica::Replica(protocol::TopicPartition topicPartition, std::int32_t brokerId, const TopicConfig& config,
    std::int64_t nowMs)
    : topicPartition_(std::move(topicPartition))
    , brokerId_(brokerId)
    , config_(config)
    , log_(config.log, nowMs)
{
}

void Replica::setConfig(const TopicConfig& config)
{
    config_ = config;
    log_.setConfig(config.log);
}

bool Replica::applyPartitionState(std::int32_t leader, std::int32_t leaderEpoch,
    const std::vector<std::int32_t>& replicas, const std::vector<std::int32_t>& isr, sim::SimTime now)
{
    const bool changed = leader != leaderId_ || leaderEpoch != leaderEpoch_;
    const bool becameLeader = changed && leader == brokerId_;
    leaderId_ = leader;
    leaderEpoch_ = leaderEpoch;
    replicas_ = replicas;
    isr_ = isr;
    if (becameLeader) {
        // A new leader starts its epoch at its own log end (KIP-101) and does not know where its
        // followers are until they fetch.
        log_.epochCache().assign(leaderEpoch, log_.logEndOffset());
        followers_.clear();
        for (std::int32_t id : replicas_) {
            if (id != brokerId_)
                followers_[id] = FollowerState { .logEndOffset = 0, .lastCaughtUpTime = now };
        }
        maybeIncrementHighWatermark();
    } else if (isLeader()) {
        // Same epoch, new replica set (a reassignment adds or removes replicas): the leader
        // starts tracking the added followers and forgets the removed ones.
        for (std::int32_t id : replicas_) {
            if (id != brokerId_ && followers_.count(id) == 0)
                followers_[id] = FollowerState { .logEndOffset = 0, .lastCaughtUpTime = now };
        }
        std::erase_if(followers_, [this](const auto& entry) {
            return std::find(replicas_.begin(), replicas_.end(), entry.first) == replicas_.end();
        });
    }
    return changed;
}

bool Replica::recordFollowerFetch(std::int32_t follower, std::int64_t fetchOffset, sim::SimTime now)
{
    auto it = followers_.find(follower);
    if (it == followers_.end())
        return false;
    FollowerState& state = it->second;
    // Kafka counts a follower caught up when it fetched at (or past) the leader's LEO as of now, or
    // as of its previous fetch: the second form keeps a steadily fetching follower in sync.
    if (fetchOffset >= log_.logEndOffset())
        state.lastCaughtUpTime = now;
    else if (fetchOffset >= state.leaderEndOffsetAtLastFetch)
        state.lastCaughtUpTime = std::max(state.lastCaughtUpTime, state.lastFetchTime);
    state.logEndOffset = fetchOffset;
    state.lastFetchTime = now;
    state.leaderEndOffsetAtLastFetch = log_.logEndOffset();
    return maybeIncrementHighWatermark();
}

bool Replica::maybeIncrementHighWatermark()
{
    if (!isLeader())
        return false;
    std::int64_t lowest = log_.logEndOffset();
    for (std::int32_t id : isr_) {
        if (id == brokerId_)
            continue;
        auto it = followers_.find(id);
        lowest = std::min(lowest, it == followers_.end() ? 0 : it->second.logEndOffset);
    }
    if (lowest > highWatermark_) {
        highWatermark_ = lowest;
        return true;
    }
    return false;
}

void Replica::updateFollowerHighWatermark(std::int64_t leaderHighWatermark)
{
    highWatermark_ = std::max(highWatermark_, std::min(leaderHighWatermark, log_.logEndOffset()));
}

} // namespace brokerlab::cluster
