#include "chartspanel.h"

#include "chartadapter.h"
#include "statuscolors.h"

#include <QEvent>
#include <QHBoxLayout>

namespace brokerlab::ui {

ChartsPanel::ChartsPanel(QWidget* parent)
    : QWidget(parent)
    , produce_(new ChartAdapter(tr("Produce rate per topic"), tr("records/s"), this))
    , lag_(new ChartAdapter(tr("Consumer lag per group"), tr("records behind"), this))
    , replication_(new ChartAdapter(tr("Partition health"), tr("partitions"), this))
{
    produce_->widget()->setToolTip(
        tr("Records appended per second of virtual time, by the leaders of each topic's partitions"));
    lag_->widget()->setToolTip(tr("How far each consumer group is behind: the high watermark minus the group's "
                                  "committed offset, summed over its partitions (the LAG column of "
                                  "kafka-consumer-groups)"));
    replication_->widget()->setToolTip(tr("Under-replicated partitions have fewer in-sync replicas than assigned ones; "
                                          "offline partitions have no leader at all"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(4);
    // Topic names are the longest legend entries: the produce chart gets the most room.
    layout->addWidget(produce_->widget(), 3);
    layout->addWidget(lag_->widget(), 2);
    layout->addWidget(replication_->widget(), 2);
    applyColors();

    // Four redraws a second are plenty for a trend, and leave the GUI thread free for the cluster view.
    refresh_.setInterval(250);
    connect(&refresh_, &QTimer::timeout, this, [this] {
        if (recorder_.revision() != drawnRevision_ && isVisible())
            refreshNow();
    });
    refresh_.start();
}

void ChartsPanel::record(const driver::Snapshot& snapshot, const Rates& rates) { recorder_.record(snapshot, rates); }

void ChartsPanel::clear()
{
    recorder_.clear();
    refreshNow();
}

void ChartsPanel::showHistory(const std::vector<store::MetricSeries>& stored)
{
    recorder_.load(stored);
    refreshNow();
}

void ChartsPanel::refreshNow()
{
    drawnRevision_ = recorder_.revision();
    const double x = recorder_.lastSampleSeconds();
    produce_->setSeries(recorder_.series(MetricsRecorder::Chart::ProduceRate), x);
    lag_->setSeries(recorder_.series(MetricsRecorder::Chart::ConsumerLag), x);
    replication_->setSeries(recorder_.series(MetricsRecorder::Chart::Replication), x);
}

void ChartsPanel::applyColors()
{
    const StatusColors colors = StatusColors::from(palette());
    replication_->setSeriesColor(MetricsRecorder::underReplicatedName(), colors.outOfSync);
    replication_->setSeriesColor(MetricsRecorder::offlineName(), colors.offline);
    for (ChartAdapter* chart : { produce_, lag_, replication_ })
        chart->applyPalette(palette());
}

void ChartsPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColors();
    QWidget::changeEvent(event);
}

} // namespace brokerlab::ui
