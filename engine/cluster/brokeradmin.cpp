// The broker's admin and producer-id requests: InitProducerId, CreateTopics, DeleteTopics and
// DescribeConfigs. In KRaft a broker forwards these to the active controller; here the broker
// calls the controller object directly, which has the same effect without the extra hop.

#include "cluster/broker.h"
#include "cluster/cluster.h"

#include <algorithm>

namespace brokerlab::cluster {

using protocol::ErrorCode;

void Broker::handleInitProducerId(
    const protocol::InitProducerIdRequest& request, Responder<protocol::InitProducerIdResponse> respond)
{
    protocol::InitProducerIdResponse response;
    if (request.transactionalId) {
        // Brokerlab simulates idempotence, not transactions: a transactional producer cannot start.
        response.errorCode = ErrorCode::INVALID_REQUEST;
    } else {
        response.producerId = cluster_.allocateProducerId();
        response.producerEpoch = 0;
        context_.trace.record({ .time = context_.now(),
            .kind = "producer.id_allocated",
            .broker = id_,
            .numbers = { { "producer_id", response.producerId } },
            .message = "broker " + std::to_string(id_) + " allocated producer id "
                + std::to_string(response.producerId) });
    }
    respond(std::move(response));
}

void Broker::handleCreateTopics(const protocol::CreateTopicsRequest& request, Responder<protocol::CreateTopicsResponse> respond)
{
    protocol::CreateTopicsResponse response;
    Controller& controller = cluster_.controller();
    for (const auto& topic : request.topics) {
        protocol::CreatableTopicResult result;
        result.name = topic.name;
        TopicConfig config = cluster_.defaultTopicConfig();
        for (const auto& entry : topic.configs) {
            if (!entry.value)
                continue; // null: keep the default
            const auto& apply = cluster_.configTextCodec().applyTopic;
            const std::string error = apply ? apply(config, entry.name, *entry.value)
                                            : "this broker cannot set topic configs";
            if (!error.empty()) {
                result.errorCode = ErrorCode::INVALID_CONFIG;
                result.errorMessage = error;
                break;
            }
        }
        std::vector<std::vector<std::int32_t>> assignment;
        for (const auto& partition : topic.assignments) {
            const auto index = static_cast<std::size_t>(std::max(partition.partitionIndex, 0));
            if (assignment.size() <= index)
                assignment.resize(index + 1);
            assignment[index] = partition.brokerIds;
        }
        std::int32_t partitions = topic.numPartitions;
        std::int32_t replicationFactor = topic.replicationFactor;
        if (!assignment.empty()) {
            if (partitions != -1 || replicationFactor != -1) {
                result.errorCode = ErrorCode::INVALID_REQUEST;
                result.errorMessage = "num_partitions and replication_factor must be -1 with a replica assignment";
            }
            partitions = static_cast<std::int32_t>(assignment.size());
            replicationFactor = static_cast<std::int32_t>(assignment.front().size());
        } else {
            if (partitions == -1)
                partitions = config_.numPartitions;
            if (replicationFactor == -1)
                replicationFactor = config_.defaultReplicationFactor;
        }
        if (result.errorCode == ErrorCode::NONE) {
            if (request.validateOnly) {
                if (auto reason = Controller::invalidTopicNameReason(topic.name)) {
                    result.errorCode = ErrorCode::INVALID_TOPIC_EXCEPTION;
                    result.errorMessage = *reason;
                } else if (controller.image().topic(topic.name)) {
                    result.errorCode = ErrorCode::TOPIC_ALREADY_EXISTS;
                    result.errorMessage = "topic '" + topic.name + "' already exists";
                }
            } else {
                CreateTopicResult created
                    = controller.createTopic(topic.name, partitions, replicationFactor, config, assignment);
                result.errorCode = created.error;
                if (created.error != ErrorCode::NONE)
                    result.errorMessage = created.message;
            }
        }
        response.topics.push_back(std::move(result));
    }
    respond(std::move(response));
}

void Broker::handleDeleteTopics(const protocol::DeleteTopicsRequest& request, Responder<protocol::DeleteTopicsResponse> respond)
{
    protocol::DeleteTopicsResponse response;
    for (const auto& name : request.topicNames)
        response.responses.push_back({ name, cluster_.controller().deleteTopic(name) });
    respond(std::move(response));
}

void Broker::handleDescribeConfigs(
    const protocol::DescribeConfigsRequest& request, Responder<protocol::DescribeConfigsResponse> respond)
{
    protocol::DescribeConfigsResponse response;
    const ConfigTextCodec& codec = cluster_.configTextCodec();
    for (const auto& resource : request.resources) {
        protocol::DescribeConfigsResult result;
        result.resourceType = resource.resourceType;
        result.resourceName = resource.resourceName;
        // Where each value comes from, as Kafka reports it: the topic's own override, the
        // broker's configuration (a cluster-wide default set in the scenario), or Kafka's default.
        std::vector<std::pair<std::string, std::string>> values, defaults, brokerDefaults;
        protocol::ConfigSource changedSource = protocol::ConfigSource::DynamicTopicConfig;
        if (resource.resourceType == protocol::ConfigResourceType::Topic) {
            const TopicInfo* topic = image_ ? image_->topic(resource.resourceName) : nullptr;
            if (!topic) {
                result.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
                result.errorMessage = "topic '" + resource.resourceName + "' does not exist";
            } else if (codec.describeTopic) {
                values = codec.describeTopic(topic->config);
                defaults = codec.describeTopic(TopicConfig {});
                brokerDefaults = codec.describeTopic(cluster_.defaultTopicConfig());
            }
        } else if (resource.resourceType == protocol::ConfigResourceType::Broker) {
            changedSource = protocol::ConfigSource::StaticBrokerConfig;
            if (!resource.resourceName.empty() && resource.resourceName != std::to_string(id_)) {
                result.errorCode = ErrorCode::INVALID_REQUEST;
                result.errorMessage = "broker " + std::to_string(id_) + " describes only its own configs, not broker '"
                    + resource.resourceName + "'";
            } else if (codec.describeBroker) {
                values = codec.describeBroker(config_);
                defaults = codec.describeBroker(BrokerConfig {});
            }
        } else {
            result.errorCode = ErrorCode::INVALID_REQUEST;
            result.errorMessage = "resource type " + std::to_string(static_cast<int>(resource.resourceType))
                + " is not supported (topics are 2, brokers 4)";
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            const auto& [name, value] = values[i];
            if (resource.configurationKeys
                && std::find(resource.configurationKeys->begin(), resource.configurationKeys->end(), name)
                    == resource.configurationKeys->end())
                continue;
            protocol::DescribeConfigsResourceResult config;
            config.name = name;
            config.value = value;
            const bool isDefault = i < defaults.size() && defaults[i].second == value;
            const bool isBrokerDefault = i < brokerDefaults.size() && brokerDefaults[i].second == value;
            if (isBrokerDefault && !isDefault)
                config.configSource = protocol::ConfigSource::StaticBrokerConfig;
            else
                config.configSource = isDefault ? protocol::ConfigSource::DefaultConfig : changedSource;
            result.configs.push_back(std::move(config));
        }
        response.results.push_back(std::move(result));
    }
    respond(std::move(response));
}

} // namespace brokerlab::cluster
