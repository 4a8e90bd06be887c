#include "detailspanel.h"

#include "formatting.h"
#include "processorspanel.h"
#include "replicastate.h"
#include "statuscolors.h"

#include <QClipboard>
#include <QEvent>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace brokerlab::ui {

namespace {

// A small table: a name column, then right-aligned counts (the cells are HTML already).
QString countsTable(const QStringList& headers, const std::vector<QStringList>& rows)
{
    QString table = QStringLiteral("<table cellspacing='0' cellpadding='3' style='margin-top:8px'><tr>");
    for (qsizetype i = 0; i < headers.size(); ++i)
        table += QStringLiteral("<th align='%1'>%2</th>")
                     .arg(i == 0 ? QStringLiteral("left") : QStringLiteral("right"), headers[i].toHtmlEscaped());
    table += QStringLiteral("</tr>");
    for (const QStringList& row : rows) {
        table += QStringLiteral("<tr>");
        for (qsizetype i = 0; i < row.size(); ++i)
            table += QStringLiteral("<td%1>%2</td>").arg(i == 0 ? QString() : QStringLiteral(" align='right'"), row[i]);
        table += QStringLiteral("</tr>");
    }
    return table + QStringLiteral("</table>");
}

QString escaped(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

QString idList(const std::vector<std::int32_t>& ids)
{
    QStringList parts;
    for (std::int32_t id : ids)
        parts << QString::number(id);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace

DetailsPanel::DetailsPanel(QWidget* parent)
    : QWidget(parent)
    , rates_(std::make_shared<const Rates>())
    , label_(new QLabel(this))
    , listenerBox_(new QFrame(this))
    , listenerTitle_(new QLabel(listenerBox_))
    , bootstrap_(new QLineEdit(listenerBox_))
    , copy_(new QToolButton(listenerBox_))
    , listenerHint_(new QLabel(listenerBox_))
{
    label_->setObjectName(QStringLiteral("detailsText"));
    label_->setTextFormat(Qt::RichText);
    label_->setWordWrap(true);
    label_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label_->setContentsMargins(8, 6, 8, 6);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(label_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    // The listener box: hidden until the listeners are asked for.
    listenerBox_->setObjectName(QStringLiteral("listenerBox"));
    listenerBox_->setFrameShape(QFrame::StyledPanel);
    const QString bootstrapTip
        = tr("Kafka's bootstrap.servers: the addresses a client tries first. Any one live broker is enough; its "
             "Metadata answer lists every broker and which one leads each partition, and the client connects to "
             "those directly.");
    listenerTitle_->setObjectName(QStringLiteral("listenerTitle"));
    listenerTitle_->setToolTip(bootstrapTip);
    listenerTitle_->setWordWrap(true);
    bootstrap_->setObjectName(QStringLiteral("bootstrapServers"));
    bootstrap_->setReadOnly(true);
    bootstrap_->setToolTip(bootstrapTip);
    copy_->setObjectName(QStringLiteral("copyBootstrap"));
    copy_->setText(tr("Copy"));
    copy_->setToolTip(tr("Copy the bootstrap servers to the clipboard, for a client's bootstrap.servers (kcat: -b)"));
    connect(copy_, &QToolButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(bootstrap_->text()); });
    listenerHint_->setObjectName(QStringLiteral("listenerHint"));
    listenerHint_->setWordWrap(true);
    listenerHint_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* row = new QHBoxLayout;
    row->addWidget(bootstrap_, 1);
    row->addWidget(copy_);
    auto* boxLayout = new QVBoxLayout(listenerBox_);
    boxLayout->setContentsMargins(8, 6, 8, 6);
    boxLayout->addWidget(listenerTitle_);
    boxLayout->addLayout(row);
    boxLayout->addWidget(listenerHint_);
    listenerBox_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(listenerBox_);
    layout->addWidget(scroll);

    // Numbers change 30 times a second; text that changes that often cannot be read. Four times a second can.
    refresh_.setInterval(250);
    refresh_.setSingleShot(true);
    connect(&refresh_, &QTimer::timeout, this, &DetailsPanel::refreshNow);
    refreshNow();
}

void DetailsPanel::setItem(const ClusterItem& item)
{
    item_ = item;
    refreshNow();
}

void DetailsPanel::setSnapshot(const SnapshotPtr& snapshot, std::shared_ptr<const Rates> rates)
{
    snapshot_ = snapshot;
    rates_ = rates ? std::move(rates) : std::make_shared<const Rates>();
    if (!refresh_.isActive())
        refresh_.start();
}

QString DetailsPanel::html() const { return label_->text(); }

QString DetailsPanel::bootstrapText() const { return bootstrap_->text(); }

void DetailsPanel::setListeners(const ListenerStatus& status)
{
    listeners_ = status;
    updateListenerBox();
    refreshNow(); // a broker's details show its listener
}

void DetailsPanel::updateListenerBox()
{
    const StatusColors colors = StatusColors::from(palette());
    switch (listeners_.state) {
    case ListenerStatus::State::Off:
        listenerBox_->hide();
        return;
    case ListenerStatus::State::Listening:
        listenerTitle_->setText(
            QStringLiteral("<b>%1</b>").arg(tr("Kafka clients: bootstrap servers").toHtmlEscaped()));
        bootstrap_->setText(listeners_.bootstrap);
        bootstrap_->setVisible(true);
        copy_->setVisible(true);
        listenerHint_->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                                   .arg(colors.mutedText.name(),
                                       tr("Every broker listens on its own port. Try: kcat -b %1 -L")
                                           .arg(listeners_.bootstrap.section(QLatin1Char(','), 0, 0))
                                           .toHtmlEscaped()));
        break;
    case ListenerStatus::State::Failed:
        listenerTitle_->setText(
            QStringLiteral("<b>%1</b>").arg(tr("The Kafka listeners could not open").toHtmlEscaped()));
        bootstrap_->clear();
        bootstrap_->setVisible(false);
        copy_->setVisible(false);
        listenerHint_->setText(QStringLiteral("<span style='color:%1'>%2</span><br>%3")
                                   .arg(colors.offline.name(), listeners_.error.toHtmlEscaped(),
                                       tr("Choose another first port (or any free port) in Simulation \u25b8 Kafka "
                                          "Listener Settings, then listen again.")
                                           .toHtmlEscaped()));
        break;
    }
    listenerBox_->show();
}

void DetailsPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        refreshNow();
        updateListenerBox();
    }
    QWidget::changeEvent(event);
}

