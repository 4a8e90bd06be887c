#include "processorspanel.h"

#include "formatting.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace brokerlab::ui {

namespace {

QString text(const std::string& value) { return QString::fromStdString(value); }

QString conditionText(const client::FieldCondition& condition)
{
    QString result = text(condition.field) + QLatin1Char(' ')
        + QString::fromLatin1(client::conditionOpName(condition.op).data(),
            static_cast<qsizetype>(client::conditionOpName(condition.op).size()));
    if (!condition.operand.empty())
        result += QLatin1Char(' ') + text(condition.operand);
    return result;
}

QStringList outputTopics(const client::StreamProcessorPlan& plan)
{
    QStringList topics;
    for (const std::string& topic : plan.outputTopics())
        topics << text(topic);
    return topics;
}

} // namespace

QString processorStageText(const client::StreamProcessorPlan& plan)
{
    QStringList parts;
    QStringList filter;
    for (const auto& condition : plan.filter)
        filter << conditionText(condition);
    if (!filter.isEmpty())
        parts << ProcessorModel::tr("keep %1").arg(filter.join(ProcessorModel::tr(" and ")));
    QStringList map;
    for (const auto& member : plan.map.remove)
        map << ProcessorModel::tr("remove %1").arg(text(member));
    for (const auto& [member, value] : plan.map.set)
        map << ProcessorModel::tr("set %1").arg(text(member));
    if (!plan.map.keyField.empty())
        map << ProcessorModel::tr("key by %1").arg(text(plan.map.keyField));
    if (!map.isEmpty())
        parts << map.join(QStringLiteral(", "));
    for (const client::ProcessorRoute& route : plan.routes)
        parts << ProcessorModel::tr("%1 \u2192 %2").arg(conditionText(route.when), text(route.topic));
    if (parts.isEmpty())
        parts << ProcessorModel::tr("copy");
    return parts.join(QStringLiteral(" \u00b7 "));
}

QString processorStateText(const driver::ProcessorSnapshot& processor)
{
    if (processor.stopped)
        return ProcessorModel::tr("stopped");
    if (!processor.started)
        return ProcessorModel::tr("not started");
    return processor.memberState.empty() ? ProcessorModel::tr("starting") : text(processor.memberState);
}

QString queueKindExplanation(client::QueueKind kind)
{
    switch (kind) {
    case client::QueueKind::DeleteOnAck:
        break;
    case client::QueueKind::VisibilityTimeout:
        return QueueModel::tr("Like Amazon SQS: a received message is hidden for the visibility timeout. Deleting it "
                              "(the acknowledgement) removes it for good; otherwise it becomes visible again and is "
                              "received once more.");
    }
    return QueueModel::tr("Like a RabbitMQ queue with manual acknowledgements: each message goes to one subscriber, "
                          "and its acknowledgement deletes it. Messages of a subscriber that stops without "
                          "acknowledging go back to the queue.");
}

QString queueKindText(const driver::QueueSnapshot& queue)
{
    switch (queue.kind) {
    case client::QueueKind::DeleteOnAck:
        break;
    case client::QueueKind::VisibilityTimeout:
        return QueueModel::tr("SQS-style, visibility timeout %1 s")
            .arg(QLocale().toString(static_cast<double>(queue.visibilityTimeoutMs) / 1000.0, 'g', 4));
    }
    return QueueModel::tr("RabbitMQ-style, delete on ack");
}

