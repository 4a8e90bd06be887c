#include "explorerpanel.h"

#include "chronologicalmodel.h"
#include "explorerroles.h"
#include "formatting.h"
#include "messagemodel.h"
#include "onscreen.h"
#include "recorddetail.h"
#include "savedsearchesmodel.h"
#include "searchresultsmodel.h"
#include "store/exporter.h"
#include "store/searchquery.h"
#include "store/storeworker.h"
#include "workspacecontroller.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <fstream>
#include <limits>
#include <utility>

namespace brokerlab::ui {

namespace {
constexpr qint64 kSearchLimit = 10000; // hits kept in the results table


void setUpTable(QTableView* view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    // Fixed row heights: the view never measures rows, so 10,000,000 of them cost nothing.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
}
} // namespace

ExplorerPanel::ExplorerPanel(WorkspaceController* workspace, QWidget* parent)
    : QWidget(parent)
    , workspace_(workspace)
    , mailbox_(std::make_shared<StoreMailbox>(this))
    , messages_(new MessageModel(this))
    , results_(new SearchResultsModel(this))
    , partitions_(new QTreeWidget(this))
    , messageView_(new QTableView(this))
    , resultsView_(new QTableView(this))
    , views_(new QTabWidget(this))
    , detail_(new RecordDetail(this))
    , search_(new QLineEdit(this))
    , searchButton_(new QPushButton(tr("Search"), this))
    , cancelButton_(new QPushButton(tr("Cancel"), this))
    , progress_(new QProgressBar(this))
    , searchStatus_(new QLabel(this))
    , lag_(new QLabel(this))
    , fileLabel_(new QLabel(this))
    , jumpOffset_(new QLineEdit(this))
    , jumpTime_(new QLineEdit(this))
    , tail_(new QCheckBox(tr("Live tail"), this))
    , refreshTimer_(new QTimer(this))
    , onScreen_(new OnScreenWatch(this, [this] {
        if (std::exchange(refreshOwed_, false))
            refresh();
    }))
{
    search_->setPlaceholderText(tr("Search: words, \"a phrase\", key:K, header:name=value, json:$.field=value, "
                                   "contains:text, topic:T, partition:N, from:TIME, to:TIME"));
    search_->setClearButtonEnabled(true);
    search_->setToolTip(tr("Every term must match. Runs on the store thread over the full-text index; records the "
                           "index has not reached yet are scanned, so nothing is missed."));
    cancelButton_->setEnabled(false);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumWidth(140);
    progress_->setVisible(false);
    lag_->setToolTip(tr("Index lag: records stored but not yet in the full-text index. Searches scan them instead, "
                        "so they are still found."));
    auto* searchRow = new QHBoxLayout;
    searchRow->addWidget(search_, 1);
    searchRow->addWidget(searchButton_);
    searchRow->addWidget(cancelButton_);
    searchRow->addWidget(progress_);
    buildSavedSearches(searchRow);
    searchRow->addWidget(lag_);

    partitions_->setHeaderLabels({ tr("Topic / partition"), tr("Offsets") });
    partitions_->setToolTip(
        tr("A topic's partitions: each is an ordered log; offsets number its records. Tick topics or "
           "partitions to merge them by time in the Chronological tab."));
    // Sized when rows are added (onBounds), not kept to its contents: that re-measured every row whenever any
    // row changed.
    partitions_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    // One line per row: the view need not measure a row each time its offsets change (every row, every second).
    partitions_->setUniformRowHeights(true);

    messageView_->setModel(messages_);
    setUpTable(messageView_);
    messageView_->setColumnWidth(MessageModel::Offset, 70);
    messageView_->setColumnWidth(MessageModel::Timestamp, 180);
    messageView_->setColumnWidth(MessageModel::Key, 120);
    messageView_->setColumnWidth(MessageModel::Value, 300);
    messageView_->setColumnWidth(MessageModel::Headers, 140);
    messageView_->setColumnWidth(MessageModel::Size, 60);
    messageView_->setColumnWidth(MessageModel::Replicas, 80);
    resultsView_->setModel(results_);
    setUpTable(resultsView_);
    resultsView_->setColumnWidth(SearchResultsModel::Topic, 110);
    resultsView_->setColumnWidth(SearchResultsModel::Partition, 70);
    resultsView_->setColumnWidth(SearchResultsModel::Timestamp, 190);

    jumpOffset_->setPlaceholderText(tr("Offset"));
    jumpOffset_->setMaximumWidth(120);
    jumpOffset_->setToolTip(tr("Go to this offset in the partition."));
    jumpTime_->setPlaceholderText(tr("Time (ISO 8601 or ms)"));
    jumpTime_->setMinimumWidth(200);
    jumpTime_->setMaximumWidth(240);
    jumpTime_->setToolTip(tr("Go to the first record with a timestamp at or after this time, as a consumer's "
                             "offsetsForTimes() would."));
    buildActions();
    auto* produce = new QPushButton(tr("Produce\u2026"), this);
    produce->setToolTip(produceAction_->toolTip());
    connect(produce, &QPushButton::clicked, produceAction_, &QAction::trigger);
    connect(produceAction_, &QAction::changed, produce,
        [produce, this] { produce->setEnabled(produceAction_->isEnabled()); });
    produce->setEnabled(produceAction_->isEnabled());
    auto* newest = new QPushButton(tr("Newest"), this);
    newest->setToolTip(tr("Go to the newest committed record (just below the high watermark)."));
    tail_->setToolTip(tr("Follow the partition as records are committed."));
    auto* browseRow = new QHBoxLayout;
    browseRow->addWidget(new QLabel(tr("Go to:"), this));
    browseRow->addWidget(jumpOffset_);
    browseRow->addWidget(jumpTime_);
    browseRow->addWidget(newest);
    browseRow->addWidget(tail_);
    browseRow->addStretch(1);
    browseRow->addWidget(produce);
    browseRow->addWidget(fileLabel_);
    auto* browser = new QWidget(this);
    auto* browserLayout = new QVBoxLayout(browser);
    browserLayout->setContentsMargins(0, 0, 0, 0);
    browserLayout->addLayout(browseRow);
    browserLayout->addWidget(messageView_, 1);
    views_->addTab(browser, tr("Messages"));
    auto* resultsPage = new QWidget(this);
    auto* resultsLayout = new QVBoxLayout(resultsPage);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(searchStatus_);
    resultsLayout->addWidget(resultsView_, 1);
    views_->addTab(resultsPage, tr("Search Results"));
    buildChronologicalTab();

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(views_);
    right->addWidget(detail_);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(partitions_);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({ 270, 850 }); // room for the Offsets column beside "Partition 12" and its tick
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(searchRow);
    layout->addWidget(split, 1);

    connect(search_, &QLineEdit::returnPressed, this, [this] { startSearch(search_->text()); });
    connect(searchButton_, &QPushButton::clicked, this, [this] { startSearch(search_->text()); });
    connect(cancelButton_, &QPushButton::clicked, this, &ExplorerPanel::cancelSearch);
    connect(partitions_, &QTreeWidget::currentItemChanged, this, &ExplorerPanel::onPartitionSelected);
    chronoUpdate_ = new QTimer(this);
    chronoUpdate_->setSingleShot(true);
    chronoUpdate_->setInterval(0);
    connect(chronoUpdate_, &QTimer::timeout, this, &ExplorerPanel::updateChronological);
    // Once after a burst of changes (a topic ticking its partitions, or the list's refresh touching every item):
    // a scan per changed item would be quadratic in the partition count.
    connect(partitions_, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem*, int column) {
        if (column == 0)
            chronoUpdate_->start();
    });
    connect(messageView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ExplorerPanel::onRecordSelected);
    connect(messages_, &MessageModel::pageLoaded, this, [this] {
        if (pendingJump_ >= 0 && messages_->isLoaded(messages_->rowOfOffset(pendingJump_)))
            pendingJump_ = -1;
        onRecordSelected();
    });
    connect(resultsView_, &QTableView::activated, this, [this](const QModelIndex& index) { openResult(index.row()); });
    connect(resultsView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& index) {
            if (index.isValid())
                detail_->showRecord(results_->hit(index.row()));
        });
    connect(jumpOffset_, &QLineEdit::returnPressed, this, [this] {
        bool ok = false;
        const qint64 offset = jumpOffset_->text().trimmed().toLongLong(&ok);
        if (ok)
            jumpToOffset(offset);
        else
            searchStatus_->setText(tr("\u201c%1\u201d is not an offset.").arg(jumpOffset_->text()));
    });
    connect(jumpTime_, &QLineEdit::returnPressed, this, [this] {
        const auto ms = store::parseTimeMs(jumpTime_->text().trimmed().toStdString());
        if (ms)
            jumpToTime(*ms);
        else
            jumpTime_->setToolTip(tr("\u201c%1\u201d is not a time: write milliseconds since the epoch or ISO 8601, "
                                     "e.g. 2026-01-01T12:00:00Z.")
                                      .arg(jumpTime_->text()));
    });
    connect(newest, &QPushButton::clicked, this, &ExplorerPanel::jumpToNewest);
    connect(tail_, &QCheckBox::toggled, this, &ExplorerPanel::setLiveTail);
    connect(workspace_, &WorkspaceController::workspaceChanged, this, &ExplorerPanel::onWorkspaceChanged);
    connect(workspace_, &WorkspaceController::aboutToClose, this, [this] {
        if (writer_)
            disconnect(writer_.get(), nullptr, this, nullptr);
        writer_.reset();
        reader_.reset();
        messages_->clear();
    });
    connect(workspace_, &WorkspaceController::indexStatusChanged, this, &ExplorerPanel::onIndexStatus);
    refreshTimer_->setInterval(1000);
    connect(refreshTimer_, &QTimer::timeout, this, [this] {
        // Behind another tab of a shown window nobody reads the list: it is refreshed when the tab comes back.
        if (onScreen_->offScreen()) {
            refreshOwed_ = true;
            return;
        }
        refresh();
    });
    onWorkspaceChanged();
}

