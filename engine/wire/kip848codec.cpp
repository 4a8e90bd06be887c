#include "wire/kip848codec.h"

namespace brokerlab::wire {

namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// [] TopicPartitions: { TopicId uuid, Partitions []int32, tagged fields }, compact and nullable.
std::optional<std::vector<WireTopicPartitions>> readTopicPartitions(WireReader& in)
{
    const std::int32_t count = in.compactArrayLength(16 + 1 + 1);
    if (count < 0)
        return std::nullopt;
    std::vector<WireTopicPartitions> topics;
    topics.reserve(static_cast<std::size_t>(count));
    for (std::int32_t i = 0; i < count && in.ok(); ++i) {
        WireTopicPartitions topic;
        topic.topicId = readUuid(in);
        const std::int32_t partitions = in.compactArrayLength(4);
        for (std::int32_t p = 0; p < partitions && in.ok(); ++p)
            topic.partitions.push_back(in.int32());
        if (partitions < 0)
            in.fail(); // Partitions is not nullable
        in.skipTaggedFields();
        topics.push_back(std::move(topic));
    }
    return topics;
}

void writeTopicPartitions(WireWriter& out, const std::vector<WireTopicPartitions>& topics)
{
    out.compactArrayLength(topics.size());
    for (const auto& topic : topics) {
        out.raw(topic.topicId);
        out.compactArrayLength(topic.partitions.size());
        for (std::int32_t partition : topic.partitions)
            out.int32(partition);
        out.emptyTaggedFields();
    }
}

} // namespace

Uuid readUuid(WireReader& in)
{
    Uuid uuid {};
    const auto bytes = in.bytesView(uuid.size());
    if (bytes.size() == uuid.size())
        std::copy(bytes.begin(), bytes.end(), uuid.begin());
    return uuid;
}

void writeUuid(WireWriter& out, const Uuid& uuid) { out.raw(uuid); }

ConsumerGroupHeartbeatRequest readConsumerGroupHeartbeat(WireReader& in, std::int16_t)
{
    ConsumerGroupHeartbeatRequest request;
    auto& f = request.fields;
    f.groupId = in.compactString();
    f.memberId = in.compactString();
    f.memberEpoch = in.int32();
    f.instanceId = in.compactNullableString();
    f.rackId = in.compactNullableString();
    f.rebalanceTimeoutMs = in.int32();
    const std::int32_t topics = in.compactArrayLength(1);
    if (topics >= 0) {
        f.subscribedTopicNames.emplace();
        for (std::int32_t i = 0; i < topics && in.ok(); ++i)
            f.subscribedTopicNames->push_back(in.compactString());
    }
    f.serverAssignor = in.compactNullableString();
    request.topicPartitions = readTopicPartitions(in);
    in.skipTaggedFields();
    return request;
}

void write(WireWriter& out, std::int16_t, const ConsumerGroupHeartbeatRequest& request)
{
    const auto& f = request.fields;
    out.compactString(f.groupId);
    out.compactString(f.memberId);
    out.int32(f.memberEpoch);
    out.compactNullableString(f.instanceId);
    out.compactNullableString(f.rackId);
    out.int32(f.rebalanceTimeoutMs);
    if (f.subscribedTopicNames) {
        out.compactArrayLength(f.subscribedTopicNames->size());
        for (const auto& name : *f.subscribedTopicNames)
            out.compactString(name);
    } else {
        out.unsignedVarint(0); // null
    }
    out.compactNullableString(f.serverAssignor);
    if (request.topicPartitions)
        writeTopicPartitions(out, *request.topicPartitions);
    else
        out.unsignedVarint(0);
    out.emptyTaggedFields();
}

void write(WireWriter& out, std::int16_t, const ConsumerGroupHeartbeatResponse& response)
{
    const auto& f = response.fields;
    out.int32(f.throttleTimeMs);
    out.int16(static_cast<std::int16_t>(f.errorCode));
    out.compactNullableString(f.errorMessage.empty() ? std::nullopt : std::optional<std::string>(f.errorMessage));
    out.compactNullableString(f.memberId.empty() ? std::nullopt : std::optional<std::string>(f.memberId));
    out.int32(f.memberEpoch);
    out.int32(f.heartbeatIntervalMs);
    // A nullable struct in a flexible version: -1 for null, 1 followed by the struct.
    if (response.assignment) {
        out.int8(1);
        writeTopicPartitions(out, *response.assignment);
        out.emptyTaggedFields(); // the Assignment struct's own tagged fields
    } else {
        out.int8(-1);
    }
    out.emptyTaggedFields();
}

ConsumerGroupHeartbeatResponse readConsumerGroupHeartbeatResponse(WireReader& in, std::int16_t)
{
    ConsumerGroupHeartbeatResponse response;
    auto& f = response.fields;
    f.throttleTimeMs = in.int32();
    f.errorCode = static_cast<protocol::ErrorCode>(in.int16());
    f.errorMessage = in.compactNullableString().value_or("");
    f.memberId = in.compactNullableString().value_or("");
    f.memberEpoch = in.int32();
    f.heartbeatIntervalMs = in.int32();
    const std::int8_t present = in.int8();
    if (present >= 0) {
        auto topics = readTopicPartitions(in);
        if (!topics)
            in.fail(); // Assignment.TopicPartitions is not nullable
        response.assignment = std::move(topics);
        in.skipTaggedFields();
    }
    in.skipTaggedFields();
    return response;
}

Uuid topicUuid(const std::string& topicId)
{
    Uuid uuid {};
    if (topicId.size() != 22)
        return uuid;
    // 22 characters carry 132 bits: the first 128 are the id, the last 4 are zero padding.
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t at = 0;
    for (char c : topicId) {
        const char* found = std::char_traits<char>::find(kBase64Url, 64, c);
        if (!found)
            return Uuid {};
        buffer = (buffer << 6) | static_cast<std::uint32_t>(found - kBase64Url);
        bits += 6;
        if (bits >= 8 && at < uuid.size()) {
            bits -= 8;
            uuid[at++] = static_cast<std::uint8_t>((buffer >> bits) & 0xff);
        }
    }
    return uuid;
}

std::string topicIdText(const Uuid& uuid)
{
    std::string text;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::uint8_t byte : uuid) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            text.push_back(kBase64Url[(buffer >> bits) & 0x3f]);
        }
    }
    if (bits > 0)
        text.push_back(kBase64Url[(buffer << (6 - bits)) & 0x3f]);
    return text;
}

} // namespace brokerlab::wire
