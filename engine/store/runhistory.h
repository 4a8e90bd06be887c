#pragma once
// A run's event timeline and metrics history on their way into a workspace, shared by the two
// writers: the CLI's `run --workspace` (RunRecorder) and the GUI's autosave. Each event and each
// metric sample is handed over once: takeUnwritten() returns what no earlier call returned.
//
// RunMetrics turns snapshots into the metrics history, one sample per interval of virtual time;
// its series are the ones docs/store.md lists (the CLI's counters and the GUI charts' series), so
// a workspace from either writer fills the charts when it is opened for browsing.
//
// Not thread-safe: a RunHistory lives on one thread (the engine's in the CLI, the GUI's there).

#include "client/latencyhistogram.h"
#include "driver/snapshot.h"
#include "sim/trace.h"
#include "store/workspace.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace brokerlab::store {

TimelineEvent timelineEventOf(const sim::Event& event);
sim::Event simEventOf(const TimelineEvent& event);

class RunMetrics {
public:
    explicit RunMetrics(std::int64_t intervalMs = 1000);

    // The points of one sample, or nothing while the snapshot is in the interval already sampled.
    // Virtual time that goes back (a new run) starts over.
    std::vector<MetricPoint> sample(const driver::Snapshot& snapshot);
    void reset();

    // What the charts plot, from one snapshot. A group's lag is the high watermark minus its
    // committed offset (kafka-consumer-groups' LAG); a consumer outside any group commits nothing,
    // so it counts under its client.id with the lag of its fetch positions.
    static std::map<std::string, std::int64_t> lagByGroup(const driver::Snapshot& snapshot);
    struct PartitionHealth {
        std::int64_t underReplicated = 0; // online, with fewer in-sync replicas than assigned ones
        std::int64_t offline = 0; // no leader
    };
    static PartitionHealth healthOf(const driver::Snapshot& snapshot);
    // The mean ISR size of each user topic's partitions: the replication factor when healthy, less while a
    // broker is down or a follower lags, 0 for an offline partition with an empty ISR.
    static std::map<std::string, double> isrMeanByTopic(const driver::Snapshot& snapshot);

    // Where each group (or lone consumer, by client.id) has got to in each partition: the furthest fetch
    // position of its members. Consumption is the growth of these between two snapshots.
    using Positions = std::map<std::pair<std::string, std::int32_t>, std::map<std::string, std::int64_t>>;
    static Positions positionsOf(const driver::Snapshot& snapshot);
    // Records consumed per topic from `before` to `now`. Only positions known at both ends count: a member
    // that just got a partition starts from its committed offset, which is not consumption; a partition that
    // moves to another member of the group goes on from where the group was.
    static std::map<std::string, std::int64_t> consumedBetween(const Positions& before, const Positions& now);
    // Every producer's latency histogram (send to acknowledgement, per record), merged.
    static client::LatencyHistogram latencyOf(const driver::Snapshot& snapshot);

    // The series names (docs/store.md) and, for a stored name, the chart it belongs to.
    static std::string produceRateName(const std::string& topic) { return "topic." + topic + ".produce_rate"; }
    static std::string groupLagName(const std::string& group) { return "group." + group + ".lag"; }
    static constexpr const char* kUnderReplicated = "partitions.under_replicated";
    static constexpr const char* kOffline = "partitions.offline";
    static std::string consumeRateName(const std::string& topic) { return "topic." + topic + ".consume_rate"; }
    static std::string isrMeanName(const std::string& topic) { return "topic." + topic + ".isr_mean"; }
    static constexpr const char* kLatencyP50 = "producers.latency_p50_ms";
    static constexpr const char* kLatencyP99 = "producers.latency_p99_ms";
    enum class Chart { None, ProduceRate, GroupLag, UnderReplicated, Offline, ConsumeRate, IsrMean, LatencyP50, LatencyP99 };
    // The chart and its series' label (the topic or the group) of a stored series.
    static std::pair<Chart, std::string> chartOf(const std::string& name);

private:
    std::int64_t intervalMs_;
    std::int64_t nextMs_ = 0;
    std::int64_t lastMs_ = -1;
    // The leaders' log end offsets at the last sample, by topic and partition index: one lookup per
    // topic, as the GUI samples on its own thread.
    std::map<std::string, std::vector<std::int64_t>> logEnds_;
    Positions positions_;
    client::LatencyHistogram latency_;
};

struct HistoryBatch {
    std::vector<TimelineEvent> events;
    std::vector<MetricPoint> metrics;
    bool empty() const { return events.empty() && metrics.empty(); }
};

// Writes a batch into the workspace (the events, then the metrics, a transaction each).
void writeHistory(Workspace& workspace, const HistoryBatch& batch);

class RunHistory {
public:
    // Whole: keeps what was handed over, so a new file can be given the run from its start
    // (rewind()); the GUI's. Unwritten: lets go of it; the CLI's, which writes one file.
    enum class Keep { Whole, Unwritten };
    explicit RunHistory(Keep keep = Keep::Whole, std::int64_t sampleIntervalMs = 1000);

    void addEvent(const sim::Event& event); // timeline events, in the order they happened
    void addEvents(const std::vector<sim::Event>& events);
    void sample(const driver::Snapshot& snapshot);

    HistoryBatch takeUnwritten();
    // A new file: the next takeUnwritten() hands over the whole run again (Keep::Whole).
    void rewind();
    // After a resume's replay: the file holds the first `events` events of the run and its metrics
    // up to `metricsUntilMs`, so the replay's copies of those are not written again. Events the
    // file lacks (the last ones before the app closed, or a file written before the GUI stored
    // its timeline) are written by the next takeUnwritten().
    void markWritten(std::int64_t events, std::optional<std::int64_t> metricsUntilMs);
    void clear();

    // Everything kept (Keep::Whole): the run's timeline, and its metrics as series by name.
    const std::vector<TimelineEvent>& events() const { return events_; }
    std::vector<MetricSeries> series() const;

    std::size_t unwrittenEvents() const { return events_.size() - eventsWritten_; }
    std::size_t unwrittenMetrics() const { return metrics_.size() - metricsWritten_; }

private:
    Keep keep_;
    RunMetrics sampler_;
    std::vector<TimelineEvent> events_;
    std::size_t eventsWritten_ = 0;
    std::vector<MetricPoint> metrics_;
    std::size_t metricsWritten_ = 0;
};

} // namespace brokerlab::store
