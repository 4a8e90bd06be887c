#include "client/producer.h"

#include <algorithm>
#include <cmath>

namespace brokerlab::client {

using protocol::ErrorCode;
using protocol::TopicPartition;

namespace {
constexpr std::int64_t kMaxRequestSize = 1048576; // max.request.size
constexpr std::int64_t kRecordOverhead = 16; // varint framing per record, for buffer.memory accounting
// The most a record's framing can add to its key and value (length, attributes, deltas, lengths
// and header count as varints): 5 + 1 + 10 + 5 + 5 + 5 + 5.
constexpr std::int64_t kMaxRecordOverhead = 36;
} // namespace

struct Producer::Batch {
    TopicPartition topicPartition;
    std::unique_ptr<log::BatchBuilder> builder; // while open; back to the pool once sealed
    protocol::SharedBytes bytes; // the sealed RecordBatch, shared with requests in flight
    std::int32_t recordCount = 0;
    std::int64_t firstRecordId = -1;
    std::int64_t reservedBytes = 0;
    sim::SimTime createdAt = 0;
    sim::SimTime retryAt = 0;
    std::int32_t attempts = 0;
    bool sealed = false;
    std::vector<std::uint64_t> recordHashes; // record tracking only
    std::vector<std::optional<std::string>> recordKeys;
    std::vector<std::int64_t> recordIds; // record id tracking only
};

struct Producer::PartitionQueue {
    std::int32_t partition = 0;
    std::int32_t leader = -1;
    std::unique_ptr<Batch> open;
    std::deque<std::unique_ptr<Batch>> ready;
    std::int32_t nextSequence = 0;
};

struct Producer::TopicState {
    std::string name;
    std::int32_t numPartitions = -1; // unknown until metadata arrives
    std::vector<PartitionQueue> queues;
    StickyPartitioner sticky;
};

struct Producer::InFlight {
    std::int32_t broker = 0;
    sim::SimTime sentAt = 0;
    std::vector<std::unique_ptr<Batch>> batches;
};

Producer::Producer(cluster::Cluster& cluster, ProducerConfig config, std::uint64_t seed)
    : cluster_(cluster)
    , context_(cluster.context())
    , config_(std::move(config))
    , rng_(seed)
    , node_(cluster.allocateClientNode())
{
    // Kafka: idempotence needs acks=all and at most 5 requests in flight; a producer configured
    // otherwise runs without it (the scenario loader rejects an explicit contradiction).
    if (config_.acks != -1 || config_.maxInFlightRequestsPerConnection > 5)
        config_.enableIdempotence = false;
}

Producer::~Producer() = default;

void Producer::start()
{
    context_.trace.record({ .time = context_.now(),
        .kind = "producer.started",
        .client = config_.clientId,
        .numbers = { { "acks", config_.acks } },
        .message = "producer '" + config_.clientId + "' started (acks=" + std::to_string(config_.acks)
            + (config_.enableIdempotence ? ", idempotent)" : ")") });
    // An idempotent producer asks a broker for its producer id first (InitProducerId); records
    // accumulate meanwhile, and none is sent before the id is known (Kafka's Sender does the same).
    if (config_.enableIdempotence)
        requestProducerId();
    requestMetadata();
}

bool Producer::awaitingProducerId() const
{
    return config_.enableIdempotence && producerId_ == log::kNoProducerId;
}

void Producer::requestProducerId()
{
    const sim::SimTime now = context_.now();
    if (producerIdRequestedAt_ != sim::kNever && now - producerIdRequestedAt_ < config_.requestTimeoutMs * sim::kMicrosPerMs)
        return; // one request at a time; a lost one is retried after request.timeout.ms
    const auto brokers = cluster_.brokerIds();
    for (std::size_t attempt = 0; attempt < brokers.size(); ++attempt) {
        const std::int32_t broker = brokers[static_cast<std::size_t>(bootstrapIndex_++) % brokers.size()];
        const std::uint64_t attemptId = ++producerIdAttempt_;
        if (cluster_.sendInitProducerId(
                node_, broker, protocol::InitProducerIdRequest {},
                [this, attemptId](
                    protocol::InitProducerIdResponse&& response) { onProducerId(attemptId, std::move(response)); },
                [this, attemptId] {
                    if (!awaitingProducerId() || producerIdAttempt_ != attemptId)
                        return;
                    producerIdRequestedAt_ = sim::kNever; // the broker died: ask another one after the backoff
                    context_.scheduler.scheduleAfter(
                        config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestProducerId(); });
                })) {
            producerIdRequestedAt_ = now;
            context_.scheduler.scheduleAfter(config_.requestTimeoutMs * sim::kMicrosPerMs, [this, attemptId] {
                if (awaitingProducerId() && producerIdAttempt_ == attemptId) {
                    producerIdRequestedAt_ = sim::kNever;
                    requestProducerId();
                }
            });
            return;
        }
    }
    producerIdRequestedAt_ = sim::kNever;
    context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestProducerId(); });
}

