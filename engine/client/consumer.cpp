#include "client/consumer.h"

#include "log/recordbatch.h"

#include <algorithm>
#include <iterator>

namespace brokerlab::client {

using protocol::ErrorCode;
using protocol::TopicPartition;

struct Consumer::PartitionState {
    PartitionPosition info;
    std::deque<log::Record> buffered;
    bool resetInFlight = false;
    std::uint64_t resetRequest = 0; // the ListOffsets in flight, so a stale disconnect is ignored
    std::optional<ResetTarget> pendingReset; // waiting for the leader to be known
    std::int64_t pendingTimestamp = 0;
};

Consumer::Consumer(cluster::Cluster& cluster, ConsumerConfig config)
    : cluster_(cluster)
    , context_(cluster.context())
    , config_(std::move(config))
    , node_(cluster.allocateClientNode())
{
}

Consumer::~Consumer() = default;

Consumer::PartitionState* Consumer::state(const TopicPartition& partition)
{
    auto it = partitions_.find(partition);
    return it == partitions_.end() ? nullptr : it->second.get();
}

void Consumer::assign(const std::vector<TopicPartition>& partitions)
{
    std::map<TopicPartition, std::unique_ptr<PartitionState>> next;
    for (const auto& partition : partitions) {
        auto it = partitions_.find(partition);
        if (it != partitions_.end()) {
            next.emplace(partition, std::move(it->second));
        } else {
            auto fresh = std::make_unique<PartitionState>();
            fresh->info.topicPartition = partition;
            next.emplace(partition, std::move(fresh));
        }
    }
    partitions_ = std::move(next);
    std::string list;
    for (const auto& partition : partitions)
        list += (list.empty() ? "" : ", ") + partition.toString();
    context_.trace.record({ .time = context_.now(),
        .kind = "consumer.assigned",
        .client = config_.clientId,
        .numbers = { { "partitions", static_cast<std::int64_t>(partitions.size()) } },
        .message = "consumer '" + config_.clientId + "' assigned [" + list + "]" });
    requestMetadata();
}

void Consumer::subscribe(const std::vector<std::string>& topics)
{
    subscription_ = topics;
    std::sort(subscription_.begin(), subscription_.end());
    ConsumerCoordinator::Hooks hooks;
    hooks.revoke = [this](const std::vector<TopicPartition>& revoked, bool) {
        for (const auto& partition : revoked)
            partitions_.erase(partition);
    };
    hooks.assign = [this](const std::vector<TopicPartition>& added, const OffsetMap& committed) {
        std::vector<TopicPartition> all = assignment();
        all.insert(all.end(), added.begin(), added.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        assign(all);
        for (const auto& partition : added) {
            auto it = committed.find(partition);
            if (it != committed.end() && it->second >= 0)
                seek(partition, it->second);
        }
    };
    hooks.positions = [this] {
        OffsetMap offsets;
        for (const auto& [partition, target] : partitions_) {
            if (target->info.position >= 0)
                offsets[partition] = target->info.position;
        }
        return offsets;
    };
    hooks.partitionCounts = [this] { return partitionCounts_; };
    hooks.fatal = [this](const std::string&) { stop(); };
    coordinator_ = std::make_unique<ConsumerCoordinator>(cluster_, node_, config_, std::move(hooks));
    coordinator_->subscribe(subscription_);
    requestMetadata();
}

void Consumer::pauseApplication(bool paused)
{
    applicationPaused_ = paused;
    context_.trace.record({ .time = context_.now(),
        .kind = paused ? "consumer.application_paused" : "consumer.application_resumed",
        .client = config_.clientId,
        .message = "consumer '" + config_.clientId + (paused ? "' stops polling (its heartbeats go on)" : "' polls again") });
    if (!paused && looping_ && waitingInPoll_)
        pollLoopStep();
}

void Consumer::close()
{
    if (crashed_ || stopped_)
        return;
    if (coordinator_)
        coordinator_->close();
    stop();
}

void Consumer::crash()
{
    if (crashed_)
        return;
    crashed_ = true;
    if (coordinator_)
        coordinator_->crash();
    stop();
}

std::vector<TopicPartition> Consumer::assignment() const
{
    std::vector<TopicPartition> result;
    for (const auto& [partition, state] : partitions_)
        result.push_back(partition);
    return result;
}

void Consumer::seek(const TopicPartition& partition, std::int64_t offset)
{
    if (PartitionState* target = state(partition)) {
        target->info.position = offset;
        target->buffered.clear();
        target->pendingReset.reset();
        endStuckEpisodeIfMoved();
        maybeSendFetches();
    }
}

void Consumer::seekToTimestamp(const TopicPartition& partition, std::int64_t timestampMs)
{
    if (PartitionState* target = state(partition))
        resetOffset(*target, ResetTarget::Timestamp, timestampMs);
}

void Consumer::seekToBeginning(const TopicPartition& partition)
{
    if (PartitionState* target = state(partition))
        resetOffset(*target, ResetTarget::Earliest);
}

void Consumer::seekToEnd(const TopicPartition& partition)
{
    if (PartitionState* target = state(partition))
        resetOffset(*target, ResetTarget::Latest);
}

std::optional<std::int64_t> Consumer::position(const TopicPartition& partition) const
{
    auto it = partitions_.find(partition);
    if (it == partitions_.end() || it->second->info.position < 0)
        return std::nullopt;
    return it->second->info.position;
}

std::vector<PartitionPosition> Consumer::positions() const
{
    std::vector<PartitionPosition> result;
    for (const auto& [partition, state] : partitions_)
        result.push_back(state->info);
    return result;
}

// ---------------------------------------------------------------- Metadata and offset resets

void Consumer::requestMetadata()
{
    const sim::SimTime now = context_.now();
    if (metadataInFlight_ && now - metadataRequestedAt_ < config_.requestTimeoutMs * sim::kMicrosPerMs)
        return;
    const auto brokers = cluster_.brokerIds();
    if (brokers.empty() || (partitions_.empty() && subscription_.empty()))
        return;
    protocol::MetadataRequest request;
    request.topics = subscription_;
    for (const auto& [partition, state] : partitions_) {
        if (std::find(request.topics->begin(), request.topics->end(), partition.topic) == request.topics->end())
            request.topics->push_back(partition.topic);
    }
    request.allowAutoTopicCreation = false;
    metadataInFlight_ = true;
    metadataRequestedAt_ = now;
    for (std::size_t attempt = 0; attempt < brokers.size(); ++attempt) {
        const std::int32_t broker = brokers[static_cast<std::size_t>(bootstrapIndex_++) % brokers.size()];
        if (cluster_.sendMetadata(
                node_, broker, request,
                [this](protocol::MetadataResponse&& response) { onMetadata(std::move(response)); },
                [this, now] {
                    if (stopped_ || !metadataInFlight_ || metadataRequestedAt_ != now)
                        return; // not the request in flight, or nobody waits for it any more
                    metadataInFlight_ = false; // the broker died: ask another one after the backoff
                    context_.scheduler.scheduleAfter(
                        config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestMetadata(); });
                }))
            return;
    }
    metadataInFlight_ = false;
    context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestMetadata(); });
}

