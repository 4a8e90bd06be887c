#include "driver/externalclients.h"

#include "log/recordbatch.h"

#include <algorithm>

namespace brokerlab::driver {

namespace {

// Records of a fetch answer the client will hand to its application: whole batches come back, and the ones
// before the fetch offset are skipped by the client. Returns the count and the next offset after them.
std::pair<std::int64_t, std::int64_t> recordsFrom(std::span<const std::uint8_t> bytes, std::int64_t fetchOffset)
{
    std::int64_t records = 0;
    std::int64_t next = fetchOffset;
    log::BatchIterator batches(bytes, false);
    while (batches.next()) {
        const log::BatchHeader& header = batches.header();
        if (header.lastOffset() < fetchOffset)
            continue;
        if (!header.isControl())
            records += header.baseOffset >= fetchOffset ? header.recordCount : header.lastOffset() + 1 - fetchOffset;
        next = std::max(next, header.nextOffset());
    }
    return { records, next };
}

} // namespace

ExternalClients::PendingProduce ExternalClients::produceSent(
    const std::string& clientId, const protocol::ProduceRequest& request, sim::SimTime now)
{
    ProducerSnapshot& producer = producers_[clientId];
    producer.clientId = clientId;
    producer.external = true;
    producer.acks = request.acks;
    producer.config.acks = request.acks;
    ++producer.counters.requests;
    PendingProduce pending { clientId, {}, now };
    std::string topics = producer.topic;
    for (const auto& topic : request.topicData) {
        // The topics it writes to, in the order first seen ("orders, payments").
        const std::string separator = ", ";
        const std::string padded = separator + topics + separator;
        if (padded.find(separator + topic.name + separator) == std::string::npos)
            topics += (topics.empty() ? "" : separator) + topic.name;
        for (const auto& partition : topic.partitionData) {
            std::int64_t records = 0;
            log::BatchIterator batches(partition.bytes(), false);
            while (batches.next()) {
                const log::BatchHeader& header = batches.header();
                records += header.recordCount;
                ++producer.counters.batches;
                producer.counters.bytesSent += header.sizeInBytes();
                if (header.producerId >= 0)
                    producer.idempotent = producer.config.enableIdempotence = true;
            }
            producer.counters.produced += records;
            pending.records.emplace_back(protocol::TopicPartition { topic.name, partition.index }, records);
        }
    }
    producer.topic = std::move(topics);
    if (request.acks == 0) // nothing comes back: Kafka's clients count these as sent
        producer.counters.acked += producer.counters.produced - producer.counters.acked - producer.counters.failed;
    return pending;
}

void ExternalClients::produceAnswered(
    const PendingProduce& pending, const protocol::ProduceResponse& response, sim::SimTime now)
{
    ProducerSnapshot& producer = producers_[pending.clientId];
    for (const auto& topic : response.responses) {
        for (const auto& partition : topic.partitionResponses) {
            auto sent = std::find_if(pending.records.begin(), pending.records.end(), [&](const auto& entry) {
                return entry.first.topic == topic.name && entry.first.partition == partition.index;
            });
            const std::int64_t records = sent == pending.records.end() ? 0 : sent->second;
            if (partition.errorCode == protocol::ErrorCode::NONE) {
                producer.counters.acked += records;
                const std::int64_t latencyUs = now - pending.sentAt;
                producer.counters.latencySumUs += latencyUs * records;
                producer.counters.latencyMaxUs = std::max(producer.counters.latencyMaxUs, latencyUs);
                producer.counters.latency.add(latencyUs, records);
            } else if (protocol::isRetriable(partition.errorCode)) {
                ++producer.counters.retries; // the client sends the batch again
                producer.counters.produced -= records; // and it is counted then
            } else {
                producer.counters.failed += records;
            }
        }
    }
}

ConsumerSnapshot& ExternalClients::consumer(const std::string& clientId)
{
    ConsumerSnapshot& entry = consumers_[clientId];
    entry.clientId = clientId;
    entry.external = true;
    return entry;
}

ExternalClients::PendingFetch ExternalClients::fetchSent(
    const std::string& clientId, std::int32_t broker, const protocol::FetchRequest& request)
{
    ConsumerSnapshot& entry = consumer(clientId);
    ++entry.counters.fetchRequests;
    PendingFetch pending { clientId, broker, {} };
    for (const auto& topic : request.topics) {
        for (const auto& partition : topic.partitions)
            pending.fetchOffsets[{ topic.topic, partition.partition }] = partition.fetchOffset;
    }
    return pending;
}

void ExternalClients::fetchAnswered(const PendingFetch& pending, const protocol::FetchResponse& response)
{
    ConsumerSnapshot& entry = consumer(pending.clientId);
    if (response.errorCode != protocol::ErrorCode::NONE)
        ++entry.counters.errors;
    for (const auto& topic : response.responses) {
        for (const auto& partition : topic.partitions) {
            const protocol::TopicPartition topicPartition { topic.topic, partition.partitionIndex };
            auto offset = pending.fetchOffsets.find(topicPartition);
            if (offset == pending.fetchOffsets.end())
                continue;
            if (partition.errorCode != protocol::ErrorCode::NONE) {
                ++entry.counters.errors;
                continue;
            }
            const auto [records, next] = recordsFrom(partition.records, offset->second);
            entry.counters.consumed += records;
            entry.counters.bytesFetched += static_cast<std::int64_t>(partition.records.size());
            auto position = std::find_if(entry.positions.begin(), entry.positions.end(),
                [&](const client::PartitionPosition& p) { return p.topicPartition == topicPartition; });
            if (position == entry.positions.end()) {
                position = entry.positions.insert(
                    std::upper_bound(entry.positions.begin(), entry.positions.end(), topicPartition,
                        [](const protocol::TopicPartition& tp, const client::PartitionPosition& p) {
                            return tp < p.topicPartition;
                        }),
                    client::PartitionPosition { topicPartition });
            }
            position->position = next;
            position->highWatermark = partition.highWatermark;
            position->logStartOffset = partition.logStartOffset;
            position->leader = pending.broker;
        }
    }
}

void ExternalClients::joinAnswered(
    const std::string& clientId, const std::string& groupId, const protocol::JoinGroupResponse& response)
{
    ConsumerSnapshot& entry = consumer(clientId);
    entry.groupId = groupId;
    ++entry.groupCounters.joins;
    if (!response.memberId.empty())
        entry.memberId = response.memberId;
    if (response.errorCode == protocol::ErrorCode::NONE) {
        entry.generation = response.generationId;
        entry.memberState = "AwaitingSync";
    } else {
        entry.memberState = "Joining";
    }
}

void ExternalClients::syncAnswered(const std::string& clientId, protocol::ErrorCode error)
{
    ConsumerSnapshot& entry = consumer(clientId);
    if (error == protocol::ErrorCode::NONE) {
        entry.memberState = "Stable";
        ++entry.groupCounters.rebalances;
    } else {
        entry.memberState = "Joining";
    }
}

void ExternalClients::heartbeatAnswered(const std::string& clientId, protocol::ErrorCode error)
{
    ConsumerSnapshot& entry = consumer(clientId);
    ++entry.groupCounters.heartbeats;
    if (error == protocol::ErrorCode::REBALANCE_IN_PROGRESS)
        entry.memberState = "Joining"; // the member rejoins on this answer
}

void ExternalClients::commitAnswered(const std::string& clientId, const protocol::OffsetCommitResponse& response)
{
    ConsumerSnapshot& entry = consumer(clientId);
    bool ok = true;
    for (const auto& topic : response.topics) {
        for (const auto& partition : topic.partitions)
            ok = ok && partition.errorCode == protocol::ErrorCode::NONE;
    }
    ++(ok ? entry.groupCounters.commits : entry.groupCounters.commitFailures);
}

void ExternalClients::leaveSent(const std::string& clientId)
{
    ConsumerSnapshot& entry = consumer(clientId);
    entry.memberState = "Left";
}

void ExternalClients::addTo(Snapshot& snapshot) const
{
    for (const auto& [id, producer] : producers_)
        snapshot.producers.push_back(producer);
    for (const auto& [id, consumer] : consumers_)
        snapshot.consumers.push_back(consumer);
}

} // namespace brokerlab::driver
