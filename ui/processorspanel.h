#pragma once
// The Processors and Queues dock: the scenario's stream processors (consume, filter, map, route, produce; lesson 23)
// and its modelled message queues (RabbitMQ-style delete on ack, SQS-style visibility timeout; lesson 25), each a
// table of what it has done. Selecting a row asks for its details in the side panel.

#include "clusteritem.h"
#include "grouptablemodel.h"
#include "simulationsession.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace brokerlab::ui {

class ProcessorModel : public GroupTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        GroupColumn,
        InputColumn,
        ConsumedColumn,
        FilteredColumn,
        ProducedColumn,
        LagColumn,
        CommitsColumn,
        StateColumn,
        OutputsColumn,
        StageColumn // last: the longest, it takes the rest of the width and the counts stay in sight
    };
    using GroupTableModel::GroupTableModel;
    void setSnapshot(const driver::Snapshot& snapshot);
    void clear() { publish({}, {}, {}, {}); }
};

class QueueModel : public GroupTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        KindColumn,
        SourceColumn,
        EnqueuedColumn,
        DepthColumn,
        InFlightColumn,
        DeliveredColumn,
        AckedColumn,
        RedeliveredColumn,
        SubscribersColumn
    };
    using GroupTableModel::GroupTableModel;
    void setSnapshot(const driver::Snapshot& snapshot);
    void clear() { publish({}, {}, {}, {}); }
};

// What a processor does to a record, in one line: "keep battery_pct >= 15 · remove firmware, set stage ·
// temperature_c > 24 → alerts" (routes only; the default output topic is in the Outputs column).
QString processorStageText(const client::StreamProcessorPlan& plan);
QString processorStateText(const driver::ProcessorSnapshot& processor);
// "RabbitMQ-style (delete on ack)" or "SQS-style (visibility timeout 10 s)", and what that means.
QString queueKindText(const driver::QueueSnapshot& queue);
QString queueKindExplanation(client::QueueKind kind);

class ProcessorsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ProcessorsPanel(QWidget* parent = nullptr);

    void setSnapshot(const SnapshotPtr& snapshot);
    void clear();
    ProcessorModel* processorModel() const { return processors_; }
    QueueModel* queueModel() const { return queues_; }
    QTableView* processorView() const { return processorView_; }
    QTableView* queueView() const { return queueView_; }

signals:
    // A processor or queue was selected (ClusterItem::Kind::Processor or Queue).
    void itemSelected(const ClusterItem& item);

private:
    void keepSelection(QTableView* view, GroupTableModel* model, const QString& key);
    void onSelected(QTableView* view);
    void updateEmptyHint();

    ProcessorModel* processors_;
    QueueModel* queues_;
    QTableView* processorView_;
    QTableView* queueView_;
    QLabel* processorTitle_;
    QLabel* queueTitle_;
    QLabel* emptyHint_;
};

} // namespace brokerlab::ui
