#pragma once
// The side panel: what the selected broker, topic, partition or replica is doing, with a sentence on what each
// Kafka term means. With nothing selected it shows a short guide to the view and a glossary.

#include "clusteritem.h"
#include "ratetracker.h"
#include "simulationsession.h"

#include <QTimer>
#include <QWidget>

class QLabel;

namespace brokerlab::ui {

class DetailsPanel : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPanel(QWidget* parent = nullptr);

    void setItem(const ClusterItem& item);
    ClusterItem item() const { return item_; }
    void setSnapshot(const SnapshotPtr& snapshot, std::shared_ptr<const Rates> rates);
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
    QString guideHtml() const;
    QString goneHtml() const;

    ClusterItem item_;
    SnapshotPtr snapshot_;
    std::shared_ptr<const Rates> rates_;
    QLabel* label_;
    QTimer refresh_;
};

} // namespace brokerlab::ui
