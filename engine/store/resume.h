#pragma once
// Resuming a run from its workspace. The engine cannot load a cluster's state from a file, but a
// run is deterministic: the same scenario, seed and commands at the same virtual times replay the
// same trace. So a workspace keeps what a replay needs (the scenario text, the seed, the virtual
// time reached, the trace hash there, and the commands given from the window), and resuming is
// replaying to that time, then checking the replay reached the very state the file holds before
// anything is recorded into it again. docs/store.md says what is and is not resumed.

#include "store/partitionfeed.h"
#include "store/workspace.h"

#include "driver/driver.h"
#include "scenario/scenario.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace brokerlab::driver {
class Engine;
}

namespace brokerlab::store {

struct ResumePoint {
    std::string scenarioJson; // the scenario file's text as the run read it
    std::string scenarioName;
    std::uint64_t seed = 0;
    std::int64_t virtualUs = 0; // where the run stopped (the last autosave)
    std::int64_t durationMs = -1; // the run's length when it was not the scenario's own (-1: the scenario's)
    std::string traceSha256; // the trace hash at virtualUs; empty when the file predates it
};

// What the writer of a run stores at each autosave (GUI) or sample (CLI), besides the records.
struct RunState {
    std::int64_t virtualUs = 0;
    std::string traceSha256;
    std::vector<driver::AppliedCommand> commands; // from the window; a replay cannot repeat them
};
// Once per run: the scenario text, the seed and the run's length.
void writeRunIdentity(Workspace& workspace, const std::string& scenarioJson, const std::string& scenarioName,
    std::uint64_t seed, std::int64_t durationMs);
void writeRunState(Workspace& workspace, const RunState& state);
RunState runStateOf(driver::Engine& engine, std::vector<driver::AppliedCommand> commands = {});

// The point to resume from, or why this workspace cannot be resumed (no run in it, a run with
// commands from the window, a scenario that no longer reads).
std::variant<ResumePoint, std::string> resumePointOf(const Workspace& workspace);
// The point's scenario, ready for an Engine or a Driver (its duration as the run had it).
std::variant<scenario::Scenario, std::string> scenarioOf(const ResumePoint& point);

// After a replay to point.virtualUs: nothing when the engine holds what the workspace holds (the
// trace hash, and each partition's log start offset, high watermark and log end offset), else
// the first difference, in words.
std::optional<std::string> replayDifference(
    driver::Engine& engine, const ResumePoint& point, const std::vector<PartitionRow>& stored);

} // namespace brokerlab::store
