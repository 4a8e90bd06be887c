#include "group/assignor.h"

#include <algorithm>
#include <array>
#include <set>

namespace brokerlab::group {

namespace {

// AbstractPartitionAssignor.MemberInfo.compareTo: static members before dynamic ones; static
// members by group.instance.id, dynamic ones by member id.
bool memberOrder(const MemberSubscription* left, const MemberSubscription* right)
{
    if (left->groupInstanceId && right->groupInstanceId) {
        if (*left->groupInstanceId != *right->groupInstanceId)
            return *left->groupInstanceId < *right->groupInstanceId;
        return left->memberId < right->memberId; // duplicate instance ids: keep the order total
    }
    if (left->groupInstanceId.has_value() != right->groupInstanceId.has_value())
        return left->groupInstanceId.has_value();
    return left->memberId < right->memberId;
}

bool subscribes(const MemberSubscription& member, const std::string& topic)
{
    return std::find(member.topics.begin(), member.topics.end(), topic) != member.topics.end();
}

// The members Kafka would see (first entry per member id), sorted as MemberInfo sorts, and an
// assignment holding an empty list for each. Sorting here also makes the result independent of
// the order the caller listed members in, as Kafka's map-based input is.
std::vector<const MemberSubscription*> sortedMembers(const std::vector<MemberSubscription>& members,
    Assignment& assignment)
{
    std::vector<const MemberSubscription*> sorted;
    sorted.reserve(members.size());
    for (const MemberSubscription& member : members) {
        if (assignment.try_emplace(member.memberId).second)
            sorted.push_back(&member);
    }
    std::sort(sorted.begin(), sorted.end(), memberOrder);
    return sorted;
}

constexpr std::array<std::pair<AssignorKind, std::string_view>, 4> kAssignorNames = { {
    { AssignorKind::Range, "range" },
    { AssignorKind::RoundRobin, "roundrobin" },
    { AssignorKind::Sticky, "sticky" },
    { AssignorKind::CooperativeSticky, "cooperative-sticky" },
} };

} // namespace

std::string toString(const TopicPartition& topicPartition)
{
    return topicPartition.topic + '-' + std::to_string(topicPartition.partition);
}

Assignment assignRange(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic)
{
    Assignment assignment;
    const std::vector<const MemberSubscription*> sorted = sortedMembers(members, assignment);

    // Topics in name order: each member's list then comes out sorted without a final sort.
    std::set<std::string> topics;
    for (const MemberSubscription* member : sorted)
        topics.insert(member->topics.begin(), member->topics.end());

    std::vector<const MemberSubscription*> consumers;
    for (const std::string& topic : topics) {
        const auto found = partitionsPerTopic.find(topic);
        if (found == partitionsPerTopic.end() || found->second <= 0)
            continue;
        const std::int32_t numPartitions = found->second;

        consumers.clear();
        for (const MemberSubscription* member : sorted) {
            if (subscribes(*member, topic))
                consumers.push_back(member);
        }
        // Ranges are contiguous; the first numPartitions % consumers members take one extra, which
        // is why range favours members that sort first when topics do not divide evenly.
        const auto consumerCount = static_cast<std::int32_t>(consumers.size());
        const std::int32_t perConsumer = numPartitions / consumerCount;
        const std::int32_t withExtra = numPartitions % consumerCount;
        for (std::int32_t i = 0; i < consumerCount; ++i) {
            const std::int32_t start = perConsumer * i + std::min(i, withExtra);
            const std::int32_t length = perConsumer + (i < withExtra ? 1 : 0);
            std::vector<TopicPartition>& owned = assignment[consumers[static_cast<std::size_t>(i)]->memberId];
            for (std::int32_t partition = start; partition < start + length; ++partition)
                owned.push_back(TopicPartition { topic, partition });
        }
    }
    return assignment;
}

Assignment assignRoundRobin(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic)
{
    Assignment assignment;
    const std::vector<const MemberSubscription*> sorted = sortedMembers(members, assignment);
    if (sorted.empty())
        return assignment;

    std::set<std::string> topics;
    for (const MemberSubscription* member : sorted)
        topics.insert(member->topics.begin(), member->topics.end());

    // One cursor over the sorted members for all partitions of all topics (Kafka's
    // CircularIterator): it does not restart per topic, which is what spreads topics evenly
    // when everyone subscribes to the same ones.
    std::size_t cursor = 0;
    for (const std::string& topic : topics) {
        const auto found = partitionsPerTopic.find(topic);
        if (found == partitionsPerTopic.end() || found->second <= 0)
            continue;
        for (std::int32_t partition = 0; partition < found->second; ++partition) {
            // Somebody subscribes to every topic in the set, so this stops within one lap.
            while (!subscribes(*sorted[cursor], topic))
                cursor = (cursor + 1) % sorted.size();
            assignment[sorted[cursor]->memberId].push_back(TopicPartition { topic, partition });
            cursor = (cursor + 1) % sorted.size();
        }
    }
    return assignment;
}

std::string_view assignorName(AssignorKind kind)
{
    for (const auto& [candidate, name] : kAssignorNames) {
        if (candidate == kind)
            return name;
    }
    return {};
}

std::optional<AssignorKind> assignorFromName(std::string_view name)
{
    for (const auto& [kind, candidate] : kAssignorNames) {
        if (candidate == name)
            return kind;
    }
    return std::nullopt;
}

std::vector<RebalanceProtocol> supportedProtocols(AssignorKind kind)
{
    if (kind == AssignorKind::CooperativeSticky)
        return { RebalanceProtocol::Eager, RebalanceProtocol::Cooperative };
    return { RebalanceProtocol::Eager };
}

bool isSupported(AssignorKind kind)
{
    return !assignorName(kind).empty();
}

AssignResult assign(AssignorKind kind, const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic)
{
    switch (kind) {
    case AssignorKind::Range:
        return { assignRange(members, partitionsPerTopic), {} };
    case AssignorKind::RoundRobin:
        return { assignRoundRobin(members, partitionsPerTopic), {} };
    case AssignorKind::Sticky:
        return { assignSticky(members, partitionsPerTopic), {} };
    case AssignorKind::CooperativeSticky:
        return { assignCooperativeSticky(members, partitionsPerTopic), {} };
    }
    return { {}, "unknown assignor kind " + std::to_string(static_cast<int>(kind)) };
}

} // namespace brokerlab::group
