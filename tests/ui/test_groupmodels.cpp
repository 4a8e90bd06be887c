// The consumer-group views' data: the rebalance log cut from real engine events, and the members, assignment
// matrix, lag, rebalance-step and producer tables fed from real snapshots — each through
// QAbstractItemModelTester while a member joins and another leaves.

#include "../common/testscenario.h"
#include "groupscenario.h"
#include "groupmodels.h"
#include "producerspanel.h"
#include "rebalancelog.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

using testing::kGroupScenario;

struct Run {
    std::unique_ptr<driver::Engine> engine;
    std::vector<sim::Event> events;
    std::vector<sim::Event> take() { return std::exchange(events, {}); }
    driver::Snapshot snapshot() const { return engine->snapshot(); }
};

std::unique_ptr<Run> startRun()
{
    auto run = std::make_unique<Run>();
    run->engine = std::make_unique<driver::Engine>(testing::scenarioFromJson(kGroupScenario), 2);
    Run* raw = run.get();
    run->engine->trace().setListener([raw](const sim::Event& event) { raw->events.push_back(event); });
    run->engine->start();
    return run;
}

void feed(RebalanceLog& log, Run& run)
{
    const driver::Snapshot snapshot = run.snapshot();
    for (const auto& consumer : snapshot.consumers)
        log.setMemberGroup(consumer.clientId, consumer.groupId);
    log.add(run.take());
}

int assignedCells(const AssignmentMatrixModel& model, int row)
{
    int count = 0;
    for (int column = 0; column < model.columnCount(); ++column)
        count += model.index(row, column).data(GroupTableModel::NumberRole).toInt();
    return count;
}

} // namespace

class TestGroupModels : public QObject {
    Q_OBJECT
private slots:
    void rebalanceLogReplaysJoinSyncAssign()
    {
        auto run = startRun();
        RebalanceLog log;
        testing::runForMs(*run->engine, 10000);
        feed(log, *run);
        const auto& first = log.rebalances("billing");
        QCOMPARE(first.size(), std::size_t(1));
        const Rebalance& initial = first.front();
        QVERIFY(initial.complete());
        QCOMPARE(initial.generation, 1);
        QVERIFY(initial.durationMs >= 3000); // group.initial.rebalance.delay.ms
        // The phases come in Kafka's order: joins first, then the sync, then the assignments.
        std::vector<GroupPhase> phases;
        for (const RebalanceStep& step : initial.steps)
            if (phases.empty() || phases.back() != step.phase)
                phases.push_back(step.phase);
        QCOMPARE(phases.front(), GroupPhase::Join);
        QVERIFY(std::find(phases.begin(), phases.end(), GroupPhase::Sync) != phases.end());
        QCOMPARE(phases.back(), GroupPhase::Assign);
        QCOMPARE(initial.steps.back().stateAfter, 3); // Stable

        // A third member joins: a second rebalance in which the eager (range) members first revoke everything.
        QVERIFY(run->engine->addMember("billing"));
        testing::runForMs(*run->engine, 8000);
        feed(log, *run);
        const auto& rounds = log.rebalances("billing");
        QCOMPARE(rounds.size(), std::size_t(2));
        const Rebalance& second = rounds.back();
        QVERIFY(second.complete());
        QCOMPARE(second.generation, 2);
        QVERIFY(second.reason.find("joined") != std::string::npos);
        const bool revoked = std::any_of(second.steps.begin(), second.steps.end(),
            [](const RebalanceStep& step) { return step.phase == GroupPhase::Revoke; });
        QVERIFY(revoked);
        // The replay passes through PreparingRebalance and CompletingRebalance.
        std::set<int> states;
        for (const RebalanceStep& step : second.steps)
            states.insert(step.stateAfter);
        QVERIFY(states.count(1) && states.count(2) && states.count(3));
    }

