// The Messages tab's partition list: its rows, their once-a-second refresh from the workspace's bounds (skipped
// while the tab is behind another), and choosing a partition to browse.

#include "explorerpanel.h"

#include "explorerroles.h"
#include "messagemodel.h"
#include "recorddetail.h"
#include "store/storeworker.h"

#include <QCheckBox>
#include <QHash>
#include <QTreeWidget>

namespace brokerlab::ui {

namespace {

// A partition's row in the list. Its offsets change every second on every partition that takes records, so the
// row keeps them as numbers and formats the text and tooltip only when the view asks (rows on screen), and a new
// set of bounds is one change signal for the Offsets column instead of four over both columns: at 5,000
// partitions the per-role updates, the first column's re-measuring and their formatting took 20 ms a second.
class PartitionItem : public QTreeWidgetItem {
public:
    PartitionItem(QTreeWidgetItem* topic, const QString& label, const QString& topicName, int partition)
        : QTreeWidgetItem(topic, { label }, QTreeWidgetItem::UserType)
    {
        setFlags(flags() | Qt::ItemIsUserCheckable);
        setData(0, kTopicRole, topicName);
        setData(0, kPartitionRole, partition);
    }

    void setBounds(const store::PartitionBounds& bounds)
    {
        if (bounds.firstOffset == first_ && bounds.lastOffset == last_ && bounds.highWatermark == highWatermark_)
            return;
        first_ = bounds.firstOffset;
        last_ = bounds.lastOffset;
        highWatermark_ = bounds.highWatermark;
        if (QTreeWidget* tree = treeWidget()) {
            const QModelIndex offsets = tree->indexFromItem(this, 1);
            emit tree->model()->dataChanged(offsets, offsets, { Qt::DisplayRole, Qt::ToolTipRole });
        }
    }