void DetailsPanel::refreshNow()
{
    QString html;
    const driver::Snapshot* snapshot = snapshot_.get();
    if (item_.isNone() || !snapshot) {
        html = guideHtml();
    } else if (item_.kind == ClusterItem::Kind::Broker) {
        html = goneHtml();
        for (const auto& broker : snapshot->brokers) {
            if (broker.id == item_.broker)
                html = brokerHtml(broker);
        }
    } else if (item_.kind == ClusterItem::Kind::Processor) {
        html = goneHtml();
        for (const auto& processor : snapshot->processors) {
            if (processor.id == item_.name)
                html = processorHtml(processor);
        }
    } else if (item_.kind == ClusterItem::Kind::Queue) {
        html = goneHtml();
        for (const auto& queue : snapshot->queues) {
            if (queue.id == item_.name)
                html = queueHtml(queue);
        }
    } else {
        html = goneHtml();
        for (const auto& topic : snapshot->topics) {
            if (topic.name != item_.topic)
                continue;
            if (item_.kind == ClusterItem::Kind::Topic) {
                html = topicHtml(topic);
                break;
            }
            for (const auto& partition : topic.partitions) {
                if (partition.partition != item_.partition)
                    continue;
                if (item_.kind == ClusterItem::Kind::Partition) {
                    html = partitionHtml(topic, partition);
                } else if (const driver::ReplicaSnapshot* replica = replicaOn(partition, item_.broker)) {
                    html = replicaHtml(topic, partition, *replica);
                }
            }
        }
    }
    if (html != label_->text())
        label_->setText(html);
}

// A fact and, below it in muted text, what it means.
static QString fact(const QString& name, const QString& value, const QString& meaning, const StatusColors& colors)
{
    QString html
        = QStringLiteral("<p style='margin-top:6px; margin-bottom:0'><b>%1</b> %2").arg(name.toHtmlEscaped(), value);
    if (!meaning.isEmpty())
        html += QStringLiteral("<br><span style='color:%1'>%2</span>")
                    .arg(colors.mutedText.name(), meaning.toHtmlEscaped());
    return html + QStringLiteral("</p>");
}

static QString colored(const QString& text, const QColor& color)
{
    return QStringLiteral("<span style='color:%1'><b>%2</b></span>").arg(color.name(), text.toHtmlEscaped());
}

