#include "driver/engine.h"

#include "check/loghashes.h"
#include "check/recordhash.h"
#include "group/assignor.h"
#include "protocol/configdefs.h"
#include "scenario/configapply.h"

#include <algorithm>
#include <set>

namespace brokerlab::driver {

std::int64_t GroupSnapshot::totalLag() const
{
    std::int64_t total = 0;
    for (const auto& entry : lag)
        total += std::max<std::int64_t>(0, entry.lag);
    return total;
}

std::int64_t ConsumerSnapshot::totalLag() const
{
    std::int64_t total = 0;
    for (const auto& position : positions)
        total += std::max<std::int64_t>(0, position.lag());
    return total;
}

Engine::Engine(const scenario::Scenario& scenario, std::uint64_t seed)
    : scenario_(scenario)
    , seed_(seed)
    , rng_(seed)
    , network_(scheduler_, rng_.split(), scenario.network)
    , context_ { scheduler_, network_, trace_, rng_ }
{
}

Engine::~Engine() = default;

cluster::ConfigTextCodec Engine::configTextCodec()
{
    // CreateTopics and DescribeConfigs speak config text; the scenario layer owns its parsing.
    auto describe = [](const auto& config, protocol::ConfigScope scope) {
        std::vector<std::pair<std::string, std::string>> values;
        for (const protocol::ConfigDef* def : protocol::configDefs(scope))
            if (auto text = scenario::configText(config, def->name))
                values.emplace_back(std::string(def->name), std::move(*text));
        return values;
    };
    cluster::ConfigTextCodec codec;
    codec.applyTopic = [](cluster::TopicConfig& config, const std::string& name, const std::string& value) {
        return scenario::setConfigText(config, protocol::ConfigScope::Topic, name, value);
    };
    codec.describeTopic
        = [describe](const cluster::TopicConfig& config) { return describe(config, protocol::ConfigScope::Topic); };
    codec.describeBroker
        = [describe](const cluster::BrokerConfig& config) { return describe(config, protocol::ConfigScope::Broker); };
    return codec;
}

void Engine::start()
{
    cluster::BrokerConfig brokerConfig = scenario_.brokerConfig;
    cluster_ = std::make_unique<cluster::Cluster>(context_, brokerConfig);
    cluster_->setConfigTextCodec(configTextCodec());
    for (std::int32_t i = 0; i < scenario_.brokers; ++i) {
        const auto index = static_cast<std::size_t>(i);
        cluster_->addBroker(index < scenario_.racks.size() ? scenario_.racks[index] : std::string());
    }
    for (const auto& topic : scenario_.topics)
        cluster_->createTopic(topic.name, topic.partitions, topic.replicationFactor, topic.config);
    createClients();
    for (const auto& fault : scenario_.faults)
        scheduleFault(fault);
    if (history_)
        attachHistory();
}

void Engine::enableHistory()
{
    if (!history_)
        history_ = std::make_unique<check::History>();
}

void Engine::attachHistory()
{
    check::History* history = history_.get();
    for (const auto& producer : producers_) {
        client::Producer* raw = producer.get();
        raw->setRecordTracking([](std::optional<std::string_view> key, std::optional<std::string_view> value) {
            return check::recordHash(key, value);
        });
        raw->setDeliveryListener([history, raw](const client::DeliveryReport& report) {
            if (!report.recordHashes)
                return;
            const auto& hashes = *report.recordHashes;
            const auto& keys = *report.recordKeys;
            for (std::size_t i = 0; i < hashes.size(); ++i) {
                const std::optional<std::string_view> key
                    = keys[i] ? std::optional<std::string_view>(*keys[i]) : std::nullopt;
                if (report.error != protocol::ErrorCode::NONE)
                    history->sendFailed(report.topicPartition, hashes[i], raw->clientId());
                else if (report.baseOffset < 0) // acks=0
                    history->sendUnknown(report.topicPartition, hashes[i], raw->clientId());
                else
                    history->sendAcked(report.topicPartition, report.baseOffset + static_cast<std::int64_t>(i),
                        hashes[i], raw->clientId(), key, report.firstRecordId + static_cast<std::int64_t>(i));
            }
        });
    }
    for (const auto& consumer : consumers_)
        attachConsumerHistory(*consumer);
    historyAttached_ = true;
}

void Engine::attachConsumerHistory(client::Consumer& consumer)
{
    check::History* history = history_.get();
    client::Consumer* raw = &consumer;
    raw->setRecordListener([history, raw](const client::ConsumedRecord& consumed) {
        const auto& record = consumed.record;
        const auto key = record.key ? std::optional<std::string_view>(*record.key) : std::nullopt;
        const auto value = record.value ? std::optional<std::string_view>(*record.value) : std::nullopt;
        history->consumed(consumed.topicPartition, record.offset, check::recordHash(key, value), raw->clientId(), key);
    });
    if (!raw->config().groupId.empty()) {
        raw->setProcessedListener([history, raw](const client::ConsumedRecord& consumed) {
            history->processed(raw->config().groupId, consumed.topicPartition, consumed.record.offset, raw->clientId());
        });
    }
}

check::CheckResult Engine::checkHistory()
{
    if (!history_)
        return {};
    check::CheckOptions options;
    for (const auto& consumer : consumers_) {
        if (!consumer->config().groupId.empty())
            options.consumerGroups.emplace(consumer->clientId(), consumer->config().groupId);
    }
    const cluster::MetadataImage& image = cluster_->controller().image();
    for (const auto& [name, topic] : image.topics) {
        // Internal topics hold the brokers' own records (group metadata, offset commits, where the
        // same commit written twice is two records by design): the history is of the clients' data.
        if (topic.internal)
            continue;
        if (topic.config.log.cleanupCompact)
            options.compactedTopics.insert(name);
        for (const auto& partition : topic.partitions) {
            const auto replicaOn = [&](std::int32_t id) -> const cluster::Replica* {
                cluster::Broker* broker = cluster_->broker(id);
                return broker ? broker->replica({ name, partition.partition }) : nullptr;
            };
            // The replicas expected to agree: the leader and the rest of the ISR (or, with no
            // leader, the ISR members that still have the partition).
            std::vector<std::int32_t> members = partition.isr;
            if (partition.leader >= 0) {
                std::erase(members, partition.leader);
                members.insert(members.begin(), partition.leader);
            }
            // An offline partition whose ISR emptied (KIP-966 moves its last members to the ELR, and
            // an unclean restart clears that too) still has its records on some replica: judge
            // against the eligible leader replicas, else the replica with the longest log, which is
            // what an unclean election would pick. An acknowledged record none of them holds is lost.
            if (members.empty())
                members = partition.elr;
            if (members.empty()) {
                std::int32_t longest = -1;
                std::int64_t longestEnd = -1;
                for (std::int32_t id : partition.replicas) {
                    if (const cluster::Replica* replica = replicaOn(id); replica && replica->logEndOffset() > longestEnd) {
                        longest = id;
                        longestEnd = replica->logEndOffset();
                    }
                }
                if (longest >= 0)
                    members.push_back(longest);
            }
            for (std::int32_t id : members) {
                const cluster::Replica* replica = replicaOn(id);
                if (!replica)
                    continue;
                history_->finalLog({ name, partition.partition }, id, id == partition.leader,
                    check::logHashes(replica->log()), replica->highWatermark(), replica->logStartOffset());
            }
        }
    }
    // Each group's committed offsets as its coordinator holds them now, to judge its delivery.
    for (const auto& broker : cluster_->brokers()) {
        if (!broker->isOnline())
            continue;
        for (const cluster::GroupSummary& summary : broker->groupCoordinator().summaries()) {
            for (const auto& [partition, committed] : summary.offsets)
                history_->groupCommitted(summary.groupId, partition, committed.offset);
        }
    }
    return check::check(*history_, options);
}

void Engine::scheduleFault(const scenario::FaultSpec& fault)
{
    const sim::SimTime at = sim::fromMs(static_cast<double>(fault.atMs));
    const sim::SimTime until = fault.untilMs ? sim::fromMs(static_cast<double>(*fault.untilMs)) : -1;
    auto atStart = [&](auto action) { scheduler_.scheduleAt(at, std::move(action)); };
    auto atEnd = [&](auto action) {
        if (until >= 0)
            scheduler_.scheduleAt(until, std::move(action));
    };
    const std::int32_t id = fault.broker;
    auto brokerOf = [this](std::int32_t broker) { return cluster_->broker(broker); };
    const std::string& kind = fault.kind;
    if (kind == "broker_crash" || kind == "power_loss" || kind == "broker_shutdown") {
        atStart([this, kind, id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id)) {
                if (kind == "broker_crash")
                    broker->crash();
                else if (kind == "power_loss")
                    broker->powerLoss();
                else
                    broker->shutdown();
            }
        });
        atEnd([id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id))
                broker->restart();
        });
    } else if (kind == "broker_pause") {
        atStart([id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id))
                broker->pause();
        });
        atEnd([id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id))
                broker->resume();
        });
    } else if (kind == "broker_restart") {
        atStart([id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id))
                broker->restart();
        });
    } else if (kind == "isolate") {
        atStart([this, id] {
            isolate(id, true);
        });
        atEnd([this, id] { isolate(id, false); });
    } else if (kind == "network_partition") {
        atStart([this, fault] {
            partitionNetwork(std::set<std::int32_t>(fault.sideA.begin(), fault.sideA.end()),
                std::set<std::int32_t>(fault.sideB.begin(), fault.sideB.end()));
        });
        atEnd([this, fault] {
            healPartition(std::set<std::int32_t>(fault.sideA.begin(), fault.sideA.end()),
                std::set<std::int32_t>(fault.sideB.begin(), fault.sideB.end()));
        });
    } else if (kind.starts_with("consumer_")) {
        const std::string name = fault.consumer;
        const double factor = fault.factor;
        if (kind == "consumer_crash")
            atStart([this, name] { crashConsumer(name); });
        else if (kind == "consumer_leave")
            atStart([this, name] { closeConsumer(name); });
        else if (kind == "consumer_join")
            atStart([this, name] { joinConsumer(name); });
        else if (kind == "consumer_pause") {
            atStart([this, name] { pauseConsumer(name, true); });
            atEnd([this, name] { pauseConsumer(name, false); });
        } else if (kind == "consumer_slow") {
            atStart([this, name, factor] { slowConsumer(name, factor); });
            atEnd([this, name] { slowConsumer(name, 1.0); });
        }
    } else if (kind == "link") {
        const sim::LinkSpec link = fault.link;
        const std::int32_t from = fault.from, to = fault.to;
        const bool both = fault.bothDirections;
        atStart([this, link, from, to, both] { setLinkFault(from, to, link, both); });
        atEnd([this, from, to, both] { clearLinkFault(from, to, both); });
    } else if (kind == "slow_disk") {
        const auto delay = sim::fromMs(fault.delayMs);
        atStart([this, id, delay, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id)) {
                broker->setDiskDelay(delay);
                recordFault("fault.slow_disk", id, "broker " + std::to_string(id) + "'s disk now takes "
                        + std::to_string(delay / 1000) + " ms per append");
            }
        });
        atEnd([this, id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id)) {
                broker->setDiskDelay(0);
                recordFault("fault.disk_recovered", id, "broker " + std::to_string(id) + "'s disk is fast again");
            }
        });
    } else if (kind == "disk_full") {
        atStart([this, id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id)) {
                broker->setDiskFull(true);
                recordFault("fault.disk_full", id, "broker " + std::to_string(id)
                        + "'s log directory is full: appends fail with KAFKA_STORAGE_ERROR");
            }
        });
        atEnd([this, id, brokerOf] {
            if (cluster::Broker* broker = brokerOf(id)) {
                broker->setDiskFull(false);
                recordFault("fault.disk_freed", id, "broker " + std::to_string(id) + " has disk space again");
            }
        });
    } else if (kind == "kill_controller") {
        auto killed = std::make_shared<std::int32_t>(-1);
        atStart([this, killed] { *killed = killActiveController(); });
        atEnd([this, killed] { restartController(*killed); });
    } else if (kind == "clock_skew") {
        const std::int64_t skew = fault.skewMs;
        atStart([this, id, skew] { setClockSkew(id, skew); });
        atEnd([this, id] { setClockSkew(id, 0); });
    } else if (kind == "remove_broker") {
        atStart([this, id] { removeBroker(id); });
    } else if (kind == "reassign") {
        const std::string topic = fault.topic;
        const std::int32_t partition = fault.partition;
        const std::vector<std::int32_t> replicas = fault.replicas;
        atStart([this, topic, partition, replicas] { reassignPartition(topic, partition, replicas); });
    } else if (kind == "add_broker") {
        atStart([this] {
            cluster::Broker& added = cluster_->addBroker();
            recordFault("fault.add_broker", added.id(), "broker " + std::to_string(added.id()) + " joined the cluster");
        });
    }
}