    QVariant data(int column, int role) const override
    {
        if (column == 0 && role == kFirstRole)
            return qlonglong(first_);
        if (column == 0 && role == kLastRole)
            return qlonglong(last_);
        if (column == 1 && role == Qt::DisplayRole)
            return first_ < 0 ? ExplorerPanel::tr("empty") : ExplorerPanel::tr("%1 \u2013 %2").arg(first_).arg(last_);
        if (column == 1 && role == Qt::ToolTipRole)
            return ExplorerPanel::tr("Offsets of the committed records the workspace holds; the high watermark is %1.")
                .arg(highWatermark_);
        return QTreeWidgetItem::data(column, role);
    }

private:
    std::int64_t first_ = -1;
    std::int64_t last_ = -1;
    std::int64_t highWatermark_ = 0;
};

} // namespace

void ExplorerPanel::refresh()
{
    if (!reader_ || refreshing_)
        return;
    refreshing_ = true;
    reader_->post([mailbox = mailbox_, self = this](store::Workspace& workspace) {
        std::vector<store::PartitionBounds> bounds;
        if (workspace.isOpen())
            bounds = workspace.partitionBounds();
        mailbox->deliver([self, bounds = std::move(bounds)]() mutable { self->onBounds(std::move(bounds)); });
    });
}

QTreeWidgetItem* ExplorerPanel::partitionItem(const QString& topic, int partition) const
{
    for (int i = 0; i < partitions_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* topicItem = partitions_->topLevelItem(i);
        if (topicItem->text(0) != topic)
            continue;
        for (int j = 0; j < topicItem->childCount(); ++j)
            if (topicItem->child(j)->data(0, kPartitionRole).toInt() == partition)
                return topicItem->child(j);
    }
    return nullptr;
}

void ExplorerPanel::onBounds(std::vector<store::PartitionBounds> bounds)
{
    refreshing_ = false;
    // The items by topic and partition, found in one pass: looking each row up in the tree took a scan of its topic
    // per partition, once a second (a GUI stall of milliseconds at 1,000 partitions).
    struct TopicItems {
        QTreeWidgetItem* item = nullptr;
        QHash<int, QTreeWidgetItem*> partitions;
    };
    QHash<QString, TopicItems> items;
    for (int i = 0; i < partitions_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* topicItem = partitions_->topLevelItem(i);
        TopicItems& entry = items[topicItem->text(0)];
        entry.item = topicItem;
        for (int j = 0; j < topicItem->childCount(); ++j)
            entry.partitions.insert(topicItem->child(j)->data(0, kPartitionRole).toInt(), topicItem->child(j));
    }
    std::string topicName;
    QString topic;
    TopicItems* topicEntry = nullptr;
    bool addedRows = false;
    for (const auto& row : bounds) {
        if (!topicEntry || topicName != row.topic) { // the rows come topic by topic
            topicName = row.topic;
            topic = QString::fromStdString(row.topic);
            topicEntry = &items[topic];
        }
        QTreeWidgetItem* item = topicEntry->partitions.value(row.partition);
        if (!item) {
            QTreeWidgetItem* topicItem = topicEntry->item;
            if (!topicItem) {
                // Internal topics (__consumer_offsets) go last and start collapsed: people look for their own.
                const bool internal = topic.startsWith(QStringLiteral("__"));
                int at = 0;
                while (at < partitions_->topLevelItemCount()) {
                    const QString other = partitions_->topLevelItem(at)->text(0);
                    const bool otherInternal = other.startsWith(QStringLiteral("__"));
                    if (internal == otherInternal ? other > topic : otherInternal)
                        break;
                    ++at;
                }
                topicItem = new QTreeWidgetItem({ topic });
                partitions_->insertTopLevelItem(at, topicItem);
                // Ticks choose what the Chronological tab merges; a topic's tick covers its partitions.
                topicItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
                topicItem->setCheckState(0, Qt::Unchecked);
                topicItem->setExpanded(!internal);
                if (internal)
                    topicItem->setToolTip(0, tr("An internal topic: Kafka keeps consumer groups' committed offsets here."));
                topicEntry->item = topicItem;
            }
            item = new PartitionItem(topicItem, tr("Partition %1").arg(row.partition), topic, row.partition);
            item->setCheckState(0, topicItem->checkState(0) == Qt::Checked ? Qt::Checked : Qt::Unchecked);
            topicEntry->partitions.insert(row.partition, item);
            addedRows = true;
        }
        static_cast<PartitionItem*>(item)->setBounds(row);
        if (item == partitions_->currentItem() && messages_->topic() == row.topic
            && messages_->partition() == row.partition) {
            messages_->updateBounds(row.firstOffset, row.lastOffset);
            if (tail_->isChecked())
                jumpToNewest();
        }
    }
    if (addedRows)
        partitions_->resizeColumnToContents(0);
    if (!partitions_->currentItem()) {
        // Start on the first partition that holds records.
        for (int i = 0; i < partitions_->topLevelItemCount() && !partitions_->currentItem(); ++i)
            for (int j = 0; j < partitions_->topLevelItem(i)->childCount(); ++j)
                if (partitions_->topLevelItem(i)->child(j)->data(0, kFirstRole).toLongLong() >= 0) {
                    partitions_->setCurrentItem(partitions_->topLevelItem(i)->child(j));
                    break;
                }
    }
    emit partitionsRefreshed();
}

void ExplorerPanel::showPartition(const QString& topic, int partition)
{
    if (QTreeWidgetItem* item = partitionItem(topic, partition))
        partitions_->setCurrentItem(item);
}

void ExplorerPanel::onPartitionSelected()
{
    QTreeWidgetItem* item = partitions_->currentItem();
    if (!item || !item->data(0, kTopicRole).isValid())
        return;
    const std::string topic = item->data(0, kTopicRole).toString().toStdString();
    const int partition = item->data(0, kPartitionRole).toInt();
    if (topic == messages_->topic() && partition == messages_->partition() && messages_->rowCount() > 0)
        return;
    messages_->setPartition(reader_, topic, partition, item->data(0, kFirstRole).toLongLong(),
        item->data(0, kLastRole).toLongLong());
    detail_->clear();
    updateReplicaEnds();
}

} // namespace brokerlab::ui