void Producer::onProducerId(std::uint64_t attemptId, protocol::InitProducerIdResponse&& response)
{
    if (!awaitingProducerId() || attemptId != producerIdAttempt_)
        return; // an answer to a request already given up on
    producerIdRequestedAt_ = sim::kNever;
    if (response.errorCode != ErrorCode::NONE) {
        context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestProducerId(); });
        return;
    }
    producerId_ = response.producerId;
    producerEpoch_ = response.producerEpoch;
    context_.trace.record({ .time = context_.now(),
        .kind = "producer.id_received",
        .client = config_.clientId,
        .numbers = { { "producer_id", producerId_ }, { "producer_epoch", producerEpoch_ } },
        .message = "producer '" + config_.clientId + "' got producer id " + std::to_string(producerId_) + ", epoch "
            + std::to_string(producerEpoch_) });
    runSender();
}

bool Producer::idle() const { return counters_.bufferedBytes == 0 && inFlight_.empty(); }

Producer::TopicState& Producer::topicState(const std::string& topic)
{
    auto& slot = topics_[topic];
    if (!slot) {
        slot = std::make_unique<TopicState>();
        slot->name = topic;
    }
    return *slot;
}

// ---------------------------------------------------------------- Application side

void Producer::runWorkload(WorkloadPlan plan)
{
    topicState(plan.topic);
    PlanState state;
    state.plan = std::move(plan);
    state.workload = std::make_unique<Workload>(state.plan.workload, rng_.next());
    state.lastTick = std::max(state.plan.start, context_.now());
    plans_.push_back(std::move(state));
    const std::size_t index = plans_.size() - 1;
    context_.scheduler.scheduleAt(plans_[index].lastTick, [this, index] { workloadTick(index); });
}

void Producer::stopWorkloads()
{
    for (auto& plan : plans_)
        plan.stopped = true;
}

void Producer::workloadTick(std::size_t index)
{
    PlanState& state = plans_[index];
    if (state.stopped)
        return;
    const sim::SimTime now = context_.now();
    TopicState& topic = topicState(state.plan.topic);
    auto finished = [&] {
        return now >= state.plan.stop || (state.plan.maxRecords >= 0 && state.generated >= state.plan.maxRecords);
    };
    if (finished()) {
        state.stopped = true;
        return;
    }
    if (topic.numPartitions < 0) {
        requestMetadata();
        state.lastTick = now;
        context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this, index] { workloadTick(index); });
        return;
    }
    const bool unlimitedRate = state.plan.ratePerSec <= 0;
    std::int64_t owed;
    if (unlimitedRate) {
        owed = INT64_MAX;
    } else {
        state.credit += static_cast<double>(now - state.lastTick) * state.plan.ratePerSec / 1e6;
        owed = static_cast<std::int64_t>(std::floor(state.credit));
    }
    state.lastTick = now;
    if (state.plan.maxRecords >= 0)
        owed = std::min(owed, state.plan.maxRecords - state.generated);
    const std::vector<log::RecordHeader> noHeaders;
    const std::int64_t timestampMs = context_.nowMs();
    std::int64_t made = 0;
    state.waitingForMemory = false;
    while (made < owed) {
        if (counters_.bufferedBytes >= config_.bufferMemory) {
            state.waitingForMemory = true; // the application blocks in send() until memory frees
            break;
        }
        state.workload->next(state.generated, timestampMs, state.scratch);
        const GeneratedRecord& record = state.scratch;
        if (!append(topic, state.plan.partition, record.nullKey ? nullptr : &record.key,
                record.nullValue ? nullptr : &record.value, record.headers))
            break;
        if (workloadListener_)
            workloadListener_(record);
        ++state.generated;
        ++made;
    }
    if (!unlimitedRate)
        state.credit -= static_cast<double>(made);
    if (finished()) {
        state.stopped = true;
        return;
    }
    if (state.waitingForMemory)
        return; // complete() reschedules the tick
    if (unlimitedRate)
        return;
    const auto interval = std::max<sim::SimTime>(sim::kMicrosPerMs, static_cast<sim::SimTime>(1e6 / state.plan.ratePerSec));
    context_.scheduler.scheduleAfter(interval, [this, index] { workloadTick(index); });
}

