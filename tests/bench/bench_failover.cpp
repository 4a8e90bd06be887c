// Failover figures for BENCHMARKS.md:
//  1. virtual ms from a broker crash (or controlled shutdown) until every partition it led has a
//     serving leader again, by broker.session.timeout.ms;
//  2. wall time of the engine work that moves the leadership of 1,000 partitions (fencing, the
//     elections, and every broker applying the new metadata);
//  3. controller failover in a 3-voter quorum: virtual ms from killing the active controller until
//     a new one is elected, and until a broker that crashed at the same instant has lost all its
//     leaderships; the single-controller case for comparison.
//
// usage: bench_failover

#include "driver/engine.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace brokerlab;

namespace {

scenario::Scenario makeScenario(std::int32_t partitions, std::int64_t sessionTimeoutMs, std::int32_t controllers = 1,
    std::int64_t fetchTimeoutMs = 2000)
{
    scenario::Scenario s;
    s.brokerConfig.controllerQuorumVoters = controllers;
    s.brokerConfig.controllerQuorumFetchTimeoutMs = fetchTimeoutMs;
    s.name = "failover-bench";
    s.brokers = 3;
    s.durationMs = 120000;
    s.brokerConfig.brokerSessionTimeoutMs = sessionTimeoutMs;
    s.brokerConfig.topicDefaults.minInsyncReplicas = 2;
    scenario::TopicSpec topic;
    topic.name = "t";
    topic.partitions = partitions;
    topic.replicationFactor = 3;
    topic.config.minInsyncReplicas = 2;
    s.topics.push_back(topic);
    scenario::ProducerSpec producer;
    producer.id = "p";
    producer.topic = "t";
    producer.ratePerSec = 2000;
    producer.workload.kind = client::WorkloadKind::Orders;
    s.producers.push_back(producer);
    return s;
}

struct Outcome {
    double failoverMs = -1; // crash until the last of the broker's partitions has a new leader
    int moved = 0;
};

Outcome measure(std::int32_t partitions, std::int64_t sessionTimeoutMs, bool controlled)
{
    driver::Engine engine(makeScenario(partitions, sessionTimeoutMs), 1);
    engine.start();
    engine.runUntil(sim::fromMs(10000));
    const std::int32_t victim = 1;
    std::set<std::int32_t> led;
    for (const auto& p : engine.cluster().controller().image().topic("t")->partitions) {
        if (p.leader == victim)
            led.insert(p.partition);
    }
    std::map<std::int32_t, sim::SimTime> movedAt;
    const sim::SimTime start = engine.now();
    engine.trace().setListener([&](const sim::Event& event) {
        if (event.kind == "partition.leader_elected" && led.count(event.partition) && event.broker != victim)
            movedAt.emplace(event.partition, event.time);
    });
    if (controlled)
        engine.cluster().broker(victim)->shutdown();
    else
        engine.cluster().broker(victim)->crash();
    engine.runUntil(start + sim::fromMs(60000));
    Outcome outcome;
    outcome.moved = static_cast<int>(movedAt.size());
    if (movedAt.size() == led.size()) {
        sim::SimTime last = start;
        for (const auto& [partition, at] : movedAt)
            last = std::max(last, at);
        outcome.failoverMs = static_cast<double>(last - start) / 1000.0;
    }
    return outcome;
}

struct ControllerOutcome {
    double electedMs = -1; // kill until a new active controller
    double partitionsMovedMs = -1; // kill (and broker 1's crash) until its partitions have new leaders
};

// Kills the active controller at 10 s (optionally crashing broker 1 at the same instant); with a
// single controller it is restarted `restartAfterMs` later.
ControllerOutcome measureController(
    std::uint64_t seed, std::int32_t controllers, std::int64_t fetchTimeoutMs, bool crashBroker, std::int64_t restartAfterMs)
{
    driver::Engine engine(makeScenario(30, 9000, controllers, fetchTimeoutMs), seed);
    engine.start();
    engine.runUntil(sim::fromMs(10000));
    std::set<std::int32_t> led;
    for (const auto& p : engine.cluster().controller().image().topic("t")->partitions) {
        if (p.leader == 1)
            led.insert(p.partition);
    }
    ControllerOutcome outcome;
    const sim::SimTime start = engine.now();
    std::map<std::int32_t, sim::SimTime> movedAt;
    engine.trace().setListener([&](const sim::Event& event) {
        if (event.kind == "controller.elected" && outcome.electedMs < 0)
            outcome.electedMs = static_cast<double>(event.time - start) / 1000.0;
        if (event.kind == "partition.leader_elected" && led.count(event.partition) && event.broker != 1)
            movedAt.emplace(event.partition, event.time);
    });
    const std::int32_t killed = engine.killActiveController();
    if (crashBroker)
        engine.cluster().broker(1)->crash();
    if (restartAfterMs > 0)
        engine.scheduler().scheduleAt(start + sim::fromMs(static_cast<double>(restartAfterMs)),
            [&engine, killed] { engine.restartController(killed); });
    engine.runUntil(start + sim::fromMs(40000));
    if (crashBroker && movedAt.size() == led.size()) {
        sim::SimTime last = start;
        for (const auto& [partition, at] : movedAt)
            last = std::max(last, at);
        outcome.partitionsMovedMs = static_cast<double>(last - start) / 1000.0;
    }
    return outcome;
}

void printControllerRow(const char* label, std::int32_t controllers, std::int64_t fetchTimeoutMs, bool crashBroker,
    std::int64_t restartAfterMs)
{
    std::printf("  %-48s elected:", label);
    std::vector<ControllerOutcome> outcomes;
    for (std::uint64_t seed = 1; seed <= 5; ++seed)
        outcomes.push_back(measureController(seed, controllers, fetchTimeoutMs, crashBroker, restartAfterMs));
    for (const auto& o : outcomes)
        std::printf(" %7.1f", o.electedMs);
    if (crashBroker) {
        std::printf("   partitions moved:");
        for (const auto& o : outcomes)
            std::printf(" %7.1f", o.partitionsMovedMs);
    }
    std::printf("\n");
}

} // namespace

