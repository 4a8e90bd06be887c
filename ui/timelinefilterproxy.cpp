#include "timelinefilterproxy.h"

#include "timelinemodel.h"

namespace brokerlab::ui {

TimelineFilterProxy::TimelineFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    // Rows arrive at 30 Hz while the filter is on: filter the new rows as they come instead of re-running.
    setDynamicSortFilter(true);
}

void TimelineFilterProxy::setText(const QString& text)
{
    if (text_ == text)
        return;
    text_ = text;
    invalidateFilter();
}

void TimelineFilterProxy::setKind(const QString& kind)
{
    if (kind_ == kind)
        return;
    kind_ = kind;
    invalidateFilter();
}

bool TimelineFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    if (!kind_.isEmpty()) {
        const QString kind
            = sourceModel()->index(sourceRow, TimelineModel::KindColumn).data(TimelineModel::KindRole).toString();
        const bool family = kind_.endsWith(QLatin1Char('.'));
        if (family ? !kind.startsWith(kind_) : kind != kind_)
            return false;
    }
    if (text_.isEmpty())
        return true;
    for (int column = 0; column < TimelineModel::ColumnCount; ++column) {
        const QString value = sourceModel()->index(sourceRow, column).data(Qt::DisplayRole).toString();
        if (value.contains(text_, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace brokerlab::ui
