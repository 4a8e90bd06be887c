// Kafka's sticky assignors (AbstractStickyAssignor as of 3.x, StickyAssignor and
// CooperativeStickyAssignor). Two algorithms, as in Kafka: a quota-based one when every member
// subscribes to the same topics ("constrained"), and the general balancing one otherwise.
//
// Internally members and partitions are dense indices: members in member-id order, partitions in
// (topic name, partition) order. Every tie is broken by those orders, so the result depends only
// on the input, never on hashing or on the order the caller listed members in.

#include "group/assignor.h"

#include <algorithm>
#include <array>
#include <deque>
#include <list>
#include <set>

namespace brokerlab::group {

namespace {

constexpr int kNobody = -1;

struct Problem {
    std::vector<const MemberSubscription*> members; // unique member ids, sorted
    std::vector<std::string> topics; // subscribed by somebody and with metadata, sorted
    std::vector<std::int32_t> firstPartition; // per topic: index of its partition 0
    std::vector<std::int32_t> partitionCount; // per topic
    std::vector<int> topicOf; // per partition index
    std::vector<std::vector<char>> subscribes; // [member][topic]
    std::vector<std::vector<int>> memberTopics; // topics each member subscribes to (with metadata)
    std::vector<std::vector<int>> topicMembers; // members subscribing to each topic, in member order
    bool allSubscriptionsEqual = true;

    // Ownership as the subscriptions claim it, resolved by generation.
    std::vector<int> owner; // partition -> member whose claim stands, or kNobody
    std::vector<char> contested; // two claims of the newest generation: neither stands
    std::vector<int> previousOwner; // claimer of the next-older generation (the general algorithm's prevAssignment)
    std::vector<std::vector<int>> owned; // member -> partitions it keeps claim to, in its own order

