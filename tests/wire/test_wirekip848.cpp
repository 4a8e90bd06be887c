// KIP-848 over a real socket. librdkafka 2.0.2 (Debian 12) has no group.protocol=consumer, so no
// packaged client speaks ConsumerGroupHeartbeat: this test plays the consumer with hand-written
// frames (Kafka's message definition, version 0) against a paced Driver behind a WireServer, and
// checks that a member learns its topic's id from Metadata v12, joins, gets every partition of that topic by
// topic id, and leaves.

#include "../common/rawconnection.h"
#include "../common/servedcluster.h"
#include "driver/driver.h"
#include "scenario/scenario.h"
#include "wire/kip848codec.h"
#include "wire/wirebuffer.h"
#include "wire/wireserver.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

using namespace brokerlab;
using brokerlab::test::Bytes;
using brokerlab::test::RawConnection;

namespace {

// ConsumerGroupHeartbeatRequest v0, field by field as in Kafka's message definition.
Bytes heartbeatBody(const std::string& memberId, std::int32_t epoch, bool full)
{
    wire::WireWriter out;
    out.compactString("kip848-group");
    out.compactString(memberId);
    out.int32(epoch);
    out.compactNullableString(std::nullopt); // InstanceId
    out.compactNullableString(std::nullopt); // RackId
    out.int32(full ? 30000 : -1); // RebalanceTimeoutMs
    if (full) {
        out.compactArrayLength(1); // SubscribedTopicNames
        out.compactString("orders");
    } else {
        out.unsignedVarint(0); // null: unchanged
    }
    out.compactNullableString(std::nullopt); // ServerAssignor
    if (full)
        out.compactArrayLength(0); // TopicPartitions: owns nothing yet
    else
        out.unsignedVarint(0); // null: unchanged
    out.emptyTaggedFields();
    return out.take();
}

} // namespace

