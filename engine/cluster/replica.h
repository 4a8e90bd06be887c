#pragma once
// One broker's copy of one partition: its log, and as leader the follower states that decide the
// high watermark. Kafka: kafka.cluster.Partition + Replica.

#include "cluster/brokerconfig.h"
#include "cluster/producerstate.h"
#include "log/partitionlog.h"
#include "protocol/topicpartition.h"
#include "sim/scheduler.h"

#include <cstdint>
#include <map>
#include <vector>

namespace brokerlab::cluster {

struct FollowerState {
    std::int64_t logEndOffset = 0; // the follower's LEO, learnt from its fetch offset
    sim::SimTime lastCaughtUpTime = 0; // last time it had fetched up to the leader's LEO
    sim::SimTime lastFetchTime = 0;
    std::int64_t leaderEndOffsetAtLastFetch = 0;
};

class Replica {
public:
    Replica(protocol::TopicPartition topicPartition, std::int32_t brokerId, const TopicConfig& config,
        std::int64_t nowMs);

    const protocol::TopicPartition& topicPartition() const { return topicPartition_; }
    std::int32_t brokerId() const { return brokerId_; }
    log::PartitionLog& log() { return log_; }
    const log::PartitionLog& log() const { return log_; }
    const TopicConfig& config() const { return config_; }
    void setConfig(const TopicConfig& config);

    bool isLeader() const { return leaderId_ == brokerId_; }
    std::int32_t leaderId() const { return leaderId_; }
    std::int32_t leaderEpoch() const { return leaderEpoch_; }
    const std::vector<std::int32_t>& replicas() const { return replicas_; }
    const std::vector<std::int32_t>& isr() const { return isr_; }
    const std::map<std::int32_t, FollowerState>& followers() const { return followers_; }

    std::int64_t logEndOffset() const { return log_.logEndOffset(); }
    std::int64_t logStartOffset() const { return log_.logStartOffset(); }
    std::int64_t highWatermark() const { return highWatermark_; }
    ProducerState& producerState() { return producerState_; }

    // Applies the controller's decision. Returns true when this replica's role or epoch changed.
    bool applyPartitionState(std::int32_t leader, std::int32_t leaderEpoch, const std::vector<std::int32_t>& replicas,
        const std::vector<std::int32_t>& isr, sim::SimTime now);

    // Leader: a follower fetched at `fetchOffset` (its LEO). Returns true when the HW advanced.
    bool recordFollowerFetch(std::int32_t follower, std::int64_t fetchOffset, sim::SimTime now);
    // Leader: HW = lowest LEO over the ISR (leader included). Returns true when it advanced.
    bool maybeIncrementHighWatermark();
    // Follower: HW from the leader's fetch response, never past the local LEO.
    void updateFollowerHighWatermark(std::int64_t leaderHighWatermark);

private:
    protocol::TopicPartition topicPartition_;
    std::int32_t brokerId_;
    TopicConfig config_;
    log::PartitionLog log_;
    std::int32_t leaderId_ = -1;
    std::int32_t leaderEpoch_ = -1;
    std::vector<std::int32_t> replicas_;
    std::vector<std::int32_t> isr_;
    std::map<std::int32_t, FollowerState> followers_;
    std::int64_t highWatermark_ = 0;
    ProducerState producerState_;
};

} // namespace brokerlab::cluster
