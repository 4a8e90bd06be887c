#pragma once
// The rebalances of every consumer group, rebuilt from the timeline events: the coordinator's group.* events and
// its members' consumer.* events, cut into one Rebalance per round (from the first join or revoke to
// group.rebalance_completed). Each step is tagged with its phase (join, revoke, sync, assign) and the group state
// it left the group in, so a view can replay a rebalance step by step. Plain C++ apart from the event type: the
// grouping rules are unit-tested without widgets.

#include "sim/trace.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace brokerlab::ui {

// Kafka's classic group states, in cluster::GroupState's order (the numbers of group.state_changed).
enum class GroupPhase { Join, Revoke, Sync, Assign };
inline constexpr int kGroupStateCount = 5; // Empty, PreparingRebalance, CompletingRebalance, Stable, Dead

struct RebalanceStep {
    std::int64_t timeUs = 0;
    GroupPhase phase = GroupPhase::Join;
    std::string kind; // the event's kind, e.g. "consumer.partitions_revoked"
    std::string who; // a member's client.id, or the coordinator ("broker 2")
    std::string message;
    int stateAfter = -1; // the group's state after this step (index as cluster::GroupState), -1 unknown
};

struct Rebalance {
    std::int64_t startUs = 0;
    std::int64_t endUs = -1; // -1: still running
    std::int32_t generation = -1; // the generation it produced
    std::int64_t durationMs = -1; // the coordinator's count, from the first join to Stable
    std::string reason;
    std::vector<RebalanceStep> steps;
    bool complete() const { return endUs >= 0; }
};

class RebalanceLog {
public:
    static constexpr std::size_t kRebalancesPerGroup = 200; // older ones are dropped
    static constexpr std::size_t kPendingEvents = 2000;

    // Which group a consumer (by client.id) belongs to: consumer events name only the client.
    void setMemberGroup(const std::string& clientId, const std::string& groupId);
    void add(const std::vector<sim::Event>& events);
    void clear();

    const std::deque<Rebalance>& rebalances(const std::string& groupId) const;
    std::vector<std::string> groups() const;

    static bool isGroupEvent(const std::string& kind);
    static GroupPhase phaseOf(const sim::Event& event);

private:
    void addForGroup(const std::string& groupId, const sim::Event& event);
    void addLate(const std::string& groupId, const sim::Event& event);

    std::map<std::string, std::string> memberGroups_;
    std::map<std::string, std::deque<Rebalance>> rebalances_;
    std::map<std::string, int> states_;
    std::deque<sim::Event> pending_; // consumer events of a client not mapped to a group yet
};

} // namespace brokerlab::ui