void ProcessorModel::setSnapshot(const driver::Snapshot& snapshot)
{
    const std::vector<ColumnInfo> columns = {
        { tr("Processor"),
            tr("A stream processor: one application that consumes a topic, transforms each record and "
               "produces the result to other topics, like a Kafka Streams app") },
        { QStringLiteral("group.id"),
            tr("The consumer group its consumer joins: the committed offsets of this group are where it resumes") },
        { tr("Input"), tr("The topic it consumes") },
        { tr("Consumed"), tr("Input records it has processed") },
        { tr("Filtered"), tr("Input records the filter dropped: nothing is produced for them") },
        { tr("Produced"), tr("Records it handed to its producer, over all outputs") },
        { tr("Lag"),
            tr("Records in its input partitions it has not read yet: high watermark minus its position, summed") },
        { tr("Commits"),
            tr("Batches whose input offsets it committed. It commits only after its producer has every output of "
               "the batch acknowledged, so a crash repeats records but never loses one") },
        { tr("State"), tr("Its consumer's group membership: Joining, AwaitingSync, Stable\u2026") },
        { tr("Outputs"), tr("The topics it produces to") },
        { tr("Stage"),
            tr("What it does to each record: the filter that keeps it, the map that rewrites its JSON value and key, "
               "and the routes that pick its output topic") },
    };
    QStringList keys;
    std::vector<std::vector<Cell>> rows;
    for (const driver::ProcessorSnapshot& processor : snapshot.processors) {
        const auto& c = processor.counters;
        std::int64_t produced = 0;
        std::int64_t failed = 0;
        for (const client::ProcessorOutput& output : c.outputs) {
            produced += output.sent;
            failed += output.failed;
        }
        Cell producedCell = GroupTableModel::Cell::ofCount(produced);
        if (failed > 0) {
            producedCell.mark = Warning;
            producedCell.toolTip = tr("Records whose delivery failed for good: %1").arg(formatCount(failed));
        }
        Cell state = GroupTableModel::Cell::ofText(processorStateText(processor));
        if (processor.stopped)
            state.mark = Warning;
        const QString stage = processorStageText(processor.plan);
        rows.push_back(
            { GroupTableModel::Cell::ofText(text(processor.id)), GroupTableModel::Cell::ofText(text(processor.groupId)),
                GroupTableModel::Cell::ofText(text(processor.plan.inputTopic)),
                GroupTableModel::Cell::ofCount(c.recordsIn), GroupTableModel::Cell::ofCount(c.filtered), producedCell,
                GroupTableModel::Cell::ofCount(processor.lag), GroupTableModel::Cell::ofCount(c.commits), state,
                GroupTableModel::Cell::ofText(outputTopics(processor.plan).join(QStringLiteral(", "))),
                GroupTableModel::Cell::ofText(stage, stage) });
        keys << text(processor.id);
    }
    publish(columns, keys, {}, std::move(rows));
}

void QueueModel::setSnapshot(const driver::Snapshot& snapshot)
{
    const std::vector<ColumnInfo> columns = {
        { tr("Queue"), tr("A message queue modelled beside Kafka for comparison; not part of the Kafka cluster") },
        { tr("Kind"),
            tr("How a message leaves the queue: deleted by its acknowledgement (RabbitMQ), or hidden while a "
               "subscriber works on it and deleted by it (SQS visibility timeout)") },
        { tr("Source"), tr("The producer whose records are also sent to this queue") },
        { tr("Enqueued"), tr("Messages published to the queue") },
        { tr("Depth"), tr("Messages waiting in the queue, visible to the next subscriber that asks") },
        { tr("In flight"),
            tr("Messages delivered to a subscriber and not acknowledged yet (SQS: hidden until the visibility "
               "timeout ends)") },
        { tr("Delivered"), tr("Deliveries to subscribers, repeats included") },
        { tr("Acked"), tr("Messages deleted by an acknowledgement: gone for every subscriber, for good") },
        { tr("Redeliveries"),
            tr("Deliveries of a message that had been delivered before: its subscriber stopped or its visibility "
               "timeout ran out before the acknowledgement") },
        { tr("Subscribers"), tr("The workers that receive from the queue, competing for its messages") },
    };
    QStringList keys;
    std::vector<std::vector<Cell>> rows;
    for (const driver::QueueSnapshot& queue : snapshot.queues) {
        const auto& c = queue.counters;
        QStringList subscribers;
        for (const auto& subscriber : queue.subscribers)
            subscribers << text(subscriber.id);
        Cell redelivered = GroupTableModel::Cell::ofCount(c.redelivered);
        if (c.redelivered > 0)
            redelivered.mark = Warning;
        rows.push_back({ GroupTableModel::Cell::ofText(text(queue.id)),
            GroupTableModel::Cell::ofText(queueKindText(queue), queueKindExplanation(queue.kind)),
            GroupTableModel::Cell::ofText(text(queue.source)), GroupTableModel::Cell::ofCount(c.enqueued),
            GroupTableModel::Cell::ofCount(queue.depth), GroupTableModel::Cell::ofCount(queue.inFlight),
            GroupTableModel::Cell::ofCount(c.delivered), GroupTableModel::Cell::ofCount(c.acked), redelivered,
            GroupTableModel::Cell::ofText(subscribers.join(QStringLiteral(", "))) });
        keys << text(queue.id);
    }
    publish(columns, keys, {}, std::move(rows));
}

