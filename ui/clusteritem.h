#pragma once
// What a person can point at in the cluster: a broker, a topic, a partition or one replica of a partition; and,
// beside the cluster, a stream processor or a modelled queue of the scenario (by its id, in `name`).
// Identified by names and ids, never by pointers into a snapshot, so a selection survives the next snapshot
// (and a partition that disappears simply stops matching).

#include <cstdint>
#include <string>

namespace brokerlab::ui {

struct ClusterItem {
    enum class Kind { None, Broker, Topic, Partition, Replica, Processor, Queue };
    Kind kind = Kind::None;
    std::string topic;
    std::int32_t partition = -1;
    std::int32_t broker = -1; // the broker of a Broker or a Replica
    std::string name; // the id of a Processor or a Queue

    static ClusterItem brokerItem(std::int32_t id) { return { Kind::Broker, {}, -1, id, {} }; }
    static ClusterItem topicItem(std::string name) { return { Kind::Topic, std::move(name), -1, -1, {} }; }
    static ClusterItem partitionItem(std::string name, std::int32_t index)
    {
        return { Kind::Partition, std::move(name), index, -1, {} };
    }
    static ClusterItem replicaItem(std::string name, std::int32_t index, std::int32_t brokerId)
    {
        return { Kind::Replica, std::move(name), index, brokerId, {} };
    }
    static ClusterItem processorItem(std::string id) { return { Kind::Processor, {}, -1, -1, std::move(id) }; }
    static ClusterItem queueItem(std::string id) { return { Kind::Queue, {}, -1, -1, std::move(id) }; }
    // What a timeline event touched: the most specific item its fields name.
    static ClusterItem fromEventFields(const std::string& topic, std::int32_t partition, std::int32_t broker)
    {
        if (!topic.empty() && partition >= 0)
            return broker >= 0 ? replicaItem(topic, partition, broker) : partitionItem(topic, partition);
        if (!topic.empty())
            return topicItem(topic);
        if (broker >= 0)
            return brokerItem(broker);
        return {};
    }

    bool isNone() const { return kind == Kind::None; }
    bool operator==(const ClusterItem&) const = default;
};

} // namespace brokerlab::ui