void Consumer::onMetadata(protocol::MetadataResponse&& response)
{
    metadataInFlight_ = false;
    bool retry = false;
    for (const auto& topic : response.topics) {
        if (topic.errorCode == ErrorCode::NONE && !topic.partitions.empty())
            partitionCounts_[topic.name] = static_cast<std::int32_t>(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            if (PartitionState* target = state({ topic.name, partition.partitionIndex })) {
                target->info.leader = partition.leaderId;
                if (partition.leaderId < 0)
                    retry = true;
            }
        }
        if (topic.errorCode != ErrorCode::NONE)
            retry = true;
    }
    for (auto& [partition, target] : partitions_) {
        if (target->pendingReset) {
            const ResetTarget how = *target->pendingReset;
            target->pendingReset.reset();
            resetOffset(*target, how, target->pendingTimestamp);
        } else if (target->info.position < 0 && !target->resetInFlight) {
            switch (config_.autoOffsetReset) {
            case OffsetReset::Earliest:
                resetOffset(*target, ResetTarget::Earliest);
                break;
            case OffsetReset::Latest:
                resetOffset(*target, ResetTarget::Latest);
                break;
            case OffsetReset::None:
                break; // NoOffsetForPartitionException: the application must seek
            }
        }
    }
    if (retry)
        context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestMetadata(); });
    maybeSendFetches();
}

