// The main window's client and network controls driven through their real widgets, offscreen: start and stop a
// consumer-group member and see the rebalance in the Consumer Groups view (generation, members, assignment,
// replay); add a producer through its dialog and undo it; partition the network and see it on the timeline;
// crash a broker and see its leaderships move in the groups' coordinator and the cluster.

#include "../common/testscenario.h"
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
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
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
        bool recorded = false;
        for (int row = 0; row < window->timelineModel()->rowCount(); ++row)
            recorded = recorded || window->timelineModel()->event(row).kind == "fault.network_partition";
        QVERIFY(recorded);
    }
};

QTEST_MAIN(TestClientControls)
#include "test_clientcontrols.moc"
