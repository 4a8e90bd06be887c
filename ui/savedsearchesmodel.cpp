#include "savedsearchesmodel.h"

namespace brokerlab::ui {

void SavedSearchesModel::setSearches(const std::vector<std::pair<std::string, std::string>>& searches)
{
    std::vector<std::pair<QString, QString>> next;
    next.reserve(searches.size());
    for (const auto& [name, query] : searches)
        next.emplace_back(QString::fromStdString(name), QString::fromStdString(query));
    if (next == searches_)
        return;
    beginResetModel();
    searches_ = std::move(next);
    endResetModel();
}

QString SavedSearchesModel::name(int row) const
{
    return row >= 0 && row < rowCount() ? searches_[std::size_t(row)].first : QString();
}

QString SavedSearchesModel::query(int row) const
{
    return row >= 0 && row < rowCount() ? searches_[std::size_t(row)].second : QString();
}

int SavedSearchesModel::rowOf(const QString& name) const
{
    for (std::size_t i = 0; i < searches_.size(); ++i)
        if (searches_[i].first == name)
            return int(i);
    return -1;
}

int SavedSearchesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(searches_.size());
}

QVariant SavedSearchesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() != 0)
        return {};
    const auto& [name, query] = searches_[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return name;
    case Qt::ToolTipRole:
        return tr("Runs: %1").arg(query);
    case QueryRole:
        return query;
    default:
        return {};
    }
}

} // namespace brokerlab::ui
