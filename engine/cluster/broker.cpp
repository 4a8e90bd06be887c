#include "cluster/broker.h"

#include "cluster/brokerinternal.h"

#include "cluster/cluster.h"

#include <algorithm>
#include <set>

namespace brokerlab::cluster {

using protocol::ErrorCode;
using protocol::TopicPartition;

namespace {

// Appends to out the waiters not seen before, keeping their order.
template <typename Waiter>
void appendUnseen(std::vector<std::shared_ptr<Waiter>>& out, std::set<const Waiter*>& seen,
    const std::vector<std::shared_ptr<Waiter>>& waiters)
{
    for (const auto& waiter : waiters) {
        if (seen.insert(waiter.get()).second)
            out.push_back(waiter);
    }
}

ErrorCode appendError(const log::AppendInfo& info)
{
    if (info.tooLarge)
        return ErrorCode::MESSAGE_TOO_LARGE;
    if (info.invalidRecord)
        return ErrorCode::INVALID_RECORD; // e.g. a null key on a compacted topic
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

} // namespace

Broker::Broker(Context& context, Cluster& cluster, std::int32_t id, std::string rack, const BrokerConfig& config)
    : context_(context)
    , cluster_(cluster)
    , id_(id)
    , rack_(std::move(rack))
    , config_(config)
    , groupCoordinator_(std::make_unique<GroupCoordinator>(context, *this,
          GroupCoordinatorConfig { .offsetsTopicNumPartitions = config.offsetsTopicNumPartitions,
              .offsetsTopicReplicationFactor = config.offsetsTopicReplicationFactor,
              .groupInitialRebalanceDelayMs = config.groupInitialRebalanceDelayMs }))
{
}

Broker::~Broker() = default;

std::string_view processStateName(ProcessState state)
{
    switch (state) {
    case ProcessState::Running:
        return "running";
    case ProcessState::Crashed:
        return "crashed";
    case ProcessState::ShuttingDown:
        return "shutting down";
    case ProcessState::Stopped:
        return "stopped";
    case ProcessState::Paused:
        return "paused";
    }
    return "unknown";
}

template <typename F>
void Broker::every(sim::SimTime interval, F&& task)
{
    // A periodic task of this process incarnation: it dies with the process.
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(interval, [this, interval, incarnation, task = std::forward<F>(task)]() mutable {
        if (incarnation != incarnation_ || !isOnline())
            return;
        task();
        every(interval, std::move(task));
    });
}

void Broker::start()
{
    process_ = ProcessState::Running;
    ++incarnation_;
    ++processIncarnation_;
    context_.network.setNodeUp(id_, true);
    fencedByController_ = false;
    startTimers();
    updateFetchers();
}

void Broker::startTimers()
{
    sendHeartbeat();
    every(config_.brokerHeartbeatIntervalMs * sim::kMicrosPerMs, [this] { sendHeartbeat(); });
    scheduleIsrCheck();
    scheduleLogTasks();
}

void Broker::pause()
{
    if (process_ != ProcessState::Running)
        return;
    process_ = ProcessState::Paused;
    ++incarnation_; // its timers stop firing
    context_.network.setNodePaused(id_, true);
    context_.trace.record({ .time = context_.now(),
        .kind = "fault.broker_pause",
        .broker = id_,
        .message = "broker " + std::to_string(id_)
            + " is frozen: no heartbeats, no answers; requests to it queue up in its sockets" });
}

void Broker::resume()
{
    if (process_ != ProcessState::Paused)
        return;
    process_ = ProcessState::Running;
    ++incarnation_;
    context_.trace.record({ .time = context_.now(),
        .kind = "fault.broker_resume",
        .broker = id_,
        .message = "broker " + std::to_string(id_) + " runs again and works through what waited for it" });
    // Parked requests whose timers fired during the pause are overdue: answer them now, as the
    // purgatory's reaper does after a long pause.
    // Each request once, in the order of the first partition it waits on (not by address, so that
    // runs repeat).
    std::vector<std::shared_ptr<DelayedProduce>> produces;
    std::set<const DelayedProduce*> seenProduces;
    for (auto& [topicPartition, waiters] : produceWaiters_)
        appendUnseen(produces, seenProduces, waiters);
    std::vector<std::shared_ptr<DelayedFetch>> fetches;
    std::set<const DelayedFetch*> seenFetches;
    fetchWaiters_.forEach(
        [&](const std::string&, std::int32_t, const auto& waiters) { appendUnseen(fetches, seenFetches, waiters); });
    produceWaiters_.clear();
    fetchWaiters_.clear();
    for (const auto& produce : produces)
        expireProduce(produce);
    for (const auto& fetch : fetches)
        fillFetchResponse(*fetch, true);
    // Follower fetches in flight lost their timeout timers: start over.
    for (auto& [leader, fetcher] : fetchers_) {
        fetcher->inFlight = false;
        fetcher->backoffPending = false;
        fetcher->timeoutArmed = false;
        fetcher->diskWritePending = false;
        ++fetcher->requestId;
    }
    isrChangeInFlight_.clear();
    startTimers();
    updateFetchers();
    context_.network.setNodePaused(id_, false);
}

std::int64_t Broker::wallClockMs() const
{
    return context_.nowMs() + clockSkewMs_;
}

void Broker::stopProcess(ProcessState state, sim::Departure departure)
{
    cleanShutdown_ = state == ProcessState::Stopped;
    // Everything the process held in memory goes: parked requests, fetchers, pending ISR changes.
    // Clients see their connections close (after a power loss: time out) and reconnect elsewhere.
    process_ = state;
    ++incarnation_;
    context_.network.setNodeUp(id_, false, departure);
    produceWaiters_.clear();
    fetchWaiters_.clear();
    fetchers_.clear();
    isrChangeInFlight_.clear();
    groupCoordinator_->clear();
}

void Broker::crash()
{
    if (process_ == ProcessState::Crashed || process_ == ProcessState::Stopped)
        return;
    stopProcess(ProcessState::Crashed);
    context_.trace.record({ .time = context_.now(),
        .kind = "fault.broker_crash",
        .broker = id_,
        .message = "broker " + std::to_string(id_)
            + " crashed: the process is gone, its page cache (every appended byte) survives" });
}

void Broker::powerLoss()
{
    if (process_ == ProcessState::Stopped)
        return;
    std::int64_t lost = 0;
    for (auto& [topicPartition, replica] : replicas_) {
        const std::int64_t before = replica->logEndOffset();
        replica->log().loseUnflushed();
        replica->producerState().truncate(replica->logEndOffset());
        lost += before - replica->logEndOffset();
    }
    counters_.truncatedRecords += lost;
    stopProcess(ProcessState::Crashed, sim::Departure::PowerLoss); // the host is dark: no FIN, no RST
    context_.trace.record({ .time = context_.now(),
        .kind = "fault.power_loss",
        .broker = id_,
        .numbers = { { "offsets_lost", lost } },
        .message = "broker " + std::to_string(id_) + " lost power: " + std::to_string(lost)
            + " unflushed offset(s) vanished with the page cache (flush.messages / flush.ms decide what was on disk)" });
}

void Broker::shutdown()
{
    if (process_ != ProcessState::Running)
        return;
    process_ = ProcessState::ShuttingDown;
    context_.trace.record({ .time = context_.now(),
        .kind = "fault.broker_shutdown",
        .broker = id_,
        .message = "broker " + std::to_string(id_) + " begins a controlled shutdown" });
    sendHeartbeat(); // carries the shutdown request
}

void Broker::restart()
{
    if (process_ != ProcessState::Crashed && process_ != ProcessState::Stopped)
        return;
    std::int64_t truncatedBytes = 0;
    for (auto& [topicPartition, replica] : replicas_) {
        truncatedBytes += replica->log().recover();
        replica->producerState().truncate(replica->logEndOffset());
        // Until the controller says otherwise this replica follows; it must not serve as leader
        // with the epoch it had before it went down.
        replica->applyPartitionState(-1, replica->leaderEpoch(), replica->replicas(), replica->isr(), context_.now());
    }
    // The process lost its metadata cache with its memory: the next image is applied in full,
    // even if nothing changed while it was down.
    image_.reset();
    context_.trace.record({ .time = context_.now(),
        .kind = "fault.broker_restart",
        .broker = id_,
        .numbers = { { "recovered_bytes_truncated", truncatedBytes } },
        .message = "broker " + std::to_string(id_) + " restarted: log recovery checked every batch's CRC"
            + (truncatedBytes > 0 ? " and cut " + std::to_string(truncatedBytes) + " bytes of torn tail" : std::string()) });
    start();
}

Replica* Broker::replica(std::string_view topic, std::int32_t partition)
{
    Replica** found = replicaIndex_.find(topic, partition);
    return found ? *found : nullptr;
}

void Broker::applyMetadata(std::shared_ptr<const MetadataImage> published)
{
    if (!isOnline() || !published || (image_ && published->version <= image_->version))
        return;
    image_ = std::move(published);
    const MetadataImage& image = *image_;
    // Drop replicas of deleted topics or of partitions moved away from this broker.
    for (auto it = replicas_.begin(); it != replicas_.end();) {
        const PartitionInfo* info = image.partition(it->first.topic, it->first.partition);
        const bool hosted = info && std::find(info->replicas.begin(), info->replicas.end(), id_) != info->replicas.end();
        if (!hosted && it->first.topic == kOffsetsTopic && it->second->isLeader())
            groupCoordinator_->onResign(it->first.partition);
        it = hosted ? std::next(it) : replicas_.erase(it);
    }
    replicaIndex_.clear();
    for (const auto& [topicPartition, hosted] : replicas_)
        replicaIndex_(topicPartition.topic, topicPartition.partition) = hosted.get();
    for (const auto& [name, topic] : image.topics) {
        for (const PartitionInfo& partition : topic.partitions) {
            if (std::find(partition.replicas.begin(), partition.replicas.end(), id_) == partition.replicas.end())
                continue;
            TopicPartition topicPartition { name, partition.partition };
            auto& slot = replicas_[topicPartition];
            if (!slot) {
                slot = std::make_unique<Replica>(topicPartition, id_, topic.config, wallClockMs());
                replicaIndex_(name, partition.partition) = slot.get();
            }
            else if (!(slot->config() == topic.config))
                slot->setConfig(topic.config);
            const bool wasLeader = slot->isLeader();
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
                            + " in epoch " + std::to_string(partition.leaderEpoch) + " from offset "
                            + std::to_string(slot->logEndOffset()) });
                    tryCompleteFetches(topicPartition);
                    if (name == kOffsetsTopic)
                        groupCoordinator_->onBecomeLeader(*slot);
                } else if (wasLeader) {
                    // Parked produces can never complete here any more.
                    completeProduceWaiters(*slot);
                    if (name == kOffsetsTopic)
                        groupCoordinator_->onResign(partition.partition);
                }
            } else if (slot->isLeader() && slot->maybeIncrementHighWatermark()) {
                onHighWatermarkAdvanced(*slot); // a smaller ISR can move the HW
            }
        }
    }
    isrChangeInFlight_.clear();
    updateFetchers();
}

