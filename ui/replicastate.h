#pragma once
// Health of replicas and partitions in the words the views use, derived from a snapshot. Plain functions, so
// the cluster view, the legend, the details panel and the tests classify a replica the same way.

#include "driver/snapshot.h"

#include <cstdint>
#include <vector>

namespace brokerlab::ui {

// Ordered by how much attention a state needs: when several replicas share one pixel of the dense view's strip,
// the highest wins, so a single offline replica among 1,000 healthy ones still shows.
enum class ReplicaState : std::uint8_t { Absent, InSyncFollower, Leader, OutOfSync, Offline };

ReplicaState replicaState(const driver::ReplicaSnapshot& replica);
// The state of the replica `broker` holds for `partition`; Absent when it holds none.
ReplicaState replicaStateOn(const driver::PartitionSnapshot& partition, std::int32_t broker);
const driver::ReplicaSnapshot* replicaOn(const driver::PartitionSnapshot& partition, std::int32_t broker);

struct ReplicaCounts {
    int leaders = 0;
    int inSyncFollowers = 0;
    int outOfSync = 0;
    int offline = 0;
    int total() const { return leaders + inSyncFollowers + outOfSync + offline; }
};
ReplicaCounts countReplicas(const driver::TopicSnapshot& topic, std::int32_t broker);

struct TopicHealth {
    int underReplicated = 0;
    int offline = 0;
};
TopicHealth topicHealth(const driver::TopicSnapshot& topic);

// Leaders and replicas of a broker as the controller assigned them. A crashed broker's own replicas still
// believe they lead; Kafka's tools (and these views) report the cluster metadata instead.
struct BrokerLoad {
    int leaders = 0;
    int replicas = 0;
};
BrokerLoad brokerLoad(const driver::Snapshot& snapshot, std::int32_t broker);

// The dense view draws a topic's partitions on one broker as a strip of `binCount` bins; each bin holds the
// most urgent state of the partitions that fall into it (partitions spread evenly over the bins).
std::vector<ReplicaState> stripBins(const driver::TopicSnapshot& topic, std::int32_t broker, int binCount);

} // namespace brokerlab::ui