QString DetailsPanel::guideHtml() const
{
    const StatusColors colors = StatusColors::from(palette());
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>")
                       .arg(tr("Getting started"),
                           tr("Click a broker, a topic, a partition or a replica in the cluster view to see what it is "
                              "doing. Selecting an event in the timeline marks what it touched.")
                               .toHtmlEscaped());
    html += QStringLiteral("<h4>%1</h4>").arg(tr("Kafka terms"));
    html += fact(tr("Leader and followers:"), QString(),
        tr("Each partition has one leader replica that takes writes and serves reads; the followers copy its log."),
        colors);
    html += fact(tr("ISR (in-sync replicas):"), QString(),
        tr("The replicas that are caught up with the leader. A write with acks=all is acknowledged when all of them "
           "have it."),
        colors);
    html += fact(tr("LEO (log end offset):"), QString(),
        tr("The offset the next record written to a replica will get."), colors);
    html += fact(tr("HW (high watermark):"), QString(),
        tr("The offset up to which every in-sync replica has the records. Consumers only read below it."), colors);
    html += fact(tr("Leader epoch:"), QString(),
        tr("A counter that goes up whenever a new leader is elected, so a stale leader can be recognised."), colors);
    html += fact(tr("Under-replicated:"), QString(),
        tr("A partition with fewer in-sync replicas than assigned ones: it is one failure closer to being "
           "unavailable."),
        colors);
    return html;
}

QString DetailsPanel::goneHtml() const
{
    return QStringLiteral("<h3>%1</h3><p>%2</p>")
        .arg(tr("Not in the cluster"),
            tr("The selected item no longer exists (its topic was deleted, or the run was reset).").toHtmlEscaped());
}

QString DetailsPanel::brokerHtml(const driver::BrokerSnapshot& broker) const
{
    const StatusColors colors = StatusColors::from(palette());
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Broker %1").arg(broker.id));
    switch (broker.state) {
    case cluster::BrokerState::Online:
        html += fact(tr("State:"), colored(tr("online"), colors.inSync),
            tr("Registered with the controller and sending heartbeats: it can lead partitions and serve clients."),
            colors);
        break;
    case cluster::BrokerState::Fenced:
        html += fact(tr("State:"), colored(tr("fenced"), colors.outOfSync),
            tr("The controller heard no heartbeat for broker.session.timeout.ms. A fenced broker leads nothing and "
               "leaves "
               "every ISR until it has caught up with the metadata again."),
            colors);
        break;
    case cluster::BrokerState::Offline:
        html += fact(tr("State:"), colored(tr("offline"), colors.offline),
            tr("The broker is down. Its replicas are unavailable, and the partitions it led need a new leader."),
            colors);
        break;
    }
    if (broker.controller)
        html += fact(tr("Controller:"), tr("yes"),
            tr("This broker is the active controller: it decides where replicas go and which replica leads each "
               "partition."),
            colors);
    if (const QString address = listeners_.address(broker.id); !address.isEmpty())
        html += fact(tr("Kafka listener:"), address.toHtmlEscaped(),
            tr("Real clients reach this broker here. It closes while the broker is down and opens again when it "
               "restarts."),
            colors);
    if (!broker.rack.empty())
        html += fact(tr("Rack:"), escaped(broker.rack),
            tr("Replicas of a partition are spread over racks when racks are known."), colors);
    const BrokerLoad load = brokerLoad(*snapshot_, broker.id);
    html += fact(tr("Leaders:"), formatCount(load.leaders),
        tr("Partitions whose leader replica lives here: producers and consumers of those partitions talk to this "
           "broker."),
        colors);
    html += fact(tr("Replicas:"), formatCount(load.replicas), QString(), colors);
    html += fact(
        tr("Stored:"), formatBytes(broker.storedBytes), tr("The size of all log segments on this broker."), colors);
    html += fact(tr("Records in:"), formatRate(rates_->broker(broker.id)),
        tr("Records appended for producers, per second of virtual time."), colors);
    html += fact(tr("Requests:"),
        tr("%1 produce, %2 fetch")
            .arg(formatCount(broker.counters.produceRequests), formatCount(broker.counters.fetchRequests)),
        tr("Fetch requests come from consumers and from followers copying this broker's leaders."), colors);
    html += fact(tr("Bytes:"),
        tr("%1 in, %2 out").arg(formatBytes(broker.counters.bytesIn), formatBytes(broker.counters.bytesOut)), QString(),
        colors);
    if (broker.counters.errors > 0)
        html += fact(tr("Errors:"), colored(formatCount(broker.counters.errors), colors.offline),
            tr("Requests answered with an error code; the timeline has the details."), colors);
    return html;
}