void Consumer::resetOffset(PartitionState& partition, ResetTarget target, std::int64_t timestampMs)
{
    partition.buffered.clear();
    partition.info.position = -1;
    if (partition.info.leader < 0) {
        partition.pendingReset = target;
        partition.pendingTimestamp = timestampMs;
        requestMetadata();
        return;
    }
    protocol::ListOffsetsRequest request;
    std::int64_t timestamp = timestampMs;
    if (target == ResetTarget::Earliest)
        timestamp = protocol::kEarliestTimestamp;
    else if (target == ResetTarget::Latest)
        timestamp = protocol::kLatestTimestamp;
    request.topics.push_back({ partition.info.topicPartition.topic,
        { { .partitionIndex = partition.info.topicPartition.partition, .timestamp = timestamp } } });
    partition.resetInFlight = true;
    const std::uint64_t resetRequest = partition.resetRequest = ++nextResetRequest_; // unique across partitions' lives
    ++counters_.offsetResets;
    const TopicPartition topicPartition = partition.info.topicPartition;
    const bool sent = cluster_.sendListOffsets(
        node_, partition.info.leader, std::move(request),
        [this, topicPartition, target, timestampMs](protocol::ListOffsetsResponse&& response) {
            PartitionState* partitionState = state(topicPartition);
            if (!partitionState)
                return;
            partitionState->resetInFlight = false;
            for (const auto& topic : response.topics) {
                for (const auto& result : topic.partitions) {
                    if (result.errorCode != ErrorCode::NONE) {
                        partitionState->pendingReset = target;
                        partitionState->pendingTimestamp = timestampMs;
                        requestMetadata();
                        return;
                    }
                    std::int64_t offset = result.offset;
                    if (offset < 0) // no record at or after the timestamp: Kafka's consumer goes to the end
                        offset = -1;
                    if (offset < 0) {
                        resetOffset(*partitionState, ResetTarget::Latest);
                        return;
                    }
                    partitionState->info.position = offset;
                    context_.trace.record({ .time = context_.now(),
                        .kind = "consumer.offset_reset",
                        .eventClass = sim::EventClass::DataPath,
                        .topic = topicPartition.topic,
                        .partition = topicPartition.partition,
                        .client = config_.clientId,
                        .numbers = { { "offset", offset } } });
                }
            }
            maybeSendFetches();
        },
        [this, topicPartition, target, timestampMs, resetRequest] {
            PartitionState* partitionState = state(topicPartition);
            if (!stopped_ && partitionState && partitionState->resetInFlight
                && partitionState->resetRequest == resetRequest)
                retryResetLater(*partitionState, target, timestampMs);
        });
    if (!sent)
        retryResetLater(partition, target, timestampMs);
}

void Consumer::retryResetLater(PartitionState& partition, ResetTarget target, std::int64_t timestampMs)
{
    // The leader refused the connection or died: look it up again after the backoff.
    partition.resetInFlight = false;
    partition.pendingReset = target;
    partition.pendingTimestamp = timestampMs;
    context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestMetadata(); });
}

// ---------------------------------------------------------------- Fetching

