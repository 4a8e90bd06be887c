#pragma once
// Six live charts over virtual time on two tabs: produce rate per topic, consumer lag per group, under-replicated
// and offline partitions; consume rate per topic, produce latency percentiles, mean ISR size per topic. Records every snapshot into bounded histories (MetricsRecorder) and redraws at most a few
// times a second, one replace() per series.

#include "metricsrecorder.h"
#include "simulationsession.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QTabWidget;

namespace brokerlab::ui {

class ChartAdapter;

class ChartsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartsPanel(QWidget* parent = nullptr);

    void record(const driver::Snapshot& snapshot, const Rates& rates);
    void clear();
    // Draws a stored run's metrics history (store::RunMetrics' series) instead of what was recorded.
    void showHistory(const std::vector<store::MetricSeries>& stored);
    // Redraws now instead of at the next throttled refresh (the screenshot runner, tests).
    void refreshNow();

    const MetricsRecorder& recorder() const { return recorder_; }
    ChartAdapter* produceChart() const { return produce_; }
    ChartAdapter* lagChart() const { return lag_; }
    ChartAdapter* replicationChart() const { return replication_; }
    ChartAdapter* consumeChart() const { return consume_; }
    ChartAdapter* latencyChart() const { return latency_; }
    ChartAdapter* isrChart() const { return isr_; }
    QTabWidget* tabs() const { return tabs_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColors();

    MetricsRecorder recorder_;
    ChartAdapter* produce_;
    ChartAdapter* lag_;
    ChartAdapter* replication_;
    ChartAdapter* consume_;
    ChartAdapter* latency_;
    ChartAdapter* isr_;
    QTabWidget* tabs_ = nullptr;
    QTimer refresh_;
    std::uint64_t drawnRevision_ = 0;
};

} // namespace brokerlab::ui
