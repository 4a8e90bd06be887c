#pragma once
// A raw group-protocol client for test_groupprotocol: one simulated connection that sends
// FindCoordinator, JoinGroup, SyncGroup, Heartbeat, OffsetCommit, ... to the brokers of a small
// three-broker cluster and steps virtual time until the answers arrive.

#include "../common/testscenario.h"
#include "cluster/offsetsrecords.h"
#include "group/consumerprotocol.h"

#include <QTest>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Compares error codes by Kafka's names, so a failure prints them.
#define QCOMPARE_ERROR(actual, expected)                                                                              \
    QCOMPARE(QString::fromUtf8(std::string(protocol::errorName(actual)).c_str()),                                     \
        QString::fromUtf8(std::string(protocol::errorName(expected)).c_str()))

namespace grouplab {

using namespace brokerlab;
using protocol::ErrorCode;

inline constexpr std::int32_t kInitialDelayMs = 2000; // group.initial.rebalance.delay.ms in the scenario below

// Three brokers, two topics, no clients: the test is the only client. The initial rebalance delay is
// set away from Kafka's default (3000) so the test sees that the config is what is applied.
inline constexpr const char* kScenario = R"({"name":"groups","seed":3,"duration_ms":600000,
  "cluster":{"brokers":3,"config":{"group.initial.rebalance.delay.ms":2000}},
  "topics":[{"name":"t","partitions":4,"replication_factor":3},
            {"name":"u","partitions":2,"replication_factor":3}]})";

// Java's String.hashCode, written out independently of the engine's copy.
inline std::int32_t javaHash(const std::string& text)
{
    std::uint32_t hash = 0;
    for (unsigned char c : text)
        hash = 31U * hash + c; // ASCII ids: one UTF-16 unit per byte
    return static_cast<std::int32_t>(hash);
}

inline protocol::ByteString subscription(const std::vector<std::string>& topics)
{
    return group::encodeSubscription(group::Subscription { .topics = topics });
}

inline protocol::ByteString assignmentOf(const std::vector<group::TopicPartition>& partitions)
{
    return group::encodeAssignment(group::MemberAssignment { .partitions = partitions, .userData = std::nullopt });
}

inline std::vector<group::TopicPartition> partitionsIn(const protocol::ByteString& bytes)
{
    auto decoded = group::decodeAssignment(bytes);
    return decoded ? decoded->partitions : std::vector<group::TopicPartition> {};
}

inline std::vector<protocol::JoinGroupRequestProtocol> rangeProtocol()
{
    return { { "range", subscription({ "t" }) } };
}

// One simulated client connection that sends raw group requests and steps virtual time until they
// are answered.
class Lab {
public:
    Lab()
        : engine_(testing::startedEngine(kScenario, 3))
        , node_(engine_->cluster().allocateClientNode())
    {
        testing::runForMs(*engine_, 500); // topics created, leaders elected
    }

    driver::Engine& engine() { return *engine_; }
    cluster::Cluster& cluster() { return engine_->cluster(); }
    double nowMs() const { return sim::toMs(engine_->now()); }
    void run(double ms) { testing::runForMs(*engine_, ms); }

    template <typename Response, typename Request>
    std::shared_ptr<std::optional<Response>> send(std::int32_t broker, Request request)
    {
        auto slot = std::make_shared<std::optional<Response>>();
        cluster().sendGroupRequest<Request, Response>(
            node_, broker, std::move(request), [slot](Response&& response) { *slot = std::move(response); });
        return slot;
    }

    // Steps time in 1 ms slices until the response is in or `maxMs` passed.
    template <typename Response>
    bool await(const std::shared_ptr<std::optional<Response>>& slot, double maxMs = 1000)
    {
        const double deadline = nowMs() + maxMs;
        while (!slot->has_value() && nowMs() < deadline)
            run(1);
        return slot->has_value();
    }

    template <typename Response, typename Request>
    Response call(std::int32_t broker, Request request)
    {
        auto slot = send<Response>(broker, std::move(request));
        if (!await(slot))
            qFatal("no answer from broker %d within 1 s", broker);
        return std::move(**slot);
    }

    std::vector<std::int32_t> liveBrokers()
    {
        std::vector<std::int32_t> live;
        for (const auto& broker : cluster().brokers()) {
            if (broker->isOnline())
                live.push_back(broker->id());
        }
        return live;
    }

    // What a client does: ask a live broker until one names a live coordinator (a crashed leader is
    // named until the controller fences it). -1 when none is found within `maxMs`.
    std::int32_t findCoordinator(const std::string& groupId, double maxMs = 30000)
    {
        const double deadline = nowMs() + maxMs;
        while (nowMs() < deadline) {
            const std::vector<std::int32_t> live = liveBrokers();
            auto response = call<protocol::FindCoordinatorResponse>(
                live.front(), protocol::FindCoordinatorRequest { .key = groupId });
            if (response.errorCode == ErrorCode::NONE && cluster().broker(response.nodeId)->isOnline())
                return response.nodeId;
            run(200);
        }
        return -1;
    }

    // The leader of the group's __consumer_offsets partition, from the controller's image.
    std::int32_t offsetsLeader(const std::string& groupId)
    {
        const auto& image = cluster().controller().image();
        const auto* info = image.partition(std::string(cluster::kOffsetsTopic),
            cluster::offsetsPartitionFor(groupId, static_cast<std::int32_t>(
                                                       image.topic(std::string(cluster::kOffsetsTopic))->partitions.size())));
        return info ? info->leader : -1;
    }