void Broker::sendHeartbeat()
{
    if (!isOnline())
        return;
    const std::uint64_t incarnation = incarnation_;
    const bool wantShutdown = process_ == ProcessState::ShuttingDown;
    cluster_.sendHeartbeat(id_, wantShutdown, processIncarnation_, [this, incarnation](const HeartbeatResponse& response) {
        if (incarnation != incarnation_ || !isOnline())
            return;
        if (response.fenced != fencedByController_) {
            fencedByController_ = response.fenced;
            if (response.fenced && process_ == ProcessState::Running) {
                context_.trace.record({ .time = context_.now(),
                    .kind = "broker.learned_fenced",
                    .broker = id_,
                    .message = "broker " + std::to_string(id_) + " learns from a heartbeat that it is fenced" });
            }
        }
        if (process_ == ProcessState::ShuttingDown && response.shutdownAllowed) {
            stopProcess(ProcessState::Stopped);
            context_.trace.record({ .time = context_.now(),
                .kind = "broker.stopped",
                .broker = id_,
                .message = "broker " + std::to_string(id_)
                    + " finished its controlled shutdown: no partition lost its leader unannounced" });
        }
    });
}

// ---------------------------------------------------------------- ISR

void Broker::scheduleIsrCheck()
{
    // Kafka checks for lagging followers every replica.lag.time.max.ms / 2.
    every(std::max<sim::SimTime>(1, config_.replicaLagTimeMaxMs * sim::kMicrosPerMs / 2), [this] { checkIsr(); });
}

