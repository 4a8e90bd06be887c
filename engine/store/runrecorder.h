#pragma once
// Records a running engine into a workspace: the timeline as it happens, metrics and committed
// records once per sample, and at the end the scenario, topic configs and the final logs.
// Lives on the thread that runs the engine; the workspace must be open on that thread too.

#include "store/partitionfeed.h"
#include "store/workspace.h"

#include <string>
#include <vector>

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

private:
    void flushEvents();
    Workspace& workspace_;
    PartitionFeed feed_;
    std::vector<TimelineEvent> events_;
};

} // namespace brokerlab::store
