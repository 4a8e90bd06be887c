// Response bodies, encoded in the version the client asked for. Field order and version ranges
// follow Kafka's message definitions (common/message/*Response.json).

#include "wire/codec.h"
#include "wire/groupcodec.h"
#include "wire/kip848codec.h"
#include "wire/wirebuffer.h"

#include <limits>

namespace brokerlab::wire {

using namespace protocol;

namespace {

constexpr std::int32_t kAuthorizedOperationsOmitted = std::numeric_limits<std::int32_t>::min();

void writeError(WireWriter& out, ErrorCode code) { out.int16(static_cast<std::int16_t>(code)); }

void write(WireWriter& out, std::int16_t version, const ApiVersionsResponse& response)
{
    writeError(out, response.errorCode);
    const bool flexible = version >= 3;
    if (flexible)
        out.compactArrayLength(response.apiKeys.size());
    else
        out.arrayLength(response.apiKeys.size());
    for (const auto& api : response.apiKeys) {
        out.int16(api.apiKey);
        out.int16(api.minVersion);
        out.int16(api.maxVersion);
        if (flexible)
            out.emptyTaggedFields();
    }
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    if (flexible)
        out.emptyTaggedFields();
}

// v0 has no rack, controller or internal flag; v9 is flexible (compact strings and arrays, tagged fields); v10 adds
// each topic's id; v11 drops the cluster's authorized operations; v12 lets a topic's name be null (an unknown topic
// asked for by id); v13 adds a top-level error code.
void write(WireWriter& out, std::int16_t version, const MetadataResponse& response)
{
    const bool flexible = version >= 9;
    auto arrayLength = [&](std::size_t count) {
        if (flexible)
            out.compactArrayLength(count);
        else
            out.arrayLength(count);
    };
    auto int32s = [&](const std::vector<std::int32_t>& values) {
        arrayLength(values.size());
        for (std::int32_t value : values)
            out.int32(value);
    };
    if (version >= 3)
        out.int32(response.throttleTimeMs);
    arrayLength(response.brokers.size());
    for (const auto& broker : response.brokers) {
        out.int32(broker.nodeId);
        if (flexible) {
            out.compactString(broker.host);
            out.int32(broker.port);
            out.compactNullableString(broker.rack);
            out.emptyTaggedFields();
        } else {
            out.string(broker.host);
            out.int32(broker.port);
            if (version >= 1)
                out.nullableString(broker.rack);
        }
    }
    if (version >= 2) {
        if (flexible)
            out.compactNullableString(response.clusterId);
        else
            out.nullableString(response.clusterId);
    }
    if (version >= 1)
        out.int32(response.controllerId);
    arrayLength(response.topics.size());
    for (const auto& topic : response.topics) {
        writeError(out, topic.errorCode);
        if (version >= 12)
            out.compactNullableString(topic.name.empty() ? std::nullopt : std::optional<std::string>(topic.name));
        else if (flexible)
            out.compactString(topic.name);
        else
            out.string(topic.name);
        if (version >= 10)
            writeUuid(out, topicUuid(topic.topicId));
        if (version >= 1)
            out.boolean(topic.isInternal);
        arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            writeError(out, partition.errorCode);
            out.int32(partition.partitionIndex);
            out.int32(partition.leaderId);
            if (version >= 7)
                out.int32(partition.leaderEpoch);
            int32s(partition.replicaNodes);
            int32s(partition.isrNodes);
            if (version >= 5)
                int32s(partition.offlineReplicas);
            if (flexible)
                out.emptyTaggedFields();
        }
        if (version >= 8)
            out.int32(kAuthorizedOperationsOmitted);
        if (flexible)
            out.emptyTaggedFields();
    }
    if (version >= 8 && version <= 10)
        out.int32(kAuthorizedOperationsOmitted);
    if (version >= 13)
        writeError(out, ErrorCode::NONE);
    if (flexible)
        out.emptyTaggedFields();
}

void write(WireWriter& out, std::int16_t version, const ProduceResponse& response)
{
    out.arrayLength(response.responses.size());
    for (const auto& topic : response.responses) {
        out.string(topic.name);
        out.arrayLength(topic.partitionResponses.size());
        for (const auto& partition : topic.partitionResponses) {
            out.int32(partition.index);
            writeError(out, partition.errorCode);
            out.int64(partition.baseOffset);
            out.int64(partition.logAppendTimeMs);
            if (version >= 5)
                out.int64(partition.logStartOffset);
        }
    }
    out.int32(response.throttleTimeMs);
}

void write(WireWriter& out, std::int16_t version, const FetchResponse& response)
{
    out.int32(response.throttleTimeMs);
    if (version >= 7) {
        writeError(out, response.errorCode);
        out.int32(0); // session_id: no fetch session was created
    }
    out.arrayLength(response.responses.size());
    for (const auto& topic : response.responses) {
        out.string(topic.topic);
        out.arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            out.int32(partition.partitionIndex);
            writeError(out, partition.errorCode);
            out.int64(partition.highWatermark);
            out.int64(partition.lastStableOffset);
            if (version >= 5)
                out.int64(partition.logStartOffset);
            out.arrayLength(0); // aborted_transactions: no transactions in Brokerlab
            if (version >= 11)
                out.int32(-1); // preferred_read_replica: read from the leader
            out.bytes(partition.records);
        }
    }
}

