#include "cluster/controller.h"

#include "cluster/placement.h"

#include <algorithm>

namespace brokerlab::cluster {

std::string_view brokerStateName(BrokerState state)
{
    switch (state) {
    case BrokerState::Online:
        return "online";
    case BrokerState::Fenced:
        return "fenced";
    case BrokerState::Offline:
        return "offline";
    }
    return "unknown";
}

const TopicInfo* MetadataImage::topic(std::string_view name) const
{
    auto it = topics.find(std::string(name));
    return it == topics.end() ? nullptr : &it->second;
}

const PartitionInfo* MetadataImage::partition(std::string_view topicName, std::int32_t partitionIndex) const
{
    const TopicInfo* info = topic(topicName);
    if (!info || partitionIndex < 0 || partitionIndex >= static_cast<std::int32_t>(info->partitions.size()))
        return nullptr;
    return &info->partitions[static_cast<std::size_t>(partitionIndex)];
}

Controller::Controller(Context& context, BrokerConfig brokerConfig)
    : context_(context)
    , brokerConfig_(std::move(brokerConfig))
{
}

void Controller::registerBroker(std::int32_t id, std::string rack)
{
    BrokerInfo& info = image_.brokers[id];
    info.id = id;
    info.rack = std::move(rack);
    info.state = BrokerState::Online;
    if (image_.controllerId < 0)
        image_.controllerId = id;
    context_.trace.record({ .time = context_.now(),
        .kind = "broker.registered",
        .broker = id,
        .message = "broker " + std::to_string(id) + " registered with the controller" });
    publish();
}

void Controller::setBrokerState(std::int32_t id, BrokerState state)
{
    auto it = image_.brokers.find(id);
    if (it == image_.brokers.end() || it->second.state == state)
        return;
    it->second.state = state;
    publish();
}

std::optional<std::string> Controller::invalidTopicNameReason(const std::string& name)
{
    if (name.empty())
        return "the topic name is empty";
    if (name == "." || name == "..")
        return "the topic name cannot be '.' or '..'";
    if (name.size() > 249)
        return "the topic name is longer than 249 characters";
    for (char c : name) {
        const bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '_' || c == '-';
        if (!legal)
            return "the topic name may only contain ASCII letters, digits, '.', '_' and '-'";
    }
    return std::nullopt;
}

CreateTopicResult Controller::createTopic(const std::string& name, std::int32_t partitions,
    std::int32_t replicationFactor, const TopicConfig& config, const std::vector<std::vector<std::int32_t>>& assignment)
{
    using protocol::ErrorCode;
    if (auto reason = invalidTopicNameReason(name))
        return { ErrorCode::INVALID_TOPIC_EXCEPTION, *reason };
    if (image_.topics.count(name) != 0)
        return { ErrorCode::TOPIC_ALREADY_EXISTS, "topic '" + name + "' already exists" };
    std::vector<std::int32_t> live;
    for (const auto& [id, broker] : image_.brokers) {
        if (broker.state == BrokerState::Online)
            live.push_back(id);
    }
    std::vector<std::vector<std::int32_t>> replicas = assignment;
    if (replicas.empty()) {
        if (partitions < 1)
            return { ErrorCode::INVALID_PARTITIONS, "a topic needs at least one partition" };
        if (replicationFactor < 1)
            return { ErrorCode::INVALID_REPLICATION_FACTOR, "the replication factor must be at least 1" };
        if (replicationFactor > static_cast<std::int32_t>(live.size()))
            return { ErrorCode::INVALID_REPLICATION_FACTOR,
                "replication factor " + std::to_string(replicationFactor) + " is larger than the "
                    + std::to_string(live.size()) + " available brokers" };
        replicas = assignReplicasRackUnaware(live, partitions, replicationFactor, context_.rng);
    }
    TopicInfo topic;
    topic.name = name;
    topic.config = config;
    topic.internal = name.starts_with("__");
    {
        // Ids only need to be unique and stable for a seed, so they come from the run's generator.
        static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 22; ++i)
            topic.topicId.push_back(alphabet[context_.rng.uniformInt(0, 63)]);
    }
    for (std::size_t p = 0; p < replicas.size(); ++p) {
        PartitionInfo info;
        info.partition = static_cast<std::int32_t>(p);
        info.replicas = replicas[p];
        info.isr = replicas[p];
        info.leader = replicas[p].empty() ? -1 : replicas[p].front();
        topic.partitions.push_back(std::move(info));
    }
    const auto partitionCount = static_cast<std::int64_t>(topic.partitions.size());
    image_.topics.emplace(name, std::move(topic));
    context_.trace.record({ .time = context_.now(),
        .kind = "topic.created",
        .topic = name,
        .numbers = { { "partitions", partitionCount }, { "replication_factor", replicas.front().size() } },
        .message = "topic '" + name + "' created with " + std::to_string(partitionCount) + " partitions" });
    publish();
    return {};
}

protocol::ErrorCode Controller::deleteTopic(const std::string& name)
{
    if (image_.topics.erase(name) == 0)
        return protocol::ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
    context_.trace.record(
        { .time = context_.now(), .kind = "topic.deleted", .topic = name, .message = "topic '" + name + "' deleted" });
    publish();
    return protocol::ErrorCode::NONE;
}

void Controller::publish()
{
    ++image_.version;
    if (publisher_)
        publisher_(image_);
}

} // namespace brokerlab::cluster
