#pragma once
// What every actor in the cluster shares: the scheduler (virtual clock), the simulated network,
// the trace and the run's random generator. Owned by the engine; actors hold a reference.

#include "sim/network.h"
#include "sim/rng.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace brokerlab::cluster {

struct Context {
    sim::Scheduler& scheduler;
    sim::Network& network;
    sim::Trace& trace;
    sim::Rng& rng;

    sim::SimTime now() const { return scheduler.now(); }
    // Kafka timestamps: ms since the epoch on the virtual clock.
    std::int64_t nowMs() const { return scheduler.wallClockMs(); }
};

} // namespace brokerlab::cluster
