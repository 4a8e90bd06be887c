#include "driver/engine.h"

#include "group/assignor.h"

#include <algorithm>

namespace brokerlab::driver {

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

void Engine::start()
{
    cluster::BrokerConfig brokerConfig = scenario_.brokerConfig;
    cluster_ = std::make_unique<cluster::Cluster>(context_, brokerConfig);
    for (std::int32_t i = 0; i < scenario_.brokers; ++i) {
        const auto index = static_cast<std::size_t>(i);
        cluster_->addBroker(index < scenario_.racks.size() ? scenario_.racks[index] : std::string());
    }
    for (const auto& topic : scenario_.topics)
        cluster_->createTopic(topic.name, topic.partitions, topic.replicationFactor, topic.config);
    createClients();
}

void Engine::createClients()
{
    for (const auto& spec : scenario_.producers) {
        client::ProducerConfig config = spec.config;
        if (config.clientId.empty())
            config.clientId = spec.id;
        auto producer = std::make_unique<client::Producer>(*cluster_, config, rng_.next());
        client::Producer* raw = producer.get();
        producers_.push_back(std::move(producer));
        producerTopics_.push_back(spec.topic);
        const sim::SimTime start = sim::fromMs(static_cast<double>(spec.startMs));
        scheduler_.scheduleAt(start, [raw] { raw->start(); });
        raw->runWorkload({ .topic = spec.topic,
            .workload = spec.workload,
            .ratePerSec = spec.ratePerSec,
            .start = start,
            .stop = spec.stopMs < 0 ? sim::kNever : sim::fromMs(static_cast<double>(spec.stopMs)),
            .maxRecords = spec.maxRecords,
            .partition = spec.partition });
    }

    const cluster::MetadataImage& image = cluster_->controller().image();
    for (const auto& spec : scenario_.consumers) {
        ConsumerGroupInfo group;
        group.groupId = spec.config.groupId;
        group.topics = spec.topics;
        std::vector<group::MemberSubscription> members;
        for (std::int32_t i = 0; i < spec.members; ++i) {
            client::ConsumerConfig config = spec.config;
            // Members of one spec share a client.id in Kafka; numbering them keeps views and
            // member ids apart.
            const std::string base = config.clientId.empty() ? spec.id : config.clientId;
            config.clientId = spec.members == 1 ? base : base + "-" + std::to_string(i + 1);
            group.members.push_back(consumers_.size());
            members.push_back({ .memberId = config.clientId, .topics = spec.topics });
            consumers_.push_back(std::make_unique<client::Consumer>(*cluster_, config));
        }
        std::map<std::string, std::int32_t> partitionsPerTopic;
        for (const auto& topic : spec.topics) {
            if (const cluster::TopicInfo* info = image.topic(topic))
                partitionsPerTopic[topic] = static_cast<std::int32_t>(info->partitions.size());
        }
        // Until the group coordinator lands, a group's members split the partitions once, with
        // Kafka's range assignor, as the group leader would in the first generation.
        const group::Assignment assignment = group::assignRange(members, partitionsPerTopic);
        const sim::SimTime start = sim::fromMs(static_cast<double>(spec.startMs));
        for (std::size_t m = 0; m < group.members.size(); ++m) {
            client::Consumer* consumer = consumers_[group.members[m]].get();
            std::vector<protocol::TopicPartition> partitions;
            if (!group.groupId.empty()) {
                auto it = assignment.find(members[m].memberId);
                if (it != assignment.end()) {
                    for (const auto& partition : it->second)
                        partitions.push_back({ partition.topic, partition.partition });
                }
            } else {
                for (const auto& [topic, count] : partitionsPerTopic) {
                    for (std::int32_t p = 0; p < count; ++p)
                        partitions.push_back({ topic, p });
                }
            }
            scheduler_.scheduleAt(start, [consumer, partitions] { consumer->assign(partitions); });
            consumer->runPollLoop({ .start = start,
                .stop = spec.stopMs < 0 ? sim::kNever : sim::fromMs(static_cast<double>(spec.stopMs)),
                .pollIntervalMs = spec.pollIntervalMs,
                .processingMsPerRecord = spec.processingMsPerRecord });
        }
        groups_.push_back(std::move(group));
    }
}

bool Engine::quiescent() const
{
    for (const auto& producer : producers_) {
        if (!producer->idle())
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
    const cluster::MetadataImage& image = cluster_->controller().image();
    for (const auto& broker : cluster_->brokers()) {
        BrokerSnapshot info;
        info.id = broker->id();
        info.rack = broker->rack();
        auto registered = image.brokers.find(broker->id());
        info.state = registered == image.brokers.end() ? cluster::BrokerState::Offline : registered->second.state;
        info.controller = image.controllerId == broker->id();
        info.counters = broker->counters();
        for (const auto& [topicPartition, replica] : broker->replicas()) {
            info.storedBytes += replica->log().stats().sizeInBytes;
            ++info.replicaCount;
            if (replica->isLeader())
                ++info.leaderCount;
        }
        snap.brokers.push_back(std::move(info));
    }
    for (const auto& [name, topic] : image.topics) {
        TopicSnapshot topicSnapshot;
        topicSnapshot.name = name;
        topicSnapshot.internal = topic.internal;
        topicSnapshot.config = topic.config;
        for (const auto& partition : topic.partitions) {
            PartitionSnapshot partitionSnapshot;
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
                const cluster::Replica* replica = broker ? broker->replica({ name, partition.partition }) : nullptr;
                replicaSnapshot.online = broker && broker->isOnline() && replica;
                if (replica) {
                    const log::LogStats stats = replica->log().stats();
                    replicaSnapshot.logStartOffset = stats.logStartOffset;
                    replicaSnapshot.logEndOffset = stats.logEndOffset;
                    replicaSnapshot.highWatermark = replica->highWatermark();
                    replicaSnapshot.sizeInBytes = stats.sizeInBytes;
                    replicaSnapshot.segments = stats.segmentCount;
                    replicaSnapshot.records = stats.recordCount;
                    if (replicaSnapshot.leader) {
                        partitionSnapshot.logStartOffset = stats.logStartOffset;
                        partitionSnapshot.logEndOffset = stats.logEndOffset;
                        partitionSnapshot.highWatermark = replica->highWatermark();
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
        snap.consumers.push_back({ .clientId = consumer->clientId(),
            .groupId = consumer->config().groupId,
            .counters = consumer->counters(),
            .positions = consumer->positions() });
    }
    return snap;
}

} // namespace brokerlab::driver
