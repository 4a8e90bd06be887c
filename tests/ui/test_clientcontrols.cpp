// The main window's client and network controls driven through their real widgets, offscreen: start and stop a
// consumer-group member and see the rebalance in the Consumer Groups view (generation, members, assignment,
// replay); add a producer through its dialog and undo it; partition the network and see it on the timeline;
// crash a broker and see its leaderships move in the groups' coordinator and the cluster.

#include "../common/testscenario.h"
#include "assignordialog.h"
#include "clientdialogs.h"
#include "clientdocks.h"
#include "faultmenu.h"
#include "groupmodels.h"
#include "groupspanel.h"
#include "groupstatediagram.h"
#include "mainwindow.h"
#include "networkfaultdialog.h"
#include "producerspanel.h"
#include "timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

const char* kScenario = R"({"name":"gui","duration_ms":120000,"cluster":{"brokers":3},
  "topics":[{"name":"t","partitions":4,"replication_factor":3}],
  "producers":[{"id":"p","topic":"t","rate":200,"workload":{"kind":"orders"}}],
  "consumers":[{"id":"g","topics":["t"],"members":1,
                "config":{"auto.offset.reset":"earliest","partition.assignment.strategy":"range"}}]})";

QAction* action(const QObject& parent, const char* name)
{
    auto* found = parent.findChild<QAction*>(QLatin1String(name));
    if (!found)
        qFatal("no action %s", name);
    return found;
}

int generationOf(const GroupsPanel& panel, int row)
{
    return panel.membersModel()
        ->index(row, GroupMembersModel::GenerationColumn)
        .data(GroupTableModel::NumberRole)
        .toInt();
}

int currentMembers(const GroupsPanel& panel)
{
    int count = 0;
    for (int row = 0; row < panel.membersModel()->rowCount(); ++row)
        count += panel.membersModel()->rowKey(row).startsWith(QStringLiteral("client:")) ? 0 : 1;
    return count;
}

const driver::ConsumerSnapshot* consumerOf(const MainWindow& window, const std::string& clientId)
{
    for (const auto& consumer : window.session()->snapshot()->consumers)
        if (consumer.clientId == clientId)
            return &consumer;
    return nullptr;
}

bool timelineHas(const MainWindow& window, const std::string& kind)
{
    for (int row = 0; row < window.timelineModel()->rowCount(); ++row)
        if (window.timelineModel()->event(row).kind == kind)
            return true;
    return false;
}

int unassignedCells(const AssignmentMatrixModel& model)
{
    const int row = model.rowOf(QStringLiteral("unassigned"));
    int count = 0;
    for (int column = 0; row >= 0 && column < model.columnCount(); ++column)
        count += model.index(row, column).data(GroupTableModel::NumberRole).toInt();
    return count;
}

QPushButton* okButton(QWidget* dialog)
{
    return dialog->findChild<QDialogButtonBox*>(QStringLiteral("buttons"))->button(QDialogButtonBox::Ok);
}

} // namespace

class TestClientControls : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> openWindow()
    {
        auto window = std::make_unique<MainWindow>(false);
        window->openScenario(testing::scenarioFromJson(kScenario), 2, QStringLiteral("inline.json"), true);
        window->session()->setPollInterval(5);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qFatal("the main window was not exposed");
        // The person works in the Consumer Groups dock: in front, as its tables only follow the run on screen.
        window->clientDocks()->groupsDock()->raise();
        return window;
    }

    void stepTo(MainWindow& window, std::int64_t ms)
    {
        const std::int64_t now = window.session()->snapshot()->virtualUs / 1000;
        window.session()->step(static_cast<double>(ms - now));
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot()->virtualUs >= ms * 1000, 20000);
        window.session()->pollNow();
    }