void Consumer::maybeSendFetches()
{
    if (stopped_)
        return;
    const sim::SimTime now = context_.now();
    std::map<std::int32_t, protocol::FetchRequest> requests;
    for (auto& [partition, target] : partitions_) {
        const std::int32_t leader = target->info.leader;
        if (leader < 0 || target->info.position < 0 || !target->buffered.empty())
            continue;
        if (auto backoff = reconnectAt_.find(leader); backoff != reconnectAt_.end() && backoff->second > now)
            continue; // its connection failed a moment ago
        auto inFlight = fetchInFlight_.find(leader);
        if (inFlight != fetchInFlight_.end()) {
            if (now - fetchSentAt_[leader] < config_.requestTimeoutMs * sim::kMicrosPerMs)
                continue;
            fetchInFlight_.erase(inFlight); // no answer: the connection is considered broken
        }
        auto& request = requests[leader];
        request.maxWaitMs = config_.fetchMaxWaitMs;
        request.minBytes = config_.fetchMinBytes;
        request.maxBytes = config_.fetchMaxBytes;
        if (request.topics.empty() || request.topics.back().topic != partition.topic)
            request.topics.push_back({ partition.topic, {} });
        request.topics.back().partitions.push_back({ .partition = partition.partition,
            .fetchOffset = target->info.position,
            .partitionMaxBytes = config_.maxPartitionFetchBytes });
    }
    for (auto& [broker, request] : requests) {
        const std::uint64_t requestId = nextRequestId_++;
        ++counters_.fetchRequests;
        fetchInFlight_[broker] = requestId;
        fetchSentAt_[broker] = now;
        FetchOffsets offsets;
        for (const auto& topic : request.topics) {
            for (const auto& partition : topic.partitions)
                offsets[{ topic.topic, partition.partition }] = partition.fetchOffset;
        }
        const bool sent = cluster_.sendFetch(
            node_, broker, std::move(request),
            [this, broker, requestId, offsets = std::move(offsets)](protocol::FetchResponse&& response) {
                onFetchResponse(broker, requestId, offsets, std::move(response));
            },
            [this, broker, requestId] {
                auto inFlight = fetchInFlight_.find(broker);
                if (!stopped_ && inFlight != fetchInFlight_.end() && inFlight->second == requestId)
                    onFetchConnectionFailed(broker);
            });
        if (!sent)
            onFetchConnectionFailed(broker);
    }
}

void Consumer::onFetchConnectionFailed(std::int32_t broker)
{
    // As Kafka's NetworkClient does after a disconnect: refresh metadata (the leader may have moved)
    // and leave the node alone for the backoff instead of reconnecting in a tight loop.
    fetchInFlight_.erase(broker);
    const sim::SimTime retryAt = context_.now() + config_.retryBackoffMs * sim::kMicrosPerMs;
    reconnectAt_[broker] = retryAt;
    requestMetadata();
    context_.scheduler.scheduleAt(retryAt, [this] { maybeSendFetches(); });
}

