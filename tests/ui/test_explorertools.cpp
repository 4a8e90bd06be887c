// The explorer's writing tools and views, driven through their real widgets offscreen: the Produce dialog
// writes a record that the engine appends to the partition's log with its key and headers (and shows the
// broker's errors); Re-publish fills the dialog from a stored record; Import JSON Lines writes a file's
// records, and a bad file names its line and leaves the topic as it was; the Chronological tab merges
// partitions by timestamp page by page; saved searches round-trip through the workspace file. Every new
// model goes through QAbstractItemModelTester.

#include "../common/testscenario.h"
#include "chronologicalmodel.h"
#include "client/partitioner.h"
#include "explorerpanel.h"
#include "messagemodel.h"
#include "producedialog.h"
#include "recorddetail.h"
#include "savedsearchesmodel.h"
#include "searchresultsmodel.h"
#include "simulationsession.h"
#include "store/exporter.h"
#include "store/storeworker.h"
#include "store/workspace.h"
#include "workspacecontroller.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <semaphore>
#include <tuple>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

const char* kScenario = R"({"name":"explorer tools","duration_ms":300000,"cluster":{"brokers":3},
  "topics":[{"name":"orders","partitions":4,"replication_factor":3},
            {"name":"audit","partitions":2,"replication_factor":3},
            {"name":"strict","partitions":1,"replication_factor":3,"config":{"min.insync.replicas":3}}],
  "faults":[{"kind":"broker_crash","broker":3,"at_ms":60000}]})";

// Reads a partition's log on the engine's thread (commands run there even while paused).
std::vector<log::Record> logOf(SimulationSession& session, const std::string& topic, std::int32_t partition)
{
    auto records = std::make_shared<std::vector<log::Record>>();
    auto done = std::make_shared<std::binary_semaphore>(0);
    session.post(QStringLiteral("read the log"), [=](driver::Engine& engine) {
        const auto* info = engine.cluster().controller().image().partition(topic, partition);
        if (info && info->leader >= 0)
            if (const cluster::Replica* replica = engine.cluster().broker(info->leader)->replica({ topic, partition }))
                *records = replica->log().readRecords(
                    replica->log().logStartOffset(), replica->log().logEndOffset(), 1000000);
        done->release();
        return std::string();
    });
    done->acquire();
    return *records;
}

std::size_t recordsIn(SimulationSession& session, const std::string& topic, int partitions)
{
    std::size_t total = 0;
    for (int p = 0; p < partitions; ++p)
        total += logOf(session, topic, p).size();
    return total;
}

// Steps virtual time until `spy` fires (the engine answers in virtual time; the session is paused).
bool stepUntil(SimulationSession& session, QSignalSpy& spy, int maxSteps = 100)
{
    for (int i = 0; i < maxSteps && spy.isEmpty(); ++i) {
        session.step(200);
        spy.wait(50);
    }
    return !spy.isEmpty();
}

struct Running {
    WorkspaceController controller { false };
    std::unique_ptr<ExplorerPanel> panel;
    std::unique_ptr<SimulationSession> session;

    Running()
    {
        panel = std::make_unique<ExplorerPanel>(&controller);
        session = std::make_unique<SimulationSession>(
            testing::scenarioFromJson(kScenario), 7, QStringLiteral("inline.json"));
        session->setPollInterval(5);
        QSignalSpy changed(&controller, &WorkspaceController::workspaceChanged);
        controller.attachSession(session.get());
        panel->setSession(session.get());
        session->start(true, false);
        changed.wait(20000);
        session->step(3000); // the controller elects leaders, the brokers register
        QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->virtualUs >= 3000000, 20000);
    }
};

