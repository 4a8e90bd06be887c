// Request bodies: decoding what clients send, and the inverse for tests. Field order and version
// ranges follow Kafka's message definitions (common/message/*Request.json).

#include "wire/codec.h"
#include "wire/groupcodec.h"
#include "wire/kip848codec.h"
#include "wire/wirebuffer.h"

#include <memory>

namespace brokerlab::wire {

using namespace protocol;

namespace {

// Smallest encodings, so a hostile array count is refused before anything is reserved.
constexpr std::size_t kMinTopic = 2 + 4; // name length + partition count
constexpr std::size_t kMinProducePartition = 4 + 4;
constexpr std::size_t kMinFetchPartition = 4 + 8 + 4;
constexpr std::size_t kMinString = 2;

std::vector<std::string> readStrings(WireReader& in)
{
    std::vector<std::string> out;
    const std::int32_t count = in.arrayLength(kMinString);
    for (std::int32_t i = 0; i < count && in.ok(); ++i)
        out.push_back(in.string());
    return out;
}

std::vector<std::int32_t> readInt32s(WireReader& in)
{
    std::vector<std::int32_t> out;
    const std::int32_t count = in.arrayLength(4);
    for (std::int32_t i = 0; i < count && in.ok(); ++i)
        out.push_back(in.int32());
    return out;
}

ApiVersionsRequest readApiVersions(WireReader& in, std::int16_t version)
{
    ApiVersionsRequest request;
    if (version >= 3) {
        request.clientSoftwareName = in.compactString();
        request.clientSoftwareVersion = in.compactString();
        in.skipTaggedFields();
    }
    return request;
}

// v0 asks for every topic with an empty array (v1 on: a null one); v9 is the first flexible version; v10 adds each
// topic's id (and lets its name be null, which Kafka serves from v12 on: before that a null name is refused); v11
// drops include_cluster_authorized_operations.
MetadataRequest readMetadata(WireReader& in, std::int16_t version)
{
    MetadataRequest request;
    const bool flexible = version >= 9;
    const std::int32_t count
        = flexible ? in.compactArrayLength(version >= 10 ? 16 + 1 + 1 : 1 + 1) : in.arrayLength(kMinString);
    if (version == 0 && count < 0)
        in.fail(); // v0's topic array is not nullable: an empty one asks for every topic
    if (count > 0 || (count == 0 && version > 0)) {
        std::vector<std::string> topics;
        for (std::int32_t i = 0; i < count && in.ok(); ++i) {
            if (!flexible) {
                topics.push_back(in.string());
                continue;
            }
            const Uuid id = version >= 10 ? readUuid(in) : Uuid {};
            std::optional<std::string> name = version >= 10 ? in.compactNullableString() : in.compactString();
            in.skipTaggedFields();
            if (name)
                topics.push_back(std::move(*name));
            else if (version >= 12)
                request.topicIds.push_back(topicIdText(id));
            else
                in.fail();
        }
        request.topics = std::move(topics);
    }
    request.allowAutoTopicCreation = version >= 4 ? in.boolean() : true;
    if (version >= 8 && version <= 10)
        in.boolean(); // include_cluster_authorized_operations: Brokerlab has no ACLs
    if (version >= 8)
        in.boolean(); // include_topic_authorized_operations
    if (flexible)
        in.skipTaggedFields();
    return request;
}

ProduceRequest readProduce(WireReader& in, std::int16_t)
{
    ProduceRequest request;
    request.transactionalId = in.nullableString();
    request.acks = in.int16();
    request.timeoutMs = in.int32();
    const std::int32_t topics = in.arrayLength(kMinTopic);
    for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
        ProduceTopicData topic;
        topic.name = in.string();
        const std::int32_t partitions = in.arrayLength(kMinProducePartition);
        for (std::int32_t p = 0; p < partitions && in.ok(); ++p) {
            ProducePartitionData partition;
            partition.index = in.int32();
            if (auto records = in.nullableBytes())
                partition.records = std::make_shared<const log::Bytes>(std::move(*records));
            topic.partitionData.push_back(std::move(partition));
        }
        request.topicData.push_back(std::move(topic));
    }
    return request;
}

FetchRequest readFetch(WireReader& in, std::int16_t version)
{
    FetchRequest request;
    request.replicaId = in.int32();
    request.maxWaitMs = in.int32();
    request.minBytes = in.int32();
    request.maxBytes = in.int32();
    request.isolationLevel = static_cast<IsolationLevel>(in.int8());
    if (version >= 7) {
        in.int32(); // session_id: Brokerlab answers every fetch in full (no KIP-227 sessions)
        in.int32(); // session_epoch
    }
    const std::int32_t topics = in.arrayLength(kMinTopic);
    for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
        FetchTopic topic;
        topic.topic = in.string();
        const std::int32_t partitions = in.arrayLength(kMinFetchPartition);
        for (std::int32_t p = 0; p < partitions && in.ok(); ++p) {
            FetchPartition partition;
            partition.partition = in.int32();
            if (version >= 9)
                partition.currentLeaderEpoch = in.int32();
            partition.fetchOffset = in.int64();
            if (version >= 5)
                partition.logStartOffset = in.int64();
            partition.partitionMaxBytes = in.int32();
            topic.partitions.push_back(partition);
        }
        request.topics.push_back(std::move(topic));
    }
    if (version >= 7) {
        const std::int32_t forgotten = in.arrayLength(kMinTopic);
        for (std::int32_t i = 0; i < forgotten && in.ok(); ++i) {
            in.string();
            readInt32s(in);
        }
    }
    if (version >= 11)
        in.string(); // rack_id: no follower fetching for consumers (KIP-392) here
    return request;
}

