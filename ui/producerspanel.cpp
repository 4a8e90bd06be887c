#include "producerspanel.h"

#include "clientcommands.h"
#include "clientdialogs.h"
#include "formatting.h"
#include "protocol/configdefs.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace brokerlab::ui {

namespace {
QString producerTip(const char* name) { return configToolTip(name, static_cast<int>(protocol::ConfigScope::Producer)); }
} // namespace

scenario::ProducerSpec producerSpec(const driver::ProducerSnapshot& producer)
{
    scenario::ProducerSpec spec;
    spec.id = producer.clientId;
    spec.topic = producer.topic;
    spec.ratePerSec = producer.ratePerSec;
    spec.workload = producer.workload;
    spec.config = producer.config;
    return spec;
}

void ProducerModel::setSnapshot(const driver::Snapshot& snapshot)
{
    const std::vector<ColumnInfo> columns = {
        { QStringLiteral("client.id"), tr("The producer's name") },
        { tr("Topic"), tr("Where it writes") },
        { tr("Rate"), tr("Records per virtual second the application sends") },
        { tr("Keys"), tr("How keys are drawn; the key picks the partition") },
        { QStringLiteral("acks"), producerTip("acks") },
        { QStringLiteral("enable.idempotence"), producerTip("enable.idempotence") },
        { QStringLiteral("linger.ms"), producerTip("linger.ms") },
        { QStringLiteral("batch.size"), producerTip("batch.size") },
        { QStringLiteral("compression.type"), producerTip("compression.type") },
        { tr("Sent"), tr("Records handed to send()") },
        { tr("Acked"), tr("Records the leader acknowledged (with acks=0: sent)") },
        { tr("Failed"), tr("Records whose delivery failed for good (delivery.timeout.ms or a fatal error)") },
        { tr("Retries"), tr("Batches sent again after a retriable error such as NOT_LEADER_OR_FOLLOWER") },
        { tr("Avg latency"),
            tr("From the creation of a record's batch to its acknowledgement, averaged over the acknowledged "
               "records") },
        { tr("State"), {} },
    };
    QStringList keys;
    std::vector<std::vector<Cell>> rows;
    int index = 0;
    for (const auto& producer : snapshot.producers) {
        const auto& c = producer.counters;
        const char* codecs[] = { "none", "gzip", "snappy", "lz4", "zstd" };
        const int codec = std::clamp(static_cast<int>(producer.config.compression), 0, 4);
        const std::int64_t latencyMs = c.acked > 0 ? c.latencySumUs / c.acked / 1000 : 0;
        Cell rate = producer.ratePerSec > 0
            ? GroupTableModel::Cell::ofCount(static_cast<qlonglong>(producer.ratePerSec))
            : GroupTableModel::Cell::ofText(tr("max"));
        Cell state = GroupTableModel::Cell::ofText(producer.stopped ? tr("stopped") : tr("running"));
        if (producer.stopped)
            state.mark = Warning;
        Cell failed = GroupTableModel::Cell::ofCount(c.failed);
        if (c.failed > 0)
            failed.mark = Warning;
        if (producer.external) {
            // A real client: only what its requests show (acks, idempotence, counts); the rest is its own config.
            const QString unknown = tr("its own");
            const QString unknownTip = tr("A real client's settings are in its own configuration; Kafka's protocol "
                                          "does not send them to the broker");
            Cell real = GroupTableModel::Cell::ofText(tr("real client"),
                tr("A client connected over the Kafka protocol (Simulation \u25b8 Listen for Kafka Clients), "
                   "shown by its client.id"));
            rows.push_back({ GroupTableModel::Cell::ofText(QString::fromStdString(producer.clientId)),
                GroupTableModel::Cell::ofText(QString::fromStdString(producer.topic)),
                GroupTableModel::Cell::ofText(unknown, unknownTip), GroupTableModel::Cell::ofText(unknown, unknownTip),
                GroupTableModel::Cell::ofText(
                    producer.acks == -1 ? QStringLiteral("all") : QString::number(producer.acks)),
                GroupTableModel::Cell::ofText(producer.idempotent ? QStringLiteral("true") : QStringLiteral("false")),
                GroupTableModel::Cell::ofText(unknown, unknownTip), GroupTableModel::Cell::ofText(unknown, unknownTip),
                GroupTableModel::Cell::ofText(unknown, unknownTip), GroupTableModel::Cell::ofCount(c.produced),
                GroupTableModel::Cell::ofCount(c.acked), failed, GroupTableModel::Cell::ofCount(c.retries),
                GroupTableModel::Cell::ofText(tr("%1 ms").arg(latencyMs)), real });
            keys << QString::number(index++) + QLatin1Char(':') + QString::fromStdString(producer.clientId);
            continue;
        }
        rows.push_back({ GroupTableModel::Cell::ofText(QString::fromStdString(producer.clientId)),
            GroupTableModel::Cell::ofText(QString::fromStdString(producer.topic)), rate,
            GroupTableModel::Cell::ofText(
                QString::fromUtf8(client::keyDistributionName(producer.workload.keys).data())),
            GroupTableModel::Cell::ofText(
                producer.config.acks == -1 ? QStringLiteral("all") : QString::number(producer.config.acks)),
            GroupTableModel::Cell::ofText(
                producer.config.enableIdempotence ? QStringLiteral("true") : QStringLiteral("false")),
            GroupTableModel::Cell::ofCount(producer.config.lingerMs),
            GroupTableModel::Cell::ofCount(producer.config.batchSize),
            GroupTableModel::Cell::ofText(QString::fromLatin1(codecs[codec])),
            GroupTableModel::Cell::ofCount(c.produced), GroupTableModel::Cell::ofCount(c.acked), failed,
            GroupTableModel::Cell::ofCount(c.retries), GroupTableModel::Cell::ofText(tr("%1 ms").arg(latencyMs)),
            state });
        keys << QString::number(index++) + QLatin1Char(':') + QString::fromStdString(producer.clientId);
    }
    publish(columns, keys, {}, std::move(rows));
}

