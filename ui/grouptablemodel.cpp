#include "grouptablemodel.h"

#include "formatting.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

namespace brokerlab::ui {

GroupTableModel::Cell GroupTableModel::Cell::ofText(QString text, QString toolTip)
{
    Cell cell;
    cell.text = std::move(text);
    cell.toolTip = std::move(toolTip);
    return cell;
}

GroupTableModel::Cell GroupTableModel::Cell::ofCount(qlonglong value, QString toolTip)
{
    Cell cell;
    cell.number = value;
    cell.numeric = true;
    cell.text = value < 0 ? QStringLiteral("\u2014") : formatCount(value);
    cell.toolTip = std::move(toolTip);
    return cell;
}

int GroupTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rowKeys_.size());
}

int GroupTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(columns_.size());
}

GroupTableModel::Cell GroupTableModel::cellAt(int row, int column) const
{
    if (row < 0 || column < 0 || static_cast<std::size_t>(row) >= cells_.size()
        || static_cast<std::size_t>(column) >= cells_[static_cast<std::size_t>(row)].size())
        return {};
    return cells_[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
}

QVariant GroupTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case Qt::TextAlignmentRole:
    case NumberRole:
    case MarkRole:
    case Qt::BackgroundRole:
        break;
    default:
        return {}; // a delegate asks for a dozen roles per cell: format the cell only for those it has
    }
    const Cell c = cellAt(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        return c.text;
    case Qt::ToolTipRole:
        return c.toolTip.isEmpty() ? QVariant() : QVariant(c.toolTip);
    case Qt::TextAlignmentRole:
        return c.numeric ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                         : QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case NumberRole:
        return c.number;
    case MarkRole:
        return static_cast<int>(c.mark);
    case Qt::BackgroundRole: {
        if (c.mark == NoMark)
            return {};
        const QPalette palette = QGuiApplication::palette();
        QColor color = c.mark == Warning ? QColor(230, 150, 30) : palette.color(QPalette::Highlight);
        color.setAlpha(c.mark == Current ? 110 : 70);
        return QBrush(color);
    }
    default:
        return {};
    }
}

QVariant GroupTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= columnCount())
            return {};
        const ColumnInfo& column = columns_[static_cast<std::size_t>(section)];
        if (role == Qt::DisplayRole)
            return column.title;
        if (role == Qt::ToolTipRole && !column.toolTip.isEmpty())
            return column.toolTip;
        return {};
    }
    if (section < 0 || section >= rowCount())
        return {};
    if (role == Qt::DisplayRole)
        return rowTitles_.isEmpty() ? QVariant(section + 1) : QVariant(rowTitles_.value(section));
    return {};
}

void GroupTableModel::publish(std::vector<ColumnInfo> columns, QStringList rowKeys, QStringList rowTitles,
    std::vector<std::vector<Cell>> cells, const std::function<void()>& commit)
{
    bool sameColumns = columns.size() == columns_.size();
    for (std::size_t i = 0; sameColumns && i < columns.size(); ++i)
        sameColumns = columns[i].title == columns_[i].title;
    if (sameColumns && rowKeys == rowKeys_ && rowTitles == rowTitles_) {
        cells_ = std::move(cells);
        if (commit)
            commit();
        if (!rowKeys_.isEmpty() && !columns_.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    columns_ = std::move(columns);
    rowKeys_ = std::move(rowKeys);
    rowTitles_ = std::move(rowTitles);
    cells_ = std::move(cells);
    if (commit)
        commit();
    endResetModel();
}

} // namespace brokerlab::ui
