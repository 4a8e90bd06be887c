#include "metricsrecorder.h"

#include <algorithm>
#include <cmath>

namespace brokerlab::ui {

namespace {
// Keys of the replication chart's two series; the displayed names are translated in series().
const std::string kUnderReplicated = "under-replicated";
const std::string kOffline = "offline";
} // namespace

MetricsRecorder::MetricsRecorder(double sampleIntervalSeconds, std::size_t capacity)
    : interval_(sampleIntervalSeconds > 0 ? sampleIntervalSeconds : 1.0)
    , capacity_(capacity)
{
}

SeriesHistory& MetricsRecorder::history(Histories& histories, const std::string& name, SeriesHistory::Merge merge)
{
    auto it = histories.find(name);
    if (it == histories.end())
        it = histories.emplace(name, SeriesHistory(capacity_, merge)).first;
    return it->second;
}

bool MetricsRecorder::record(const driver::Snapshot& snapshot, const Rates& rates)
{
    const double seconds = static_cast<double>(snapshot.virtualUs) / 1e6;
    if (seconds < lastSampleSeconds_)
        clear(); // virtual time went back: a new run
    if (seconds < nextSampleSeconds_)
        return false;
    nextSampleSeconds_ = (std::floor(seconds / interval_) + 1) * interval_;
    lastSampleSeconds_ = seconds;
    ++revision_;

    // Rates need one full window before they mean anything; until then the produce chart stays empty.
    if (rates.windowSeconds > 0) {
        for (const auto& topic : snapshot.topics) {
            if (!topic.internal)
                history(produce_, topic.name, SeriesHistory::Merge::Mean).append(seconds, rates.topic(topic.name));
        }
    }
    // A group's lag is what kafka-consumer-groups shows and the Consumer Groups tab lists; the workspace stores
    // the same numbers (store::RunMetrics), so a reopened workspace draws what the run drew.
    for (const auto& [group, lag] : store::RunMetrics::lagByGroup(snapshot))
        history(lag_, group, SeriesHistory::Merge::Max).append(seconds, static_cast<double>(lag));
    const store::RunMetrics::PartitionHealth health = store::RunMetrics::healthOf(snapshot);
    history(replication_, kUnderReplicated, SeriesHistory::Merge::Max)
        .append(seconds, static_cast<double>(health.underReplicated));
    history(replication_, kOffline, SeriesHistory::Merge::Max).append(seconds, static_cast<double>(health.offline));
    return true;
}

void MetricsRecorder::load(const std::vector<store::MetricSeries>& stored)
{
    clear();
    using Stored = store::RunMetrics::Chart;
    for (const auto& series : stored) {
        const auto [chart, label] = store::RunMetrics::chartOf(series.name);
        if (chart == Stored::None)
            continue; // a counter the charts do not plot (produced, acked, stored bytes)
        SeriesHistory& target = chart == Stored::ProduceRate ? history(produce_, label, SeriesHistory::Merge::Mean)
            : chart == Stored::GroupLag
            ? history(lag_, label, SeriesHistory::Merge::Max)
            : history(replication_, chart == Stored::Offline ? kOffline : kUnderReplicated, SeriesHistory::Merge::Max);
        for (const auto& [ms, value] : series.points) {
            const double seconds = static_cast<double>(ms) / 1e3;
            target.append(seconds, value);
            lastSampleSeconds_ = std::max(lastSampleSeconds_, seconds);
        }
    }
    nextSampleSeconds_ = (std::floor(lastSampleSeconds_ / interval_) + 1) * interval_;
    ++revision_;
}

std::vector<SeriesData> MetricsRecorder::series(Chart chart) const
{
    const Histories& histories = chart == Chart::ProduceRate ? produce_
        : chart == Chart::ConsumerLag                        ? lag_
                                                             : replication_;
    std::vector<SeriesData> result;
    for (const auto& [name, history] : histories) {
        QString shown = QString::fromStdString(name);
        if (chart == Chart::Replication)
            shown = name == kOffline ? offlineName() : underReplicatedName();
        result.push_back({ shown, history.points() });
    }
    return result;
}

void MetricsRecorder::clear()
{
    produce_.clear();
    lag_.clear();
    replication_.clear();
    nextSampleSeconds_ = 0;
    lastSampleSeconds_ = 0;
    ++revision_;
}

} // namespace brokerlab::ui
