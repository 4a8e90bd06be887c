// Clients that come and go while the cluster runs: what the GUI's producer and consumer-group controls call.
// Scenario clients are started through the same functions, so an added producer behaves exactly like one
// written in the scenario file.

#include "driver/engine.h"

#include "client/consumercoordinator.h"
#include "group/assignor.h"

#include <algorithm>
#include <sstream>

namespace brokerlab::driver {

namespace {
constexpr sim::SimTime kRestartCheckEvery = 100 * sim::kMicrosPerMs;
}

void Engine::startProducer(const scenario::ProducerSpec& spec)
{
    client::ProducerConfig config = spec.config;
    if (config.clientId.empty())
        config.clientId = spec.id;
    auto producer = std::make_unique<client::Producer>(*cluster_, config, rng_.next());
    client::Producer* raw = producer.get();
    producers_.push_back(std::move(producer));
    producerTopics_.push_back(spec.topic);
    const sim::SimTime start = std::max(scheduler_.now(), sim::fromMs(static_cast<double>(spec.startMs)));
    scheduler_.scheduleAt(start, [raw] { raw->start(); });
    raw->runWorkload({ .topic = spec.topic,
        .workload = spec.workload,
        .ratePerSec = spec.ratePerSec,
        .start = start,
        .stop = spec.stopMs < 0 ? sim::kNever : sim::fromMs(static_cast<double>(spec.stopMs)),
        .maxRecords = spec.maxRecords,
        .partition = spec.partition });
}

client::Producer* Engine::addProducer(scenario::ProducerSpec spec, std::string* error)
{
    auto fail = [error](std::string why) -> client::Producer* {
        if (error)
            *error = std::move(why);
        return nullptr;
    };
    if (spec.id.empty())
        return fail("a producer needs an id (its client.id)");
    if (!cluster_->controller().image().topic(spec.topic))
        return fail("topic '" + spec.topic + "' does not exist");
    if (spec.ratePerSec < 0)
        return fail("the rate must not be negative");
    // Its start and stop are relative to now: a producer added at 40 s runs from 40 s.
    spec.startMs = 0;
    spec.stopMs = -1;
    addedProducerSpecs_.push_back(spec);
    startProducer(addedProducerSpecs_.back());
    client::Producer* added = producers_.back().get();
    recordFault("client.producer_added", -1,
        "producer '" + added->clientId() + "' starts writing to " + spec.topic + " at "
            + (spec.ratePerSec > 0 ? std::to_string(static_cast<std::int64_t>(spec.ratePerSec)) + " records/s"
                                   : std::string("full speed")));
    return added;
}

bool Engine::stopProducer(const std::string& clientId)
{
    bool stopped = false;
    for (std::size_t i = 0; i < producers_.size(); ++i) {
        if (producers_[i]->clientId() != clientId || stoppedProducers_.count(i) != 0)
            continue;
        producers_[i]->stopWorkloads();
        stoppedProducers_.insert(i);
        stopped = true;
    }
    if (stopped)
        recordFault("client.producer_stopped", -1,
            "producer '" + clientId + "' stops sending; what it has buffered is still delivered");
    return stopped;
}

bool Engine::addConsumerGroup(scenario::ConsumerSpec spec, std::string* error)
{
    auto fail = [error](std::string why) {
        if (error)
            *error = std::move(why);
        return false;
    };
    if (spec.id.empty())
        return fail("a consumer entry needs an id");
    if (spec.members < 1)
        return fail("a consumer group needs at least one member");
    if (spec.topics.empty())
        return fail("subscribe to at least one topic");
    auto taken = [&](const scenario::ConsumerSpec& other) { return other.id == spec.id; };
    if (std::any_of(scenario_.consumers.begin(), scenario_.consumers.end(), taken)
        || std::any_of(addedConsumerSpecs_.begin(), addedConsumerSpecs_.end(), taken))
        return fail("a consumer entry named '" + spec.id + "' exists already");
    if (spec.config.groupId.empty())
        spec.config.groupId = spec.id;
    spec.startMs = 0;
    spec.stopMs = -1;
    addedConsumerSpecs_.push_back(std::move(spec));
    const scenario::ConsumerSpec& stored = addedConsumerSpecs_.back();
    groups_.push_back({ .groupId = stored.config.groupId, .topics = stored.topics, .members = {} });
    for (std::int32_t i = 0; i < stored.members; ++i)
        addGroupMember(stored, i);
    recordFault("client.group_added", -1,
        "consumer group " + stored.config.groupId + " starts with " + std::to_string(stored.members)
            + " members (partition.assignment.strategy " + stored.config.partitionAssignmentStrategy + ")");
    return true;
}

client::Consumer* Engine::addMember(const std::string& groupId)
{
    const scenario::ConsumerSpec* spec = nullptr;
    for (const auto& candidate : scenario_.consumers)
        if (!spec && candidate.config.groupId == groupId)
            spec = &candidate;
    for (const auto& candidate : addedConsumerSpecs_)
        if (!spec && candidate.config.groupId == groupId)
            spec = &candidate;
    if (!spec)
        return nullptr;
    // Number it after every member this entry ever had, so a client.id is never reused.
    const auto index = static_cast<std::int32_t>(std::count(consumerSpecs_.begin(), consumerSpecs_.end(), spec));
    client::Consumer& added = addGroupMember(*spec, index);
    recordFault("fault.consumer_join", -1, "consumer '" + added.clientId() + "' starts and joins group " + groupId);
    return &added;
}

ManualProducer& Engine::manualProducer()
{
    if (!manualProducer_)
        manualProducer_ = std::make_unique<ManualProducer>(*cluster_, rng_.next());
    return *manualProducer_;
}

void Engine::partitionNetwork(const std::set<std::int32_t>& sideA, const std::set<std::int32_t>& sideB)
{
    const std::set<sim::NodeId> a(sideA.begin(), sideA.end());
    const std::set<sim::NodeId> b(sideB.begin(), sideB.end());
    network_.partition(a, b);
    recordFault("fault.network_partition", -1, "the network is cut between " + nodesText(a) + " and " + nodesText(b));
}

void Engine::setLinkFault(std::int32_t from, std::int32_t to, const sim::LinkSpec& link, bool bothDirections)
{
    network_.setLink(from, to, link);
    if (bothDirections)
        network_.setLink(to, from, link);
    recordFault("fault.link", -1,
        "link " + std::to_string(from) + (bothDirections ? " <-> " : " -> ") + std::to_string(to) + " now has "
            + std::to_string(link.latencyMs) + " ms latency, " + std::to_string(link.jitterMs) + " ms jitter, "
            + std::to_string(link.loss * 100) + "% loss");
}

void Engine::healPartition(const std::set<std::int32_t>& sideA, const std::set<std::int32_t>& sideB)
{
    const std::set<sim::NodeId> a(sideA.begin(), sideA.end());
    const std::set<sim::NodeId> b(sideB.begin(), sideB.end());
    for (sim::NodeId x : a) {
        for (sim::NodeId y : b) {
            network_.setCut(x, y, false);
            network_.setCut(y, x, false);
        }
    }
    recordFault("fault.network_healed", -1, "the network between " + nodesText(a) + " and " + nodesText(b) + " is whole again");
}

void Engine::clearLinkFault(std::int32_t from, std::int32_t to, bool bothDirections)
{
    network_.clearLink(from, to);
    if (bothDirections)
        network_.clearLink(to, from);
    recordFault("fault.link_restored", -1, "link " + std::to_string(from) + " - " + std::to_string(to) + " is back to normal");
}

scenario::ConsumerSpec* Engine::consumerSpecOf(const std::string& groupId)
{
    for (auto& candidate : scenario_.consumers)
        if (candidate.config.groupId == groupId)
            return &candidate;
    for (auto& candidate : addedConsumerSpecs_)
        if (candidate.config.groupId == groupId)
            return &candidate;
    return nullptr;
}

bool Engine::rollAssignmentStrategy(const std::string& groupId, const std::string& strategy, std::string* error)
{
    auto fail = [error](std::string why) {
        if (error)
            *error = std::move(why);
        return false;
    };
    scenario::ConsumerSpec* spec = consumerSpecOf(groupId);
    if (!spec)
        return fail("no consumer entry belongs to group " + groupId);
    if (spec->config.groupProtocol == "consumer")
        return fail("group " + groupId + " uses group.protocol=consumer (KIP-848): the broker assigns with "
            + "group.remote.assignor, partition.assignment.strategy applies to the classic protocol only");
    if (rollingGroups_.count(groupId) != 0)
        return fail("a rolling restart of group " + groupId + " is still running");
    std::string normalized;
    std::stringstream names(strategy);
    std::string name;
    while (std::getline(names, name, ',')) {
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        const auto kind = group::assignorFromName(name);
        if (!kind || !group::isSupported(*kind))
            return fail("unknown assignor '" + name + "' (known: range, roundrobin, sticky, cooperative-sticky)");
        normalized += (normalized.empty() ? "" : ",") + name;
    }
    if (normalized.empty())
        return fail("partition.assignment.strategy needs at least one assignor");
    std::vector<std::string> clients;
    for (const auto& consumer : consumers_) {
        const client::ConsumerCoordinator* member = consumer->groupMember();
        if (consumer->config().groupId == groupId && !consumer->crashed() && member
            && member->state() != client::MemberState::Left && member->state() != client::MemberState::Failed)
            clients.push_back(consumer->clientId());
    }
    spec->config.partitionAssignmentStrategy = normalized;
    recordFault("client.group_rolling_restart", -1,
        "group " + groupId + " restarts its " + std::to_string(clients.size())
            + " members one at a time with partition.assignment.strategy " + normalized);
    rollingGroups_.insert(groupId);
    restartNextMember(groupId, std::move(clients), 0);
    return true;
}

void Engine::restartNextMember(const std::string& groupId, std::vector<std::string> clients, std::size_t next)
{
    if (next >= clients.size()) {
        rollingGroups_.erase(groupId);
        recordFault("client.group_restarted", -1, "every member of group " + groupId + " now runs with "
            + (consumerSpecOf(groupId) ? consumerSpecOf(groupId)->config.partitionAssignmentStrategy : std::string()));
        return;
    }
    closeConsumer(clients[next]);
    client::Consumer* added = addMember(groupId);
    if (!added) {
        rollingGroups_.erase(groupId);
        return;
    }
    // An operator waits for the new instance to be in the group before bouncing the next one.
    scheduler_.scheduleAfter(kRestartCheckEvery,
        [this, groupId, clients = std::move(clients), next, newClient = added->clientId()]() mutable {
            awaitRestartedMember(groupId, std::move(clients), next, newClient);
        });
}

void Engine::awaitRestartedMember(
    const std::string& groupId, std::vector<std::string> clients, std::size_t next, const std::string& newClient)
{
    const client::Consumer* member = consumer(newClient);
    const client::ConsumerCoordinator* coordinator = member ? member->groupMember() : nullptr;
    if (!coordinator || member->crashed() || coordinator->state() == client::MemberState::Failed
        || coordinator->state() == client::MemberState::Left) {
        rollingGroups_.erase(groupId);
        recordFault("client.group_restart_stopped", -1,
            "the rolling restart of group " + groupId + " stops: consumer '" + newClient
                + "' is not in the group (its assignors share none with the other members': "
                  "INCONSISTENT_GROUP_PROTOCOL, or it was stopped)");
        return;
    }
    if (coordinator->state() == client::MemberState::Stable) {
        restartNextMember(groupId, std::move(clients), next + 1);
        return;
    }
    if (scheduler_.now() + kRestartCheckEvery >= endTime()) {
        rollingGroups_.erase(groupId);
        return;
    }
    scheduler_.scheduleAfter(kRestartCheckEvery, [this, groupId, clients = std::move(clients), next, newClient]() mutable {
        awaitRestartedMember(groupId, std::move(clients), next, newClient);
    });
}

void Engine::describeProducers(Snapshot& snapshot) const
{
    const std::size_t fromScenario = scenario_.producers.size();
    for (std::size_t i = 0; i < snapshot.producers.size() && i < producers_.size(); ++i) {
        const scenario::ProducerSpec& spec
            = i < fromScenario ? scenario_.producers[i] : addedProducerSpecs_[i - fromScenario];
        ProducerSnapshot& entry = snapshot.producers[i];
        entry.config = producers_[i]->config();
        entry.workload = spec.workload;
        entry.ratePerSec = spec.ratePerSec;
        entry.stopped = stoppedProducers_.count(i) != 0;
    }
}

} // namespace brokerlab::driver
