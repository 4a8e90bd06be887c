#pragma once
// Kafka's classic client-side partition assignors (partition.assignment.strategy), as pure
// functions: the group leader runs them in the classic protocol, the coordinator in KIP-848.

// No direct #include <compare>: Qt 6.4's moc follows it into <concepts> and fails to parse, which
// breaks any test that includes this header. <string> is required to include <compare> anyway.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::group {

struct TopicPartition {
    std::string topic;
    std::int32_t partition = 0;
    auto operator<=>(const TopicPartition&) const = default;
    bool operator==(const TopicPartition&) const = default;
};
// Kafka's TopicPartition.toString(): "topic-partition".
std::string toString(const TopicPartition& topicPartition);

// One member's entry of the group subscription (ConsumerPartitionAssignor.Subscription plus its
// member id). ownedPartitions and generation feed the sticky assignors; range and roundrobin
// ignore them.
struct MemberSubscription {
    std::string memberId;
    std::optional<std::string> groupInstanceId; // static membership (KIP-345)
    std::vector<std::string> topics;
    std::vector<TopicPartition> ownedPartitions;
    std::int32_t generation = -1; // AbstractStickyAssignor.DEFAULT_GENERATION
};

// memberId -> its partitions, sorted by (topic, partition). Every member of the subscription has
// an entry, possibly empty, as in Kafka.
using Assignment = std::map<std::string /*memberId*/, std::vector<TopicPartition>>;

// partitionsPerTopic: partition counts from metadata. Subscribed topics missing from it (or with
// no partitions) are skipped, as AbstractPartitionAssignor skips topics without metadata.
// Member ids must be unique; a repeated member id keeps its first entry.
//
// Members are ordered as Kafka's MemberInfo orders them: static members (group.instance.id)
// first, by instance id, then dynamic members by member id. Strings compare bytewise, which
// matches Java's String.compareTo for ASCII ids (the only kind Kafka generates).
Assignment assignRange(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic);
Assignment assignRoundRobin(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic);

// Kafka's AbstractStickyAssignor (3.x): as balanced as the subscriptions allow, keeping as many of
// each member's ownedPartitions as possible. When two members claim a partition, the higher
// generation's claim stands; two claims from the same generation cancel out.
Assignment assignSticky(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic);
// CooperativeStickyAssignor (KIP-429): the sticky assignment minus every partition that would move
// from its current owner to another member. The owner revokes it after this rebalance, and the
// follow-up rebalance (the owner no longer lists it) assigns it to its new member.
Assignment assignCooperativeSticky(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic);

// What a member must give up: owned minus assigned, sorted, without duplicates.
std::vector<TopicPartition> revokedPartitions(const std::vector<TopicPartition>& owned,
    const std::vector<TopicPartition>& assigned);

// Extension point for the strategies; every kind is supported in this build.
enum class AssignorKind { Range, RoundRobin, Sticky, CooperativeSticky };
std::string_view assignorName(AssignorKind kind); // "range", "roundrobin", "sticky", "cooperative-sticky"
std::optional<AssignorKind> assignorFromName(std::string_view name);

// ConsumerPartitionAssignor.RebalanceProtocol: what the coordinator may run for a strategy.
enum class RebalanceProtocol { Eager, Cooperative };
// Kafka's supportedProtocols(): [EAGER] for all but cooperative-sticky, which is [EAGER, COOPERATIVE].
std::vector<RebalanceProtocol> supportedProtocols(AssignorKind kind);
bool isSupported(AssignorKind kind); // implemented in this build

struct AssignResult {
    Assignment assignment; // empty when error is set
    std::string error; // empty on success
    bool ok() const { return error.empty(); }
};
AssignResult assign(AssignorKind kind, const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic);

} // namespace brokerlab::group