bool Producer::send(const std::string& topic, std::optional<std::int32_t> partition, const std::string* key,
    const std::string* value, const std::vector<log::RecordHeader>& headers, std::optional<std::int64_t> timestampMs)
{
    TopicState& state = topicState(topic);
    if (state.numPartitions < 0) {
        requestMetadata();
        return false;
    }
    if (counters_.bufferedBytes >= config_.bufferMemory)
        return false;
    return append(state, partition, key, value, headers, timestampMs);
}

bool Producer::append(TopicState& topic, std::optional<std::int32_t> explicitPartition, const std::string* key,
    const std::string* value, const std::vector<log::RecordHeader>& headers, std::optional<std::int64_t> timestampMs)
{
    std::int32_t partition;
    if (explicitPartition) {
        if (*explicitPartition < 0 || *explicitPartition >= topic.numPartitions)
            return false;
        partition = *explicitPartition;
    } else if (key) {
        partition = partitionForKey(
            { reinterpret_cast<const std::uint8_t*>(key->data()), key->size() }, topic.numPartitions);
    } else {
        partition = topic.sticky.partition(topic.numPartitions, rng_);
    }
    PartitionQueue& queue = topic.queues[static_cast<std::size_t>(partition)];
    const std::int64_t timestamp = timestampMs.value_or(context_.nowMs());
    const std::span<const std::uint8_t> keyBytes = key
        ? std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(key->data()), key->size())
        : std::span<const std::uint8_t>();
    const std::span<const std::uint8_t> valueBytes = value
        ? std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(value->data()), value->size())
        : std::span<const std::uint8_t>();
    // Exact sizing (hasRoomFor) only matters near batch.size; far below it a generous bound decides.
    const bool clearlyFits = queue.open && headers.empty()
        && static_cast<std::int64_t>(queue.open->builder->estimatedSizeInBytes() + keyBytes.size() + valueBytes.size())
                + kMaxRecordOverhead
            < config_.batchSize;
    if (queue.open && !clearlyFits
        && !queue.open->builder->hasRoomFor(timestamp, keyBytes, !key, valueBytes, !value, headers)) {
        sealBatch(queue);
        if (!explicitPartition && !key && topic.sticky.current() == partition)
            topic.sticky.onNewBatch(topic.numPartitions, rng_);
    }
    if (!queue.open) {
        auto batch = std::make_unique<Batch>();
        batch->topicPartition = { topic.name, partition };
        if (builderPool_.empty()) {
            batch->builder = std::make_unique<log::BatchBuilder>();
        } else {
            batch->builder = std::move(builderPool_.back());
            builderPool_.pop_back();
        }
        batch->builder->reset({ .compression = config_.compression,
            .producerId = producerId_,
            .producerEpoch = producerEpoch_,
            .baseSequence = log::kNoSequence,
            .transactional = false,
            .batchSizeLimit = config_.batchSize });
        batch->createdAt = context_.now();
        batch->firstRecordId = nextRecordId_;
        queue.open = std::move(batch);
        wakeSender(context_.now() + config_.lingerMs * sim::kMicrosPerMs);
    }
    Batch& batch = *queue.open;
    batch.builder->append(timestamp, keyBytes, !key, valueBytes, !value, headers);
    ++batch.recordCount;
    if (trackRecordIds_)
        batch.recordIds.push_back(nextRecordId_);
    if (hasher_) {
        const auto keyView = key ? std::optional<std::string_view>(*key) : std::nullopt;
        batch.recordHashes.push_back(hasher_(keyView, value ? std::optional<std::string_view>(*value) : std::nullopt));
        batch.recordKeys.push_back(key ? std::optional<std::string>(*key) : std::nullopt);
    }
    const std::int64_t size = static_cast<std::int64_t>(keyBytes.size() + valueBytes.size()) + kRecordOverhead;
    batch.reservedBytes += size;
    counters_.bufferedBytes += size;
    ++counters_.produced;
    ++nextRecordId_;
    if (static_cast<std::int64_t>(batch.builder->estimatedSizeInBytes()) >= config_.batchSize) {
        sealBatch(queue);
        if (!explicitPartition && !key && topic.sticky.current() == partition)
            topic.sticky.onNewBatch(topic.numPartitions, rng_);
    }
    return true;
}

