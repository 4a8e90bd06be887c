#pragma once
// A run's history, checked after the fact the way Jepsen's Kafka queue checker does: every
// acknowledged, failed and consumed record, then the final log of every replica. check() looks for
// lost, duplicated, inconsistent and reordered records, failed sends that were read anyway (G1a-like),
// and consumers whose polls skipped or went backwards.
//
// A record is known by recordHash(key, value) (check/recordhash.h); the workloads make values unique.
// Memory: about 40 bytes per acknowledged record, 32 per consumed record and 8 per record of a leader
// log (16 when compaction left gaps). A follower's log is compared as soon as its partition's leader
// log is known and only the disagreements are kept.

#include "protocol/topicpartition.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace brokerlab::check {

using TopicPartition = protocol::TopicPartition;

class History;

struct CheckOptions {
    // Topics with cleanup.policy=compact: an older record of a key may be gone legitimately.
    std::set<std::string, std::less<>> compactedTopics;
    // Consumer client id -> group.id, to judge the order each group read in (readOrder); a consumer
    // missing here is judged alone, under its client id.
    std::map<std::string, std::string, std::less<>> consumerGroups;
    std::size_t maxExamples = 20; // per category
};

// One instance of an anomaly, enough to find it in the message browser.
struct Example {
    TopicPartition topicPartition;
    std::vector<std::int64_t> offsets; // the offsets involved, the anomalous one first
    std::string actor; // the producer, the consumer, or "broker N" for a diverging replica
    std::string text; // one readable sentence
};

struct Category {
    std::int64_t count = 0;
    std::vector<Example> examples; // the first CheckOptions::maxExamples found, in history order
};

// A consumer group's delivery, judged per partition over the offsets from the first one the group
// processed up to the group's last committed offset. Commit-after-processing (at least once) may
// process a record twice after a crash or rebalance, never miss one; commit-before-processing (at
// most once) may miss records, never process one twice.
struct GroupDelivery {
    std::string groupId;
    std::int64_t processed = 0; // records whose processing finished, repeats included
    Category duplicates; // processed again: counted once per extra processing
    Category missed; // in the final log below the committed offset, never processed
};

// The order a consumer group read its records in, compared with the order they were sent. Each
// record counts once (the first time the group read it); records never acknowledged are left out.
struct ReadOrder {
    std::string groupId; // or the client id of a consumer outside any group
    std::int64_t records = 0; // acknowledged records the group read
    // Read after a record its producer sent later: the group did not see the send order. Normal
    // across partitions: Kafka orders records within a partition only.
    std::int64_t outOfProductionOrder = 0;
    // Read after a later record of the same producer and key: never, when one key maps to one
    // partition and the producer keeps order (idempotence). Null keys are not counted.
    std::int64_t outOfKeyOrder = 0;
};

struct CheckResult {
    std::int64_t acked = 0; // acknowledged records
    std::int64_t failed = 0; // sends that failed for good
    std::int64_t unknown = 0; // acks=0 sends: fate unknown, never lost nor failed
    std::int64_t unknownWritten = 0; // ... of which the final log holds the record
    std::int64_t consumed = 0; // records returned by poll()
    // Acknowledged records of a partition the history has no final log for: neither lost nor kept.
    std::int64_t unchecked = 0;

    // Acknowledged, absent from the final log, not explained by retention or compaction.
    Category lost;
    // Acknowledged, absent, below the leader's log start offset: retention or DeleteRecords removed it.
    Category expired;
    // Acknowledged, absent, on a compacted topic, with a later record of its key in the log (or it is a
    // tombstone, which compaction drops after delete.retention.ms).
    Category superseded;
    // One record at two or more offsets of a partition's final log; counted once per record.
    Category duplicated;
    // Offsets holding two different records, counted once per (partition, offset) whatever the evidence:
    // a replica's log below the high watermark, a consumer's read, or a producer's ack.
    Category inconsistent;
    std::int64_t inconsistentReplicas = 0; // offsets where a replica disagrees with the leader
    std::int64_t inconsistentReads = 0; // offsets a consumer read a different record at
    std::int64_t inconsistentAcks = 0; // offsets an ack named for a different record
    // Records of one producer and key acknowledged at a lower offset than a record sent before them;
    // counted once per overtaken-by record (the later send that landed too low).
    Category reordered;
    // Failed sends whose record the final log holds or a consumer read.
    Category failedButRead;
    // A consumer's consecutive reads of a partition that jumped over offsets the final log holds.
    Category pollSkip;
    // A consumer's read at or below its previous offset of that partition: normal after a rebalance or
    // seek, so it does not fail ok(); the caller decides.
    Category nonMonotonicPoll;

