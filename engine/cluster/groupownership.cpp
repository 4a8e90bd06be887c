// The group coordinator's ownership of groups: which __consumer_offsets partitions this broker
// leads (and so which groups it serves), creating that topic on first use, handing groups over when
// leadership moves, and FindCoordinator, which tells a client where its group lives.

#include "cluster/broker.h"
#include "cluster/cluster.h"
#include "cluster/groupcoordinator.h"
#include "cluster/groupcoordinatorinternal.h"

namespace brokerlab::cluster {

using protocol::ErrorCode;

// ---- Ownership

ErrorCode GroupCoordinator::checkCoordinator(const std::string& groupId) const
{
    if (groupId.empty())
        return ErrorCode::INVALID_GROUP_ID;
    if (!broker_.isOnline())
        return ErrorCode::COORDINATOR_NOT_AVAILABLE;
    const std::int32_t partition = offsetsPartitionFor(groupId, config_.offsetsTopicNumPartitions);
    if (owned_.count(partition) == 0)
        return ErrorCode::NOT_COORDINATOR;
    return ErrorCode::NONE;
}

GroupCoordinator::Group* GroupCoordinator::findGroup(const std::string& groupId)
{
    auto it = groups_.find(groupId);
    return it == groups_.end() ? nullptr : it->second.get();
}

GroupCoordinator::Group& GroupCoordinator::getOrCreateGroup(const std::string& groupId)
{
    auto& slot = groups_[groupId];
    if (!slot) {
        slot = std::make_unique<Group>();
        slot->groupId = groupId;
        slot->partition = offsetsPartitionFor(groupId, config_.offsetsTopicNumPartitions);
    }
    return *slot;
}

void GroupCoordinator::requestOffsetsTopic()
{
    // Kafka creates __consumer_offsets on the first FindCoordinator, and only with as many live
    // brokers as offsets.topic.replication.factor asks for.
    if (creatingOffsetsTopic_)
        return;
    Cluster& cluster = broker_.cluster();
    std::int32_t live = 0;
    for (const auto& [id, info] : cluster.controller().image().brokers)
        live += info.state == BrokerState::Online ? 1 : 0;
    if (live < config_.offsetsTopicReplicationFactor) {
        context_.trace.record({ .time = context_.now(),
            .kind = "group.offsets_topic_unavailable",
            .broker = broker_.id(),
            .topic = kOffsetsTopic,
            .numbers = { { "live_brokers", live }, { "replication_factor", config_.offsetsTopicReplicationFactor } },
            .message = "cannot create " + std::string(kOffsetsTopic) + ": offsets.topic.replication.factor is "
                + std::to_string(config_.offsetsTopicReplicationFactor) + " but only " + std::to_string(live)
                + " brokers are alive, so consumer groups wait (COORDINATOR_NOT_AVAILABLE)" });
        return;
    }
    TopicConfig topicConfig = cluster.defaultTopicConfig();
    topicConfig.log.cleanupDelete = false;
    topicConfig.log.cleanupCompact = true;
    topicConfig.log.segmentBytes = 100 * 1024 * 1024; // offsets.topic.segment.bytes
    const CreateTopicResult result = cluster.createTopic(
        kOffsetsTopic, config_.offsetsTopicNumPartitions, config_.offsetsTopicReplicationFactor, topicConfig);
    creatingOffsetsTopic_ = result.error == ErrorCode::NONE || result.error == ErrorCode::TOPIC_ALREADY_EXISTS;
}

void GroupCoordinator::onBecomeLeader(Replica& replica)
{
    if (owned_.count(replica.topicPartition().partition) != 0)
        return; // a new leader epoch of a partition it already leads: the groups stay as they are
    load(replica);
}

void GroupCoordinator::onResign(std::int32_t partition)
{
    if (owned_.erase(partition) == 0)
        return;
    for (auto it = groups_.begin(); it != groups_.end();) {
        Group& group = *it->second;
        if (group.partition != partition) {
            ++it;
            continue;
        }
        // Members parked in a join or sync learn that this broker no longer coordinates them.
        for (auto& [id, member] : group.members) {
            if (member.awaitingJoin) {
                protocol::JoinGroupResponse response;
                response.errorCode = ErrorCode::NOT_COORDINATOR;
                response.memberId = id;
                member.awaitingJoin(std::move(response));
                member.awaitingJoin = {};
            }
            if (member.awaitingSync) {
                protocol::SyncGroupResponse response;
                response.errorCode = ErrorCode::NOT_COORDINATOR;
                member.awaitingSync(std::move(response));
                member.awaitingSync = {};
            }
        }
        trace("group.unloaded", group,
            "broker " + std::to_string(broker_.id()) + " no longer leads " + kOffsetsTopic + "-"
                + std::to_string(partition) + ", so it stops coordinating group " + group.groupId);
        it = groups_.erase(it);
    }
}

void GroupCoordinator::clear()
{
    ++epoch_;
    owned_.clear();
    groups_.clear();
    creatingOffsetsTopic_ = false;
}

// ---- FindCoordinator

void GroupCoordinator::handleFindCoordinator(
    const protocol::FindCoordinatorRequest& request, GroupResponder<protocol::FindCoordinatorResponse> respond)
{
    protocol::FindCoordinatorResponse response;
    const MetadataImage* image = broker_.metadata();
    if (request.keyType != protocol::CoordinatorType::Group) {
        response.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
        response.errorMessage = "transactions are not simulated";
        respond(std::move(response));
        return;
    }
    if (request.key.empty()) {
        response.errorCode = ErrorCode::INVALID_GROUP_ID;
        respond(std::move(response));
        return;
    }
    const TopicInfo* topic = image ? image->topic(kOffsetsTopic) : nullptr;
    if (!topic) {
        requestOffsetsTopic();
        response.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
        response.errorMessage = std::string(kOffsetsTopic) + " does not exist yet";
        respond(std::move(response));
        return;
    }
    const std::int32_t partition = offsetsPartitionFor(request.key, static_cast<std::int32_t>(topic->partitions.size()));
    const PartitionInfo* info = image->partition(kOffsetsTopic, partition);
    const auto broker = info ? image->brokers.find(info->leader) : image->brokers.end();
    if (!info || info->leader < 0 || broker == image->brokers.end()) {
        response.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
        response.errorMessage = std::string(kOffsetsTopic) + "-" + std::to_string(partition) + " has no leader";
        respond(std::move(response));
        return;
    }
    response.nodeId = info->leader;
    response.host = broker->second.host;
    response.port = broker->second.port;
    respond(std::move(response));
}

} // namespace brokerlab::cluster
