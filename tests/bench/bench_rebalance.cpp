// The stop-the-world cost of a rebalance, per assignor, end to end in virtual time: a group of
// MEMBERS consumers on PARTITIONS partitions at 2,000 records/s; at 30 s one member joins, at 60 s
// one crashes (found after session.timeout.ms = 10 s), at 90 s one leaves gracefully. For each
// assignor: completed rebalances, virtual ms the group spent rebalancing, the summed and longest
// time members sat with no partition to consume, partitions revoked, and records processed twice.
// Also the wall time of the whole run, which is what the engine costs.
//
//   bench_rebalance [MEMBERS] [PARTITIONS]     (defaults 10 and 60)

#include "driver/engine.h"
#include "scenario/scenario.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace brokerlab;

namespace {

std::string scenarioJson(const std::string& assignor, const std::string& protocol, int members, int partitions)
{
    const std::string config = protocol == "consumer"
        ? R"({"group.id":"g","group.protocol":"consumer","session.timeout.ms":10000,"heartbeat.interval.ms":1000})"
        : R"({"group.id":"g","partition.assignment.strategy":")" + assignor
            + R"(","session.timeout.ms":10000,"heartbeat.interval.ms":1000})";
    return R"({"name":"bench","duration_ms":120000,"cluster":{"brokers":3},
      "topics":[{"name":"t","partitions":)"
        + std::to_string(partitions) + R"(,"replication_factor":3}],
      "producers":[{"id":"p","topic":"t","rate":2000,"workload":{"kind":"orders","keys":"uniform","key_count":1000}}],
      "consumers":[{"id":"m","topics":["t"],"members":)"
        + std::to_string(members) + R"(,"config":)" + config + R"(},
        {"id":"late","topics":["t"],"start_ms":30000,"config":)"
        + config + R"(}],
      "faults":[{"kind":"consumer_crash","consumer":"m-1","at_ms":60000},
                {"kind":"consumer_leave","consumer":"m-2","at_ms":90000}]})";
}

} // namespace

int main(int argc, char** argv)
{
    const int members = argc > 1 ? std::atoi(argv[1]) : 10;
    const int partitions = argc > 2 ? std::atoi(argv[2]) : 60;
    std::printf("%d members, %d partitions, 2,000 records/s; join at 30 s, crash at 60 s, leave at 90 s\n\n", members,
        partitions);
    std::printf("| assignor | rebalances | group rebalancing (virtual ms) | members idle, sum (ms) | longest idle member (ms) "
                "| partitions revoked | processed twice | wall ms |\n|---|---|---|---|---|---|---|---|\n");
    const struct {
        const char* name;
        const char* protocol;
    } variants[] = { { "range", "classic" }, { "roundrobin", "classic" }, { "sticky", "classic" },
        { "cooperative-sticky", "classic" }, { "uniform (KIP-848)", "consumer" } };
    for (const auto& variant : variants) {
        auto parsed = scenario::parseScenario(scenarioJson(variant.name, variant.protocol, members, partitions), "bench");
        if (auto* error = std::get_if<scenario::ScenarioError>(&parsed)) {
            std::fprintf(stderr, "%s\n", error->toString().c_str());
            return 2;
        }
        const auto started = std::chrono::steady_clock::now();
        driver::Engine engine(std::get<scenario::Scenario>(parsed), 1);
        engine.enableHistory();
        engine.start();
        engine.runUntil(engine.endTime());
        const auto result = engine.checkHistory();
        const double wallMs
            = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        const auto snapshot = engine.snapshot();
        std::int64_t pausedSum = 0;
        std::int64_t pausedMax = 0;
        std::int64_t revoked = 0;
        for (const auto& consumer : snapshot.consumers) {
            pausedSum += consumer.groupCounters.pausedMs;
            pausedMax = std::max(pausedMax, consumer.groupCounters.pausedMs);
            revoked += consumer.groupCounters.revoked;
        }
        std::int64_t rebalances = 0;
        std::int64_t rebalanceMs = 0;
        for (const auto& group : snapshot.groups) {
            rebalances += group.summary.rebalances;
            rebalanceMs += group.summary.rebalanceMs;
        }
        std::int64_t twice = 0;
        for (const auto& delivery : result.groups)
            twice += delivery.duplicates.count;
        std::printf("| %s | %lld | %lld | %lld | %lld | %lld | %lld | %.0f |\n", variant.name,
            static_cast<long long>(rebalances), static_cast<long long>(rebalanceMs), static_cast<long long>(pausedSum),
            static_cast<long long>(pausedMax), static_cast<long long>(revoked), static_cast<long long>(twice), wallMs);
    }
    return 0;
}
