#pragma once
// Helpers for engine tests: scenarios from inline JSON, engines stepped in virtual time.

#include "driver/engine.h"
#include "scenario/scenario.h"

#include <QTest>

#include <memory>
#include <string>

namespace brokerlab::testing {

inline scenario::Scenario scenarioFromJson(const std::string& json)
{
    auto result = scenario::parseScenario(json, "inline.json");
    if (auto* error = std::get_if<scenario::ScenarioError>(&result))
        qFatal("test scenario does not load: %s", error->toString().c_str());
    return std::get<scenario::Scenario>(std::move(result));
}

inline std::unique_ptr<driver::Engine> startedEngine(const std::string& json, std::uint64_t seed = 1)
{
    auto engine = std::make_unique<driver::Engine>(scenarioFromJson(json), seed);
    engine->start();
    return engine;
}

inline void runForMs(driver::Engine& engine, double ms) { engine.runUntil(engine.now() + sim::fromMs(ms)); }

inline const driver::PartitionSnapshot& partitionOf(
    const driver::Snapshot& snapshot, const std::string& topic, std::int32_t partition)
{
    for (const auto& t : snapshot.topics) {
        if (t.name == topic)
            return t.partitions.at(static_cast<std::size_t>(partition));
    }
    qFatal("no topic %s in the snapshot", topic.c_str());
}

} // namespace brokerlab::testing