ProducersPanel::ProducersPanel(SessionGetter session, QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent)
    , session_(std::move(session))
    , undoStack_(undoStack)
    , model_(new ProducerModel(this))
    , view_(new QTableView(this))
    , addAction_(new QAction(tr("&Add Producer\u2026"), this))
    , editAction_(new QAction(tr("&Edit Producer\u2026"), this))
    , stopAction_(new QAction(tr("&Stop Producer"), this))
{
    setObjectName(QStringLiteral("producersPanel"));
    view_->setObjectName(QStringLiteral("producerView"));
    view_->setModel(model_);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    // A row per producer, a few at most: every column fits its header and its values as the counts grow.
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setStretchLastSection(true);

    addAction_->setObjectName(QStringLiteral("addProducer"));
    addAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    addAction_->setToolTip(tr("Start a producer: topic, rate, keys, acks, enable.idempotence, linger.ms, batch.size, "
                              "compression.type (Ctrl+Shift+P)"));
    editAction_->setObjectName(QStringLiteral("editProducer"));
    editAction_->setToolTip(tr("Restart the selected producer with other settings (a producer reads its configs "
                               "once). Undo restores the old ones."));
    stopAction_->setObjectName(QStringLiteral("stopProducer"));
    stopAction_->setToolTip(tr("Stop the selected producer: it sends nothing new; what it buffered is still "
                               "delivered. Undo starts it again."));
    connect(addAction_, &QAction::triggered, this, [this] { showProducerDialog(false); });
    connect(editAction_, &QAction::triggered, this, [this] { showProducerDialog(true); });
    connect(view_, &QTableView::doubleClicked, this, [this] {
        if (selectedProducer())
            showProducerDialog(true);
    });
    connect(stopAction_, &QAction::triggered, this, [this] {
        const driver::ProducerSnapshot* producer = selectedProducer();
        if (producer && session_())
            undoStack_->push(new StopProducerCommand(session_(), producerSpec(*producer)));
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ProducersPanel::updateActions);
    connect(model_, &QAbstractItemModel::modelReset, this, &ProducersPanel::updateActions);

    auto* bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(addAction_);
    bar->addAction(editAction_);
    bar->addAction(stopAction_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(bar);
    layout->addWidget(view_, 1);
    updateActions();
}

void ProducersPanel::setSnapshot(const SnapshotPtr& snapshot)
{
    snapshot_ = snapshot;
    const QModelIndexList selected = view_->selectionModel()->selectedRows();
    const QString key = selected.isEmpty() ? QString() : model_->rowKey(selected.first().row());
    if (snapshot_)
        model_->setSnapshot(*snapshot_);
    if (!key.isEmpty() && view_->selectionModel()->selectedRows().isEmpty() && model_->rowOf(key) >= 0)
        view_->selectRow(model_->rowOf(key));
    updateActions();
}

void ProducersPanel::clear()
{
    snapshot_.reset();
    model_->clear();
    updateActions();
}

const driver::ProducerSnapshot* ProducersPanel::selectedProducer() const
{
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty() || !snapshot_)
        return nullptr;
    const auto row = static_cast<std::size_t>(rows.first().row());
    // Stopped producers cannot be edited; real clients are not the simulation's to edit.
    if (row >= snapshot_->producers.size() || snapshot_->producers[row].stopped || snapshot_->producers[row].external)
        return nullptr;
    return &snapshot_->producers[row];
}

void ProducersPanel::showProducerDialog(bool edit)
{
    SimulationSession* session = session_();
    if (!session)
        return;
    const SnapshotPtr snapshot = session->snapshot();
    const driver::ProducerSnapshot* selected = edit ? selectedProducer() : nullptr;
    if (edit && !selected)
        return;
    std::vector<std::string> topics, taken;
    for (const auto& topic : snapshot->topics)
        if (!topic.internal)
            topics.push_back(topic.name);
    for (const auto& producer : snapshot->producers)
        if (!producer.stopped)
            taken.push_back(producer.clientId);
    const scenario::ProducerSpec before = selected ? producerSpec(*selected) : scenario::ProducerSpec {};
    auto* dialog = new ProducerDialog(topics, taken, selected ? &before : nullptr, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, edit, before] {
        SimulationSession* current = session_();
        if (!current)
            return;
        if (edit)
            undoStack_->push(new EditProducerCommand(current, before, dialog->spec()));
        else
            undoStack_->push(new AddProducerCommand(current, dialog->spec()));
    });
    dialog->open();
}

void ProducersPanel::updateActions()
{
    const bool running = session_() != nullptr;
    addAction_->setEnabled(running);
    editAction_->setEnabled(running && selectedProducer());
    stopAction_->setEnabled(running && selectedProducer());
}

} // namespace brokerlab::ui
