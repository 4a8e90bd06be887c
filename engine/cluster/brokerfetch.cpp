#include "cluster/brokerinternal.h"
#include "cluster/cluster.h"

#include <algorithm>

// Fetch: the broker side of consumer and follower fetches (with the purgatory for long polls),
// and the follower side, the replica fetcher.

namespace brokerlab::cluster {

using protocol::ErrorCode;
using protocol::TopicPartition;

namespace {

// The leader's check of a follower's fetch position against its own epoch history (Kafka's
// Partition.fetchRecords): if the follower's last epoch ends earlier here, or is unknown, the
// follower holds records the leader never had, and must truncate.
bool divergence(const Replica& leader, std::int32_t lastFetchedEpoch, std::int64_t fetchOffset,
    protocol::FetchPartitionData& data)
{
    const auto [epoch, endOffset] = leader.log().epochCache().endOffsetFor(lastFetchedEpoch, leader.logEndOffset());
    if (epoch < 0 && endOffset < 0)
        return false; // nothing known: let the ordinary offset checks decide
    if (endOffset < fetchOffset || epoch < lastFetchedEpoch) {
        data.divergingEpoch = protocol::EpochEndOffset { epoch, endOffset };
        return true;
    }
    return false;
}

} // namespace

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
                Replica* leader = replica(topic.topic, partition.partition);
                if (!leader || !leader->isLeader())
                    continue;
                if (leader->recordFollowerFetch(fetch->request.replicaId, partition.fetchOffset, context_.now()))
                    onHighWatermarkAdvanced(*leader);
                maybeExpandIsr(*leader, fetch->request.replicaId);
            }
        }
    }
    if (fillFetchResponse(*fetch, fetch->request.maxWaitMs <= 0))
        return;
    for (const auto& topic : fetch->request.topics) {
        for (const auto& partition : topic.partitions)
            fetchWaiters_(topic.topic, partition.partition).push_back(fetch);
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
            Replica* target = replica(topic.topic, partition.partition);
            if (!target || !target->isLeader() || partition.fetchOffset < target->logStartOffset()
                || partition.fetchOffset > target->logEndOffset()) {
                anyError = true;
                continue;
            }
            const std::int64_t limit = fetch.follower() ? target->logEndOffset() : target->highWatermark();
            if (limit > partition.fetchOffset)
                anyData = true;
            protocol::FetchPartitionData probe;
            if (fetch.follower() && partition.lastFetchedEpoch >= 0
                && divergence(*target, partition.lastFetchedEpoch, partition.fetchOffset, probe))
                anyError = true;
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
            Replica* target = replica(topic.topic, partition.partition);
            if (!target) {
                data.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
            } else if (!target->isLeader()) {
                data.errorCode = ErrorCode::NOT_LEADER_OR_FOLLOWER;
            } else if (partition.currentLeaderEpoch >= 0 && partition.currentLeaderEpoch < target->leaderEpoch()) {
                data.errorCode = ErrorCode::FENCED_LEADER_EPOCH;
            } else if (partition.currentLeaderEpoch > target->leaderEpoch()) {
                data.errorCode = ErrorCode::UNKNOWN_LEADER_EPOCH;
            } else if (fetch.follower() && partition.lastFetchedEpoch >= 0
                && divergence(*target, partition.lastFetchedEpoch, partition.fetchOffset, data)) {
                data.highWatermark = target->highWatermark();
                data.logStartOffset = target->logStartOffset();
                anyError = true; // answer at once: the follower must truncate before it fetches again
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
                        data.crcVerified = read.crcVerified;
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
    auto* parked = fetchWaiters_.find(topicPartition.topic, topicPartition.partition);
    if (!parked || parked->empty())
        return;
    // Completing a fetch can trigger appends elsewhere (never here), so work on a copy.
    auto waiters = std::move(*parked);
    parked->clear();
    std::vector<std::shared_ptr<DelayedFetch>> still;
    for (auto& fetch : waiters) {
        if (!fetch->completed && !fillFetchResponse(*fetch, false))
            still.push_back(std::move(fetch));
    }
    if (!still.empty()) {
        auto& slot = fetchWaiters_(topicPartition.topic, topicPartition.partition);
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
            if (auto* parked = fetchWaiters_.find(topic.topic, partition.partition))
                std::erase_if(*parked, [](const auto& waiting) { return waiting->completed; });
        }
    }
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
    if (!isOnline() || it == fetchers_.end())
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
    const std::uint64_t incarnation = incarnation_;
    const bool sent = cluster_.sendFetch(
        id_, leader, std::move(request),
        [this, leader, requestId](
            protocol::FetchResponse&& response) { onFollowerFetchResponse(leader, requestId, std::move(response)); },
        [this, leader, requestId, incarnation] {
            // The leader's process died and closed the connection: the fetch fails at once.
            auto found = fetchers_.find(leader);
            if (incarnation != incarnation_ || found == fetchers_.end() || found->second->requestId != requestId
                || !found->second->inFlight)
                return;
            found->second->inFlight = false;
            ++found->second->requestId;
            retryFetchAfterBackoff(leader);
        });
    if (!sent) {
        // The leader refuses connections (it is down): try again after replica.fetch.backoff.ms.
        fetcher.inFlight = false;
        retryFetchAfterBackoff(leader);
        return;
    }
    if (!fetcher.timeoutArmed) {
        fetcher.timeoutArmed = true;
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
    if (!isOnline() || it == fetchers_.end() || it->second->requestId != requestId)
        return;
    Fetcher& fetcher = *it->second;
    bool hasRecords = false;
    for (const auto& topic : response.responses) {
        for (const auto& data : topic.partitions)
            hasRecords = hasRecords || !data.records.empty();
    }
    if (diskDelay_ > 0 && hasRecords && !fetcher.diskWritePending) {
        // A slow disk holds up the follower's append; the fetcher waits for it, so the follower
        // falls behind and, past replica.lag.time.max.ms, out of the ISR.
        fetcher.diskWritePending = true;
        const std::uint64_t incarnation = incarnation_;
        context_.scheduler.scheduleAfter(diskDelay_,
            [this, leader, requestId, incarnation, response = std::move(response)]() mutable {
                if (incarnation != incarnation_)
                    return;
                onFollowerFetchResponse(leader, requestId, std::move(response));
            });
        return;
    }
    fetcher.diskWritePending = false;
    fetcher.inFlight = false;
    bool backoff = response.errorCode != ErrorCode::NONE;
    const std::int64_t nowMs = wallClockMs();
    for (auto& topic : response.responses) {
        for (auto& data : topic.partitions) {
            Replica* follower = replica(topic.topic, data.partitionIndex);
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
            if (data.divergingEpoch) {
                // Truncate to where our history and the leader's agree (KIP-101/279/595).
                const auto [epoch, endOffset] = follower->log().epochCache().endOffsetFor(
                    data.divergingEpoch->epoch, follower->logEndOffset());
                std::int64_t target = std::min(data.divergingEpoch->endOffset, follower->logEndOffset());
                if (epoch == data.divergingEpoch->epoch)
                    target = std::min(target, endOffset);
                truncateFollower(*follower, target, "its log diverged from the leader's in epoch "
                        + std::to_string(data.divergingEpoch->epoch));
                continue;
            }
            if (!data.records.empty()) {
                const log::AppendInfo info
                    = follower->log().appendAsFollower(data.records, nowMs, !data.crcVerified);
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
                log::BatchIterator appended(data.records, false);
                while (appended.next())
                    follower->producerState().record(appended.header());
                follower->log().maybeFlush(nowMs);
            }
            if (data.logStartOffset > follower->logStartOffset() && data.logStartOffset <= follower->logEndOffset())
                follower->log().advanceLogStartOffset(data.logStartOffset);
            follower->updateFollowerHighWatermark(data.highWatermark);
        }
    }
    if (backoff) {
        retryFetchAfterBackoff(leader);
        return;
    }
    sendFollowerFetch(leader);
}

void Broker::retryFetchAfterBackoff(std::int32_t leader)
{
    auto it = fetchers_.find(leader);
    if (it == fetchers_.end())
        return;
    it->second->backoffPending = true;
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
}

void Broker::truncateFollower(Replica& follower, std::int64_t offset, const std::string& why)
{
    const std::int64_t before = follower.logEndOffset();
    if (offset >= before)
        return;
    follower.log().truncateTo(offset);
    follower.producerState().truncate(follower.logEndOffset());
    const std::int64_t removed = before - follower.logEndOffset();
    counters_.truncatedRecords += removed;
    counters_.epochTruncatedRecords += removed;
    context_.trace.record({ .time = context_.now(),
        .kind = "replica.truncated",
        .broker = id_,
        .topic = follower.topicPartition().topic,
        .partition = follower.topicPartition().partition,
        .numbers = { { "from_offset", before }, { "to_offset", follower.logEndOffset() } },
        .message = "broker " + std::to_string(id_) + " truncated " + follower.topicPartition().toString() + " from "
            + std::to_string(before) + " to " + std::to_string(follower.logEndOffset()) + ": " + why });
}

} // namespace brokerlab::cluster
