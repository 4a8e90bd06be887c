// Offset commits of a classic group's member while the group rebalances, answered as Kafka's
// classic coordinator answers them: accepted in PreparingRebalance (the member's generation is still
// the current one; consumers commit from onPartitionsRevoked before rejoining), refused with
// REBALANCE_IN_PROGRESS in CompletingRebalance (the member has the new generation but not yet its
// assignment). Requests go through the cluster's request path, as a real client's do.

#include "../common/testscenario.h"

#include "cluster/groupcoordinator.h"

#include <QTest>

#include <optional>

using namespace brokerlab;
using protocol::ErrorCode;

namespace {

const char* kScenario = R"({"name":"commits","duration_ms":600000,
  "cluster":{"brokers":3,"config":{"group.initial.rebalance.delay.ms":0}},
  "topics":[{"name":"orders","partitions":2,"replication_factor":3}]})";

constexpr const char* kGroup = "billing";

// One client node talking to the cluster; every call runs the engine until the answer is in.
class GroupClient {
public:
    GroupClient(driver::Engine& engine, std::int32_t bootstrapBroker)
        : engine_(engine)
        , node_(engine.cluster().allocateClientNode())
    {
        // The first FindCoordinator creates __consumer_offsets: COORDINATOR_NOT_AVAILABLE until its
        // leaders are elected, as with Kafka; a client retries.
        for (int attempt = 0; attempt < 100 && coordinator_ < 0; ++attempt) {
            protocol::FindCoordinatorRequest find;
            find.key = kGroup;
            const auto found
                = call<protocol::FindCoordinatorRequest, protocol::FindCoordinatorResponse>(bootstrapBroker, find);
            if (found.errorCode == ErrorCode::NONE)
                coordinator_ = found.nodeId;
            else
                testing::runForMs(engine_, 100);
        }
        if (coordinator_ < 0)
            qFatal("no group coordinator found");
    }

    template <typename Request, typename Response>
    Response call(std::int32_t broker, Request request, double maxWaitMs = 10000)
    {
        std::optional<Response> answer;
        engine_.cluster().sendGroupRequest<Request, Response>(
            node_, broker, std::move(request), [&answer](Response&& response) { answer = std::move(response); });
        for (double waited = 0; !answer && waited < maxWaitMs; waited += 10)
            testing::runForMs(engine_, 10);
        if (!answer)
            qFatal("no answer within %.0f ms", maxWaitMs);
        return std::move(*answer);
    }

    // Sends a JoinGroup and returns without waiting (a join completes only when the rebalance does).
    void startJoin(std::optional<protocol::JoinGroupResponse>& out)
    {
        protocol::JoinGroupRequest join;
        join.groupId = kGroup;
        join.memberId = memberId;
        join.requireKnownMemberId = false;
        join.protocols.push_back({ "range", {} });
        join.client = { "test", "/127.0.0.1" };
        engine_.cluster().sendGroupRequest<protocol::JoinGroupRequest, protocol::JoinGroupResponse>(
            node_, coordinator_, std::move(join),
            [&out](protocol::JoinGroupResponse&& response) { out = std::move(response); });
    }

    void joined(const protocol::JoinGroupResponse& response)
    {
        QCOMPARE(response.errorCode, ErrorCode::NONE);
        memberId = response.memberId;
        generation = response.generationId;
    }

    ErrorCode sync(std::vector<protocol::SyncGroupRequestAssignment> assignments = {})
    {
        protocol::SyncGroupRequest sync;
        sync.groupId = kGroup;
        sync.generationId = generation;
        sync.memberId = memberId;
        sync.assignments = std::move(assignments);
        return call<protocol::SyncGroupRequest, protocol::SyncGroupResponse>(coordinator_, sync).errorCode;
    }

