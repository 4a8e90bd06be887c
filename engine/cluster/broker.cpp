#include "cluster/broker.h"

#include "cluster/cluster.h"

#include <algorithm>

namespace brokerlab::cluster {

using protocol::ErrorCode;
using protocol::TopicPartition;

namespace {

ErrorCode appendError(const log::AppendInfo& info)
{
    if (info.tooLarge)
        return ErrorCode::MESSAGE_TOO_LARGE;
    switch (info.error) {
    case log::BatchError::None:
        return ErrorCode::NONE;
    case log::BatchError::UnsupportedCompression:
        return ErrorCode::UNSUPPORTED_COMPRESSION_TYPE;
    case log::BatchError::BadMagic:
        return ErrorCode::INVALID_RECORD;
    default:
        return ErrorCode::CORRUPT_MESSAGE;
    }
}

constexpr sim::SimTime kReplicaSocketTimeout = 30000 * sim::kMicrosPerMs; // replica.socket.timeout.ms
constexpr sim::SimTime kReplicaFetchBackoff = 1000 * sim::kMicrosPerMs; // replica.fetch.backoff.ms
constexpr sim::SimTime kLogCleanerBackoff = 15000 * sim::kMicrosPerMs; // log.cleaner.backoff.ms

} // namespace

struct Broker::DelayedProduce {
    struct Pending {
        TopicPartition topicPartition;
        std::size_t topicIndex;
        std::size_t partitionIndex;
        std::int64_t requiredOffset;
        bool done = false;
    };
    protocol::ProduceResponse response;
    std::vector<Pending> pending;
    std::size_t remaining = 0;
    Responder<protocol::ProduceResponse> respond;
    bool completed = false;
};

struct Broker::DelayedFetch {
    sim::NodeId from = 0;
    protocol::FetchRequest request;
    Responder<protocol::FetchResponse> respond;
    bool completed = false;
    bool follower() const { return request.replicaId >= 0; }
};

struct Broker::Fetcher {
    bool inFlight = false;
    std::uint64_t requestId = 0;
    sim::SimTime sentAt = 0;
    bool timeoutArmed = false;
    bool backoffPending = false;
};

Broker::Broker(Context& context, Cluster& cluster, std::int32_t id, std::string rack, const BrokerConfig& config)
    : context_(context)
    , cluster_(cluster)
    , id_(id)
    , rack_(std::move(rack))
    , config_(config)
{
}

Broker::~Broker() = default;

void Broker::start()
{
    online_ = true;
    ++incarnation_;
    scheduleLogTasks();
    updateFetchers();
}

Replica* Broker::replica(const TopicPartition& topicPartition)
{
    auto it = replicas_.find(topicPartition);
    return it == replicas_.end() ? nullptr : it->second.get();
}

void Broker::applyMetadata(const MetadataImage& image)
{
    // Drop replicas of deleted topics or of partitions moved away from this broker.
    for (auto it = replicas_.begin(); it != replicas_.end();) {
        const PartitionInfo* info = image.partition(it->first.topic, it->first.partition);
        const bool hosted = info && std::find(info->replicas.begin(), info->replicas.end(), id_) != info->replicas.end();
        it = hosted ? std::next(it) : replicas_.erase(it);
    }
    for (const auto& [name, topic] : image.topics) {
        for (const PartitionInfo& partition : topic.partitions) {
            if (std::find(partition.replicas.begin(), partition.replicas.end(), id_) == partition.replicas.end())
                continue;
            TopicPartition topicPartition { name, partition.partition };
            auto& slot = replicas_[topicPartition];
            if (!slot)
                slot = std::make_unique<Replica>(topicPartition, id_, topic.config, context_.nowMs());
            else if (!(slot->config() == topic.config))
                slot->setConfig(topic.config);
            if (slot->applyPartitionState(
                    partition.leader, partition.leaderEpoch, partition.replicas, partition.isr, context_.now())) {
                if (slot->isLeader()) {
                    context_.trace.record({ .time = context_.now(),
                        .kind = "replica.became_leader",
                        .broker = id_,
                        .topic = name,
                        .partition = partition.partition,
                        .numbers = { { "leader_epoch", partition.leaderEpoch },
                            { "log_end_offset", slot->logEndOffset() } },
                        .message = "broker " + std::to_string(id_) + " leads " + topicPartition.toString()
                            + " in epoch " + std::to_string(partition.leaderEpoch) });
                }
            }
        }
    }
    if (online_)
        updateFetchers();
}

// ---------------------------------------------------------------- Produce

void Broker::handleProduce(
    sim::NodeId /*from*/, protocol::ProduceRequest request, Responder<protocol::ProduceResponse> respond)
{
    ++counters_.produceRequests;
    auto delayed = std::make_shared<DelayedProduce>();
    const std::int64_t nowMs = context_.nowMs();
    for (std::size_t t = 0; t < request.topicData.size(); ++t) {
        auto& topicData = request.topicData[t];
        protocol::ProduceTopicResponse topicResponse { topicData.name, {} };
        for (std::size_t p = 0; p < topicData.partitionData.size(); ++p) {
            auto& data = topicData.partitionData[p];
            protocol::ProducePartitionResponse result;
            result.index = data.index;
            TopicPartition topicPartition { topicData.name, data.index };
            Replica* target = replica(topicPartition);
            if (!target) {
                result.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
            } else if (!target->isLeader()) {
                result.errorCode = ErrorCode::NOT_LEADER_OR_FOLLOWER;
            } else if (request.acks == -1
                && static_cast<std::int32_t>(target->isr().size()) < target->config().minInsyncReplicas) {
                result.errorCode = ErrorCode::NOT_ENOUGH_REPLICAS;
                result.errorMessage = "ISR has " + std::to_string(target->isr().size())
                    + " replicas, min.insync.replicas is " + std::to_string(target->config().minInsyncReplicas);
            } else {
                const log::AppendInfo info = target->log().appendAsLeader(data.bytes(), target->leaderEpoch(), nowMs);
                result.errorCode = appendError(info);
                if (info.ok()) {
                    result.baseOffset = info.firstOffset;
                    result.logStartOffset = target->logStartOffset();
                    counters_.recordsIn += info.recordCount;
                    counters_.bytesIn += info.bytes;
                    context_.trace.record({ .time = context_.now(),
                        .kind = "produce.append",
                        .eventClass = sim::EventClass::DataPath,
                        .broker = id_,
                        .topic = topicData.name,
                        .partition = data.index,
                        .numbers = { { "base_offset", info.firstOffset }, { "records", info.recordCount },
                            { "bytes", info.bytes } } });
                    onLeaderAppend(*target);
                    if (request.acks == -1 && target->highWatermark() <= info.lastOffset) {
                        delayed->pending.push_back({ topicPartition, t, p, info.lastOffset + 1 });
                    }
                } else {
                    result.errorMessage = std::string(log::batchErrorName(info.error));
                }
            }
            if (result.errorCode != ErrorCode::NONE)
                ++counters_.errors;
            topicResponse.partitionResponses.push_back(std::move(result));
        }
        delayed->response.responses.push_back(std::move(topicResponse));
    }
    if (request.acks == 0)
        return; // acks=0: the broker sends no response at all
    if (delayed->pending.empty()) {
        respond(std::move(delayed->response));
        return;
    }
    delayed->remaining = delayed->pending.size();
    delayed->respond = std::move(respond);
    for (const auto& pending : delayed->pending)
        produceWaiters_[pending.topicPartition].push_back(delayed);
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(static_cast<sim::SimTime>(request.timeoutMs) * sim::kMicrosPerMs,
        [this, delayed, incarnation] {
            if (incarnation == incarnation_)
                expireProduce(delayed);
        });
}

void Broker::onLeaderAppend(Replica& replica)
{
    if (replica.maybeIncrementHighWatermark())
        onHighWatermarkAdvanced(replica);
    tryCompleteFetches(replica.topicPartition()); // followers long-polling for new data
    replica.log().maybeFlush(context_.nowMs());
}

void Broker::onHighWatermarkAdvanced(Replica& replica)
{
    completeProduceWaiters(replica);
    tryCompleteFetches(replica.topicPartition()); // consumers read up to the HW
}

void Broker::completeProduceWaiters(Replica& replica)
{
    auto it = produceWaiters_.find(replica.topicPartition());
    if (it == produceWaiters_.end())
        return;
    auto& waiters = it->second;
    const std::int64_t highWatermark = replica.highWatermark();
    std::erase_if(waiters, [&](const std::shared_ptr<DelayedProduce>& produce) {
        if (produce->completed)
            return true;
        bool touched = false;
        for (auto& pending : produce->pending) {
            if (!pending.done && pending.topicPartition == replica.topicPartition()
                && pending.requiredOffset <= highWatermark) {
                pending.done = true;
                --produce->remaining;
                touched = true;
            }
        }
        if (touched && produce->remaining == 0) {
            produce->completed = true;
            produce->respond(std::move(produce->response));
            return true;
        }
        return false;
    });
    if (waiters.empty())
        produceWaiters_.erase(it);
}

void Broker::expireProduce(const std::shared_ptr<DelayedProduce>& produce)
{
    if (produce->completed)
        return;
    produce->completed = true;
    for (const auto& pending : produce->pending) {
        if (!pending.done) {
            auto& result = produce->response.responses[pending.topicIndex].partitionResponses[pending.partitionIndex];
            result.errorCode = ErrorCode::REQUEST_TIMED_OUT;
            result.errorMessage = "the ISR did not replicate the batch within the request timeout";
        }
    }
    produce->respond(std::move(produce->response));
}

// ---------------------------------------------------------------- Fetch

void Broker::handleFetch(sim::NodeId from, protocol::FetchRequest request, Responder<protocol::FetchResponse> respond)
{
    ++counters_.fetchRequests;
    auto fetch = std::make_shared<DelayedFetch>();
    fetch->from = from;
    fetch->request = std::move(request);
    fetch->respond = std::move(respond);
    if (fetch->follower()) {
        // The fetch offset is the follower's LEO: it moves the HW even if the fetch then waits.
        for (const auto& topic : fetch->request.topics) {
            for (const auto& partition : topic.partitions) {
                Replica* leader = replica({ topic.topic, partition.partition });
                if (leader && leader->isLeader() && leader->recordFollowerFetch(fetch->request.replicaId,
                                                        partition.fetchOffset, context_.now()))
                    onHighWatermarkAdvanced(*leader);
            }
        }
    }
    if (fillFetchResponse(*fetch, fetch->request.maxWaitMs <= 0))
        return;
    for (const auto& topic : fetch->request.topics) {
        for (const auto& partition : topic.partitions)
            fetchWaiters_[{ topic.topic, partition.partition }].push_back(fetch);
    }
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(static_cast<sim::SimTime>(fetch->request.maxWaitMs) * sim::kMicrosPerMs,
        [this, fetch, incarnation] {
            if (incarnation == incarnation_)
                expireFetch(fetch);
        });
}

bool Broker::fillFetchResponse(DelayedFetch& fetch, bool final)
{
    if (fetch.completed)
        return true;
    const auto& request = fetch.request;
    // Cheap check first: is there anything new below the limit for any partition?
    bool anyError = false;
    bool anyData = false;
    for (const auto& topic : request.topics) {
        for (const auto& partition : topic.partitions) {
            Replica* target = replica({ topic.topic, partition.partition });
            if (!target || !target->isLeader() || partition.fetchOffset < target->logStartOffset()
                || partition.fetchOffset > target->logEndOffset()) {
                anyError = true;
                continue;
            }
            const std::int64_t limit = fetch.follower() ? target->logEndOffset() : target->highWatermark();
            if (limit > partition.fetchOffset)
                anyData = true;
        }
    }
    if (!final && !anyError && !anyData)
        return false;

    protocol::FetchResponse response;
    std::int64_t bytes = 0;
    std::int64_t budget = request.maxBytes;
    for (const auto& topic : request.topics) {
        protocol::FetchableTopicResponse topicResponse { topic.topic, {} };
        for (const auto& partition : topic.partitions) {
            protocol::FetchPartitionData data;
            data.partitionIndex = partition.partition;
            Replica* target = replica({ topic.topic, partition.partition });
            if (!target) {
                data.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
            } else if (!target->isLeader()) {
                data.errorCode = ErrorCode::NOT_LEADER_OR_FOLLOWER;
            } else if (partition.currentLeaderEpoch >= 0 && partition.currentLeaderEpoch < target->leaderEpoch()) {
                data.errorCode = ErrorCode::FENCED_LEADER_EPOCH;
            } else if (partition.currentLeaderEpoch > target->leaderEpoch()) {
                data.errorCode = ErrorCode::UNKNOWN_LEADER_EPOCH;
            } else {
                data.highWatermark = target->highWatermark();
                data.lastStableOffset = target->highWatermark(); // no transactions yet: LSO = HW
                data.logStartOffset = target->logStartOffset();
                const std::int64_t limit = fetch.follower() ? target->logEndOffset() : target->highWatermark();
                const auto maxBytes = static_cast<std::int32_t>(
                    std::max<std::int64_t>(0, std::min<std::int64_t>(partition.partitionMaxBytes, budget)));
                if (partition.fetchOffset < limit && (maxBytes > 0 || bytes == 0)) {
                    log::ReadInfo read = target->log().read(partition.fetchOffset, std::max(maxBytes, 1), limit);
                    if (read.offsetOutOfRange) {
                        data.errorCode = ErrorCode::OFFSET_OUT_OF_RANGE;
                    } else {
                        bytes += static_cast<std::int64_t>(read.records.size());
                        budget -= static_cast<std::int64_t>(read.records.size());
                        data.records = std::move(read.records);
                    }
                } else if (partition.fetchOffset < target->logStartOffset()
                    || partition.fetchOffset > target->logEndOffset()) {
                    data.errorCode = ErrorCode::OFFSET_OUT_OF_RANGE;
                }
            }
            if (data.errorCode != ErrorCode::NONE)
                anyError = true;
            topicResponse.partitions.push_back(std::move(data));
        }
        response.responses.push_back(std::move(topicResponse));
    }
    if (!final && !anyError && bytes < request.minBytes)
        return false;
    fetch.completed = true;
    counters_.bytesOut += bytes;
    fetch.respond(std::move(response));
    return true;
}

void Broker::tryCompleteFetches(const TopicPartition& topicPartition)
{
    auto it = fetchWaiters_.find(topicPartition);
    if (it == fetchWaiters_.end())
        return;
    // Completing a fetch can trigger appends elsewhere (never here), so work on a copy.
    auto waiters = std::move(it->second);
    fetchWaiters_.erase(it);
    std::vector<std::shared_ptr<DelayedFetch>> still;
    for (auto& fetch : waiters) {
        if (!fetch->completed && !fillFetchResponse(*fetch, false))
            still.push_back(std::move(fetch));
    }
    if (!still.empty()) {
        auto& slot = fetchWaiters_[topicPartition];
        slot.insert(slot.end(), std::make_move_iterator(still.begin()), std::make_move_iterator(still.end()));
    }
}

void Broker::expireFetch(const std::shared_ptr<DelayedFetch>& fetch)
{
    if (fetch->completed)
        return;
    fillFetchResponse(*fetch, true);
    for (const auto& topic : fetch->request.topics) {
        for (const auto& partition : topic.partitions) {
            auto it = fetchWaiters_.find({ topic.topic, partition.partition });
            if (it == fetchWaiters_.end())
                continue;
            std::erase_if(it->second, [](const auto& waiting) { return waiting->completed; });
            if (it->second.empty())
                fetchWaiters_.erase(it);
        }
    }
}

// ---------------------------------------------------------------- ListOffsets and Metadata

void Broker::handleListOffsets(protocol::ListOffsetsRequest request, Responder<protocol::ListOffsetsResponse> respond)
{
    protocol::ListOffsetsResponse response;
    for (const auto& topic : request.topics) {
        protocol::ListOffsetsTopicResponse topicResponse { topic.name, {} };
        for (const auto& partition : topic.partitions) {
            protocol::ListOffsetsPartitionResponse result;
            result.partitionIndex = partition.partitionIndex;
            Replica* target = replica({ topic.name, partition.partitionIndex });
            if (!target) {
                result.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
            } else if (!target->isLeader()) {
                result.errorCode = ErrorCode::NOT_LEADER_OR_FOLLOWER;
            } else {
                result.leaderEpoch = target->leaderEpoch();
                if (partition.timestamp == protocol::kLatestTimestamp) {
                    result.offset = target->highWatermark();
                } else if (partition.timestamp == protocol::kEarliestTimestamp) {
                    result.offset = target->logStartOffset();
                } else {
                    auto offset = target->log().offsetForTimestamp(partition.timestamp);
                    // Only committed records are visible to consumers.
                    if (offset && *offset < target->highWatermark()) {
                        result.offset = *offset;
                        result.timestamp = partition.timestamp;
                    }
                }
            }
            topicResponse.partitions.push_back(result);
        }
        response.topics.push_back(std::move(topicResponse));
    }
    respond(std::move(response));
}

void Broker::handleMetadata(const protocol::MetadataRequest& request, Responder<protocol::MetadataResponse> respond)
{
    std::vector<std::string> created;
    if (request.topics && request.allowAutoTopicCreation && config_.autoCreateTopicsEnable) {
        for (const auto& name : *request.topics) {
            if (!cluster_.controller().image().topic(name)) {
                cluster_.createTopic(name, config_.numPartitions, config_.defaultReplicationFactor, {});
                created.push_back(name);
            }
        }
    }
    const MetadataImage& image = cluster_.controller().image();
    protocol::MetadataResponse response;
    response.clusterId = image.clusterId;
    response.controllerId = image.controllerId;
    for (const auto& [id, broker] : image.brokers) {
        if (broker.state == BrokerState::Offline)
            continue;
        response.brokers.push_back({ id, broker.host, broker.port,
            broker.rack.empty() ? std::nullopt : std::optional<std::string>(broker.rack) });
    }
    auto describe = [&](const TopicInfo& topic) {
        protocol::MetadataResponseTopic result;
        result.name = topic.name;
        result.isInternal = topic.internal;
        for (const auto& partition : topic.partitions) {
            protocol::MetadataResponsePartition info;
            info.partitionIndex = partition.partition;
            info.leaderId = partition.leader;
            info.leaderEpoch = partition.leaderEpoch;
            info.replicaNodes = partition.replicas;
            info.isrNodes = partition.isr;
            for (std::int32_t id : partition.replicas) {
                auto broker = image.brokers.find(id);
                if (broker == image.brokers.end() || broker->second.state != BrokerState::Online)
                    info.offlineReplicas.push_back(id);
            }
            if (partition.leader < 0)
                info.errorCode = ErrorCode::LEADER_NOT_AVAILABLE;
            result.partitions.push_back(std::move(info));
        }
        return result;
    };
    if (!request.topics) {
        for (const auto& [name, topic] : image.topics)
            response.topics.push_back(describe(topic));
    } else {
        for (const auto& name : *request.topics) {
            const TopicInfo* topic = image.topic(name);
            protocol::MetadataResponseTopic result;
            if (!topic) {
                result.name = name;
                result.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
            } else if (std::find(created.begin(), created.end(), name) != created.end()) {
                // Kafka answers LEADER_NOT_AVAILABLE for a topic it has just auto-created.
                result.name = name;
                result.errorCode = ErrorCode::LEADER_NOT_AVAILABLE;
            } else {
                result = describe(*topic);
            }
            response.topics.push_back(std::move(result));
        }
    }
    respond(std::move(response));
}

// ---------------------------------------------------------------- Follower fetching

void Broker::updateFetchers()
{
    std::map<std::int32_t, bool> leaders;
    for (const auto& [topicPartition, replica] : replicas_) {
        if (!replica->isLeader() && replica->leaderId() >= 0)
            leaders[replica->leaderId()] = true;
    }
    for (auto it = fetchers_.begin(); it != fetchers_.end();)
        it = leaders.count(it->first) ? std::next(it) : fetchers_.erase(it);
    for (const auto& [leader, unused] : leaders) {
        auto& fetcher = fetchers_[leader];
        if (!fetcher)
            fetcher = std::make_unique<Fetcher>();
        if (!fetcher->inFlight && !fetcher->backoffPending)
            sendFollowerFetch(leader);
    }
}

void Broker::sendFollowerFetch(std::int32_t leader)
{
    auto it = fetchers_.find(leader);
    if (!online_ || it == fetchers_.end())
        return;
    Fetcher& fetcher = *it->second;
    protocol::FetchRequest request;
    request.replicaId = id_;
    request.maxWaitMs = config_.replicaFetchWaitMaxMs;
    request.minBytes = config_.replicaFetchMinBytes;
    request.maxBytes = 10485760; // replica.fetch.response.max.bytes
    for (const auto& [topicPartition, replica] : replicas_) {
        if (replica->isLeader() || replica->leaderId() != leader)
            continue;
        if (request.topics.empty() || request.topics.back().topic != topicPartition.topic)
            request.topics.push_back({ topicPartition.topic, {} });
        request.topics.back().partitions.push_back({ .partition = topicPartition.partition,
            .currentLeaderEpoch = replica->leaderEpoch(),
            .fetchOffset = replica->logEndOffset(),
            .lastFetchedEpoch = replica->log().epochCache().latestEpoch().value_or(-1),
            .logStartOffset = replica->logStartOffset(),
            .partitionMaxBytes = config_.replicaFetchMaxBytes });
    }
    if (request.topics.empty()) {
        fetchers_.erase(it);
        return;
    }
    fetcher.inFlight = true;
    fetcher.sentAt = context_.now();
    const std::uint64_t requestId = ++fetcher.requestId;
    cluster_.sendFetch(id_, leader, std::move(request),
        [this, leader, requestId](protocol::FetchResponse&& response) {
            onFollowerFetchResponse(leader, requestId, std::move(response));
        });
    if (!fetcher.timeoutArmed) {
        fetcher.timeoutArmed = true;
        const std::uint64_t incarnation = incarnation_;
        context_.scheduler.scheduleAfter(kReplicaSocketTimeout, [this, leader, incarnation] {
            if (incarnation == incarnation_)
                checkFetcherTimeout(leader);
        });
    }
}

void Broker::checkFetcherTimeout(std::int32_t leader)
{
    auto it = fetchers_.find(leader);
    if (it == fetchers_.end())
        return;
    Fetcher& fetcher = *it->second;
    fetcher.timeoutArmed = false;
    if (!fetcher.inFlight)
        return;
    const sim::SimTime deadline = fetcher.sentAt + kReplicaSocketTimeout;
    if (context_.now() < deadline) {
        fetcher.timeoutArmed = true;
        const std::uint64_t incarnation = incarnation_;
        context_.scheduler.scheduleAt(deadline, [this, leader, incarnation] {
            if (incarnation == incarnation_)
                checkFetcherTimeout(leader);
        });
        return;
    }
    // The leader never answered: treat the connection as broken and try again.
    fetcher.inFlight = false;
    ++fetcher.requestId;
    sendFollowerFetch(leader);
}

void Broker::onFollowerFetchResponse(std::int32_t leader, std::uint64_t requestId, protocol::FetchResponse&& response)
{
    auto it = fetchers_.find(leader);
    if (!online_ || it == fetchers_.end() || it->second->requestId != requestId)
        return;
    Fetcher& fetcher = *it->second;
    fetcher.inFlight = false;
    bool backoff = response.errorCode != ErrorCode::NONE;
    const std::int64_t nowMs = context_.nowMs();
    for (auto& topic : response.responses) {
        for (auto& data : topic.partitions) {
            Replica* follower = replica({ topic.topic, data.partitionIndex });
            if (!follower || follower->isLeader() || follower->leaderId() != leader)
                continue;
            if (data.errorCode == ErrorCode::OFFSET_OUT_OF_RANGE) {
                // Behind the leader's log start: start over from there.
                if (data.logStartOffset > follower->logEndOffset())
                    follower->log().truncateFullyAndStartAt(data.logStartOffset, nowMs);
                else
                    backoff = true;
                continue;
            }
            if (data.errorCode != ErrorCode::NONE) {
                backoff = true;
                continue;
            }
            if (!data.records.empty()) {
                const log::AppendInfo info = follower->log().appendAsFollower(data.records, nowMs);
                if (!info.ok()) {
                    context_.trace.record({ .time = context_.now(),
                        .kind = "replica.append_failed",
                        .broker = id_,
                        .topic = topic.topic,
                        .partition = data.partitionIndex,
                        .message = "follower could not append fetched data: "
                            + std::string(log::batchErrorName(info.error)) });
                    backoff = true;
                    continue;
                }
                counters_.bytesIn += info.bytes;
                follower->log().maybeFlush(nowMs);
            }
            if (data.logStartOffset > follower->logStartOffset() && data.logStartOffset <= follower->logEndOffset())
                follower->log().advanceLogStartOffset(data.logStartOffset);
            follower->updateFollowerHighWatermark(data.highWatermark);
        }
    }
    if (backoff) {
        fetcher.backoffPending = true;
        const std::uint64_t incarnation = incarnation_;
        context_.scheduler.scheduleAfter(kReplicaFetchBackoff, [this, leader, incarnation] {
            if (incarnation != incarnation_)
                return;
            auto found = fetchers_.find(leader);
            if (found == fetchers_.end())
                return;
            found->second->backoffPending = false;
            sendFollowerFetch(leader);
        });
        return;
    }
    sendFollowerFetch(leader);
}

// ---------------------------------------------------------------- Log tasks

void Broker::scheduleLogTasks()
{
    scheduleRetention();
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(kLogCleanerBackoff, [this, incarnation] {
        if (incarnation == incarnation_ && online_)
            runCleaner();
    });
}

void Broker::scheduleRetention()
{
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(config_.logRetentionCheckIntervalMs * sim::kMicrosPerMs, [this, incarnation] {
        if (incarnation == incarnation_ && online_) {
            runRetention();
            scheduleRetention();
        }
    });
}

void Broker::runRetention()
{
    const std::int64_t nowMs = context_.nowMs();
    for (auto& [topicPartition, replica] : replicas_) {
        if (!replica->config().log.cleanupDelete)
            continue;
        const std::int64_t startBefore = replica->logStartOffset();
        const int deleted = replica->log().applyRetention(nowMs, replica->highWatermark());
        if (deleted > 0) {
            context_.trace.record({ .time = context_.now(),
                .kind = "log.segments_deleted",
                .broker = id_,
                .topic = topicPartition.topic,
                .partition = topicPartition.partition,
                .numbers = { { "segments", deleted }, { "log_start_offset", replica->logStartOffset() } },
                .message = "retention deleted " + std::to_string(deleted) + " segment(s); log start offset "
                    + std::to_string(startBefore) + " -> " + std::to_string(replica->logStartOffset()) });
        }
    }
}

void Broker::runCleaner()
{
    const std::int64_t nowMs = context_.nowMs();
    for (auto& [topicPartition, replica] : replicas_) {
        if (!replica->config().log.cleanupCompact)
            continue;
        const std::int64_t removed = replica->log().compact(nowMs, replica->highWatermark());
        if (removed > 0) {
            context_.trace.record({ .time = context_.now(),
                .kind = "log.compacted",
                .broker = id_,
                .topic = topicPartition.topic,
                .partition = topicPartition.partition,
                .numbers = { { "records_removed", removed } },
                .message = "the log cleaner removed " + std::to_string(removed)
                    + " superseded record(s) and expired tombstones" });
        }
    }
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(kLogCleanerBackoff, [this, incarnation] {
        if (incarnation == incarnation_ && online_)
            runCleaner();
    });
}

} // namespace brokerlab::cluster