ExplorerPanel::~ExplorerPanel()
{
    mailbox_->close();
    if (import_)
        cancelImport();
    if (importReader_.joinable())
        importReader_.join();
}

void ExplorerPanel::onWorkspaceChanged()
{
    if (writer_) {
        disconnect(writer_.get(), nullptr, this, nullptr);
    }
    writer_ = workspace_->writer();
    reader_ = workspace_->reader();
    searchId_ = 0;
    cancelButton_->setEnabled(false);
    progress_->setVisible(false);
    if (!writer_) {
        saved_->setSearches({});
        fileLabel_->setText(tr("No workspace open"));
        refreshTimer_->stop();
        return;
    }
    fileLabel_->setText(workspace_->isUntitled() ? tr("Untitled workspace (recording)")
                                                 : QFileInfo(workspace_->path()).fileName());
    fileLabel_->setToolTip(workspace_->path());
    connect(writer_.get(), &store::StoreWorker::searchChunk, this, &ExplorerPanel::onSearchChunk);
    connect(writer_.get(), &store::StoreWorker::searchFinished, this, &ExplorerPanel::onSearchFinished);
    const QTreeWidgetItem* current = partitions_->currentItem();
    const QString topic = current ? current->data(0, kTopicRole).toString() : QString();
    const int partition = current ? current->data(0, kPartitionRole).toInt() : -1;
    partitions_->clear();
    messages_->clear();
    chrono_->setPartitions(nullptr, {}, 0);
    detail_->clear();
    loadSavedSearches();
    refresh();
    refreshTimer_->start();
    if (!topic.isEmpty() && partition >= 0)
        showPartition(topic, partition);
}