void Broker::checkIsr()
{
    const sim::SimTime maxLag = config_.replicaLagTimeMaxMs * sim::kMicrosPerMs;
    for (auto& [topicPartition, replica] : replicas_) {
        if (!replica->isLeader() || isrChangeInFlight_.count(topicPartition))
            continue;
        std::vector<std::int32_t> isr;
        bool shrink = false;
        for (std::int32_t id : replica->isr()) {
            auto follower = replica->followers().find(id);
            const bool lagging = id != id_ && follower != replica->followers().end()
                && follower->second.logEndOffset < replica->logEndOffset()
                && context_.now() - follower->second.lastCaughtUpTime > maxLag;
            if (lagging)
                shrink = true;
            else
                isr.push_back(id);
        }
        if (shrink)
            proposeIsr(*replica, std::move(isr));
    }
}

void Broker::maybeExpandIsr(Replica& leader, std::int32_t follower)
{
    const auto& isr = leader.isr();
    if (std::find(isr.begin(), isr.end(), follower) != isr.end() || isrChangeInFlight_.count(leader.topicPartition()))
        return;
    auto state = leader.followers().find(follower);
    if (state == leader.followers().end())
        return;
    // Kafka: the follower rejoins once it has reached the HW and the start of the current epoch.
    const auto epochStart = leader.log().epochCache().entries();
    auto current = epochStart.find(leader.leaderEpoch());
    const std::int64_t epochStartOffset = current == epochStart.end() ? 0 : current->second;
    if (state->second.logEndOffset < leader.highWatermark() || state->second.logEndOffset < epochStartOffset)
        return;
    if (image_) {
        auto broker = image_->brokers.find(follower);
        if (broker == image_->brokers.end() || broker->second.state != BrokerState::Online)
            return; // KRaft keeps fenced brokers out of the ISR
    }
    std::vector<std::int32_t> expanded = isr;
    expanded.push_back(follower);
    proposeIsr(leader, std::move(expanded));
}