ProcessorsPanel::ProcessorsPanel(QWidget* parent)
    : QWidget(parent)
    , processors_(new ProcessorModel(this))
    , queues_(new QueueModel(this))
    , processorView_(new QTableView(this))
    , queueView_(new QTableView(this))
    , processorTitle_(new QLabel(tr("Stream processors"), this))
    , queueTitle_(new QLabel(tr("Modelled queues"), this))
    , emptyHint_(new QLabel(this))
{
    setObjectName(QStringLiteral("processorsPanel"));
    processorView_->setObjectName(QStringLiteral("processorView"));
    queueView_->setObjectName(QStringLiteral("queueView"));
    processorView_->setModel(processors_);
    queueView_->setModel(queues_);
    for (QTableView* view : { processorView_, queueView_ }) {
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setSelectionMode(QAbstractItemView::SingleSelection);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->verticalHeader()->hide();
        view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
        view->horizontalHeader()->setStretchLastSection(true);
        // A handful of rows: every column as wide as its widest cell, numbers included as they grow.
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        connect(
            view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this, view] { onSelected(view); });
    }
    processorTitle_->setToolTip(
        tr("Applications that consume a topic, filter, map and route each record, and produce the result: a "
           "pipeline of topics between stages (scenario key processors)"));
    queueTitle_->setToolTip(tr("RabbitMQ- and SQS-style queues fed with the same records as a Kafka topic, to "
                               "compare a queue with a log (scenario key queues)"));
    emptyHint_->setObjectName(QStringLiteral("processorsEmptyHint"));
    emptyHint_->setWordWrap(true);
    emptyHint_->setText(tr("This scenario declares no stream processors and no queues. Lessons 23 (a multi-stage "
                           "pipeline) and 25 (log vs queue) have them."));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(emptyHint_);
    layout->addWidget(processorTitle_);
    layout->addWidget(processorView_, 1);
    layout->addWidget(queueTitle_);
    layout->addWidget(queueView_, 1);
    updateEmptyHint();
}

void ProcessorsPanel::setSnapshot(const SnapshotPtr& snapshot)
{
    if (!snapshot)
        return;
    auto selectedKey = [](QTableView* view, GroupTableModel* model) {
        const QModelIndexList rows = view->selectionModel()->selectedRows();
        return rows.isEmpty() ? QString() : model->rowKey(rows.first().row());
    };
    const QString processorKey = selectedKey(processorView_, processors_);
    const QString queueKey = selectedKey(queueView_, queues_);
    processors_->setSnapshot(*snapshot);
    queues_->setSnapshot(*snapshot);
    keepSelection(processorView_, processors_, processorKey);
    keepSelection(queueView_, queues_, queueKey);
    updateEmptyHint();
}

void ProcessorsPanel::clear()
{
    processors_->clear();
    queues_->clear();
    updateEmptyHint();
}

void ProcessorsPanel::keepSelection(QTableView* view, GroupTableModel* model, const QString& key)
{
    // A reset (a processor appeared) drops the selection: select the same one again, quietly.
    if (key.isEmpty() || !view->selectionModel()->selectedRows().isEmpty() || model->rowOf(key) < 0)
        return;
    const QSignalBlocker blocker(view->selectionModel());
    view->selectRow(model->rowOf(key));
}

void ProcessorsPanel::onSelected(QTableView* view)
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    // One selection across both tables, as in the details panel.
    QTableView* other = view == processorView_ ? queueView_ : processorView_;
    {
        const QSignalBlocker blocker(other->selectionModel());
        other->clearSelection();
    }
    if (view == processorView_)
        emit itemSelected(ClusterItem::processorItem(processors_->rowKey(rows.first().row()).toStdString()));
    else
        emit itemSelected(ClusterItem::queueItem(queues_->rowKey(rows.first().row()).toStdString()));
}

void ProcessorsPanel::updateEmptyHint()
{
    const bool anyProcessor = processors_->rowCount() > 0;
    const bool anyQueue = queues_->rowCount() > 0;
    emptyHint_->setVisible(!anyProcessor && !anyQueue);
    processorTitle_->setVisible(anyProcessor);
    processorView_->setVisible(anyProcessor);
    queueTitle_->setVisible(anyQueue);
    queueView_->setVisible(anyQueue);
}

} // namespace brokerlab::ui
