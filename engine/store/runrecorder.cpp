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

RunRecorder::RunRecorder(Workspace& workspace) : workspace_(workspace), history_(RunHistory::Keep::Unwritten) { }

void RunRecorder::attach(driver::Engine& engine)
{
    engine.trace().setListener([this](const sim::Event& event) { history_.addEvent(event); });
}

void RunRecorder::sample(driver::Engine& engine)
{
    const driver::Snapshot snapshot = engine.snapshot();
    history_.sample(snapshot);
    writeHistory(workspace_, history_.takeUnwritten());
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

std::vector<TopicRow> RunRecorder::topicsOf(const scenario::Scenario& spec)
{
    std::vector<TopicRow> topics;
    for (const auto& topic : spec.topics) {
        scenario::JsonValue config = scenario::JsonValue::object();
        for (const protocol::ConfigDef* def : protocol::configDefs(protocol::ConfigScope::Topic)) {
            if (auto text = scenario::configText(topic.config, def->name))
                config.set(def->name, *text);
        }
        topics.push_back({ topic.name, topic.partitions, topic.replicationFactor, scenario::toJson(config), false });
    }
    return topics;
}

void RunRecorder::finish(driver::Engine& engine, const std::string& scenarioJson)
{
    sample(engine);
    const scenario::Scenario& spec = engine.scenario();
    writeRunIdentity(workspace_, scenarioJson, spec.name, engine.seed(), spec.durationMs);
    writeRunState(workspace_, runStateOf(engine));
    for (const auto& topic : topicsOf(spec))
        workspace_.setTopic(topic);
    workspace_.indexAll();
}

} // namespace brokerlab::store