    int partitionIndex(int topic, std::int32_t partition) const { return firstPartition[topic] + partition; }
    TopicPartition topicPartition(int index) const
    {
        const int topic = topicOf[static_cast<std::size_t>(index)];
        return TopicPartition { topics[static_cast<std::size_t>(topic)], index - firstPartition[topic] };
    }
    std::size_t partitionTotal() const { return topicOf.size(); }
};

Problem buildProblem(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic)
{
    Problem problem;
    std::set<std::string> seenIds;
    for (const MemberSubscription& member : members) {
        if (seenIds.insert(member.memberId).second)
            problem.members.push_back(&member);
    }
    std::sort(problem.members.begin(), problem.members.end(),
        [](const MemberSubscription* left, const MemberSubscription* right) { return left->memberId < right->memberId; });

    std::set<std::string> subscribed;
    std::optional<std::set<std::string>> firstTopics;
    for (const MemberSubscription* member : problem.members) {
        std::set<std::string> mine(member->topics.begin(), member->topics.end());
        if (!firstTopics)
            firstTopics = mine;
        else if (*firstTopics != mine)
            problem.allSubscriptionsEqual = false;
        subscribed.insert(mine.begin(), mine.end());
    }

    std::map<std::string, int> topicIndex;
    for (const std::string& topic : subscribed) {
        const auto found = partitionsPerTopic.find(topic);
        if (found == partitionsPerTopic.end() || found->second < 0)
            continue;
        topicIndex[topic] = static_cast<int>(problem.topics.size());
        problem.firstPartition.push_back(static_cast<std::int32_t>(problem.topicOf.size()));
        problem.partitionCount.push_back(found->second);
        for (std::int32_t p = 0; p < found->second; ++p)
            problem.topicOf.push_back(static_cast<int>(problem.topics.size()));
        problem.topics.push_back(topic);
    }

    const std::size_t memberCount = problem.members.size();
    problem.subscribes.assign(memberCount, std::vector<char>(problem.topics.size(), 0));
    problem.memberTopics.resize(memberCount);
    problem.topicMembers.resize(problem.topics.size());
    for (std::size_t m = 0; m < memberCount; ++m) {
        for (const std::string& topic : std::set<std::string>(
                 problem.members[m]->topics.begin(), problem.members[m]->topics.end())) {
            const auto found = topicIndex.find(topic);
            if (found == topicIndex.end())
                continue;
            problem.subscribes[m][static_cast<std::size_t>(found->second)] = 1;
            problem.memberTopics[m].push_back(found->second);
            problem.topicMembers[static_cast<std::size_t>(found->second)].push_back(static_cast<int>(m));
        }
    }

    // Resolve claims: the newest generation wins; a tie in the newest generation leaves the
    // partition unowned (Kafka logs it and lets nobody keep it). Claims to partitions that no
    // longer exist are dropped.
    const std::size_t total = problem.partitionTotal();
    problem.owner.assign(total, kNobody);
    problem.contested.assign(total, 0);
    problem.previousOwner.assign(total, kNobody);
    std::vector<std::int32_t> ownerGeneration(total, 0);
    std::vector<std::int32_t> previousGeneration(total, 0);
    std::vector<char> claimed(total, 0);
    for (std::size_t m = 0; m < memberCount; ++m) {
        const std::int32_t generation = problem.members[m]->generation;
        std::set<int> mine; // a member listing a partition twice claims it once
        for (const TopicPartition& partition : problem.members[m]->ownedPartitions) {
            const auto found = topicIndex.find(partition.topic);
            if (found == topicIndex.end() || partition.partition < 0
                || partition.partition >= problem.partitionCount[static_cast<std::size_t>(found->second)])
                continue;
            const int index = problem.partitionIndex(found->second, partition.partition);
            if (!mine.insert(index).second)
                continue;
            const auto i = static_cast<std::size_t>(index);
            const int member = static_cast<int>(m);
            if (!claimed[i]) {
                claimed[i] = 1;
                problem.owner[i] = member;
                ownerGeneration[i] = generation;
            } else if (generation > ownerGeneration[i]) {
                problem.previousOwner[i] = problem.owner[i];
                previousGeneration[i] = ownerGeneration[i];
                problem.owner[i] = member;
                ownerGeneration[i] = generation;
                problem.contested[i] = 0;
            } else if (generation == ownerGeneration[i]) {
                problem.contested[i] = 1;
            } else if (problem.previousOwner[i] == kNobody || generation > previousGeneration[i]) {
                problem.previousOwner[i] = member;
                previousGeneration[i] = generation;
            }
        }
    }
    problem.owned.resize(memberCount);
    for (std::size_t i = 0; i < total; ++i) {
        if (problem.contested[i])
            problem.owner[i] = kNobody;
    }
    for (std::size_t m = 0; m < memberCount; ++m) {
        std::set<int> mine;
        for (const TopicPartition& partition : problem.members[m]->ownedPartitions) {
            const auto found = topicIndex.find(partition.topic);
            if (found == topicIndex.end() || partition.partition < 0
                || partition.partition >= problem.partitionCount[static_cast<std::size_t>(found->second)])
                continue;
            const int index = problem.partitionIndex(found->second, partition.partition);
            if (problem.owner[static_cast<std::size_t>(index)] == static_cast<int>(m) && mine.insert(index).second)
                problem.owned[m].push_back(index);
        }
    }
    return problem;
}

using IndexAssignment = std::vector<std::vector<int>>; // member -> partition indices

// AbstractStickyAssignor.constrainedAssign: every member gets minQuota or maxQuota (= minQuota + 1)
// partitions, and exactly total % members of them get maxQuota. Members first keep what they own up
// to their quota; the rest is dealt round-robin to members still below quota.
IndexAssignment constrainedAssign(const Problem& problem)
{
    const std::size_t memberCount = problem.members.size();
    const std::size_t total = problem.partitionTotal();
    const std::size_t minQuota = total / memberCount;
    const std::size_t maxQuota = (total + memberCount - 1) / memberCount;
    const std::size_t expectedOverMin = total % memberCount;
    std::size_t currentOverMin = 0;

    IndexAssignment assignment(memberCount);
    std::vector<char> assigned(total, 0);
    std::list<int> underMin;
    std::deque<int> exactlyMin; // may still take one more, while maxQuota slots remain

    for (std::size_t m = 0; m < memberCount; ++m) {
        const std::vector<int>& owned = problem.owned[m];
        std::size_t keep = 0;
        if (owned.size() < minQuota) {
            keep = owned.size();
            underMin.push_back(static_cast<int>(m));
        } else if (owned.size() >= maxQuota && currentOverMin < expectedOverMin) {
            keep = maxQuota;
            if (++currentOverMin == expectedOverMin)
                exactlyMin.clear();
        } else {
            keep = minQuota;
            if (currentOverMin < expectedOverMin)
                exactlyMin.push_back(static_cast<int>(m));
        }
        for (std::size_t i = 0; i < keep; ++i) {
            assignment[m].push_back(owned[i]);
            assigned[static_cast<std::size_t>(owned[i])] = 1;
        }
    }

    auto cursor = underMin.begin();
    for (std::size_t partition = 0; partition < total; ++partition) {
        if (assigned[partition])
            continue;
        int member = kNobody;
        if (cursor != underMin.end()) {
            member = *cursor;
        } else if (!underMin.empty()) {
            cursor = underMin.begin();
            member = *cursor;
        } else if (!exactlyMin.empty()) {
            member = exactlyMin.front();
            exactlyMin.pop_front();
        } else {
            // The quotas add up to the total, so this cannot happen; should it ever, the
            // partition goes to the least loaded member rather than being lost.
            member = 0;
            for (std::size_t m = 1; m < memberCount; ++m) {
                if (assignment[m].size() < assignment[static_cast<std::size_t>(member)].size())
                    member = static_cast<int>(m);
            }
        }
        std::vector<int>& mine = assignment[static_cast<std::size_t>(member)];
        mine.push_back(static_cast<int>(partition));
        assigned[partition] = 1;
        if (cursor != underMin.end() && *cursor == member) {
            if (mine.size() == minQuota) {
                cursor = underMin.erase(cursor);
                if (currentOverMin < expectedOverMin)
                    exactlyMin.push_back(member);
            } else {
                ++cursor;
            }
        } else if (mine.size() == maxQuota && maxQuota > minQuota) {
            ++currentOverMin;
        }
    }
    return assignment;
}

// Tracks moves made while balancing (Kafka's PartitionMovements), so that when a member must give
// a partition of some topic back to a member it took one from, the same partition goes back
// instead of a second one moving.
class PartitionMovements {
public:
    // The partition to move from currentOwner to newOwner in place of `partition`: one this
    // rebalance already moved the other way, if there is one.
    int actualPartitionToMove(int partition, int topic, int currentOwner, int newOwner) const
    {
        const auto found = byTopic_.find({ topic, newOwner, currentOwner });
        if (found == byTopic_.end() || found->second.empty())
            return partition;
        return *found->second.begin();
    }
    void move(int partition, int topic, int from, int to)
    {
        const auto existing = moves_.find(partition);
        if (existing == moves_.end()) {
            add(partition, topic, from, to);
            return;
        }
        const int source = existing->second.first;
        remove(partition, topic);
        if (source != to)
            add(partition, topic, source, to);
    }

private:
    void add(int partition, int topic, int from, int to)
    {
        moves_[partition] = { from, to };
        byTopic_[{ topic, from, to }].insert(partition);
    }
    void remove(int partition, int topic)
    {
        const auto [from, to] = moves_.at(partition);
        moves_.erase(partition);
        const auto key = std::array<int, 3> { topic, from, to };
        auto found = byTopic_.find(key);
        found->second.erase(partition);
        if (found->second.empty())
            byTopic_.erase(found);
    }

