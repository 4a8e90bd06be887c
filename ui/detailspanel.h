#pragma once
// The side panel: what the selected broker, topic, partition or replica (or stream processor or modelled queue) is
// doing, with a sentence on what each Kafka term means. With nothing selected it shows a short guide to the view and a glossary.

#include "clusteritem.h"
#include "listenercontroller.h"
#include "ratetracker.h"
#include "simulationsession.h"

#include <QTimer>
#include <QWidget>

class QFrame;
class QLabel;
class QLineEdit;
class QToolButton;

namespace brokerlab::ui {

class DetailsPanel : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPanel(QWidget* parent = nullptr);

    void setItem(const ClusterItem& item);
    ClusterItem item() const { return item_; }
    void setSnapshot(const SnapshotPtr& snapshot, std::shared_ptr<const Rates> rates);
    // The Kafka listeners: a box above the details with the bootstrap servers and a Copy button (or why they
    // could not open), and each broker's host:port in its details.
    void setListeners(const ListenerStatus& status);
    QString bootstrapText() const; // what the box shows (tests read it)
    // The panel's current text as HTML (tests read it).
    QString html() const;
    void refreshNow();

protected:
    void changeEvent(QEvent* event) override;

private:
    QString brokerHtml(const driver::BrokerSnapshot& broker) const;
    QString topicHtml(const driver::TopicSnapshot& topic) const;
    QString partitionHtml(const driver::TopicSnapshot& topic, const driver::PartitionSnapshot& partition) const;
    QString replicaHtml(const driver::TopicSnapshot& topic, const driver::PartitionSnapshot& partition,
        const driver::ReplicaSnapshot& replica) const;
    QString processorHtml(const driver::ProcessorSnapshot& processor) const;
    QString queueHtml(const driver::QueueSnapshot& queue) const;
    QString guideHtml() const;
    QString goneHtml() const;
    void updateListenerBox();

    ClusterItem item_;
    SnapshotPtr snapshot_;
    std::shared_ptr<const Rates> rates_;
    ListenerStatus listeners_;
    QLabel* label_;
    QFrame* listenerBox_;
    QLabel* listenerTitle_;
    QLineEdit* bootstrap_;
    QToolButton* copy_;
    QLabel* listenerHint_;
    QTimer refresh_;
};

} // namespace brokerlab::ui
