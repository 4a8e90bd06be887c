#pragma once
// The engine: one scenario turned into a running cluster with its clients, in virtual time.
// Not thread-safe: it lives on one thread (the driver's worker, or the CLI's main thread).

#include "check/history.h"
#include "client/consumer.h"
#include "client/modelledqueue.h"
#include "client/producer.h"
#include "client/streamprocessor.h"
#include "cluster/cluster.h"
#include "driver/externalclients.h"
#include "driver/manualproducer.h"
#include "driver/snapshot.h"
#include "scenario/scenario.h"
#include "sim/network.h"
#include "sim/rng.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace brokerlab::driver {

struct ConsumerGroupInfo {
    std::string groupId;
    std::vector<std::string> topics;
    std::vector<std::size_t> members; // indexes into consumers()
};

class Engine {
public:
    Engine(const scenario::Scenario& scenario, std::uint64_t seed);
    // Builds the cluster, creates the topics at virtual time 0 and schedules the clients. Set the
    // trace's sink and listener before, so they see every event.
    void start();
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    std::uint64_t seed() const { return seed_; }
    const scenario::Scenario& scenario() const { return scenario_; }
    sim::Scheduler& scheduler() { return scheduler_; }
    sim::Trace& trace() { return trace_; }
    sim::Network& network() { return network_; }
    cluster::Cluster& cluster() { return *cluster_; }
    const cluster::Cluster& cluster() const { return *cluster_; }
    const std::vector<std::unique_ptr<client::Producer>>& producers() const { return producers_; }
    const std::vector<std::unique_ptr<client::Consumer>>& consumers() const { return consumers_; }
    const std::vector<ConsumerGroupInfo>& groups() const { return groups_; }
    // Real clients over the Kafka protocol: the wire gateway counts their requests here for the snapshot.
    ExternalClients& externalClients() { return externalClients_; }
    // The scenario's stream processors and modelled queues, in file order (engineprocessors.cpp).
    const std::vector<std::unique_ptr<client::StreamProcessor>>& processors() const { return processors_; }
    const std::vector<std::unique_ptr<client::ModelledQueue>>& queues() const { return queues_; }

    sim::SimTime now() const { return scheduler_.now(); }
    sim::SimTime endTime() const
    {
        return std::max(endTimeOverride_, sim::fromMs(static_cast<double>(scenario_.durationMs)));
    }
    // Runs on past the scenario's duration_ms, to `end` (the GUI while real clients are served).
    void extendEndTime(sim::SimTime end) { endTimeOverride_ = std::max(endTimeOverride_, end); }
    void runUntil(sim::SimTime until) { scheduler_.runUntil(until); }
    bool step() { return scheduler_.step(); }
    // True once every client has stopped and nothing is buffered or in flight.
    bool quiescent() const;

    Snapshot snapshot() const;

    // Faults through the API (scenario faults call the same functions).
    void isolate(std::int32_t node, bool cut);
    // Consumer behaviour, by client.id (e.g. "readers-2"): the process dies; the application stops
    // polling while heartbeats go on (until resumed); processing slows by a factor; a graceful
    // close; a new member of a consumer spec joins. False when no such consumer or spec exists.
    bool crashConsumer(const std::string& clientId);
    bool pauseConsumer(const std::string& clientId, bool paused);
    bool slowConsumer(const std::string& clientId, double factor);
    bool closeConsumer(const std::string& clientId);
    client::Consumer* joinConsumer(const std::string& specId);
    client::Consumer* consumer(const std::string& clientId);
    // Kills the active controller voter; returns its index, or -1 when none is active.
    std::int32_t killActiveController();
    void restartController(std::int32_t index);
    // Decommission: a controlled shutdown, then UnregisterBroker once the process has stopped.
    void removeBroker(std::int32_t broker);
    // KIP-455 reassignment of one partition to `replicas` (first = preferred leader).
    cluster::ControllerResult reassignPartition(const std::string& topic, std::int32_t partition, std::vector<std::int32_t> replicas);
    // Per-broker wall-clock offset (0 = in step with true time).
    void setClockSkew(std::int32_t broker, std::int64_t skewMs);

