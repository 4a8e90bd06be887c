#pragma once
// Kafka's admin and producer-id API messages as plain C++ values (InitProducerId, CreateTopics,
// DeleteTopics, DescribeConfigs), field names after Kafka's message definitions. Real clients reach
// them through the wire layer; brokers answer them in cluster/brokeradmin.cpp.

#include "protocol/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::protocol {

// ---- InitProducerId (ApiKey 22)
struct InitProducerIdRequest {
    std::optional<std::string> transactionalId; // Brokerlab has no transactions: must be null
    std::int32_t transactionTimeoutMs = 60000;
};
struct InitProducerIdResponse {
    std::int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    std::int64_t producerId = -1;
    std::int16_t producerEpoch = -1;
};

// ---- CreateTopics (ApiKey 19)
struct CreatableReplicaAssignment {
    std::int32_t partitionIndex = 0;
    std::vector<std::int32_t> brokerIds;
};
struct CreatableTopicConfig {
    std::string name;
    std::optional<std::string> value;
};
struct CreatableTopic {
    std::string name;
    std::int32_t numPartitions = -1; // -1: num.partitions
    std::int16_t replicationFactor = -1; // -1: default.replication.factor
    std::vector<CreatableReplicaAssignment> assignments;
    std::vector<CreatableTopicConfig> configs;
};
struct CreateTopicsRequest {
    std::vector<CreatableTopic> topics;
    std::int32_t timeoutMs = 60000;
    bool validateOnly = false;
};
struct CreatableTopicResult {
    std::string name;
    ErrorCode errorCode = ErrorCode::NONE;
    std::optional<std::string> errorMessage;
};
struct CreateTopicsResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<CreatableTopicResult> topics;
};

// ---- DeleteTopics (ApiKey 20)
struct DeleteTopicsRequest {
    std::vector<std::string> topicNames;
    std::int32_t timeoutMs = 60000;
};
struct DeletableTopicResult {
    std::string name;
    ErrorCode errorCode = ErrorCode::NONE;
};
struct DeleteTopicsResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<DeletableTopicResult> responses;
};

// ---- DescribeConfigs (ApiKey 32)
enum class ConfigResourceType : std::int8_t { Unknown = 0, Topic = 2, Broker = 4 };
// DescribeConfigs v1+ config_source values (Kafka's DescribeConfigsResponse.ConfigSource).
enum class ConfigSource : std::int8_t {
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
};
struct DescribeConfigsResource {
    ConfigResourceType resourceType = ConfigResourceType::Topic;
    std::string resourceName;
    std::optional<std::vector<std::string>> configurationKeys; // null: all
};
struct DescribeConfigsRequest {
    std::vector<DescribeConfigsResource> resources;
    bool includeSynonyms = false;
};
struct DescribeConfigsResourceResult {
    std::string name;
    std::optional<std::string> value;
    bool readOnly = false;
    ConfigSource configSource = ConfigSource::DefaultConfig;
    bool isSensitive = false;
    bool isDefault() const { return configSource == ConfigSource::DefaultConfig; }
};
struct DescribeConfigsResult {
    ErrorCode errorCode = ErrorCode::NONE;
    std::optional<std::string> errorMessage;
    ConfigResourceType resourceType = ConfigResourceType::Topic;
    std::string resourceName;
    std::vector<DescribeConfigsResourceResult> configs;
};
struct DescribeConfigsResponse {
    std::int32_t throttleTimeMs = 0;
    std::vector<DescribeConfigsResult> results;
};

} // namespace brokerlab::protocol
