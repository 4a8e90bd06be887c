#pragma once
// A search's hits as they stream in from the store thread, newest first: topic, partition, offset,
// timestamp, key and value. Chunks are appended; a new search clears it.

#include "store/storetypes.h"

#include <QAbstractTableModel>

#include <vector>

namespace brokerlab::ui {

class SearchResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Topic, Partition, Offset, Timestamp, Key, Value, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void clear();
    void append(std::vector<store::StoredRecord> hits);
    const store::StoredRecord& hit(int row) const { return hits_[std::size_t(row)]; }
    const std::vector<store::StoredRecord>& hits() const { return hits_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<store::StoredRecord> hits_;
};

} // namespace brokerlab::ui
