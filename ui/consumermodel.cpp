#include "consumermodel.h"

#include "formatting.h"

namespace brokerlab::ui {

namespace {
// internalId 0 marks a consumer row; a partition row stores its consumer's row + 1.
constexpr quintptr kTopLevel = 0;
} // namespace

ConsumerModel::ConsumerModel(QObject* parent) : QAbstractItemModel(parent) { }

std::vector<ConsumerModel::Structure> ConsumerModel::structureOf(const driver::Snapshot& snapshot)
{
    std::vector<Structure> result;
    result.reserve(snapshot.consumers.size());
    for (const auto& consumer : snapshot.consumers) {
        Structure s { consumer.clientId, {} };
        for (const auto& position : consumer.positions)
            s.partitions.push_back(position.topicPartition);
        result.push_back(std::move(s));
    }
    return result;
}

bool ConsumerModel::sameStructure(const driver::Snapshot& snapshot) const
{
    // Compared in place, every frame: building the structure to compare it allocated a string per partition.
    if (snapshot.consumers.size() != structure_.size())
        return false;
    for (std::size_t i = 0; i < structure_.size(); ++i) {
        const auto& consumer = snapshot.consumers[i];
        const Structure& shown = structure_[i];
        if (consumer.clientId != shown.clientId || consumer.positions.size() != shown.partitions.size())
            return false;
        for (std::size_t j = 0; j < shown.partitions.size(); ++j)
            if (consumer.positions[j].topicPartition != shown.partitions[j])
                return false;
    }
    return true;
}

QModelIndex ConsumerModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kTopLevel);
    if (parent.internalId() != kTopLevel)
        return {};
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex ConsumerModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kTopLevel);
}

int ConsumerModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(structure_.size());
    if (parent.internalId() != kTopLevel || parent.column() != 0)
        return 0;
    return static_cast<int>(structure_[static_cast<std::size_t>(parent.row())].partitions.size());
}

int ConsumerModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant ConsumerModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !snapshot_)
        return {};
    const bool partitionRow = index.internalId() != kTopLevel;
    const auto consumerRow
        = static_cast<std::size_t>(partitionRow ? index.internalId() - 1 : static_cast<quintptr>(index.row()));
    if (consumerRow >= snapshot_->consumers.size())
        return {};
    const auto& consumer = snapshot_->consumers[consumerRow];

    if (!partitionRow) {
        const std::int64_t lag = consumer.totalLag();
        if (role == LagRole && index.column() == LagColumn)
            return static_cast<qlonglong>(lag);
        if (role == Qt::ToolTipRole && index.column() == LagColumn)
            return tr("Records in the consumer's partitions that it has not read yet: the high watermark minus its "
                      "position, summed");
        if (role == Qt::ToolTipRole && index.column() == PositionColumn)
            return tr("Records this consumer has handed to the application so far");
        if (role == Qt::TextAlignmentRole && index.column() >= PositionColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case ClientColumn:
            return QString::fromStdString(consumer.clientId);
        case GroupColumn:
            return QString::fromStdString(consumer.groupId);
        case PartitionsColumn: {
            if (consumer.positions.empty())
                return tr("none yet");
            QStringList names;
            for (const auto& position : consumer.positions)
                names << QString::fromStdString(position.topicPartition.toString());
            return names.join(QStringLiteral(", "));
        }
        case PositionColumn:
            return tr("%1 consumed").arg(formatCount(consumer.counters.consumed));
        case LagColumn:
            return formatCount(lag);
        }
        return {};
    }

    if (static_cast<std::size_t>(index.row()) >= consumer.positions.size())
        return {};
    const auto& position = consumer.positions[static_cast<std::size_t>(index.row())];
    const std::int64_t lag = position.lag();
    if (role == LagRole && index.column() == LagColumn)
        return static_cast<qlonglong>(lag);
    if (role == Qt::TextAlignmentRole && index.column() >= PositionColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (index.column() == PositionColumn)
            return tr("The offset of the next record poll() returns from this partition");
        if (index.column() == LagColumn)
            return lag < 0 ? tr("Unknown until the first fetch returns a high watermark")
                           : tr("High watermark %1 minus position %2")
                                 .arg(formatCount(position.highWatermark), formatCount(position.position));
        if (index.column() == PartitionsColumn)
            return position.leader >= 0 ? tr("Fetching from the leader on broker %1").arg(position.leader) : QVariant();
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case PartitionsColumn:
        return QString::fromStdString(position.topicPartition.toString());
    case PositionColumn:
        return position.position < 0 ? tr("resetting") : formatCount(position.position);
    case LagColumn:
        return lag < 0 ? QStringLiteral("\u2014") : formatCount(lag);
    default:
        return QString();
    }
}

QVariant ConsumerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ClientColumn:
            return tr("Client id");
        case GroupColumn:
            return tr("Group");
        case PartitionsColumn:
            return tr("Assigned partitions");
        case PositionColumn:
            return tr("Position");
        case LagColumn:
            return tr("Lag");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ClientColumn:
            return tr("client.id: the name a client gives itself in requests and logs");
        case GroupColumn:
            return tr("group.id: consumers with the same group share the partitions of the topics they read");
        case PositionColumn:
            return tr("The offset of the next record the consumer will read");
        case LagColumn:
            return tr("How many records the consumer is behind: the high watermark minus its position");
        }
    }
    return {};
}

void ConsumerModel::setSnapshot(const SnapshotPtr& snapshot)
{
    if (!(snapshot ? sameStructure(*snapshot) : structure_.empty())) {
        beginResetModel();
        snapshot_ = snapshot;
        structure_ = snapshot ? structureOf(*snapshot) : std::vector<Structure> {};
        endResetModel();
        return;
    }
    snapshot_ = snapshot;
    if (structure_.empty())
        return;
    // Only numbers moved: one range per level instead of a signal per cell.
    const int lastRow = static_cast<int>(structure_.size()) - 1;
    emit dataChanged(index(0, 0), index(lastRow, ColumnCount - 1));
    for (int row = 0; row <= lastRow; ++row) {
        const int children = static_cast<int>(structure_[static_cast<std::size_t>(row)].partitions.size());
        if (children > 0) {
            const QModelIndex parent = index(row, 0);
            emit dataChanged(index(0, 0, parent), index(children - 1, ColumnCount - 1, parent));
        }
    }
}

void ConsumerModel::clear() { setSnapshot(nullptr); }

} // namespace brokerlab::ui