void Consumer::onFetchResponse(
    std::int32_t broker, std::uint64_t requestId, const FetchOffsets& offsets, protocol::FetchResponse&& response)
{
    auto inFlight = fetchInFlight_.find(broker);
    if (inFlight == fetchInFlight_.end() || inFlight->second != requestId)
        return;
    fetchInFlight_.erase(inFlight);
    bool refresh = false;
    bool gotRecords = false;
    std::vector<log::Record> decoded;
    for (auto& topic : response.responses) {
        for (auto& data : topic.partitions) {
            PartitionState* target = state({ topic.topic, data.partitionIndex });
            if (!target || target->info.position < 0)
                continue;
            // A seek while the fetch was in flight makes its data stale, as in Kafka's Fetcher.
            auto requested = offsets.find({ topic.topic, data.partitionIndex });
            if (requested == offsets.end() || requested->second != target->info.position || !target->buffered.empty())
                continue;
            if (data.errorCode == ErrorCode::OFFSET_OUT_OF_RANGE) {
                ++counters_.errors;
                context_.trace.record({ .time = context_.now(),
                    .kind = "consumer.offset_out_of_range",
                    .topic = topic.topic,
                    .partition = data.partitionIndex,
                    .client = config_.clientId,
                    .numbers = { { "offset", target->info.position } },
                    .message = "offset " + std::to_string(target->info.position)
                        + " is no longer in the log; auto.offset.reset decides where to resume" });
                if (config_.autoOffsetReset == OffsetReset::Earliest)
                    resetOffset(*target, ResetTarget::Earliest);
                else if (config_.autoOffsetReset == OffsetReset::Latest)
                    resetOffset(*target, ResetTarget::Latest);
                else
                    target->info.position = -1;
                continue;
            }
            if (data.errorCode != ErrorCode::NONE) {
                ++counters_.errors;
                if (protocol::invalidatesMetadata(data.errorCode))
                    refresh = true;
                continue;
            }
            target->info.highWatermark = data.highWatermark;
            target->info.logStartOffset = data.logStartOffset;
            counters_.bytesFetched += static_cast<std::int64_t>(data.records.size());
            log::BatchIterator batches(data.records, true);
            while (batches.next()) {
                if (batches.header().lastOffset() < target->info.position)
                    continue;
                decoded.clear();
                if (log::decodeRecords(batches.batch(), decoded) != log::BatchError::None) {
                    ++counters_.errors;
                    break;
                }
                for (auto& record : decoded) {
                    if (record.offset >= target->info.position)
                        target->buffered.push_back(std::move(record));
                }
            }
            if (!target->buffered.empty())
                gotRecords = true;
        }
    }
    if (refresh)
        requestMetadata();
    if (gotRecords && waitingInPoll_) {
        // poll(timeout) returns as soon as data arrives.
        waitingInPoll_ = false;
        const std::uint64_t token = ++pollWakeToken_;
        context_.scheduler.scheduleAt(context_.now(), [this, token] {
            if (token == pollWakeToken_)
                pollLoopStep();
        });
    }
    maybeSendFetches();
}

// ---------------------------------------------------------------- poll()

std::vector<ConsumedRecord> Consumer::poll()
{
    ++counters_.polls;
    pollError_.reset();
    endStuckEpisodeIfMoved();
    if (coordinator_)
        coordinator_->onPoll();
    std::vector<ConsumedRecord> result;
    if (coordinator_ && coordinator_->pollBlocked())
        return result;
    const auto limit = static_cast<std::size_t>(std::max(1, config_.maxPollRecords));
    if (partitions_.empty())
        return result;
    // Drain partitions in turn from a rotating start so one busy partition does not starve others; a
    // partition whose next record failed to deserialize comes first, as Kafka's next-in-line fetch does.
    std::vector<PartitionState*> order;
    for (auto& [partition, target] : partitions_)
        order.push_back(target.get());
    std::size_t start = pollRotation_++ % order.size();
    if (failedPartition_) {
        auto failed = partitions_.find(*failedPartition_);
        if (failed != partitions_.end())
            start = static_cast<std::size_t>(std::distance(partitions_.begin(), failed));
    }
    std::optional<RecordDeserializationError> failure;
    for (std::size_t i = 0; i < order.size() && result.size() < limit && !failure; ++i) {
        PartitionState& target = *order[(start + i) % order.size()];
        while (!target.buffered.empty() && result.size() < limit) {
            log::Record& next = target.buffered.front();
            if (next.offset < target.info.position) {
                target.buffered.pop_front();
                continue;
            }
            if (auto why = whyUndeserializable(config_.valueDeserializer, next.value)) {
                failure = RecordDeserializationError { target.info.topicPartition, next.offset, std::move(*why) };
                break;
            }
            target.info.position = next.offset + 1;
            result.push_back({ target.info.topicPartition, std::move(next) });
            target.buffered.pop_front();
        }
    }
    failedPartition_.reset();
    if (failure) {
        // Records before the bad one are returned first; the exception comes with the next poll().
        failedPartition_ = failure->topicPartition;
        if (result.empty())
            raiseDeserializationError(std::move(*failure));
    }
    counters_.consumed += static_cast<std::int64_t>(result.size());
    if (recordListener_) {
        for (const auto& record : result)
            recordListener_(record);
    }
    maybeSendFetches();
    return result;
}

