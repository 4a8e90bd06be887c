#include "messagemodel.h"

#include "recordtext.h"
#include "store/storeworker.h"

#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace brokerlab::ui {

MessageModel::MessageModel(QObject* parent)
    : QAbstractTableModel(parent), mailbox_(std::make_shared<StoreMailbox>(this))
{
}

MessageModel::~MessageModel() { mailbox_->close(); }

void MessageModel::setPartition(std::shared_ptr<store::StoreWorker> reader, const std::string& topic,
    std::int32_t partition, std::int64_t firstOffset, std::int64_t lastOffset)
{
    beginResetModel();
    reader_ = std::move(reader);
    topic_ = topic;
    partition_ = partition;
    first_ = firstOffset;
    last_ = firstOffset < 0 ? -1 : lastOffset;
    ++generation_;
    pages_.clear();
    recent_.clear();
    pending_.clear();
    endResetModel();
}

void MessageModel::clear() { setPartition(nullptr, {}, 0, -1, -1); }

void MessageModel::updateBounds(std::int64_t firstOffset, std::int64_t lastOffset)
{
    if (firstOffset < 0 || lastOffset < firstOffset) {
        if (first_ >= 0)
            setPartition(reader_, topic_, partition_, -1, -1);
        return;
    }
    if (first_ < 0) {
        setPartition(reader_, topic_, partition_, firstOffset, lastOffset);
        return;
    }
    if (firstOffset > first_) {
        // Retention removed the oldest records: rows go from the top; cached pages stay keyed by offset.
        const int removed = int(std::min(firstOffset, last_ + 1) - first_);
        beginRemoveRows({}, 0, removed - 1);
        first_ += removed;
        endRemoveRows();
        if (first_ > last_) {
            setPartition(reader_, topic_, partition_, firstOffset, lastOffset);
            return;
        }
    } else if (firstOffset < first_) {
        setPartition(reader_, topic_, partition_, firstOffset, lastOffset); // truncated and refilled: start over
        return;
    }
    if (lastOffset > last_) {
        const std::int64_t oldLast = last_;
        beginInsertRows({}, int(oldLast + 1 - first_), int(lastOffset - first_));
        last_ = lastOffset;
        endInsertRows();
        // The page that held the old end may have been read short: read it again when shown.
        const std::int64_t page = oldLast / kPageSize;
        pages_.erase(page);
        recent_.remove(page);
    } else if (lastOffset < last_) {
        beginRemoveRows({}, int(lastOffset + 1 - first_), int(last_ - first_));
        last_ = lastOffset;
        endRemoveRows();
    }
}

void MessageModel::setReplicaEnds(std::vector<std::pair<std::int32_t, std::int64_t>> replicaEnds)
{
    if (replicaEnds == replicaEnds_)
        return;
    replicaEnds_ = std::move(replicaEnds);
    if (rowCount() > 0)
        emit dataChanged(index(0, Replicas), index(rowCount() - 1, Replicas), { Qt::DisplayRole });
}

int MessageModel::rowOfOffset(std::int64_t offset) const
{
    if (first_ < 0)
        return -1;
    return int(std::clamp(offset, first_, last_) - first_);
}

int MessageModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || first_ < 0 ? 0 : int(last_ - first_ + 1);
}

int MessageModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

void MessageModel::request(std::int64_t page) const
{
    if (!reader_ || pending_.count(page))
        return;
    pending_.insert(page);
    const quint64 generation = generation_;
    auto* self = const_cast<MessageModel*>(this);
    reader_->post([mailbox = mailbox_, self, generation, page, topic = topic_, partition = partition_](
                      store::Workspace& workspace) {
        std::vector<store::StoredRecord> records;
        if (workspace.isOpen())
            records = workspace.readRange(topic, partition, page * kPageSize, (page + 1) * kPageSize);
        mailbox->deliver([self, generation, page, records = std::move(records)]() mutable {
            self->receive(generation, page, std::move(records));
        });
    });
}

