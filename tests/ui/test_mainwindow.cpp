// The main window driven through its real widgets, offscreen: create a topic in the dialog and see it in the
// cluster view, undo and redo it, delete one, step and pause time, click a replica for its details, pick a
// timeline event and see what it touched highlighted; the window's models pass QAbstractItemModelTester.

#include "../common/testscenario.h"
#include "chartadapter.h"
#include "chartspanel.h"
#include "clusterview.h"
#include "consumermodel.h"
#include "consumerpanel.h"
#include "createtopicdialog.h"
#include "detailspanel.h"
#include "faultmenu.h"
#include "formatting.h"
#include "mainwindow.h"
#include "scenariofiles.h"
#include "timelinefilterproxy.h"
#include "timelinemodel.h"
#include "timelinepanel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

const char* kScenario = R"({"name":"gui","duration_ms":60000,"cluster":{"brokers":3},
  "topics":[{"name":"t","partitions":3,"replication_factor":3}],
  "producers":[{"id":"p","topic":"t","rate":200,"workload":{"kind":"orders"}}],
  "consumers":[{"id":"g","topics":["t"],"members":1,"config":{"auto.offset.reset":"earliest"}}]})";

const driver::TopicSnapshot* findTopic(const driver::Snapshot& snapshot, const std::string& name)
{
    for (const auto& topic : snapshot.topics) {
        if (topic.name == name)
            return &topic;
    }
    return nullptr;
}

// The topic as the cluster view shows it right now (its snapshot and its layout rows).
bool clusterViewShows(const MainWindow& window, const std::string& name)
{
    const SnapshotPtr snapshot = window.clusterView()->snapshot();
    const driver::TopicSnapshot* topic = findTopic(*snapshot, name);
    if (!topic)
        return false;
    const ClusterLayout& layout = window.clusterView()->clusterLayout();
    return std::any_of(layout.rows.begin(), layout.rows.end(), [&](const LayoutRow& row) {
        return row.kind == LayoutRow::Kind::Topic && snapshot->topics[static_cast<std::size_t>(row.topic)].name == name;
    });
}

QAction* action(const MainWindow& window, const char* name)
{
    auto* found = window.findChild<QAction*>(QLatin1String(name));
    if (!found)
        qFatal("no action %s", name);
    return found;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> openWindow()
    {
        auto window = std::make_unique<MainWindow>(false);
        window->openScenario(testing::scenarioFromJson(kScenario), 7, QStringLiteral("inline.json"), true);
        window->session()->setPollInterval(5);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qFatal("the main window was not exposed");
        return window;
    }

    void createTopicThroughDialog(MainWindow& window, const QString& name, int partitions, int replicationFactor)
    {
        action(window, "actionCreateTopic")->trigger();
        CreateTopicDialog* dialog = window.createTopicDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("topicName")), name);
        auto* partitionsBox = dialog->findChild<QSpinBox*>(QStringLiteral("partitions"));
        partitionsBox->selectAll();
        QTest::keyClicks(partitionsBox, QString::number(partitions));
        auto* replication = dialog->findChild<QSpinBox*>(QStringLiteral("replicationFactor"));
        replication->selectAll();
        QTest::keyClicks(replication, QString::number(replicationFactor));
        auto* retention = dialog->findChild<QLineEdit*>(QStringLiteral("retentionMs"));
        retention->selectAll();
        QTest::keyClicks(retention, QStringLiteral("600000"));
        dialog->findChild<QComboBox*>(QStringLiteral("cleanupPolicy"))->setCurrentText(QStringLiteral("compact"));
        QPushButton* ok = dialog->findChild<QDialogButtonBox*>(QStringLiteral("buttons"))->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
    }

