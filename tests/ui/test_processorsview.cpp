// The Processors and Queues dock, offscreen: a scenario with a stream processor and two modelled queues opens in the
// main window; as virtual time runs, the processor's consumed, filtered and produced counts and the queues' acked and
// redelivered counts move in the models (checked by QAbstractItemModelTester), and selecting a row shows its details
// in the side panel.

#include "../common/testscenario.h"
#include "clientdocks.h"
#include "detailspanel.h"
#include "mainwindow.h"
#include "processorspanel.h"

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

// Sensor readings into raw; "clean" keeps batteries above 50 %. The same readings go to a RabbitMQ-style queue
// and to an SQS-style one whose second worker never deletes what it takes, until it stops at 3 s.
const char* kScenario = R"({"name":"pipeline","duration_ms":60000,"cluster":{"brokers":3},
  "topics":[{"name":"raw","partitions":3,"replication_factor":3},{"name":"clean","partitions":2,"replication_factor":3}],
  "producers":[{"id":"sensors","topic":"raw","rate":100,"workload":{"kind":"sensor_metrics","key_count":50}}],
  "processors":[{"id":"cleaner","input":"raw","output":"clean","filter":[{"field":"battery_pct","op":">","value":50}],
     "map":{"set":{"stage":"clean"},"remove":["firmware"]},"config":{"auto.offset.reset":"earliest"}}],
  "queues":[{"id":"jobs","kind":"delete_on_ack","source":"sensors","subscribers":[{"id":"worker"}]},
    {"id":"sqs","kind":"visibility_timeout","source":"sensors","visibility_timeout_ms":2000,
     "subscribers":[{"id":"worker"},{"id":"faulty","ack":false,"stop_ms":3000}]}]})";

qlonglong number(const GroupTableModel& model, const QString& key, int column)
{
    const int row = model.rowOf(key);
    if (row < 0)
        return -2;
    return model.data(model.index(row, column), GroupTableModel::NumberRole).toLongLong();
}

} // namespace

class TestProcessorsView : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> openWindow(const char* json)
    {
        auto window = std::make_unique<MainWindow>(false);
        window->openScenario(testing::scenarioFromJson(json), 3, QStringLiteral("inline.json"), true);
        window->session()->setPollInterval(5);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qFatal("the main window was not exposed");
        return window;
    }

    void runTo(MainWindow& window, double ms)
    {
        window.session()->step(ms - static_cast<double>(window.session()->snapshot()->virtualUs) / 1000.0);
        QTRY_VERIFY(window.session()->snapshot()->virtualUs >= static_cast<std::int64_t>(ms * 1000));
    }

private slots:
    void countsMoveAsTimeRuns()
    {
        auto window = openWindow(kScenario);
        ProcessorsPanel* panel = window->clientDocks()->processorsPanel();
        ProcessorModel* processors = panel->processorModel();
        QueueModel* queues = panel->queueModel();
        QAbstractItemModelTester processorTester(processors, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester queueTester(queues, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(window->findChild<QDockWidget*>(QStringLiteral("processorsDock")));

        runTo(*window, 4000);
        QTRY_COMPARE(processors->rowCount(), 1);
        QCOMPARE(queues->rowCount(), 2);
        const QString cleaner = QStringLiteral("cleaner");
        QTRY_VERIFY(number(*processors, cleaner, ProcessorModel::ConsumedColumn) > 0);
        const qlonglong consumedEarly = number(*processors, cleaner, ProcessorModel::ConsumedColumn);
        const qlonglong ackedEarly = number(*queues, QStringLiteral("jobs"), QueueModel::AckedColumn);
        QVERIFY(ackedEarly > 0);
        QCOMPARE(processors->data(processors->index(0, ProcessorModel::InputColumn)).toString(), QStringLiteral("raw"));
        QCOMPARE(
            processors->data(processors->index(0, ProcessorModel::OutputsColumn)).toString(), QStringLiteral("clean"));
        QVERIFY(processors->data(processors->index(0, ProcessorModel::StageColumn))
                    .toString()
                    .contains(QStringLiteral("battery_pct > 50")));
        QVERIFY(!processors->headerData(ProcessorModel::LagColumn, Qt::Horizontal, Qt::ToolTipRole)
                     .toString()
                     .isEmpty());
        QVERIFY(!queues->headerData(QueueModel::InFlightColumn, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());

        runTo(*window, 9000);
        QTRY_VERIFY(number(*processors, cleaner, ProcessorModel::ConsumedColumn) > consumedEarly);
        const qlonglong consumed = number(*processors, cleaner, ProcessorModel::ConsumedColumn);
        const qlonglong filtered = number(*processors, cleaner, ProcessorModel::FilteredColumn);
        const qlonglong produced = number(*processors, cleaner, ProcessorModel::ProducedColumn);
        QVERIFY(filtered > 0); // some batteries are below 50 %
        QCOMPARE(produced + filtered, consumed); // every record is filtered or produced, once
        QVERIFY(number(*queues, QStringLiteral("jobs"), QueueModel::AckedColumn) > ackedEarly);
        // The faulty SQS worker's messages came back after the visibility timeout; the RabbitMQ-style queue had none.
        QVERIFY(number(*queues, QStringLiteral("sqs"), QueueModel::RedeliveredColumn) > 0);
        QCOMPARE(number(*queues, QStringLiteral("jobs"), QueueModel::RedeliveredColumn), 0);
        const SnapshotPtr snapshot = window->session()->snapshot();
        for (const driver::QueueSnapshot& queue : snapshot->queues)
            QCOMPARE(queue.depth + queue.inFlight + queue.counters.acked, queue.counters.enqueued);

        // Selecting a row shows it in the details panel; one selection across both tables.
        panel->processorView()->selectRow(0);
        QCOMPARE(window->detailsPanel()->item(), ClusterItem::processorItem("cleaner"));
        QVERIFY(window->detailsPanel()->html().contains(QStringLiteral("cleaner")));
        QVERIFY(window->detailsPanel()->html().contains(QStringLiteral("group.id")));
        panel->queueView()->selectRow(queues->rowOf(QStringLiteral("sqs")));
        QCOMPARE(window->detailsPanel()->item(), ClusterItem::queueItem("sqs"));
        QVERIFY(window->detailsPanel()->html().contains(QStringLiteral("visibility timeout")));
        QVERIFY(panel->processorView()->selectionModel()->selectedRows().isEmpty());
        // The selection survives the next snapshots.
        runTo(*window, 10000);
        QCOMPARE(panel->queueView()->selectionModel()->selectedRows().size(), 1);
    }

    void aScenarioWithoutThemSaysSo()
    {
        auto window = std::make_unique<MainWindow>(false);
        window->openScenario(testing::scenarioFromJson(R"({"name":"plain","duration_ms":10000,
            "topics":[{"name":"t","partitions":1,"replication_factor":1}]})"),
            1, QStringLiteral("inline.json"), true);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->clientDocks()->processorsDock()->raise();
        ProcessorsPanel* panel = window->clientDocks()->processorsPanel();
        QCOMPARE(panel->processorModel()->rowCount(), 0);
        QVERIFY(!panel->processorView()->isVisible());
        QVERIFY(!panel->queueView()->isVisible());
        auto* hint = panel->findChild<QLabel*>(QStringLiteral("processorsEmptyHint"));
        QVERIFY(hint);
        QTRY_VERIFY(hint->isVisible());
    }
};

QTEST_MAIN(TestProcessorsView)
#include "test_processorsview.moc"
