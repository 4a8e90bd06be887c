// The wire codecs against bytes real clients and brokers wrote (the kafkajs captures under
// tests/data/kafka-wire): every request vector decodes to the values it carries and encodes back to
// the same bytes; responses built from the values in a capture encode to exactly its bytes. Plus
// the bounds checks: truncated, oversized and hostile input fails cleanly.

#include "../common/rawconnection.h"
#include "wire/codec.h"
#include "wire/wirebuffer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::wire;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes loadVector(const QString& name)
{
    QFile file(QStringLiteral(BROKERLAB_TEST_DATA "/kafka-wire/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test vector %s", qPrintable(name));
    Bytes bytes;
    for (const auto& value : QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("data")).toArray())
        bytes.push_back(static_cast<std::uint8_t>(value.toInt()));
    return bytes;
}

RequestBody decodeBody(ApiKey api, int version, const Bytes& bytes)
{
    RequestBody body;
    std::string error;
    if (!decodeRequestBody(static_cast<std::int16_t>(api), static_cast<std::int16_t>(version), bytes, body, error))
        qWarning("%s", error.c_str());
    return body;
}

// The body part of encodeRequest (after size, header with a null client id).
Bytes encodeBody(ApiKey api, int version, const RequestBody& body)
{
    RequestHeader header { static_cast<std::int16_t>(api), static_cast<std::int16_t>(version), 1, std::nullopt };
    Bytes framed = encodeRequest(header, body);
    const std::size_t headerSize = 2 + 2 + 4 + 2 + (isFlexible(header.apiKey, header.apiVersion) ? 1 : 0);
    return Bytes(framed.begin() + 4 + static_cast<std::ptrdiff_t>(headerSize), framed.end());
}

Bytes responseBody(ApiKey api, int version, const ResponseBody& body)
{
    return encodeResponseBody(static_cast<std::int16_t>(api), static_cast<std::int16_t>(version), body);
}

} // namespace