void ExplorerPanel::buildChronologicalTab()
{
    chrono_ = new ChronologicalModel(this);
    chronoView_ = new QTableView(this);
    chronoView_->setModel(chrono_);
    setUpTable(chronoView_);
    // Time first: that is the order of the rows.
    chronoView_->horizontalHeader()->moveSection(SearchResultsModel::Timestamp, 0);
    chronoView_->setColumnWidth(SearchResultsModel::Timestamp, 190);
    chronoView_->setColumnWidth(SearchResultsModel::Topic, 110);
    chronoView_->setColumnWidth(SearchResultsModel::Partition, 70);
    chronoView_->setToolTip(tr("Records of the ticked partitions merged by timestamp, then topic, partition and "
                               "offset. Each partition is read in offset order, as a consumer reads it. More rows "
                               "load as you scroll."));
    chronoFrom_ = new QLineEdit(this);
    chronoFrom_->setPlaceholderText(tr("From the oldest (or a time: ISO 8601 or ms)"));
    chronoFrom_->setMinimumWidth(260);
    chronoFrom_->setToolTip(tr("Start the merged view at this time: each partition from its first record at or "
                               "after it, as offsetsForTimes() finds it."));
    chronoStatus_ = new QLabel(this);
    auto* show = new QPushButton(tr("Show"), this);
    show->setToolTip(tr("Reload the merged view from the time given (and pick up records stored since)."));
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("From:"), this));
    row->addWidget(chronoFrom_);
    row->addWidget(show);
    row->addWidget(chronoStatus_, 1);
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(chronoView_, 1);
    views_->addTab(page, tr("Chronological"));
    auto reload = [this] {
        chrono_->setPartitions(nullptr, {}, 0); // forget the old set so that updateChronological() reloads
        updateChronological();
    };
    connect(show, &QPushButton::clicked, this, reload);
    connect(chronoFrom_, &QLineEdit::returnPressed, this, reload);
    connect(chrono_, &ChronologicalModel::pageLoaded, this, [this] {
        chronoStatus_->setText(chrono_->atEnd()
                ? tr("%1 records, to the newest stored.").arg(formatCount(chrono_->rowCount()))
                : tr("%1 records so far; scroll for more.").arg(formatCount(chrono_->rowCount())));
    });
    connect(
        chronoView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& index) {
            if (index.isValid())
                detail_->showRecord(chrono_->hit(index.row()));
        });
    connect(chronoView_, &QTableView::activated, this, [this](const QModelIndex& index) {
        const store::StoredRecord& record = chrono_->hit(index.row());
        showPartition(QString::fromStdString(record.topic), record.partition);
        jumpToOffset(record.record.offset);
    });
}