    std::map<int, std::pair<int, int>> moves_; // partition -> (original member, current member)
    std::map<std::array<int, 3>, std::set<int>> byTopic_; // (topic, from, to) -> partitions
};

// AbstractStickyAssignor.generalAssign and balance(), for members whose subscriptions differ.
class GeneralAssignor {
public:
    explicit GeneralAssignor(const Problem& problem)
        : problem_(problem)
        , assignment_(problem.members.size())
        , participating_(problem.members.size(), 1)
        , partitionOwner_(problem.partitionTotal(), kNobody)
    {
    }

    IndexAssignment run()
    {
        const Problem& problem = problem_;
        const std::size_t total = problem.partitionTotal();

        // Keep every resolved claim whose member still subscribes to the topic; a claim on a topic
        // the member dropped must be revoked, which rules out the gentler first balancing pass.
        bool revocationRequired = false;
        for (std::size_t m = 0; m < problem.members.size(); ++m) {
            for (const int partition : problem.owned[m]) {
                if (problem.subscribes[m][static_cast<std::size_t>(problem.topicOf[static_cast<std::size_t>(partition)])]) {
                    assignment_[m].push_back(partition);
                    partitionOwner_[static_cast<std::size_t>(partition)] = static_cast<int>(m);
                } else {
                    revocationRequired = true;
                }
            }
        }

        // Partitions of the topics with the fewest potential members come first: they have the
        // least choice.
        std::vector<int> topicOrder(problem.topics.size());
        for (std::size_t t = 0; t < topicOrder.size(); ++t)
            topicOrder[t] = static_cast<int>(t);
        std::stable_sort(topicOrder.begin(), topicOrder.end(), [&problem](int left, int right) {
            return problem.topicMembers[static_cast<std::size_t>(left)].size()
                < problem.topicMembers[static_cast<std::size_t>(right)].size();
        });
        std::vector<int> sortedPartitions;
        sortedPartitions.reserve(total);
        for (const int topic : topicOrder) {
            for (std::int32_t p = 0; p < problem.partitionCount[static_cast<std::size_t>(topic)]; ++p)
                sortedPartitions.push_back(problem.partitionIndex(topic, p));
        }
        std::vector<int> unassigned;
        for (const int partition : sortedPartitions) {
            if (partitionOwner_[static_cast<std::size_t>(partition)] == kNobody)
                unassigned.push_back(partition);
        }

        for (std::size_t m = 0; m < problem.members.size(); ++m)
            bySize_.insert({ assignment_[m].size(), static_cast<int>(m) });
        const bool initializing = bySize_.empty() || bySize_.rbegin()->first == 0;

        for (const int partition : unassigned)
            assignToLeastLoaded(partition);

        // Topics with a single potential member cannot move, nor can a member that has every
        // partition it could have, all of them from such topics.
        auto movable = [&problem](int partition) {
            return problem.topicMembers[static_cast<std::size_t>(problem.topicOf[static_cast<std::size_t>(partition)])]
                       .size()
                >= 2;
        };
        std::erase_if(sortedPartitions, [&movable](int partition) { return !movable(partition); });
        std::erase_if(unassigned, [&movable](int partition) { return !movable(partition); });
        for (std::size_t m = 0; m < problem.members.size(); ++m) {
            const bool canMove = assignment_[m].size() < maxAssignmentSize(m)
                || std::any_of(assignment_[m].begin(), assignment_[m].end(), movable);
            if (!canMove) {
                participating_[m] = 0;
                bySize_.erase({ assignment_[m].size(), static_cast<int>(m) });
            }
        }

        const IndexAssignment preBalance = assignment_;
        const std::vector<int> preBalanceOwners = partitionOwner_;
        if (!revocationRequired)
            performReassignments(unassigned);
        const bool reassigned = performReassignments(sortedPartitions);
        // Moves that did not make the assignment more balanced only cost stickiness: undo them.
        if (!initializing && reassigned && balanceScore(assignment_) >= balanceScore(preBalance)) {
            assignment_ = preBalance;
            partitionOwner_ = preBalanceOwners;
        }
        return assignment_;
    }

private:
    std::size_t maxAssignmentSize(std::size_t member) const
    {
        std::size_t size = 0;
        for (const int topic : problem_.memberTopics[member])
            size += static_cast<std::size_t>(problem_.partitionCount[static_cast<std::size_t>(topic)]);
        return size;
    }