    protocol::JoinGroupRequest joinRequest(const std::string& groupId, const std::string& memberId,
        std::vector<protocol::JoinGroupRequestProtocol> protocols = rangeProtocol(),
        std::optional<std::string> instanceId = std::nullopt, const std::string& clientId = "client")
    {
        protocol::JoinGroupRequest request;
        request.groupId = groupId;
        request.memberId = memberId;
        request.sessionTimeoutMs = 10000;
        request.rebalanceTimeoutMs = 20000;
        request.groupInstanceId = std::move(instanceId);
        request.protocols = std::move(protocols);
        request.client.clientId = clientId;
        return request;
    }

    // First join of a dynamic member (v4+): MEMBER_ID_REQUIRED hands out the id.
    std::string memberIdFor(std::int32_t coordinator, const std::string& groupId, const std::string& clientId,
        std::vector<protocol::JoinGroupRequestProtocol> protocols = rangeProtocol())
    {
        auto response = call<protocol::JoinGroupResponse>(
            coordinator, joinRequest(groupId, "", std::move(protocols), std::nullopt, clientId));
        if (response.errorCode != ErrorCode::MEMBER_ID_REQUIRED || response.memberId.empty())
            qFatal("first JoinGroup answered %s", std::string(protocol::errorName(response.errorCode)).c_str());
        return response.memberId;
    }

    protocol::DescribedGroup describe(std::int32_t coordinator, const std::string& groupId)
    {
        auto response = call<protocol::DescribeGroupsResponse>(
            coordinator, protocol::DescribeGroupsRequest { .groups = { groupId } });
        return response.groups.at(0);
    }

    protocol::HeartbeatResponse heartbeat(std::int32_t coordinator, const std::string& groupId,
        const std::string& memberId, std::int32_t generation, std::optional<std::string> instanceId = std::nullopt)
    {
        return call<protocol::HeartbeatResponse>(coordinator,
            protocol::HeartbeatRequest { .groupId = groupId,
                .generationId = generation,
                .memberId = memberId,
                .groupInstanceId = std::move(instanceId) });
    }

    protocol::SyncGroupRequest syncRequest(const std::string& groupId, const std::string& memberId,
        std::int32_t generation, std::vector<protocol::SyncGroupRequestAssignment> assignments = {},
        std::optional<std::string> instanceId = std::nullopt)
    {
        protocol::SyncGroupRequest request;
        request.groupId = groupId;
        request.memberId = memberId;
        request.generationId = generation;
        request.groupInstanceId = std::move(instanceId);
        request.protocolType = "consumer";
        request.protocolName = "range";
        request.assignments = std::move(assignments);
        return request;
    }

    ErrorCode commit(std::int32_t coordinator, const std::string& groupId, const std::string& memberId,
        std::int32_t generation, std::int32_t partition, std::int64_t offset)
    {
        protocol::OffsetCommitRequest request;
        request.groupId = groupId;
        request.memberId = memberId;
        request.generationIdOrMemberEpoch = generation;
        request.topics = { { "t", { { .partitionIndex = partition, .committedOffset = offset } } } };
        auto response = call<protocol::OffsetCommitResponse>(coordinator, std::move(request));
        return response.topics.at(0).partitions.at(0).errorCode;
    }

    // Committed offsets of topic t, partitions 0-3 (-1: none).
    std::vector<std::int64_t> fetchOffsets(std::int32_t coordinator, const std::string& groupId, ErrorCode* error = nullptr)
    {
        protocol::OffsetFetchRequest request;
        request.groupId = groupId;
        request.topics = std::vector<protocol::OffsetFetchRequestTopic> { { "t", { 0, 1, 2, 3 } } };
        auto response = call<protocol::OffsetFetchResponse>(coordinator, std::move(request));
        if (error)
            *error = response.errorCode;
        std::vector<std::int64_t> offsets;
        for (const auto& topic : response.topics) {
            for (const auto& partition : topic.partitions)
                offsets.push_back(partition.committedOffset);
        }
        return offsets;
    }

    // A group of one member, Stable in generation 1, with the member holding every partition of t.
    struct Formed {
        std::int32_t coordinator = -1;
        std::string memberId;
        std::int32_t generation = -1;
    };
    Formed formSingleMemberGroup(const std::string& groupId, const std::string& clientId = "a")
    {
        Formed formed;
        formed.coordinator = findCoordinator(groupId);
        formed.memberId = memberIdFor(formed.coordinator, groupId, clientId);
        auto join = send<protocol::JoinGroupResponse>(
            formed.coordinator, joinRequest(groupId, formed.memberId, rangeProtocol(), std::nullopt, clientId));
        if (!await(join, kInitialDelayMs + 1000) || (*join)->errorCode != ErrorCode::NONE)
            qFatal("the single member did not join");
        formed.generation = (*join)->generationId;
        auto sync = call<protocol::SyncGroupResponse>(formed.coordinator,
            syncRequest(groupId, formed.memberId, formed.generation,
                { { formed.memberId, assignmentOf({ { "t", 0 }, { "t", 1 }, { "t", 2 }, { "t", 3 } }) } }));
        if (sync.errorCode != ErrorCode::NONE)
            qFatal("the single member's sync failed");
        return formed;
    }

private:
    std::unique_ptr<driver::Engine> engine_;
    sim::NodeId node_;
};

inline QString text(const std::string& value) { return QString::fromStdString(value); }

} // namespace grouplab