ListOffsetsRequest readListOffsets(WireReader& in, std::int16_t version)
{
    ListOffsetsRequest request;
    request.replicaId = in.int32();
    if (version >= 2)
        request.isolationLevel = static_cast<IsolationLevel>(in.int8());
    const std::int32_t topics = in.arrayLength(kMinTopic);
    for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
        ListOffsetsTopic topic;
        topic.name = in.string();
        const std::int32_t partitions = in.arrayLength(4 + 8);
        for (std::int32_t p = 0; p < partitions && in.ok(); ++p) {
            ListOffsetsPartition partition;
            partition.partitionIndex = in.int32();
            partition.timestamp = in.int64();
            topic.partitions.push_back(partition);
        }
        request.topics.push_back(std::move(topic));
    }
    return request;
}

CreateTopicsRequest readCreateTopics(WireReader& in, std::int16_t version)
{
    CreateTopicsRequest request;
    const std::int32_t topics = in.arrayLength(kMinString + 4 + 2 + 4 + 4);
    for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
        CreatableTopic topic;
        topic.name = in.string();
        topic.numPartitions = in.int32();
        topic.replicationFactor = in.int16();
        const std::int32_t assignments = in.arrayLength(4 + 4);
        for (std::int32_t a = 0; a < assignments && in.ok(); ++a) {
            CreatableReplicaAssignment assignment;
            assignment.partitionIndex = in.int32();
            assignment.brokerIds = readInt32s(in);
            topic.assignments.push_back(std::move(assignment));
        }
        const std::int32_t configs = in.arrayLength(kMinString + 2);
        for (std::int32_t c = 0; c < configs && in.ok(); ++c) {
            CreatableTopicConfig config;
            config.name = in.string();
            config.value = in.nullableString();
            topic.configs.push_back(std::move(config));
        }
        request.topics.push_back(std::move(topic));
    }
    request.timeoutMs = in.int32();
    if (version >= 1)
        request.validateOnly = in.boolean();
    return request;
}

