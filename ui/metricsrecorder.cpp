#include "metricsrecorder.h"

#include <algorithm>
#include <cmath>

namespace brokerlab::ui {

namespace {
// Keys of the replication chart's two series; the displayed names are translated in series().
const std::string kUnderReplicated = "under-replicated";
const std::string kOffline = "offline";
// Keys of the latency chart's series.
const std::string kP50 = "p50";
const std::string kP99 = "p99";
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
            if (topic.internal)
                continue;
            history(produce_, topic.name, SeriesHistory::Merge::Mean).append(seconds, rates.topic(topic.name));
            history(consume_, topic.name, SeriesHistory::Merge::Mean).append(seconds, rates.topicConsumed(topic.name));
        }
        // A second without acknowledgements has no latency: the line skips it rather than dropping to zero.
        if (rates.produceLatencyP50Ms >= 0) {
            history(latency_, kP50, SeriesHistory::Merge::Max).append(seconds, rates.produceLatencyP50Ms);
            history(latency_, kP99, SeriesHistory::Merge::Max).append(seconds, rates.produceLatencyP99Ms);
        }
    }
    // How many replicas each topic's partitions have in sync, on average (the workspace stores the same numbers).
    for (const auto& [topic, mean] : store::RunMetrics::isrMeanByTopic(snapshot))
        history(isr_, topic, SeriesHistory::Merge::Min).append(seconds, mean);
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
        SeriesHistory& target = [&, chart = chart, &label = label]() -> SeriesHistory& {
            switch (chart) {
            case Stored::ProduceRate:
                return history(produce_, label, SeriesHistory::Merge::Mean);
            case Stored::ConsumeRate:
                return history(consume_, label, SeriesHistory::Merge::Mean);
            case Stored::GroupLag:
                return history(lag_, label, SeriesHistory::Merge::Max);
            case Stored::IsrMean:
                return history(isr_, label, SeriesHistory::Merge::Min);
            case Stored::LatencyP50:
                return history(latency_, kP50, SeriesHistory::Merge::Max);
            case Stored::LatencyP99:
                return history(latency_, kP99, SeriesHistory::Merge::Max);
            case Stored::Offline:
                return history(replication_, kOffline, SeriesHistory::Merge::Max);
            case Stored::UnderReplicated:
            case Stored::None:
                break;
            }
            return history(replication_, kUnderReplicated, SeriesHistory::Merge::Max);
        }();
        for (const auto& [ms, value] : series.points) {
            const double seconds = static_cast<double>(ms) / 1e3;
            target.append(seconds, value);
            lastSampleSeconds_ = std::max(lastSampleSeconds_, seconds);
        }
    }
    nextSampleSeconds_ = (std::floor(lastSampleSeconds_ / interval_) + 1) * interval_;
    ++revision_;
}

const MetricsRecorder::Histories& MetricsRecorder::histories(Chart chart) const
{
    switch (chart) {
    case Chart::ProduceRate:
        return produce_;
    case Chart::ConsumerLag:
        return lag_;
    case Chart::Replication:
        return replication_;
    case Chart::ConsumeRate:
        return consume_;
    case Chart::IsrSize:
        return isr_;
    case Chart::ProduceLatency:
        break;
    }
    return latency_;
}

std::vector<SeriesData> MetricsRecorder::series(Chart chart) const
{
    std::vector<SeriesData> result;
    for (const auto& [name, history] : histories(chart)) {
        QString shown = QString::fromStdString(name);
        if (chart == Chart::Replication)
            shown = name == kOffline ? offlineName() : underReplicatedName();
        else if (chart == Chart::ProduceLatency)
            shown = name == kP50 ? latencyP50Name() : latencyP99Name();
        result.push_back({ shown, history.points() });
    }
    return result;
}

void MetricsRecorder::clear()
{
    produce_.clear();
    lag_.clear();
    replication_.clear();
    consume_.clear();
    isr_.clear();
    latency_.clear();
    nextSampleSeconds_ = 0;
    lastSampleSeconds_ = 0;
    ++revision_;
}

} // namespace brokerlab::ui
