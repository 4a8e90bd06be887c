#pragma once
// The records the group coordinator writes to __consumer_offsets, in Kafka's layouts
// (OffsetCommitKey/Value, GroupMetadataKey/Value under clients/.../common/message and
// group-coordinator/...): keys are an int16 version then the struct, so a real client reading the
// topic with Kafka's formatter sees what a Kafka cluster would have written.
//   key version 1: OffsetCommitKey  {group, topic, partition}
//   key version 2: GroupMetadataKey {group}
//   OffsetCommitValue version 3 {offset, leaderEpoch, metadata, commitTimestamp}
//   GroupMetadataValue version 3 {protocolType, generation, protocol, leader, currentStateTimestamp, members[]}
// A null value is a tombstone: the offset was deleted or the group is gone.

#include "protocol/groupmessages.h"
#include "protocol/topicpartition.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace brokerlab::cluster {

struct OffsetCommitKey {
    std::string group;
    protocol::TopicPartition topicPartition;
};
struct GroupMetadataKey {
    std::string group;
};
using OffsetsKey = std::variant<OffsetCommitKey, GroupMetadataKey>;

struct CommittedOffset {
    std::int64_t offset = -1;
    std::int32_t leaderEpoch = -1;
    std::string metadata;
    std::int64_t commitTimestampMs = -1;
};

struct StoredMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string clientHost;
    std::int32_t rebalanceTimeoutMs = 0;
    std::int32_t sessionTimeoutMs = 0;
    protocol::ByteString subscription;
    protocol::ByteString assignment;
};
struct StoredGroup {
    std::string protocolType;
    std::int32_t generation = 0;
    std::optional<std::string> protocol;
    std::optional<std::string> leader;
    std::int64_t currentStateTimestampMs = -1;
    std::vector<StoredMember> members;
};

std::vector<std::uint8_t> encodeKey(const OffsetsKey& key);
std::vector<std::uint8_t> encodeOffsetValue(const CommittedOffset& value);
std::vector<std::uint8_t> encodeGroupValue(const StoredGroup& value);

// nullopt on bytes this build does not understand (an unknown key version is skipped when a
// coordinator loads, as Kafka skips it).
std::optional<OffsetsKey> decodeKey(std::span<const std::uint8_t> bytes);
std::optional<CommittedOffset> decodeOffsetValue(std::span<const std::uint8_t> bytes);
std::optional<StoredGroup> decodeGroupValue(std::span<const std::uint8_t> bytes);

// Java's String.hashCode over the UTF-8 bytes read as Latin-1 code units would differ for non-ASCII
// ids; this hashes UTF-16 code units as Java does.
std::int32_t javaStringHash(const std::string& utf8);
// The __consumer_offsets partition that holds a group: Utils.abs(groupId.hashCode()) % partitions.
std::int32_t offsetsPartitionFor(const std::string& groupId, std::int32_t partitions);

inline constexpr const char* kOffsetsTopic = "__consumer_offsets";

} // namespace brokerlab::cluster