void Producer::sealBatch(PartitionQueue& queue)
{
    std::unique_ptr<Batch> batch = std::move(queue.open);
    if (!batch || batch->recordCount == 0)
        return;
    queue.ready.push_back(std::move(batch));
    // Without its producer id an idempotent producer cannot number the batch yet: it is closed
    // for appends now and built when the sender drains it.
    if (!awaitingProducerId())
        buildBatch(queue, *queue.ready.back());
    wakeSender(context_.now());
}

void Producer::buildBatch(PartitionQueue& queue, Batch& batch)
{
    if (producerId_ != log::kNoProducerId) {
        // Sequence numbers are per partition and assigned once: a retry re-sends the same bytes.
        auto options = log::BatchBuilder::Options { .compression = config_.compression,
            .producerId = producerId_,
            .producerEpoch = producerEpoch_,
            .baseSequence = queue.nextSequence,
            .transactional = false,
            .batchSizeLimit = config_.batchSize };
        batch.builder->setProducerState(options.producerId, options.producerEpoch, options.baseSequence);
        queue.nextSequence += batch.recordCount;
    }
    batch.bytes = std::make_shared<const log::Bytes>(batch.builder->build());
    counters_.uncompressedBytes += static_cast<std::int64_t>(batch.builder->uncompressedRecordsBytes());
    // The builder's buffers are reused by the next batch: no allocation per batch.
    builderPool_.push_back(std::move(batch.builder));
    batch.sealed = true;
}

// ---------------------------------------------------------------- Sender

void Producer::wakeSender(sim::SimTime at)
{
    at = std::max(at, context_.now());
    if (at >= senderWakeAt_)
        return;
    senderWakeAt_ = at;
    context_.scheduler.scheduleAt(at, [this, at] {
        if (senderWakeAt_ == at)
            senderWakeAt_ = sim::kNever;
        runSender();
    });
}

void Producer::runSender()
{
    expireTimedOut();
    if (awaitingProducerId())
        return; // onProducerId() runs the sender
    const sim::SimTime now = context_.now();
    const sim::SimTime linger = config_.lingerMs * sim::kMicrosPerMs;
    sim::SimTime nextWake = sim::kNever;
    bool needMetadata = false;
    std::map<std::int32_t, std::vector<std::unique_ptr<Batch>>> drained;
    std::map<std::int32_t, std::int64_t> drainedBytes;
    for (auto& [name, topic] : topics_) {
        for (auto& queue : topic->queues) {
            // As in Kafka's RecordAccumulator, a batch stays open for more records until the
            // sender drains it: linger.ms only makes it eligible. A batch that waits for a free
            // in-flight slot keeps filling, so a slow cluster gets fuller batches, not more.
            const bool openExpired = queue.open && now - queue.open->createdAt >= linger;
            if (queue.open && !openExpired)
                nextWake = std::min(nextWake, queue.open->createdAt + linger);
            if (queue.ready.empty() && !openExpired)
                continue;
            if (queue.leader < 0) {
                needMetadata = true;
                continue;
            }
            if (!queue.ready.empty() && queue.ready.front()->retryAt > now) {
                nextWake = std::min(nextWake, queue.ready.front()->retryAt);
                continue;
            }
            if (inFlightPerBroker_[queue.leader] >= config_.maxInFlightRequestsPerConnection)
                continue;
            if (queue.ready.empty()) {
                sealBatch(queue);
                if (topic->sticky.current() == queue.partition)
                    topic->sticky.onNewBatch(topic->numPartitions, rng_);
            }
            Batch& head = *queue.ready.front();
            if (!head.sealed)
                buildBatch(queue, head);
            auto& bytes = drainedBytes[queue.leader];
            if (bytes > 0 && bytes + static_cast<std::int64_t>(head.bytes->size()) > kMaxRequestSize)
                continue;
            bytes += static_cast<std::int64_t>(head.bytes->size());
            drained[queue.leader].push_back(std::move(queue.ready.front()));
            queue.ready.pop_front();
        }
    }
    for (auto& [broker, batches] : drained)
        sendTo(broker, std::move(batches));
    if (needMetadata)
        requestMetadata();
    if (nextWake != sim::kNever)
        wakeSender(nextWake);
}