// orders-a/0, a/1 and b/0 with interleaved timestamps (equal ones too), as a workspace file.
void writeChronologicalWorkspace(const std::string& path)
{
    store::Workspace workspace("chronological-fixture");
    workspace.create(path);
    workspace.setTopic({ "a", 2, 1, "{}", false });
    workspace.setTopic({ "b", 1, 1, "{}", false });
    store::IngestBatch batch;
    auto partition = [](std::string topic, std::int32_t index, int count, std::int64_t start, std::int64_t step) {
        store::PartitionUpdate update;
        update.topic = std::move(topic);
        update.partition = index;
        update.highWatermark = count;
        update.logEndOffset = count;
        for (int i = 0; i < count; ++i) {
            log::Record record;
            record.offset = i;
            record.timestamp = start + i * step;
            record.value = update.topic + "/" + std::to_string(index) + "@" + std::to_string(i);
            update.records.push_back(std::move(record));
        }
        return update;
    };
    batch.partitions
        = { partition("a", 0, 700, 1000, 3), partition("a", 1, 500, 1001, 4), partition("b", 0, 400, 1000, 6) };
    workspace.ingest(batch);
    workspace.indexAll();
    workspace.close();
}

bool openIn(WorkspaceController& controller, const QString& path)
{
    QSignalSpy changed(&controller, &WorkspaceController::workspaceChanged);
    controller.openWorkspace(path);
    return changed.wait(20000) && controller.path() == path;
}

} // namespace