    void place(int partition, int from, int to)
    {
        if (from != kNobody) {
            std::vector<int>& old = assignment_[static_cast<std::size_t>(from)];
            bySize_.erase({ old.size(), from });
            old.erase(std::find(old.begin(), old.end(), partition));
            bySize_.insert({ old.size(), from });
        }
        std::vector<int>& mine = assignment_[static_cast<std::size_t>(to)];
        bySize_.erase({ mine.size(), to });
        mine.push_back(partition);
        bySize_.insert({ mine.size(), to });
        partitionOwner_[static_cast<std::size_t>(partition)] = to;
    }

    int leastLoadedSubscriber(int topic) const
    {
        for (const auto& [size, member] : bySize_) {
            if (problem_.subscribes[static_cast<std::size_t>(member)][static_cast<std::size_t>(topic)])
                return member;
        }
        return kNobody;
    }

    void assignToLeastLoaded(int partition)
    {
        const int member = leastLoadedSubscriber(problem_.topicOf[static_cast<std::size_t>(partition)]);
        if (member != kNobody)
            place(partition, kNobody, member);
    }

    void reassign(int partition, int newOwner)
    {
        const int topic = problem_.topicOf[static_cast<std::size_t>(partition)];
        const int currentOwner = partitionOwner_[static_cast<std::size_t>(partition)];
        const int actual = movements_.actualPartitionToMove(partition, topic, currentOwner, newOwner);
        movements_.move(actual, topic, currentOwner, newOwner);
        place(actual, currentOwner, newOwner);
    }

