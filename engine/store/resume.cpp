#include "store/resume.h"

#include "driver/engine.h"
#include "scenario/json.h"

#include <algorithm>

namespace brokerlab::store {

namespace {

std::optional<std::int64_t> metaInteger(const Workspace& workspace, const std::string& key)
{
    const auto text = workspace.meta(key);
    if (!text || text->empty())
        return std::nullopt;
    try {
        std::size_t used = 0;
        const std::int64_t value = std::stoll(*text, &used);
        if (used == text->size())
            return value;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::string secondsText(std::int64_t virtualUs)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f s", double(virtualUs) / 1e6);
    return text;
}

} // namespace

void writeRunIdentity(Workspace& workspace, const std::string& scenarioJson, const std::string& scenarioName,
    std::uint64_t seed, std::int64_t durationMs)
{
    workspace.setMeta("scenario_json", scenarioJson);
    workspace.setMeta("scenario_name", scenarioName);
    workspace.setMeta("seed", std::to_string(seed));
    workspace.setMeta("duration_ms", std::to_string(durationMs));
}

RunState runStateOf(driver::Engine& engine, std::vector<driver::AppliedCommand> commands)
{
    return { engine.now(), engine.trace().sha256Hex(), std::move(commands) };
}

void writeRunState(Workspace& workspace, const RunState& state)
{
    workspace.setMeta("virtual_ms", std::to_string(state.virtualUs / 1000));
    workspace.setMeta("virtual_us", std::to_string(state.virtualUs));
    workspace.setMeta("trace_sha256", state.traceSha256);
    scenario::JsonValue commands = scenario::JsonValue::array();
    for (const auto& command : state.commands)
        commands.push(scenario::JsonValue::object().set("at_us", command.at).set("description", command.description));
    workspace.setMeta("commands", scenario::toJson(commands));
}

std::variant<ResumePoint, std::string> resumePointOf(const Workspace& workspace)
{
    ResumePoint point;
    const auto scenarioJson = workspace.meta("scenario_json");
    const auto seed = metaInteger(workspace, "seed");
    if (!scenarioJson || scenarioJson->empty() || !seed)
        return std::string("the workspace holds no run to resume (no scenario and seed in it)");
    point.scenarioJson = *scenarioJson;
    point.scenarioName = workspace.meta("scenario_name").value_or("");
    point.seed = std::uint64_t(*seed);
    if (const auto us = metaInteger(workspace, "virtual_us"))
        point.virtualUs = *us;
    else if (const auto ms = metaInteger(workspace, "virtual_ms"))
        point.virtualUs = *ms * 1000; // written before virtual_us: exact only on a whole millisecond
    else
        return std::string("the workspace does not say how far its run went (no virtual time in it)");
    point.durationMs = metaInteger(workspace, "duration_ms").value_or(-1);
    point.traceSha256 = workspace.meta("trace_sha256").value_or("");
    if (const auto commands = workspace.meta("commands"); commands && !commands->empty()) {
        const scenario::JsonParseResult parsed = scenario::parseJson(*commands);
        if (!parsed.ok() || !parsed.value.isArray())
            return std::string("the workspace's list of commands is damaged");
        const auto& items = parsed.value.items();
        if (!items.empty()) {
            const scenario::JsonValue* first = items.front().find("description");
            const scenario::JsonValue* at = items.front().find("at_us");
            return std::to_string(items.size()) + " command" + (items.size() == 1 ? "" : "s")
                + " given from the window during the run (the first: \""
                + (first && first->isString() ? first->asString() : std::string("?")) + "\" at "
                + secondsText(at ? at->asInt() : 0) + ") cannot be replayed, so the run cannot be resumed exactly";
        }
    }
    return point;
}

std::variant<scenario::Scenario, std::string> scenarioOf(const ResumePoint& point)
{
    scenario::LoadResult loaded = scenario::parseScenario(point.scenarioJson, "the workspace's scenario");
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded))
        return "the scenario saved in the workspace no longer reads: " + error->toString();
    auto scenario = std::get<scenario::Scenario>(std::move(loaded));
    if (point.durationMs > 0)
        scenario.durationMs = point.durationMs;
    scenario.seed = point.seed;
    return scenario;
}

std::optional<std::string> replayDifference(
    driver::Engine& engine, const ResumePoint& point, const std::vector<PartitionRow>& stored)
{
    if (engine.now() != point.virtualUs)
        return "the replay reached " + secondsText(engine.now()) + ", not " + secondsText(point.virtualUs);
    if (!point.traceSha256.empty() && engine.trace().sha256Hex() != point.traceSha256)
        return "the replay's trace differs from the run's at " + secondsText(point.virtualUs);
    const std::vector<PartitionSource> sources = PartitionFeed::sourcesOf(engine);
    for (const PartitionRow& row : stored) {
        const auto source = std::find_if(sources.begin(), sources.end(),
            [&](const PartitionSource& s) { return s.topic == row.topic && s.partition == row.partition; });
        const std::string name = row.topic + "-" + std::to_string(row.partition);
        if (source == sources.end())
            return "partition " + name + " is in the workspace but not in the replay";
        const std::int64_t logEnd = source->log->logEndOffset();
        const std::int64_t highWatermark = std::min(source->highWatermark, logEnd);
        if (source->log->logStartOffset() != row.logStartOffset || highWatermark != row.highWatermark
            || logEnd != row.logEndOffset)
            return "partition " + name + " differs: the workspace holds offsets " + std::to_string(row.logStartOffset)
                + " to " + std::to_string(row.highWatermark) + ", the replay " + std::to_string(source->log->logStartOffset())
                + " to " + std::to_string(highWatermark);
    }
    return std::nullopt;
}

} // namespace brokerlab::store