void Producer::sendTo(std::int32_t broker, std::vector<std::unique_ptr<Batch>> batches)
{
    protocol::ProduceRequest request;
    request.acks = config_.acks;
    request.timeoutMs = static_cast<std::int32_t>(config_.requestTimeoutMs);
    for (auto& batch : batches) {
        if (request.topicData.empty() || request.topicData.back().name != batch->topicPartition.topic)
            request.topicData.push_back({ batch->topicPartition.topic, {} });
        // The batch keeps its bytes for a retry; the request shares them.
        request.topicData.back().partitionData.push_back({ batch->topicPartition.partition, batch->bytes });
        ++batch->attempts;
        ++counters_.batches;
        counters_.bytesSent += static_cast<std::int64_t>(batch->bytes->size());
    }
    ++counters_.requests;
    const std::uint64_t requestId = nextRequestId_++;
    auto inFlight = std::make_unique<InFlight>();
    inFlight->broker = broker;
    inFlight->sentAt = context_.now();
    inFlight->batches = std::move(batches);
    cluster::OnDisconnect onDisconnect;
    if (config_.acks != 0) {
        // The leader's process died: Kafka's Sender fails the request with NETWORK_EXCEPTION at once.
        onDisconnect = [this, requestId, broker] {
            failInFlight(requestId, ErrorCode::NETWORK_EXCEPTION,
                "the connection to broker " + std::to_string(broker) + " closed");
            runSender();
        };
    }
    const bool sent = cluster_.sendProduce(
        node_, broker, std::move(request),
        [this, requestId](protocol::ProduceResponse&& response) { onProduceResponse(requestId, std::move(response)); },
        std::move(onDisconnect));
    if (config_.acks == 0 || !sent) {
        // acks=0: done once written to the socket. Not sent: the connection is refused at once.
        for (auto& batch : inFlight->batches) {
            if (sent)
                complete(std::move(batch), -1, ErrorCode::NONE, {});
            else
                failOrRetry(std::move(batch), ErrorCode::NETWORK_EXCEPTION, "connection to broker refused");
        }
        return;
    }
    ++inFlightPerBroker_[broker];
    ++counters_.inFlightRequests;
    inFlight_.emplace(requestId, std::move(inFlight));
    if (!timeoutArmed_) {
        timeoutArmed_ = true;
        context_.scheduler.scheduleAfter(config_.requestTimeoutMs * sim::kMicrosPerMs, [this] {
            timeoutArmed_ = false;
            runSender();
        });
    }
}

void Producer::onProduceResponse(std::uint64_t requestId, protocol::ProduceResponse&& response)
{
    auto it = inFlight_.find(requestId);
    if (it == inFlight_.end())
        return; // timed out already
    std::unique_ptr<InFlight> inFlight = std::move(it->second);
    inFlight_.erase(it);
    --inFlightPerBroker_[inFlight->broker];
    --counters_.inFlightRequests;
    for (auto& batch : inFlight->batches) {
        const protocol::ProducePartitionResponse* result = nullptr;
        for (const auto& topic : response.responses) {
            if (topic.name != batch->topicPartition.topic)
                continue;
            for (const auto& partition : topic.partitionResponses) {
                if (partition.index == batch->topicPartition.partition)
                    result = &partition;
            }
        }
        if (!result)
            failOrRetry(std::move(batch), ErrorCode::UNKNOWN_SERVER_ERROR, "no response for the partition");
        else if (result->errorCode == ErrorCode::NONE)
            complete(std::move(batch), result->baseOffset, ErrorCode::NONE, {});
        else
            failOrRetry(std::move(batch), result->errorCode, result->errorMessage);
    }
    runSender();
}

void Producer::failInFlight(std::uint64_t requestId, ErrorCode error, const std::string& message)
{
    auto node = inFlight_.extract(requestId);
    if (node.empty())
        return; // answered or given up on already
    --inFlightPerBroker_[node.mapped()->broker];
    --counters_.inFlightRequests;
    for (auto& batch : node.mapped()->batches)
        failOrRetry(std::move(batch), error, message);
}