void ExplorerPanel::updateChronological()
{
    std::vector<std::pair<std::string, std::int32_t>> ticked;
    for (int i = 0; i < partitions_->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* topic = partitions_->topLevelItem(i);
        for (int j = 0; j < topic->childCount(); ++j)
            if (topic->child(j)->checkState(0) == Qt::Checked)
                ticked.emplace_back(topic->text(0).toStdString(), topic->child(j)->data(0, kPartitionRole).toInt());
    }
    const QString fromText = chronoFrom_->text().trimmed();
    std::int64_t fromMs = std::numeric_limits<std::int64_t>::min();
    if (!fromText.isEmpty()) {
        const auto parsed = store::parseTimeMs(fromText.toStdString());
        if (!parsed) {
            chronoStatus_->setText(tr("\u201c%1\u201d is not a time: write milliseconds since the epoch or ISO 8601, "
                                      "e.g. 2026-01-01T12:00:00Z.")
                                       .arg(fromText));
            return;
        }
        fromMs = *parsed;
    }
    if (ticked == chrono_->partitions() && fromMs == chrono_->fromMs())
        return; // nothing changed (the list's refresh touches every item each second)
    chrono_->setPartitions(reader_, ticked, fromMs);
    chronoStatus_->setText(
        ticked.empty() ? tr("Tick topics or partitions in the list to merge them here.") : tr("Loading\u2026"));
}

void ExplorerPanel::selectOffset(std::int64_t offset)
{
    const int row = messages_->rowOfOffset(offset);
    if (row < 0)
        return;
    const QModelIndex index = messages_->index(row, 0);
    messageView_->scrollTo(index, QAbstractItemView::PositionAtCenter);
    messageView_->setCurrentIndex(index);
    if (!messages_->isLoaded(row)) {
        pendingJump_ = offset;
        messages_->fetch(row);
    }
}

void ExplorerPanel::jumpToOffset(std::int64_t offset)
{
    views_->setCurrentIndex(0);
    selectOffset(offset);
}

void ExplorerPanel::jumpToTime(std::int64_t timestampMs)
{
    if (!reader_ || messages_->rowCount() == 0)
        return;
    reader_->post([mailbox = mailbox_, self = this, topic = messages_->topic(), partition = messages_->partition(),
                      timestampMs](store::Workspace& workspace) {
        const std::int64_t offset = workspace.isOpen() ? workspace.offsetForTime(topic, partition, timestampMs) : -1;
        mailbox->deliver([self, offset] {
            if (offset >= 0)
                self->jumpToOffset(offset);
            else
                self->jumpToNewest(); // every record is older: the end, as Kafka answers with the log end
        });
    });
}

