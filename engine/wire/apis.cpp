#include "wire/apis.h"

#include <algorithm>
#include <array>

namespace brokerlab::wire {

namespace {

// Ranges follow Kafka's message definitions (clients/src/main/resources/common/message/*.json);
// each stops before the first version Brokerlab's codecs do not implement. librdkafka probes
// Produce 0..7 (3 and 7 matter), Fetch 4 and 10, ListOffsets 1 and InitProducerId 0 for its
// features: all inside these ranges.
constexpr std::array kApis {
    ApiVersionRange { 0, 3, 7 }, // Produce: v3 is the first with RecordBatch v2 and transactional_id
    ApiVersionRange { 1, 4, 11 }, // Fetch: v4 adds isolation_level and the last stable offset
    ApiVersionRange { 2, 1, 2 }, // ListOffsets
    ApiVersionRange { 3, 0, 13 }, // Metadata: v0 has no controller; v9 is flexible; v10 adds topic ids
    ApiVersionRange { 8, 2, 7 }, // OffsetCommit
    ApiVersionRange { 9, 1, 5 }, // OffsetFetch
    ApiVersionRange { 10, 0, 2 }, // FindCoordinator
    ApiVersionRange { 11, 0, 5 }, // JoinGroup
    ApiVersionRange { 12, 0, 3 }, // Heartbeat
    ApiVersionRange { 13, 0, 3 }, // LeaveGroup
    ApiVersionRange { 14, 0, 3 }, // SyncGroup
    ApiVersionRange { 15, 0, 4 }, // DescribeGroups
    ApiVersionRange { 16, 0, 2 }, // ListGroups
    ApiVersionRange { 18, 0, 3 }, // ApiVersions
    ApiVersionRange { 19, 0, 3 }, // CreateTopics
    ApiVersionRange { 20, 0, 1 }, // DeleteTopics
    ApiVersionRange { 22, 0, 1 }, // InitProducerId
    ApiVersionRange { 32, 0, 1 }, // DescribeConfigs
    ApiVersionRange { 68, 0, 0 }, // ConsumerGroupHeartbeat (KIP-848): v1 adds regex subscriptions
};

} // namespace

std::span<const ApiVersionRange> supportedApis() { return kApis; }

const ApiVersionRange* findApi(std::int16_t apiKey)
{
    auto it = std::find_if(kApis.begin(), kApis.end(), [&](const ApiVersionRange& api) { return api.apiKey == apiKey; });
    return it == kApis.end() ? nullptr : &*it;
}

bool isSupported(std::int16_t apiKey, std::int16_t version)
{
    const ApiVersionRange* api = findApi(apiKey);
    return api && version >= api->minVersion && version <= api->maxVersion;
}

bool isFlexible(std::int16_t apiKey, std::int16_t version)
{
    switch (static_cast<ApiKey>(apiKey)) {
    case ApiKey::ApiVersions:
        return version >= 3;
    case ApiKey::Produce:
        return version >= 9;
    case ApiKey::Fetch:
        return version >= 12;
    case ApiKey::ListOffsets:
        return version >= 6;
    case ApiKey::Metadata:
        return version >= 9;
    case ApiKey::CreateTopics:
        return version >= 5;
    case ApiKey::DeleteTopics:
        return version >= 4;
    case ApiKey::InitProducerId:
        return version >= 2;
    case ApiKey::DescribeConfigs:
        return version >= 4;
    case ApiKey::OffsetCommit:
        return version >= 8;
    case ApiKey::OffsetFetch:
        return version >= 6;
    case ApiKey::FindCoordinator:
        return version >= 3;
    case ApiKey::JoinGroup:
        return version >= 6;
    case ApiKey::Heartbeat:
    case ApiKey::LeaveGroup:
    case ApiKey::SyncGroup:
        return version >= 4;
    case ApiKey::DescribeGroups:
        return version >= 5;
    case ApiKey::ListGroups:
        return version >= 3;
    case ApiKey::ConsumerGroupHeartbeat:
        return true;
    }
    return false;
}

const char* apiName(std::int16_t apiKey)
{
    switch (static_cast<ApiKey>(apiKey)) {
    case ApiKey::Produce:
        return "Produce";
    case ApiKey::Fetch:
        return "Fetch";
    case ApiKey::ListOffsets:
        return "ListOffsets";
    case ApiKey::Metadata:
        return "Metadata";
    case ApiKey::ApiVersions:
        return "ApiVersions";
    case ApiKey::CreateTopics:
        return "CreateTopics";
    case ApiKey::DeleteTopics:
        return "DeleteTopics";
    case ApiKey::InitProducerId:
        return "InitProducerId";
    case ApiKey::DescribeConfigs:
        return "DescribeConfigs";
    case ApiKey::OffsetCommit:
        return "OffsetCommit";
    case ApiKey::OffsetFetch:
        return "OffsetFetch";
    case ApiKey::FindCoordinator:
        return "FindCoordinator";
    case ApiKey::JoinGroup:
        return "JoinGroup";
    case ApiKey::Heartbeat:
        return "Heartbeat";
    case ApiKey::LeaveGroup:
        return "LeaveGroup";
    case ApiKey::SyncGroup:
        return "SyncGroup";
    case ApiKey::DescribeGroups:
        return "DescribeGroups";
    case ApiKey::ListGroups:
        return "ListGroups";
    case ApiKey::ConsumerGroupHeartbeat:
        return "ConsumerGroupHeartbeat";
    }
    return "unknown";
}

} // namespace brokerlab::wire
