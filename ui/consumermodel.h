#pragma once
// Consumers and what they read: one top-level row per consumer (client id, group, its partitions, total lag) and
// one child row per assigned partition (position, high watermark, lag). Refreshed from each snapshot: when only
// numbers changed the model emits one dataChanged per level; a changed assignment resets it.

#include "simulationsession.h"

#include <QAbstractItemModel>

#include <string>
#include <vector>

namespace brokerlab::ui {

class ConsumerModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { ClientColumn, GroupColumn, PartitionsColumn, PositionColumn, LagColumn, ColumnCount };
    enum Role { LagRole = Qt::UserRole + 1 }; // the lag as a number; -1 while unknown

    explicit ConsumerModel(QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setSnapshot(const SnapshotPtr& snapshot);
    void clear();

private:
    struct Structure {
        std::string clientId;
        std::vector<protocol::TopicPartition> partitions;
    };
    static std::vector<Structure> structureOf(const driver::Snapshot& snapshot);
    bool sameStructure(const driver::Snapshot& snapshot) const; // the rows shown are the snapshot's

    SnapshotPtr snapshot_;
    std::vector<Structure> structure_;
};

} // namespace brokerlab::ui