    // Per consumer group, what its members finished processing (see History::processed).
    std::vector<GroupDelivery> groups;
    // Per consumer group (by group id), the order its members read records in.
    std::vector<ReadOrder> readOrder;
    // Reads of offsets at or past the partition's final high watermark: a record no replica holds
    // as committed. 0 when consumers read only below the high watermark (inconsistentReads counts
    // the reads the final log holds another record for).
    std::int64_t readsPastHighWatermark = 0;

    bool ok() const
    {
        return lost.count == 0 && duplicated.count == 0 && inconsistent.count == 0 && reordered.count == 0;
    }
};

struct NamedCategory {
    std::string_view name; // camelCase, stable: serialized by the CLI and the store
    const Category* category;
};
// Every category in a fixed order, for serializers.
std::array<NamedCategory, 9> categories(const CheckResult& result);

CheckResult check(const History& history, const CheckOptions& options = {});
// A few lines: the verdict, the counts, and the first examples of each anomaly.
std::string describe(const CheckResult& result);

// Collects a run in virtual-time order. Not thread-safe: the sim thread records, check() runs after.
class History {
public:
    // One per acknowledged record, with the offset the broker put it at (-1 if the response did not say:
    // such a record can be lost but never expired, superseded or reordered). sendOrder is the producer's
    // running record number: acks arrive in ack order, which retries can make differ from send order.
    void sendAcked(const TopicPartition& topicPartition, std::int64_t offset, std::uint64_t hash,
        std::string_view producer, std::optional<std::string_view> key, std::int64_t sendOrder);
    // A send whose delivery failed for good. Its record may still have been written.
    void sendFailed(const TopicPartition& topicPartition, std::uint64_t hash, std::string_view producer);
    // An acks=0 send: nobody knows whether it was written.
    void sendUnknown(const TopicPartition& topicPartition, std::uint64_t hash, std::string_view producer);
    // One per record returned by poll().
    void consumed(const TopicPartition& topicPartition, std::int64_t offset, std::uint64_t hash,
        std::string_view consumer, std::optional<std::string_view> key);
    // A member of consumer group `group` finished processing the record at `offset`.
    void processed(std::string_view group, const TopicPartition& topicPartition, std::int64_t offset,
        std::string_view consumer);
    // The group's committed offset for a partition when the run ended.
    void groupCommitted(std::string_view group, const TopicPartition& topicPartition, std::int64_t offset);
    // Every replica's log after the run, in any order. The leader's log is the partition's truth; without
    // a leader, the first replica given is. A second replica claiming leadership is compared like a
    // follower, which is how a zombie leader shows. Pass only replicas that are expected to agree with the
    // leader below its high watermark (the ISR, or every replica once the cluster has healed).
    void finalLog(const TopicPartition& topicPartition, std::int32_t replicaBroker, bool isLeader,
        const std::vector<std::pair<std::int64_t, std::uint64_t>>& offsetsAndHashes, std::int64_t highWatermark,
        std::int64_t logStartOffset);

    void reserve(std::size_t ackedRecords, std::size_t consumedRecords);
    std::size_t ackedCount() const { return acked_.size(); }
    std::size_t consumedCount() const { return consumed_.size(); }
    std::size_t memoryBytes() const; // what the history holds, roughly