DeleteTopicsRequest readDeleteTopics(WireReader& in, std::int16_t)
{
    DeleteTopicsRequest request;
    request.topicNames = readStrings(in);
    request.timeoutMs = in.int32();
    return request;
}

DescribeConfigsRequest readDescribeConfigs(WireReader& in, std::int16_t version)
{
    DescribeConfigsRequest request;
    const std::int32_t resources = in.arrayLength(1 + kMinString + 4);
    for (std::int32_t r = 0; r < resources && in.ok(); ++r) {
        DescribeConfigsResource resource;
        resource.resourceType = static_cast<ConfigResourceType>(in.int8());
        resource.resourceName = in.string();
        const std::int32_t keys = in.arrayLength(kMinString);
        if (keys >= 0) {
            std::vector<std::string> names;
            for (std::int32_t k = 0; k < keys && in.ok(); ++k)
                names.push_back(in.string());
            resource.configurationKeys = std::move(names);
        }
        request.resources.push_back(std::move(resource));
    }
    if (version >= 1)
        request.includeSynonyms = in.boolean();
    return request;
}

InitProducerIdRequest readInitProducerId(WireReader& in, std::int16_t)
{
    InitProducerIdRequest request;
    request.transactionalId = in.nullableString();
    request.transactionTimeoutMs = in.int32();
    return request;
}

// ---- encoders (the client side)

void writeStrings(WireWriter& out, const std::vector<std::string>& values)
{
    out.arrayLength(values.size());
    for (const auto& value : values)
        out.string(value);
}

void writeInt32s(WireWriter& out, const std::vector<std::int32_t>& values)
{
    out.arrayLength(values.size());
    for (std::int32_t value : values)
        out.int32(value);
}

void write(WireWriter& out, std::int16_t version, const ApiVersionsRequest& request)
{
    if (version >= 3) {
        out.compactString(request.clientSoftwareName);
        out.compactString(request.clientSoftwareVersion);
        out.emptyTaggedFields();
    }
}

void write(WireWriter& out, std::int16_t version, const MetadataRequest& request)
{
    const bool flexible = version >= 9;
    if (!flexible) {
        if (!request.topics)
            out.int32(version == 0 ? 0 : -1);
        else
            writeStrings(out, *request.topics);
    } else if (!request.topics) {
        out.unsignedVarint(0); // null: every topic
    } else {
        out.compactArrayLength(request.topics->size() + (version >= 12 ? request.topicIds.size() : 0));
        for (const auto& name : *request.topics) {
            if (version >= 10)
                writeUuid(out, Uuid {});
            out.compactString(name);
            out.emptyTaggedFields();
        }
        for (std::size_t i = 0; version >= 12 && i < request.topicIds.size(); ++i) {
            writeUuid(out, topicUuid(request.topicIds[i]));
            out.compactNullableString(std::nullopt);
            out.emptyTaggedFields();
        }
    }
    if (version >= 4)
        out.boolean(request.allowAutoTopicCreation);
    if (version >= 8 && version <= 10)
        out.boolean(false);
    if (version >= 8)
        out.boolean(false);
    if (flexible)
        out.emptyTaggedFields();
}

void write(WireWriter& out, std::int16_t, const ProduceRequest& request)
{
    out.nullableString(request.transactionalId);
    out.int16(request.acks);
    out.int32(request.timeoutMs);
    out.arrayLength(request.topicData.size());
    for (const auto& topic : request.topicData) {
        out.string(topic.name);
        out.arrayLength(topic.partitionData.size());
        for (const auto& partition : topic.partitionData) {
            out.int32(partition.index);
            if (partition.records)
                out.bytes(partition.bytes());
            else
                out.nullBytes();
        }
    }
}

