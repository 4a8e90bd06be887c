#pragma once
// Broker and topic settings under Kafka's names; defaults are Apache Kafka's.

#include "log/logconfig.h"

#include <cstdint>

namespace brokerlab::cluster {

struct TopicConfig {
    log::LogConfig log; // retention.ms, segment.bytes, cleanup.policy, ...
    std::int32_t minInsyncReplicas = 1; // min.insync.replicas
    bool uncleanLeaderElectionEnable = false; // unclean.leader.election.enable
    bool operator==(const TopicConfig&) const = default;
};

struct BrokerConfig {
    std::int32_t numPartitions = 1; // num.partitions (auto-created topics)
    std::int16_t defaultReplicationFactor = 1; // default.replication.factor
    bool autoCreateTopicsEnable = true; // auto.create.topics.enable
    TopicConfig topicDefaults; // log.retention.ms, log.segment.bytes, min.insync.replicas, ...
    std::int64_t replicaLagTimeMaxMs = 30000; // replica.lag.time.max.ms
    std::int32_t replicaFetchWaitMaxMs = 500; // replica.fetch.wait.max.ms
    std::int32_t replicaFetchMinBytes = 1; // replica.fetch.min.bytes
    std::int32_t replicaFetchMaxBytes = 1048576; // replica.fetch.max.bytes
    std::int64_t brokerHeartbeatIntervalMs = 2000; // broker.heartbeat.interval.ms
    std::int64_t brokerSessionTimeoutMs = 9000; // broker.session.timeout.ms
    std::int32_t offsetsTopicNumPartitions = 50; // offsets.topic.num.partitions
    std::int16_t offsetsTopicReplicationFactor = 3; // offsets.topic.replication.factor
    std::int32_t groupInitialRebalanceDelayMs = 3000; // group.initial.rebalance.delay.ms
    std::int64_t logRetentionCheckIntervalMs = 300000; // log.retention.check.interval.ms
    bool autoLeaderRebalanceEnable = true; // auto.leader.rebalance.enable
    std::int32_t messageMaxBytes = 1048588; // message.max.bytes
    // The controller quorum: how many voters controller.quorum.voters lists (1 or 3 here).
    std::int32_t controllerQuorumVoters = 1;
    std::int64_t controllerQuorumElectionTimeoutMs = 1000; // controller.quorum.election.timeout.ms
    std::int64_t controllerQuorumFetchTimeoutMs = 2000; // controller.quorum.fetch.timeout.ms
    bool eligibleLeaderReplicasEnable = false; // eligible.leader.replicas.enable (KIP-966)
};

} // namespace brokerlab::cluster
