#pragma once
// The cluster metadata image: what the controller decided and every broker applies (KRaft's
// MetadataImage, in miniature). Plain values, copied into snapshots.

#include "cluster/brokerconfig.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::cluster {

enum class BrokerState { Online, Fenced, Offline };
std::string_view brokerStateName(BrokerState state);

struct BrokerInfo {
    std::int32_t id = 0;
    std::string rack;
    BrokerState state = BrokerState::Online;
    std::string host = "localhost";
    std::int32_t port = 0; // the wire listener's port once one is open
    // KRaft: the broker epoch is the metadata offset of its registration record; a broker is
    // unfenced only once it has applied the log up to it. The incarnation names the process.
    std::int64_t brokerEpoch = 0;
    std::uint64_t incarnation = 1;
};

struct PartitionInfo {
    std::int32_t partition = 0;
    std::vector<std::int32_t> replicas; // first = preferred leader
    std::vector<std::int32_t> isr;
    std::int32_t leader = -1; // -1 = offline
    std::int32_t leaderEpoch = 0;
    std::int32_t partitionEpoch = 0;
    // KIP-966 eligible leader replicas: left the ISR while it was below min.insync.replicas, so
    // they still hold every committed record (only with eligible.leader.replicas.enable).
    std::vector<std::int32_t> elr;
    // KIP-455 reassignment in progress: replicas = target + removing until the adding ones are in sync.
    std::vector<std::int32_t> addingReplicas;
    std::vector<std::int32_t> removingReplicas;
};

struct TopicInfo {
    std::string name;
    std::string topicId; // deterministic base64-like id, stands in for Kafka's UUID
    TopicConfig config;
    bool internal = false;
    std::vector<PartitionInfo> partitions;
};

struct MetadataImage {
    std::string clusterId = "brokerlab-cluster";
    std::int32_t controllerId = -1;
    std::int32_t activeController = -1; // index of the controller voter whose log this is
    std::int64_t version = 0; // bumps on every change (the metadata log's offset)
    std::map<std::int32_t, BrokerInfo> brokers;
    std::map<std::string, TopicInfo> topics;

    const TopicInfo* topic(std::string_view name) const;
    const PartitionInfo* partition(std::string_view topic, std::int32_t partition) const;
};

} // namespace brokerlab::cluster
