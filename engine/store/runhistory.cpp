#include "store/runhistory.h"

#include <algorithm>

namespace brokerlab::store {

TimelineEvent timelineEventOf(const sim::Event& event)
{
    return { event.time, event.kind, event.message, event.broker, event.topic, event.partition, event.client,
        event.numbers };
}

sim::Event simEventOf(const TimelineEvent& event)
{
    sim::Event result;
    result.time = event.virtualUs;
    result.kind = event.kind;
    result.eventClass = sim::EventClass::Timeline;
    result.broker = event.broker;
    result.topic = event.topic;
    result.partition = event.partition;
    result.client = event.client;
    result.numbers = event.numbers;
    result.message = event.text;
    return result;
}

RunMetrics::RunMetrics(std::int64_t intervalMs) : intervalMs_(std::max<std::int64_t>(1, intervalMs)) { }

void RunMetrics::reset()
{
    nextMs_ = 0;
    lastMs_ = -1;
    logEnds_.clear();
    positions_.clear();
    latency_ = {};
}

std::map<std::string, std::int64_t> RunMetrics::lagByGroup(const driver::Snapshot& snapshot)
{
    std::map<std::string, std::int64_t> lags;
    for (const auto& group : snapshot.groups)
        lags[group.summary.groupId] = group.totalLag();
    for (const auto& consumer : snapshot.consumers) {
        if (consumer.groupId.empty())
            lags[consumer.clientId] += consumer.totalLag();
    }
    return lags;
}

RunMetrics::PartitionHealth RunMetrics::healthOf(const driver::Snapshot& snapshot)
{
    PartitionHealth health;
    for (const auto& topic : snapshot.topics) {
        for (const auto& partition : topic.partitions) {
            if (partition.offline())
                ++health.offline;
            else if (partition.underReplicated())
                ++health.underReplicated;
        }
    }
    return health;
}

std::map<std::string, double> RunMetrics::isrMeanByTopic(const driver::Snapshot& snapshot)
{
    std::map<std::string, double> means;
    for (const auto& topic : snapshot.topics) {
        if (topic.internal || topic.partitions.empty())
            continue;
        std::size_t inSync = 0;
        for (const auto& partition : topic.partitions)
            inSync += partition.isr.size();
        means[topic.name] = double(inSync) / double(topic.partitions.size());
    }
    return means;
}

RunMetrics::Positions RunMetrics::positionsOf(const driver::Snapshot& snapshot)
{
    Positions positions;
    for (const auto& consumer : snapshot.consumers) {
        const std::string& owner = consumer.groupId.empty() ? consumer.clientId : consumer.groupId;
        for (const auto& position : consumer.positions) {
            if (position.position < 0)
                continue;
            std::int64_t& at
                = positions[{ position.topicPartition.topic, position.topicPartition.partition }][owner];
            at = std::max(at, position.position);
        }
    }
    return positions;
}

std::map<std::string, std::int64_t> RunMetrics::consumedBetween(const Positions& before, const Positions& now)
{
    std::map<std::string, std::int64_t> consumed;
    for (const auto& [key, owners] : now) {
        auto was = before.find(key);
        if (was == before.end())
            continue;
        for (const auto& [owner, position] : owners) {
            auto at = was->second.find(owner);
            // A position that went back (a reset, a truncation) counts as no consumption.
            if (at != was->second.end())
                consumed[key.first] += std::max<std::int64_t>(0, position - at->second);
        }
    }
    return consumed;
}

client::LatencyHistogram RunMetrics::latencyOf(const driver::Snapshot& snapshot)
{
    client::LatencyHistogram merged;
    for (const auto& producer : snapshot.producers)
        merged.merge(producer.counters.latency);
    return merged;
}

std::pair<RunMetrics::Chart, std::string> RunMetrics::chartOf(const std::string& name)
{
    auto between = [&name](std::string_view prefix, std::string_view suffix) -> std::optional<std::string> {
        if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0
            || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            return std::nullopt;
        return name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    };
    if (auto topic = between("topic.", ".produce_rate"))
        return { Chart::ProduceRate, *topic };
    if (auto group = between("group.", ".lag"))
        return { Chart::GroupLag, *group };
    if (auto topic = between("topic.", ".consume_rate"))
        return { Chart::ConsumeRate, *topic };
    if (auto topic = between("topic.", ".isr_mean"))
        return { Chart::IsrMean, *topic };
    if (name == kLatencyP50)
        return { Chart::LatencyP50, {} };
    if (name == kLatencyP99)
        return { Chart::LatencyP99, {} };
    if (name == kUnderReplicated)
        return { Chart::UnderReplicated, {} };
    if (name == kOffline)
        return { Chart::Offline, {} };
    return { Chart::None, {} };
}

std::vector<MetricPoint> RunMetrics::sample(const driver::Snapshot& snapshot)
{
    const std::int64_t ms = snapshot.virtualUs / 1000;
    if (ms < lastMs_)
        reset();
    if (ms < nextMs_)
        return {};
    nextMs_ = (ms / intervalMs_ + 1) * intervalMs_;
    std::vector<MetricPoint> points;
    auto add = [&points, ms](std::string name, double value) { points.push_back({ ms, std::move(name), value }); };

    // The CLI's counters since the run began.
    std::int64_t produced = 0, acked = 0, consumed = 0, lag = 0;
    for (const auto& producer : snapshot.producers) {
        produced += producer.counters.produced;
        acked += producer.counters.acked;
    }
    for (const auto& consumer : snapshot.consumers) {
        consumed += consumer.counters.consumed;
        lag += consumer.totalLag();
    }
    add("produced", double(produced));
    add("acked", double(acked));
    add("consumed", double(consumed));
    add("consumer_lag", double(lag));
    for (const auto& broker : snapshot.brokers)
        add("broker." + std::to_string(broker.id) + ".stored_bytes", double(broker.storedBytes));

    // The charts: records appended per virtual second by each topic's leaders since the last sample
    // (none at the first: a rate needs two), lag per group, partition health.
    std::map<std::string, std::vector<std::int64_t>> logEnds;
    const double seconds = lastMs_ >= 0 ? double(ms - lastMs_) / 1000.0 : 0.0;
    for (const auto& topic : snapshot.topics) {
        if (topic.internal)
            continue;
        auto found = logEnds_.find(topic.name);
        const std::vector<std::int64_t>* before = found != logEnds_.end() ? &found->second : nullptr;
        std::vector<std::int64_t>& now = logEnds[topic.name];
        std::int64_t grown = 0;
        for (const auto& partition : topic.partitions) {
            const auto index = std::size_t(std::max(0, partition.partition));
            if (now.size() <= index)
                now.resize(index + 1, 0);
            now[index] = partition.logEndOffset;
            const std::int64_t previous = before && index < before->size() ? (*before)[index] : 0;
            // A log end that went back (a truncation, a topic made again) counts as no growth.
            grown += std::max<std::int64_t>(0, partition.logEndOffset - previous);
        }
        if (seconds > 0)
            add(produceRateName(topic.name), double(grown) / seconds);
    }
    // Consumption and latency since the last sample, as the Charts dock's second tab draws them.
    Positions positions = positionsOf(snapshot);
    client::LatencyHistogram latency = latencyOf(snapshot);
    if (seconds > 0) {
        const std::map<std::string, std::int64_t> byTopic = consumedBetween(positions_, positions);
        for (const auto& topic : snapshot.topics) {
            if (topic.internal)
                continue;
            auto found = byTopic.find(topic.name);
            add(consumeRateName(topic.name), found == byTopic.end() ? 0.0 : double(found->second) / seconds);
        }
        // A second without acknowledgements has no latency: no point rather than a zero.
        const client::LatencyHistogram window = latency.since(latency_);
        if (window.total() > 0) {
            add(kLatencyP50, window.quantileUs(0.50) / 1000.0);
            add(kLatencyP99, window.quantileUs(0.99) / 1000.0);
        }
    }
    for (const auto& [topic, mean] : isrMeanByTopic(snapshot))
        add(isrMeanName(topic), mean);
    for (const auto& [group, groupLag] : lagByGroup(snapshot))
        add(groupLagName(group), double(groupLag));
    const PartitionHealth health = healthOf(snapshot);
    add(kUnderReplicated, double(health.underReplicated));
    add(kOffline, double(health.offline));
    positions_ = std::move(positions);
    latency_ = std::move(latency);
    logEnds_ = std::move(logEnds);
    lastMs_ = ms;
    return points;
}

void writeHistory(Workspace& workspace, const HistoryBatch& batch)
{
    workspace.addEvents(batch.events);
    workspace.addMetrics(batch.metrics);
}

RunHistory::RunHistory(Keep keep, std::int64_t sampleIntervalMs) : keep_(keep), sampler_(sampleIntervalMs) { }

void RunHistory::addEvent(const sim::Event& event) { events_.push_back(timelineEventOf(event)); }

void RunHistory::addEvents(const std::vector<sim::Event>& events)
{
    for (const auto& event : events)
        addEvent(event);
}

void RunHistory::sample(const driver::Snapshot& snapshot)
{
    for (auto& point : sampler_.sample(snapshot))
        metrics_.push_back(std::move(point));
}

HistoryBatch RunHistory::takeUnwritten()
{
    HistoryBatch batch;
    batch.events.assign(events_.begin() + std::ptrdiff_t(eventsWritten_), events_.end());
    batch.metrics.assign(metrics_.begin() + std::ptrdiff_t(metricsWritten_), metrics_.end());
    if (keep_ == Keep::Unwritten) {
        events_.clear();
        metrics_.clear();
    }
    eventsWritten_ = events_.size();
    metricsWritten_ = metrics_.size();
    return batch;
}

void RunHistory::rewind()
{
    eventsWritten_ = 0;
    metricsWritten_ = 0;
}

void RunHistory::markWritten(std::int64_t events, std::optional<std::int64_t> metricsUntilMs)
{
    eventsWritten_ = std::clamp<std::size_t>(
        std::size_t(std::max<std::int64_t>(0, events)), eventsWritten_, std::max(eventsWritten_, events_.size()));
    if (!metricsUntilMs)
        return;
    // Samples are in time order: the file holds a prefix of them.
    const auto firstNew = std::find_if(metrics_.begin() + std::ptrdiff_t(metricsWritten_), metrics_.end(),
        [until = *metricsUntilMs](const MetricPoint& point) { return point.virtualMs > until; });
    metricsWritten_ = std::size_t(firstNew - metrics_.begin());
}

std::vector<MetricSeries> RunHistory::series() const
{
    std::map<std::string, std::vector<std::pair<std::int64_t, double>>> byName;
    for (const auto& point : metrics_)
        byName[point.name].emplace_back(point.virtualMs, point.value);
    std::vector<MetricSeries> result;
    for (auto& [name, points] : byName)
        result.push_back({ name, std::move(points) });
    return result;
}

void RunHistory::clear()
{
    events_.clear();
    metrics_.clear();
    eventsWritten_ = 0;
    metricsWritten_ = 0;
    sampler_.reset();
}

} // namespace brokerlab::store