    // Clients added and stopped while the cluster runs (the GUI's controls; engineclients.cpp). A producer starts
    // its workload now; stopping one ends its workloads (what is buffered still drains) and it stays in the
    // snapshot as stopped. A consumer entry's members join now. addMember adds one more member to the entry of
    // `groupId`. Each returns false / nullptr when the id is taken or unknown; `error` then says why.
    client::Producer* addProducer(scenario::ProducerSpec spec, std::string* error = nullptr);
    bool stopProducer(const std::string& clientId);
    bool addConsumerGroup(scenario::ConsumerSpec spec, std::string* error = nullptr);
    client::Consumer* addMember(const std::string& groupId);
    // Network faults from the GUI, recorded on the timeline like the scenario's: a partition between two sets of
    // nodes (brokers by id, controller voters as 0, -1, ...), and one link's latency, jitter and loss.
    void partitionNetwork(const std::set<std::int32_t>& sideA, const std::set<std::int32_t>& sideB);
    void setLinkFault(std::int32_t from, std::int32_t to, const sim::LinkSpec& link, bool bothDirections);
    // Records written by hand (the explorer's Produce dialog and JSON Lines import), sent by producers made
    // on first use. They are not scenario clients: the snapshot's producers and the run report leave them out.
    ManualProducer& manualProducer();
    // Their inverses: the cuts between the two sides go (other cuts stay); the link gets the default back.
    void healPartition(const std::set<std::int32_t>& sideA, const std::set<std::int32_t>& sideB);
    void clearLinkFault(std::int32_t from, std::int32_t to, bool bothDirections);
    // partition.assignment.strategy of a running classic group, changed the way Kafka's clients change it: a consumer
    // reads its configs once, when it is created, so every running member is replaced in turn (a rolling restart:
    // close, which sends LeaveGroup, then a new member with the new list joins), the next one once the new member
    // is Stable. The coordinator picks the assignor at each rebalance among those every member supports; a new
    // member whose list shares none with the others' is refused (INCONSISTENT_GROUP_PROTOCOL) and the restart
    // stops there. False, with `error`, for an unknown group or assignor, a KIP-848 group, or a restart running.
    bool rollAssignmentStrategy(const std::string& groupId, const std::string& strategy, std::string* error = nullptr);
    bool rollingRestartRunning(const std::string& groupId) const { return rollingGroups_.count(groupId) != 0; }

    // History checking: call before start(); every send, ack and read is then recorded, and
    // checkHistory() compares them with the final logs (lost, duplicated, inconsistent, ...).
    void enableHistory();
    bool historyEnabled() const { return history_ != nullptr; }
    check::CheckResult checkHistory();

private:
    static cluster::ConfigTextCodec configTextCodec();
    void createClients();
    void createProcessorsAndQueues();
    void attachHistory();
    std::vector<GroupSnapshot> groupSnapshots(const std::vector<ConsumerSnapshot>& consumers) const;
    void attachConsumerHistory(client::Consumer& consumer);
    client::Consumer& addGroupMember(const scenario::ConsumerSpec& spec, std::int32_t index);
    void scheduleFault(const scenario::FaultSpec& fault);
    void startProducer(const scenario::ProducerSpec& spec);
    void describeProducers(Snapshot& snapshot) const;
    void describeProcessorsAndQueues(Snapshot& snapshot) const; // engineprocessors.cpp
    void recordFault(std::string kind, std::int32_t broker, std::string message);
    void unregisterWhenStopped(std::int32_t broker);
    scenario::ConsumerSpec* consumerSpecOf(const std::string& groupId);
    void restartNextMember(const std::string& groupId, std::vector<std::string> clients, std::size_t next);
    void awaitRestartedMember(
        const std::string& groupId, std::vector<std::string> clients, std::size_t next, const std::string& newClient);
    static std::string nodesText(const std::set<sim::NodeId>& nodes);

    scenario::Scenario scenario_;
    std::uint64_t seed_;
    sim::Scheduler scheduler_;
    sim::Rng rng_;
    sim::Trace trace_;
    sim::Network network_;
    cluster::Context context_;
    std::unique_ptr<cluster::Cluster> cluster_;
    std::vector<std::unique_ptr<client::Producer>> producers_;
    std::vector<std::string> producerTopics_;
    std::vector<std::unique_ptr<client::Consumer>> consumers_;
    std::vector<ConsumerGroupInfo> groups_;
    std::vector<const scenario::ConsumerSpec*> consumerSpecs_; // parallel to consumers_
    std::deque<scenario::ProducerSpec> addedProducerSpecs_; // after scenario_.producers, in producers_ order
    std::deque<scenario::ConsumerSpec> addedConsumerSpecs_; // a deque: consumerSpecs_ points into it
    std::set<std::size_t> stoppedProducers_; // indexes into producers_
    ExternalClients externalClients_;
    sim::SimTime endTimeOverride_ = 0;
    std::set<std::string> rollingGroups_; // groups in a rolling restart
    std::vector<std::unique_ptr<client::StreamProcessor>> processors_;
    std::vector<std::unique_ptr<client::ModelledQueue>> queues_;
    bool historyAttached_ = false;
    std::unique_ptr<check::History> history_;
    std::unique_ptr<ManualProducer> manualProducer_; // after cluster_: it goes first
};

} // namespace brokerlab::driver