private slots:
    void startAndStopAGroupMemberShowsTheRebalance()
    {
        auto window = openWindow();
        GroupsPanel* groups = window->clientDocks()->groupsPanel();
        QAbstractItemModelTester members(
            groups->membersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester matrix(
            groups->assignmentModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester lag(groups->lagModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester steps(groups->stepsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The person looks at the groups dock's Assignment tab (a table is rebuilt only while it is in front).
        window->clientDocks()->groupsDock()->raise();
        groups->findChild<QTabWidget*>(QStringLiteral("groupTabs"))->setCurrentIndex(1);
        stepTo(*window, 8000);
        QCOMPARE(groups->currentGroup(), QStringLiteral("g"));
        QCOMPARE(currentMembers(*groups), 1);
        QCOMPARE(generationOf(*groups, 0), 1);
        QCOMPARE(groups->stateDiagram()->state(), 3); // Stable
        // One member reads all four partitions.
        QCOMPARE(groups->assignmentModel()->columnCount(), 4);
        for (int column = 0; column < 4; ++column)
            QCOMPARE(groups->assignmentModel()->index(0, column).data(GroupTableModel::NumberRole).toInt(), 1);

        // Start a second member through the panel's action.
        QVERIFY(groups->addMemberAction()->isEnabled());
        groups->addMemberAction()->trigger();
        stepTo(*window, 16000);
        QCOMPARE(currentMembers(*groups), 2);
        QCOMPARE(generationOf(*groups, 0), 2);
        QCOMPARE(generationOf(*groups, 1), 2);
        for (int row = 0; row < 2; ++row) {
            int owned = 0;
            for (int column = 0; column < 4; ++column)
                owned += groups->assignmentModel()->index(row, column).data(GroupTableModel::NumberRole).toInt();
            QCOMPARE(owned, 2); // range over four partitions: two each
        }
        // The newest rebalance in the log is the one that made generation 2 (how many rounds the log holds
        // depends on when the step landed relative to the join: a member may be asked to rejoin once more).
        QVERIFY(groups->rebalanceLog().rebalances("g").size() >= 2);
        QCOMPARE(groups->rebalanceLog().rebalances("g").back().generation, 2);
        QVERIFY(groups->rebalanceLog().rebalances("g").back().complete());
        const std::size_t roundsBeforeStop = groups->rebalanceLog().rebalances("g").size();

        // Stop the first member through its action: LeaveGroup, a third generation with one member again.
        groups->selectClient(QStringLiteral("g"));
        QCOMPARE(groups->selectedClient(), QStringLiteral("g"));
        QVERIFY(groups->stopMemberAction()->isEnabled());
        groups->stopMemberAction()->trigger();
        stepTo(*window, 22000);
        QCOMPARE(currentMembers(*groups), 1);
        QCOMPARE(generationOf(*groups, 0), 3);
        QVERIFY(groups->rebalanceLog().rebalances("g").size() > roundsBeforeStop);
        QCOMPARE(groups->rebalanceLog().rebalances("g").back().generation, 3);

        // Replay the newest rebalance: the state machine follows the steps, the live state comes back after.
        groups->showRebalance(0);
        QVERIFY(groups->stepsModel()->rowCount() > 3);
        std::set<int> seen;
        for (int i = 0; i < groups->stepsModel()->rowCount(); ++i) {
            action(*groups, "replayNext")->trigger();
            seen.insert(groups->stateDiagram()->state());
        }
        QVERIFY(seen.count(1) && seen.count(2) && seen.count(3)); // Preparing, Completing, Stable
        QCOMPARE(groups->replayedStep(), groups->stepsModel()->rowCount() - 1);
        action(*groups, "replayLive")->trigger();
        QCOMPARE(groups->replayedStep(), -1);
        QCOMPARE(groups->stateDiagram()->state(), 3);
    }

    void theGroupsDockCatchesUpWhenBroughtToTheFront()
    {
        auto window = openWindow();
        GroupsPanel* groups = window->clientDocks()->groupsPanel();
        window->findChild<QDockWidget*>(QStringLiteral("timelineDock"))->raise();
        stepTo(*window, 8000); // the group forms behind the Timeline
        QTest::qWait(50);
        QCOMPARE(currentMembers(*groups), 0); // nobody saw it: the table waited
        QVERIFY(groups->rebalanceLog().rebalances("g").empty() || groups->stepsModel()->rowCount() == 0);
        window->clientDocks()->groupsDock()->raise();
        QTRY_COMPARE(currentMembers(*groups), 1);
        QTRY_VERIFY(groups->stepsModel()->rowCount() > 0); // the group's first rebalance, listed and shown
    }

    void theReplayRedrawsTheAssignmentAtEachStep()
    {
        auto window = openWindow();
        GroupsPanel* groups = window->clientDocks()->groupsPanel();
        QAbstractItemModelTester tester(
            groups->replayAssignmentModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        stepTo(*window, 8000);
        groups->addMemberAction()->trigger();
        stepTo(*window, 16000);
        QCOMPARE(currentMembers(*groups), 2);
        groups->showRebalance(0); // the join of g-2: range is eager, so g first gives up all four partitions
        const int steps = groups->stepsModel()->rowCount();
        QVERIFY(steps > 3);
        const AssignmentMatrixModel* matrix = groups->replayAssignmentModel();
        groups->replayStep(0);
        QCOMPARE(matrix->columnCount(), 4);
        int mostUnread = 0;
        bool ownedBeforeTheRevoke = false;
        for (int step = 0; step < steps; ++step) {
            groups->replayStep(step);
            QVERIFY(groups->replayCaption()->text().contains(QStringLiteral("stop-the-world")));
            ownedBeforeTheRevoke = ownedBeforeTheRevoke || (mostUnread == 0 && unassignedCells(*matrix) == 0);
            mostUnread = std::max(mostUnread, unassignedCells(*matrix));
        }
        QVERIFY(ownedBeforeTheRevoke); // g read all four until it revoked them
        QCOMPARE(mostUnread, 4); // then nobody read anything: the stop-the-world of an eager rebalance
        QCOMPARE(unassignedCells(*matrix), 0); // after the last step every partition has its reader again
        QCOMPARE(matrix->rowOf(QStringLiteral("g-2")) >= 0, true);
        int readByNewMember = 0;
        for (int column = 0; column < matrix->columnCount(); ++column)
            readByNewMember += matrix->index(matrix->rowOf(QStringLiteral("g-2")), column)
                                   .data(GroupTableModel::NumberRole)
                                   .toInt();
        QCOMPARE(readByNewMember, 2);
    }

    void memberChangesAreUndone()
    {
        auto window = openWindow();
        GroupsPanel* groups = window->clientDocks()->groupsPanel();
        stepTo(*window, 8000);
        groups->addMemberAction()->trigger();
        stepTo(*window, 14000);
        QCOMPARE(currentMembers(*groups), 2);
        QCOMPARE(window->undoStack()->count(), 1);
        window->undoStack()->undo(); // the added member closes: LeaveGroup, so the group shrinks at once
        stepTo(*window, 20000);
        QCOMPARE(currentMembers(*groups), 1);
        QCOMPARE(consumerOf(*window, "g-2")->memberState, std::string("Left"));

        // A crashed process cannot come back: undo starts a new member in its place.
        groups->selectClient(QStringLiteral("g"));
        groups->crashMemberAction()->trigger();
        stepTo(*window, 21000);
        QVERIFY(consumerOf(*window, "g")->crashed);
        QCOMPARE(window->undoStack()->count(), 1); // the new command replaced the undone one
        QCOMPARE(window->undoStack()->undoText(), QStringLiteral("Crash g"));
        window->undoStack()->undo();
        // The coordinator drops the crashed member after session.timeout.ms (45 s) and the new one takes over.
        stepTo(*window, 75000);
        QVERIFY(consumerOf(*window, "g-3"));
        QCOMPARE(consumerOf(*window, "g-3")->memberState, std::string("Stable"));
        QCOMPARE(currentMembers(*groups), 1);
        window->undoStack()->redo(); // crashes the replacement
        stepTo(*window, 76000);
        QVERIFY(consumerOf(*window, "g-3")->crashed);
    }

    void changingTheAssignorRestartsTheMembersOneByOne()
    {
        auto window = openWindow();
        GroupsPanel* groups = window->clientDocks()->groupsPanel();
        stepTo(*window, 8000);
        groups->addMemberAction()->trigger();
        stepTo(*window, 14000);
        QCOMPARE(currentMembers(*groups), 2);
        const driver::GroupSnapshot* group = findGroup(*window->session()->snapshot(), "g");
        QCOMPARE(group->summary.protocol, std::string("range"));

        groups->assignorAction()->trigger();
        auto* dialog = window->findChild<AssignorDialog*>(QStringLiteral("assignorDialog"));
        QVERIFY(dialog);
        auto* strategy = dialog->findChild<QComboBox*>(QStringLiteral("strategy"));
        auto* message = dialog->findChild<QLabel*>(QStringLiteral("message"));
        strategy->setCurrentText(QStringLiteral("range,bogus"));
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(message->text().contains(QStringLiteral("bogus")));
        // Nothing in common with the running members' list: allowed, but the dialog says it will be refused.
        strategy->setCurrentText(QStringLiteral("roundrobin"));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(message->text().contains(QStringLiteral("INCONSISTENT_GROUP_PROTOCOL")));
        strategy->setCurrentText(QStringLiteral("roundrobin, range"));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(message->text().isEmpty());
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);

        stepTo(*window, 45000);
        QVERIFY(timelineHas(*window, "client.group_restarted"));
        group = findGroup(*window->session()->snapshot(), "g");
        QCOMPARE(group->summary.members.size(), std::size_t(2));
        // Every member lists roundrobin first now, so the coordinator picked it at the last rebalance.
        QCOMPARE(group->summary.protocol, std::string("roundrobin"));
        int restarted = 0;
        for (const auto& consumer : window->session()->snapshot()->consumers)
            if (consumer.memberState == "Stable") {
                QCOMPARE(consumer.assignmentStrategy, std::string("roundrobin,range"));
                ++restarted;
            }
        QCOMPARE(restarted, 2);

        window->undoStack()->undo(); // a rolling restart back to range
        stepTo(*window, 80000);
        QCOMPARE(findGroup(*window->session()->snapshot(), "g")->summary.protocol, std::string("range"));
    }

    void anAssignorSharingNothingIsRefusedByTheCoordinator()
    {
        auto window = openWindow();
        GroupsPanel* groups = window->clientDocks()->groupsPanel();
        stepTo(*window, 8000);
        groups->addMemberAction()->trigger();
        stepTo(*window, 14000);
        window->session()->post(QStringLiteral("roll"), [](driver::Engine& engine) {
            std::string error;
            return engine.rollAssignmentStrategy("g", "roundrobin", &error) ? std::string() : error;
        });
        stepTo(*window, 30000);
        // The first new member offers only roundrobin while the other still offers only range.
        QVERIFY(timelineHas(*window, "group.join_rejected"));
        QVERIFY(timelineHas(*window, "client.group_restart_stopped"));
        QVERIFY(!timelineHas(*window, "client.group_restarted"));
        QCOMPARE(findGroup(*window->session()->snapshot(), "g")->summary.protocol, std::string("range"));
    }

    void crashAMemberAndTheCoordinatorWaitsForItsSession()
    {
        auto window = openWindow();
        GroupsPanel* groups = window->clientDocks()->groupsPanel();
        stepTo(*window, 8000);
        groups->addMemberAction()->trigger();
        stepTo(*window, 16000);
        QCOMPARE(currentMembers(*groups), 2);
        groups->selectClient(QStringLiteral("g"));
        groups->crashMemberAction()->trigger();
        // Before session.timeout.ms (45 s) the coordinator still counts the crashed member.
        stepTo(*window, 30000);
        QCOMPARE(currentMembers(*groups), 2);
        stepTo(*window, 70000);
        QCOMPARE(currentMembers(*groups), 1);
        QCOMPARE(generationOf(*groups, 0), 3);
    }

    void addAProducerThroughTheDialogAndUndoIt()
    {
        auto window = openWindow();
        ProducersPanel* producers = window->clientDocks()->producersPanel();
        QAbstractItemModelTester tester(producers->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        stepTo(*window, 1000);
        producers->addAction()->trigger();
        auto* dialog = window->findChild<ProducerDialog*>(QStringLiteral("producerDialog"));
        QVERIFY(dialog);
        auto* rate = dialog->findChild<QDoubleSpinBox*>(QStringLiteral("rate"));
        rate->setValue(500);
        // acks=1 with idempotence on is refused, as Kafka refuses it.
        dialog->findChild<QComboBox*>(QStringLiteral("acks"))->setCurrentIndex(1);
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("message"))->text().contains(QStringLiteral("acks=all")));
        dialog->findChild<QCheckBox*>(QStringLiteral("enableIdempotence"))->setChecked(false);
        QVERIFY(okButton(dialog)->isEnabled());
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        stepTo(*window, 3000);
        QCOMPARE(producers->model()->rowCount(), 2);
        const driver::ProducerSnapshot& added = window->session()->snapshot()->producers[1];
        QCOMPARE(added.clientId, std::string("producer-1"));
        QCOMPARE(added.config.acks, std::int16_t(1));
        QVERIFY(added.counters.acked > 500);
        QCOMPARE(window->undoStack()->count(), 1);

        window->undoStack()->undo();
        stepTo(*window, 4000);
        QVERIFY(window->session()->snapshot()->producers[1].stopped);
        QCOMPARE(producers->model()->index(1, ProducerModel::StateColumn).data().toString(), QStringLiteral("stopped"));
    }

    // Config names as headers (enable.idempotence, compression.type) and counts that grow: no column cuts its
    // header or a value short, so nobody has to widen columns to read a producer's settings.
    void theProducersTableFitsItsHeadersAndValues()
    {
        auto window = openWindow();
        window->clientDocks()->producersDock()->raise();
        ProducersPanel* producers = window->clientDocks()->producersPanel();
        auto* view = producers->findChild<QTableView*>(QStringLiteral("producerView"));
        QVERIFY(view);
        stepTo(*window, 20000);
        QTRY_VERIFY(producers->model()->rowCount() >= 1);
        const QFontMetrics metrics = view->fontMetrics();
        const QFontMetrics headerMetrics = view->horizontalHeader()->fontMetrics();
        const int columns = producers->model()->columnCount();
        QVERIFY(columns > 10);
        for (int column = 0; column + 1 < columns; ++column) { // the last one stretches to the edge
            const QString header = producers->model()->headerData(column, Qt::Horizontal).toString();
            int needed = headerMetrics.horizontalAdvance(header);
            for (int row = 0; row < producers->model()->rowCount(); ++row)
                needed = std::max(
                    needed, metrics.horizontalAdvance(producers->model()->index(row, column).data().toString()));
            QTRY_VERIFY2(view->columnWidth(column) >= needed,
                qPrintable(QStringLiteral("%1: %2 px for %3 px of text")
                               .arg(header)
                               .arg(view->columnWidth(column))
                               .arg(needed)));
        }
    }

    void partitionTheNetworkFromTheFaultsMenu()
    {
        auto window = openWindow();
        stepTo(*window, 1000);
        auto* menu = window->findChild<FaultMenu*>(QStringLiteral("faultMenu"));
        menu->rebuild();
        action(*window, "partitionNetwork")->trigger();
        auto* dialog = window->findChild<NetworkFaultDialog*>(QStringLiteral("networkFaultDialog"));
        QVERIFY(dialog);
        // By default broker 1 is alone on side A; put it on side B too and the dialog objects.
        auto* sideB = dialog->findChild<QListWidget*>(QStringLiteral("sideB"));
        QListWidgetItem* broker1 = sideB->findItems(QStringLiteral("broker 1"), Qt::MatchExactly).value(0);
        QVERIFY(broker1);
        broker1->setCheckState(Qt::Checked);
        QVERIFY(!okButton(dialog)->isEnabled());
        broker1->setCheckState(Qt::Unchecked);
        QVERIFY(okButton(dialog)->isEnabled());
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        // Cut off from the controller, broker 1 is fenced after broker.session.timeout.ms and loses its leaderships.
        stepTo(*window, 15000);
        const SnapshotPtr snapshot = window->session()->snapshot();
        QCOMPARE(snapshot->brokers[0].state, cluster::BrokerState::Fenced);
        QVERIFY(timelineHas(*window, "fault.network_partition"));
        // Undo heals that partition: broker 1 reaches the controller again and is unfenced.
        QCOMPARE(window->undoStack()->count(), 1);
        window->undoStack()->undo();
        stepTo(*window, 25000);
        QVERIFY(timelineHas(*window, "fault.network_healed"));
        QCOMPARE(window->session()->snapshot()->brokers[0].state, cluster::BrokerState::Online);
    }

    void brokerFaultsAreUndoneAndOneLinkIsRestored()
    {
        auto window = openWindow();
        stepTo(*window, 1000);
        auto* menu = window->findChild<FaultMenu*>(QStringLiteral("faultMenu"));
        menu->rebuild();
        action(*window, "crashBroker2")->trigger();
        stepTo(*window, 2000);
        QVERIFY(!window->session()->snapshot()->brokers[1].running);
        QCOMPARE(window->undoStack()->count(), 1);
        window->undoStack()->undo();
        stepTo(*window, 3000);
        QVERIFY(window->session()->snapshot()->brokers[1].running);

        // Two link faults: 1 <-> 2 both ways, then 1 -> 3 one way.
        auto addLink = [&](int to, bool both) {
            menu->rebuild();
            action(*window, "linkFault")->trigger();
            auto* dialog = window->findChild<NetworkFaultDialog*>(QStringLiteral("networkFaultDialog"));
            QVERIFY(dialog);
            auto* target = dialog->findChild<QComboBox*>(QStringLiteral("to"));
            target->setCurrentIndex(target->findData(to));
            dialog->findChild<QCheckBox*>(QStringLiteral("bothDirections"))->setChecked(both);
            QTest::mouseClick(okButton(dialog), Qt::LeftButton);
            QTRY_VERIFY(!window->findChild<NetworkFaultDialog*>(QStringLiteral("networkFaultDialog")));
        };
        addLink(2, true);
        addLink(3, false);
        stepTo(*window, 4000);
        QCOMPARE(window->session()->snapshot()->linkFaults.size(), std::size_t(3));
        menu->rebuild();
        auto* restore = menu->findChild<QMenu*>(QStringLiteral("restoreLinkMenu"));
        QVERIFY(restore);
        QCOMPARE(restore->actions().size(), 2); // 1 <-> 2 is one entry
        action(*window, "restoreLink_1_2")->trigger();
        stepTo(*window, 5000);
        const SnapshotPtr restored = window->session()->snapshot();
        const auto& links = restored->linkFaults;
        QCOMPARE(links.size(), std::size_t(1));
        QCOMPARE(links.front().from, 1);
        QCOMPARE(links.front().to, 3);
        QCOMPARE(links.front().link.latencyMs, 200.0);
        window->undoStack()->undo(); // 1 <-> 2 slow again
        stepTo(*window, 6000);
        QCOMPARE(window->session()->snapshot()->linkFaults.size(), std::size_t(3));
    }
};

QTEST_MAIN(TestClientControls)
#include "test_clientcontrols.moc"