client::Consumer* Engine::consumer(const std::string& clientId)
{
    for (const auto& consumer : consumers_) {
        if (consumer->clientId() == clientId)
            return consumer.get();
    }
    return nullptr;
}

bool Engine::crashConsumer(const std::string& clientId)
{
    client::Consumer* target = consumer(clientId);
    if (!target || target->crashed())
        return false;
    target->crash();
    recordFault("fault.consumer_crash", -1, "consumer '" + clientId + "' crashed: no LeaveGroup, no commit; the group notices after session.timeout.ms");
    return true;
}

bool Engine::pauseConsumer(const std::string& clientId, bool paused)
{
    client::Consumer* target = consumer(clientId);
    if (!target)
        return false;
    target->pauseApplication(paused);
    return true;
}

bool Engine::slowConsumer(const std::string& clientId, double factor)
{
    client::Consumer* target = consumer(clientId);
    if (!target)
        return false;
    target->setSlowdown(factor);
    recordFault("fault.consumer_slow", -1,
        "consumer '" + clientId + "' now processes " + std::to_string(factor) + " times slower");
    return true;
}

bool Engine::closeConsumer(const std::string& clientId)
{
    client::Consumer* target = consumer(clientId);
    if (!target)
        return false;
    target->close();
    recordFault("fault.consumer_leave", -1, "consumer '" + clientId + "' closes: it commits and leaves its group");
    return true;
}