void Producer::failOrRetry(std::unique_ptr<Batch> batch, ErrorCode error, std::string message)
{
    const sim::SimTime now = context_.now();
    const sim::SimTime retryAt = now + config_.retryBackoffMs * sim::kMicrosPerMs;
    const bool withinDeadline = retryAt < batch->createdAt + config_.deliveryTimeoutMs * sim::kMicrosPerMs;
    // An idempotent producer retries a sequence gap: the batch before it is being retried too,
    // and the broker accepts this one once that one has landed.
    const bool retriable = protocol::isRetriable(error)
        || (producerId_ != log::kNoProducerId && error == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
    if (retriable && batch->attempts <= config_.retries && withinDeadline) {
        if (protocol::invalidatesMetadata(error))
            requestMetadata();
        ++counters_.retries;
        batch->retryAt = retryAt;
        context_.trace.record({ .time = now,
            .kind = "producer.retry",
            .eventClass = sim::EventClass::DataPath,
            .topic = batch->topicPartition.topic,
            .partition = batch->topicPartition.partition,
            .client = config_.clientId,
            .numbers = { { "error_code", static_cast<std::int64_t>(error) }, { "attempt", batch->attempts } } });
        TopicState& topic = topicState(batch->topicPartition.topic);
        auto& queue = topic.queues[static_cast<std::size_t>(batch->topicPartition.partition)];
        // Kafka re-enqueues a retried batch at the front. An idempotent producer keeps its
        // batches in sequence order (insertInSequenceOrder); without idempotence, batches that
        // fail together can swap places, which is how Kafka reorders with retries and
        // max.in.flight.requests.per.connection > 1.
        if (producerId_ != log::kNoProducerId) {
            auto at = queue.ready.begin();
            while (at != queue.ready.end() && (*at)->firstRecordId < batch->firstRecordId)
                ++at;
            queue.ready.insert(at, std::move(batch));
        } else {
            queue.ready.push_front(std::move(batch));
        }
        wakeSender(retryAt);
        return;
    }
    complete(std::move(batch), -1, error, std::move(message));
}

void Producer::complete(std::unique_ptr<Batch> batch, std::int64_t baseOffset, ErrorCode error, std::string message)
{
    const sim::SimTime now = context_.now();
    counters_.bufferedBytes -= batch->reservedBytes;
    if (error == ErrorCode::NONE) {
        counters_.acked += batch->recordCount;
        const sim::SimTime latency = now - batch->createdAt;
        counters_.latencySumUs += latency * batch->recordCount;
        counters_.latencyMaxUs = std::max(counters_.latencyMaxUs, latency);
        counters_.latency.add(latency, batch->recordCount);
        context_.trace.record({ .time = now,
            .kind = "producer.ack",
            .eventClass = sim::EventClass::DataPath,
            .topic = batch->topicPartition.topic,
            .partition = batch->topicPartition.partition,
            .client = config_.clientId,
            .numbers = { { "base_offset", baseOffset }, { "records", batch->recordCount } } });
    } else {
        counters_.failed += batch->recordCount;
        context_.trace.record({ .time = now,
            .kind = "producer.delivery_failed",
            .topic = batch->topicPartition.topic,
            .partition = batch->topicPartition.partition,
            .client = config_.clientId,
            .numbers = { { "error_code", static_cast<std::int64_t>(error) }, { "records", batch->recordCount } },
            .message = std::to_string(batch->recordCount) + " record(s) failed: " + std::string(protocol::errorName(error))
                + (message.empty() ? "" : " (" + message + ")") });
    }
    if (deliveryListener_) {
        deliveryListener_({ .topicPartition = batch->topicPartition,
            .baseOffset = baseOffset,
            .recordCount = batch->recordCount,
            .error = error,
            .errorMessage = std::move(message),
            .firstRecordId = batch->firstRecordId,
            .createdAt = batch->createdAt,
            .completedAt = now,
            .recordHashes = hasher_ ? &batch->recordHashes : nullptr,
            .recordKeys = hasher_ ? &batch->recordKeys : nullptr,
            .recordIds = trackRecordIds_ ? &batch->recordIds : nullptr });
    }
    for (std::size_t i = 0; i < plans_.size(); ++i) {
        if (plans_[i].waitingForMemory && counters_.bufferedBytes < config_.bufferMemory) {
            plans_[i].waitingForMemory = false;
            context_.scheduler.scheduleAt(now, [this, i] { workloadTick(i); });
        }
    }
}

void Producer::expireTimedOut()
{
    const sim::SimTime now = context_.now();
    const sim::SimTime requestTimeout = config_.requestTimeoutMs * sim::kMicrosPerMs;
    std::vector<std::uint64_t> expired;
    sim::SimTime earliest = sim::kNever;
    for (const auto& [id, inFlight] : inFlight_) {
        if (inFlight->sentAt + requestTimeout <= now)
            expired.push_back(id);
        else
            earliest = std::min(earliest, inFlight->sentAt + requestTimeout);
    }
    for (std::uint64_t id : expired)
        failInFlight(id, ErrorCode::REQUEST_TIMED_OUT, "no response within request.timeout.ms");
    const sim::SimTime deliveryTimeout = config_.deliveryTimeoutMs * sim::kMicrosPerMs;
    for (auto& [name, topic] : topics_) {
        for (auto& queue : topic->queues) {
            if (queue.ready.empty() && queue.open && queue.open->createdAt + deliveryTimeout <= now)
                sealBatch(queue); // an open batch that waited too long expires like the others
            while (!queue.ready.empty() && queue.ready.front()->createdAt + deliveryTimeout <= now) {
                auto batch = std::move(queue.ready.front());
                queue.ready.pop_front();
                complete(std::move(batch), -1, ErrorCode::REQUEST_TIMED_OUT, "delivery.timeout.ms expired");
            }
            if (!queue.ready.empty())
                earliest = std::min(earliest, queue.ready.front()->createdAt + deliveryTimeout);
        }
    }
    if (earliest != sim::kNever && !timeoutArmed_) {
        timeoutArmed_ = true;
        context_.scheduler.scheduleAt(earliest, [this] {
            timeoutArmed_ = false;
            runSender();
        });
    }
}

// ---------------------------------------------------------------- Metadata

void Producer::requestMetadata()
{
    const sim::SimTime now = context_.now();
    if (metadataInFlight_ && now - metadataRequestedAt_ < config_.requestTimeoutMs * sim::kMicrosPerMs)
        return;
    const auto brokers = cluster_.brokerIds();
    if (brokers.empty())
        return;
    metadataInFlight_ = true;
    metadataRequestedAt_ = now;
    protocol::MetadataRequest request;
    request.topics = std::vector<std::string>();
    for (const auto& [name, topic] : topics_)
        request.topics->push_back(name);
    // Try the bootstrap brokers in turn, as a client whose connection attempt fails moves on.
    for (std::size_t attempt = 0; attempt < brokers.size(); ++attempt) {
        const std::int32_t broker = brokers[static_cast<std::size_t>(bootstrapIndex_++) % brokers.size()];
        if (cluster_.sendMetadata(
                node_, broker, request,
                [this](protocol::MetadataResponse&& response) { onMetadata(std::move(response)); },
                [this, now] { onMetadataDisconnect(now); }))
            return;
    }
    metadataInFlight_ = false;
    context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestMetadata(); });
}

