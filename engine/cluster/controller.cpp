#include "cluster/controller.h"

#include "cluster/placement.h"

#include <algorithm>

namespace brokerlab::cluster {

using protocol::ErrorCode;

namespace {

constexpr sim::SimTime kSessionCheckInterval = 500 * sim::kMicrosPerMs;
constexpr sim::SimTime kLeaderImbalanceCheckInterval = 300 * 1000 * sim::kMicrosPerMs; // leader.imbalance.check.interval.seconds

bool contains(const std::vector<std::int32_t>& ids, std::int32_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string listText(const std::vector<std::int32_t>& ids)
{
    std::string text = "[";
    for (std::size_t i = 0; i < ids.size(); ++i)
        text += (i ? "," : "") + std::to_string(ids[i]);
    return text + "]";
}

} // namespace

std::string_view brokerStateName(BrokerState state)
{
    switch (state) {
    case BrokerState::Online:
        return "online";
    case BrokerState::Fenced:
        return "fenced";
    case BrokerState::Offline:
        return "offline";
    }
    return "unknown";
}

const TopicInfo* MetadataImage::topic(std::string_view name) const
{
    auto it = topics.find(std::string(name));
    return it == topics.end() ? nullptr : &it->second;
}

const PartitionInfo* MetadataImage::partition(std::string_view topicName, std::int32_t partitionIndex) const
{
    const TopicInfo* info = topic(topicName);
    if (!info || partitionIndex < 0 || partitionIndex >= static_cast<std::int32_t>(info->partitions.size()))
        return nullptr;
    return &info->partitions[static_cast<std::size_t>(partitionIndex)];
}

Controller::Controller(Context& context, BrokerConfig brokerConfig)
    : context_(context)
    , brokerConfig_(std::move(brokerConfig))
    , image_(std::make_shared<MetadataImage>())
{
}

MetadataImage& Controller::mutableImage()
{
    // Copy on write: brokers may still hold the published image.
    if (image_.use_count() > 1)
        image_ = std::make_shared<MetadataImage>(*image_);
    return *image_;
}

void Controller::publish()
{
    ++image_->version;
    if (publisher_)
        publisher_(image_);
}

void Controller::activate(std::int32_t voter, std::shared_ptr<const MetadataImage> image)
{
    if (image)
        image_ = std::make_shared<MetadataImage>(*image);
    image_->activeController = voter;
    active_ = true;
    const std::uint64_t generation = ++generation_;
    // KRaft's new active controller starts every broker's session afresh: nobody is fenced for the
    // time it took to elect it.
    sessions_.clear();
    for (const auto& [id, info] : image_->brokers)
        sessions_[id] = BrokerSession { .lastHeartbeat = context_.now() };
    context_.scheduler.scheduleAfter(kSessionCheckInterval, [this, generation] { checkSessions(generation); });
    if (brokerConfig_.autoLeaderRebalanceEnable)
        scheduleImbalanceCheck(generation);
    publish(); // the leader-change record
}

void Controller::deactivate()
{
    active_ = false;
    ++generation_;
}

void Controller::scheduleImbalanceCheck(std::uint64_t generation)
{
    context_.scheduler.scheduleAfter(kLeaderImbalanceCheckInterval, [this, generation] {
        if (generation != generation_)
            return;
        // Preferred leader election: move leadership back to the first replica when it is in
        // sync and online, so leaders spread again after a failover.
        bool changed = false;
        for (const auto& [name, topic] : image_->topics) {
            for (std::size_t p = 0; p < topic.partitions.size(); ++p) {
                const PartitionInfo& current = topic.partitions[p];
                const std::int32_t preferred = current.replicas.empty() ? -1 : current.replicas.front();
                if (preferred < 0 || current.leader == preferred || !brokerOnline(preferred)
                    || !contains(current.isr, preferred))
                    continue;
                PartitionInfo& partition = mutableImage().topics[name].partitions[p];
                noteLeaderChange(name, partition, preferred, false, "preferred leader election");
                changed = true;
            }
        }
        if (changed)
            publish();
        scheduleImbalanceCheck(generation);
    });
}

bool Controller::brokerOnline(std::int32_t id) const
{
    auto it = image_->brokers.find(id);
    return it != image_->brokers.end() && it->second.state == BrokerState::Online;
}

void Controller::registerBroker(std::int32_t id, std::string rack)
{
    if (!active_)
        return;
    MetadataImage& image = mutableImage();
    BrokerInfo& info = image.brokers[id];
    info.id = id;
    info.rack = std::move(rack);
    info.brokerEpoch = image.version + 1;
    info.incarnation = 1;
    // The cluster of the scenario forms before time zero; a broker that joins later waits fenced
    // until it has caught up with the metadata log.
    const bool bootstrap = context_.now() == 0;
    info.state = bootstrap ? BrokerState::Online : BrokerState::Fenced;
    sessions_[id] = BrokerSession { .lastHeartbeat = context_.now() };
    context_.trace.record({ .time = context_.now(),
        .kind = "broker.registered",
        .broker = id,
        .numbers = { { "broker_epoch", info.brokerEpoch } },
        .message = "broker " + std::to_string(id) + " registered with the controller"
            + (bootstrap ? std::string() : std::string(": fenced until it has caught up with the metadata log")) });
    publish();
}

HeartbeatResponse Controller::onHeartbeat(
    std::int32_t brokerId, bool wantShutdown, std::uint64_t incarnation, std::int64_t metadataOffset, bool cleanShutdown)
{
    auto found = image_->brokers.find(brokerId);
    if (!active_ || found == image_->brokers.end())
        return { .fenced = true };
    BrokerSession& session = sessions_[brokerId];
    session.lastHeartbeat = context_.now();
    if (found->second.incarnation != incarnation) {
        // A restarted process: whatever it held in memory is gone, and its logs may have lost
        // their unflushed tail. It must not go on leading as if nothing happened.
        fenceBroker(brokerId, "it restarted and registered again");
        MetadataImage& image = mutableImage();
        BrokerInfo& info = image.brokers[brokerId];
        info.incarnation = incarnation;
        info.brokerEpoch = image.version + 1;
        session.wantsShutdown = false;
        if (!cleanShutdown && brokerConfig_.eligibleLeaderReplicasEnable) {
            // KIP-966: after an unclean shutdown the broker may have lost its unflushed tail, so
            // it is no longer eligible to lead.
            for (auto& [name, topic] : image.topics) {
                for (auto& partition : topic.partitions) {
                    if (contains(partition.elr, brokerId)) {
                        std::erase(partition.elr, brokerId);
                        ++partition.partitionEpoch;
                        context_.trace.record({ .time = context_.now(),
                            .kind = "elr.removed",
                            .broker = brokerId,
                            .topic = name,
                            .partition = partition.partition,
                            .message = "broker " + std::to_string(brokerId) + " left the eligible leader replicas of "
                                + name + "-" + std::to_string(partition.partition)
                                + ": it shut down uncleanly and may have lost its unflushed tail" });
                    }
                }
            }
        }
        context_.trace.record({ .time = context_.now(),
            .kind = "broker.registered",
            .broker = brokerId,
            .numbers = { { "broker_epoch", info.brokerEpoch } },
            .message = "broker " + std::to_string(brokerId) + " registered again with broker epoch "
                + std::to_string(info.brokerEpoch) + ": fenced until it has applied the metadata log up to there" });
        publish();
        found = image_->brokers.find(brokerId);
    }
    if (found->second.state != BrokerState::Online && !wantShutdown && !session.wantsShutdown
        && metadataOffset >= found->second.brokerEpoch)
        unfenceBroker(brokerId, metadataOffset);
    if (wantShutdown && !session.wantsShutdown) {
        // Controlled shutdown: move every leadership away first, then let the broker go.
        session.wantsShutdown = true;
        MetadataImage& image = mutableImage();
        image.brokers[brokerId].state = BrokerState::Fenced;
        context_.trace.record({ .time = context_.now(),
            .kind = "broker.controlled_shutdown",
            .broker = brokerId,
            .message = "broker " + std::to_string(brokerId)
                + " asked to shut down: the controller moves its leaderships and removes it from ISRs first" });
        electLeaders(brokerId, "controlled shutdown of broker " + std::to_string(brokerId));
        publish();
    }
    return { .fenced = image_->brokers.at(brokerId).state != BrokerState::Online,
        .shutdownAllowed = session.wantsShutdown };
}

void Controller::checkSessions(std::uint64_t generation)
{
    if (generation != generation_)
        return;
    const sim::SimTime timeout = brokerConfig_.brokerSessionTimeoutMs * sim::kMicrosPerMs;
    for (auto& [id, session] : sessions_) {
        if (brokerOnline(id) && context_.now() - session.lastHeartbeat > timeout)
            fenceBroker(id, "no heartbeat for broker.session.timeout.ms (" + std::to_string(brokerConfig_.brokerSessionTimeoutMs)
                    + " ms)");
    }
    context_.scheduler.scheduleAfter(kSessionCheckInterval, [this, generation] { checkSessions(generation); });
}

void Controller::fenceBroker(std::int32_t id, const std::string& reason)
{
    if (!active_ || !brokerOnline(id))
        return;
    MetadataImage& image = mutableImage();
    image.brokers[id].state = BrokerState::Fenced;
    ++counters_.fencings;
    context_.trace.record({ .time = context_.now(),
        .kind = "broker.fenced",
        .broker = id,
        .message = "the controller fenced broker " + std::to_string(id) + ": " + reason
            + "; its leaderships move to in-sync replicas" });
    electLeaders(id, "broker " + std::to_string(id) + " fenced");
    publish();
}

void Controller::unfenceBroker(std::int32_t id, std::int64_t metadataOffset)
{
    MetadataImage& image = mutableImage();
    image.brokers[id].state = BrokerState::Online;
    sessions_[id].wantsShutdown = false;
    context_.trace.record({ .time = context_.now(),
        .kind = "broker.unfenced",
        .broker = id,
        .numbers = { { "broker_epoch", image.brokers[id].brokerEpoch }, { "broker_metadata_offset", metadataOffset } },
        .message = "broker " + std::to_string(id) + " has applied the metadata log up to offset "
            + std::to_string(metadataOffset) + " (its broker epoch is " + std::to_string(image.brokers[id].brokerEpoch)
            + "): unfenced" });
    electLeaders(-1, "broker " + std::to_string(id) + " unfenced");
    publish();
}

void Controller::noteLeaderChange(
    const std::string& topic, PartitionInfo& partition, std::int32_t newLeader, bool unclean, const std::string& reason)
{
    const std::int32_t oldLeader = partition.leader;
    partition.leader = newLeader;
    ++partition.leaderEpoch;
    ++partition.partitionEpoch;
    if (newLeader >= 0) {
        ++counters_.elections;
        if (unclean)
            ++counters_.uncleanElections;
    }
    std::string message;
    if (newLeader < 0) {
        message = "partition " + topic + "-" + std::to_string(partition.partition)
            + " is offline: no in-sync replica is available (" + reason + ")";
    } else {
        message = "broker " + std::to_string(newLeader) + " elected leader of " + topic + "-"
            + std::to_string(partition.partition) + " in epoch " + std::to_string(partition.leaderEpoch) + " ("
            + reason + ")";
        if (unclean)
            message += "; UNCLEAN: it was not in sync, records it never received are lost";
    }
    context_.trace.record({ .time = context_.now(),
        .kind = newLeader < 0 ? "partition.offline" : (unclean ? "partition.unclean_election" : "partition.leader_elected"),
        .broker = newLeader,
        .topic = topic,
        .partition = partition.partition,
        .numbers = { { "old_leader", oldLeader }, { "leader_epoch", partition.leaderEpoch } },
        .message = message });
    trackOffline(topic, partition);
}

void Controller::trackOffline(const std::string& topic, const PartitionInfo& partition)
{
    const std::string key = topic + "-" + std::to_string(partition.partition);
    if (partition.leader < 0) {
        offlineSince_.emplace(key, context_.now());
    } else if (auto it = offlineSince_.find(key); it != offlineSince_.end()) {
        offlineTotal_[key] += context_.now() - it->second;
        offlineSince_.erase(it);
    }
}

std::map<std::string, std::int64_t> Controller::offlineMs() const
{
    std::map<std::string, std::int64_t> result;
    for (const auto& [key, total] : offlineTotal_)
        result[key] += total / sim::kMicrosPerMs;
    for (const auto& [key, since] : offlineSince_)
        result[key] += (context_.now() - since) / sim::kMicrosPerMs;
    return result;
}

void Controller::updateElr(const TopicInfo& topic, PartitionInfo& partition, const std::vector<std::int32_t>& removed)
{
    // KIP-966: replicas that leave an ISR already below min.insync.replicas still hold every
    // committed record (the HW cannot have moved past them), so they stay eligible to lead.
    if (!brokerConfig_.eligibleLeaderReplicasEnable)
        return;
    for (std::int32_t id : partition.isr)
        std::erase(partition.elr, id);
    if (static_cast<std::int32_t>(partition.isr.size()) >= topic.config.minInsyncReplicas) {
        partition.elr.clear();
        return;
    }
    for (std::int32_t id : removed) {
        if (!contains(partition.elr, id))
            partition.elr.push_back(id);
    }
}

void Controller::electLeaders(std::int32_t without, const std::string& reason)
{
    const bool elrEnabled = brokerConfig_.eligibleLeaderReplicasEnable;
    MetadataImage& image = mutableImage();
    for (auto& [name, topic] : image.topics) {
        for (auto& partition : topic.partitions) {
            // KRaft without ELR never empties the ISR: the last member stays, so it can come back
            // as leader. With ELR (KIP-966) the ISR may empty and the member moves to the ELR.
            if (without >= 0 && contains(partition.isr, without) && (partition.isr.size() > 1 || elrEnabled)) {
                std::erase(partition.isr, without);
                updateElr(topic, partition, { without });
                ++partition.partitionEpoch;
                ++counters_.isrChanges;
                context_.trace.record({ .time = context_.now(),
                    .kind = "isr.shrink",
                    .broker = without,
                    .topic = name,
                    .partition = partition.partition,
                    .numbers = { { "isr_size", static_cast<std::int64_t>(partition.isr.size()) } },
                    .message = "broker " + std::to_string(without) + " removed from the ISR of " + name + "-"
                        + std::to_string(partition.partition) + " (" + reason + "); ISR now " + listText(partition.isr)
                        + (elrEnabled ? ", ELR " + listText(partition.elr) : std::string()) });
            }
            if (partition.leader >= 0 && brokerOnline(partition.leader) && partition.leader != without)
                continue;
            std::int32_t leader = -1;
            for (std::int32_t id : partition.replicas) {
                if (id != without && brokerOnline(id) && contains(partition.isr, id)) {
                    leader = id;
                    break;
                }
            }
            bool fromElr = false;
            if (leader < 0 && elrEnabled) {
                for (std::int32_t id : partition.elr) {
                    if (id != without && brokerOnline(id)) {
                        leader = id;
                        fromElr = true;
                        break;
                    }
                }
                if (fromElr) {
                    std::erase(partition.elr, leader);
                    partition.isr.push_back(leader);
                }
            }
            bool unclean = false;
            if (leader < 0 && topic.config.uncleanLeaderElectionEnable) {
                for (std::int32_t id : partition.replicas) {
                    if (id != without && brokerOnline(id)) {
                        leader = id;
                        unclean = true;
                        break;
                    }
                }
                if (unclean) {
                    partition.isr = { leader };
                    partition.elr.clear();
                }
            }
            if (leader != partition.leader)
                noteLeaderChange(name, partition, leader, unclean,
                    fromElr ? reason + "; elected from the eligible leader replicas (KIP-966)" : reason);
        }
    }
}

ErrorCode Controller::onAlterPartition(const AlterPartitionRequest& request)
{
    if (!active_)
        return ErrorCode::NOT_CONTROLLER;
    const PartitionInfo* current = image_->partition(request.topic, request.partition);
    if (!current)
        return ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
    if (current->leader != request.brokerId || current->leaderEpoch != request.leaderEpoch)
        return ErrorCode::FENCED_LEADER_EPOCH;
    if (current->partitionEpoch != request.partitionEpoch)
        return ErrorCode::INVALID_REQUEST; // Kafka: INVALID_UPDATE_VERSION; the leader retries with fresh state
    // Only online brokers may join the ISR (KRaft rejects fenced ones).
    for (std::int32_t id : request.newIsr) {
        if (!contains(current->isr, id) && !brokerOnline(id))
            return ErrorCode::INVALID_REQUEST;
    }
    if (request.newIsr.empty() || !contains(request.newIsr, request.brokerId))
        return ErrorCode::INVALID_REQUEST;
    MetadataImage& image = mutableImage();
    TopicInfo& topic = image.topics[request.topic];
    PartitionInfo& partition = topic.partitions[static_cast<std::size_t>(request.partition)];
    const bool grew = request.newIsr.size() > partition.isr.size();
    const std::string before = listText(partition.isr);
    std::vector<std::int32_t> removed;
    for (std::int32_t id : partition.isr) {
        if (!contains(request.newIsr, id))
            removed.push_back(id);
    }
    partition.isr = request.newIsr;
    updateElr(topic, partition, removed);
    ++partition.partitionEpoch;
    ++counters_.isrChanges;
    context_.trace.record({ .time = context_.now(),
        .kind = grew ? "isr.expand" : "isr.shrink",
        .broker = request.brokerId,
        .topic = request.topic,
        .partition = request.partition,
        .numbers = { { "isr_size", static_cast<std::int64_t>(partition.isr.size()) } },
        .message = "ISR of " + request.topic + "-" + std::to_string(request.partition) + " " + before + " -> "
            + listText(partition.isr)
            + (grew ? ": a follower caught up with the leader" : ": a follower fell behind for replica.lag.time.max.ms") });
    maybeCompleteReassignment(request.topic, partition);
    publish();
    return ErrorCode::NONE;
}

ControllerResult Controller::unregisterBroker(std::int32_t id)
{
    if (!active_)
        return { ErrorCode::NOT_CONTROLLER, "no active controller: the quorum has no leader" };
    if (image_->brokers.count(id) == 0)
        return { ErrorCode::BROKER_NOT_AVAILABLE, "broker " + std::to_string(id) + " is not registered" };
    MetadataImage& image = mutableImage();
    image.brokers[id].state = BrokerState::Fenced;
    electLeaders(id, "broker " + std::to_string(id) + " unregistered");
    for (auto& [name, topic] : image.topics) {
        for (auto& partition : topic.partitions)
            std::erase(partition.elr, id);
    }
    image.brokers.erase(id);
    sessions_.erase(id);
    unregistered_.insert(id);
    context_.trace.record({ .time = context_.now(),
        .kind = "broker.unregistered",
        .broker = id,
        .message = "broker " + std::to_string(id)
            + " was unregistered (decommissioned): its replicas stay in the assignments, under-replicated, until they are reassigned" });
    publish();
    return {};
}

ControllerResult Controller::reassignPartition(const std::string& topicName, std::int32_t index, std::vector<std::int32_t> target)
{
    if (!active_)
        return { ErrorCode::NOT_CONTROLLER, "no active controller: the quorum has no leader" };
    const PartitionInfo* current = image_->partition(topicName, index);
    if (!current)
        return { ErrorCode::UNKNOWN_TOPIC_OR_PARTITION, "no partition " + topicName + "-" + std::to_string(index) };
    if (target.empty())
        return { ErrorCode::INVALID_REPLICA_ASSIGNMENT, "the new replica list is empty" };
    for (std::size_t i = 0; i < target.size(); ++i) {
        if (image_->brokers.count(target[i]) == 0)
            return { ErrorCode::INVALID_REPLICA_ASSIGNMENT, "broker " + std::to_string(target[i]) + " is not registered" };
        if (std::find(target.begin(), target.begin() + static_cast<std::ptrdiff_t>(i), target[i])
            != target.begin() + static_cast<std::ptrdiff_t>(i))
            return { ErrorCode::INVALID_REPLICA_ASSIGNMENT, "broker " + std::to_string(target[i]) + " is listed twice" };
    }
    if (!current->addingReplicas.empty() || !current->removingReplicas.empty())
        return { ErrorCode::INVALID_REPLICA_ASSIGNMENT,
            "a reassignment of " + topicName + "-" + std::to_string(index) + " is already in progress" };
    MetadataImage& image = mutableImage();
    PartitionInfo& partition = image.topics[topicName].partitions[static_cast<std::size_t>(index)];
    if (partition.replicas == target)
        return {};
    // KIP-455: replicas = target + removing while the adding replicas catch up as followers.
    std::vector<std::int32_t> all = target;
    for (std::int32_t id : partition.replicas) {
        if (!contains(target, id)) {
            partition.removingReplicas.push_back(id);
            all.push_back(id);
        }
    }
    for (std::int32_t id : target) {
        if (!contains(partition.replicas, id))
            partition.addingReplicas.push_back(id);
    }
    const std::string before = listText(partition.replicas);
    partition.replicas = all;
    ++partition.partitionEpoch;
    context_.trace.record({ .time = context_.now(),
        .kind = "partition.reassignment_started",
        .topic = topicName,
        .partition = index,
        .message = "reassignment of " + topicName + "-" + std::to_string(index) + " " + before + " -> " + listText(target)
            + ": adding " + listText(partition.addingReplicas) + " join as followers and must enter the ISR before removing "
            + listText(partition.removingReplicas) + " leave" });
    maybeCompleteReassignment(topicName, partition);
    publish();
    return {};
}

void Controller::maybeCompleteReassignment(const std::string& topic, PartitionInfo& partition)
{
    if (partition.addingReplicas.empty() && partition.removingReplicas.empty())
        return;
    std::vector<std::int32_t> target;
    for (std::int32_t id : partition.replicas) {
        if (!contains(partition.removingReplicas, id))
            target.push_back(id);
    }
    for (std::int32_t id : target) {
        if (!contains(partition.isr, id))
            return; // an adding replica is still catching up
    }
    partition.replicas = target;
    std::erase_if(partition.isr, [&](std::int32_t id) { return !contains(target, id); });
    std::erase_if(partition.elr, [&](std::int32_t id) { return !contains(target, id); });
    partition.addingReplicas.clear();
    partition.removingReplicas.clear();
    ++partition.partitionEpoch;
    context_.trace.record({ .time = context_.now(),
        .kind = "partition.reassignment_completed",
        .topic = topic,
        .partition = partition.partition,
        .message = "reassignment of " + topic + "-" + std::to_string(partition.partition)
            + " complete: replicas and ISR are now " + listText(partition.replicas) + " / " + listText(partition.isr) });
    if (!contains(target, partition.leader)) {
        std::int32_t leader = -1;
        for (std::int32_t id : target) {
            if (brokerOnline(id) && contains(partition.isr, id)) {
                leader = id;
                break;
            }
        }
        noteLeaderChange(topic, partition, leader, false, "its leader was reassigned away");
    }
}

std::optional<std::string> Controller::invalidTopicNameReason(const std::string& name)
{
    if (name.empty())
        return "the topic name is empty";
    if (name == "." || name == "..")
        return "the topic name cannot be '.' or '..'";
    if (name.size() > 249)
        return "the topic name is longer than 249 characters";
    for (char c : name) {
        const bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '_' || c == '-';
        if (!legal)
            return "the topic name may only contain ASCII letters, digits, '.', '_' and '-'";
    }
    return std::nullopt;
}

CreateTopicResult Controller::createTopic(const std::string& name, std::int32_t partitions,
    std::int32_t replicationFactor, const TopicConfig& config, const std::vector<std::vector<std::int32_t>>& assignment)
{
    if (!active_)
        return { ErrorCode::NOT_CONTROLLER, "no active controller: the quorum has no leader" };
    if (auto reason = invalidTopicNameReason(name))
        return { ErrorCode::INVALID_TOPIC_EXCEPTION, *reason };
    if (image_->topics.count(name) != 0)
        return { ErrorCode::TOPIC_ALREADY_EXISTS, "topic '" + name + "' already exists" };
    std::vector<std::int32_t> live;
    for (const auto& [id, broker] : image_->brokers) {
        if (broker.state == BrokerState::Online)
            live.push_back(id);
    }
    std::vector<std::vector<std::int32_t>> replicas = assignment;
    if (replicas.empty()) {
        if (partitions < 1)
            return { ErrorCode::INVALID_PARTITIONS, "a topic needs at least one partition" };
        if (replicationFactor < 1)
            return { ErrorCode::INVALID_REPLICATION_FACTOR, "the replication factor must be at least 1" };
        if (replicationFactor > static_cast<std::int32_t>(live.size()))
            return { ErrorCode::INVALID_REPLICATION_FACTOR,
                "replication factor " + std::to_string(replicationFactor) + " is larger than the "
                    + std::to_string(live.size()) + " available brokers" };
        replicas = assignReplicasRackUnaware(live, partitions, replicationFactor, context_.rng);
    }
    TopicInfo topic;
    topic.name = name;
    topic.config = config;
    topic.internal = name.starts_with("__");
    {
        // Ids only need to be unique and stable for a seed, so they come from the run's generator.
        static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 22; ++i)
            topic.topicId.push_back(alphabet[context_.rng.uniformInt(0, 63)]);
    }
    for (std::size_t p = 0; p < replicas.size(); ++p) {
        PartitionInfo info;
        info.partition = static_cast<std::int32_t>(p);
        info.replicas = replicas[p];
        info.isr = replicas[p];
        info.leader = replicas[p].empty() ? -1 : replicas[p].front();
        topic.partitions.push_back(std::move(info));
    }
    const auto partitionCount = static_cast<std::int64_t>(topic.partitions.size());
    mutableImage().topics.emplace(name, std::move(topic));
    context_.trace.record({ .time = context_.now(),
        .kind = "topic.created",
        .topic = name,
        .numbers = { { "partitions", partitionCount }, { "replication_factor", replicas.front().size() } },
        .message = "topic '" + name + "' created with " + std::to_string(partitionCount) + " partitions" });
    publish();
    return {};
}

ErrorCode Controller::deleteTopic(const std::string& name)
{
    if (!active_)
        return ErrorCode::NOT_CONTROLLER;
    if (image_->topics.count(name) == 0)
        return ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
    mutableImage().topics.erase(name);
    context_.trace.record(
        { .time = context_.now(), .kind = "topic.deleted", .topic = name, .message = "topic '" + name + "' deleted" });
    publish();
    return ErrorCode::NONE;
}

} // namespace brokerlab::cluster