class TestExplorerTools : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void produceDialogWritesARecordWithKeyAndHeaders()
    {
        Running run;
        ProduceDialog* dialog = run.panel->openProduceDialog();
        dialog->topicBox()->setCurrentText(QStringLiteral("orders"));
        QCOMPARE(dialog->partitionBox()->count(), 5); // by key + 4 partitions
        QCOMPARE(dialog->partitionBox()->currentIndex(), 0);
        QTest::keyClicks(dialog->keyEdit(), QStringLiteral("customer-7"));
        const std::string key = "customer-7";
        const int expected
            = client::partitionForKey({ reinterpret_cast<const std::uint8_t*>(key.data()), key.size() }, 4);
        QVERIFY2(dialog->partitionHint()->text().contains(QStringLiteral("partition %1").arg(expected)),
            qPrintable(dialog->partitionHint()->text()));

        // A value that looks like JSON is checked; the problem is named.
        QTest::keyClicks(dialog->valueEdit(), QStringLiteral("{\"total\": 12,"));
        QVERIFY2(
            dialog->valueCheck()->text().contains(QStringLiteral("not")), qPrintable(dialog->valueCheck()->text()));
        dialog->valueEdit()->setPlainText(QStringLiteral("{\"total\": 12}"));
        QCOMPARE(dialog->valueCheck()->text(), QStringLiteral("Valid JSON."));

        QTest::mouseClick(dialog->addHeaderButton(), Qt::LeftButton);
        QTest::mouseClick(dialog->addHeaderButton(), Qt::LeftButton);
        dialog->headersTable()->item(0, 0)->setText(QStringLiteral("trace-id"));
        dialog->headersTable()->item(0, 1)->setText(QStringLiteral("abc-1"));
        dialog->headersTable()->item(1, 0)->setText(QStringLiteral("drop-me"));
        dialog->headersTable()->setCurrentCell(1, 0);
        QTest::mouseClick(dialog->removeHeaderButton(), Qt::LeftButton);
        QCOMPARE(dialog->headersTable()->rowCount(), 1);

        QSignalSpy delivered(dialog, &ProduceDialog::delivered);
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(stepUntil(*run.session, delivered));
        QCOMPARE(delivered.at(0).at(1).toInt(), expected);
        const qint64 offset = delivered.at(0).at(2).toLongLong();
        QVERIFY(dialog->status()->text().contains(QStringLiteral("offset %1").arg(offset)));

        const auto log = logOf(*run.session, "orders", expected);
        QCOMPARE(log.size(), std::size_t(1));
        QCOMPARE(log[0].offset, offset);
        QCOMPARE(log[0].key, std::optional<std::string>(key));
        QCOMPARE(log[0].value, std::optional<std::string>(R"({"total": 12})"));
        QCOMPARE(log[0].headers.size(), std::size_t(1));
        QCOMPARE(log[0].headers[0].key, std::string("trace-id"));
        QCOMPARE(log[0].headers[0].value, std::optional<std::string>("abc-1"));

        // An explicit partition and a tombstone.
        dialog->partitionBox()->setCurrentIndex(dialog->partitionBox()->findData(2));
        QTest::mouseClick(dialog->nullValueBox(), Qt::LeftButton);
        delivered.clear();
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(stepUntil(*run.session, delivered));
        QCOMPARE(delivered.at(0).at(1).toInt(), 2);
        const auto second = logOf(*run.session, "orders", 2);
        QVERIFY(!second.empty());
        QVERIFY(!second.back().value);
        QCOMPARE(second.back().key, std::optional<std::string>(key));
        dialog->close();
    }

    void republishFillsTheDialogFromTheBrowser()
    {
        Running run;
        ProduceDialog* first = run.panel->openProduceDialog();
        first->topicBox()->setCurrentText(QStringLiteral("orders"));
        first->partitionBox()->setCurrentIndex(first->partitionBox()->findData(1));
        first->keyEdit()->setText(QStringLiteral("k1"));
        first->valueEdit()->setPlainText(QStringLiteral("original"));
        QTest::mouseClick(first->addHeaderButton(), Qt::LeftButton);
        first->headersTable()->item(0, 0)->setText(QStringLiteral("source"));
        first->headersTable()->item(0, 1)->setText(QStringLiteral("gui"));
        QSignalSpy delivered(first, &ProduceDialog::delivered);
        QTest::mouseClick(first->sendButton(), Qt::LeftButton);
        QVERIFY(stepUntil(*run.session, delivered));
        first->close();

        // The record reaches the workspace and the browser; Re-publish on the selected row fills a new dialog.
        QSignalSpy flushed(&run.controller, &WorkspaceController::flushed);
        run.controller.flush();
        QVERIFY(flushed.wait(20000));
        run.controller.writer()->waitUntilIdle();
        run.panel->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(run.panel->partitionTree()->topLevelItemCount() >= 1, 10000);
        auto shown = [&] {
            run.panel->refresh();
            run.panel->showPartition(QStringLiteral("orders"), 1);
            return run.panel->messageModel()->topic() == "orders" && run.panel->messageModel()->partition() == 1
                && run.panel->messageModel()->rowCount() == 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(shown(), 10000);
        run.panel->jumpToOffset(0);
        QTRY_VERIFY_WITH_TIMEOUT(run.panel->messageModel()->record(0) != nullptr, 10000);
        run.panel->republishAction()->trigger();
        auto dialogs = run.panel->findChildren<ProduceDialog*>();
        QCOMPARE(dialogs.size(), 1);
        ProduceDialog* again = dialogs.front();
        QCOMPARE(again->topic(), QStringLiteral("orders"));
        QCOMPARE(again->partitionBox()->currentData().toInt(), 1);
        QCOMPARE(again->keyEdit()->text(), QStringLiteral("k1"));
        QCOMPARE(again->valueEdit()->toPlainText(), QStringLiteral("original"));
        QCOMPARE(again->headersTable()->rowCount(), 1);
        QCOMPARE(again->headersTable()->item(0, 1)->text(), QStringLiteral("gui"));

        // Edited, to another topic: partitions follow the topic; by key is the fallback.
        again->topicBox()->setCurrentText(QStringLiteral("audit"));
        QCOMPARE(again->partitionBox()->count(), 3);
        QCOMPARE(again->partitionBox()->currentData().toInt(), 1);
        again->valueEdit()->setPlainText(QStringLiteral("edited"));
        QSignalSpy deliveredAgain(again, &ProduceDialog::delivered);
        QTest::mouseClick(again->sendButton(), Qt::LeftButton);
        QVERIFY(stepUntil(*run.session, deliveredAgain));
        const auto audit = logOf(*run.session, "audit", 1);
        QCOMPARE(audit.size(), std::size_t(1));
        QCOMPARE(audit[0].value, std::optional<std::string>("edited"));
        QCOMPARE(audit[0].key, std::optional<std::string>("k1"));
        QCOMPARE(audit[0].headers.size(), std::size_t(1));
        again->close();
    }

    void produceErrorsAreShownClearly()
    {
        Running run;
        ProduceDialog* dialog = run.panel->openProduceDialog();
        dialog->setTopic(QStringLiteral("no-such-topic"));
        QVERIFY(dialog->status()->text().contains(QStringLiteral("no-such-topic")));

        // Broker 3 crashes at 60 s and leaves the ISR; "strict" needs all 3 in sync.
        run.session->step(30000);
        QTRY_VERIFY_WITH_TIMEOUT(run.session->snapshot()->virtualUs >= 33000000, 20000);
        run.session->step(60000);
        QTRY_VERIFY_WITH_TIMEOUT(run.session->snapshot()->virtualUs >= 93000000, 60000);
        dialog->setTopic(QStringLiteral("strict"));
        dialog->valueEdit()->setPlainText(QStringLiteral("needs three"));
        QSignalSpy failed(dialog, &ProduceDialog::failed);
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(stepUntil(*run.session, failed));
        QVERIFY2(dialog->status()->text().contains(QStringLiteral("NOT_ENOUGH_REPLICAS")),
            qPrintable(dialog->status()->text()));
        QVERIFY(logOf(*run.session, "strict", 0).empty());

        // A header with a value and no key is refused before anything is sent.
        QTest::mouseClick(dialog->addHeaderButton(), Qt::LeftButton);
        dialog->headersTable()->item(0, 1)->setText(QStringLiteral("orphan"));
        failed.clear();
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QCOMPARE(failed.count(), 1);
        QVERIFY(dialog->status()->text().contains(QStringLiteral("no key")));
        dialog->close();
    }

    void importWritesAFilesRecords()
    {
        Running run;
        const QString path = dir_.filePath(QStringLiteral("small.jsonl"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (int i = 0; i < 6; ++i) {
                store::StoredRecord stored;
                stored.topic = "elsewhere";
                stored.partition = i % 4;
                stored.record.offset = 100 + i;
                stored.record.timestamp = 1600000000000 + i;
                stored.record.key = "key-" + std::to_string(i);
                stored.record.value = "{\"n\":" + std::to_string(i) + "}";
                stored.record.headers = { { "line", std::to_string(i + 1) } };
                file.write(QByteArray::fromStdString(store::jsonLine(stored) + "\n"));
            }
        }
        QSignalSpy finished(run.panel.get(), &ExplorerPanel::importFinished);
        run.panel->importFile(path, { QStringLiteral("orders"), true, true });
        QVERIFY(run.panel->importRunning());
        QVERIFY(stepUntil(*run.session, finished));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QVERIFY(finished.at(0).at(1).toString().contains(QStringLiteral("Imported 6 of 6")));
        for (int p = 0; p < 4; ++p) {
            const auto log = logOf(*run.session, "orders", p);
            QCOMPARE(log.size(), std::size_t(p < 2 ? 2 : 1)); // lines 0..5 into partitions 0,1,2,3,0,1
            for (const auto& record : log) {
                const int i = std::stoi(record.key->substr(4));
                QCOMPARE(i % 4, p);
                QCOMPARE(record.timestamp, std::int64_t(1600000000000 + i));
                QCOMPARE(record.value, std::optional<std::string>("{\"n\":" + std::to_string(i) + "}"));
                QCOMPARE(record.headers.at(0).value, std::optional<std::string>(std::to_string(i + 1)));
            }
        }
        QVERIFY(!run.panel->importRunning());
    }

    void aBadFileNamesItsLineAndChangesNothing()
    {
        Running run;
        // Something in the topic already.
        const QString good = dir_.filePath(QStringLiteral("good.jsonl"));
        {
            QFile file(good);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"key\":\"a\",\"value\":\"kept\"}\n");
        }
        QSignalSpy finished(run.panel.get(), &ExplorerPanel::importFinished);
        run.panel->importFile(good, { QStringLiteral("audit"), true, false });
        QVERIFY(stepUntil(*run.session, finished));
        QVERIFY(finished.takeFirst().at(0).toBool());
        QCOMPARE(recordsIn(*run.session, "audit", 2), std::size_t(1));

        const QString bad = dir_.filePath(QStringLiteral("bad.jsonl"));
        {
            QFile file(bad);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"value\":\"one\"}\n{\"value\":\"two\"}\n\n{\"value\":\"four\",\"partition\":\"x\"}\n"
                       "{\"value\":\"five\"}\n");
        }
        run.panel->importFile(bad, { QStringLiteral("audit"), true, false });
        QVERIFY(stepUntil(*run.session, finished));
        QVERIFY(!finished.at(0).at(0).toBool());
        const QString message = finished.at(0).at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("line 4")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("\"partition\" must be an integer")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("bad.jsonl")), qPrintable(message));
        run.session->step(3000);
        QTRY_VERIFY_WITH_TIMEOUT(run.session->snapshot()->virtualUs >= 6000000, 20000);
        QCOMPARE(recordsIn(*run.session, "audit", 2), std::size_t(1));
        QCOMPARE(logOf(*run.session, "audit", 0).size() + logOf(*run.session, "audit", 1).size(), std::size_t(1));

        // A partition the topic does not have: refused as a whole, nothing sent.
        const QString wide = dir_.filePath(QStringLiteral("wide.jsonl"));
        {
            QFile file(wide);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"value\":\"p0\",\"partition\":0}\n{\"value\":\"p9\",\"partition\":9}\n");
        }
        finished.clear();
        run.panel->importFile(wide, { QStringLiteral("audit"), true, false });
        QVERIFY(stepUntil(*run.session, finished));
        QVERIFY(!finished.at(0).at(0).toBool());
        QVERIFY2(finished.at(0).at(1).toString().contains(QStringLiteral("UNKNOWN_TOPIC_OR_PARTITION")),
            qPrintable(finished.at(0).at(1).toString()));
        run.session->step(2000);
        QTRY_VERIFY_WITH_TIMEOUT(run.session->snapshot()->virtualUs >= 8000000, 20000);
        QCOMPARE(recordsIn(*run.session, "audit", 2), std::size_t(1));
    }

    void browserJumpsToATimeAndTheNewestAndShowsTheRecordThreeWays()
    {
        const QString path = dir_.filePath(QStringLiteral("jump.blw"));
        writeChronologicalWorkspace(path.toStdString());
        WorkspaceController controller(false);
        ExplorerPanel panel(&controller);
        QVERIFY(openIn(controller, path));
        auto shown = [&] {
            panel.refresh();
            panel.showPartition(QStringLiteral("a"), 0);
            return panel.messageModel()->topic() == "a" && panel.messageModel()->partition() == 0
                && panel.messageModel()->rowCount() == 700;
        };
        QTRY_VERIFY_WITH_TIMEOUT(shown(), 10000);
        auto selected = [&]() -> std::int64_t {
            const QModelIndex index = panel.messageView()->currentIndex();
            const store::StoredRecord* record = index.isValid() ? panel.messageModel()->record(index.row()) : nullptr;
            return record ? record->record.offset : -1;
        };
        // a/0's timestamps are 1000 + 3 x offset: the first record at or after a time, as ListOffsets answers.
        panel.jumpToTime(1750);
        QTRY_COMPARE_WITH_TIMEOUT(selected(), std::int64_t(250), 10000);
        panel.jumpToTime(1751);
        QTRY_COMPARE_WITH_TIMEOUT(selected(), std::int64_t(251), 10000);
        panel.jumpToTime(0);
        QTRY_COMPARE_WITH_TIMEOUT(selected(), std::int64_t(0), 10000);
        panel.jumpToTime(1000000000); // every record is older: the newest
        QTRY_COMPARE_WITH_TIMEOUT(selected(), std::int64_t(699), 10000);
        panel.jumpToOffset(42);
        QTRY_COMPARE_WITH_TIMEOUT(selected(), std::int64_t(42), 10000);
        panel.jumpToNewest();
        QTRY_COMPARE_WITH_TIMEOUT(selected(), std::int64_t(699), 10000);

        // The detail pane shows the selected record: not JSON in the tree, its text, and its bytes in hex.
        RecordDetail* detail = panel.detail();
        QTRY_COMPARE_WITH_TIMEOUT(detail->jsonTree()->topLevelItemCount(), 1, 10000);
        QCOMPARE(detail->jsonTree()->topLevelItem(0)->text(0), QStringLiteral("(not JSON)"));
        const auto texts = detail->findChildren<QPlainTextEdit*>();
        QVERIFY(std::any_of(texts.begin(), texts.end(),
            [](const QPlainTextEdit* edit) { return edit->toPlainText() == QStringLiteral("a/0@699"); }));
        QVERIFY(std::any_of(texts.begin(), texts.end(), [](const QPlainTextEdit* edit) {
            return edit->toPlainText().contains(QStringLiteral("61 2f 30 40 36 39 39"), Qt::CaseInsensitive);
        }));
    }

    void chronologicalViewMergesPartitionsByTime()
    {
        const QString path = dir_.filePath(QStringLiteral("chrono.blw"));
        writeChronologicalWorkspace(path.toStdString());
        WorkspaceController controller(false);
        ExplorerPanel panel(&controller);
        QVERIFY(openIn(controller, path));
        QTRY_VERIFY_WITH_TIMEOUT(panel.partitionTree()->topLevelItemCount() == 2, 10000);
        ChronologicalModel* model = panel.chronologicalModel();

        // Tick topic a (both partitions) and b's only partition.
        QSignalSpy loaded(model, &ChronologicalModel::pageLoaded);
        panel.partitionTree()->topLevelItem(0)->setCheckState(0, Qt::Checked);
        panel.partitionTree()->topLevelItem(1)->child(0)->setCheckState(0, Qt::Checked);
        QTRY_COMPARE_WITH_TIMEOUT(model->partitions().size(), std::size_t(3), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0 && !model->isLoading(), 10000);
        QCOMPARE(model->rowCount(), int(ChronologicalModel::kPageSize)); // one page, not everything
        QVERIFY(model->canFetchMore({}));
        // Scrolling on loads the rest, page by page. (The tester asks for more pages itself, as a view would.)
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 10000);
        while (model->canFetchMore({})) {
            model->fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 10000);
        }
        QVERIFY(model->atEnd());
        QCOMPARE(model->rowCount(), 1600);
        for (int row = 1; row < model->rowCount(); ++row) {
            const auto& a = model->hit(row - 1);
            const auto& b = model->hit(row);
            QVERIFY2(std::tie(a.record.timestamp, a.topic, a.partition, a.record.offset)
                    < std::tie(b.record.timestamp, b.topic, b.partition, b.record.offset),
                qPrintable(QStringLiteral("row %1").arg(row)));
        }
        // Equal timestamps: topic, then partition. a/0@0 and b/0@0 are both at 1000.
        QCOMPARE(model->hit(0).topic, std::string("a"));
        QCOMPARE(model->hit(1).topic, std::string("b"));
        QCOMPARE(model->hit(1).record.timestamp, std::int64_t(1000));

        // From a time: each partition from its first record at or after it.
        panel.chronologicalFrom()->setText(QStringLiteral("2000"));
        QTest::keyClick(panel.chronologicalFrom(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0 && !model->isLoading(), 10000);
        QCOMPARE(model->hit(0).record.timestamp, std::int64_t(2001)); // a/1 at offset 250: nothing is at 2000
        QVERIFY(model->hit(model->rowCount() - 1).record.timestamp >= 2000);

        // Unticking b leaves only a's partitions.
        panel.partitionTree()->topLevelItem(1)->child(0)->setCheckState(0, Qt::Unchecked);
        QTRY_COMPARE_WITH_TIMEOUT(model->partitions().size(), std::size_t(2), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0 && !model->isLoading(), 10000);
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->hit(row).topic, std::string("a"));

        // A row opens in the browser.
        panel.viewTabs()->setCurrentIndex(2);
        emit panel.chronologicalView()->activated(model->index(5, 0));
        QCOMPARE(panel.messageModel()->topic(), model->hit(5).topic);
        QCOMPARE(panel.messageModel()->partition(), model->hit(5).partition);
    }

    void savedSearchesRoundTripThroughTheWorkspace()
    {
        const QString path = dir_.filePath(QStringLiteral("saved.blw"));
        writeChronologicalWorkspace(path.toStdString());
        {
            WorkspaceController controller(false);
            ExplorerPanel panel(&controller);
            QAbstractItemModelTester tester(
                panel.savedSearchesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            QVERIFY(openIn(controller, path));
            QSignalSpy changed(&panel, &ExplorerPanel::savedSearchesChanged);
            panel.searchField()->setText(QStringLiteral("topic:b"));
            panel.saveCurrentSearch(QStringLiteral("only b"));
            QTRY_COMPARE_WITH_TIMEOUT(panel.savedSearchesModel()->rowCount(), 1, 10000);
            panel.searchField()->setText(QStringLiteral("a/1@3"));
            panel.saveCurrentSearch(QStringLiteral("one record"));
            QTRY_COMPARE_WITH_TIMEOUT(panel.savedSearchesModel()->rowCount(), 2, 10000);
            QCOMPARE(panel.savedSearchBox()->currentText(), QStringLiteral("one record"));
            // A bad query is not saved, and says why.
            panel.searchField()->setText(QStringLiteral("colour:red"));
            panel.saveCurrentSearch(QStringLiteral("bad"));
            QVERIFY(panel.searchStatus()->text().contains(QStringLiteral("colour")));
            controller.writer()->waitUntilIdle();
            QTest::qWait(100);
            QCOMPARE(panel.savedSearchesModel()->rowCount(), 2);
        }
        // Reopened: the searches come from the file; one runs, one is deleted.
        WorkspaceController controller(false);
        ExplorerPanel panel(&controller);
        QAbstractItemModelTester tester(
            panel.savedSearchesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openIn(controller, path));
        SavedSearchesModel* saved = panel.savedSearchesModel();
        QTRY_COMPARE_WITH_TIMEOUT(saved->rowCount(), 2, 10000);
        QCOMPARE(saved->name(0), QStringLiteral("one record"));
        const int onlyB = saved->rowOf(QStringLiteral("only b"));
        QCOMPARE(saved->query(onlyB), QStringLiteral("topic:b"));
        QSignalSpy done(&panel, &ExplorerPanel::searchDone);
        panel.savedSearchBox()->setCurrentIndex(onlyB);
        emit panel.savedSearchBox()->activated(onlyB);
        QVERIFY(done.wait(20000));
        QCOMPARE(panel.searchField()->text(), QStringLiteral("topic:b"));
        QCOMPARE(panel.resultsModel()->rowCount(), 400);
        panel.deleteSavedSearch(onlyB);
        QTRY_COMPARE_WITH_TIMEOUT(saved->rowCount(), 1, 10000);
        QCOMPARE(saved->name(0), QStringLiteral("one record"));
        controller.writer()->waitUntilIdle();
        std::size_t inFile = 0;
        controller.writer()->post([&](store::Workspace& workspace) { inFile = workspace.savedSearches().size(); });
        controller.writer()->waitUntilIdle();
        QCOMPARE(inFile, std::size_t(1));
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestExplorerTools)
#include "test_explorertools.moc"
