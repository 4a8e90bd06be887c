#pragma once
// The workspace's saved searches (name and query), for the explorer's list beside the search box.
// The workspace file is the truth: the explorer refills this after every save or delete.

#include <QAbstractListModel>
#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace brokerlab::ui {

class SavedSearchesModel : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int QueryRole = Qt::UserRole;
    using QAbstractListModel::QAbstractListModel;

    void setSearches(const std::vector<std::pair<std::string, std::string>>& searches);
    QString name(int row) const;
    QString query(int row) const;
    int rowOf(const QString& name) const; // -1 when there is none by that name

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    std::vector<std::pair<QString, QString>> searches_; // by name, as the workspace lists them
};

} // namespace brokerlab::ui