void Consumer::raiseDeserializationError(RecordDeserializationError error)
{
    ++counters_.deserializationErrors;
    const bool sameRecord
        = stuckOn_ && stuckOn_->topicPartition == error.topicPartition && stuckOn_->offset == error.offset;
    if (!sameRecord) {
        counters_.stuckSince = context_.now();
        stuckOn_ = error;
        context_.trace.record({ .time = context_.now(),
            .kind = "consumer.deserialization_error",
            .topic = error.topicPartition.topic,
            .partition = error.topicPartition.partition,
            .client = config_.clientId,
            .numbers = { { "offset", error.offset } },
            .message = "poll() throws RecordDeserializationException at offset " + std::to_string(error.offset) + " of "
                + error.topicPartition.toString() + " (" + error.message + ")" });
    }
    pollError_ = std::move(error);
}

// The episode ends when the position leaves the record (a seek, a revocation) or the consumer stops.
void Consumer::endStuckEpisodeIfMoved()
{
    if (!stuckOn_)
        return;
    if (!stopped_) {
        auto it = partitions_.find(stuckOn_->topicPartition);
        if (it != partitions_.end() && it->second->info.position == stuckOn_->offset)
            return;
    }
    counters_.stuckUs += context_.now() - counters_.stuckSince;
    counters_.stuckSince = -1;
    stuckOn_.reset();
}

void Consumer::runPollLoop(PollLoopPlan plan)
{
    loop_ = plan;
    looping_ = true;
    context_.scheduler.scheduleAt(std::max(plan.start, context_.now()), [this] { pollLoopStep(); });
}

void Consumer::stop()
{
    stopped_ = true;
    looping_ = false;
    endStuckEpisodeIfMoved();
    abandonProcessing();
}

void Consumer::pollLoopStep()
{
    if (!looping_ || stopped_)
        return;
    const sim::SimTime now = context_.now();
    if (now >= loop_.stop) {
        close();
        return;
    }
    waitingInPoll_ = false;
    const std::uint64_t token = ++pollWakeToken_;
    if (applicationPaused_) {
        waitingInPoll_ = true; // resumes from pauseApplication(false)
        return;
    }
    auto records = poll();
    if (records.empty() && pollError_ && loop_.skipUndeserializable) {
        // The application catches the exception and seeks to the next offset: the record is never processed.
        const RecordDeserializationError error = *pollError_;
        ++counters_.skipped;
        context_.trace.record({ .time = now,
            .kind = "consumer.record_skipped",
            .topic = error.topicPartition.topic,
            .partition = error.topicPartition.partition,
            .client = config_.clientId,
            .numbers = { { "offset", error.offset } },
            .message = "consumer '" + config_.clientId + "' skips the record at offset " + std::to_string(error.offset)
                + " of " + error.topicPartition.toString() + ": seek(" + std::to_string(error.offset + 1) + ")" });
        seek(error.topicPartition, error.offset + 1);
        pollLoopStep();
        return;
    }
    if (records.empty()) {
        // Nothing, or an exception the application logs before polling again (which throws again).
        // poll(timeout): wait for data or the timeout, whichever comes first.
        waitingInPoll_ = true;
        context_.scheduler.scheduleAfter(loop_.pollIntervalMs * sim::kMicrosPerMs, [this, token] {
            if (token == pollWakeToken_)
                pollLoopStep();
        });
        return;
    }
    if (coordinator_ && loop_.commit != CommitMode::Auto && loop_.delivery == Delivery::AtMostOnce) {
        // At most once: the offsets are committed before the records are processed.
        auto shared = std::make_shared<std::vector<ConsumedRecord>>(std::move(records));
        auto afterCommit = [this, shared, token](ErrorCode error) {
            if (token != pollWakeToken_ || stopped_)
                return;
            if (error != ErrorCode::NONE) {
                // commitSync threw (a rebalance, a lost coordinator): the batch is not processed,
                // as an at-most-once application skips what it could not commit. Whoever owns the
                // partitions next reads it again from the last commit, so nothing is lost.
                pollLoopStep();
                return;
            }
            processBatch(std::move(*shared), token);
        };
        if (loop_.commit == CommitMode::Sync) {
            coordinator_->commit({}, afterCommit);
        } else {
            coordinator_->commit({}, [](ErrorCode) {});
            afterCommit(ErrorCode::NONE);
        }
        return;
    }
    processBatch(std::move(records), token);
}