int main()
{
    std::printf("failover: virtual ms from the fault until every partition broker 1 led has a new leader\n");
    std::printf("  3 brokers, 30 partitions, RF 3, acks=all producer at 2,000 records/s\n");
    for (std::int64_t timeout : { 3000, 6000, 9000, 18000 }) {
        const Outcome outcome = measure(30, timeout, false);
        std::printf("  crash, broker.session.timeout.ms %6lld: %8.1f ms (%d partitions moved)\n",
            static_cast<long long>(timeout), outcome.failoverMs, outcome.moved);
    }
    const Outcome shutdown = measure(30, 9000, true);
    std::printf("  controlled shutdown                    : %8.1f ms (%d partitions moved)\n", shutdown.failoverMs,
        shutdown.moved);

    // Engine work to move 1,000 leaderships: fence the broker directly and time the call plus the
    // metadata reaching every broker (the events that follow at the same virtual instant).
    driver::Engine engine(makeScenario(3000, 9000), 1);
    engine.start();
    engine.runUntil(sim::fromMs(2000));
    int leaderships = 0;
    for (const auto& p : engine.cluster().controller().image().topic("t")->partitions)
        leaderships += p.leader == 1 ? 1 : 0;
    engine.cluster().broker(1)->crash();
    const auto wallStart = std::chrono::steady_clock::now();
    engine.cluster().controller().fenceBroker(1, "benchmark");
    engine.runUntil(engine.now() + sim::fromMs(5)); // metadata delivered and applied everywhere
    const double wallMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wallStart).count();
    std::printf("moving leadership: %d partitions (of 3,000, RF 3) in %.1f ms of wall time\n", leaderships, wallMs);

    std::printf("controller failover: virtual ms from killing the active controller (seeds 1-5)\n");
    printControllerRow("3 voters, fetch.timeout 2000 (default)", 3, 2000, false, 0);
    printControllerRow("3 voters, fetch.timeout 1000", 3, 1000, false, 0);
    printControllerRow("3 voters + broker 1 crashes at the same instant", 3, 2000, true, 0);
    printControllerRow("1 voter restarted after 10 s + broker 1 crash", 1, 2000, true, 10000);
    return 0;
}
