// The Consumer Groups panel on its own, fed with real engine snapshots: a member that is a real client (connected
// over the Kafka listeners, marked external in the snapshot) cannot be stopped, crashed or slowed from Brokerlab,
// and the actions say why; a panel that was hidden while snapshots arrived shows the newest one when it is shown,
// and each table tab is filled when it comes to the front.

#include "../common/testscenario.h"
#include "groupscenario.h"
#include "groupmodels.h"
#include "groupspanel.h"
#include "simulationsession.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QTabWidget>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

using testing::kGroupScenario;

struct Fixture {
    std::unique_ptr<driver::Engine> engine = testing::startedEngine(kGroupScenario, 2);
    // Not started: the panel only needs a session to post to for its actions to be enabled.
    SimulationSession session { testing::scenarioFromJson(kGroupScenario), 2, QStringLiteral("inline.json") };
    GroupsPanel panel { [this] { return &session; }, nullptr };

    SnapshotPtr snapshot() const { return std::make_shared<const driver::Snapshot>(engine->snapshot()); }
};

// The snapshot as the GUI sees it when `clientIds` are real clients: the listeners mark them external.
SnapshotPtr withRealClients(const SnapshotPtr& snapshot, const std::set<std::string>& clientIds)
{
    auto copy = std::make_shared<driver::Snapshot>(*snapshot);
    for (auto& consumer : copy->consumers)
        consumer.external = clientIds.count(consumer.clientId) != 0;
    return copy;
}

} // namespace

class TestGroupsPanel : public QObject {
    Q_OBJECT
private slots:
    void realClientMembersCannotBeStoppedFromHere()
    {
        Fixture f;
        testing::runForMs(*f.engine, 10000);
        f.panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.panel));
        f.panel.setSnapshot(withRealClients(f.snapshot(), { "billing-1" }));
        QCOMPARE(f.panel.currentGroup(), QStringLiteral("billing"));

        f.panel.selectClient(QStringLiteral("billing-1"));
        QCOMPARE(f.panel.selectedClient(), QStringLiteral("billing-1"));
        for (QAction* action :
            { f.panel.stopMemberAction(), f.panel.crashMemberAction(), f.panel.slowMemberAction() }) {
            QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
            QVERIFY2(action->toolTip().contains(QStringLiteral("real client")), qPrintable(action->toolTip()));
            QVERIFY2(action->toolTip().contains(QStringLiteral("billing-1")), qPrintable(action->toolTip()));
        }
        // The group still has a member Brokerlab runs: another can be started beside the real one.
        QVERIFY(f.panel.addMemberAction()->isEnabled());

        // A simulated member of the same group keeps its actions and their own explanations.
        f.panel.selectClient(QStringLiteral("billing-2"));
        QCOMPARE(f.panel.selectedClient(), QStringLiteral("billing-2"));
        for (QAction* action :
            { f.panel.stopMemberAction(), f.panel.crashMemberAction(), f.panel.slowMemberAction() }) {
            QVERIFY2(action->isEnabled(), qPrintable(action->text()));
            QVERIFY2(!action->toolTip().contains(QStringLiteral("real client")), qPrintable(action->toolTip()));
        }

        // A group of real clients only: Brokerlab has no consumer of its own to add to it either.
        f.panel.setSnapshot(withRealClients(f.snapshot(), { "billing-1", "billing-2" }));
        QVERIFY(!f.panel.addMemberAction()->isEnabled());
        QVERIFY2(f.panel.addMemberAction()->toolTip().contains(QStringLiteral("real client")),
            qPrintable(f.panel.addMemberAction()->toolTip()));
        f.panel.setSnapshot(f.snapshot());
        QVERIFY(f.panel.addMemberAction()->isEnabled());
    }

    void aHiddenPanelShowsTheNewestSnapshotWhenShown()
    {
        Fixture f;
        QAbstractItemModelTester members(
            f.panel.membersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester matrix(
            f.panel.assignmentModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester lag(f.panel.lagModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Snapshots arrive while the panel is hidden (another bottom tab in front): the group list and the
        // actions follow, so the Clients menu can add a member.
        testing::runForMs(*f.engine, 10000);
        f.panel.setSnapshot(f.snapshot());
        QCOMPARE(f.panel.currentGroup(), QStringLiteral("billing"));
        QVERIFY(f.panel.addMemberAction()->isEnabled());
        QVERIFY(f.engine->addMember("billing"));
        testing::runForMs(*f.engine, 8000);
        f.panel.setSnapshot(f.snapshot());

        // Shown: the members are those of the newest snapshot (three, in generation 2).
        f.panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.panel));
        QCOMPARE(f.panel.membersModel()->rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QCOMPARE(f.panel.membersModel()
                         ->index(row, GroupMembersModel::GenerationColumn)
                         .data(GroupTableModel::NumberRole)
                         .toInt(),
                2);
        // Each table is filled when its tab comes to the front.
        auto* tabs = f.panel.findChild<QTabWidget*>(QStringLiteral("groupTabs"));
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        QCOMPARE(f.panel.assignmentModel()->columnCount(), 4);
        QCOMPARE(f.panel.assignmentModel()->rowCount(), 4); // three members and "unassigned"
        tabs->setCurrentIndex(2);
        QCOMPARE(f.panel.lagModel()->rowCount(), 4);
        QVERIFY(f.panel.lagModel()
                    ->index(0, GroupLagModel::HighWatermarkColumn)
                    .data(GroupTableModel::NumberRole)
                    .toLongLong()
            > 0);
        // While in front, the Lag tab follows every snapshot.
        const qlonglong before = f.panel.lagModel()
                                     ->index(0, GroupLagModel::HighWatermarkColumn)
                                     .data(GroupTableModel::NumberRole)
                                     .toLongLong();
        testing::runForMs(*f.engine, 2000);
        f.panel.setSnapshot(f.snapshot());
        QVERIFY(f.panel.lagModel()
                    ->index(0, GroupLagModel::HighWatermarkColumn)
                    .data(GroupTableModel::NumberRole)
                    .toLongLong()
            > before);
    }
};

QTEST_MAIN(TestGroupsPanel)
#include "test_groupspanel.moc"
