#pragma once
// The timeline dock: a filter box, a kind filter and the table of events. Follows the newest event while the
// table is scrolled to the bottom, and leaves the position alone once the person scrolls up to read.

#include "clusteritem.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace brokerlab::ui {

class TimelineFilterProxy;
class TimelineModel;

class TimelinePanel : public QWidget {
    Q_OBJECT
public:
    explicit TimelinePanel(TimelineModel* model, QWidget* parent = nullptr);

    TimelineFilterProxy* proxy() const { return proxy_; }
    QTableView* view() const { return view_; }
    QLineEdit* filterEdit() const { return filter_; }
    QComboBox* kindBox() const { return kinds_; }

signals:
    // The cluster item the selected event touched (None when the selection is cleared).
    void eventSelected(const brokerlab::ui::ClusterItem& item);

private:
    void refillKinds();
    void updateCount();
    void onSelectionChanged();

    TimelineModel* model_;
    TimelineFilterProxy* proxy_;
    QLineEdit* filter_;
    QComboBox* kinds_;
    QLabel* count_;
    QTableView* view_;
    QTimer filterDelay_;
    bool following_ = true;
};

} // namespace brokerlab::ui
