// Consumer groups end to end, as a user scripts them in a scenario: members share the partitions,
// rebalance when one joins, leaves, crashes or stops polling, resume from the committed offsets
// (also after the coordinator moves), and deliver at least once or at most once depending on when
// they commit. The coordinator's request-level behaviour is in test_groupprotocol.

#include "../common/testscenario.h"
#include "check/history.h"

#include <QTest>

#include <map>
#include <set>

using namespace brokerlab;
using testing::runForMs;

namespace {

struct Run {
    std::unique_ptr<driver::Engine> engine;
    std::vector<sim::Event> groupEvents; // group.* and consumer.* timeline events
};

Run startRun(const std::string& json, bool history = false)
{
    Run run;
    run.engine = std::make_unique<driver::Engine>(testing::scenarioFromJson(json), 7);
    auto* events = &run.groupEvents;
    run.engine->trace().setListener([events](const sim::Event& event) {
        if (event.kind.starts_with("group.") || event.kind.starts_with("consumer."))
            events->push_back(event);
    });
    if (history)
        run.engine->enableHistory();
    run.engine->start();
    return run;
}

std::string groupScenario(const std::string& consumers, const std::string& faults = "[]", int partitions = 6,
    int durationMs = 120000)
{
    return R"({"name":"groups","duration_ms":)" + std::to_string(durationMs) + R"(,"cluster":{"brokers":3},
      "topics":[{"name":"orders","partitions":)"
        + std::to_string(partitions) + R"(,"replication_factor":3}],
      "producers":[{"id":"shop","topic":"orders","rate":200,"workload":{"kind":"orders","keys":"uniform","key_count":100}}],
      "consumers":)"
        + consumers + R"(,"faults":)" + faults + "}";
}

const driver::GroupSnapshot& groupOf(const driver::Snapshot& snapshot, const std::string& id)
{
    for (const auto& group : snapshot.groups) {
        if (group.summary.groupId == id)
            return group;
    }
    qFatal("no group %s in the snapshot", id.c_str());
}

// Member client id -> its assigned partitions; fails the test when a partition has two owners.
std::map<std::string, std::set<std::int32_t>> ownership(const driver::GroupSnapshot& group)
{
    std::map<std::string, std::set<std::int32_t>> owners;
    std::set<std::int32_t> seen;
    for (const auto& member : group.summary.members) {
        for (const auto& partition : member.assignment) {
            if (!seen.insert(partition.partition).second)
                qFatal("partition %d has two owners", partition.partition);
            owners[member.clientId].insert(partition.partition);
        }
    }
    return owners;
}

// group.instance.id -> its partitions (static members keep theirs across a restart).
std::map<std::string, std::set<std::int32_t>> ownershipByInstance(const driver::GroupSnapshot& group)
{
    std::map<std::string, std::set<std::int32_t>> owners;
    for (const auto& member : group.summary.members) {
        for (const auto& partition : member.assignment)
            owners[member.groupInstanceId.value_or("")].insert(partition.partition);
    }
    return owners;
}

std::size_t ownedCount(const std::map<std::string, std::set<std::int32_t>>& owners)
{
    std::size_t count = 0;
    for (const auto& [client, partitions] : owners)
        count += partitions.size();
    return count;
}

int countKind(const Run& run, std::string_view kind, sim::SimTime from = 0)
{
    int count = 0;
    for (const auto& event : run.groupEvents)
        count += event.kind == kind && event.time >= from ? 1 : 0;
    return count;
}

const check::GroupDelivery* deliveryOf(const check::CheckResult& result, const std::string& group)
{
    for (const auto& delivery : result.groups) {
        if (delivery.groupId == group)
            return &delivery;
    }
    return nullptr;
}

} // namespace

class TestGroups : public QObject {
    Q_OBJECT
private slots:
    void membersSharePartitionsAndRebalanceOnJoinAndLeave()
    {
        Run run = startRun(groupScenario(R"([
            {"id":"billing","topics":["orders"],"members":2,"config":{"partition.assignment.strategy":"range"}},
            {"id":"billing-extra","topics":["orders"],"start_ms":20000,"stop_ms":40000,
             "config":{"group.id":"billing","partition.assignment.strategy":"range"}}])"),
            true);
        runForMs(*run.engine, 15000);
        auto snapshot = run.engine->snapshot();
        const auto first = groupOf(snapshot, "billing");
        QCOMPARE(first.summary.state, cluster::GroupState::Stable);
        QCOMPARE(first.summary.protocol, std::string("range"));
        auto owners = ownership(first);
        QCOMPARE(owners.size(), std::size_t(2));
        QCOMPARE(ownedCount(owners), std::size_t(6));
        for (const auto& [client, partitions] : owners)
            QCOMPARE(partitions.size(), std::size_t(3));
        const std::int32_t firstGeneration = first.summary.generation;