void write(WireWriter& out, std::int16_t version, const FetchRequest& request)
{
    out.int32(request.replicaId);
    out.int32(request.maxWaitMs);
    out.int32(request.minBytes);
    out.int32(request.maxBytes);
    out.int8(static_cast<std::int8_t>(request.isolationLevel));
    if (version >= 7) {
        out.int32(0);
        out.int32(-1);
    }
    out.arrayLength(request.topics.size());
    for (const auto& topic : request.topics) {
        out.string(topic.topic);
        out.arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            out.int32(partition.partition);
            if (version >= 9)
                out.int32(partition.currentLeaderEpoch);
            out.int64(partition.fetchOffset);
            if (version >= 5)
                out.int64(partition.logStartOffset);
            out.int32(partition.partitionMaxBytes);
        }
    }
    if (version >= 7)
        out.arrayLength(0);
    if (version >= 11)
        out.string({});
}

void write(WireWriter& out, std::int16_t version, const ListOffsetsRequest& request)
{
    out.int32(request.replicaId);
    if (version >= 2)
        out.int8(static_cast<std::int8_t>(request.isolationLevel));
    out.arrayLength(request.topics.size());
    for (const auto& topic : request.topics) {
        out.string(topic.name);
        out.arrayLength(topic.partitions.size());
        for (const auto& partition : topic.partitions) {
            out.int32(partition.partitionIndex);
            out.int64(partition.timestamp);
        }
    }
}

void write(WireWriter& out, std::int16_t version, const CreateTopicsRequest& request)
{
    out.arrayLength(request.topics.size());
    for (const auto& topic : request.topics) {
        out.string(topic.name);
        out.int32(topic.numPartitions);
        out.int16(topic.replicationFactor);
        out.arrayLength(topic.assignments.size());
        for (const auto& assignment : topic.assignments) {
            out.int32(assignment.partitionIndex);
            writeInt32s(out, assignment.brokerIds);
        }
        out.arrayLength(topic.configs.size());
        for (const auto& config : topic.configs) {
            out.string(config.name);
            out.nullableString(config.value);
        }
    }
    out.int32(request.timeoutMs);
    if (version >= 1)
        out.boolean(request.validateOnly);
}

void write(WireWriter& out, std::int16_t, const DeleteTopicsRequest& request)
{
    writeStrings(out, request.topicNames);
    out.int32(request.timeoutMs);
}

void write(WireWriter& out, std::int16_t version, const DescribeConfigsRequest& request)
{
    out.arrayLength(request.resources.size());
    for (const auto& resource : request.resources) {
        out.int8(static_cast<std::int8_t>(resource.resourceType));
        out.string(resource.resourceName);
        if (!resource.configurationKeys)
            out.int32(-1);
        else
            writeStrings(out, *resource.configurationKeys);
    }
    if (version >= 1)
        out.boolean(request.includeSynonyms);
}

void write(WireWriter& out, std::int16_t, const InitProducerIdRequest& request)
{
    out.nullableString(request.transactionalId);
    out.int32(request.transactionTimeoutMs);
}

void write(WireWriter&, std::int16_t, const std::monostate&) { }

} // namespace