client::Consumer* Engine::joinConsumer(const std::string& specId)
{
    for (const auto& spec : scenario_.consumers) {
        if (spec.id != specId)
            continue;
        std::int32_t index = 0;
        for (const auto* owner : consumerSpecs_)
            index += owner == &spec ? 1 : 0;
        client::Consumer& added = addGroupMember(spec, index);
        recordFault("fault.consumer_join", -1, "consumer '" + added.clientId() + "' starts and joins group " + spec.config.groupId);
        return &added;
    }
    return nullptr;
}

std::int32_t Engine::killActiveController()
{
    const std::int32_t active = cluster_->quorum().activeIndex();
    if (active < 0) {
        recordFault("fault.controller_kill", -1, "kill_controller found no active controller to kill");
        return -1;
    }
    cluster_->quorum().kill(active);
    return active;
}

void Engine::restartController(std::int32_t index)
{
    if (index >= 0)
        cluster_->quorum().restart(index);
}

void Engine::setClockSkew(std::int32_t id, std::int64_t skewMs)
{
    if (cluster::Broker* broker = cluster_->broker(id)) {
        broker->setClockSkewMs(skewMs);
        recordFault(skewMs == 0 ? "fault.clock_restored" : "fault.clock_skew", id,
            skewMs == 0 ? "broker " + std::to_string(id) + "'s wall clock is in step again"
                        : "broker " + std::to_string(id) + "'s wall clock runs " + std::to_string(skewMs)
                    + " ms off: its segment.ms rolls, retention.ms, flush.ms and compaction lags use it");
    }
}