    void partitionListsAreReadFromTheEventsData()
    {
        // The replay takes the partitions the member's event carries as data, never the words of its message.
        const sim::Event revoke { .time = 1000,
            .kind = "consumer.partitions_revoked",
            .client = "c",
            .message = "consumer 'c' gave up [not-0, what-1, it-2, says-3]",
            .partitionLists = { { "partitions", { { "orders", 0 }, { "my.topic", 12 } } } } };
        QCOMPARE(RebalanceLog::partitionsOf(revoke, "partitions"),
            (std::vector<std::string> { "orders-0", "my.topic-12" }));
        QCOMPARE(RebalanceLog::partitionsOf(revoke, "assigned"), std::vector<std::string>());
        RebalanceLog log;
        log.setMemberGroup("c", "g");
        log.add({ revoke });
        QCOMPARE(log.rebalances("g").back().steps.back().partitions,
            (std::vector<std::string> { "orders-0", "my.topic-12" }));

        // A real run's member events carry exactly the lists their messages name: the trace text is unchanged.
        auto run = startRun();
        testing::runForMs(*run->engine, 10000);
        QVERIFY(run->engine->addMember("billing"));
        testing::runForMs(*run->engine, 8000);
        int checked = 0;
        for (const sim::Event& event : run->take()) {
            auto listText = [&event](const char* name) {
                std::string text;
                for (const std::string& partition : RebalanceLog::partitionsOf(event, name))
                    text += (text.empty() ? "" : ", ") + partition;
                return "[" + text + "]";
            };
            if (event.kind == "consumer.assignment_received") {
                QCOMPARE(event.message.substr(event.message.find(" got ") + 5, listText("assigned").size()),
                    listText("assigned"));
                QVERIFY(event.message.find("revoked " + listText("revoked") + ", added " + listText("added"))
                    != std::string::npos);
                QCOMPARE(static_cast<std::int64_t>(RebalanceLog::partitionsOf(event, "assigned").size()),
                    event.number("assigned"));
                ++checked;
            } else if (event.kind == "consumer.partitions_revoked") {
                QVERIFY(event.message.ends_with(listText("partitions")));
                QVERIFY(event.partitions("partitions") && !event.partitions("partitions")->empty());
                ++checked;
            }
        }
        QVERIFY(checked >= 5); // two members joined, then a third: revokes and assignments
    }

