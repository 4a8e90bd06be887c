#include "timelinemodel.h"

#include "eventkinds.h"
#include "formatting.h"

#include <QFontDatabase>

namespace brokerlab::ui {

TimelineModel::TimelineModel(QObject* parent, std::size_t capacity)
    : QAbstractTableModel(parent)
    , capacity_(std::max<std::size_t>(1, capacity))
{
}

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(events_.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const sim::Event& e = events_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return formatVirtualTime(e.time);
        case KindColumn:
            return QString::fromStdString(e.kind);
        case BrokerColumn:
            return e.broker >= 0 ? QVariant(e.broker) : QVariant(QString());
        case PartitionColumn:
            if (e.topic.empty())
                return QString();
            return e.partition >= 0 ? QString::fromStdString(e.topic) + QLatin1Char('-') + QString::number(e.partition)
                                    : QString::fromStdString(e.topic);
        case ClientColumn:
            return QString::fromStdString(e.client);
        case MessageColumn:
            return QString::fromStdString(e.message);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == KindColumn) {
            const QString explanation = eventKindExplanation(QString::fromStdString(e.kind));
            return explanation.isEmpty() ? QVariant() : QVariant(explanation);
        }
        if (index.column() == MessageColumn) {
            QString text = QString::fromStdString(e.message);
            for (const auto& [name, value] : e.numbers)
                text += QLatin1Char('\n') + QString::fromStdString(name) + QStringLiteral(" = ")
                    + QString::number(value);
            return text;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == TimeColumn || index.column() == BrokerColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (index.column() == TimeColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case KindRole:
        return QString::fromStdString(e.kind);
    case VirtualTimeRole:
        return static_cast<qlonglong>(e.time);
    case BrokerRole:
        return e.broker;
    case TopicRole:
        return QString::fromStdString(e.topic);
    case PartitionRole:
        return e.partition;
    default:
        return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TimeColumn:
            return tr("Time");
        case KindColumn:
            return tr("Kind");
        case BrokerColumn:
            return tr("Broker");
        case PartitionColumn:
            return tr("Topic-partition");
        case ClientColumn:
            return tr("Client");
        case MessageColumn:
            return tr("Message");
        }
    }
    if (role == Qt::ToolTipRole && section == TimeColumn)
        return tr("Virtual time since the scenario started (minutes:seconds.milliseconds)");
    return {};
}

void TimelineModel::append(const std::vector<sim::Event>& events)
{
    if (events.empty())
        return;
    // Only the newest `capacity_` of a huge batch can survive, so skip the rest before touching the model.
    const std::size_t incoming = std::min(events.size(), capacity_);
    const auto firstKept = events.end() - static_cast<std::ptrdiff_t>(incoming);
    dropped_ += events.size() - incoming;

    const std::size_t overflow = events_.size() + incoming > capacity_ ? events_.size() + incoming - capacity_ : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow) - 1);
        events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(overflow));
        endRemoveRows();
        dropped_ += overflow;
    }
    const int first = static_cast<int>(events_.size());
    beginInsertRows({}, first, first + static_cast<int>(incoming) - 1);
    bool newKind = false;
    for (auto it = firstKept; it != events.end(); ++it) {
        newKind |= kinds_.insert(it->kind).second;
        events_.push_back(*it);
    }
    endInsertRows();
    if (newKind)
        emit kindsChanged();
}

void TimelineModel::clear()
{
    beginResetModel();
    events_.clear();
    kinds_.clear();
    dropped_ = 0;
    endResetModel();
    emit kindsChanged();
}

QStringList TimelineModel::kinds() const
{
    QStringList result;
    for (const auto& kind : kinds_)
        result << QString::fromStdString(kind);
    return result;
}

} // namespace brokerlab::ui