void Engine::removeBroker(std::int32_t id)
{
    cluster::Broker* broker = cluster_->broker(id);
    if (!broker)
        return;
    recordFault("fault.remove_broker", id,
        "broker " + std::to_string(id) + " is decommissioned: controlled shutdown, then UnregisterBroker");
    broker->shutdown();
    unregisterWhenStopped(id);
}

void Engine::unregisterWhenStopped(std::int32_t id)
{
    cluster::Broker* broker = cluster_->broker(id);
    if (broker && broker->isOnline()) {
        scheduler_.scheduleAfter(sim::fromMs(500), [this, id] { unregisterWhenStopped(id); });
        return;
    }
    const cluster::ControllerResult result = cluster_->controller().unregisterBroker(id);
    if (result.error != protocol::ErrorCode::NONE)
        recordFault("fault.remove_broker_failed", id, "UnregisterBroker for broker " + std::to_string(id) + " failed: " + result.message);
}

cluster::ControllerResult Engine::reassignPartition(const std::string& topic, std::int32_t partition, std::vector<std::int32_t> replicas)
{
    cluster::ControllerResult result = cluster_->controller().reassignPartition(topic, partition, std::move(replicas));
    if (result.error != protocol::ErrorCode::NONE)
        recordFault("fault.reassign_failed", -1, "reassignment of " + topic + "-" + std::to_string(partition) + " refused: " + result.message);
    return result;
}

