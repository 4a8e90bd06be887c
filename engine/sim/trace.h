#pragma once
// The event trace: every engine event as one JSON line, hashed as it is written. Two runs of the
// same scenario with the same seed and commands produce the same lines and therefore the same
// SHA-256 (trace_sha256 in the run report).

#include "sim/scheduler.h"
#include "sim/sha256.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brokerlab::sim {

// Data-path events (appends, acks, fetches) are frequent and go to the trace only; timeline events
// (topics created, elections, segment deletion, errors, faults) also go to the live event stream.
enum class EventClass : std::uint8_t { DataPath, Timeline };

// A partition an event names, as data (sim/ sits below protocol/, so not a protocol::TopicPartition).
struct EventPartition {
    std::string topic;
    std::int32_t partition = -1;
    bool operator==(const EventPartition&) const = default;
};

struct Event {
    SimTime time = 0;
    std::string kind; // dotted name, e.g. "topic.created", "log.segment_deleted"
    EventClass eventClass = EventClass::Timeline;
    std::int32_t broker = -1;
    std::string topic;
    std::int32_t partition = -1;
    std::string client;
    std::vector<std::pair<std::string, std::int64_t>> numbers; // e.g. {"base_offset", 42}
    std::string message; // one readable sentence saying what happened and why
    // Partition lists for views that rebuild state from events, e.g. {"assigned", [...]} of a member's
    // consumer.assignment_received. Not written to the trace line: the message names the same partitions.
    std::vector<std::pair<std::string, std::vector<EventPartition>>> partitionLists;

    std::int64_t number(std::string_view name, std::int64_t fallback = -1) const;
    // The named list; nullptr when the event has none by that name.
    const std::vector<EventPartition>* partitions(std::string_view name) const;
};

class Trace {
public:
    using Sink = std::function<void(std::string_view line)>; // receives each line with '\n'
    using Listener = std::function<void(const Event&)>; // timeline events only

    void setSink(Sink sink) { sink_ = std::move(sink); }
    void setListener(Listener listener) { listener_ = std::move(listener); }

    void record(const Event& event);
    std::uint64_t lines() const { return lines_; }
    std::uint64_t timelineEvents() const { return timelineEvents_; }
    // SHA-256 of every line so far, as lowercase hex. The trace keeps hashing afterwards.
    std::string sha256Hex() const;

    static void appendJson(std::string& out, const Event& event);

private:
    Sha256 hash_;
    Sink sink_;
    Listener listener_;
    std::string line_;
    std::uint64_t lines_ = 0;
    std::uint64_t timelineEvents_ = 0;
};

} // namespace brokerlab::sim