QString DetailsPanel::topicHtml(const driver::TopicSnapshot& topic) const
{
    const StatusColors colors = StatusColors::from(palette());
    const TopicHealth health = topicHealth(topic);
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Topic %1").arg(escaped(topic.name)));
    if (topic.internal)
        html += QStringLiteral("<p>%1</p>").arg(tr("An internal topic: Kafka itself writes to it.").toHtmlEscaped());
    html += fact(tr("Partitions:"), formatCount(static_cast<std::int64_t>(topic.partitions.size())),
        tr("Each partition is an ordered log; records with the same key always go to the same partition."), colors);
    html += fact(tr("Replication factor:"), QString::number(topic.replicationFactor),
        tr("How many brokers keep a copy of each partition."), colors);
    html += fact(QStringLiteral("min.insync.replicas:"), QString::number(topic.config.minInsyncReplicas),
        tr("A write with acks=all fails (NOT_ENOUGH_REPLICAS) when fewer replicas than this are in sync."), colors);
    const auto retention = topic.config.log.retentionMs;
    html += fact(QStringLiteral("retention.ms:"), retention < 0 ? tr("forever") : formatCount(retention),
        tr("How long records are kept before retention deletes whole old segments."), colors);
    QString policy;
    if (topic.config.log.cleanupDelete)
        policy = QStringLiteral("delete");
    if (topic.config.log.cleanupCompact)
        policy += policy.isEmpty() ? QStringLiteral("compact") : QStringLiteral(",compact");
    html += fact(QStringLiteral("cleanup.policy:"), policy,
        tr("delete removes old segments; compact keeps the newest record of each key."), colors);
    html += fact(tr("Produce rate:"), formatRate(rates_->topic(topic.name)), QString(), colors);
    QString state = colored(tr("every partition fully replicated"), colors.inSync);
    if (health.offline > 0 || health.underReplicated > 0)
        state = colored(tr("%1 offline, %2 under-replicated").arg(health.offline).arg(health.underReplicated),
            health.offline > 0 ? colors.offline : colors.outOfSync);
    html += fact(tr("Health:"), state, QString(), colors);
    return html;
}

QString DetailsPanel::partitionHtml(
    const driver::TopicSnapshot& topic, const driver::PartitionSnapshot& partition) const
{
    const StatusColors colors = StatusColors::from(palette());
    QString html
        = QStringLiteral("<h3>%1</h3>").arg(tr("Partition %1-%2").arg(escaped(topic.name)).arg(partition.partition));
    if (partition.offline()) {
        html += QStringLiteral("<p>%1</p>")
                    .arg(colored(
                        tr("Offline: no replica can lead this partition, so it can be neither written nor read."),
                        colors.offline));
    } else if (partition.underReplicated()) {
        html += QStringLiteral("<p>%1</p>")
                    .arg(colored(tr("Under-replicated: only %1 of %2 replicas are in sync.")
                                     .arg(partition.isr.size())
                                     .arg(partition.replicaIds.size()),
                        colors.outOfSync));
    }
    if (!partition.offline() && static_cast<std::int32_t>(partition.isr.size()) < topic.config.minInsyncReplicas)
        html
            += QStringLiteral("<p>%1</p>")
                   .arg(colored(tr("The ISR is smaller than min.insync.replicas (%1): writes with acks=all are refused "
                                   "with NOT_ENOUGH_REPLICAS.")
                                    .arg(topic.config.minInsyncReplicas),
                       colors.offline));
    html += fact(tr("Leader:"), partition.offline() ? tr("none") : tr("broker %1").arg(partition.leader),
        tr("The replica that takes writes and serves reads."), colors);
    html += fact(tr("Leader epoch:"), QString::number(partition.leaderEpoch),
        tr("Goes up with every leader change; followers and clients use it to ignore a stale leader."), colors);
    html += fact(tr("Replicas:"), idList(partition.replicaIds),
        tr("The brokers assigned a copy; the first one is the preferred leader."), colors);
    html += fact(tr("ISR:"), idList(partition.isr),
        tr("The in-sync replicas: caught up with the leader. acks=all waits for exactly these."), colors);
    html += fact(tr("Log:"),
        tr("start %1, HW %2, LEO %3")
            .arg(formatCount(partition.logStartOffset), formatCount(partition.highWatermark),
                formatCount(partition.logEndOffset)),
        tr("Consumers may read from the log start offset up to the high watermark (HW); the log end offset (LEO) is "
           "where the next record goes."),
        colors);
    html
        += fact(tr("Produce rate:"), formatRate(rates_->partition(topic.name, partition.partition)), QString(), colors);

    QString table = QStringLiteral(
        "<table cellspacing='0' cellpadding='3' style='margin-top:8px'><tr><th align='left'>%1</th>"
        "<th align='left'>%2</th><th align='right'>%3</th><th align='right'>%4</th><th align='right'>%5</th></tr>")
                        .arg(tr("Broker"), tr("Role"), tr("LEO"), tr("HW"), tr("Lag"));
    for (const auto& replica : partition.replicas) {
        const ReplicaState state = replicaState(replica);
        QString role = state == ReplicaState::Leader ? tr("leader")
            : state == ReplicaState::InSyncFollower  ? tr("in sync")
            : state == ReplicaState::OutOfSync       ? tr("out of sync")
                                                     : tr("offline");
        const std::int64_t lag = std::max<std::int64_t>(0, partition.logEndOffset - replica.logEndOffset);
        table += QStringLiteral("<tr><td>%1</td><td>%2</td><td align='right'>%3</td><td align='right'>%4</td><td "
                                "align='right'>%5</td></tr>")
                     .arg(QString::number(replica.broker), colored(role, colors.forState(state)),
                         formatCount(replica.logEndOffset), formatCount(replica.highWatermark), formatCount(lag));
    }
    html += table + QStringLiteral("</table>");
    return html;
}

