#include "chartspanel.h"

#include "chartadapter.h"
#include "statuscolors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QTabWidget>

namespace brokerlab::ui {

ChartsPanel::ChartsPanel(QWidget* parent)
    : QWidget(parent)
    , produce_(new ChartAdapter(tr("Produce rate per topic"), tr("records/s"), this))
    , lag_(new ChartAdapter(tr("Consumer lag per group"), tr("records behind"), this))
    , replication_(new ChartAdapter(tr("Partition health"), tr("partitions"), this))
    , consume_(new ChartAdapter(tr("Consume rate per topic"), tr("records/s"), this))
    , latency_(new ChartAdapter(tr("Produce latency"), tr("ms"), this))
    , isr_(new ChartAdapter(tr("In-sync replicas per topic"), tr("replicas (mean)"), this))
{
    produce_->widget()->setToolTip(
        tr("Records appended per second of virtual time, by the leaders of each topic's partitions"));
    lag_->widget()->setToolTip(tr("How far each consumer group is behind: the high watermark minus the group's "
                                  "committed offset, summed over its partitions (the LAG column of "
                                  "kafka-consumer-groups)"));
    replication_->widget()->setToolTip(tr("Under-replicated partitions have fewer in-sync replicas than assigned ones; "
                                          "offline partitions have no leader at all"));
    consume_->widget()->setToolTip(tr("Records handed to applications by poll() per second of virtual time, by "
                                      "topic: the growth of each consumer group's positions (two groups reading "
                                      "one topic count twice)"));
    latency_->widget()->setToolTip(tr("Time from a batch's creation in the producer to its acknowledgement, for "
                                      "the records acknowledged in each second: the median (p50) and the 99th "
                                      "percentile (p99). acks=all waits for every in-sync replica, so a slow or "
                                      "lagging follower shows here first"));
    isr_->widget()->setToolTip(tr("How many replicas of each topic's partitions are in sync with the leader "
                                  "(the ISR), on average: the replication factor when healthy, less while a "
                                  "broker is down or a follower falls behind replica.lag.time.max.ms"));
    auto page = [this](std::initializer_list<std::pair<ChartAdapter*, int>> charts) {
        auto* widget = new QWidget(this);
        auto* row = new QHBoxLayout(widget);
        row->setContentsMargins(0, 0, 0, 0);
        row->setSpacing(4);
        for (auto [chart, stretch] : charts)
            row->addWidget(chart->widget(), stretch);
        return widget;
    };
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("chartTabs"));
    tabs_->setDocumentMode(true);
    tabs_->setTabPosition(QTabWidget::South);
    // Topic names are the longest legend entries: the rate charts get the most room.
    tabs_->addTab(page({ { produce_, 3 }, { lag_, 2 }, { replication_, 2 } }), tr("Overview"));
    tabs_->addTab(page({ { consume_, 3 }, { latency_, 2 }, { isr_, 2 } }), tr("Consumption, Latency, ISR"));
    tabs_->setTabToolTip(0, tr("Produce rate, consumer lag and partition health"));
    tabs_->setTabToolTip(1, tr("Consume rate, produce latency percentiles and in-sync replica counts"));
    connect(tabs_, &QTabWidget::currentChanged, this, [this] { refreshNow(); });
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(tabs_);
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
    // Only the page in front is drawn; the other catches up when it is shown.
    if (tabs_->currentIndex() == 0) {
        produce_->setSeries(recorder_.series(MetricsRecorder::Chart::ProduceRate), x);
        lag_->setSeries(recorder_.series(MetricsRecorder::Chart::ConsumerLag), x);
        replication_->setSeries(recorder_.series(MetricsRecorder::Chart::Replication), x);
    } else {
        consume_->setSeries(recorder_.series(MetricsRecorder::Chart::ConsumeRate), x);
        latency_->setSeries(recorder_.series(MetricsRecorder::Chart::ProduceLatency), x);
        isr_->setSeries(recorder_.series(MetricsRecorder::Chart::IsrSize), x);
    }
}

void ChartsPanel::applyColors()
{
    const StatusColors colors = StatusColors::from(palette());
    replication_->setSeriesColor(MetricsRecorder::underReplicatedName(), colors.outOfSync);
    replication_->setSeriesColor(MetricsRecorder::offlineName(), colors.offline);
    for (ChartAdapter* chart : { produce_, lag_, replication_, consume_, latency_, isr_ })
        chart->applyPalette(palette());
}

void ChartsPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColors();
    QWidget::changeEvent(event);
}

} // namespace brokerlab::ui