        runForMs(*run.engine, 15000); // 30 s: the third member joined at 20 s
        snapshot = run.engine->snapshot();
        const auto grown = groupOf(snapshot, "billing"); // a copy: the snapshot is replaced below
        QCOMPARE(grown.summary.state, cluster::GroupState::Stable);
        QVERIFY(grown.summary.generation > firstGeneration);
        owners = ownership(grown);
        QCOMPARE(owners.size(), std::size_t(3));
        QCOMPARE(ownedCount(owners), std::size_t(6));
        for (const auto& [client, partitions] : owners)
            QCOMPARE(partitions.size(), std::size_t(2));
        QVERIFY(owners.contains("billing-extra"));

        runForMs(*run.engine, 20000); // 50 s: it left at 40 s
        snapshot = run.engine->snapshot();
        const auto shrunk = groupOf(snapshot, "billing");
        QCOMPARE(shrunk.summary.state, cluster::GroupState::Stable);
        QVERIFY(shrunk.summary.generation > grown.summary.generation);
        owners = ownership(shrunk);
        QCOMPARE(owners.size(), std::size_t(2));
        QCOMPARE(ownedCount(owners), std::size_t(6));
        // The leave was graceful (LeaveGroup), so the rebalance began at once, not after a timeout.
        bool leftAtOnce = false;
        for (const auto& event : run.groupEvents) {
            if (event.kind == "group.member_left" && event.time >= sim::fromMs(40000) && event.time < sim::fromMs(41000))
                leftAtOnce = true;
        }
        QVERIFY(leftAtOnce);
        QVERIFY(shrunk.summary.rebalances >= 3);
        // Graceful rebalances with auto-commit repeat nothing: before an eager member gives its
        // partitions up it commits what it processed, which the coordinator accepts while the
        // group prepares the rebalance (Kafka's onJoinPrepare).
        run.engine->runUntil(run.engine->endTime());
        const auto result = run.engine->checkHistory();
        const auto* delivery = deliveryOf(result, "billing");
        QVERIFY(delivery && delivery->processed > 10000);
        QVERIFY2(delivery->duplicates.count == 0,
            delivery->duplicates.examples.empty() ? "" : delivery->duplicates.examples.front().text.c_str());
        QCOMPARE(delivery->missed.count, std::int64_t(0));
    }

    void crashedMemberIsRemovedAfterTheSessionTimeout()
    {
        Run run = startRun(groupScenario(R"([{"id":"billing","topics":["orders"],"members":2,
            "config":{"session.timeout.ms":10000,"heartbeat.interval.ms":1000}}])",
                               R"([{"kind":"consumer_crash","consumer":"billing-2","at_ms":20000}])"),
            true);
        runForMs(*run.engine, 25000); // 5 s after the crash: still a member (no LeaveGroup was sent)
        auto snapshot = run.engine->snapshot();
        QCOMPARE(groupOf(snapshot, "billing").summary.members.size(), std::size_t(2));
        runForMs(*run.engine, 15000); // 40 s: the session expired at about 30 s
        snapshot = run.engine->snapshot();
        const auto& group = groupOf(snapshot, "billing");
        QCOMPARE(group.summary.state, cluster::GroupState::Stable);
        const auto owners = ownership(group);
        QCOMPARE(owners.size(), std::size_t(1));
        QCOMPARE(owners.begin()->first, std::string("billing-1"));
        QCOMPARE(ownedCount(owners), std::size_t(6));
        sim::SimTime removedAt = -1;
        for (const auto& event : run.groupEvents) {
            if (event.kind == "group.member_removed" && removedAt < 0)
                removedAt = event.time;
        }
        QVERIFY(removedAt >= sim::fromMs(29000) && removedAt <= sim::fromMs(31500));
        // The survivor resumed the orphaned partitions from their committed offsets: it re-processed
        // what the crashed member had processed after its last auto-commit, and missed nothing.
        run.engine->runUntil(run.engine->endTime());
        const auto result = run.engine->checkHistory();
        const auto* delivery = deliveryOf(result, "billing");
        QVERIFY(delivery);
        QVERIFY(delivery->processed > 10000);
        QCOMPARE(delivery->missed.count, std::int64_t(0));
        QVERIFY2(delivery->duplicates.count > 0, "records processed after the last auto-commit come again");
        QCOMPARE(result.lost.count, std::int64_t(0));
    }

    void deliveryDependsOnWhenTheGroupCommits_data()
    {
        QTest::addColumn<QString>("delivery");
        QTest::addColumn<QString>("commit");
        QTest::addColumn<int>("duplicates"); // 1: some, 0: none, -1: either (a crash between processing and commit)
        QTest::addColumn<bool>("expectMissed");
        QTest::addRow("at least once, auto-commit") << "at-least-once" << "auto" << 1 << false;
        QTest::addRow("at least once, commitSync after processing") << "at-least-once" << "sync" << -1 << false;
        QTest::addRow("at most once, commitSync before processing") << "at-most-once" << "sync" << 0 << true;
    }
    void deliveryDependsOnWhenTheGroupCommits()
    {
        // Each member works 8 ms per record (busy most of the time) and polls up to 100 records;
        // the members crash while processing and a new one joins. What the group misses or repeats depends
        // only on whether it committed before or after processing.
        QFETCH(QString, delivery);
        QFETCH(QString, commit);
        QFETCH(int, duplicates);
        QFETCH(bool, expectMissed);
        const std::string autoCommit = commit == QLatin1String("auto") ? "true" : "false";
        Run run = startRun(groupScenario(R"([{"id":"billing","topics":["orders"],"members":2,
            "delivery":")" + delivery.toStdString()
                                        + R"(","commit":")" + commit.toStdString() + R"(",
            "processing":{"distribution":"fixed","mean_ms":8},
            "config":{"session.timeout.ms":10000,"heartbeat.interval.ms":1000,"max.poll.records":100,
                      "enable.auto.commit":)" + autoCommit
                                        + R"(}}])",
                               R"([{"kind":"consumer_crash","consumer":"billing-1","at_ms":20105},
                 {"kind":"consumer_join","consumer":"billing","at_ms":35000},
                 {"kind":"consumer_crash","consumer":"billing-2","at_ms":60133}])",
                               6, 100000),
            true);
        run.engine->runUntil(run.engine->endTime());
        const auto result = run.engine->checkHistory();
        const auto* groupDelivery = deliveryOf(result, "billing");
        QVERIFY(groupDelivery);
        QVERIFY(groupDelivery->processed > 10000);
        const QString counts = QStringLiteral("duplicates %1, missed %2")
                                   .arg(groupDelivery->duplicates.count)
                                   .arg(groupDelivery->missed.count);
        if (duplicates >= 0)
            QVERIFY2((groupDelivery->duplicates.count > 0) == (duplicates == 1), qPrintable(counts));
        QVERIFY2((groupDelivery->missed.count > 0) == expectMissed, qPrintable(counts));
        QCOMPARE(result.lost.count, std::int64_t(0)); // the log itself lost nothing
    }

    void memberThatStopsPollingLeavesAfterMaxPollInterval()
    {
        Run run = startRun(groupScenario(R"([{"id":"billing","topics":["orders"],"members":2,
            "config":{"max.poll.interval.ms":10000}}])",
            R"([{"kind":"consumer_pause","consumer":"billing-2","at_ms":20000}])"));
        runForMs(*run.engine, 25000);
        QCOMPARE(groupOf(run.engine->snapshot(), "billing").summary.members.size(), std::size_t(2));
        runForMs(*run.engine, 15000); // 40 s
        const auto snapshot = run.engine->snapshot();
        const auto& group = groupOf(snapshot, "billing");
        const auto owners = ownership(group);
        QCOMPARE(owners.size(), std::size_t(1));
        QCOMPARE(ownedCount(owners), std::size_t(6));
        // The consumer itself leaves (its heartbeat thread sends LeaveGroup) once poll() is overdue.
        bool overdue = false;
        for (const auto& event : run.groupEvents)
            overdue |= event.kind == "consumer.poll_timeout" && event.time >= sim::fromMs(29000);
        QVERIFY(overdue);
    }

    void staticMemberRestartsWithoutARebalance()
    {
        Run run = startRun(groupScenario(R"([
            {"id":"billing-a","topics":["orders"],"config":{"group.id":"billing","group.instance.id":"host-a","session.timeout.ms":20000}},
            {"id":"billing-b","topics":["orders"],"config":{"group.id":"billing","group.instance.id":"host-b","session.timeout.ms":20000}}])"));
        runForMs(*run.engine, 15000);
        auto snapshot = run.engine->snapshot();
        const auto before = groupOf(snapshot, "billing");
        QCOMPARE(before.summary.state, cluster::GroupState::Stable);
        const auto ownersBefore = ownershipByInstance(before);
        QCOMPARE(ownersBefore.size(), std::size_t(2));
        QVERIFY(run.engine->crashConsumer("billing-a"));
        runForMs(*run.engine, 5000);
        QVERIFY(run.engine->joinConsumer("billing-a"));
        runForMs(*run.engine, 5000);
        snapshot = run.engine->snapshot();
        const auto& after = groupOf(snapshot, "billing");
        QCOMPARE(after.summary.state, cluster::GroupState::Stable);
        QCOMPARE(after.summary.generation, before.summary.generation); // no rebalance
        QCOMPARE(ownershipByInstance(after), ownersBefore); // the same partitions, under a new member id
        QCOMPARE(countKind(run, "group.static_member_rejoined"), 1);
        QCOMPARE(countKind(run, "group.rebalance_started", sim::fromMs(15000)), 0);
    }

    void committedOffsetsSurviveACoordinatorFailover()
    {
        Run run = startRun(groupScenario(R"([{"id":"billing","topics":["orders"],"members":2}])"), true);
        runForMs(*run.engine, 20000);
        auto snapshot = run.engine->snapshot();
        const auto before = groupOf(snapshot, "billing");
        const std::int32_t coordinator = before.summary.coordinator;
        QVERIFY(coordinator > 0);
        std::int64_t committedBefore = 0;
        for (const auto& [partition, offset] : before.summary.offsets)
            committedBefore += offset.offset;
        QVERIFY(committedBefore > 0);
        run.engine->cluster().broker(coordinator)->crash();
        runForMs(*run.engine, 30000);
        snapshot = run.engine->snapshot();
        const auto& after = groupOf(snapshot, "billing");
        QVERIFY(after.summary.coordinator > 0 && after.summary.coordinator != coordinator);
        QCOMPARE(after.summary.state, cluster::GroupState::Stable);
        QCOMPARE(ownedCount(ownership(after)), std::size_t(6));
        // The new coordinator loaded the offsets partition: every commit is there and has moved on.
        std::int64_t committedAfter = 0;
        for (const auto& [partition, offset] : before.summary.offsets) {
            const auto it = after.summary.offsets.find(partition);
            QVERIFY(it != after.summary.offsets.end());
            QVERIFY(it->second.offset >= offset.offset);
            committedAfter += it->second.offset;
        }
        QVERIFY(committedAfter > committedBefore);
        QVERIFY(countKind(run, "group.loaded") >= 1);
        run.engine->runUntil(run.engine->endTime());
        const auto result = run.engine->checkHistory();
        const auto* delivery = deliveryOf(result, "billing");
        QVERIFY(delivery);
        QCOMPARE(delivery->missed.count, std::int64_t(0));
    }

    void cooperativeStickyRevokesOnlyWhatMoves()
    {
        Run run = startRun(groupScenario(R"([
            {"id":"billing","topics":["orders"],"members":2,"config":{"partition.assignment.strategy":"cooperative-sticky"}},
            {"id":"billing-extra","topics":["orders"],"start_ms":20000,
             "config":{"group.id":"billing","partition.assignment.strategy":"cooperative-sticky"}}])"));
        runForMs(*run.engine, 15000);
        const auto before = ownership(groupOf(run.engine->snapshot(), "billing"));
        runForMs(*run.engine, 20000);
        const auto snapshot = run.engine->snapshot();
        const auto& group = groupOf(snapshot, "billing");
        const auto after = ownership(group);
        QCOMPARE(after.size(), std::size_t(3));
        QCOMPARE(ownedCount(after), std::size_t(6));
        // Each original member kept two of its three partitions and gave one away; nothing else moved.
        for (const auto& client : { std::string("billing-1"), std::string("billing-2") }) {
            QCOMPARE(after.at(client).size(), std::size_t(2));
            for (std::int32_t partition : after.at(client))
                QVERIFY(before.at(client).contains(partition));
        }
        // KIP-429: the first rebalance revokes the moving partitions, a second one assigns them.
        int revokedPartitions = 0;
        for (const auto& event : run.groupEvents) {
            if (event.kind == "consumer.partitions_revoked" && event.time >= sim::fromMs(20000))
                revokedPartitions += static_cast<int>(event.number("partitions", 0));
        }
        QCOMPARE(revokedPartitions, 2);
        QVERIFY(countKind(run, "group.rebalance_completed", sim::fromMs(20000)) >= 2);
    }

    void aLeavingMemberMovesOnlyItsPartitionsWhenSticky_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<bool>("sticky");
        QTest::addRow("sticky") << QStringLiteral("sticky") << true;
        QTest::addRow("range") << QStringLiteral("range") << false;
    }
    void aLeavingMemberMovesOnlyItsPartitionsWhenSticky()
    {
        QFETCH(QString, strategy);
        QFETCH(bool, sticky);
        // "billing-0" sorts before "billing-1" and "billing-2": range hands out partitions in that order.
        const std::string config
            = "{\"group.id\":\"billing\",\"partition.assignment.strategy\":\"" + strategy.toStdString() + "\"}";
        Run run = startRun(groupScenario("[{\"id\":\"billing\",\"topics\":[\"orders\"],\"members\":2,\"config\":" + config
            + "},{\"id\":\"billing-0\",\"topics\":[\"orders\"],\"stop_ms\":20000,\"config\":" + config + "}]"));
        runForMs(*run.engine, 15000);
        const auto before = ownership(groupOf(run.engine->snapshot(), "billing"));
        QCOMPARE(before.size(), std::size_t(3));
        runForMs(*run.engine, 15000);
        const auto snapshot = run.engine->snapshot();
        const auto& group = groupOf(snapshot, "billing");
        const auto after = ownership(group);
        QCOMPARE(ownedCount(after), std::size_t(6));
        // What moved: the leaver's two partitions, and with range also partitions between the others.
        const std::int64_t orphans = static_cast<std::int64_t>(before.at("billing-0").size());
        if (sticky) {
            for (const auto& client : { std::string("billing-1"), std::string("billing-2") }) {
                for (std::int32_t partition : before.at(client))
                    QVERIFY(after.at(client).contains(partition));
            }
            QCOMPARE(group.summary.movedFromStayingMembers, std::int64_t(0));
            QCOMPARE(group.summary.movedPartitions, orphans);
        } else {
            QVERIFY(group.summary.movedFromStayingMembers > 0);
            QCOMPARE(group.summary.movedPartitions, orphans + group.summary.movedFromStayingMembers);
        }
    }

    void kip848GroupAssignsOnTheServer()
    {
        Run run = startRun(groupScenario(R"([
            {"id":"billing","topics":["orders"],"members":2,"config":{"group.protocol":"consumer"}},
            {"id":"billing-extra","topics":["orders"],"start_ms":20000,"config":{"group.id":"billing","group.protocol":"consumer"}}])"));
        runForMs(*run.engine, 15000);
        auto snapshot = run.engine->snapshot();
        const auto before = groupOf(snapshot, "billing");
        QVERIFY(before.summary.kip848);
        QCOMPARE(ownedCount(ownership(before)), std::size_t(6));
        runForMs(*run.engine, 20000);
        snapshot = run.engine->snapshot();
        const auto& after = groupOf(snapshot, "billing");
        QVERIFY(after.summary.generation > before.summary.generation); // the group epoch
        const auto owners = ownership(after);
        QCOMPARE(owners.size(), std::size_t(3));
        QCOMPARE(ownedCount(owners), std::size_t(6));
        for (const auto& member : after.summary.members)
            QCOMPARE(member.memberEpoch, after.summary.generation); // every member reconciled
        // No JoinGroup/SyncGroup round: members never sat without partitions they kept.
        QCOMPARE(countKind(run, "consumer.rebalance_started"), 0);
    }
};

QTEST_GUILESS_MAIN(TestGroups)
#include "test_groups.moc"
