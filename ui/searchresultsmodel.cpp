#include "searchresultsmodel.h"

#include "recordtext.h"

namespace brokerlab::ui {

void SearchResultsModel::clear()
{
    if (hits_.empty())
        return;
    beginResetModel();
    hits_.clear();
    endResetModel();
}

void SearchResultsModel::append(std::vector<store::StoredRecord> hits)
{
    if (hits.empty())
        return;
    beginInsertRows({}, int(hits_.size()), int(hits_.size() + hits.size() - 1));
    for (auto& hit : hits)
        hits_.push_back(std::move(hit));
    endInsertRows();
}

int SearchResultsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(hits_.size()); }

int SearchResultsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SearchResultsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const store::StoredRecord& hit = hits_[std::size_t(index.row())];
    if (role == Qt::TextAlignmentRole && (index.column() == Partition || index.column() == Offset))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Topic: return QString::fromStdString(hit.topic);
    case Partition: return hit.partition;
    case Offset: return QString::number(hit.record.offset);
    case Timestamp: return formatTimestamp(hit.record.timestamp);
    case Key: return previewBytes(hit.record.key, 60);
    case Value: return previewBytes(hit.record.value);
    default: return {};
    }
}

QVariant SearchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Topic: return tr("Topic");
    case Partition: return tr("Partition");
    case Offset: return tr("Offset");
    case Timestamp: return tr("Timestamp");
    case Key: return tr("Key");
    case Value: return tr("Value");
    default: return {};
    }
}

} // namespace brokerlab::ui