    void eachStepOfARebalanceHasItsAssignment()
    {
        // range is eager: when billing-3 joins, both old members give up everything, nobody reads for a moment,
        // and SyncGroup hands the four partitions out again, over three members now.
        auto run = startRun();
        RebalanceLog log;
        testing::runForMs(*run->engine, 10000);
        feed(log, *run);
        QVERIFY(run->engine->addMember("billing"));
        testing::runForMs(*run->engine, 8000);
        feed(log, *run);
        const Rebalance& join = log.rebalances("billing").back();
        auto owned = [](const Ownership& ownership) {
            std::size_t count = 0;
            for (const auto& [client, partitions] : ownership)
                count += partitions.size();
            return count;
        };
        QCOMPARE(owned(join.ownedBefore), std::size_t(4));
        QCOMPARE(join.ownershipAfter(-1), join.ownedBefore);
        std::size_t fewest = 4;
        for (int step = 0; step < static_cast<int>(join.steps.size()); ++step)
            fewest = std::min(fewest, owned(join.ownershipAfter(step)));
        QCOMPARE(fewest, std::size_t(0));
        const Ownership after = join.ownershipAfter(static_cast<int>(join.steps.size()) - 1);
        QCOMPARE(owned(after), std::size_t(4));
        QCOMPARE(after.at("billing-3").size(), std::size_t(1)); // range: 2, 1, 1
        // The next round starts from where this one ended.
        QVERIFY(run->engine->closeConsumer("billing-1"));
        testing::runForMs(*run->engine, 6000);
        feed(log, *run);
        QCOMPARE(log.rebalances("billing").back().ownedBefore, after);

        // The replay's matrix model, through the tester, at a step where nobody reads and at the end.
        AssignmentMatrixModel matrix;
        QAbstractItemModelTester tester(&matrix, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::vector<QString> partitions
            = { QStringLiteral("orders-0"), QStringLiteral("orders-1"), QStringLiteral("orders-2"),
                  QStringLiteral("orders-3") };
        matrix.setOwnership(partitions, after);
        QCOMPARE(matrix.rowCount(), 4); // three members and "unassigned"
        QCOMPARE(assignedCells(matrix, matrix.rowOf(QStringLiteral("unassigned"))), 0);
        Ownership nobody = after;
        for (auto& [client, set] : nobody)
            set.clear();
        matrix.setOwnership(partitions, nobody);
        QCOMPARE(assignedCells(matrix, matrix.rowOf(QStringLiteral("unassigned"))), 4);
    }

    void rollingRestartChangesTheAssignorAtTheNextRebalance()
    {
        auto run = startRun();
        testing::runForMs(*run->engine, 10000);
        std::string error;
        QVERIFY(!run->engine->rollAssignmentStrategy("billing", "range,nonsense", &error));
        QVERIFY2(error.find("nonsense") != std::string::npos, error.c_str());
        QVERIFY(!run->engine->rollAssignmentStrategy("nobody", "range", &error));
        QVERIFY2(error.find("nobody") != std::string::npos, error.c_str());
        QVERIFY(run->engine->rollAssignmentStrategy("billing", "roundrobin, range", &error));
        QVERIFY(run->engine->rollingRestartRunning("billing"));
        QVERIFY(!run->engine->rollAssignmentStrategy("billing", "range", &error)); // one at a time
        testing::runForMs(*run->engine, 30000);
        QVERIFY(!run->engine->rollingRestartRunning("billing"));
        // While a range-only member remained, the leader kept assigning with range; after the last one left, every
        // member listed roundrobin first.
        std::vector<std::string> used;
        for (const sim::Event& event : run->take())
            if (event.kind == "consumer.assignment_computed")
                used.push_back(event.message.substr(event.message.rfind(' ') + 1));
        QVERIFY(used.size() >= 3);
        QCOMPARE(used.front(), std::string("range"));
        QCOMPARE(used.back(), std::string("roundrobin"));
        const driver::Snapshot snapshot = run->snapshot();
        const driver::GroupSnapshot* billing = findGroup(snapshot, "billing");
        QCOMPARE(billing->summary.protocol, std::string("roundrobin"));
        QCOMPARE(billing->summary.members.size(), std::size_t(2));
        for (const auto& member : billing->summary.members)
            QVERIFY(member.clientId == "billing-3" || member.clientId == "billing-4");
    }
    void consumerEventsWaitForTheirGroup()
    {
        // A member's events can arrive before the snapshot that names its group: they are kept, not lost.
        RebalanceLog log;
        sim::Event join {
            .time = 1000, .kind = "group.rebalance_started", .client = "g", .message = "group g rebalances: x"
        };
        sim::Event revoke {
            .time = 1500, .kind = "consumer.partitions_revoked", .client = "c-1", .message = "gave up"
        };
        log.add({ join, revoke });
        QCOMPARE(log.rebalances("g").front().steps.size(), std::size_t(1));
        log.setMemberGroup("c-1", "g");
        QCOMPARE(log.rebalances("g").front().steps.size(), std::size_t(2));
        QCOMPARE(log.rebalances("g").front().steps.back().phase, GroupPhase::Revoke);
        QCOMPARE(log.rebalances("g").front().reason, std::string("x"));
    }

    void lateMemberEventsJoinTheirRound()
    {
        // A whole rebalance arrives in one pull before the snapshot that names the new member's group: its
        // events join the round they belong to instead of opening a round of their own after it.
        auto run = startRun();
        RebalanceLog log;
        testing::runForMs(*run->engine, 10000);
        feed(log, *run);
        QVERIFY(run->engine->addMember("billing"));
        testing::runForMs(*run->engine, 8000);
        log.add(run->take()); // events first, as the session delivers them
        const driver::Snapshot snapshot = run->snapshot();
        for (const auto& consumer : snapshot.consumers)
            log.setMemberGroup(consumer.clientId, consumer.groupId);
        const auto& rounds = log.rebalances("billing");
        QCOMPARE(rounds.size(), std::size_t(2));
        QCOMPARE(rounds.back().generation, 2);
        const auto& steps = rounds.back().steps;
        QVERIFY(
            std::any_of(steps.begin(), steps.end(), [](const RebalanceStep& step) { return step.who == "billing-3"; }));
        QVERIFY(std::is_sorted(steps.begin(), steps.end(),
            [](const RebalanceStep& a, const RebalanceStep& b) { return a.timeUs < b.timeUs; }));
    }

    void modelsFollowAMemberJoiningAndLeaving()
    {
        auto run = startRun();
        GroupMembersModel members;
        AssignmentMatrixModel matrix;
        GroupLagModel lag;
        RebalanceStepsModel steps;
        ProducerModel producers;
        QAbstractItemModelTester t1(&members, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&matrix, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(&lag, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(&steps, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t5(&producers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RebalanceLog log;
        auto update = [&] {
            const driver::Snapshot snapshot = run->snapshot();
            members.setGroup(snapshot, "billing");
            matrix.setGroup(snapshot, "billing");
            lag.setGroup(snapshot, "billing");
            producers.setSnapshot(snapshot);
            feed(log, *run);
            const auto& rounds = log.rebalances("billing");
            steps.setRebalance(rounds.empty() ? nullptr : &rounds.back(), 0);
        };
        testing::runForMs(*run->engine, 10000);
        update();
        QCOMPARE(members.rowCount(), 2);
        QCOMPARE(matrix.columnCount(), 4); // orders-0..3
        QCOMPARE(matrix.rowCount(), 3); // two members and the "unassigned" row
        QCOMPARE(assignedCells(matrix, 0) + assignedCells(matrix, 1), 4);
        QCOMPARE(assignedCells(matrix, 2), 0); // nobody is left out when Stable
        QCOMPARE(lag.rowCount(), 4);
        QCOMPARE(members.index(0, GroupMembersModel::GenerationColumn).data(GroupTableModel::NumberRole).toInt(), 1);
        QVERIFY(steps.rowCount() > 3);
        QCOMPARE(steps.index(0, 0).data(GroupTableModel::MarkRole).toInt(), int(GroupTableModel::Current));
        QCOMPARE(producers.rowCount(), 1);
        QVERIFY(producers.index(0, ProducerModel::AckedColumn).data(GroupTableModel::NumberRole).toLongLong() > 0);
        QCOMPARE(producers.index(0, ProducerModel::AcksColumn).data().toString(), QStringLiteral("all"));

        // Numbers alone: one dataChanged, no reset.
        QSignalSpy resets(&lag, &QAbstractItemModel::modelReset);
        testing::runForMs(*run->engine, 500);
        update();
        QCOMPARE(resets.count(), 0);

        QVERIFY(run->engine->addMember("billing"));
        testing::runForMs(*run->engine, 8000);
        update();
        QCOMPARE(members.rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QCOMPARE(
                members.index(row, GroupMembersModel::GenerationColumn).data(GroupTableModel::NumberRole).toInt(), 2);
        QCOMPARE(assignedCells(matrix, 0) + assignedCells(matrix, 1) + assignedCells(matrix, 2), 4);

        // One leaves gracefully (LeaveGroup): the group shrinks back at once.
        QVERIFY(run->engine->closeConsumer("billing-1"));
        testing::runForMs(*run->engine, 6000);
        update();
        int current = 0;
        for (int row = 0; row < members.rowCount(); ++row)
            current += members.rowKey(row).startsWith(QStringLiteral("client:")) ? 0 : 1;
        QCOMPARE(current, 2);
        QCOMPARE(members.index(0, GroupMembersModel::GenerationColumn).data(GroupTableModel::NumberRole).toInt(), 3);
        QCOMPARE(log.rebalances("billing").size(), std::size_t(3));
    }

    void consumerGroupsAddedAtRunTime()
    {
        auto run = startRun();
        testing::runForMs(*run->engine, 1000);
        scenario::ConsumerSpec spec;
        spec.id = "audit";
        spec.topics = { "orders" };
        spec.members = 2;
        spec.config.partitionAssignmentStrategy = "roundrobin";
        spec.config.autoOffsetReset = client::OffsetReset::Earliest;
        std::string error;
        QVERIFY(run->engine->addConsumerGroup(spec, &error));
        QVERIFY(!run->engine->addConsumerGroup(spec, &error)); // the id is taken now
        QVERIFY2(error.find("audit") != std::string::npos, error.c_str());
        spec.id = "empty";
        spec.topics.clear();
        QVERIFY(!run->engine->addConsumerGroup(spec, &error));
        testing::runForMs(*run->engine, 10000);
        const driver::Snapshot snapshot = run->snapshot();
        const driver::GroupSnapshot* audit = findGroup(snapshot, "audit");
        QVERIFY(audit);
        QCOMPARE(audit->summary.members.size(), std::size_t(2));
        QCOMPARE(audit->summary.protocol, std::string("roundrobin"));
        QCOMPARE(static_cast<int>(audit->summary.state), 3); // Stable
        // The billing group was not disturbed: still generation 1.
        QCOMPARE(findGroup(snapshot, "billing")->summary.generation, 1);
    }

    void producersAddedAndStoppedAtRunTime()
    {
        auto run = startRun();
        testing::runForMs(*run->engine, 1000);
        scenario::ProducerSpec spec;
        spec.id = "extra";
        spec.topic = "orders";
        spec.ratePerSec = 100;
        spec.config.acks = 1;
        spec.config.enableIdempotence = false;
        std::string error;
        QVERIFY(run->engine->addProducer(spec, &error));
        spec.topic = "missing";
        QVERIFY(!run->engine->addProducer(spec, &error));
        QVERIFY2(error.find("missing") != std::string::npos, error.c_str());
        testing::runForMs(*run->engine, 2000);
        driver::Snapshot snapshot = run->snapshot();
        QCOMPARE(snapshot.producers.size(), std::size_t(2));
        QCOMPARE(snapshot.producers[1].config.acks, std::int16_t(1));
        QVERIFY(snapshot.producers[1].counters.acked > 100);
        QVERIFY(run->engine->stopProducer("extra"));
        testing::runForMs(*run->engine, 1000);
        const std::int64_t sent = run->snapshot().producers[1].counters.produced;
        testing::runForMs(*run->engine, 2000);
        snapshot = run->snapshot();
        QVERIFY(snapshot.producers[1].stopped);
        QCOMPARE(snapshot.producers[1].counters.produced, sent); // nothing new after the stop
        QVERIFY(!snapshot.producers[0].stopped);
    }
};

QTEST_MAIN(TestGroupModels)
#include "test_groupmodels.moc"