void Engine::isolate(std::int32_t node, bool cut)
{
    std::set<sim::NodeId> others;
    for (std::int32_t voter = 0; voter < cluster_->quorum().size(); ++voter)
        others.insert(cluster::controllerNode(voter));
    for (std::int32_t id : cluster_->brokerIds())
        others.insert(id);
    for (const auto& producer : producers_)
        others.insert(producer->node());
    for (const auto& consumer : consumers_)
        others.insert(consumer->node());
    for (const auto& processor : processors_) {
        others.insert(processor->consumer().node());
        others.insert(processor->producer().node());
    }
    others.erase(node);
    for (sim::NodeId other : others) {
        network_.setCut(node, other, cut);
        network_.setCut(other, node, cut);
    }
    recordFault(cut ? "fault.isolate" : "fault.reconnect", node,
        cut ? "broker " + std::to_string(node) + " is cut off from every other node"
            : "broker " + std::to_string(node) + " is reachable again");
}

void Engine::recordFault(std::string kind, std::int32_t broker, std::string message)
{
    trace_.record({ .time = scheduler_.now(), .kind = std::move(kind), .broker = broker, .message = std::move(message) });
}

std::string Engine::nodesText(const std::set<sim::NodeId>& nodes)
{
    std::string text = "{";
    for (sim::NodeId node : nodes)
        text += (text.size() > 1 ? "," : "")
            + (node <= 0 ? "controller " + std::to_string(cluster::controllerIndex(node)) : std::to_string(node));
    return text + "}";
}

void Engine::createClients()
{
    for (const auto& spec : scenario_.producers)
        startProducer(spec);

    for (const auto& spec : scenario_.consumers) {
        ConsumerGroupInfo group;
        group.groupId = spec.config.groupId;
        group.topics = spec.topics;
        groups_.push_back(std::move(group));
        for (std::int32_t i = 0; i < spec.members; ++i)
            addGroupMember(spec, i);
    }
    createProcessorsAndQueues();
}

client::Consumer& Engine::addGroupMember(const scenario::ConsumerSpec& spec, std::int32_t index)
{
    client::ConsumerConfig config = spec.config;
    // Members of one spec share a client.id in Kafka; numbering them keeps views and member ids apart.
    const std::string base = config.clientId.empty() ? spec.id : config.clientId;
    config.clientId = spec.members == 1 && index == 0 ? base : base + "-" + std::to_string(index + 1);
    auto it = std::find_if(groups_.begin(), groups_.end(), [&](const ConsumerGroupInfo& g) { return g.groupId == spec.config.groupId && g.topics == spec.topics; });
    if (it != groups_.end())
        it->members.push_back(consumers_.size());
    consumers_.push_back(std::make_unique<client::Consumer>(*cluster_, config));
    client::Consumer* consumer = consumers_.back().get();
    consumerSpecs_.push_back(&spec);
    if (history_ && historyAttached_)
        attachConsumerHistory(*consumer);
    const sim::SimTime start = std::max(context_.now(), sim::fromMs(static_cast<double>(spec.startMs)));
    const std::vector<std::string> topics = spec.topics;
    if (!config.groupId.empty()) {
        scheduler_.scheduleAt(start, [consumer, topics] { consumer->subscribe(topics); });
    } else {
        scheduler_.scheduleAt(start, [this, consumer, topics] {
            std::vector<protocol::TopicPartition> partitions;
            const cluster::MetadataImage& image = cluster_->controller().image();
            for (const auto& topic : topics) {
                if (const cluster::TopicInfo* info = image.topic(topic)) {
                    for (std::int32_t p = 0; p < static_cast<std::int32_t>(info->partitions.size()); ++p)
                        partitions.push_back({ topic, p });
                }
            }
            consumer->assign(partitions);
        });
    }
    client::PollLoopPlan plan { .start = start,
        .stop = spec.stopMs < 0 ? sim::kNever : sim::fromMs(static_cast<double>(spec.stopMs)),
        .pollIntervalMs = spec.pollIntervalMs,
        .processingMsPerRecord = spec.processingMsPerRecord,
        .processingMs = {},
        .commit = spec.commit,
        .delivery = spec.delivery,
        .skipUndeserializable = spec.skipUndeserializable };
    if (spec.processing.kind != scenario::ProcessingSpec::Kind::Fixed) {
        const scenario::ProcessingSpec processing = spec.processing;
        plan.processingMs = [this, processing] { return processing.draw(rng_); };
    }
    consumer->runPollLoop(std::move(plan));
    return *consumer;
}