void Producer::onMetadataDisconnect(sim::SimTime requestedAt)
{
    if (!metadataInFlight_ || metadataRequestedAt_ != requestedAt)
        return; // not the request in flight
    metadataInFlight_ = false;
    context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestMetadata(); });
}

void Producer::onMetadata(protocol::MetadataResponse&& response)
{
    metadataInFlight_ = false;
    bool retry = false;
    for (const auto& topicMetadata : response.topics) {
        auto it = topics_.find(topicMetadata.name);
        if (it == topics_.end())
            continue;
        TopicState& topic = *it->second;
        if (topicMetadata.errorCode != ErrorCode::NONE || topicMetadata.partitions.empty()) {
            retry = true;
            continue;
        }
        const auto count = static_cast<std::int32_t>(topicMetadata.partitions.size());
        if (topic.numPartitions < count) {
            topic.queues.resize(static_cast<std::size_t>(count));
            for (std::int32_t p = 0; p < count; ++p)
                topic.queues[static_cast<std::size_t>(p)].partition = p;
            topic.numPartitions = count;
        }
        for (const auto& partition : topicMetadata.partitions) {
            if (partition.partitionIndex < 0 || partition.partitionIndex >= topic.numPartitions)
                continue;
            topic.queues[static_cast<std::size_t>(partition.partitionIndex)].leader = partition.leaderId;
            if (partition.leaderId < 0)
                retry = true;
        }
    }
    if (retry)
        context_.scheduler.scheduleAfter(config_.retryBackoffMs * sim::kMicrosPerMs, [this] { requestMetadata(); });
    runSender();
}

} // namespace brokerlab::client
