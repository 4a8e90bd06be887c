#pragma once
// Kafka's API messages as plain C++ values. Field names follow the message definitions in
// Kafka's clients/src/main/resources/common/message/*.json. Simulated clients and brokers exchange
// these over the simulated network; the wire layer decodes real clients' bytes into the same types.

#include "log/record.h"
#include "log/sharedrecords.h"
#include "protocol/errors.h"

#include <cstdint>
#include <memory>
#include <span>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::protocol {

inline constexpr std::int32_t kConsumerReplicaId = -1; // Fetch/ListOffsets from a consumer

// ---- Produce (ApiKey 0)
// Record bytes shared between a producer (which keeps them for a retry) and the request in flight,
// so sending a batch never copies it.
using SharedBytes = std::shared_ptr<const log::Bytes>;

struct ProducePartitionData {
    std::int32_t index = 0;
    SharedBytes records; // one RecordBatch v2 (Kafka clients send one per partition); may be null
    std::span<const std::uint8_t> bytes() const
    {
        return records ? std::span<const std::uint8_t>(*records) : std::span<const std::uint8_t>();
    }
};
struct ProduceTopicData {
    std::string name;
    std::vector<ProducePartitionData> partitionData;
};
struct ProduceRequest {
    std::optional<std::string> transactionalId;
    std::int16_t acks = -1;
    std::int32_t timeoutMs = 30000;
    std::vector<ProduceTopicData> topicData;
};
struct ProducePartitionResponse {
    std::int32_t index = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::int64_t baseOffset = -1;
    std::int64_t logAppendTimeMs = -1;
    std::int64_t logStartOffset = -1;
    std::string errorMessage;
};
struct ProduceTopicResponse {
    std::string name;
    std::vector<ProducePartitionResponse> partitionResponses;
};
struct ProduceResponse {
    std::vector<ProduceTopicResponse> responses;
    std::int32_t throttleTimeMs = 0;
};

// ---- Fetch (ApiKey 1)
enum class IsolationLevel : std::int8_t { ReadUncommitted = 0, ReadCommitted = 1 };
struct FetchPartition {
    std::int32_t partition = 0;
    std::int32_t currentLeaderEpoch = -1;
    std::int64_t fetchOffset = 0;
    std::int32_t lastFetchedEpoch = -1;
    std::int64_t logStartOffset = -1;
    std::int32_t partitionMaxBytes = 1048576;
};
struct FetchTopic {
    std::string topic;
    std::vector<FetchPartition> partitions;
};
struct FetchRequest {
    std::int32_t replicaId = kConsumerReplicaId; // a broker id when a follower fetches
    std::int32_t maxWaitMs = 500;
    std::int32_t minBytes = 1;
    std::int32_t maxBytes = 52428800;
    IsolationLevel isolationLevel = IsolationLevel::ReadUncommitted;
    std::vector<FetchTopic> topics;
};
struct EpochEndOffset {
    std::int32_t epoch = -1;
    std::int64_t endOffset = -1;
};
struct FetchPartitionData {
    std::int32_t partitionIndex = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::int64_t highWatermark = -1;
    std::int64_t lastStableOffset = -1;
    std::int64_t logStartOffset = -1;
    // Fetch v12+ (KIP-595): set when the follower's log diverged from the leader's; the follower
    // truncates to it before fetching again (replaces OffsetsForLeaderEpoch, KIP-279).
    std::optional<EpochEndOffset> divergingEpoch;
    // Shared with the leader's log (log::ReadInfo): the answer and the follower's log hold the
    // leader's bytes instead of copies.
    log::SharedRecords records;
    // Not on the wire: the leader read `records` from a log whose every batch passed a CRC check and
    // none was corrupted since (log::ReadInfo::crcVerified), so its follower need not check again.
    bool crcVerified = false;
};
struct FetchableTopicResponse {
    std::string topic;
    std::vector<FetchPartitionData> partitions;
};
struct FetchResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::vector<FetchableTopicResponse> responses;
};

// ---- ListOffsets (ApiKey 2)
inline constexpr std::int64_t kLatestTimestamp = -1;
inline constexpr std::int64_t kEarliestTimestamp = -2;
struct ListOffsetsPartition {
    std::int32_t partitionIndex = 0;
    std::int32_t currentLeaderEpoch = -1;
    std::int64_t timestamp = kLatestTimestamp;
};
struct ListOffsetsTopic {
    std::string name;
    std::vector<ListOffsetsPartition> partitions;
};
struct ListOffsetsRequest {
    std::int32_t replicaId = kConsumerReplicaId;
    IsolationLevel isolationLevel = IsolationLevel::ReadUncommitted;
    std::vector<ListOffsetsTopic> topics;
};
struct ListOffsetsPartitionResponse {
    std::int32_t partitionIndex = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::int64_t timestamp = -1;
    std::int64_t offset = -1;
    std::int32_t leaderEpoch = -1;
};
struct ListOffsetsTopicResponse {
    std::string name;
    std::vector<ListOffsetsPartitionResponse> partitions;
};
struct ListOffsetsResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<ListOffsetsTopicResponse> topics;
};

// ---- Metadata (ApiKey 3)
struct MetadataRequest {
    std::optional<std::vector<std::string>> topics; // nullopt = all topics
    bool allowAutoTopicCreation = true;
    // Metadata v12+ may name topics by id instead (TopicInfo::topicId's text form). Only real clients do; the
    // wire gateway turns known ids into names before a broker sees the request.
    std::vector<std::string> topicIds;
};
struct MetadataResponseBroker {
    std::int32_t nodeId = 0;
    std::string host;
    std::int32_t port = 0;
    std::optional<std::string> rack;
};
struct MetadataResponsePartition {
    ErrorCode errorCode = ErrorCode::NONE;
    std::int32_t partitionIndex = 0;
    std::int32_t leaderId = -1;
    std::int32_t leaderEpoch = -1;
    std::vector<std::int32_t> replicaNodes;
    std::vector<std::int32_t> isrNodes;
    std::vector<std::int32_t> offlineReplicas;
};
struct MetadataResponseTopic {
    ErrorCode errorCode = ErrorCode::NONE;
    std::string name; // empty for an unknown topic asked for by id (null on the wire)
    std::string topicId; // TopicInfo::topicId; empty when unknown (Kafka's zero UUID)
    bool isInternal = false;
    std::vector<MetadataResponsePartition> partitions;
};
struct MetadataResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<MetadataResponseBroker> brokers;
    std::string clusterId;
    std::int32_t controllerId = -1;
    std::vector<MetadataResponseTopic> topics;
};

} // namespace brokerlab::protocol