bool Engine::quiescent() const
{
    for (const auto& producer : producers_) {
        if (!producer->idle())
            return false;
    }
    for (const auto& processor : processors_) {
        if (!processor->producer().idle())
            return false;
    }
    return true;
}

Snapshot Engine::snapshot() const
{
    Snapshot snap;
    snap.virtualUs = scheduler_.now();
    snap.wallClockMs = scheduler_.wallClockMs();
    snap.eventsRun = scheduler_.eventsRun();
    snap.traceLines = trace_.lines();
    if (!cluster_)
        return snap;
    snap.controllers = cluster_->quorum().size();
    snap.activeController = cluster_->quorum().activeIndex();
    snap.controllerElections = cluster_->quorum().counters().elections;
    const cluster::MetadataImage& image = cluster_->controller().image();
    for (const auto& broker : cluster_->brokers()) {
        BrokerSnapshot info;
        info.id = broker->id();
        info.rack = broker->rack();
        auto registered = image.brokers.find(broker->id());
        info.state = registered == image.brokers.end() ? cluster::BrokerState::Offline : registered->second.state;
        info.controller = image.controllerId == broker->id();
        info.running = broker->isOnline();
        info.paused = broker->processState() == cluster::ProcessState::Paused;
        info.diskDelayMs = broker->diskDelay() / sim::kMicrosPerMs;
        info.diskFull = broker->diskFull();
        info.counters = broker->counters();
        for (const auto& [topicPartition, replica] : broker->replicas()) {
            info.storedBytes += replica->log().sizeInBytes();
            ++info.replicaCount;
            if (replica->isLeader())
                ++info.leaderCount;
        }
        snap.brokers.push_back(std::move(info));
    }
    snap.topics.reserve(image.topics.size());
    for (const auto& [name, topic] : image.topics) {
        TopicSnapshot topicSnapshot;
        topicSnapshot.name = name;
        topicSnapshot.internal = topic.internal;
        topicSnapshot.config = topic.config;
        topicSnapshot.partitions.reserve(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            PartitionSnapshot partitionSnapshot;
            partitionSnapshot.replicas.reserve(partition.replicas.size());
            partitionSnapshot.partition = partition.partition;
            partitionSnapshot.leader = partition.leader;
            partitionSnapshot.leaderEpoch = partition.leaderEpoch;
            partitionSnapshot.replicaIds = partition.replicas;
            partitionSnapshot.isr = partition.isr;
            topicSnapshot.replicationFactor = static_cast<std::int32_t>(partition.replicas.size());
            for (std::int32_t id : partition.replicas) {
                ReplicaSnapshot replicaSnapshot;
                replicaSnapshot.broker = id;
                replicaSnapshot.leader = id == partition.leader;
                replicaSnapshot.inSync = std::find(partition.isr.begin(), partition.isr.end(), id) != partition.isr.end();
                cluster::Broker* broker = cluster_->broker(id);
                // By name and number: no TopicPartition (and no copy of the topic name) per replica.
                const cluster::Replica* replica = broker ? broker->replica(name, partition.partition) : nullptr;
                replicaSnapshot.online = broker && broker->isOnline() && replica;
                if (replica) {
                    const log::PartitionLog& log = replica->log();
                    replicaSnapshot.logStartOffset = log.logStartOffset();
                    replicaSnapshot.logEndOffset = log.logEndOffset();
                    replicaSnapshot.highWatermark = replica->highWatermark();
                    replicaSnapshot.sizeInBytes = log.sizeInBytes();
                    replicaSnapshot.segments = log.segmentCount();
                    replicaSnapshot.records = log.recordCount();
                    if (replicaSnapshot.leader) {
                        partitionSnapshot.logStartOffset = replicaSnapshot.logStartOffset;
                        partitionSnapshot.logEndOffset = replicaSnapshot.logEndOffset;
                        partitionSnapshot.highWatermark = replicaSnapshot.highWatermark;
                    }
                }
                partitionSnapshot.replicas.push_back(replicaSnapshot);
            }
            topicSnapshot.partitions.push_back(std::move(partitionSnapshot));
        }
        snap.topics.push_back(std::move(topicSnapshot));
    }
    for (std::size_t i = 0; i < producers_.size(); ++i) {
        const auto& producer = producers_[i];
        snap.producers.push_back({ .clientId = producer->clientId(),
            .topic = producerTopics_[i],
            .acks = producer->config().acks,
            .idempotent = producer->config().enableIdempotence,
            .counters = producer->counters() });
    }
    for (const auto& consumer : consumers_) {
        ConsumerSnapshot entry { .clientId = consumer->clientId(),
            .groupId = consumer->config().groupId,
            .counters = consumer->counters(),
            .positions = consumer->positions() };
        if (const client::ConsumerCoordinator* member = consumer->groupMember()) {
            entry.memberId = member->memberId();
            entry.generation = member->generation();
            entry.memberState = std::string(client::memberStateName(member->state()));
            entry.groupCounters = member->counters();
        }
        entry.crashed = consumer->crashed();
        entry.assignmentStrategy = consumer->config().partitionAssignmentStrategy;
        entry.groupProtocol = consumer->config().groupProtocol;
        snap.consumers.push_back(std::move(entry));
    }
    describeProducers(snap);
    externalClients_.addTo(snap);
    // Links between brokers and controller voters (what faults name) that differ from the default.
    std::vector<sim::NodeId> nodes;
    for (std::int32_t voter = 0; voter < cluster_->quorum().size(); ++voter)
        nodes.push_back(cluster::controllerNode(voter));
    for (std::int32_t id : cluster_->brokerIds())
        nodes.push_back(id);
    std::sort(nodes.begin(), nodes.end());
    for (sim::NodeId from : nodes)
        for (sim::NodeId to : nodes)
            if (from != to && !(network_.link(from, to) == network_.defaultLink()))
                snap.linkFaults.push_back({ .from = from, .to = to, .link = network_.link(from, to) });
    snap.groups = groupSnapshots(snap.consumers);
    describeProcessorsAndQueues(snap);
    return snap;
}