void ExplorerPanel::jumpToNewest()
{
    if (messages_->rowCount() > 0)
        selectOffset(messages_->lastOffset());
}

void ExplorerPanel::setLiveTail(bool on)
{
    if (tail_->isChecked() != on)
        tail_->setChecked(on);
    if (on) {
        jumpToNewest();
        refresh();
    }
}

void ExplorerPanel::onRecordSelected()
{
    const QModelIndex current = messageView_->currentIndex();
    if (!current.isValid())
        return;
    if (const store::StoredRecord* record = messages_->record(current.row()))
        detail_->showRecord(*record);
}

void ExplorerPanel::setSnapshot(const SnapshotPtr& snapshot)
{
    snapshot_ = snapshot;
    updateReplicaEnds();
}

void ExplorerPanel::updateReplicaEnds()
{
    std::vector<std::pair<std::int32_t, std::int64_t>> ends;
    if (snapshot_ && workspace_->isRecording()) {
        for (const auto& topic : snapshot_->topics) {
            if (topic.name != messages_->topic())
                continue;
            for (const auto& partition : topic.partitions)
                if (partition.partition == messages_->partition())
                    for (const auto& replica : partition.replicas)
                        if (replica.online)
                            ends.emplace_back(replica.broker, replica.logEndOffset);
        }
    }
    messages_->setReplicaEnds(std::move(ends));
}

void ExplorerPanel::startSearch(const QString& text)
{
    if (!writer_)
        return;
    const store::QueryParse parsed = store::parseSearchQuery(text.toStdString());
    if (const auto* error = std::get_if<store::QueryError>(&parsed)) {
        searchStatus_->setText(tr("Bad query at character %1: %2")
                                   .arg(error->position + 1)
                                   .arg(QString::fromStdString(error->message)));
        views_->setCurrentIndex(1);
        return;
    }
    results_->clear();
    searchId_ = writer_->startSearch(std::get<store::SearchQuery>(parsed), kSearchLimit);
    searchStatus_->setText(tr("Searching\u2026"));
    progress_->setValue(0);
    progress_->setVisible(true);
    cancelButton_->setEnabled(true);
    views_->setCurrentIndex(1);
}

void ExplorerPanel::cancelSearch()
{
    if (writer_ && searchId_ != 0)
        writer_->cancelSearch();
}

void ExplorerPanel::onSearchChunk(const store::SearchChunk& chunk)
{
    if (chunk.requestId != searchId_)
        return;
    results_->append(chunk.hits);
    progress_->setValue(int(chunk.progress.fraction * 1000));
    searchStatus_->setText(tr("Searching\u2026 %1 hits, %2 records examined")
                               .arg(formatCount(chunk.progress.hits), formatCount(chunk.progress.scanned)));
}

void ExplorerPanel::onSearchFinished(const store::SearchSummary& summary)
{
    if (summary.requestId != searchId_)
        return;
    cancelButton_->setEnabled(false);
    progress_->setVisible(false);
    if (!summary.error.isEmpty()) {
        searchStatus_->setText(tr("The search failed: %1").arg(summary.error));
    } else {
        const auto& outcome = summary.outcome;
        QString text = outcome.cancelled ? tr("Cancelled after %1 hits.").arg(formatCount(outcome.hits))
                                         : tr("%1 hits, newest first.").arg(formatCount(outcome.hits));
        if (outcome.limitReached)
            text += QLatin1Char(' ') + tr("Showing the newest %1; narrow the query to see older ones.")
                                           .arg(formatCount(kSearchLimit));
        if (outcome.unindexed > 0)
            text += QLatin1Char(' ') + tr("%1 records the index had not reached were scanned.")
                                           .arg(formatCount(outcome.unindexed));
        searchStatus_->setText(text);
    }
    emit searchDone(summary);
}

void ExplorerPanel::onIndexStatus(const store::IndexStatus& status)
{
    lag_->setText(status.lag > 0 ? tr("Index lag: %1").arg(formatCount(status.lag))
                                 : tr("Indexed: %1").arg(formatCount(status.indexed)));
}

