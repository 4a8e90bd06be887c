#pragma once
// The consumer groups dock: each consumer with its assigned partitions, positions and lag. The group
// coordinator and rebalance replay arrive with the consumer-group work; until then assignments come straight
// from the scenario's clients.

#include "simulationsession.h"

#include <QWidget>

class QTreeView;

namespace brokerlab::ui {

class ConsumerModel;
class OnScreenWatch;

class ConsumerPanel : public QWidget {
    Q_OBJECT
public:
    explicit ConsumerPanel(QWidget* parent = nullptr);

    void setSnapshot(const SnapshotPtr& snapshot);
    void clear();
    ConsumerModel* model() const { return model_; }
    QTreeView* view() const { return view_; }

private:
    ConsumerModel* model_;
    QTreeView* view_;
    OnScreenWatch* onScreen_;
    SnapshotPtr pending_; // the newest snapshot while the panel is off screen
};

} // namespace brokerlab::ui