void Broker::proposeIsr(Replica& leader, std::vector<std::int32_t> isr)
{
    const PartitionInfo* info = image_ ? image_->partition(leader.topicPartition().topic, leader.topicPartition().partition)
                                       : nullptr;
    if (!info)
        return;
    isrChangeInFlight_.insert(leader.topicPartition());
    AlterPartitionRequest request { .brokerId = id_,
        .topic = leader.topicPartition().topic,
        .partition = leader.topicPartition().partition,
        .leaderEpoch = leader.leaderEpoch(),
        .partitionEpoch = info->partitionEpoch,
        .newIsr = std::move(isr) };
    const std::uint64_t incarnation = incarnation_;
    const TopicPartition topicPartition = leader.topicPartition();
    // The answer that matters arrives as new metadata; the reply only frees the slot.
    cluster_.sendAlterPartition(std::move(request), [this, incarnation, topicPartition](protocol::ErrorCode) {
        if (incarnation == incarnation_)
            isrChangeInFlight_.erase(topicPartition);
    });
}

// ---------------------------------------------------------------- Produce

void Broker::handleProduce(
    sim::NodeId /*from*/, protocol::ProduceRequest request, Responder<protocol::ProduceResponse> respond)
{
    ++counters_.produceRequests;
    if (diskDelay_ > 0) {
        // A slow disk delays the append, and with it the follower fetches that depend on it.
        const std::uint64_t incarnation = incarnation_;
        context_.scheduler.scheduleAfter(diskDelay_,
            [this, incarnation, request = std::move(request), respond = std::move(respond)]() mutable {
                if (incarnation == incarnation_)
                    produceAfterDisk(std::move(request), std::move(respond));
            });
        return;
    }
    produceAfterDisk(std::move(request), std::move(respond));
}

