// The explorer's writing tools: Produce and Re-publish (through ProduceDialog), Import JSON Lines, and
// saved searches. Everything that changes a topic goes through the engine's command path and a real
// simulated producer; everything that reads the file or the workspace runs off the GUI thread.

#include "chronologicalmodel.h"
#include "explorerpanel.h"
#include "formatting.h"
#include "messagemodel.h"
#include "producedialog.h"
#include "savedsearchesmodel.h"
#include "searchresultsmodel.h"
#include "simulationsession.h"
#include "store/importer.h"
#include "store/searchquery.h"
#include "store/storeworker.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include <fstream>
#include <mutex>

namespace brokerlab::ui {

// One import under way. The reader thread and the engine's listener fill it; the GUI reads it on a timer.
struct ExplorerPanel::ImportRun {
    QString path;
    ImportOptions options;
    std::atomic<bool> stop { false };
    std::atomic<std::uint64_t> job { 0 }; // the engine's job, once the records were handed over
    std::atomic<std::int64_t> bytesRead { 0 };
    std::int64_t fileSize = 1;
    std::int64_t total = 0; // records in the file (GUI thread)
    std::atomic<std::int64_t> acknowledged { 0 };
    std::atomic<std::int64_t> failed { 0 };
    std::atomic<std::int64_t> cancelled { 0 };
    std::mutex mutex;
    std::string firstError; // guarded by mutex
    QPointer<QProgressDialog> progress;
    QTimer* timer = nullptr;
};

void ExplorerPanel::buildActions()
{
    produceAction_ = new QAction(tr("&Produce Message\u2026"), this);
    produceAction_->setObjectName(QStringLiteral("produceMessage"));
    produceAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    produceAction_->setToolTip(
        tr("Write a record to a topic of the running cluster, as a producer would (Ctrl+Shift+M)."));
    connect(produceAction_, &QAction::triggered, this, [this] { openProduceDialog(); });
    republishAction_ = new QAction(tr("&Re-publish\u2026"), this);
    republishAction_->setObjectName(QStringLiteral("republishMessage"));
    republishAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    republishAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    republishAction_->setToolTip(tr("Send the selected record again, edited or not, to any topic (Ctrl+Shift+R)."));
    connect(republishAction_, &QAction::triggered, this, &ExplorerPanel::republishSelected);
    importAction_ = new QAction(tr("&Import JSON Lines\u2026"), this);
    importAction_->setObjectName(QStringLiteral("importJsonLines"));
    importAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    importAction_->setToolTip(tr("Write the records of a JSON Lines file (as Export writes it) into a topic."));
    connect(importAction_, &QAction::triggered, this, &ExplorerPanel::importInteractive);
    addAction(republishAction_);
    for (QTableView* view : { messageView_, resultsView_ }) {
        view->setContextMenuPolicy(Qt::ActionsContextMenu);
        view->addAction(republishAction_);
    }
    updateActions();
}

void ExplorerPanel::setSession(SimulationSession* session)
{
    if (import_ && session != session_)
        finishImport(false, tr("The import stopped: a new simulation replaced the one it was writing to."));
    session_ = session;
    updateActions();
}

void ExplorerPanel::updateActions()
{
    const bool running = session_ != nullptr;
    const QString why = tr("Needs a running simulation.");
    for (QAction* action : { produceAction_, republishAction_, importAction_ }) {
        action->setEnabled(running);
        action->setStatusTip(running ? action->toolTip() : why);
    }
}

ProduceDialog* ExplorerPanel::openProduceDialog()
{
    auto* dialog = new ProduceDialog(session_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowFlag(Qt::Window);
    if (!messages_->topic().empty())
        dialog->setTopic(QString::fromStdString(messages_->topic()));
    // The record shows in the browser once the autosave tick hands it to the store.
    connect(dialog, &ProduceDialog::delivered, this, [this] { refresh(); });
    dialog->show();
    return dialog;
}

ProduceDialog* ExplorerPanel::republish(const store::StoredRecord& record)
{
    ProduceDialog* dialog = openProduceDialog();
    dialog->prefill(record);
    return dialog;
}

void ExplorerPanel::republishSelected()
{
    QTableView* view = views_->currentIndex() == 1 ? resultsView_
        : views_->currentIndex() == 2              ? chronoView_
                                                   : messageView_;
    const QModelIndex current = view->currentIndex();
    if (!current.isValid())
        return;
    if (view == messageView_) {
        if (const store::StoredRecord* record = messages_->record(current.row()))
            republish(*record);
    } else {
        republish(static_cast<SearchResultsModel*>(view->model())->hit(current.row()));
    }
}

void ExplorerPanel::importInteractive()
{
    if (!session_) {
        QMessageBox::information(this, tr("Import JSON Lines"), tr("Importing needs a running simulation."));
        return;
    }
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import JSON Lines"), QString(), tr("JSON Lines (*.jsonl *.ndjson *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QDialog ask(this);
    ask.setWindowTitle(tr("Import %1").arg(QFileInfo(path).fileName()));
    auto* topic = new QComboBox(&ask);
    for (const auto& entry : session_->snapshot()->topics)
        if (!entry.internal)
            topic->addItem(QString::fromStdString(entry.name));
    topic->setCurrentText(QString::fromStdString(messages_->topic()));
    auto* partitions = new QComboBox(&ask);
    partitions->addItem(tr("As in the file (by key where a line has none)"), true);
    partitions->addItem(tr("By key (murmur2), ignoring the file's"), false);
    partitions->setToolTip(tr("A line's \u201cpartition\u201d must exist in the target topic; \u201cby key\u201d "
                              "lets Kafka's partitioner choose."));
    auto* timestamps = new QComboBox(&ask);
    timestamps->addItem(tr("Now (the producer's clock)"), false);
    timestamps->addItem(tr("As in the file"), true);
    timestamps->setToolTip(tr("The records' CreateTime. Old timestamps can make retention.ms delete the records "
                              "soon after they are written."));
    auto* form = new QFormLayout(&ask);
    form->addRow(tr("Into &topic:"), topic);
    form->addRow(tr("&Partitions:"), partitions);
    form->addRow(tr("Time&stamps:"), timestamps);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &ask);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &ask, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &ask, &QDialog::reject);
    if (ask.exec() != QDialog::Accepted || topic->currentText().isEmpty())
        return;
    importFile(path, { topic->currentText(), partitions->currentData().toBool(), timestamps->currentData().toBool() });
}

void ExplorerPanel::importFile(const QString& path, const ImportOptions& options)
{
    if (import_) {
        finishImport(false, tr("An import is already running."));
        return;
    }
    if (!session_) {
        emit importFinished(false, tr("Importing needs a running simulation."));
        return;
    }
    if (importReader_.joinable())
        importReader_.join();
    auto run = std::make_shared<ImportRun>();
    run->path = path;
    run->options = options;
    run->fileSize = std::max<qint64>(1, QFileInfo(path).size());
    import_ = run;
    auto* progress
        = new QProgressDialog(tr("Reading %1\u2026").arg(QFileInfo(path).fileName()), tr("Cancel"), 0, 1000, this);
    progress->setWindowTitle(tr("Import JSON Lines"));
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setMinimumDuration(300);
    connect(progress, &QProgressDialog::canceled, this, &ExplorerPanel::cancelImport);
    run->progress = progress;
    run->timer = new QTimer(this);
    run->timer->setInterval(100);
    // Progress: the first half of the bar is reading and checking the file, the second the acknowledgements.
    connect(run->timer, &QTimer::timeout, this, [run] {
        if (!run->progress)
            return;
        if (run->total == 0) {
            run->progress->setValue(int(run->bytesRead.load() * 500 / run->fileSize));
            return;
        }
        const std::int64_t done = run->acknowledged + run->failed + run->cancelled;
        run->progress->setValue(500 + int(done * 500 / run->total));
        run->progress->setLabelText(
            tr("Sending: %1 of %2 records acknowledged").arg(formatCount(run->acknowledged), formatCount(run->total)));
    });
    run->timer->start();
    importReader_ = std::thread([run, mailbox = mailbox_, self = this] {
        std::ifstream in(run->path.toStdString(), std::ios::binary);
        if (!in) {
            mailbox->deliver(
                [self, run] { self->onImportParsed(run, {}, tr("%1 cannot be read.").arg(run->path), false); });
            return;
        }
        store::ImportResult result = store::readJsonLines(
            in, [run](std::int64_t bytes) { run->bytesRead = bytes; }, &run->stop);
        std::vector<driver::ManualRecord> records;
        records.reserve(result.records.size());
        for (auto& line : result.records) {
            driver::ManualRecord record;
            if (run->options.keepPartitions && line.partition >= 0)
                record.partition = line.partition;
            if (run->options.keepTimestamps && line.timestamp >= 0)
                record.timestampMs = line.timestamp;
            record.key = std::move(line.key);
            record.value = std::move(line.value);
            record.headers = std::move(line.headers);
            records.push_back(std::move(record));
        }
        const QString error = result.errorLine > 0
            ? tr("%1, %2").arg(QFileInfo(run->path).fileName(), QString::fromStdString(result.error))
            : QString();
        mailbox->deliver([self, run, records = std::move(records), error, cancelled = result.cancelled]() mutable {
            self->onImportParsed(run, std::move(records), error, cancelled);
        });
    });
}

void ExplorerPanel::onImportParsed(const std::shared_ptr<ImportRun>& run, std::vector<driver::ManualRecord> records,
    const QString& error, bool cancelled)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (run != import_)
        return;
    const QString topic = run->options.topic;
    if (cancelled || run->stop) {
        finishImport(false, tr("Import cancelled while reading the file; nothing was written to %1.").arg(topic));
        return;
    }
    if (!error.isEmpty()) {
        finishImport(false, tr("Nothing was imported: %1. %2 is unchanged.").arg(error, topic));
        return;
    }
    if (records.empty()) {
        finishImport(true, tr("%1 holds no records; nothing was imported.").arg(QFileInfo(run->path).fileName()));
        return;
    }
    if (!session_ || session_->finished()) {
        finishImport(false, tr("The simulation is no longer running; nothing was imported."));
        return;
    }
    run->total = std::int64_t(records.size());
    const QString description = tr("Import %1 records into %2").arg(records.size()).arg(topic);
    auto finished = [run] { return run->acknowledged + run->failed + run->cancelled >= run->total; };
    const driver::ManualSendOptions options { .topic = topic.toStdString(), .acks = -1, .retry = true };
    session_->post(description,
        [run, mailbox = mailbox_, self = this, options, finished, records = std::move(records)](
            driver::Engine& engine) mutable {
            std::string refused;
            const auto job = engine.manualProducer().send(
                options, std::move(records),
                [run, mailbox, self, finished](const driver::ManualDelivery& delivery) {
                    if (delivery.cancelled) {
                        run->cancelled += std::int64_t(delivery.count);
                    } else if (delivery.error != protocol::ErrorCode::NONE) {
                        run->failed += std::int64_t(delivery.count);
                        std::lock_guard lock(run->mutex);
                        if (run->firstError.empty())
                            run->firstError = std::string(protocol::errorName(delivery.error))
                                + (delivery.message.empty() ? "" : " (" + delivery.message + ")");
                    } else {
                        run->acknowledged += std::int64_t(delivery.count);
                    }
                    if (finished())
                        mailbox->deliver([self, run] {
                            if (run != self->import_)
                                return;
                            std::string firstError;
                            {
                                std::lock_guard lock(run->mutex);
                                firstError = run->firstError;
                            }
                            QString text
                                = tr("Imported %1 of %2 records into %3.")
                                      .arg(formatCount(run->acknowledged), formatCount(run->total), run->options.topic);
                            if (run->cancelled > 0)
                                text += QLatin1Char(' ')
                                    + tr("Cancelled: %1 records were not sent.").arg(formatCount(run->cancelled));
                            if (run->failed > 0)
                                text += QLatin1Char(' ')
                                    + tr("%1 failed: %2")
                                          .arg(formatCount(run->failed), QString::fromStdString(firstError));
                            self->finishImport(run->failed == 0 && run->cancelled == 0, text);
                        });
                },
                &refused);
            run->job = job;
            if (job == 0)
                mailbox->deliver([self, run, refused] {
                    if (run == self->import_)
                        self->finishImport(false, tr("Nothing was imported: %1").arg(QString::fromStdString(refused)));
                });
            else if (run->stop)
                engine.manualProducer().cancel(job); // Cancel was pressed while the records were on their way
            return std::string();
        });
}

