#pragma once

#include <cstdint>
#include <string>

namespace brokerlab::protocol {

struct TopicPartition {
    std::string topic;
    std::int32_t partition = 0;
    auto operator<=>(const TopicPartition&) const = default;
    bool operator==(const TopicPartition&) const = default;
    std::string toString() const { return topic + "-" + std::to_string(partition); }
};

} // namespace brokerlab::protocol