std::vector<GroupSnapshot> Engine::groupSnapshots(const std::vector<ConsumerSnapshot>& consumers) const
{
    // Each group from the broker coordinating it now (an offline coordinator's groups are not served).
    std::map<std::string, GroupSnapshot> byId;
    for (const auto& broker : cluster_->brokers()) {
        if (!broker->isOnline())
            continue;
        for (cluster::GroupSummary& summary : broker->groupCoordinator().summaries())
            byId[summary.groupId].summary = std::move(summary);
    }
    const std::int64_t nowMs = context_.nowMs();
    for (auto& [id, group] : byId) {
        std::set<protocol::TopicPartition> partitions;
        for (const auto& [partition, offset] : group.summary.offsets)
            partitions.insert(partition);
        for (const auto& member : group.summary.members)
            partitions.insert(member.assignment.begin(), member.assignment.end());
        for (const auto& partition : partitions) {
            GroupPartitionLag lag;
            lag.topicPartition = partition;
            if (auto it = group.summary.offsets.find(partition); it != group.summary.offsets.end())
                lag.committed = it->second.offset;
            const cluster::PartitionInfo* info = cluster_->controller().image().partition(partition.topic, partition.partition);
            cluster::Broker* leader = info ? cluster_->broker(info->leader) : nullptr;
            const cluster::Replica* replica = leader && leader->isOnline() ? leader->replica(partition) : nullptr;
            if (replica && replica->isLeader()) {
                lag.highWatermark = replica->highWatermark();
                const std::int64_t from = std::max(lag.committed, replica->logStartOffset());
                lag.lag = std::max<std::int64_t>(0, lag.highWatermark - from);
                if (lag.lag > 0) {
                    const auto records = replica->log().readRecords(from, lag.highWatermark, 1);
                    if (!records.empty())
                        lag.lagMs = std::max<std::int64_t>(0, nowMs - records.front().timestamp);
                }
            }
            group.lag.push_back(lag);
        }
        for (const auto& consumer : consumers) {
            if (consumer.groupId == id)
                group.rebalancePauseMs = std::max(group.rebalancePauseMs, consumer.groupCounters.pausedMs);
        }
    }
    std::vector<GroupSnapshot> result;
    for (auto& [id, group] : byId)
        result.push_back(std::move(group));
    return result;
}

} // namespace brokerlab::driver
