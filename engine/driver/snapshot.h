#pragma once
// An immutable picture of the whole engine at one virtual time, for readers on other threads
// (the GUI, the CLI report). Built on the sim thread, published by pointer swap.

#include "client/consumer.h"
#include "client/modelledqueue.h"
#include "client/producer.h"
#include "client/streamprocessor.h"
#include "cluster/broker.h"
#include "cluster/metadata.h"
#include "sim/link.h"

#include <cstdint>
#include <string>
#include <vector>

namespace brokerlab::driver {

struct ReplicaSnapshot {
    std::int32_t broker = 0;
    bool leader = false;
    bool inSync = false;
    bool online = true;
    std::int64_t logStartOffset = 0;
    std::int64_t logEndOffset = 0;
    std::int64_t highWatermark = 0;
    std::int64_t sizeInBytes = 0;
    std::int64_t segments = 0;
    std::int64_t records = 0;
};

struct PartitionSnapshot {
    std::int32_t partition = 0;
    std::int32_t leader = -1;
    std::int32_t leaderEpoch = 0;
    std::vector<std::int32_t> replicaIds;
    std::vector<std::int32_t> isr;
    std::vector<ReplicaSnapshot> replicas;
    // The leader's view (what a client sees); zeros when offline.
    std::int64_t logStartOffset = 0;
    std::int64_t logEndOffset = 0;
    std::int64_t highWatermark = 0;
    bool underReplicated() const { return isr.size() < replicaIds.size(); }
    bool offline() const { return leader < 0; }
};

struct TopicSnapshot {
    std::string name;
    bool internal = false;
    std::int32_t replicationFactor = 0;
    cluster::TopicConfig config;
    std::vector<PartitionSnapshot> partitions;
};

struct BrokerSnapshot {
    std::int32_t id = 0;
    std::string rack;
    cluster::BrokerState state = cluster::BrokerState::Online; // what the controller says
    bool running = true; // whether the process runs (a crashed broker stays "online" until fenced)
    bool paused = false; // frozen by a broker_pause fault
    std::int64_t diskDelayMs = 0; // slow_disk fault
    bool diskFull = false; // disk_full fault
    bool controller = false;
    cluster::BrokerCounters counters;
    std::int64_t storedBytes = 0;
    std::int32_t leaderCount = 0;
    std::int32_t replicaCount = 0;
};

struct ProducerSnapshot {
    std::string clientId;
    std::string topic; // the workload's topic, if any
    std::int16_t acks = -1;
    bool idempotent = false;
    client::ProducerCounters counters;
    // What it was started with, so a view can show and edit it.
    client::ProducerConfig config;
    client::WorkloadSpec workload;
    double ratePerSec = 0;
    bool stopped = false;
    // A real client over the Kafka protocol (engine/wire), by client.id: counted from its requests; its config
    // is unknown except acks and idempotence, and the GUI cannot edit or stop it.
    bool external = false;
};

struct ConsumerSnapshot {
    std::string clientId;
    std::string groupId;
    client::ConsumerCounters counters;
    std::vector<client::PartitionPosition> positions;
    // Its group membership (empty member id: not in a group, or not joined yet).
    std::string memberId;
    std::int32_t generation = -1;
    std::string memberState; // Unjoined, Joining, AwaitingSync, Stable, Left, Failed
    client::GroupMemberCounters groupCounters;
    bool crashed = false;
    bool external = false; // a real client over the Kafka protocol, by client.id (see ProducerSnapshot)
    std::string assignmentStrategy; // its partition.assignment.strategy, as it was created with
    std::string groupProtocol; // group.protocol: classic or consumer (KIP-848)
    std::int64_t totalLag() const;
};

// One direction of a link whose latency, jitter or loss differs from the network's default.
struct LinkFaultSnapshot {
    std::int32_t from = 0;
    std::int32_t to = 0;
    sim::LinkSpec link;
};

// A consumer group as its coordinator sees it, with lag from the committed offsets.
struct GroupPartitionLag {
    protocol::TopicPartition topicPartition;
    std::int64_t committed = -1; // -1: nothing committed yet
    std::int64_t highWatermark = -1;
    std::int64_t lag = -1; // records: HW - committed
    std::int64_t lagMs = 0; // how long ago the oldest unconsumed record was appended
};
struct GroupSnapshot {
    cluster::GroupSummary summary;
    std::vector<GroupPartitionLag> lag;
    std::int64_t rebalancePauseMs = 0; // the longest any member sat idle in rebalances
    std::int64_t totalLag() const;
};

// A stream processor of the scenario (client/streamprocessor.h): its plan, what it has done, and its consumer's
// place in its group.
struct ProcessorSnapshot {
    std::string id;
    std::string groupId;
    std::string clientId; // its consumer's client.id
    client::StreamProcessorPlan plan;
    client::StreamProcessorCounters counters;
    std::int64_t lag = -1; // records in its assigned partitions it has not read: HW - position, summed; -1 unknown
    std::string memberState; // as ConsumerSnapshot::memberState
    bool started = false; // plan.start has passed
    bool stopped = false; // plan.stop has passed
};

// A message queue modelled beside Kafka (client/modelledqueue.h).
struct QueueSnapshot {
    std::string id;
    client::QueueKind kind = client::QueueKind::DeleteOnAck;
    std::string source; // the producer whose workload feeds it
    std::int64_t visibilityTimeoutMs = 0;
    client::QueueCounters counters;
    std::int64_t depth = 0; // visible messages waiting for a subscriber
    std::int64_t inFlight = 0; // delivered, not acknowledged yet
    std::vector<client::QueueSubscriberCounters> subscribers;
};

struct Snapshot {
    std::int64_t virtualUs = 0;
    std::int64_t wallClockMs = 0; // virtual time as Kafka timestamps
    std::uint64_t eventsRun = 0;
    std::uint64_t traceLines = 0;
    std::vector<BrokerSnapshot> brokers;
    std::int32_t controllers = 1; // voters in the controller quorum
    std::int32_t activeController = -1; // the active voter (-1: none)
    std::int64_t controllerElections = 0;
    std::vector<TopicSnapshot> topics;
    std::vector<ProducerSnapshot> producers;
    std::vector<ConsumerSnapshot> consumers;
    std::vector<LinkFaultSnapshot> linkFaults; // in (from, to) order, controllers (0, -1, ...) first
    std::vector<GroupSnapshot> groups;
    std::vector<ProcessorSnapshot> processors; // in scenario order
    std::vector<QueueSnapshot> queues; // in scenario order
};

} // namespace brokerlab::driver