    std::size_t sizeOf(int member) const { return assignment_[static_cast<std::size_t>(member)].size(); }

    // Balanced when sizes differ by at most one, or when no member below its maximum could take a
    // partition from a member holding more than it does.
    bool isBalanced() const
    {
        if (bySize_.empty() || bySize_.begin()->first + 1 >= bySize_.rbegin()->first)
            return true;
        std::vector<std::size_t> largestHolder(problem_.topics.size(), 0);
        for (std::size_t partition = 0; partition < partitionOwner_.size(); ++partition) {
            const int holder = partitionOwner_[partition];
            if (holder == kNobody || !participating_[static_cast<std::size_t>(holder)])
                continue;
            std::size_t& largest = largestHolder[static_cast<std::size_t>(problem_.topicOf[partition])];
            largest = std::max(largest, sizeOf(holder));
        }
        for (const auto& [size, member] : bySize_) {
            if (size == maxAssignmentSize(static_cast<std::size_t>(member)))
                continue;
            for (const int topic : problem_.memberTopics[static_cast<std::size_t>(member)]) {
                if (largestHolder[static_cast<std::size_t>(topic)] > size)
                    return false;
            }
        }
        return true;
    }

    bool performReassignments(const std::vector<int>& partitions)
    {
        bool performed = false;
        // Kafka loops until a pass moves nothing; the cap only guards against a cycle, which the
        // size conditions below rule out in practice.
        std::size_t budget = 16 * (partitions.size() + 16);
        bool modified = true;
        while (modified && budget > 0) {
            modified = false;
            for (const int partition : partitions) {
                if (budget == 0 || isBalanced())
                    break;
                const int holder = partitionOwner_[static_cast<std::size_t>(partition)];
                if (holder == kNobody || !participating_[static_cast<std::size_t>(holder)])
                    continue;
                const int topic = problem_.topicOf[static_cast<std::size_t>(partition)];
                // Prefer giving it back to the member that held it the generation before.
                const int previous = problem_.previousOwner[static_cast<std::size_t>(partition)];
                if (previous != kNobody && previous != holder && participating_[static_cast<std::size_t>(previous)]
                    && problem_.subscribes[static_cast<std::size_t>(previous)][static_cast<std::size_t>(topic)]
                    && sizeOf(holder) > sizeOf(previous) + 1) {
                    reassign(partition, previous);
                    performed = modified = true;
                    --budget;
                    continue;
                }
                for (const int other : problem_.topicMembers[static_cast<std::size_t>(topic)]) {
                    if (participating_[static_cast<std::size_t>(other)] && sizeOf(holder) > sizeOf(other) + 1) {
                        reassign(partition, leastLoadedSubscriber(topic));
                        performed = modified = true;
                        --budget;
                        break;
                    }
                }
            }
        }
        return performed;
    }