void Broker::produceAfterDisk(protocol::ProduceRequest request, Responder<protocol::ProduceResponse> respond)
{
    auto delayed = std::make_shared<DelayedProduce>();
    const std::int64_t nowMs = wallClockMs();
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
            } else if (diskFull_) {
                result.errorCode = ErrorCode::KAFKA_STORAGE_ERROR;
                result.errorMessage = "the log directory of broker " + std::to_string(id_) + " is full";
            } else if (log::BatchHeader sent; log::parseBatchHeader(data.bytes(), sent) == log::BatchError::None
                       && sent.producerId >= 0
                       && target->producerState().check(sent).verdict != ProducerState::Verdict::Append) {
                const ProducerState::Check check = target->producerState().check(sent);
                if (check.verdict == ProducerState::Verdict::Duplicate) {
                    // A retry of a batch already written: success with the original offsets.
                    result.baseOffset = check.firstOffset;
                    result.logStartOffset = target->logStartOffset();
                    context_.trace.record({ .time = context_.now(),
                        .kind = "produce.duplicate",
                        .eventClass = sim::EventClass::DataPath,
                        .broker = id_,
                        .topic = topicData.name,
                        .partition = data.index,
                        .numbers = { { "producer_id", sent.producerId }, { "base_offset", check.firstOffset } } });
                    if (request.acks == -1 && target->highWatermark() <= check.lastOffset)
                        delayed->pending.push_back({ topicPartition, t, p, check.lastOffset + 1 });
                } else if (check.verdict == ProducerState::Verdict::OutOfOrder) {
                    result.errorCode = ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER;
                    result.errorMessage = "sequence " + std::to_string(sent.baseSequence) + " leaves a gap";
                } else {
                    result.errorCode = ErrorCode::INVALID_PRODUCER_EPOCH;
                }
            } else {
                const log::AppendInfo info = target->log().appendAsLeader(data.bytes(), target->leaderEpoch(), nowMs);
                result.errorCode = appendError(info);
                if (info.ok()) {
                    if (log::BatchHeader appended;
                        log::parseBatchHeader(data.bytes(), appended) == log::BatchError::None
                        && appended.producerId >= 0) {
                        appended.baseOffset = info.firstOffset;
                        target->producerState().record(appended);
                    }
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
    replica.log().maybeFlush(wallClockMs());
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
            if (pending.done || pending.topicPartition != replica.topicPartition())
                continue;
            auto& result = produce->response.responses[pending.topicIndex].partitionResponses[pending.partitionIndex];
            if (!replica.isLeader()) {
                result.errorCode = ErrorCode::NOT_LEADER_OR_FOLLOWER;
                result.errorMessage = "leadership moved before the ISR acknowledged the batch";
            } else if (pending.requiredOffset <= highWatermark) {
                // Kafka's DelayedProduce: replicated, but the ISR shrank below min.insync.replicas
                // after the append, so the guarantee the producer asked for does not hold.
                if (static_cast<std::int32_t>(replica.isr().size()) < replica.config().minInsyncReplicas) {
                    result.errorCode = ErrorCode::NOT_ENOUGH_REPLICAS_AFTER_APPEND;
                    result.errorMessage = "the ISR shrank below min.insync.replicas after the append";
                }
            } else {
                continue;
            }
            pending.done = true;
            --produce->remaining;
            touched = true;
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

// ---------------------------------------------------------------- ListOffsets and Metadata

void Broker::handleListOffsets(protocol::ListOffsetsRequest request, Responder<protocol::ListOffsetsResponse> respond)
{
    protocol::ListOffsetsResponse response;
    for (const auto& topic : request.topics) {
        protocol::ListOffsetsTopicResponse topicResponse { topic.name, {} };
        for (const auto& partition : topic.partitions) {
            protocol::ListOffsetsPartitionResponse result;
            result.partitionIndex = partition.partitionIndex;
            Replica* target = replica(topic.name, partition.partitionIndex);
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
    static const MetadataImage none;
    const MetadataImage& image = image_ ? *image_ : none;
    if (request.topics && request.allowAutoTopicCreation && config_.autoCreateTopicsEnable) {
        for (const auto& name : *request.topics) {
            if (!cluster_.controller().image().topic(name) && !image.topic(name)) {
                cluster_.createTopic(name, config_.numPartitions, config_.defaultReplicationFactor, {});
                created.push_back(name);
            }
        }
    }
    protocol::MetadataResponse response;
    response.clusterId = image.clusterId;
    // KRaft brokers name a live broker as the controller: clients send admin requests there.
    response.controllerId = id_;
    for (const auto& [id, broker] : image.brokers) {
        if (broker.state == BrokerState::Offline)
            continue;
        response.brokers.push_back({ id, broker.host, broker.port,
            broker.rack.empty() ? std::nullopt : std::optional<std::string>(broker.rack) });
    }
    auto describe = [&](const TopicInfo& topic) {
        protocol::MetadataResponseTopic result;
        result.name = topic.name;
        result.topicId = topic.topicId;
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

// ---------------------------------------------------------------- Log tasks

void Broker::scheduleLogTasks()
{
    scheduleRetention();
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(kLogCleanerBackoff, [this, incarnation] {
        if (incarnation == incarnation_ && isOnline())
            runCleaner();
    });
}

void Broker::scheduleRetention()
{
    const std::uint64_t incarnation = incarnation_;
    context_.scheduler.scheduleAfter(config_.logRetentionCheckIntervalMs * sim::kMicrosPerMs, [this, incarnation] {
        if (incarnation == incarnation_ && isOnline()) {
            runRetention();
            scheduleRetention();
        }
    });
}

void Broker::runRetention()
{
    const std::int64_t nowMs = wallClockMs();
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
    const std::int64_t nowMs = wallClockMs();
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
        if (incarnation == incarnation_ && isOnline())
            runCleaner();
    });
}

} // namespace brokerlab::cluster
