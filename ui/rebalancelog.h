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
#include <set>
#include <string>
#include <string_view>
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
    // What the step did to the member's partitions (`who` is then a client.id): gave some up, got its new set, or
    // lost everything with its process. Read from the partition lists the member's own event carries as data.
    enum class Ownership { Unchanged, Removed, Replaced, Cleared };
    Ownership ownership = Ownership::Unchanged;
    std::vector<std::string> partitions; // "topic-partition", for Removed and Replaced
};

// Which partitions each member (client.id) reads: the assignment matrix at one moment.
using Ownership = std::map<std::string, std::set<std::string>>;

struct Rebalance {
    std::int64_t startUs = 0;
    std::int64_t endUs = -1; // -1: still running
    std::int32_t generation = -1; // the generation it produced
    std::int64_t durationMs = -1; // the coordinator's count, from the first join to Stable
    std::string reason;
    std::vector<RebalanceStep> steps;
    Ownership ownedBefore; // as the members' events left it when the round began
    bool complete() const { return endUs >= 0; }
    // The matrix after `step` (0-based; -1: before the first step, past the end: after the last).
    Ownership ownershipAfter(int step) const;
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
    // The event's named partition list (sim::Event::partitionLists) as "topic-partition"; empty if it has none.
    static std::vector<std::string> partitionsOf(const sim::Event& event, std::string_view list);

private:
    void addForGroup(const std::string& groupId, const sim::Event& event);
    void addLate(const std::string& groupId, const sim::Event& event);
    static RebalanceStep stepOf(const sim::Event& event, int stateAfter);

    std::map<std::string, std::string> memberGroups_;
    std::map<std::string, std::deque<Rebalance>> rebalances_;
    std::map<std::string, int> states_;
    std::map<std::string, Ownership> owned_; // per group, after every event seen so far
    std::deque<sim::Event> pending_; // consumer events of a client not mapped to a group yet
};

} // namespace brokerlab::ui
