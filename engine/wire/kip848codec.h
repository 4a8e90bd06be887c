#pragma once
// KIP-848's ConsumerGroupHeartbeat (api key 68) on the wire: version 0 as released in Kafka 3.7+
// (common/message/ConsumerGroupHeartbeatRequest.json / Response.json), flexible (compact strings
// and arrays, tagged fields). Topics travel as topic ids (UUIDs); the engine's coordinator speaks
// topic names, so the gateway translates with the metadata image (topicUuid / topicIdText).

#include "protocol/groupmessages.h"
#include "wire/wirebuffer.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::wire {

using Uuid = std::array<std::uint8_t, 16>;

struct WireTopicPartitions {
    Uuid topicId {};
    std::vector<std::int32_t> partitions;
    bool operator==(const WireTopicPartitions&) const = default;
};

// The request as the engine takes it, except the owned partitions, which name topics by id.
struct ConsumerGroupHeartbeatRequest {
    protocol::ConsumerGroupHeartbeatRequest fields; // fields.topicPartitions stays unset
    std::optional<std::vector<WireTopicPartitions>> topicPartitions; // owned; nullopt = unchanged
};

// The engine's answer, with the assignment by topic id.
struct ConsumerGroupHeartbeatResponse {
    protocol::ConsumerGroupHeartbeatResponse fields; // fields.assignment is not written
    std::optional<std::vector<WireTopicPartitions>> assignment; // nullopt = unchanged
};

ConsumerGroupHeartbeatRequest readConsumerGroupHeartbeat(WireReader& in, std::int16_t version);
void write(WireWriter& out, std::int16_t version, const ConsumerGroupHeartbeatRequest& request);
void write(WireWriter& out, std::int16_t version, const ConsumerGroupHeartbeatResponse& response);
// The client side, for tests and tools: reads a response body (no header).
ConsumerGroupHeartbeatResponse readConsumerGroupHeartbeatResponse(WireReader& in, std::int16_t version);

Uuid readUuid(WireReader& in);
void writeUuid(WireWriter& out, const Uuid& uuid);

// Brokerlab's topic ids are 22 characters of URL-safe base64, the text form of Kafka's Uuid; these
// give the 16 bytes on the wire and back. A text that is not such an id gives all zeros (Kafka's
// Uuid.ZERO_UUID, which no topic has).
Uuid topicUuid(const std::string& topicId);
std::string topicIdText(const Uuid& uuid);

} // namespace brokerlab::wire
