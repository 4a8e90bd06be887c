#pragma once
// Records a running engine into a workspace: the timeline as it happens, metrics (RunMetrics'
// series) and committed records once per sample, and at the end the scenario, topic configs and
// the final logs.
// Lives on the thread that runs the engine; the workspace must be open on that thread too.

#include "store/partitionfeed.h"
#include "store/runhistory.h"
#include "store/workspace.h"

#include <string>
#include <vector>

namespace brokerlab::scenario {
struct Scenario;
}

namespace brokerlab::driver {
class Engine;
struct Snapshot;
}

namespace brokerlab::store {

class RunRecorder {
public:
    explicit RunRecorder(Workspace& workspace);
    // Before engine.start(): takes the trace's timeline listener.
    void attach(driver::Engine& engine);
    // Hands over what changed since the last sample (records, removals, metrics, events).
    void sample(driver::Engine& engine);
    // The final state: scenario text, topic configs, every committed record, fully indexed.
    void finish(driver::Engine& engine, const std::string& scenarioJson);

    // The consumer groups' committed offsets in a snapshot (what the coordinator holds), for
    // Workspace::setCommittedOffsets: reopening a workspace shows where each group stopped.
    static std::vector<CommittedOffset> committedOffsetsOf(const driver::Snapshot& snapshot);
    // The scenario's topics with their configs as resolved (Kafka names), for Workspace::setTopic.
    static std::vector<TopicRow> topicsOf(const scenario::Scenario& spec);

private:
    Workspace& workspace_;
    PartitionFeed feed_;
    RunHistory history_; // the same path as the GUI's autosave: each event and sample written once
};

} // namespace brokerlab::store
