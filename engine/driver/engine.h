#pragma once
// The engine: one scenario turned into a running cluster with its clients, in virtual time.
// Not thread-safe: it lives on one thread (the driver's worker, or the CLI's main thread).

#include "client/consumer.h"
#include "check/history.h"
#include "client/modelledqueue.h"
#include "client/producer.h"
#include "client/streamprocessor.h"
#include "cluster/cluster.h"
#include "driver/snapshot.h"
#include "scenario/scenario.h"
#include "sim/network.h"
#include "sim/rng.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

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
    // The scenario's stream processors and modelled queues, in file order (engineprocessors.cpp).
    const std::vector<std::unique_ptr<client::StreamProcessor>>& processors() const { return processors_; }
    const std::vector<std::unique_ptr<client::ModelledQueue>>& queues() const { return queues_; }

    sim::SimTime now() const { return scheduler_.now(); }
    sim::SimTime endTime() const { return sim::fromMs(static_cast<double>(scenario_.durationMs)); }
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
    void recordFault(std::string kind, std::int32_t broker, std::string message);
    void unregisterWhenStopped(std::int32_t broker);
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
    std::vector<std::unique_ptr<client::StreamProcessor>> processors_;
    std::vector<std::unique_ptr<client::ModelledQueue>> queues_;
    bool historyAttached_ = false;
    std::unique_ptr<check::History> history_;
};

} // namespace brokerlab::driver
