#include "store/runrecorder.h"

#include "store/resume.h"

#include "driver/engine.h"
#include "protocol/configdefs.h"
#include "scenario/configapply.h"
#include "scenario/json.h"

namespace brokerlab::store {

namespace {
constexpr std::int64_t kRecordsPerIngest = 50000; // one transaction each
}

RunRecorder::RunRecorder(Workspace& workspace) : workspace_(workspace) { }

void RunRecorder::attach(driver::Engine& engine)
{
    engine.trace().setListener([this](const sim::Event& event) {
        events_.push_back({ event.time, event.kind, event.message });
    });
}

void RunRecorder::flushEvents()
{
    if (events_.empty())
        return;
    workspace_.addEvents(events_);
    events_.clear();
}

void RunRecorder::sample(driver::Engine& engine)
{
    flushEvents();
    const driver::Snapshot snapshot = engine.snapshot();
    const std::int64_t virtualMs = snapshot.virtualUs / 1000;
    std::int64_t produced = 0, acked = 0, consumed = 0, lag = 0;
    for (const auto& producer : snapshot.producers) {
        produced += producer.counters.produced;
        acked += producer.counters.acked;
    }
    for (const auto& consumer : snapshot.consumers) {
        consumed += consumer.counters.consumed;
        lag += consumer.totalLag();
    }
    workspace_.addMetric(virtualMs, "produced", double(produced));
    workspace_.addMetric(virtualMs, "acked", double(acked));
    workspace_.addMetric(virtualMs, "consumed", double(consumed));
    workspace_.addMetric(virtualMs, "consumer_lag", double(lag));
    for (const auto& broker : snapshot.brokers)
        workspace_.addMetric(
            virtualMs, "broker." + std::to_string(broker.id) + ".stored_bytes", double(broker.storedBytes));
    workspace_.setCommittedOffsets(committedOffsetsOf(snapshot));
    IngestBatch batch;
    do {
        batch = feed_.collect(PartitionFeed::sourcesOf(engine), kRecordsPerIngest);
        workspace_.ingest(batch);
    } while (batch.pendingRecords > 0);
}

std::vector<CommittedOffset> RunRecorder::committedOffsetsOf(const driver::Snapshot& snapshot)
{
    std::vector<CommittedOffset> offsets;
    for (const auto& group : snapshot.groups)
        for (const auto& partition : group.lag)
            if (partition.committed >= 0)
                offsets.push_back({ group.summary.groupId, partition.topicPartition.topic,
                    partition.topicPartition.partition, partition.committed });
    return offsets;
}

void RunRecorder::finish(driver::Engine& engine, const std::string& scenarioJson)
{
    sample(engine);
    const scenario::Scenario& spec = engine.scenario();
    writeRunIdentity(workspace_, scenarioJson, spec.name, engine.seed(), spec.durationMs);
    writeRunState(workspace_, runStateOf(engine));
    for (const auto& topic : spec.topics) {
        scenario::JsonValue config = scenario::JsonValue::object();
        for (const protocol::ConfigDef* def : protocol::configDefs(protocol::ConfigScope::Topic)) {
            if (auto text = scenario::configText(topic.config, def->name))
                config.set(def->name, *text);
        }
        workspace_.setTopic({ topic.name, topic.partitions, topic.replicationFactor, scenario::toJson(config), false });
    }
    workspace_.indexAll();
}

} // namespace brokerlab::store