bool decodeRequestBody(
    std::int16_t apiKey, std::int16_t version, std::span<const std::uint8_t> body, RequestBody& out, std::string& error)
{
    WireReader in(body);
    switch (static_cast<ApiKey>(apiKey)) {
    case ApiKey::ApiVersions:
        out = readApiVersions(in, version);
        break;
    case ApiKey::Metadata:
        out = readMetadata(in, version);
        break;
    case ApiKey::Produce:
        out = readProduce(in, version);
        break;
    case ApiKey::Fetch:
        out = readFetch(in, version);
        break;
    case ApiKey::ListOffsets:
        out = readListOffsets(in, version);
        break;
    case ApiKey::CreateTopics:
        out = readCreateTopics(in, version);
        break;
    case ApiKey::DeleteTopics:
        out = readDeleteTopics(in, version);
        break;
    case ApiKey::DescribeConfigs:
        out = readDescribeConfigs(in, version);
        break;
    case ApiKey::InitProducerId:
        out = readInitProducerId(in, version);
        break;
    case ApiKey::FindCoordinator:
        out = readFindCoordinator(in, version);
        break;
    case ApiKey::JoinGroup:
        out = readJoinGroup(in, version);
        break;
    case ApiKey::SyncGroup:
        out = readSyncGroup(in, version);
        break;
    case ApiKey::Heartbeat:
        out = readHeartbeat(in, version);
        break;
    case ApiKey::LeaveGroup:
        out = readLeaveGroup(in, version);
        break;
    case ApiKey::OffsetCommit:
        out = readOffsetCommit(in, version);
        break;
    case ApiKey::OffsetFetch:
        out = readOffsetFetch(in, version);
        break;
    case ApiKey::DescribeGroups:
        out = readDescribeGroups(in, version);
        break;
    case ApiKey::ListGroups:
        out = readListGroups(in, version);
        break;
    case ApiKey::ConsumerGroupHeartbeat:
        out = readConsumerGroupHeartbeat(in, version);
        break;
    default:
        error = "unknown api key " + std::to_string(apiKey);
        return false;
    }
    if (!in.ok()) {
        error = std::string(apiName(apiKey)) + " v" + std::to_string(version) + " request is truncated or has a bad length";
        return false;
    }
    if (!in.atEnd()) {
        error = std::string(apiName(apiKey)) + " v" + std::to_string(version) + " request has "
            + std::to_string(in.remaining()) + " unexpected trailing bytes";
        return false;
    }
    return true;
}

DecodedRequest decodeRequest(std::span<const std::uint8_t> frame)
{
    DecodedRequest result;
    WireReader in(frame);
    result.header.apiKey = in.int16();
    result.header.apiVersion = in.int16();
    result.header.correlationId = in.int32();
    if (!in.ok()) {
        result.error = "request header is truncated";
        return result;
    }
    const ApiVersionRange* api = findApi(result.header.apiKey);
    if (!api) {
        result.status = DecodeStatus::UnknownApi;
        result.error = "unknown or unsupported api key " + std::to_string(result.header.apiKey);
        return result;
    }
    result.header.clientId = in.nullableString();
    if (!in.ok()) {
        result.error = "request header is truncated";
        return result;
    }
    result.headerValid = true;
    if (result.header.apiVersion < api->minVersion || result.header.apiVersion > api->maxVersion) {
        result.status = DecodeStatus::UnsupportedVersion;
        result.error = std::string(apiName(api->apiKey)) + " v" + std::to_string(result.header.apiVersion)
            + " is not supported (Brokerlab speaks v" + std::to_string(api->minVersion) + " to v"
            + std::to_string(api->maxVersion) + ")";
        return result;
    }
    if (isFlexible(result.header.apiKey, result.header.apiVersion))
        in.skipTaggedFields(); // request header v2
    if (!in.ok()) {
        result.error = "request header is truncated";
        return result;
    }
    const std::size_t start = in.position();
    if (!decodeRequestBody(
            result.header.apiKey, result.header.apiVersion, frame.subspan(start), result.body, result.error))
        return result;
    result.status = DecodeStatus::Ok;
    return result;
}

bool expectsResponse(const DecodedRequest& request)
{
    if (auto* produce = std::get_if<ProduceRequest>(&request.body))
        return produce->acks != 0;
    return true;
}

std::vector<std::uint8_t> encodeRequest(const RequestHeader& header, const RequestBody& body)
{
    WireWriter out;
    out.int32(0); // size, patched below
    out.int16(header.apiKey);
    out.int16(header.apiVersion);
    out.int32(header.correlationId);
    out.nullableString(header.clientId);
    if (isFlexible(header.apiKey, header.apiVersion))
        out.emptyTaggedFields();
    std::visit([&](const auto& request) { write(out, header.apiVersion, request); }, body);
    out.patchInt32(0, static_cast<std::int32_t>(out.size() - 4));
    return out.take();
}

} // namespace brokerlab::wire
