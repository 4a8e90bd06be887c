#pragma once
// The explorer's detail pane for one record: where it is, its key and headers, and its value as a
// JSON tree, as pretty text and as hex.

#include "store/storetypes.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;

namespace brokerlab::ui {

class RecordDetail : public QWidget {
    Q_OBJECT
public:
    explicit RecordDetail(QWidget* parent = nullptr);
    void showRecord(const store::StoredRecord& record);
    void clear();
    QTreeWidget* jsonTree() const { return tree_; }
    QTabWidget* tabs() const { return tabs_; }

private:
    QLabel* summary_;
    QTabWidget* tabs_;
    QTreeWidget* tree_;
    QPlainTextEdit* pretty_;
    QPlainTextEdit* hex_;
    QTreeWidget* headers_;
};

} // namespace brokerlab::ui
