#include "rebalancelog.h"

#include <algorithm>
#include <iterator>

namespace brokerlab::ui {

namespace {
constexpr int kPreparingRebalance = 1;
constexpr int kCompletingRebalance = 2;

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Steps that begin a round when none is open: a member joins, leaves, fails or gives partitions up.
bool opensRound(const std::string& kind)
{
    return kind == "group.rebalance_started" || kind == "group.member_joined" || kind == "group.member_left"
        || kind == "group.member_removed" || kind == "consumer.rebalance_started"
        || kind == "consumer.partitions_revoked" || kind == "consumer.partitions_lost";
}
void applyStep(Ownership& owned, const RebalanceStep& step)
{
    switch (step.ownership) {
    case RebalanceStep::Ownership::Unchanged:
        return;
    case RebalanceStep::Ownership::Removed:
        for (const std::string& partition : step.partitions)
            owned[step.who].erase(partition);
        return;
    case RebalanceStep::Ownership::Replaced:
        owned[step.who] = std::set<std::string>(step.partitions.begin(), step.partitions.end());
        return;
    case RebalanceStep::Ownership::Cleared:
        owned[step.who].clear();
        return;
    }
}
} // namespace

Ownership Rebalance::ownershipAfter(int step) const
{
    Ownership owned = ownedBefore;
    for (int i = 0; i <= step && i < static_cast<int>(steps.size()); ++i)
        applyStep(owned, steps[static_cast<std::size_t>(i)]);
    return owned;
}

std::vector<std::string> RebalanceLog::partitionsOf(const sim::Event& event, std::string_view list)
{
    std::vector<std::string> partitions;
    if (const std::vector<sim::EventPartition>* entries = event.partitions(list)) {
        partitions.reserve(entries->size());
        for (const sim::EventPartition& entry : *entries)
            partitions.push_back(entry.topic + '-' + std::to_string(entry.partition));
    }
    return partitions;
}

RebalanceStep RebalanceLog::stepOf(const sim::Event& event, int stateAfter)
{
    RebalanceStep step;
    step.timeUs = event.time;
    step.phase = phaseOf(event);
    step.kind = event.kind;
    step.who = startsWith(event.kind, "group.") ? "broker " + std::to_string(event.broker) : event.client;
    step.message = event.message;
    step.stateAfter = stateAfter;
    if (event.kind == "consumer.partitions_revoked" || event.kind == "consumer.partitions_lost") {
        step.ownership = RebalanceStep::Ownership::Removed;
        step.partitions = partitionsOf(event, "partitions");
    } else if (event.kind == "consumer.assignment_received") {
        step.ownership = RebalanceStep::Ownership::Replaced; // the whole new set, not only what was added
        step.partitions = partitionsOf(event, "assigned");
    } else if (event.kind == "consumer.crashed") {
        step.ownership = RebalanceStep::Ownership::Cleared;
    }
    return step;
}

bool RebalanceLog::isGroupEvent(const std::string& kind)
{
    if (startsWith(kind, "group."))
        return kind != "group.loaded" && kind != "group.unloaded" && kind != "group.partition_loaded"
            && kind != "group.offsets_topic_unavailable";
    return kind == "consumer.rebalance_started" || kind == "consumer.partitions_revoked"
        || kind == "consumer.partitions_lost" || kind == "consumer.assignment_computed"
        || kind == "consumer.assignment_received" || kind == "consumer.crashed";
}

GroupPhase RebalanceLog::phaseOf(const sim::Event& event)
{
    const std::string& kind = event.kind;
    if (kind == "consumer.partitions_revoked" || kind == "consumer.partitions_lost")
        return GroupPhase::Revoke;
    if (kind == "group.generation_started" || kind == "consumer.assignment_computed")
        return GroupPhase::Sync;
    if (kind == "consumer.assignment_received" || kind == "group.rebalance_completed"
        || kind == "group.member_reconciled")
        return GroupPhase::Assign;
    if (kind == "group.state_changed") {
        const std::int64_t to = event.number("to");
        if (to == kPreparingRebalance)
            return GroupPhase::Join;
        return to == kCompletingRebalance ? GroupPhase::Sync : GroupPhase::Assign;
    }
    return GroupPhase::Join;
}

void RebalanceLog::setMemberGroup(const std::string& clientId, const std::string& groupId)
{
    if (groupId.empty() || memberGroups_[clientId] == groupId)
        return;
    memberGroups_[clientId] = groupId;
    // Events that arrived before the snapshot named this consumer's group.
    std::deque<sim::Event> waiting;
    waiting.swap(pending_);
    for (auto& event : waiting) {
        if (event.client == clientId)
            addLate(groupId, event);
        else
            pending_.push_back(std::move(event));
    }
}

void RebalanceLog::add(const std::vector<sim::Event>& events)
{
    for (const sim::Event& event : events) {
        if (!isGroupEvent(event.kind))
            continue;
        if (startsWith(event.kind, "group.")) {
            addForGroup(event.client, event); // the coordinator names the group in `client`
            continue;
        }
        auto it = memberGroups_.find(event.client);
        if (it != memberGroups_.end()) {
            addForGroup(it->second, event);
        } else {
            pending_.push_back(event);
            if (pending_.size() > kPendingEvents)
                pending_.pop_front();
        }
    }
}

void RebalanceLog::addForGroup(const std::string& groupId, const sim::Event& event)
{
    std::deque<Rebalance>& rounds = rebalances_[groupId];
    int& state = states_.try_emplace(groupId, 0).first->second;
    if (event.kind == "group.state_changed")
        state = static_cast<int>(event.number("to", state));
    const bool open = !rounds.empty() && !rounds.back().complete();
    if (!open) {
        if (!opensRound(event.kind) && rounds.empty()) {
            applyStep(owned_[groupId], stepOf(event, state)); // the tail of a round that started before we listened
            return;
        }
        if (opensRound(event.kind)) {
            Rebalance round;
            round.startUs = event.time;
            round.ownedBefore = owned_[groupId];
            rounds.push_back(std::move(round));
            if (rounds.size() > kRebalancesPerGroup)
                rounds.pop_front();
        }
    }
    Rebalance& round = rounds.back();
    RebalanceStep step = stepOf(event, state);
    applyStep(owned_[groupId], step);
    round.steps.push_back(std::move(step));
    if (event.kind == "group.rebalance_started" && round.reason.empty()) {
        const auto colon = event.message.find(": ");
        round.reason = colon == std::string::npos ? event.message : event.message.substr(colon + 2);
    }
    if (event.kind == "group.generation_started")
        round.generation = static_cast<std::int32_t>(event.number("generation"));
    if (event.kind == "group.rebalance_completed") {
        round.endUs = event.time;
        round.durationMs = event.number("duration_ms");
        round.generation = static_cast<std::int32_t>(event.number("generation"));
    }
}

void RebalanceLog::addLate(const std::string& groupId, const sim::Event& event)
{
    // Later events of the group may already be in: put the step into the round it happened in, in time order,
    // instead of letting it open a round of its own after them.
    std::deque<Rebalance>& rounds = rebalances_[groupId];
    auto round = rounds.end();
    for (auto it = rounds.begin(); it != rounds.end(); ++it)
        if (it->startUs <= event.time)
            round = it;
    if (round == rounds.end()) {
        if (rounds.empty() || !opensRound(event.kind)) {
            addForGroup(groupId, event);
            return;
        }
        round = rounds.begin(); // it started the first round we know of
        round->startUs = event.time;
    }
    if (round->complete() && event.time > round->endUs && std::next(round) == rounds.end() && opensRound(event.kind)) {
        addForGroup(groupId, event); // after everything we have: a new round after all
        return;
    }
    auto at = std::upper_bound(round->steps.begin(), round->steps.end(), event.time,
        [](std::int64_t time, const RebalanceStep& other) { return time < other.timeUs; });
    RebalanceStep step = stepOf(event, at == round->steps.begin() ? -1 : std::prev(at)->stateAfter);
    // Late, but if nothing newer of this member is in, it is what the member owns now.
    bool newest = std::none_of(at, round->steps.end(), [&step](const RebalanceStep& s) { return s.who == step.who; });
    for (auto later = std::next(round); newest && later != rounds.end(); ++later)
        newest = std::none_of(later->steps.begin(), later->steps.end(),
            [&step](const RebalanceStep& s) { return s.who == step.who; });
    if (newest)
        applyStep(owned_[groupId], step);
    round->steps.insert(at, std::move(step));
}

void RebalanceLog::clear()
{
    memberGroups_.clear();
    rebalances_.clear();
    states_.clear();
    owned_.clear();
    pending_.clear();
}

const std::deque<Rebalance>& RebalanceLog::rebalances(const std::string& groupId) const
{
    static const std::deque<Rebalance> none;
    auto it = rebalances_.find(groupId);
    return it == rebalances_.end() ? none : it->second;
}

std::vector<std::string> RebalanceLog::groups() const
{
    std::vector<std::string> ids;
    for (const auto& [id, rounds] : rebalances_)
        ids.push_back(id);
    return ids;
}

} // namespace brokerlab::ui
