#pragma once
// Turns the stream of snapshots into chart histories: produce and consume rate per topic, consumer lag per group,
// the number of under-replicated and offline partitions, the mean ISR size per topic and produce latency
// percentiles. Samples once per interval of virtual time, so a paused
// simulation adds nothing and a fast one adds no more points per virtual second than a slow one.
// Knows nothing about Qt Charts: the charts panel hands the points to its ChartAdapter.

#include "driver/snapshot.h"
#include "ratetracker.h"
#include "serieshistory.h"
#include "store/runhistory.h"

#include <QCoreApplication>
#include <QList>
#include <QPointF>
#include <QString>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace brokerlab::ui {

struct SeriesData {
    QString name;
    QList<QPointF> points; // x: virtual seconds
};

class MetricsRecorder {
    Q_DECLARE_TR_FUNCTIONS(brokerlab::ui::MetricsRecorder)

public:
    enum class Chart { ProduceRate, ConsumerLag, Replication, ConsumeRate, IsrSize, ProduceLatency };

    explicit MetricsRecorder(
        double sampleIntervalSeconds = 1.0, std::size_t capacity = SeriesHistory::kDefaultCapacity);

    // Returns true when the snapshot was sampled (a new point on every series).
    bool record(const driver::Snapshot& snapshot, const Rates& rates);
    // A stored run's history (a workspace opened for browsing) in place of what was recorded; the series
    // names are store::RunMetrics'. Later samples of the same run carry on after it.
    void load(const std::vector<store::MetricSeries>& stored);
    std::vector<SeriesData> series(Chart chart) const; // sorted by name
    double lastSampleSeconds() const { return lastSampleSeconds_; }
    std::uint64_t revision() const { return revision_; } // bumps with every sample
    void clear();

    // Display names of the replication chart's two series (the charts panel colours them by state).
    static QString underReplicatedName() { return tr("under-replicated"); }
    static QString offlineName() { return tr("offline"); }
    // Display names of the latency chart's series.
    static QString latencyP50Name() { return tr("p50"); }
    static QString latencyP99Name() { return tr("p99"); }

private:
    using Histories = std::map<std::string, SeriesHistory>;
    SeriesHistory& history(Histories& histories, const std::string& name, SeriesHistory::Merge merge);

    double interval_;
    std::size_t capacity_;
    double nextSampleSeconds_ = 0;
    double lastSampleSeconds_ = 0;
    std::uint64_t revision_ = 0;
    Histories produce_;
    Histories lag_;
    Histories replication_;
    Histories consume_;
    Histories isr_;
    Histories latency_;
    const Histories& histories(Chart chart) const;
};

} // namespace brokerlab::ui