void ExplorerPanel::cancelImport()
{
    if (!import_)
        return;
    import_->stop = true;
    if (const std::uint64_t job = import_->job; job != 0 && session_)
        session_->post(tr("Cancel the import"), [job](driver::Engine& engine) {
            engine.manualProducer().cancel(job);
            return std::string();
        });
}

void ExplorerPanel::finishImport(bool ok, const QString& message)
{
    if (import_) {
        if (import_->timer)
            import_->timer->deleteLater();
        if (import_->progress)
            import_->progress->close();
        import_.reset();
    }
    searchStatus_->setText(message);
    emit importFinished(ok, message);
    refresh();
}

// --- saved searches

void ExplorerPanel::buildSavedSearches(QHBoxLayout* searchRow)
{
    saved_ = new SavedSearchesModel(this);
    savedBox_ = new QComboBox(this);
    savedBox_->setModel(saved_);
    savedBox_->setPlaceholderText(tr("Saved searches"));
    savedBox_->setCurrentIndex(-1);
    savedBox_->setMinimumWidth(150);
    savedBox_->setToolTip(tr("Searches saved in this workspace file: pick one to run it."));
    auto* save = new QPushButton(tr("Save\u2026"), this);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    save->setToolTip(tr("Save the query in the search box under a name, in the workspace file (Ctrl+Shift+D)."));
    auto* remove = new QPushButton(tr("Delete"), this);
    remove->setToolTip(tr("Delete the saved search chosen in the list (the records are not touched)."));
    searchRow->addWidget(savedBox_);
    searchRow->addWidget(save);
    searchRow->addWidget(remove);
    connect(savedBox_, &QComboBox::activated, this, &ExplorerPanel::runSavedSearch);
    connect(remove, &QPushButton::clicked, this, [this] { deleteSavedSearch(savedBox_->currentIndex()); });
    connect(save, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save Search"),
            tr("Name for \u201c%1\u201d:").arg(search_->text()), QLineEdit::Normal,
            savedBox_->currentIndex() >= 0 ? saved_->name(savedBox_->currentIndex()) : QString(), &ok);
        if (ok)
            saveCurrentSearch(name);
    });
}