    ErrorCode commit(std::int64_t offset)
    {
        protocol::OffsetCommitRequest commit;
        commit.groupId = kGroup;
        commit.generationIdOrMemberEpoch = generation;
        commit.memberId = memberId;
        protocol::OffsetCommitRequestTopic topic;
        topic.name = "orders";
        protocol::OffsetCommitRequestPartition partition;
        partition.partitionIndex = 0;
        partition.committedOffset = offset;
        topic.partitions.push_back(partition);
        commit.topics.push_back(topic);
        const auto response = call<protocol::OffsetCommitRequest, protocol::OffsetCommitResponse>(coordinator_, commit);
        if (response.topics.size() != 1 || response.topics[0].partitions.size() != 1)
            qFatal("OffsetCommit answered %zu topics", response.topics.size());
        return response.topics[0].partitions[0].errorCode;
    }

    std::int64_t committed()
    {
        protocol::OffsetFetchRequest fetch;
        fetch.groupId = kGroup;
        fetch.topics = std::vector<protocol::OffsetFetchRequestTopic> { { "orders", { 0 } } };
        const auto response = call<protocol::OffsetFetchRequest, protocol::OffsetFetchResponse>(coordinator_, fetch);
        for (const auto& topic : response.topics)
            for (const auto& partition : topic.partitions)
                if (topic.name == "orders" && partition.partitionIndex == 0)
                    return partition.committedOffset;
        return -2;
    }

    std::string memberId;
    std::int32_t generation = -1;

private:
    driver::Engine& engine_;
    sim::NodeId node_;
    std::int32_t coordinator_ = -1;
};

} // namespace

class TestGroupCommit : public QObject {
    Q_OBJECT

private slots:
    void commitsFollowTheGroupState()
    {
        auto engine = testing::startedEngine(kScenario);
        testing::runForMs(*engine, 3000); // brokers registered, leaders elected
        GroupClient first(*engine, 1);

        // First member joins and becomes leader of generation 1; until its SyncGroup the group is
        // in CompletingRebalance.
        std::optional<protocol::JoinGroupResponse> joinAnswer;
        first.startJoin(joinAnswer);
        for (int i = 0; i < 500 && !joinAnswer; ++i)
            testing::runForMs(*engine, 10);
        QVERIFY(joinAnswer);
        first.joined(*joinAnswer);
        QCOMPARE(first.generation, 1);
        QCOMPARE(first.commit(10), ErrorCode::REBALANCE_IN_PROGRESS); // CompletingRebalance
        QCOMPARE(first.committed(), std::int64_t(-1));

        QCOMPARE(first.sync({ { first.memberId, {} } }), ErrorCode::NONE); // Stable
        QCOMPARE(first.commit(20), ErrorCode::NONE);
        QCOMPARE(first.committed(), std::int64_t(20));

        // A second member joins: the group goes to PreparingRebalance and waits for the first
        // member to rejoin. Its commit with the still-current generation 1 is stored, as Kafka does.
        GroupClient second(*engine, 2);
        std::optional<protocol::JoinGroupResponse> secondJoin;
        second.startJoin(secondJoin);
        testing::runForMs(*engine, 50);
        QVERIFY(!secondJoin); // the rebalance waits for the first member
        QCOMPARE(first.commit(30), ErrorCode::NONE); // PreparingRebalance
        QCOMPARE(first.committed(), std::int64_t(30));

        // The first member rejoins: generation 2, CompletingRebalance until the leader syncs. A
        // commit with generation 2 is refused with REBALANCE_IN_PROGRESS, one with the old
        // generation 1 with ILLEGAL_GENERATION; neither changes the committed offset.
        std::optional<protocol::JoinGroupResponse> rejoin;
        first.startJoin(rejoin);
        for (int i = 0; i < 500 && !(rejoin && secondJoin); ++i)
            testing::runForMs(*engine, 10);
        QVERIFY(rejoin && secondJoin);
        const std::int32_t oldGeneration = first.generation;
        first.joined(*rejoin);
        second.joined(*secondJoin);
        QCOMPARE(first.generation, oldGeneration + 1);
        QCOMPARE(first.commit(40), ErrorCode::REBALANCE_IN_PROGRESS);
        const std::int32_t current = first.generation;
        first.generation = oldGeneration;
        QCOMPARE(first.commit(41), ErrorCode::ILLEGAL_GENERATION);
        first.generation = current;
        QCOMPARE(first.committed(), std::int64_t(30));
    }
};

QTEST_GUILESS_MAIN(TestGroupCommit)
#include "test_groupcommit.moc"
