// The coordinator's storage side: loading a __consumer_offsets partition when this broker becomes
// its leader, appending group metadata and offset commits with acks=all, OffsetFetch, and what
// DescribeGroups, ListGroups and the views read.

#include "cluster/broker.h"
#include "cluster/groupcoordinatorinternal.h"
#include "log/recordbatch.h"

#include <algorithm>

namespace brokerlab::cluster {

using protocol::ErrorCode;

void GroupCoordinator::load(Replica& replica)
{
    const std::int32_t partition = replica.topicPartition().partition;
    // Replays the partition: the newest record per key wins, a tombstone deletes.
    std::map<std::string, StoredGroup> stored;
    std::map<std::string, std::map<protocol::TopicPartition, CommittedOffset>> offsets;
    std::int64_t records = 0;
    const log::PartitionLog& log = replica.log();
    for (const log::Record& record :
        log.readRecords(log.logStartOffset(), log.logEndOffset(), static_cast<std::size_t>(-1))) {
        if (!record.key)
            continue;
        ++records;
        const auto keyBytes = std::span(reinterpret_cast<const std::uint8_t*>(record.key->data()), record.key->size());
        const std::optional<OffsetsKey> key = decodeKey(keyBytes);
        if (!key)
            continue;
        const auto value = record.value ? std::span(reinterpret_cast<const std::uint8_t*>(record.value->data()),
                                              record.value->size())
                                        : std::span<const std::uint8_t>();
        if (const auto* offsetKey = std::get_if<OffsetCommitKey>(&*key)) {
            auto& groupOffsets = offsets[offsetKey->group];
            if (!record.value) {
                groupOffsets.erase(offsetKey->topicPartition);
            } else if (auto committed = decodeOffsetValue(value)) {
                groupOffsets[offsetKey->topicPartition] = *committed;
            }
        } else {
            const std::string& groupId = std::get<GroupMetadataKey>(*key).group;
            if (!record.value) {
                stored.erase(groupId);
                offsets.erase(groupId);
            } else if (auto group = decodeGroupValue(value)) {
                stored[groupId] = std::move(*group);
            }
        }
    }
    owned_.insert(partition);
    ++counters_.loads;
    std::set<std::string> ids;
    for (const auto& [id, group] : stored)
        ids.insert(id);
    for (const auto& [id, groupOffsets] : offsets)
        ids.insert(id);
    for (const std::string& id : ids) {
        Group& group = getOrCreateGroup(id);
        if (auto it = offsets.find(id); it != offsets.end())
            group.offsets = it->second;
        if (auto it = stored.find(id); it != stored.end()) {
            const StoredGroup& form = it->second;
            group.protocolType = form.protocolType;
            group.generation = form.generation;
            group.protocolName = form.protocol;
            group.leaderId = form.leader.value_or("");
            for (const StoredMember& storedMember : form.members) {
                Member& member = group.members[storedMember.memberId];
                member.memberId = storedMember.memberId;
                member.groupInstanceId = storedMember.groupInstanceId;
                member.clientId = storedMember.clientId;
                member.clientHost = storedMember.clientHost;
                member.rebalanceTimeoutMs = storedMember.rebalanceTimeoutMs;
                member.sessionTimeoutMs = storedMember.sessionTimeoutMs;
                member.protocolType = form.protocolType;
                member.protocols = { { form.protocol.value_or(""), storedMember.subscription } };
                member.assignment = storedMember.assignment;
                if (member.groupInstanceId)
                    group.staticMembers[*member.groupInstanceId] = member.memberId;
            }
            // A loaded group with members is Stable: its members carry on heartbeating here and
            // every session starts afresh.
            group.state = group.members.empty() ? GroupState::Empty : GroupState::Stable;
            for (auto& [memberId, member] : group.members)
                scheduleSessionExpiry(group, member);
        }
        trace("group.loaded", group,
            "broker " + std::to_string(broker_.id()) + " now coordinates group " + id + " (" + std::string(kOffsetsTopic)
                + "-" + std::to_string(partition) + "): " + std::to_string(group.members.size()) + " members, "
                + std::to_string(group.offsets.size()) + " committed offsets, state "
                + std::string(groupStateName(group.state)),
            { { "members", static_cast<std::int64_t>(group.members.size()) } });
    }
    context_.trace.record({ .time = context_.now(),
        .kind = "group.partition_loaded",
        .broker = broker_.id(),
        .topic = kOffsetsTopic,
        .partition = partition,
        .numbers = { { "records", records }, { "groups", static_cast<std::int64_t>(ids.size()) } },
        .message = "broker " + std::to_string(broker_.id()) + " loaded " + std::string(kOffsetsTopic) + "-"
            + std::to_string(partition) + " (" + std::to_string(records) + " records, " + std::to_string(ids.size())
            + " groups) and coordinates its groups" });
}

// ---- Offsets

StoredGroup GroupCoordinator::storedForm(const Group& group) const
{
    StoredGroup stored;
    stored.protocolType = group.protocolType.empty() ? std::string("consumer") : group.protocolType;
    stored.generation = group.generation;
    stored.protocol = group.protocolName;
    if (!group.leaderId.empty())
        stored.leader = group.leaderId;
    stored.currentStateTimestampMs = context_.nowMs();
    for (const auto& [id, member] : group.members) {
        StoredMember entry;
        entry.memberId = id;
        entry.groupInstanceId = member.groupInstanceId;
        entry.clientId = member.clientId;
        entry.clientHost = member.clientHost;
        entry.rebalanceTimeoutMs = member.rebalanceTimeoutMs;
        entry.sessionTimeoutMs = member.sessionTimeoutMs;
        for (const auto& p : member.protocols) {
            if (p.name == group.protocolName)
                entry.subscription = p.metadata;
        }
        entry.assignment = member.assignment;
        stored.members.push_back(std::move(entry));
    }
    return stored;
}

void GroupCoordinator::appendToLog(const Group& group,
    std::vector<std::pair<std::vector<std::uint8_t>, std::optional<std::vector<std::uint8_t>>>> records,
    sim::UniqueFunction<void(ErrorCode)> done)
{
    log::BatchBuilder builder(log::BatchBuilder::Options { .batchSizeLimit = 1 << 30 });
    const std::int64_t now = context_.nowMs();
    for (const auto& [key, value] : records) {
        builder.append(now, key, false, value ? std::span<const std::uint8_t>(*value) : std::span<const std::uint8_t>(),
            !value.has_value());
    }
    protocol::ProduceRequest request;
    request.acks = -1;
    request.timeoutMs = config_.offsetsCommitTimeoutMs;
    request.topicData.push_back({ kOffsetsTopic,
        { protocol::ProducePartitionData { group.partition, std::make_shared<const log::Bytes>(builder.build()) } } });
    broker_.handleProduce(broker_.id(), std::move(request),
        Responder<protocol::ProduceResponse>([done = std::move(done)](protocol::ProduceResponse&& response) mutable {
            ErrorCode error = ErrorCode::UNKNOWN_SERVER_ERROR;
            if (!response.responses.empty() && !response.responses.front().partitionResponses.empty())
                error = response.responses.front().partitionResponses.front().errorCode;
            // Kafka's GroupMetadataManager maps append errors to what a group member understands.
            switch (error) {
            case ErrorCode::NONE:
                break;
            case ErrorCode::UNKNOWN_TOPIC_OR_PARTITION:
            case ErrorCode::NOT_ENOUGH_REPLICAS:
            case ErrorCode::NOT_ENOUGH_REPLICAS_AFTER_APPEND:
            case ErrorCode::REQUEST_TIMED_OUT:
                error = ErrorCode::COORDINATOR_NOT_AVAILABLE;
                break;
            case ErrorCode::NOT_LEADER_OR_FOLLOWER:
            case ErrorCode::KAFKA_STORAGE_ERROR:
                error = ErrorCode::NOT_COORDINATOR;
                break;
            case ErrorCode::MESSAGE_TOO_LARGE:
            case ErrorCode::RECORD_LIST_TOO_LARGE:
                error = ErrorCode::INVALID_COMMIT_OFFSET_SIZE;
                break;
            default:
                error = ErrorCode::UNKNOWN_SERVER_ERROR;
                break;
            }
            done(error);
        }));
}

void GroupCoordinator::handleOffsetCommit(
    protocol::OffsetCommitRequest request, GroupResponder<protocol::OffsetCommitResponse> respond)
{
    auto answerAll = [&request](ErrorCode error) {
        protocol::OffsetCommitResponse response;
        for (const auto& topic : request.topics) {
            protocol::OffsetCommitResponseTopic entry { topic.name, {} };
            for (const auto& partition : topic.partitions)
                entry.partitions.push_back({ partition.partitionIndex, error });
            response.topics.push_back(std::move(entry));
        }
        return response;
    };
    ErrorCode error = checkCoordinator(request.groupId);
    Group* group = nullptr;
    if (error == ErrorCode::NONE) {
        group = findGroup(request.groupId);
        const bool outsideGroup = request.memberId.empty() && request.generationIdOrMemberEpoch < 0;
        if (group && group->kip848) {
            error = kip848_->validateCommit(*group, request);
        } else if (outsideGroup) {
            // A commit from a client that manages its own partitions: only into a group without members.
            if (group && !group->members.empty())
                error = ErrorCode::UNKNOWN_MEMBER_ID;
        } else if (group && request.groupInstanceId && group->staticMembers.count(*request.groupInstanceId) != 0
            && group->staticMembers.at(*request.groupInstanceId) != request.memberId) {
            error = ErrorCode::FENCED_INSTANCE_ID; // Kafka's validateMember: a restarted static member's old process
        } else if (!group || group->members.count(request.memberId) == 0) {
            error = ErrorCode::UNKNOWN_MEMBER_ID;
        } else if (request.generationIdOrMemberEpoch != group->generation) {
            error = ErrorCode::ILLEGAL_GENERATION;
        } else if (group->state == GroupState::CompletingRebalance) {
            // As Kafka's classic group (ClassicGroup.validateOffsetCommit; the member and the
            // generation are checked first): a member with the current generation that commits
            // before its SyncGroup answer gets REBALANCE_IN_PROGRESS. In PreparingRebalance the
            // commit is stored: that is how a consumer commits what it processed before it gives
            // its partitions up (onJoinPrepare, onPartitionsRevoked).
            error = ErrorCode::REBALANCE_IN_PROGRESS;
        }
    }
    if (error != ErrorCode::NONE) {
        ++counters_.errors;
        respond(answerAll(error));
        return;
    }
    Group& target = group ? *group : getOrCreateGroup(request.groupId);
    if (group && group->state != GroupState::Dead && group->members.count(request.memberId) != 0)
        scheduleSessionExpiry(*group, group->members.at(request.memberId)); // a commit counts as a heartbeat
    std::vector<std::pair<std::vector<std::uint8_t>, std::optional<std::vector<std::uint8_t>>>> records;
    std::vector<std::pair<protocol::TopicPartition, CommittedOffset>> values;
    const std::int64_t now = context_.nowMs();
    for (const auto& topic : request.topics) {
        for (const auto& partition : topic.partitions) {
            CommittedOffset value { partition.committedOffset, partition.committedLeaderEpoch,
                partition.committedMetadata.value_or(""), now };
            protocol::TopicPartition topicPartition { topic.name, partition.partitionIndex };
            records.emplace_back(encodeKey(OffsetCommitKey { target.groupId, topicPartition }), encodeOffsetValue(value));
            values.emplace_back(topicPartition, value);
        }
    }
    const std::string groupId = target.groupId;
    const std::uint64_t epoch = epoch_;
    auto shared = std::make_shared<protocol::OffsetCommitRequest>(std::move(request));
    appendToLog(target, std::move(records),
        [this, epoch, groupId, values = std::move(values), shared, respond = std::move(respond),
            answerAll](ErrorCode appendError) mutable {
            if (epoch == epoch_ && appendError == ErrorCode::NONE) {
                if (Group* g = findGroup(groupId)) {
                    for (const auto& [topicPartition, value] : values)
                        g->offsets[topicPartition] = value;
                }
                counters_.commits += static_cast<std::int64_t>(values.size());
            } else if (epoch != epoch_) {
                return;
            }
            (void)answerAll;
            protocol::OffsetCommitResponse response;
            for (const auto& topic : shared->topics) {
                protocol::OffsetCommitResponseTopic entry { topic.name, {} };
                for (const auto& partition : topic.partitions)
                    entry.partitions.push_back({ partition.partitionIndex, appendError });
                response.topics.push_back(std::move(entry));
            }
            respond(std::move(response));
        });
}

void GroupCoordinator::handleOffsetFetch(
    const protocol::OffsetFetchRequest& request, GroupResponder<protocol::OffsetFetchResponse> respond)
{
    protocol::OffsetFetchResponse response;
    response.errorCode = checkCoordinator(request.groupId);
    if (response.errorCode != ErrorCode::NONE) {
        respond(std::move(response));
        return;
    }
    const Group* group = findGroup(request.groupId);
    static const std::map<protocol::TopicPartition, CommittedOffset> none;
    const auto& offsets = group ? group->offsets : none;
    auto describe = [&](const protocol::TopicPartition& topicPartition) {
        protocol::OffsetFetchResponsePartition entry;
        entry.partitionIndex = topicPartition.partition;
        if (auto it = offsets.find(topicPartition); it != offsets.end()) {
            entry.committedOffset = it->second.offset;
            entry.committedLeaderEpoch = it->second.leaderEpoch;
            entry.metadata = it->second.metadata;
        }
        return entry;
    };
    if (request.topics) {
        for (const auto& topic : *request.topics) {
            protocol::OffsetFetchResponseTopic entry { topic.name, {} };
            for (std::int32_t partition : topic.partitionIndexes)
                entry.partitions.push_back(describe({ topic.name, partition }));
            response.topics.push_back(std::move(entry));
        }
    } else {
        for (const auto& [topicPartition, value] : offsets) {
            if (response.topics.empty() || response.topics.back().name != topicPartition.topic)
                response.topics.push_back({ topicPartition.topic, {} });
            response.topics.back().partitions.push_back(describe(topicPartition));
        }
    }
    respond(std::move(response));
}

// ---- DescribeGroups, ListGroups, summaries

void GroupCoordinator::handleDescribeGroups(
    const protocol::DescribeGroupsRequest& request, GroupResponder<protocol::DescribeGroupsResponse> respond)
{
    protocol::DescribeGroupsResponse response;
    for (const std::string& groupId : request.groups) {
        protocol::DescribedGroup described;
        described.groupId = groupId;
        described.errorCode = checkCoordinator(groupId);
        const Group* group = described.errorCode == ErrorCode::NONE ? findGroup(groupId) : nullptr;
        if (described.errorCode == ErrorCode::NONE) {
            if (!group) {
                described.groupState = "Dead";
            } else {
                described.groupState = std::string(groupStateName(group->state));
                described.protocolType = group->protocolType;
                described.protocolData = group->protocolName.value_or("");
                for (const auto& [id, member] : group->members) {
                    protocol::DescribedGroupMember entry;
                    entry.memberId = id;
                    entry.groupInstanceId = member.groupInstanceId;
                    entry.clientId = member.clientId;
                    entry.clientHost = member.clientHost;
                    for (const auto& p : member.protocols) {
                        if (p.name == group->protocolName)
                            entry.memberMetadata = p.metadata;
                    }
                    if (group->state == GroupState::Stable)
                        entry.memberAssignment = member.assignment;
                    described.members.push_back(std::move(entry));
                }
            }
        }
        response.groups.push_back(std::move(described));
    }
    respond(std::move(response));
}

void GroupCoordinator::handleListGroups(
    const protocol::ListGroupsRequest& request, GroupResponder<protocol::ListGroupsResponse> respond)
{
    protocol::ListGroupsResponse response;
    if (!broker_.isOnline())
        response.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
    for (const auto& [id, group] : groups_) {
        const std::string state(groupStateName(group->state));
        if (!request.statesFilter.empty()
            && std::find(request.statesFilter.begin(), request.statesFilter.end(), state) == request.statesFilter.end())
            continue;
        response.groups.push_back({ id, group->protocolType.empty() ? std::string("consumer") : group->protocolType, state });
    }
    respond(std::move(response));
}

std::vector<GroupSummary> GroupCoordinator::summaries() const
{
    std::vector<GroupSummary> result;
    for (const auto& [id, group] : groups_) {
        GroupSummary summary;
        summary.groupId = id;
        summary.state = group->state;
        summary.generation = group->generation;
        summary.protocolType = group->protocolType;
        summary.protocol = group->protocolName.value_or("");
        summary.kip848 = group->kip848;
        summary.leader = group->leaderId;
        summary.coordinator = broker_.id();
        summary.offsets = group->offsets;
        summary.rebalances = group->rebalances;
        summary.rebalanceMs = group->rebalanceMs;
        summary.movedPartitions = group->movedPartitions;
        summary.movedFromStayingMembers = group->movedFromStayingMembers;
        for (const auto& [memberId, member] : group->members) {
            GroupMemberSummary entry;
            entry.memberId = memberId;
            entry.clientId = member.clientId;
            entry.groupInstanceId = member.groupInstanceId;
            entry.memberEpoch = member.memberEpoch;
            entry.assignment = group->kip848 ? member.owned : decodeAssignmentPartitions(member.assignment);
            summary.members.push_back(std::move(entry));
        }
        result.push_back(std::move(summary));
    }
    return result;
}

} // namespace brokerlab::cluster
