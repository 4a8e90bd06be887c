#pragma once
// The discrete-event scheduler and its virtual clock. Nothing in the engine reads a real clock:
// time advances only when the scheduler jumps to the next event.

#include "sim/function.h"

#include <cstdint>
#include <vector>

namespace brokerlab::sim {

// Virtual time in microseconds since the start of the run.
using SimTime = std::int64_t;
inline constexpr SimTime kMicrosPerMs = 1000;
inline constexpr SimTime kNever = INT64_MAX;
inline constexpr SimTime fromMs(double ms) { return static_cast<SimTime>(ms * 1000.0); }
inline constexpr std::int64_t toMs(SimTime t) { return t / kMicrosPerMs; }

class Scheduler {
public:
    using Callback = UniqueFunction<void()>;

    SimTime now() const { return now_; }
    // Wall-clock epoch of virtual time 0, in ms: record timestamps are epochMs + now in ms, so
    // they look like real Kafka timestamps while staying deterministic.
    std::int64_t epochMs() const { return epochMs_; }
    void setEpochMs(std::int64_t epochMs) { epochMs_ = epochMs; }
    std::int64_t wallClockMs() const { return epochMs_ + toMs(now_); }

    // Runs `callback` at `at` (never earlier than now). Events at the same time run in the
    // order they were scheduled, which keeps runs reproducible.
    void scheduleAt(SimTime at, Callback callback);
    void scheduleAfter(SimTime delay, Callback callback) { scheduleAt(now_ + delay, std::move(callback)); }

    bool empty() const { return heap_.empty(); }
    std::size_t pending() const { return heap_.size(); }
    SimTime nextEventTime() const { return heap_.empty() ? kNever : heap_.front().at; }
    std::uint64_t eventsRun() const { return eventsRun_; }

    // Runs the next event; false when there is none.
    bool step();
    // Runs every event with time <= until, then sets the clock to `until`.
    void runUntil(SimTime until);

private:
    struct Entry {
        SimTime at;
        std::uint64_t sequence;
        std::uint32_t slot;
    };
    static bool later(const Entry& a, const Entry& b)
    {
        return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
    }

    SimTime now_ = 0;
    std::int64_t epochMs_ = 1767225600000; // 2026-01-01T00:00:00Z
    std::uint64_t nextSequence_ = 0;
    std::uint64_t eventsRun_ = 0;
    std::vector<Entry> heap_;
    std::vector<Callback> slots_; // callbacks live here so heap moves stay small
    std::vector<std::uint32_t> freeSlots_;
};

} // namespace brokerlab::sim