    // The stored form, read by check().
    struct Acked {
        std::int64_t offset;
        std::uint64_t hash;
        std::uint64_t keyHash; // check::keyHash(key); a null key has its own
        std::int64_t sendOrder;
        std::uint32_t partition; // index into partitions()
        std::uint32_t producer; // index into actors()
    };
    struct Consumed {
        std::int64_t offset;
        std::uint64_t hash;
        std::uint64_t keyHash;
        std::uint32_t partition;
        std::uint32_t consumer;
    };
    struct Processed {
        std::int64_t offset;
        std::uint32_t partition;
        std::uint32_t group; // index into actors()
        std::uint32_t consumer; // index into actors()
    };
    struct GroupCommit {
        std::int64_t offset;
        std::uint32_t partition;
        std::uint32_t group;
    };
    struct Sent { // failed or unknown
        std::uint64_t hash;
        std::uint32_t partition;
        std::uint32_t producer;
    };
    // A replica's final log: offsets firstOffset, firstOffset + 1, ... unless compaction left gaps, in
    // which case `offsets` holds them (a dense log costs 8 bytes per record instead of 16).
    class LogImage {
    public:
        LogImage() = default;
        explicit LogImage(const std::vector<std::pair<std::int64_t, std::uint64_t>>& offsetsAndHashes);
        std::size_t size() const { return hashes_.size(); }
        bool empty() const { return hashes_.empty(); }
        std::int64_t offsetAt(std::size_t index) const
        {
            return offsets_.empty() ? firstOffset_ + static_cast<std::int64_t>(index) : offsets_[index];
        }
        std::uint64_t hashAt(std::size_t index) const { return hashes_[index]; }
        std::optional<std::uint64_t> find(std::int64_t offset) const; // the record at an offset, if any
        std::size_t lowerBound(std::int64_t offset) const; // index of the first offset >= `offset`
        std::size_t memoryBytes() const { return hashes_.capacity() * 8 + offsets_.capacity() * 8; }

    private:
        std::int64_t firstOffset_ = 0;
        std::vector<std::uint64_t> hashes_;
        std::vector<std::int64_t> offsets_;
    };
    struct Replica {
        std::int32_t broker = -1;
        bool leader = false;
        std::int64_t highWatermark = 0;
        std::int64_t logStartOffset = 0;
        LogImage log; // emptied once compared with the partition's truth
    };
    // An offset below the truth's high watermark where a replica holds another record.
    struct Divergence {
        std::int64_t offset;
        std::uint64_t truthHash;
        std::uint64_t replicaHash;
        std::int32_t broker;
    };
    struct Partition {
        TopicPartition topicPartition;
        std::vector<Replica> replicas; // replicas[truth] is the partition's truth
        int truth = -1;
        bool hasLeader = false;
        std::vector<std::size_t> pending; // replicas not yet compared (no leader seen yet)
        std::vector<Divergence> divergences;
    };

    const std::vector<Partition>& partitions() const { return partitions_; }
    const std::vector<std::string>& actors() const { return actors_; }
    const std::vector<Acked>& acked() const { return acked_; }
    const std::vector<Sent>& failed() const { return failed_; }
    const std::vector<Sent>& unknown() const { return unknown_; }
    const std::vector<Consumed>& consumedRecords() const { return consumed_; }
    const std::vector<Processed>& processedRecords() const { return processed_; }
    const std::vector<GroupCommit>& groupCommits() const { return groupCommits_; }

private:
    std::uint32_t partitionIndex(const TopicPartition& topicPartition);
    std::uint32_t actorIndex(std::string_view name);

    // Names are interned on the sim thread's hot path, once per record: a hash lookup at most, and usually
    // a single comparison, since records arrive in runs of one partition and one client.
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>()(name); }
    };
    using NameIndex = std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>>;
    struct Topic {
        std::string name;
        std::vector<std::uint32_t> partitions; // partition number -> index into partitions_, or UINT32_MAX
    };

    std::vector<Partition> partitions_;
    std::vector<Topic> topics_;
    NameIndex topicIndexes_;
    std::map<TopicPartition, std::uint32_t> oddPartitions_; // partition numbers no Kafka topic has
    std::vector<std::string> actors_;
    NameIndex actorIndexes_;
    std::uint32_t lastPartition_ = UINT32_MAX;
    std::uint32_t lastTopic_ = UINT32_MAX;
    std::uint32_t lastActor_ = UINT32_MAX;

    std::vector<Acked> acked_;
    std::vector<Sent> failed_;
    std::vector<Sent> unknown_;
    std::vector<Consumed> consumed_;
    std::vector<Processed> processed_;
    std::vector<GroupCommit> groupCommits_;
};

// Fills result.groups from the history's processed records and group commits (check() calls it).
void checkGroupDelivery(const History& history, const CheckOptions& options, CheckResult& result);

// Fills result.readOrder from the consumed and acknowledged records (check() calls it).
void checkReadOrder(const History& history, const CheckOptions& options, CheckResult& result);

// The divergences of `replica` from `truth` below `highWatermark`, where both hold a record.
std::vector<History::Divergence> compareReplica(
    const History::LogImage& truth, std::int64_t highWatermark, const History::LogImage& replica, std::int32_t broker);

} // namespace brokerlab::check
