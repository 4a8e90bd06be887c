#pragma once
// The base of the consumer-group tables: a subclass computes its rows as plain cells from a snapshot and
// publishes them. When the columns and row keys are unchanged the model emits one dataChanged for the whole
// table (the numbers moved); otherwise it resets (a member joined, an assignment changed). A view formats only the
// rows it shows, so a long table (the lag per partition) can format its cells on demand instead (cellAt).

#include <QAbstractTableModel>
#include <QStringList>

#include <functional>
#include <vector>

namespace brokerlab::ui {

class GroupTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { NumberRole = Qt::UserRole + 1, MarkRole }; // the cell's number (-1 unknown); its mark (below)
    enum Mark { NoMark, Assigned, Warning, Current };

    struct Cell {
        QString text;
        QString toolTip;
        qlonglong number = -1;
        bool numeric = false; // right-aligned
        Mark mark = NoMark;

        static Cell ofText(QString text, QString toolTip = {});
        // A right-aligned count; a negative value (unknown) shows as a dash.
        static Cell ofCount(qlonglong value, QString toolTip = {});
    };
    struct ColumnInfo {
        QString title;
        QString toolTip;
    };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The cell a view sees (formatted now when the model formats on demand); an empty cell outside the table.
    Cell cell(int row, int column) const { return cellAt(row, column); }
    QString rowKey(int row) const { return rowKeys_.value(row); }
    int rowOf(const QString& key) const { return static_cast<int>(rowKeys_.indexOf(key)); }

protected:
    // rowTitles may be empty (no vertical header); otherwise one per row. A model that formats its cells on demand
    // (cellAt) passes no cells and a `commit` that swaps its own rows in at the moment the table changes.
    void publish(std::vector<ColumnInfo> columns, QStringList rowKeys, QStringList rowTitles,
        std::vector<std::vector<Cell>> cells, const std::function<void()>& commit = {});
    // The cell a view asks for; by default the published one.
    virtual Cell cellAt(int row, int column) const;

private:
    std::vector<ColumnInfo> columns_;
    QStringList rowKeys_;
    QStringList rowTitles_;
    std::vector<std::vector<Cell>> cells_;
};

} // namespace brokerlab::ui