void Consumer::processBatch(std::vector<ConsumedRecord> records, std::uint64_t token)
{
    // The application processes the records one after another; a crash or close part-way through leaves
    // the first ones processed (their effects happened) and the rest not (see abandonProcessing).
    auto batch = std::make_shared<ProcessingBatch>();
    batch->records = std::move(records);
    batch->start = context_.now();
    processing_ = batch;
    auto finish = [this, batch, token] {
        if (token != pollWakeToken_ || stopped_)
            return; // crashed or closed while processing: abandonProcessing() saw to it
        processing_.reset();
        if (processedListener_) {
            for (const auto& record : batch->records)
                processedListener_(record);
        }
        if (loop_.beforeCommit) {
            loop_.beforeCommit([this, token] {
                if (token == pollWakeToken_ && !stopped_)
                    commitAndPoll(token);
            });
            return;
        }
        commitAndPoll(token);
    };
    const std::size_t count = batch->records.size();
    batch->doneAfterUs.reserve(count);
    double totalMs = 0;
    if (loop_.processingMs) {
        for (std::size_t i = 0; i < count; ++i) {
            totalMs += std::max(0.0, loop_.processingMs());
            batch->doneAfterUs.push_back(static_cast<sim::SimTime>(totalMs * slowdown_ * 1000.0));
        }
    } else {
        for (std::size_t i = 0; i < count; ++i) {
            batch->doneAfterUs.push_back(static_cast<sim::SimTime>(
                loop_.processingMsPerRecord * static_cast<double>(i + 1) * slowdown_ * 1000.0));
        }
        totalMs = loop_.processingMsPerRecord * static_cast<double>(count);
    }
    totalMs *= slowdown_;
    if (totalMs <= 0) {
        finish();
        return;
    }
    context_.scheduler.scheduleAfter(static_cast<sim::SimTime>(totalMs * 1000.0), std::move(finish));
}

void Consumer::abandonProcessing()
{
    const std::shared_ptr<ProcessingBatch> batch = std::move(processing_);
    processing_.reset();
    if (!batch || !processedListener_)
        return;
    const sim::SimTime elapsed = context_.now() - batch->start;
    for (std::size_t i = 0; i < batch->records.size() && batch->doneAfterUs[i] <= elapsed; ++i)
        processedListener_(batch->records[i]);
}

void Consumer::commitAndPoll(std::uint64_t token)
{
    if (coordinator_ && loop_.commit != CommitMode::Auto && loop_.delivery == Delivery::AtLeastOnce) {
        // At least once: commit after processing; a sync commit waits before the next poll.
        if (loop_.commit == CommitMode::Sync) {
            coordinator_->commit({}, [this, token](ErrorCode) {
                if (token == pollWakeToken_)
                    pollLoopStep();
            });
            return;
        }
        coordinator_->commit({}, [](ErrorCode) {});
    }
    pollLoopStep();
}

} // namespace brokerlab::client
