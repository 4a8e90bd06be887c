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
    ApiVersionRange { 3, 1, 8 }, // Metadata: v9 is flexible
    ApiVersionRange { 18, 0, 3 }, // ApiVersions
    ApiVersionRange { 19, 0, 3 }, // CreateTopics
    ApiVersionRange { 20, 0, 1 }, // DeleteTopics
    ApiVersionRange { 22, 0, 1 }, // InitProducerId
    ApiVersionRange { 32, 0, 1 }, // DescribeConfigs
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
    }
    return "unknown";
}

} // namespace brokerlab::wire