void ExplorerPanel::loadSavedSearches(const QString& select)
{
    if (!writer_)
        return;
    writer_->post([mailbox = mailbox_, self = this, select](store::Workspace& workspace) {
        auto searches = workspace.isOpen() ? workspace.savedSearches() : decltype(workspace.savedSearches()) {};
        mailbox->deliver([self, searches = std::move(searches), select] {
            const QString current = select.isEmpty() ? self->savedBox_->currentText() : select;
            self->saved_->setSearches(searches);
            self->savedBox_->setCurrentIndex(self->saved_->rowOf(current));
            emit self->savedSearchesChanged();
        });
    });
}

void ExplorerPanel::saveCurrentSearch(const QString& name)
{
    const QString trimmed = name.trimmed();
    const QString query = search_->text();
    if (trimmed.isEmpty()) {
        searchStatus_->setText(tr("A saved search needs a name."));
        return;
    }
    const store::QueryParse parsed = store::parseSearchQuery(query.toStdString());
    if (const auto* error = std::get_if<store::QueryError>(&parsed)) {
        searchStatus_->setText(tr("Not saved: bad query at character %1: %2")
                                   .arg(error->position + 1)
                                   .arg(QString::fromStdString(error->message)));
        return;
    }
    if (!writer_) {
        searchStatus_->setText(tr("Saved searches live in a workspace file; none is open."));
        return;
    }
    writer_->post([name = trimmed.toStdString(), query = query.toStdString()](store::Workspace& workspace) {
        if (workspace.isOpen())
            workspace.saveSearch(name, query);
    });
    searchStatus_->setText(tr("Saved the search \u201c%1\u201d.").arg(trimmed));
    loadSavedSearches(trimmed); // after the save: the writer runs jobs in order
}

void ExplorerPanel::runSavedSearch(int row)
{
    if (row < 0 || row >= saved_->rowCount())
        return;
    search_->setText(saved_->query(row));
    startSearch(saved_->query(row));
}

void ExplorerPanel::deleteSavedSearch(int row)
{
    if (row < 0 || row >= saved_->rowCount() || !writer_)
        return;
    const QString name = saved_->name(row);
    writer_->post([name = name.toStdString()](store::Workspace& workspace) {
        if (workspace.isOpen())
            workspace.deleteSavedSearch(name);
    });
    searchStatus_->setText(tr("Deleted the saved search \u201c%1\u201d.").arg(name));
    loadSavedSearches();
}

} // namespace brokerlab::ui