QString DetailsPanel::replicaHtml(const driver::TopicSnapshot& topic, const driver::PartitionSnapshot& partition,
    const driver::ReplicaSnapshot& replica) const
{
    const StatusColors colors = StatusColors::from(palette());
    const ReplicaState state = replicaState(replica);
    QString html = QStringLiteral("<h3>%1</h3>")
                       .arg(tr("Replica of %1-%2 on broker %3")
                                .arg(escaped(topic.name))
                                .arg(partition.partition)
                                .arg(replica.broker));
    switch (state) {
    case ReplicaState::Leader:
        html += fact(tr("Role:"), colored(tr("leader"), colors.leader),
            tr("Producers write to this replica; followers fetch from it; consumers read from it."), colors);
        break;
    case ReplicaState::InSyncFollower:
        html += fact(tr("Role:"), colored(tr("in-sync follower"), colors.inSync),
            tr("Copies the leader's log by fetching and is caught up, so writes with acks=all wait for it."), colors);
        break;
    case ReplicaState::OutOfSync:
        html += fact(tr("Role:"), colored(tr("out-of-sync follower"), colors.outOfSync),
            tr("Fell behind the leader for longer than replica.lag.time.max.ms and left the ISR; it rejoins once it "
               "has caught up."),
            colors);
        break;
    case ReplicaState::Offline:
        html += fact(tr("Role:"), colored(tr("offline"), colors.offline),
            tr("Its broker is down. When it returns, it truncates to the leader epoch it missed and catches up."),
            colors);
        break;
    case ReplicaState::Absent:
        break;
    }
    html += fact(tr("LEO:"), formatCount(replica.logEndOffset),
        tr("The offset the next record appended to this copy will get."), colors);
    html += fact(tr("HW:"), formatCount(replica.highWatermark),
        tr("This copy's high watermark. A follower learns the leader's HW with each fetch, so it trails slightly."),
        colors);
    html += fact(tr("Log start offset:"), formatCount(replica.logStartOffset),
        tr("The oldest offset still stored; retention moves it forward by deleting whole segments."), colors);
    if (!replica.leader) {
        html += fact(tr("Behind the leader:"),
            tr("%n record(s)", nullptr,
                static_cast<int>(std::min<std::int64_t>(
                    INT32_MAX, std::max<std::int64_t>(0, partition.logEndOffset - replica.logEndOffset)))),
            QString(), colors);
    }
    html += fact(replica.leader ? tr("Append rate:") : tr("Replication rate:"),
        formatRate(rates_->replica(topic.name, partition.partition, replica.broker)), QString(), colors);
    html += fact(tr("Stored:"),
        tr("%1 in %n segment(s), %2 records", nullptr, static_cast<int>(replica.segments))
            .arg(formatBytes(replica.sizeInBytes), formatCount(replica.records)),
        QString(), colors);
    return html;
}