void write(WireWriter& out, std::int16_t version, const ListOffsetsResponse& response)
{
    if (version >= 2)
        out.int32(response.throttleTimeMs);
    out.arrayLength(response.topics.size());
    for (const auto& topic : response.topics) {
        out.string(topic.name);
        out.arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            out.int32(partition.partitionIndex);
            writeError(out, partition.errorCode);
            out.int64(partition.timestamp);
            out.int64(partition.offset);
        }
    }
}

void write(WireWriter& out, std::int16_t version, const CreateTopicsResponse& response)
{
    if (version >= 2)
        out.int32(response.throttleTimeMs);
    out.arrayLength(response.topics.size());
    for (const auto& topic : response.topics) {
        out.string(topic.name);
        writeError(out, topic.errorCode);
        if (version >= 1)
            out.nullableString(topic.errorMessage);
    }
}

void write(WireWriter& out, std::int16_t version, const DeleteTopicsResponse& response)
{
    if (version >= 1)
        out.int32(response.throttleTimeMs);
    out.arrayLength(response.responses.size());
    for (const auto& topic : response.responses) {
        out.string(topic.name);
        writeError(out, topic.errorCode);
    }
}

void write(WireWriter& out, std::int16_t version, const DescribeConfigsResponse& response)
{
    out.int32(response.throttleTimeMs);
    out.arrayLength(response.results.size());
    for (const auto& result : response.results) {
        writeError(out, result.errorCode);
        out.nullableString(result.errorMessage);
        out.int8(static_cast<std::int8_t>(result.resourceType));
        out.string(result.resourceName);
        out.arrayLength(result.configs.size());
        for (const auto& config : result.configs) {
            out.string(config.name);
            out.nullableString(config.value);
            out.boolean(config.readOnly);
            if (version == 0)
                out.boolean(config.isDefault());
            else
                out.int8(static_cast<std::int8_t>(config.configSource));
            out.boolean(config.isSensitive);
            if (version >= 1)
                out.arrayLength(0); // synonyms: Brokerlab reports the effective value only
        }
    }
}

void write(WireWriter& out, std::int16_t, const InitProducerIdResponse& response)
{
    out.int32(response.throttleTimeMs);
    writeError(out, response.errorCode);
    out.int64(response.producerId);
    out.int16(response.producerEpoch);
}

} // namespace

std::vector<std::uint8_t> encodeResponseBody(std::int16_t, std::int16_t version, const ResponseBody& body)
{
    WireWriter out;
    std::visit([&](const auto& response) { write(out, version, response); }, body);
    return out.take();
}

std::vector<std::uint8_t> encodeResponse(const RequestHeader& header, const ResponseBody& body)
{
    WireWriter out;
    out.int32(0); // size, patched below
    out.int32(header.correlationId);
    // Response header v1 (tagged fields) for flexible versions, except ApiVersions: a client
    // must be able to read its answer before it knows which versions the broker speaks.
    if (header.apiKey != static_cast<std::int16_t>(ApiKey::ApiVersions) && isFlexible(header.apiKey, header.apiVersion))
        out.emptyTaggedFields();
    std::visit([&](const auto& response) { write(out, header.apiVersion, response); }, body);
    out.patchInt32(0, static_cast<std::int32_t>(out.size() - 4));
    return out.take();
}

} // namespace brokerlab::wire