void ExplorerPanel::openResult(int row)
{
    if (row < 0 || row >= results_->rowCount())
        return;
    const store::StoredRecord hit = results_->hit(row);
    showPartition(QString::fromStdString(hit.topic), hit.partition);
    jumpToOffset(hit.record.offset);
}

bool ExplorerPanel::refusedAsWorkspace(const QString& path)
{
    // The open workspace, or any other: an export written over it would replace a run.
    if (!store::isWorkspaceFile(path.toStdString()))
        return false;
    QMessageBox::warning(this, tr("Export Failed"),
        tr("%1 is a Brokerlab workspace; an export never writes over one. Choose another file.").arg(path));
    return true;
}

void ExplorerPanel::exportTopicInteractive()
{
    if (!writer_ || messages_->topic().empty())
        return;
    const QString topic = QString::fromStdString(messages_->topic());
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Topic \u201c%1\u201d").arg(topic),
        topic + QStringLiteral(".jsonl"), tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    if (path.isEmpty() || refusedAsWorkspace(path))
        return;
    const auto format = path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive) ? store::ExportFormat::Csv
                                                                                    : store::ExportFormat::JsonLines;
    auto* dialog = new QProgressDialog(tr("Exporting %1\u2026").arg(topic), tr("Cancel"), 0, 1000, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setMinimumDuration(300);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    connect(dialog, &QProgressDialog::canceled, this, [stop] { stop->store(true); });
    QPointer<QProgressDialog> guard(dialog);
    writer_->post([mailbox = mailbox_, self = this, path, topic, format, stop, guard](store::Workspace& workspace) {
        QString outcome;
        std::int64_t written = 0;
        {
            std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
            if (!out) {
                outcome = tr("%1 cannot be written.").arg(path);
            } else {
                try {
                    written = store::exportTopic(workspace, topic.toStdString(), format, out,
                        [&](std::int64_t done, std::int64_t total) {
                            mailbox->deliver([guard, done, total] {
                                if (guard && total > 0)
                                    guard->setValue(int(done * 1000 / total));
                            });
                        },
                        stop.get());
                    out.flush();
                    if (!out)
                        outcome = tr("Writing %1 failed (disk full?).").arg(path);
                } catch (const store::StoreError& error) {
                    outcome = QString::fromStdString(error.what());
                }
            }
        }
        mailbox->deliver([self, guard, outcome, written, path, stop] {
            if (guard)
                guard->close();
            if (!outcome.isEmpty())
                QMessageBox::warning(self, tr("Export Failed"), outcome);
            else
                self->searchStatus_->setText(stop->load() ? tr("Export cancelled after %1 records; %2 holds them.")
                                                                .arg(formatCount(written), path)
                                                          : tr("Exported %1 records to %2.")
                                                                .arg(formatCount(written), path));
        });
    });
}

void ExplorerPanel::exportResultsInteractive()
{
    if (results_->rowCount() == 0) {
        QMessageBox::information(this, tr("Export Search Results"), tr("There are no search results to export."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Search Results"), QStringLiteral("results.jsonl"), tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    if (path.isEmpty() || refusedAsWorkspace(path))
        return;
    const bool csv = path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive);
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    if (!out) {
        QMessageBox::warning(this, tr("Export Failed"), tr("%1 cannot be written.").arg(path));
        return;
    }
    // The hits are in memory already (at most kSearchLimit): a modal progress dialog is enough.
    QProgressDialog dialog(tr("Exporting search results\u2026"), tr("Cancel"), 0, results_->rowCount(), this);
    dialog.setMinimumDuration(300);
    if (csv)
        out << store::csvHeaderRow();
    int row = 0;
    for (; row < results_->rowCount() && !dialog.wasCanceled(); ++row) {
        out << (csv ? store::csvRow(results_->hit(row)) : store::jsonLine(results_->hit(row)) + "\n");
        if (row % 1000 == 0)
            dialog.setValue(row);
    }
    out.flush();
    if (!out)
        QMessageBox::warning(this, tr("Export Failed"), tr("Writing %1 failed (disk full?).").arg(path));
    else
        searchStatus_->setText(tr("Exported %1 search results to %2.").arg(formatCount(row), path));
}

} // namespace brokerlab::ui