private slots:
    void crashAndRestartABrokerFromTheFaultsMenu()
    {
        auto window = openWindow();
        SimulationSession* session = window->session();
        session->step(2000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 2000000);
        auto* menu = window->findChild<FaultMenu*>(QStringLiteral("faultMenu"));
        QVERIFY(menu);
        menu->rebuild();
        QVERIFY(!action(*window, "restartBroker1")->isEnabled()); // it is running
        action(*window, "crashBroker1")->trigger();
        // Past broker.session.timeout.ms: the controller fenced broker 1 and moved its leaderships.
        session->step(15000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 17000000);
        {
            const SnapshotPtr snapshot = window->clusterView()->snapshot();
            QCOMPARE(snapshot->brokers[0].state, cluster::BrokerState::Fenced);
            QVERIFY(!snapshot->brokers[0].running);
            for (const auto& partition : findTopic(*snapshot, "t")->partitions)
                QVERIFY(partition.leader != 1);
        }
        menu->rebuild();
        QVERIFY(!action(*window, "crashBroker1")->isEnabled());
        action(*window, "restartBroker1")->trigger();
        session->step(5000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 22000000);
        const SnapshotPtr snapshot = window->clusterView()->snapshot();
        QCOMPARE(snapshot->brokers[0].state, cluster::BrokerState::Online);
        QVERIFY(snapshot->brokers[0].running);
        for (const auto& partition : findTopic(*snapshot, "t")->partitions)
            QCOMPARE(partition.isr.size(), std::size_t(3)); // caught up and back in every ISR
    }

    void killAndRestartTheControllerFromTheFaultsMenu()
    {
        auto window = openWindow();
        SimulationSession* session = window->session();
        session->step(1000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 1000000);
        QCOMPARE(window->clusterView()->snapshot()->activeController, 0);
        auto* menu = window->findChild<FaultMenu*>(QStringLiteral("faultMenu"));
        menu->rebuild();
        action(*window, "killController")->trigger();
        session->step(1000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 2000000);
        QCOMPARE(window->clusterView()->snapshot()->activeController, -1); // a single controller: none left
        action(*window, "restartControllers")->trigger();
        session->step(1000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 3000000);
        QCOMPARE(window->clusterView()->snapshot()->activeController, 0);
        QCOMPARE(window->clusterView()->snapshot()->controllerElections, std::int64_t(1));
    }

    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BrokerlabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_mainwindow"));
        initResources();
    }

    void createsATopicThroughTheDialog()
    {
        auto window = openWindow();
        QVERIFY(clusterViewShows(*window, "t"));
        createTopicThroughDialog(*window, QStringLiteral("audit"), 4, 2);
        QTRY_VERIFY(clusterViewShows(*window, "audit"));
        const driver::TopicSnapshot* audit = findTopic(*window->clusterView()->snapshot(), "audit");
        QCOMPARE(audit->partitions.size(), std::size_t(4));
        QCOMPARE(audit->replicationFactor, 2);
        QCOMPARE(audit->config.log.retentionMs, std::int64_t(600000));
        QVERIFY(audit->config.log.cleanupCompact);
        QVERIFY(!audit->config.log.cleanupDelete);
        QCOMPARE(window->undoStack()->count(), 1);
        // The engine reported it on the timeline too.
        QTRY_VERIFY(!window->timelineModel()->kinds().filter(QStringLiteral("topic.created")).isEmpty());
    }

    void theDialogExplainsWhatIsWrong()
    {
        auto window = openWindow();
        action(*window, "actionCreateTopic")->trigger();
        CreateTopicDialog* dialog = window->createTopicDialog();
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("topicName"));
        QPushButton* ok = dialog->findChild<QDialogButtonBox*>(QStringLiteral("buttons"))->button(QDialogButtonBox::Ok);
        auto visibleMessages = [&] {
            QStringList texts;
            for (QLabel* label : dialog->findChildren<QLabel*>()) {
                if (label->isVisible()
                    && (label->text().startsWith(QStringLiteral("\u2715"))
                        || label->text().startsWith(QStringLiteral("\u26a0"))))
                    texts << label->text();
            }
            return texts.join(QLatin1Char('\n'));
        };
        QVERIFY(!ok->isEnabled()); // no name yet
        QTest::keyClicks(name, QStringLiteral("bad name"));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(visibleMessages().contains(QStringLiteral("ASCII letters")), qPrintable(visibleMessages()));
        name->clear();
        QTest::keyClicks(name, QStringLiteral("t"));
        QVERIFY(visibleMessages().contains(QStringLiteral("already exists")));
        QVERIFY(!ok->isEnabled());
        name->clear();
        QTest::keyClicks(name, QStringLiteral("fresh"));
        QVERIFY(ok->isEnabled());
        QVERIFY(visibleMessages().isEmpty());
        auto* retention = dialog->findChild<QLineEdit*>(QStringLiteral("retentionMs"));
        retention->setText(QStringLiteral("soon"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(visibleMessages().contains(QStringLiteral("retention.ms")));
        retention->setText(QStringLiteral("-1"));
        QVERIFY(ok->isEnabled());
        // Kafka allows min.insync.replicas above the replication factor: a warning, and OK stays enabled.
        dialog->findChild<QSpinBox*>(QStringLiteral("replicationFactor"))->setValue(1);
        dialog->findChild<QSpinBox*>(QStringLiteral("minInsyncReplicas"))->setValue(2);
        QVERIFY(visibleMessages().contains(QStringLiteral("NOT_ENOUGH_REPLICAS")));
        QVERIFY(ok->isEnabled());
        // At most as many replicas as online brokers.
        QCOMPARE(dialog->findChild<QSpinBox*>(QStringLiteral("replicationFactor"))->maximum(), 3);
        // Tooltips come from the config registry.
        QVERIFY(retention->toolTip().contains(QStringLiteral("-1 keeps data forever")));
        dialog->reject();
    }

    void undoAndRedoATopic()
    {
        auto window = openWindow();
        createTopicThroughDialog(*window, QStringLiteral("audit"), 6, 2);
        QTRY_VERIFY(clusterViewShows(*window, "audit"));
        std::vector<std::vector<std::int32_t>> placement;
        for (const auto& partition : findTopic(*window->clusterView()->snapshot(), "audit")->partitions)
            placement.push_back(partition.replicaIds);

        action(*window, "actionUndo")->trigger();
        QTRY_VERIFY(!clusterViewShows(*window, "audit"));
        action(*window, "actionRedo")->trigger();
        QTRY_VERIFY(clusterViewShows(*window, "audit"));
        std::vector<std::vector<std::int32_t>> again;
        for (const auto& partition : findTopic(*window->clusterView()->snapshot(), "audit")->partitions)
            again.push_back(partition.replicaIds);
        QCOMPARE(again, placement); // redo puts the replicas back where they were
    }

    void deletesATopicAndUndoRecreatesIt()
    {
        auto window = openWindow();
        window->session()->step(500);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 500000);
        QVERIFY(!action(*window, "actionDeleteTopic")->isEnabled()); // nothing selected
        window->clusterView()->setSelection(ClusterItem::partitionItem("t", 1));
        QVERIFY(action(*window, "actionDeleteTopic")->isEnabled());
        action(*window, "actionDeleteTopic")->trigger();
        auto* box = window->findChild<QMessageBox*>(QStringLiteral("deleteTopicBox"));
        QVERIFY(box);
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_VERIFY(!clusterViewShows(*window, "t"));
        QTRY_VERIFY(
            window->detailsPanel()->html().contains(QStringLiteral("no longer exists"))); // refreshed 4 times a second

        action(*window, "actionUndo")->trigger();
        QTRY_VERIFY(clusterViewShows(*window, "t"));
        const driver::TopicSnapshot* topic = findTopic(*window->clusterView()->snapshot(), "t");
        QCOMPARE(topic->partitions.size(), std::size_t(3));
        QCOMPARE(topic->replicationFactor, 3);
    }

    void stepAndPauseControlTime()
    {
        auto window = openWindow();
        SimulationSession* session = window->session();
        QVERIFY(session->paused());
        QCOMPARE(action(*window, "actionPause")->text(), QStringLiteral("Resume"));
        action(*window, "actionStep")->trigger();
        QTRY_COMPARE(window->clusterView()->snapshot()->virtualUs, std::int64_t(100000));
        action(*window, "actionStep")->trigger();
        QTRY_COMPARE(window->clusterView()->snapshot()->virtualUs, std::int64_t(200000));
        QTRY_VERIFY(
            window->findChild<QLabel*>(QStringLiteral("timeStatus"))->text().contains(QStringLiteral("00:00.200")));

        action(*window, "actionPause")->trigger(); // resume
        QVERIFY(!session->paused());
        QCOMPARE(action(*window, "actionPause")->text(), QStringLiteral("Pause"));
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs > 200000);
        action(*window, "actionPause")->trigger();
        QVERIFY(session->paused());

        auto* slider = window->findChild<QSlider*>(QStringLiteral("speedSlider"));
        slider->setValue(200);
        QCOMPARE(session->speed(), 10.0);
        QCOMPARE(window->findChild<QLabel*>(QStringLiteral("speedLabel"))->text(), QStringLiteral("\u00d710.0"));
        action(*window, "actionFast")->trigger();
        QVERIFY(session->asFastAsPossible());
        QVERIFY(!slider->isEnabled());
    }

    void clickingAReplicaShowsItsDetails()
    {
        auto window = openWindow();
        window->session()->step(1000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 1000000);
        ClusterView* view = window->clusterView();
        const SnapshotPtr snapshot = view->snapshot();
        const auto& partition = snapshot->topics.front().partitions[1];
        const std::int32_t broker = partition.replicaIds[1];
        const QRectF rect = view->clusterLayout().itemRect(*snapshot, ClusterItem::replicaItem("t", 1, broker));
        QVERIFY(!rect.isEmpty());
        const QPoint scroll(view->horizontalScrollBar()->value(), view->verticalScrollBar()->value());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center().toPoint() - scroll);
        QCOMPARE(view->selection(), ClusterItem::replicaItem("t", 1, broker));
        QVERIFY(window->detailsPanel()->html().contains(QStringLiteral("Replica of t-1 on broker %1").arg(broker)));
        QVERIFY(window->detailsPanel()->html().contains(QStringLiteral("LEO")));

        // Clicking the header selects the broker.
        const QRectF header = view->clusterLayout().headerRect(0);
        QTest::mouseClick(
            view->viewport(), Qt::LeftButton, {}, QPoint(static_cast<int>(header.center().x()) - scroll.x(), 20));
        QCOMPARE(view->selection().kind, ClusterItem::Kind::Broker);
        QVERIFY(window->detailsPanel()->html().contains(QStringLiteral("online")));
    }

    void timelineSelectionHighlightsWhatTheEventTouched()
    {
        auto window = openWindow();
        // Brokers learn of their leaderships over the simulated network, a moment after the topic is created.
        window->session()->step(1000);
        TimelineModel* model = window->timelineModel();
        int leaderRow = -1;
        auto findLeaderEvent = [&] {
            for (int row = 0; row < model->rowCount() && leaderRow < 0; ++row) {
                if (model->event(row).kind == "replica.became_leader")
                    leaderRow = row;
            }
            return leaderRow >= 0;
        };
        QTRY_VERIFY(findLeaderEvent());
        const sim::Event& event = model->event(leaderRow);
        QTableView* table = window->timelinePanel()->view();
        table->selectRow(window->timelinePanel()->proxy()->mapFromSource(model->index(leaderRow, 0)).row());
        QCOMPARE(
            window->clusterView()->highlight(), ClusterItem::replicaItem(event.topic, event.partition, event.broker));

        // The filter box narrows the table; the kind box lists what was seen.
        QTest::keyClicks(window->timelinePanel()->filterEdit(), QStringLiteral("leads t-"));
        QTRY_COMPARE(window->timelinePanel()->proxy()->rowCount(), 3); // one leader per partition of t
        QVERIFY(window->timelinePanel()->kindBox()->findData(QStringLiteral("replica.became_leader")) >= 0);
    }

    void windowModelsPassTheTesterWhileRunning()
    {
        auto window = openWindow();
        QAbstractItemModelTester timeline(
            window->timelineModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxy(
            window->timelinePanel()->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester consumers(
            window->consumerPanel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window->timelinePanel()->proxy()->setKind(QStringLiteral("replica."));
        for (int i = 1; i <= 6; ++i) {
            window->session()->step(500);
            QTRY_COMPARE(window->clusterView()->snapshot()->virtualUs, std::int64_t(i) * 500000);
        }
        QCOMPARE(window->consumerPanel()->model()->rowCount(), 1);
        // The Consumers tab sat behind the Timeline all along; in front, it shows the newest count at once (past
        // the group's first rebalance, 3 s after the join).
        window->session()->step(5000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 8000000);
        window->findChild<QDockWidget*>(QStringLiteral("consumersDock"))->raise();
        const QModelIndex consumed = window->consumerPanel()->model()->index(0, ConsumerModel::PositionColumn);
        QTRY_COMPARE(consumed.data().toString(),
            QStringLiteral("%1 consumed").arg(formatCount(window->session()->snapshot()->consumers.at(0).counters.consumed)));
        QVERIFY(window->session()->snapshot()->consumers.at(0).counters.consumed > 0);
        window->chartsPanel()->refreshNow();
        QCOMPARE(window->chartsPanel()->produceChart()->seriesCount(), 1);
        QVERIFY(window->chartsPanel()->produceChart()->pointCount(QStringLiteral("t")) >= 2);
        QCOMPARE(window->chartsPanel()->lagChart()->seriesCount(), 1);
        QCOMPARE(window->chartsPanel()->replicationChart()->seriesCount(), 2);
        // The second tab: consumption of t, the producer's latency percentiles, t's in-sync replicas.
        window->chartsPanel()->tabs()->setCurrentIndex(1);
        window->chartsPanel()->refreshNow();
        QCOMPARE(window->chartsPanel()->consumeChart()->seriesCount(), 1);
        QVERIFY(window->chartsPanel()->consumeChart()->pointCount(QStringLiteral("t")) >= 2);
        QCOMPARE(window->chartsPanel()->latencyChart()->seriesCount(), 2);
        QVERIFY(window->chartsPanel()->latencyChart()->pointCount(QStringLiteral("p99")) >= 1);
        QCOMPARE(window->chartsPanel()->isrChart()->seriesCount(), 1);
        // Reset starts over: a new run, an empty timeline, an empty undo stack.
        window->openScenario(testing::scenarioFromJson(kScenario), 7, QStringLiteral("inline.json"), true);
        QCOMPARE(window->undoStack()->count(), 0);
        QCOMPARE(window->clusterView()->snapshot()->virtualUs, std::int64_t(0));
    }

    void fitsA1366x768Screen()
    {
        // A 1366x768 laptop leaves about 690 px for a window under its title bar and a panel. Every dock and tab
        // must fit that (scrolling where it must), with the groups dock in front and on the Messages tab too.
        auto window = openWindow();
        window->session()->step(8000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 8000000);
        const QSize available(1366, 690);
        for (const char* dock : { "timelineDock", "groupsDock", "producersDock", "consumersDock" }) {
            window->findChild<QDockWidget*>(QLatin1String(dock))->raise();
            for (bool explorer : { false, true }) {
                if (explorer)
                    window->showExplorer();
                else
                    qobject_cast<QTabWidget*>(window->centralWidget())->setCurrentIndex(0);
                window->resize(available);
                QTRY_COMPARE(window->size(), available);
                const QSize minimum = window->minimumSizeHint();
                QVERIFY2(minimum.height() <= available.height() && minimum.width() <= available.width(),
                    qPrintable(QStringLiteral("%1 (explorer %2): minimum %3x%4")
                                   .arg(QLatin1String(dock))
                                   .arg(explorer)
                                   .arg(minimum.width())
                                   .arg(minimum.height())));
            }
        }
        // The cluster view keeps room to show brokers and partitions, not a sliver.
        QVERIFY2(window->clusterView()->height() >= 200, qPrintable(QString::number(window->clusterView()->height())));
    }

    void rebalanceMatrixIsUsableAt1366x768()
    {
        // On the same screen, the Rebalances tab of the groups dock: the assignment matrix after the replayed step
        // shows its header and every member's row (and the partitions nobody reads) without scrolling the dock.
        auto window = openWindow();
        window->session()->step(8000);
        QTRY_VERIFY(window->clusterView()->snapshot()->virtualUs >= 8000000);
        auto* dock = window->findChild<QDockWidget*>(QStringLiteral("groupsDock"));
        dock->raise();
        window->findChild<QTabWidget*>(QStringLiteral("groupTabs"))->setCurrentIndex(3);
        const QSize available(1366, 690);
        window->resize(available);
        QTRY_COMPARE(window->size(), available);
        auto* matrix = window->findChild<QTableView*>(QStringLiteral("replayAssignmentView"));
        // The group's first rebalance, listed at its first step, grew to the assignment: the member's row and the
        // row of partitions nobody reads.
        QTRY_VERIFY(matrix->model()->rowCount() >= 2);
        QTRY_VERIFY(matrix->isVisible());
        const int rows = matrix->model()->rowCount();
        int rowsHeight = 0;
        for (int row = 0; row < rows; ++row)
            rowsHeight += matrix->rowHeight(row);
        QVERIFY2(matrix->viewport()->height() >= rowsHeight,
            qPrintable(QStringLiteral("%1 rows need %2 px, the matrix shows %3")
                           .arg(rows)
                           .arg(rowsHeight)
                           .arg(matrix->viewport()->height())));
        auto* scroll = dock->findChild<QScrollArea*>();
        QVERIFY(scroll);
        QTest::qWait(50);
        const QRect shown(matrix->mapTo(scroll->viewport(), QPoint()), matrix->size());
        QVERIFY2(scroll->viewport()->rect().contains(shown),
            qPrintable(QStringLiteral("the matrix at y %1..%2, the dock shows 0..%3")
                           .arg(shown.top())
                           .arg(shown.bottom())
                           .arg(scroll->viewport()->height())));
    }

    void zoomStaysWithinBounds()
    {
        auto window = openWindow();
        ClusterView* view = window->clusterView();
        const double start = view->zoom();
        view->zoomIn();
        QVERIFY(view->zoom() > start);
        QTest::keyClick(view, Qt::Key_Minus);
        QCOMPARE(view->zoom(), start);
        for (int i = 0; i < 30; ++i)
            view->zoomIn();
        QCOMPARE(view->zoom(), ClusterMetrics::kMaxZoom);
        QTest::keyClick(view, Qt::Key_0);
        QCOMPARE(view->zoom(), 1.0);
    }

    void scenarioErrorsNameFileLineAndField()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"name\":\"bad\",\n\"cluster\":{\"brokers\":3},\n\"topics\":[{\"name\":\"t\",\"partitions\":0}]}");
        file.close();
        const scenario::LoadResult result = ScenarioFiles::load(file.fileName());
        const auto* error = std::get_if<scenario::ScenarioError>(&result);
        QVERIFY(error);
        const QString text = ScenarioFiles::describe(*error);
        QVERIFY2(text.contains(file.fileName()), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("line 3")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("topics[0].partitions")), qPrintable(text));
        // Every built-in scenario of the File menu loads.
        for (const ScenarioFiles::Builtin& builtin : ScenarioFiles::builtins())
            QVERIFY2(std::holds_alternative<scenario::Scenario>(ScenarioFiles::load(builtin.path)),
                qPrintable(builtin.path));
    }

    void aPersistentWindowRemembersItsLayout()
    {
        QSettings().clear();
        {
            MainWindow window(true);
            window.openScenario(ScenarioFiles::demo(), 1, QString::fromLatin1(ScenarioFiles::kDemoPath), true);
            window.resize(1000, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.clusterView()->zoomIn();
            window.close();
        }
        QSettings settings;
        QVERIFY(!settings.value(QStringLiteral("mainWindow/geometry")).toByteArray().isEmpty());
        QVERIFY(!settings.value(QStringLiteral("mainWindow/state")).toByteArray().isEmpty());
        MainWindow again(true);
        QVERIFY(again.clusterView()->zoom() > 1.0);
        QSettings().clear();
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
