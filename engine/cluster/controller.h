#pragma once
// The controller: owns the metadata image and decides topic creation, replica placement and
// leaders. Brokers apply every change it publishes. Replication, fencing, elections and the
// KRaft quorum extend this type (see the failover issue).

#include "cluster/context.h"
#include "cluster/metadata.h"
#include "protocol/errors.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::cluster {

struct CreateTopicResult {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string message;
};

class Controller {
public:
    using Publisher = std::function<void(const MetadataImage&)>;

    Controller(Context& context, BrokerConfig brokerConfig);

    const MetadataImage& image() const { return image_; }
    const BrokerConfig& brokerConfig() const { return brokerConfig_; }
    void setPublisher(Publisher publisher) { publisher_ = std::move(publisher); }

    void registerBroker(std::int32_t id, std::string rack);
    void setBrokerState(std::int32_t id, BrokerState state);

    // Validates like Kafka's CreateTopics: name rules, partitions >= 1, replication factor within
    // the live brokers. An explicit assignment (replicas per partition) skips placement.
    CreateTopicResult createTopic(const std::string& name, std::int32_t partitions, std::int32_t replicationFactor,
        const TopicConfig& config, const std::vector<std::vector<std::int32_t>>& assignment = {});
    protocol::ErrorCode deleteTopic(const std::string& name);

    static std::optional<std::string> invalidTopicNameReason(const std::string& name);

private:
    void publish();

    Context& context_;
    BrokerConfig brokerConfig_;
    MetadataImage image_;
    Publisher publisher_;
};

} // namespace brokerlab::cluster