class TestWireKip848 : public QObject {
    Q_OBJECT

private slots:
    void memberJoinsGetsItsPartitionsByTopicIdAndLeaves()
    {
        scenario::Scenario s;
        s.name = "kip848-wire";
        s.brokers = 3;
        s.durationMs = 3600LL * 1000;
        scenario::TopicSpec topic;
        topic.name = "orders";
        topic.partitions = 3;
        topic.replicationFactor = 3;
        s.topics.push_back(topic);
        test::ServedCluster served(s);
        std::string error;
        QVERIFY2(served.start(error), error.c_str());
        driver::Driver& driver = served.driver();
        wire::WireServer& server = served.server();

        // FindCoordinator v0 (error, node id, host, port), retried while __consumer_offsets is created.
        std::int32_t coordinator = -1;
        int coordinatorPort = 0;
        RawConnection bootstrap(server.port(1));
        QVERIFY(bootstrap.connected());
        for (int attempt = 0; attempt < 100 && coordinator < 0; ++attempt) {
            wire::WireWriter find;
            find.string("kip848-group");
            const Bytes answer = bootstrap.call(10, 0, false, find.take());
            wire::WireReader in(answer);
            const std::int16_t errorCode = in.int16();
            const std::int32_t node = in.int32();
            const std::string host = in.string();
            const std::int32_t port = in.int32();
            QVERIFY(in.atEnd());
            if (errorCode == 0) {
                coordinator = node;
                coordinatorPort = port;
                QCOMPARE(host, std::string("127.0.0.1"));
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        QVERIFY(coordinator > 0);
        QCOMPARE(coordinatorPort, server.port(coordinator));

        // The engine's id of "orders", as 16 bytes.
        std::string ordersId;
        std::promise<std::string> idPromise;
        auto idFuture = idPromise.get_future();
        driver.post({}, [&idPromise](driver::Engine& engine) {
            const auto* info = engine.cluster().controller().image().topic("orders");
            idPromise.set_value(info ? info->topicId : std::string());
        });
        ordersId = idFuture.get();
        QCOMPARE(ordersId.size(), std::size_t(22));
        const wire::Uuid ordersUuid = wire::topicUuid(ordersId);

        // A KIP-848 consumer learns topic ids from Metadata v12: by name, then back by id; an id no topic has
        // gets UNKNOWN_TOPIC_ID with a null name.
        auto metadataV12 = [&](const std::optional<std::string>& name, const wire::Uuid& id) {
            wire::WireWriter body;
            body.compactArrayLength(1);
            wire::writeUuid(body, id);
            body.compactNullableString(name);
            body.emptyTaggedFields();
            body.boolean(false); // allow_auto_topic_creation
            body.boolean(false); // include_topic_authorized_operations
            body.emptyTaggedFields();
            return test::readFlexibleMetadata(bootstrap.call(3, 12, true, body.take()), 12);
        };
        const test::MetadataAnswer byName = metadataV12(std::string("orders"), wire::Uuid {});
        QVERIFY2(byName.complete, "Metadata v12 answer has missing or trailing bytes");
        QCOMPARE(byName.brokers.size(), std::size_t(3));
        QCOMPARE(byName.topics.size(), std::size_t(1));
        QCOMPARE(byName.topics[0].errorCode, std::int16_t(0));
        QVERIFY(byName.topics[0].topicId == ordersUuid);
        QCOMPARE(byName.topics[0].partitions, 3);
        const test::MetadataAnswer byId = metadataV12(std::nullopt, ordersUuid);
        QVERIFY(byId.complete);
        QCOMPARE(byId.topics.size(), std::size_t(1));
        QCOMPARE(byId.topics[0].name, std::optional<std::string>("orders"));
        QCOMPARE(byId.topics[0].partitions, 3);
        wire::Uuid stranger = ordersUuid;
        stranger[0] ^= 0xff;
        const test::MetadataAnswer unknown = metadataV12(std::nullopt, stranger);
        QVERIFY(unknown.complete);
        QCOMPARE(unknown.topics.size(), std::size_t(1));
        QCOMPARE(unknown.topics[0].errorCode, std::int16_t(protocol::ErrorCode::UNKNOWN_TOPIC_ID));
        QVERIFY(!unknown.topics[0].name);
        QVERIFY(unknown.topics[0].topicId == stranger);

        // Join with epoch 0, then heartbeat with the member id and epoch until the assignment holds
        // all three partitions (the coordinator hands them out as the member's epoch advances).
        RawConnection connection(coordinatorPort);
        QVERIFY(connection.connected());
        std::string memberId;
        std::int32_t epoch = 0;
        std::vector<std::int32_t> assigned;
        for (int beat = 0; beat < 50 && assigned.size() < 3; ++beat) {
            const Bytes answer = connection.call(68, 0, true, heartbeatBody(memberId, epoch, beat == 0));
            QVERIFY(!answer.empty());
            wire::WireReader in(answer);
            const wire::ConsumerGroupHeartbeatResponse response = wire::readConsumerGroupHeartbeatResponse(in, 0);
            QVERIFY2(in.atEnd(), "the response has trailing or missing bytes");
            QCOMPARE(int(response.fields.errorCode), 0);
            if (beat == 0) {
                QVERIFY(!response.fields.memberId.empty()); // the coordinator names a joining member
                memberId = response.fields.memberId;
            }
            QVERIFY(response.fields.memberEpoch >= epoch);
            epoch = response.fields.memberEpoch;
            QVERIFY(response.fields.heartbeatIntervalMs > 0);
            if (response.assignment) {
                assigned.clear();
                for (const auto& topicPartitions : *response.assignment) {
                    QVERIFY2(topicPartitions.topicId == ordersUuid, "the assignment names a topic id the cluster does not have");
                    assigned.insert(assigned.end(), topicPartitions.partitions.begin(), topicPartitions.partitions.end());
                }
            }
            if (assigned.size() < 3)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        std::sort(assigned.begin(), assigned.end());
        QCOMPARE(assigned, (std::vector<std::int32_t> { 0, 1, 2 }));
        QVERIFY(epoch >= 1);

        // Leave (epoch -1): the answer echoes the member and the leave epoch.
        const Bytes left = connection.call(68, 0, true, heartbeatBody(memberId, -1, false));
        wire::WireReader in(left);
        const wire::ConsumerGroupHeartbeatResponse response = wire::readConsumerGroupHeartbeatResponse(in, 0);
        QCOMPARE(int(response.fields.errorCode), 0);
        QCOMPARE(response.fields.memberEpoch, -1);

        // A second leave for the same member: it is gone.
        const Bytes again = connection.call(68, 0, true, heartbeatBody(memberId, -1, false));
        wire::WireReader second(again);
        QCOMPARE(int(wire::readConsumerGroupHeartbeatResponse(second, 0).fields.errorCode),
            int(protocol::ErrorCode::UNKNOWN_MEMBER_ID));
        server.stop();
        driver.stop();
    }
};

QTEST_GUILESS_MAIN(TestWireKip848)
#include "test_wirekip848.moc"