    // Sum of |size(a) - size(b)| over all pairs of participating members: lower is more balanced.
    std::int64_t balanceScore(const IndexAssignment& assignment) const
    {
        std::vector<std::int64_t> sizes;
        for (std::size_t m = 0; m < assignment.size(); ++m) {
            if (participating_[m])
                sizes.push_back(static_cast<std::int64_t>(assignment[m].size()));
        }
        std::sort(sizes.begin(), sizes.end());
        std::int64_t score = 0;
        const auto count = static_cast<std::int64_t>(sizes.size());
        for (std::int64_t i = 0; i < count; ++i)
            score += sizes[static_cast<std::size_t>(i)] * (2 * i - count + 1);
        return score;
    }

    const Problem& problem_;
    IndexAssignment assignment_;
    std::vector<char> participating_;
    std::vector<int> partitionOwner_;
    std::set<std::pair<std::size_t, int>> bySize_; // participating members by (size, member id)
    PartitionMovements movements_;
};

IndexAssignment stickyIndexAssignment(const Problem& problem)
{
    if (problem.members.empty())
        return {};
    if (problem.allSubscriptionsEqual)
        return constrainedAssign(problem);
    return GeneralAssignor(problem).run();
}

Assignment toAssignment(const Problem& problem, const IndexAssignment& indices)
{
    Assignment assignment;
    for (std::size_t m = 0; m < problem.members.size(); ++m) {
        std::vector<int> sorted = indices[m];
        std::sort(sorted.begin(), sorted.end()); // index order is (topic, partition) order
        std::vector<TopicPartition>& partitions = assignment[problem.members[m]->memberId];
        partitions.reserve(sorted.size());
        for (const int index : sorted)
            partitions.push_back(problem.topicPartition(index));
    }
    return assignment;
}

} // namespace

Assignment assignSticky(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic)
{
    const Problem problem = buildProblem(members, partitionsPerTopic);
    return toAssignment(problem, stickyIndexAssignment(problem));
}

Assignment assignCooperativeSticky(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic)
{
    const Problem problem = buildProblem(members, partitionsPerTopic);
    IndexAssignment indices = stickyIndexAssignment(problem);
    // A partition someone else still owns, or whose ownership is contested, is withheld: giving it
    // out now would let two members consume it at once. Its owner sees it missing from its own
    // assignment, revokes it, and rejoins; the next rebalance finds it unowned and assigns it.
    for (std::size_t m = 0; m < indices.size(); ++m) {
        std::erase_if(indices[m], [&problem, m](int partition) {
            const auto i = static_cast<std::size_t>(partition);
            return problem.contested[i] || (problem.owner[i] != kNobody && problem.owner[i] != static_cast<int>(m));
        });
    }
    return toAssignment(problem, indices);
}

std::vector<TopicPartition> revokedPartitions(const std::vector<TopicPartition>& owned,
    const std::vector<TopicPartition>& assigned)
{
    std::vector<TopicPartition> mine = owned;
    std::vector<TopicPartition> kept = assigned;
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    std::sort(kept.begin(), kept.end());
    std::vector<TopicPartition> revoked;
    std::set_difference(mine.begin(), mine.end(), kept.begin(), kept.end(), std::back_inserter(revoked));
    return revoked;
}

} // namespace brokerlab::group
