#pragma once
// The Producers dock: every producer with its settings under Kafka's names and what it has done (records sent,
// acknowledged, failed, retries, latency), and buttons to add, edit (restart with new settings) or stop one.
// Edits go through the undo stack.

#include "grouptablemodel.h"
#include "simulationsession.h"

#include <QWidget>

#include <functional>

class QAction;
class QTableView;
class QUndoStack;

namespace brokerlab::ui {

class ProducerModel : public GroupTableModel {
    Q_OBJECT
public:
    enum Column {
        ClientColumn,
        TopicColumn,
        RateColumn,
        KeysColumn,
        AcksColumn,
        IdempotenceColumn,
        LingerColumn,
        BatchSizeColumn,
        CompressionColumn,
        SentColumn,
        AckedColumn,
        FailedColumn,
        RetriesColumn,
        LatencyColumn,
        StateColumn
    };
    using GroupTableModel::GroupTableModel;
    void setSnapshot(const driver::Snapshot& snapshot);
    void clear() { publish({}, {}, {}, {}); }
};

// The spec that starts a producer like this one (for edit and undo).
scenario::ProducerSpec producerSpec(const driver::ProducerSnapshot& producer);

class ProducersPanel : public QWidget {
    Q_OBJECT
public:
    using SessionGetter = std::function<SimulationSession*()>;
    ProducersPanel(SessionGetter session, QUndoStack* undoStack, QWidget* parent = nullptr);

    void setSnapshot(const SnapshotPtr& snapshot);
    void clear();
    ProducerModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    QAction* addAction() const { return addAction_; }
    QAction* editAction() const { return editAction_; }
    QAction* stopAction() const { return stopAction_; }
    // The selected running producer, or null.
    const driver::ProducerSnapshot* selectedProducer() const;
    void showProducerDialog(bool edit);

private:
    void updateActions();

    SessionGetter session_;
    QUndoStack* undoStack_;
    SnapshotPtr snapshot_;
    ProducerModel* model_;
    QTableView* view_;
    QAction* addAction_;
    QAction* editAction_;
    QAction* stopAction_;
};

} // namespace brokerlab::ui