class TestWireCodec : public QObject {
    Q_OBJECT

private slots:
    void produceRequestsDecodeAndRoundTrip_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<int>("acks");
        for (int version = 3; version <= 7; ++version)
            QTest::addRow("v%d", version) << version << (version == 6 ? 1 : -1);
    }
    void produceRequestsDecodeAndRoundTrip()
    {
        QFETCH(int, version);
        QFETCH(int, acks);
        const Bytes bytes = loadVector(QStringLiteral("produce/v%1_request.json").arg(version));
        const RequestBody body = decodeBody(ApiKey::Produce, version, bytes);
        const auto* produce = std::get_if<protocol::ProduceRequest>(&body);
        QVERIFY(produce);
        QVERIFY(!produce->transactionalId);
        QCOMPARE(produce->acks, acks);
        QCOMPARE(produce->timeoutMs, 30000);
        QCOMPARE(produce->topicData.size(), std::size_t(1));
        QVERIFY(produce->topicData[0].name.starts_with("test-topic-"));
        QCOMPARE(produce->topicData[0].partitionData.size(), std::size_t(1));
        const auto records = produce->topicData[0].partitionData[0].bytes();
        QVERIFY(records.size() > 61);
        QCOMPARE(int(records[16]), 2); // RecordBatch v2 magic
        QCOMPARE(encodeBody(ApiKey::Produce, version, body), bytes);
    }

    void produceResponsesEncodeLikeKafka_data()
    {
        QTest::addColumn<int>("version");
        for (int version = 3; version <= 7; ++version)
            QTest::addRow("v%d", version) << version;
    }
    void produceResponsesEncodeLikeKafka()
    {
        QFETCH(int, version);
        const Bytes expected = loadVector(QStringLiteral("produce/v%1_response.json").arg(version));
        // Each capture: one topic, partition 0, no error, base offset 0, log append time -1,
        // (v5+) log start offset 0, throttle 0. The topic name is the capture's own.
        WireReader in(expected);
        in.int32();
        const std::string topic = in.string();
        protocol::ProduceResponse response;
        protocol::ProducePartitionResponse partition;
        partition.baseOffset = 0;
        partition.logAppendTimeMs = -1;
        partition.logStartOffset = 0;
        response.responses.push_back({ topic, { partition } });
        QCOMPARE(responseBody(ApiKey::Produce, version, response), expected);
    }

    void fetchRequestsDecode_data()
    {
        QTest::addColumn<int>("version");
        for (int version = 4; version <= 11; ++version)
            QTest::addRow("v%d", version) << version;
    }
    void fetchRequestsDecode()
    {
        QFETCH(int, version);
        const Bytes bytes = loadVector(QStringLiteral("fetch/v%1_request.json").arg(version));
        const RequestBody body = decodeBody(ApiKey::Fetch, version, bytes);
        const auto* fetch = std::get_if<protocol::FetchRequest>(&body);
        QVERIFY(fetch);
        QCOMPARE(fetch->maxBytes, 10485760);
        QCOMPARE(fetch->topics.size(), std::size_t(1));
        QCOMPARE(fetch->topics[0].partitions.size(), std::size_t(1));
        QCOMPARE(fetch->topics[0].partitions[0].fetchOffset, 0);
        QCOMPARE(fetch->topics[0].partitions[0].partitionMaxBytes, 1048576);
        QCOMPARE(fetch->isolationLevel, protocol::IsolationLevel::ReadCommitted);
        if (version < 11) // v11's rack_id is read and dropped, everything else is kept
            QCOMPARE(encodeBody(ApiKey::Fetch, version, body), bytes);
    }

    void fetchResponseEncodesLikeKafka()
    {
        // v4 from a real broker: one topic, one partition, HW 3, LSO 3, no aborted transactions, records.
        const Bytes expected = loadVector(QStringLiteral("fetch/v4_response.json"));
        WireReader in(expected);
        in.int32();
        in.int32();
        protocol::FetchableTopicResponse topic;
        topic.topic = in.string();
        in.int32();
        protocol::FetchPartitionData partition;
        partition.partitionIndex = in.int32();
        partition.errorCode = static_cast<protocol::ErrorCode>(in.int16());
        partition.highWatermark = in.int64();
        partition.lastStableOffset = in.int64();
        QCOMPARE(in.int32(), 0); // aborted transactions
        auto records = in.nullableBytes();
        QVERIFY(in.atEnd() && records);
        partition.records = *records;
        QCOMPARE(partition.highWatermark, 3);
        topic.partitions.push_back(partition);
        protocol::FetchResponse response;
        response.responses.push_back(topic);
        QCOMPARE(responseBody(ApiKey::Fetch, 4, response), expected);
    }

    void listOffsetsRequestsRoundTrip_data()
    {
        QTest::addColumn<int>("version");
        QTest::addRow("v1") << 1;
        QTest::addRow("v2") << 2;
    }
    void listOffsetsRequestsRoundTrip()
    {
        QFETCH(int, version);
        const Bytes bytes = loadVector(QStringLiteral("listOffsets/v%1_request.json").arg(version));
        const RequestBody body = decodeBody(ApiKey::ListOffsets, version, bytes);
        const auto* request = std::get_if<protocol::ListOffsetsRequest>(&body);
        QVERIFY(request);
        QCOMPARE(request->replicaId, -1);
        QCOMPARE(request->topics.size(), std::size_t(1));
        QCOMPARE(request->topics[0].partitions[0].timestamp, 1509285569484LL);
        QCOMPARE(encodeBody(ApiKey::ListOffsets, version, body), bytes);
    }

    void listOffsetsResponseEncodesLikeKafka()
    {
        const Bytes expected = loadVector(QStringLiteral("listOffsets/v2_response.json"));
        WireReader in(expected);
        in.int32();
        in.int32();
        protocol::ListOffsetsResponse response;
        protocol::ListOffsetsPartitionResponse partition;
        partition.timestamp = -1;
        partition.offset = 1;
        response.topics.push_back({ in.string(), { partition } });
        QCOMPARE(responseBody(ApiKey::ListOffsets, 2, response), expected);
    }

    void metadataResponseEncodesLikeKafka()
    {
        const Bytes expected = loadVector(QStringLiteral("metadata/v4_response.json"));
        protocol::MetadataResponse response;
        for (auto [id, port] : { std::pair { 2, 9098 }, { 1, 9095 }, { 0, 9092 } })
            response.brokers.push_back({ id, "192.168.1.173", port, std::nullopt });
        response.clusterId = "Q0WO3u_TTAeslFDJWiiGvA";
        response.controllerId = 1;
        protocol::MetadataResponseTopic topic;
        topic.name = "test-topic-66d1df55ec27e033d726";
        protocol::MetadataResponsePartition partition;
        partition.partitionIndex = 0;
        partition.leaderId = 1;
        partition.replicaNodes = { 1 };
        partition.isrNodes = { 1 };
        topic.partitions.push_back(partition);
        response.topics.push_back(topic);
        QCOMPARE(responseBody(ApiKey::Metadata, 4, response), expected);
        // v3 has the same layout, v5 adds offline replicas.
        QCOMPARE(responseBody(ApiKey::Metadata, 3, response).size(), expected.size());
        QCOMPARE(responseBody(ApiKey::Metadata, 5, response).size(), expected.size() + 4);

        // v0 (what kafka-python sends while it probes a broker's version) has no throttle time, cluster id,
        // rack, controller or internal flag: brokers, then topics, then partitions.
        const Bytes v0 = responseBody(ApiKey::Metadata, 0, response);
        wire::WireReader in(v0);
        QCOMPARE(in.arrayLength(), 3);
        for (auto [id, port] : { std::pair { 2, 9098 }, { 1, 9095 }, { 0, 9092 } }) {
            QCOMPARE(in.int32(), id);
            QCOMPARE(in.string(), std::string("192.168.1.173"));
            QCOMPARE(in.int32(), port);
        }
        QCOMPARE(in.arrayLength(), 1);
        QCOMPARE(in.int16(), std::int16_t(0));
        QCOMPARE(in.string(), topic.name);
        QCOMPARE(in.arrayLength(), 1);
        QCOMPARE(in.int16(), std::int16_t(0));
        QCOMPARE(in.int32(), 0); // partition
        QCOMPARE(in.int32(), 1); // leader
        QCOMPARE(in.arrayLength(), 1);
        QCOMPARE(in.int32(), 1);
        QCOMPARE(in.arrayLength(), 1);
        QCOMPARE(in.int32(), 1);
        QVERIFY(in.atEnd());
    }

    void metadataV0EmptyTopicListMeansEveryTopic()
    {
        // In v0 an empty array asks for every topic and a null one is malformed; from v1 on an empty array asks
        // for none.
        wire::WireWriter empty;
        empty.int32(0);
        const Bytes bytes = empty.take();
        const RequestBody v0 = decodeBody(ApiKey::Metadata, 0, bytes);
        const auto* every = std::get_if<protocol::MetadataRequest>(&v0);
        QVERIFY(every);
        QVERIFY(!every->topics.has_value());
        const RequestBody v1 = decodeBody(ApiKey::Metadata, 1, bytes);
        const auto* none = std::get_if<protocol::MetadataRequest>(&v1);
        QVERIFY(none);
        QVERIFY(none->topics.has_value());
        QVERIFY(none->topics->empty());
        wire::WireWriter null;
        null.int32(-1);
        Bytes nullBytes = null.take();
        RequestBody out;
        std::string error;
        QVERIFY(!decodeRequestBody(static_cast<std::int16_t>(ApiKey::Metadata), 0, nullBytes, out, error));
    }

    void metadataRequestsRoundTrip_data()
    {
        QTest::addColumn<int>("version");
        for (int version = 0; version <= 13; ++version)
            QTest::addRow("v%d", version) << version;
    }
    void metadataRequestsRoundTrip()
    {
        QFETCH(int, version);
        protocol::MetadataRequest all;
        all.topics = std::nullopt;
        protocol::MetadataRequest some;
        some.topics = std::vector<std::string> { "orders", "payments" };
        some.allowAutoTopicCreation = version < 4; // only v4+ can say no
        if (version >= 12)
            some.topicIds = { wire::topicIdText(wire::topicUuid("AAECAwQFBgcICQoLDA0ODw")) }; // by id (name null)
        for (const auto& request : { all, some }) {
            const Bytes bytes = encodeBody(ApiKey::Metadata, version, request);
            const RequestBody decoded = decodeBody(ApiKey::Metadata, version, bytes);
            const auto* back = std::get_if<protocol::MetadataRequest>(&decoded);
            QVERIFY(back);
            QCOMPARE(back->topics, request.topics);
            QCOMPARE(back->topicIds, request.topicIds);
            QCOMPARE(back->allowAutoTopicCreation, request.allowAutoTopicCreation);
        }
    }

    void metadataNullNameBeforeV12IsRefused()
    {
        // v10 and v11 carry a topic id field, but Kafka serves topics by id only from v12 on.
        wire::WireWriter body;
        body.compactArrayLength(1);
        wire::writeUuid(body, wire::topicUuid("AAECAwQFBgcICQoLDA0ODw"));
        body.compactNullableString(std::nullopt);
        body.emptyTaggedFields();
        body.boolean(true);
        body.boolean(false);
        body.emptyTaggedFields();
        const Bytes bytes = body.take();
        RequestBody out;
        std::string error;
        QVERIFY(!decodeRequestBody(static_cast<std::int16_t>(ApiKey::Metadata), 11, bytes, out, error));
        Bytes v12 = bytes;
        QVERIFY(decodeRequestBody(static_cast<std::int16_t>(ApiKey::Metadata), 12, v12, out, error));
    }

    void metadataResponsesCarryTopicIds_data()
    {
        QTest::addColumn<int>("version");
        for (int version = 9; version <= 13; ++version)
            QTest::addRow("v%d", version) << version;
    }
    void metadataResponsesCarryTopicIds()
    {
        QFETCH(int, version);
        protocol::MetadataResponse response;
        response.brokers.push_back({ 1, "127.0.0.1", 19092, std::nullopt });
        response.brokers.push_back({ 2, "127.0.0.1", 19093, std::string("rack-b") });
        response.clusterId = "brokerlab";
        response.controllerId = 1;
        protocol::MetadataResponseTopic orders;
        orders.name = "orders";
        orders.topicId = "AAECAwQFBgcICQoLDA0ODw";
        protocol::MetadataResponsePartition partition;
        partition.leaderId = 1;
        partition.leaderEpoch = 3;
        partition.replicaNodes = { 1, 2 };
        partition.isrNodes = { 1 };
        partition.offlineReplicas = { 2 };
        orders.partitions = { partition, partition };
        protocol::MetadataResponseTopic unknown; // asked for by id, not found
        unknown.errorCode = protocol::ErrorCode::UNKNOWN_TOPIC_ID;
        unknown.topicId = "_wECAwQFBgcICQoLDA0ODw";
        response.topics = { orders };
        if (version >= 12)
            response.topics.push_back(unknown);
        const test::MetadataAnswer answer
            = test::readFlexibleMetadata(responseBody(ApiKey::Metadata, version, response), version);
        QVERIFY2(answer.complete, "missing or trailing bytes");
        QCOMPARE(answer.brokers, (std::vector<std::pair<std::int32_t, int>> { { 1, 19092 }, { 2, 19093 } }));
        QCOMPARE(answer.topics.size(), response.topics.size());
        QCOMPARE(answer.topics[0].name, std::optional<std::string>("orders"));
        QCOMPARE(answer.topics[0].partitions, 2);
        if (version >= 10) {
            const wire::Uuid expected { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
            QVERIFY(answer.topics[0].topicId == expected);
        }
        if (version >= 12) {
            QCOMPARE(answer.topics[1].errorCode, std::int16_t(100));
            QVERIFY2(!answer.topics[1].name, "an unknown topic asked for by id has a null name");
        }
    }

    void apiVersionsAnswersInEveryVersion()
    {
        ApiVersionsResponse response;
        response.apiKeys = { { 0, 3, 7 }, { 18, 0, 3 } };
        // v0: error, array, no throttle time.
        const Bytes v0 = responseBody(ApiKey::ApiVersions, 0, response);
        QCOMPARE(v0, (Bytes { 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 7, 0, 18, 0, 0, 0, 3 }));
        // v3 is flexible: compact array (count + 1), a tag section per entry and at the end.
        const Bytes v3 = responseBody(ApiKey::ApiVersions, 3, response);
        QCOMPARE(v3, (Bytes { 0, 0, 3, 0, 0, 0, 3, 0, 7, 0, 0, 18, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0 }));
        // The capture's v0 layout: error 0, then 21 entries of 6 bytes.
        const Bytes kafka = loadVector(QStringLiteral("apiVersions/v0_response.json"));
        QCOMPARE(kafka.size(), std::size_t(2 + 4 + 21 * 6));
        // ApiVersions v3 request: client software name and version, compact, with tags.
        const Bytes v3Request { 8, 'r', 'd', 'k', 'a', 'f', 'k', 'a', 6, '2', '.', '0', '.', '2', 0 };
        const RequestBody body = decodeBody(ApiKey::ApiVersions, 3, v3Request);
        QCOMPARE(std::get<ApiVersionsRequest>(body).clientSoftwareName, std::string("rdkafka"));
        QCOMPARE(std::get<ApiVersionsRequest>(body).clientSoftwareVersion, std::string("2.0.2"));
        QCOMPARE(encodeBody(ApiKey::ApiVersions, 3, body), v3Request);
    }

    void consumerGroupHeartbeatFollowsKafkasMessageDefinition()
    {
        // ConsumerGroupHeartbeatRequest v0, written by hand from the message definition: compact
        // strings (length + 1), compact nullable arrays (0 = null), a uuid as 16 raw bytes, tag
        // sections after each struct and at the end.
        Bytes uuid(16);
        for (std::size_t i = 0; i < uuid.size(); ++i)
            uuid[i] = static_cast<std::uint8_t>(0xa0 + i);
        Bytes request { 3, 'g', '1', // GroupId "g1"
            1, // MemberId "" (joining)
            0, 0, 0, 0, // MemberEpoch 0
            0, // InstanceId null
            0, // RackId null
            0, 0, 0x75, 0x30, // RebalanceTimeoutMs 30000
            2, 7, 'o', 'r', 'd', 'e', 'r', 's', // SubscribedTopicNames ["orders"]
            8, 'u', 'n', 'i', 'f', 'o', 'r', 'm', // ServerAssignor "uniform"
            2 }; // TopicPartitions: one topic
        request.insert(request.end(), uuid.begin(), uuid.end());
        request.insert(request.end(), { 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, // partitions [1, 2], tags
                                          0 }); // tags of the request
        const RequestBody body = decodeBody(ApiKey::ConsumerGroupHeartbeat, 0, request);
        const auto& heartbeat = std::get<ConsumerGroupHeartbeatRequest>(body);
        QCOMPARE(heartbeat.fields.groupId, std::string("g1"));
        QVERIFY(heartbeat.fields.memberId.empty());
        QCOMPARE(heartbeat.fields.memberEpoch, 0);
        QVERIFY(!heartbeat.fields.instanceId && !heartbeat.fields.rackId);
        QCOMPARE(heartbeat.fields.rebalanceTimeoutMs, 30000);
        QCOMPARE(heartbeat.fields.subscribedTopicNames, std::optional(std::vector<std::string> { "orders" }));
        QCOMPARE(heartbeat.fields.serverAssignor, std::optional(std::string("uniform")));
        QVERIFY(heartbeat.topicPartitions && heartbeat.topicPartitions->size() == 1);
        QCOMPARE(Bytes(heartbeat.topicPartitions->front().topicId.begin(), heartbeat.topicPartitions->front().topicId.end()),
            uuid);
        QCOMPARE(heartbeat.topicPartitions->front().partitions, (std::vector<std::int32_t> { 1, 2 }));
        QCOMPARE(encodeBody(ApiKey::ConsumerGroupHeartbeat, 0, body), request);
        QVERIFY(isFlexible(static_cast<std::int16_t>(ApiKey::ConsumerGroupHeartbeat), 0));
        QVERIFY(!isSupported(static_cast<std::int16_t>(ApiKey::ConsumerGroupHeartbeat), 1)); // v1: regex, client member ids

        // A truncated request fails cleanly.
        RequestBody truncated;
        std::string error;
        QVERIFY(!decodeRequestBody(static_cast<std::int16_t>(ApiKey::ConsumerGroupHeartbeat), 0,
            Bytes(request.begin(), request.end() - 5), truncated, error));

        // The response: throttle, error, nullable message and member id, epoch, interval, and the
        // Assignment struct behind a presence byte (1; -1 would be null).
        ConsumerGroupHeartbeatResponse response;
        response.fields.memberId = "m";
        response.fields.memberEpoch = 5;
        response.fields.heartbeatIntervalMs = 5000;
        Uuid id {};
        std::copy(uuid.begin(), uuid.end(), id.begin());
        response.assignment = std::vector<WireTopicPartitions> { { id, { 0 } } };
        Bytes expected { 0, 0, 0, 0, // ThrottleTimeMs
            0, 0, // ErrorCode
            0, // ErrorMessage null
            2, 'm', // MemberId "m"
            0, 0, 0, 5, // MemberEpoch
            0, 0, 0x13, 0x88, // HeartbeatIntervalMs 5000
            1, // Assignment present
            2 }; // one topic
        expected.insert(expected.end(), uuid.begin(), uuid.end());
        expected.insert(expected.end(), { 2, 0, 0, 0, 0, 0, // partitions [0], tags
                                            0, // Assignment's tags
                                            0 }); // tags of the response
        QCOMPARE(responseBody(ApiKey::ConsumerGroupHeartbeat, 0, response), expected);
        WireReader reader(expected);
        const ConsumerGroupHeartbeatResponse read = readConsumerGroupHeartbeatResponse(reader, 0);
        QVERIFY(reader.atEnd());
        QCOMPARE(read.fields.memberEpoch, 5);
        QVERIFY(read.assignment && *read.assignment == *response.assignment);
        response.assignment.reset();
        const Bytes unchanged = responseBody(ApiKey::ConsumerGroupHeartbeat, 0, response);
        QCOMPARE(unchanged[unchanged.size() - 2], std::uint8_t(0xff)); // Assignment null: -1

        // Topic ids: Brokerlab's 22-character text and Kafka's 16 bytes name the same id.
        const std::string text = topicIdText(id);
        QCOMPARE(text.size(), std::size_t(22));
        QVERIFY(topicUuid(text) == id);
        QVERIFY(topicUuid("not an id") == Uuid {});
    }

    void responseHeaderIsV0ForApiVersionsEvenWhenFlexible()
    {
        RequestHeader header { 18, 3, 0x01020304, std::string("kcat") };
        const Bytes framed = encodeResponse(header, ApiVersionsResponse {});
        // size, correlation id, then the body at once (no tag section after the correlation id).
        QCOMPARE(Bytes(framed.begin() + 4, framed.begin() + 8), (Bytes { 1, 2, 3, 4 }));
        QCOMPARE(framed.size(), std::size_t(4 + 4 + 2 + 1 + 4 + 1));
    }

    void adminRequestsRoundTrip_data()
    {
        QTest::addColumn<int>("api");
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("file");
        QTest::addRow("CreateTopics v0") << 19 << 0 << QStringLiteral("createTopics/v0_request.json");
        QTest::addRow("CreateTopics v1") << 19 << 1 << QStringLiteral("createTopics/v1_request.json");
        QTest::addRow("CreateTopics v2") << 19 << 2 << QStringLiteral("createTopics/v2_request.json");
        QTest::addRow("DeleteTopics v0") << 20 << 0 << QStringLiteral("deleteTopics/v0_request.json");
        QTest::addRow("DeleteTopics v1") << 20 << 1 << QStringLiteral("deleteTopics/v1_request.json");
        QTest::addRow("DescribeConfigs v0") << 32 << 0 << QStringLiteral("describeConfigs/v0_request.json");
        QTest::addRow("DescribeConfigs v0 broker") << 32 << 0 << QStringLiteral("describeConfigs/v0_request_broker_config.json");
        QTest::addRow("DescribeConfigs v1") << 32 << 1 << QStringLiteral("describeConfigs/v1_request.json");
        QTest::addRow("InitProducerId v0") << 22 << 0 << QStringLiteral("initProducerId/v0_request.json");
    }
    void adminRequestsRoundTrip()
    {
        QFETCH(int, api);
        QFETCH(int, version);
        QFETCH(QString, file);
        const Bytes bytes = loadVector(file);
        const RequestBody body = decodeBody(static_cast<ApiKey>(api), version, bytes);
        QVERIFY(!std::holds_alternative<std::monostate>(body));
        QCOMPARE(encodeBody(static_cast<ApiKey>(api), version, body), bytes);
        if (auto* create = std::get_if<protocol::CreateTopicsRequest>(&body)) {
            QCOMPARE(create->topics.size(), std::size_t(2));
            QCOMPARE(create->topics[0].numPartitions, -1);
            QCOMPARE(create->timeoutMs, 5000);
        }
        if (auto* init = std::get_if<protocol::InitProducerIdRequest>(&body)) {
            QCOMPARE(init->transactionalId, std::optional<std::string>("initproduceridtransaction"));
            QCOMPARE(init->transactionTimeoutMs, 30000);
        }
        if (auto* describe = std::get_if<protocol::DescribeConfigsRequest>(&body)) {
            QCOMPARE(describe->resources.size(), std::size_t(1));
            QVERIFY(describe->resources[0].configurationKeys);
        }
    }

    void groupRequestsRoundTrip_data()
    {
        QTest::addColumn<int>("api");
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("file");
        const struct {
            int api;
            const char* folder;
            std::vector<int> versions;
        } apis[] = {
            { 10, "findCoordinator", { 0, 1 } },
            { 11, "joinGroup", { 0, 1, 2, 5 } },
            { 14, "syncGroup", { 0, 1, 2, 3 } },
            { 12, "heartbeat", { 0, 1, 2, 3 } },
            { 13, "leaveGroup", { 0, 1, 2, 3 } },
            { 8, "offsetCommit", { 2, 3, 5 } },
            { 9, "offsetFetch", { 1, 2, 3 } },
            { 15, "describeGroups", { 0, 1 } },
        };
        for (const auto& api : apis)
            for (int version : api.versions)
                QTest::addRow("%s v%d", api.folder, version)
                    << api.api << version << QStringLiteral("%1/v%2_request.json").arg(QLatin1String(api.folder)).arg(version);
    }
    void groupRequestsRoundTrip()
    {
        QFETCH(int, api);
        QFETCH(int, version);
        QFETCH(QString, file);
        const Bytes bytes = loadVector(file);
        const RequestBody body = decodeBody(static_cast<ApiKey>(api), version, bytes);
        QVERIFY(!std::holds_alternative<std::monostate>(body));
        QCOMPARE(encodeBody(static_cast<ApiKey>(api), version, body), bytes);
        if (auto* join = std::get_if<protocol::JoinGroupRequest>(&body)) {
            QCOMPARE(join->protocolType, std::string("consumer"));
            QVERIFY(!join->protocols.empty());
            QCOMPARE(join->requireKnownMemberId, version >= 4);
        }
    }

    void groupResponsesEncodeLikeKafka()
    {
        // Heartbeat v1-v3: throttle time 0, no error.
        for (int version = 1; version <= 3; ++version)
            QCOMPARE(responseBody(ApiKey::Heartbeat, version, protocol::HeartbeatResponse {}),
                loadVector(QStringLiteral("heartbeat/v%1_response.json").arg(version)));
        QCOMPARE(responseBody(ApiKey::Heartbeat, 0, protocol::HeartbeatResponse {}),
            loadVector(QStringLiteral("heartbeat/v0_response.json")));
        // LeaveGroup v0-v2: one member's outcome as the top-level error.
        for (int version = 0; version <= 2; ++version)
            QCOMPARE(responseBody(ApiKey::LeaveGroup, version, protocol::LeaveGroupResponse {}),
                loadVector(QStringLiteral("leaveGroup/v%1_response.json").arg(version)));
    }

    void adminResponsesEncodeLikeKafka()
    {
        // CreateTopics v1: one topic, no error, null message.
        {
            const Bytes expected = loadVector(QStringLiteral("createTopics/v1_response.json"));
            protocol::CreateTopicsResponse response;
            response.topics.push_back({ "test-topic-98abe97d412df76b4deb", protocol::ErrorCode::NONE, std::nullopt });
            QCOMPARE(responseBody(ApiKey::CreateTopics, 1, response), expected);
        }
        // DeleteTopics v0: two topics, no errors.
        {
            const Bytes expected = loadVector(QStringLiteral("deleteTopics/v0_response.json"));
            protocol::DeleteTopicsResponse response;
            response.responses = { { "test-topic-bb9886eb859786ce646d", protocol::ErrorCode::NONE },
                { "test-topic-d41416601b422429db78", protocol::ErrorCode::NONE } };
            QCOMPARE(responseBody(ApiKey::DeleteTopics, 0, response), expected);
        }
        // InitProducerId v0: producer id 1006, epoch 0.
        {
            const Bytes expected = loadVector(QStringLiteral("initProducerId/v0_response.json"));
            protocol::InitProducerIdResponse response;
            response.producerId = 1006;
            response.producerEpoch = 0;
            QCOMPARE(responseBody(ApiKey::InitProducerId, 0, response), expected);
        }
        // DescribeConfigs v0: a topic's compression.type and retention.ms, both defaults.
        {
            const Bytes expected = loadVector(QStringLiteral("describeConfigs/v0_response.json"));
            protocol::DescribeConfigsResponse response;
            protocol::DescribeConfigsResult result;
            result.resourceName = "test-topic-443a0ba6d66fd2161c73";
            result.configs = { { "compression.type", "producer" }, { "retention.ms", "604800000" } };
            response.results.push_back(result);
            QCOMPARE(responseBody(ApiKey::DescribeConfigs, 0, response), expected);
            // v1 replaces is_default with config_source (5 = DEFAULT_CONFIG) and adds synonyms,
            // which Brokerlab leaves empty: the bytes agree up to the first synonym array.
            const Bytes v1Expected = loadVector(QStringLiteral("describeConfigs/v1_response.json"));
            response.results[0].resourceName = "topic-test1";
            const Bytes v1 = responseBody(ApiKey::DescribeConfigs, 1, response);
            const std::size_t prefix = 4 + 4 + 2 + 2 + 1 + 2 + 11 + 4 + (2 + 16) + (2 + 8) + 1 + 1 + 1;
            QCOMPARE(Bytes(v1.begin(), v1.begin() + prefix), Bytes(v1Expected.begin(), v1Expected.begin() + prefix));
            QCOMPARE(int(v1[prefix - 2]), 5);
        }
    }

    void hostileInputFailsCleanly()
    {
        // A Produce v3 claiming 2^31-1 topics in 12 bytes: refused before anything is allocated.
        const Bytes hostile { 0xff, 0xff, 0xff, 0xff, 0, 0, 0x75, 0x30, 0x7f, 0xff, 0xff, 0xff };
        RequestBody body;
        std::string error;
        QVERIFY(!decodeRequestBody(0, 3, hostile, body, error));
        QVERIFY(error.find("Produce v3") != std::string::npos);
        // Every truncation of a real request fails, none crashes.
        const Bytes produce = loadVector(QStringLiteral("produce/v7_request.json"));
        for (std::size_t length = 0; length < produce.size(); ++length)
            QVERIFY(!decodeRequestBody(0, 7, std::span(produce.data(), length), body, error));
        // Trailing bytes are an error too.
        Bytes longer = produce;
        longer.push_back(0);
        QVERIFY(!decodeRequestBody(0, 7, longer, body, error));
        QVERIFY(error.find("trailing") != std::string::npos);
        // A five-byte varint with high bits set is not a 32-bit value.
        const Bytes varint { 0xff, 0xff, 0xff, 0xff, 0x7f };
        WireReader in(varint);
        in.unsignedVarint();
        QVERIFY(!in.ok());
    }

    void requestHeaderStatuses()
    {
        const auto header = [](std::int16_t api, std::int16_t version) {
            WireWriter out;
            out.int16(api);
            out.int16(version);
            out.int32(42);
            out.nullableString(std::string("client"));
            return out.take();
        };
        QCOMPARE(decodeRequest(header(999, 0)).status, DecodeStatus::UnknownApi);
        const DecodedRequest old = decodeRequest(header(0, 2)); // Produce v2: before RecordBatch v2
        QCOMPARE(old.status, DecodeStatus::UnsupportedVersion);
        QVERIFY(old.headerValid);
        QCOMPARE(old.header.correlationId, 42);
        QCOMPARE(decodeRequest(header(18, 0)).status, DecodeStatus::Ok);
        QCOMPARE(decodeRequest(header(18, 0)).header.clientId, std::optional<std::string>("client"));
        QCOMPARE(decodeRequest(Bytes { 0, 18, 0 }).status, DecodeStatus::Malformed);
        // acks=0 gets no response.
        DecodedRequest produce;
        protocol::ProduceRequest request;
        request.acks = 0;
        produce.body = request;
        QVERIFY(!expectsResponse(produce));
    }
};

QTEST_GUILESS_MAIN(TestWireCodec)
#include "test_wirecodec.moc"