void MessageModel::receive(quint64 generation, std::int64_t page, std::vector<store::StoredRecord> records)
{
    if (generation != generation_)
        return;
    pending_.erase(page);
    Page& target = pages_[page];
    target.records.clear();
    for (auto& stored : records)
        target.records.emplace(stored.record.offset, std::move(stored));
    recent_.remove(page);
    recent_.push_front(page);
    while (recent_.size() > kCachedPages) {
        pages_.erase(recent_.back());
        recent_.pop_back();
    }
    const std::int64_t from = std::max(first_, page * kPageSize);
    const std::int64_t to = std::min(last_, (page + 1) * kPageSize - 1);
    if (first_ >= 0 && from <= to)
        emit dataChanged(index(int(from - first_), 0), index(int(to - first_), ColumnCount - 1));
    emit pageLoaded(page * kPageSize, (page + 1) * kPageSize - 1);
}

void MessageModel::fetch(int row) const
{
    if (row >= 0 && row < rowCount() && !isLoaded(row))
        request(offsetOfRow(row) / kPageSize);
}

bool MessageModel::isLoaded(int row) const
{
    return row >= 0 && row < rowCount() && pages_.count(offsetOfRow(row) / kPageSize) > 0;
}

const store::StoredRecord* MessageModel::record(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    const std::int64_t offset = offsetOfRow(row);
    const auto page = pages_.find(offset / kPageSize);
    if (page == pages_.end())
        return nullptr;
    const auto found = page->second.records.find(offset);
    return found == page->second.records.end() ? nullptr : &found->second;
}

QVariant MessageModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const std::int64_t offset = offsetOfRow(index.row());
    if (index.column() == Offset && (role == Qt::DisplayRole || role == Qt::UserRole))
        return role == Qt::UserRole ? QVariant(qlonglong(offset)) : QVariant(QString::number(offset));
    if (role == Qt::TextAlignmentRole && (index.column() == Offset || index.column() == Size))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const std::int64_t pageIndex = offset / kPageSize;
    const auto page = pages_.find(pageIndex);
    if (page == pages_.end()) {
        if (role == Qt::DisplayRole) {
            request(pageIndex);
            return QStringLiteral("\u2026");
        }
        return {};
    }
    if (recent_.front() != pageIndex) {
        recent_.remove(pageIndex);
        recent_.push_front(pageIndex);
    }
    const auto found = page->second.records.find(offset);
    if (found == page->second.records.end()) {
        if (role == Qt::DisplayRole && index.column() == Value)
            return tr("(no longer in the log: removed by compaction)");
        if (role == Qt::ForegroundRole)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    }
    const log::Record& record = found->second.record;
    if (role == Qt::ForegroundRole && ((index.column() == Value && !record.value)
            || (index.column() == Key && !record.key)))
        return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole && index.column() == Value && !record.value)
        return tr("A tombstone: a record with a null value, which tells compaction to delete the key.");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Timestamp:
        return formatTimestamp(record.timestamp);
    case Key:
        return previewBytes(record.key, 60);
    case Value:
        return previewBytes(record.value);
    case Headers:
        return headersSummary(record.headers);
    case Size:
        return QString::number(recordBytes(record));
    case Replicas: {
        QStringList holders;
        for (const auto& [broker, end] : replicaEnds_)
            if (end > offset)
                holders << QString::number(broker);
        return holders.join(QStringLiteral(", "));
    }
    case Committed:
        // The store takes records only once they are below the leader's high watermark.
        return tr("committed");
    default:
        return {};
    }
}

QVariant MessageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Offset: return tr("Offset");
        case Timestamp: return tr("Timestamp");
        case Key: return tr("Key");
        case Value: return tr("Value");
        case Headers: return tr("Headers");
        case Size: return tr("Size");
        case Replicas: return tr("Replicas");
        case Committed: return tr("Committed");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Offset: return tr("The record's position in the partition's log; offsets never change or get reused.");
        case Timestamp: return tr("The record's timestamp (CreateTime, set by the producer), in UTC.");
        case Key: return tr("The record key: the default partitioner hashes it to pick the partition.");
        case Size: return tr("Bytes of key, value and headers.");
        case Replicas:
            return tr("Brokers whose replica of the partition holds this offset (their log end offset is past it).");
        case Committed:
            return tr("A record is committed once every in-sync replica has it (it is below the high watermark); "
                      "only committed records are visible to consumers and stored here.");
        default: return {};
        }
    }
    return {};
}

} // namespace brokerlab::ui
