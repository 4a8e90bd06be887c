#pragma once
// Kafka API keys and the versions Brokerlab's listeners speak. ApiVersions advertises exactly this
// table, so a client never picks a version the codecs cannot read.

#include <cstdint>
#include <span>

namespace brokerlab::wire {

enum class ApiKey : std::int16_t {
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    CreateTopics = 19,
    DeleteTopics = 20,
    InitProducerId = 22,
    DescribeConfigs = 32,
    ApiVersions = 18,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    DescribeGroups = 15,
    ListGroups = 16,
    ConsumerGroupHeartbeat = 68, // KIP-848
};

struct ApiVersionRange {
    std::int16_t apiKey = 0;
    std::int16_t minVersion = 0;
    std::int16_t maxVersion = 0;
};

// Sorted by api key.
std::span<const ApiVersionRange> supportedApis();
const ApiVersionRange* findApi(std::int16_t apiKey); // nullptr when Brokerlab does not speak it
bool isSupported(std::int16_t apiKey, std::int16_t version);
// Flexible versions (KIP-482: compact strings and arrays, tagged fields, request header v2 and
// response header v1) among the supported ones.
bool isFlexible(std::int16_t apiKey, std::int16_t version);
const char* apiName(std::int16_t apiKey);

} // namespace brokerlab::wire