QString DetailsPanel::processorHtml(const driver::ProcessorSnapshot& processor) const
{
    const StatusColors colors = StatusColors::from(palette());
    const auto& c = processor.counters;
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Stream processor %1").arg(escaped(processor.id)));
    html += fact(tr("Input:"), escaped(processor.plan.inputTopic),
        tr("It consumes this topic as a member of its consumer group, and commits its offsets only after everything it "
           "produced from a batch is acknowledged."),
        colors);
    html += fact(QStringLiteral("group.id:"), escaped(processor.groupId),
        tr("Another group reading the same topic gets every record again: consuming does not delete."), colors);
    html += fact(tr("State:"), processorStateText(processor).toHtmlEscaped(), QString(), colors);
    html += fact(tr("Stage:"), processorStageText(processor.plan).toHtmlEscaped(),
        tr("Filter: only records whose JSON value passes every condition go on. Map: members set or removed, and "
           "the key taken from a member. Route: the first matching rule picks the output topic."),
        colors);
    html += fact(tr("Consumed:"), formatCount(c.recordsIn), tr("Input records processed."), colors);
    html += fact(tr("Filtered:"), formatCount(c.filtered),
        tr("Dropped by the filter: consumed and committed, but nothing is produced for them."), colors);
    if (c.unrouted > 0)
        html += fact(tr("Unrouted:"), colored(formatCount(c.unrouted), colors.outOfSync),
            tr("Kept by the filter, but no route matched and there is no default output topic."), colors);
    html += fact(tr("Lag:"), processor.lag < 0 ? tr("unknown") : formatCount(processor.lag),
        tr("Records in its input partitions it has not read yet."), colors);
    html += fact(tr("Commits:"), formatCount(c.commits),
        tr("Batches whose input offsets were committed, each after its producer flushed: a crash repeats records, "
           "it never loses one."),
        colors);
    std::vector<QStringList> rows;
    for (const client::ProcessorOutput& output : c.outputs)
        rows.push_back({ escaped(output.topic), formatCount(output.sent), formatCount(output.acked),
            output.failed > 0 ? colored(formatCount(output.failed), colors.offline) : formatCount(output.failed) });
    return html + countsTable({ tr("Output"), tr("Produced"), tr("Acked"), tr("Failed") }, rows);
}

QString DetailsPanel::queueHtml(const driver::QueueSnapshot& queue) const
{
    const StatusColors colors = StatusColors::from(palette());
    const auto& c = queue.counters;
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Queue %1").arg(escaped(queue.id)));
    html += QStringLiteral("<p>%1</p>")
                .arg(tr("A message queue modelled beside Kafka, not part of the cluster: it gets the same records as "
                        "a topic, to compare a queue with a log.")
                         .toHtmlEscaped());
    html += fact(tr("Kind:"), queueKindText(queue).toHtmlEscaped(), queueKindExplanation(queue.kind), colors);
    html += fact(
        tr("Source:"), escaped(queue.source), tr("The producer whose records are also published here."), colors);
    html += fact(
        tr("Depth:"), formatCount(queue.depth), tr("Messages waiting, visible to the next subscriber."), colors);
    html += fact(tr("In flight:"), formatCount(queue.inFlight),
        tr("Delivered and not acknowledged yet. They are gone from the queue once acknowledged."), colors);
    html += fact(tr("Enqueued:"), formatCount(c.enqueued), QString(), colors);
    html += fact(tr("Acked:"), formatCount(c.acked),
        tr("Deleted by their acknowledgement. Unlike a Kafka topic, nobody can read them again: a subscriber "
           "that starts later gets only what is still queued."),
        colors);
    html += fact(tr("Redeliveries:"),
        c.redelivered > 0 ? colored(formatCount(c.redelivered), colors.outOfSync) : formatCount(c.redelivered),
        tr("Deliveries of a message that had been delivered before, because its subscriber stopped or did not "
           "acknowledge in time."),
        colors);
    std::vector<QStringList> rows;
    for (const client::QueueSubscriberCounters& subscriber : queue.subscribers)
        rows.push_back({ escaped(subscriber.id), formatCount(subscriber.received), formatCount(subscriber.acked),
            formatCount(subscriber.redelivered) });
    return html + countsTable({ tr("Subscriber"), tr("Received"), tr("Acked"), tr("Redelivered") }, rows);
}

} // namespace brokerlab::ui
