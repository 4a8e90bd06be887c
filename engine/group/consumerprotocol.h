#pragma once
// Kafka's embedded consumer protocol (ConsumerProtocolSubscription.json and
// ConsumerProtocolAssignment.json): the bytes a consumer puts in JoinGroup's protocol metadata and the
// group leader puts in SyncGroup's assignments. Each is an int16 version followed by the struct;
// decoding accepts every version (newer ones are read as their known prefix, as Kafka does), encoding
// writes the version asked for.

#include "group/assignor.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace brokerlab::group {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::int16_t kConsumerProtocolVersion = 3; // the newest version this build writes

struct Subscription {
    std::vector<std::string> topics;
    std::optional<Bytes> userData;
    std::vector<TopicPartition> ownedPartitions; // v1+
    std::int32_t generationId = -1; // v2+
    std::optional<std::string> rackId; // v3+
};

struct MemberAssignment {
    std::vector<TopicPartition> partitions;
    std::optional<Bytes> userData;
};

Bytes encodeSubscription(const Subscription& subscription, std::int16_t version = kConsumerProtocolVersion);
Bytes encodeAssignment(const MemberAssignment& assignment, std::int16_t version = kConsumerProtocolVersion);

// On malformed bytes these return nullopt and, when error is given, say what is wrong and where.
// An empty assignment (zero bytes) decodes to no partitions, as Kafka's ConsumerProtocol does.
std::optional<Subscription> decodeSubscription(std::span<const std::uint8_t> bytes, std::string* error = nullptr);
std::optional<MemberAssignment> decodeAssignment(std::span<const std::uint8_t> bytes, std::string* error = nullptr);

} // namespace brokerlab::group
