#include "protocol/configdefs.h"

#include <algorithm>
#include <array>

namespace brokerlab::protocol {

namespace {

using enum ConfigScope;
using enum ConfigType;

constexpr std::string_view kLongMax = "9223372036854775807";
constexpr std::string_view kIntMax = "2147483647";

// Shared by topic and broker scope: the broker's value is the default of every topic's.
const std::vector<std::string_view> kBrokerCompression { "uncompressed", "zstd", "lz4", "snappy", "gzip", "producer" };
const std::vector<std::string_view> kUnimplementedCodecs { "snappy", "lz4", "zstd" };
const std::vector<std::string_view> kCleanupPolicies { "delete", "compact" };

// Chained setters keep each definition short; designated initializers would trip GCC's
// -Wmissing-field-initializers for every field left at its default.
class Entry {
public:
    Entry(std::string_view name, ConfigScope scope, ConfigType type, std::string_view defaultValue)
    {
        def_.name = name;
        def_.scope = scope;
        def_.type = type;
        def_.defaultValue = defaultValue;
    }
    Entry&& effective(std::string_view value) && { return set(def_.effectiveDefault, value); }
    Entry&& min(std::int64_t value) && { return set(def_.minimum, value); }
    Entry&& max(std::int64_t value) && { return set(def_.maximum, value); }
    Entry&& allowed(std::vector<std::string_view> values) && { return set(def_.allowed, std::move(values)); }
    Entry&& notSupported(std::vector<std::string_view> values) && { return set(def_.notSupported, std::move(values)); }
    Entry&& unit(std::string_view value) && { return set(def_.unit, value); }
    Entry&& synonym(std::string_view value) && { return set(def_.synonym, value); }
    Entry&& doc(std::string_view value) && { return set(def_.doc, value); }
    operator ConfigDef() && { return std::move(def_); }

private:
    template <typename Field, typename Value>
    Entry&& set(Field& field, Value&& value)
    {
        field = std::forward<Value>(value);
        return std::move(*this);
    }
    ConfigDef def_;
};

Entry entry(std::string_view name, ConfigScope scope, ConfigType type, std::string_view defaultValue)
{
    return { name, scope, type, defaultValue };
}

std::vector<ConfigDef> topicDefs()
{
    return {
        entry("cleanup.policy", Topic, List, "delete")
            .allowed(kCleanupPolicies)
            .synonym("log.cleanup.policy")
            .doc("What happens to old records: \"delete\" drops whole segments once they are older than "
                 "retention.ms (or the partition outgrows retention.bytes); \"compact\" keeps only the newest "
                 "record of every key. Both can be combined: \"compact,delete\"."),
        entry("compression.type", Topic, Enum, "producer")
            .allowed(kBrokerCompression)
            .notSupported(kUnimplementedCodecs)
            .synonym("compression.type")
            .doc("How the broker stores batches: \"producer\" keeps whatever codec the producer chose; any other "
                 "value makes the broker recompress each batch to that codec (\"uncompressed\" means none)."),
        entry("delete.retention.ms", Topic, Long, "86400000")
            .min(0)
            .unit("ms")
            .synonym("log.cleaner.delete.retention.ms")
            .doc("How long a tombstone (a record whose value is null) survives in a compacted topic, so that a "
                 "consumer that reads slowly still sees the delete before it vanishes."),
        entry("flush.messages", Topic, Long, kLongMax)
            .min(1)
            .unit("records")
            .synonym("log.flush.interval.messages")
            .doc("Force the log to disk (fsync) after this many records. The default means never: Kafka trusts "
                 "replication, not the disk, to keep acknowledged data safe."),
        entry("flush.ms", Topic, Long, kLongMax)
            .min(0)
            .unit("ms")
            .synonym("log.flush.interval.ms")
            .doc("Force the log to disk (fsync) once data has waited this long. The default means never; the "
                 "operating system writes pages out in its own time."),
        entry("index.interval.bytes", Topic, Int, "4096")
            .min(0)
            .unit("bytes")
            .synonym("log.index.interval.bytes")
            .doc("Bytes of records between two entries of the offset index. A smaller value makes the index "
                 "bigger and finding an offset faster."),
        entry("max.message.bytes", Topic, Int, "1048588")
            .min(0)
            .unit("bytes")
            .synonym("message.max.bytes")
            .doc("The largest record batch (after compression) this topic accepts. A bigger batch is rejected "
                 "with MESSAGE_TOO_LARGE."),
        entry("min.compaction.lag.ms", Topic, Long, "0")
            .min(0)
            .unit("ms")
            .synonym("log.cleaner.min.compaction.lag.ms")
            .doc("A record is never compacted away before it is this old, so consumers can still see every "
                 "update made within that window."),
        entry("min.insync.replicas", Topic, Int, "1")
            .min(1)
            .unit("replicas")
            .synonym("min.insync.replicas")
            .doc("With acks=all, a write succeeds only while at least this many replicas are in sync; otherwise "
                 "the producer gets NOT_ENOUGH_REPLICAS. Higher is safer but less available."),
        entry("retention.bytes", Topic, Long, "-1")
            .min(-1)
            .unit("bytes")
            .synonym("log.retention.bytes")
            .doc("Largest size one partition may reach before its oldest segments are deleted (delete policy "
                 "only). -1 means no size limit."),
        entry("retention.ms", Topic, Long, "604800000")
            .min(-1)
            .unit("ms")
            .synonym("log.retention.ms")
            .doc("How long records are kept before their segment may be deleted (delete policy only). Whole "
                 "closed segments go at once, never the active one; -1 keeps data forever."),
        entry("segment.bytes", Topic, Int, "1073741824")
            .min(1048576)
            .unit("bytes")
            .synonym("log.segment.bytes")
            .doc("Size at which the active segment is closed and a new one begun. Retention and compaction "
                 "only ever work on closed segments."),
        entry("segment.ms", Topic, Long, "604800000")
            .min(1)
            .unit("ms")
            .synonym("log.roll.ms")
            .doc("Age at which the active segment is closed even when it is not full, so that retention and "
                 "compaction also reach quiet topics."),
        entry("unclean.leader.election.enable", Topic, Boolean, "false")
            .synonym("unclean.leader.election.enable")
            .doc("If true, a replica that is out of sync may become leader when no in-sync replica is left: the "
                 "partition is back sooner, but acknowledged records can be lost."),
    };
}

std::vector<ConfigDef> brokerDefs()
{
    return {
        entry("auto.create.topics.enable", Broker, Boolean, "true")
            .doc("If true, producing to or fetching from an unknown topic makes the broker create it with "
                 "num.partitions and default.replication.factor."),
        entry("auto.leader.rebalance.enable", Broker, Boolean, "true")
            .doc("If true, the controller hands leadership back to each partition's preferred replica (the first "
                 "in its replica list) once that replica is in sync again."),
        entry("broker.heartbeat.interval.ms", Broker, Int, "2000")
            .min(1)
            .unit("ms")
            .doc("How often each broker sends a heartbeat to the KRaft controller to show it is alive."),
        entry("broker.session.timeout.ms", Broker, Int, "9000")
            .min(1)
            .unit("ms")
            .doc("A broker whose heartbeats stop for this long is fenced by the controller: it loses its "
                 "leaderships and leaves every ISR."),
        entry("compression.type", Broker, Enum, "producer")
            .allowed(kBrokerCompression)
            .notSupported(kUnimplementedCodecs)
            .synonym("compression.type")
            .doc("Cluster-wide default of the topic config compression.type: \"producer\" stores batches as the "
                 "producer compressed them."),
        entry("controller.quorum.election.timeout.ms", Broker, Int, "1000")
            .min(1)
            .unit("ms")
            .doc("How long a controller candidate waits for votes before it starts a new election; each wait "
                 "adds a random share of up to the same again, so two candidates do not split the vote forever."),
        entry("controller.quorum.fetch.timeout.ms", Broker, Int, "2000")
            .min(1)
            .unit("ms")
            .doc("A controller voter that hears nothing from the active controller for this long starts an "
                 "election. The active controller resigns if a majority is silent for 1.5 times as long."),
        entry("default.replication.factor", Broker, Int, "1")
            .min(1)
            .max(32767)
            .unit("replicas")
            .doc("Replication factor of topics that are created automatically or without one."),
        entry("eligible.leader.replicas.enable", Broker, Boolean, "false")
            .doc("KIP-966: replicas that leave an ISR already below min.insync.replicas stay eligible to lead "
                 "(they hold every committed record), so the controller can elect one cleanly when the last "
                 "in-sync replica fails; a replica that restarts after an unclean shutdown loses eligibility."),
        entry("group.initial.rebalance.delay.ms", Broker, Int, "3000")
            .min(0)
            .unit("ms")
            .doc("How long the coordinator waits for more members to join an empty group before the first "
                 "rebalance, so that a group starting up does not rebalance again and again."),
        entry("log.cleaner.delete.retention.ms", Broker, Long, "86400000")
            .min(0)
            .unit("ms")
            .synonym("delete.retention.ms")
            .doc("Cluster-wide default of delete.retention.ms: how long tombstones stay in compacted topics."),
        entry("log.cleaner.min.compaction.lag.ms", Broker, Long, "0")
            .min(0)
            .unit("ms")
            .synonym("min.compaction.lag.ms")
            .doc("Cluster-wide default of min.compaction.lag.ms: the minimum age of a record before compaction "
                 "may remove it."),
        entry("log.cleanup.policy", Broker, List, "delete")
            .allowed(kCleanupPolicies)
            .synonym("cleanup.policy")
            .doc("Cluster-wide default of cleanup.policy: \"delete\" (retention), \"compact\" (newest record per "
                 "key) or both."),
        entry("log.flush.interval.messages", Broker, Long, kLongMax)
            .min(1)
            .unit("records")
            .synonym("flush.messages")
            .doc("Cluster-wide default of flush.messages. The default means the broker never forces an fsync by "
                 "count."),
        entry("log.flush.interval.ms", Broker, Long, "null")
            .effective(kLongMax)
            .min(0)
            .unit("ms")
            .synonym("flush.ms")
            .doc("Cluster-wide default of flush.ms. Unset, Kafka uses log.flush.scheduler.interval.ms, whose "
                 "default means never."),
        entry("log.index.interval.bytes", Broker, Int, "4096")
            .min(0)
            .unit("bytes")
            .synonym("index.interval.bytes")
            .doc("Cluster-wide default of index.interval.bytes: bytes of records between two offset-index "
                 "entries."),
        entry("log.retention.bytes", Broker, Long, "-1")
            .min(-1)
            .unit("bytes")
            .synonym("retention.bytes")
            .doc("Cluster-wide default of retention.bytes: the size limit of one partition; -1 means none."),
        entry("log.retention.check.interval.ms", Broker, Long, "300000")
            .min(1)
            .unit("ms")
            .doc("How often each broker looks for segments that retention allows it to delete. Data can outlive "
                 "retention.ms by up to this much."),
        entry("log.retention.hours", Broker, Int, "168")
            .min(-1)
            .unit("hours")
            .synonym("retention.ms")
            .doc("Cluster-wide retention time in hours (168 = 7 days). log.retention.ms wins when both are set."),
        entry("log.retention.ms", Broker, Long, "null")
            .effective("604800000")
            .min(-1)
            .unit("ms")
            .synonym("retention.ms")
            .doc("Cluster-wide default of retention.ms; -1 keeps data forever. Unset, log.retention.hours "
                 "applies."),
        entry("log.roll.hours", Broker, Int, "168")
            .min(1)
            .unit("hours")
            .synonym("segment.ms")
            .doc("Cluster-wide segment age limit in hours. log.roll.ms wins when both are set."),
        entry("log.roll.ms", Broker, Long, "null")
            .effective("604800000")
            .min(1)
            .unit("ms")
            .synonym("segment.ms")
            .doc("Cluster-wide default of segment.ms. Unset, log.roll.hours applies."),
        entry("log.segment.bytes", Broker, Int, "1073741824")
            .min(1048576)
            .unit("bytes")
            .synonym("segment.bytes")
            .doc("Cluster-wide default of segment.bytes: the size at which a segment is closed."),
        entry("message.max.bytes", Broker, Int, "1048588")
            .min(0)
            .unit("bytes")
            .synonym("max.message.bytes")
            .doc("The largest record batch a broker accepts, and the default of every topic's "
                 "max.message.bytes."),
        entry("min.insync.replicas", Broker, Int, "1")
            .min(1)
            .unit("replicas")
            .synonym("min.insync.replicas")
            .doc("Cluster-wide default of min.insync.replicas: how many in-sync replicas an acks=all write "
                 "needs."),
        entry("num.partitions", Broker, Int, "1")
            .min(1)
            .unit("partitions")
            .doc("Number of partitions of topics that are created automatically or without a count."),
        entry("offsets.topic.num.partitions", Broker, Int, "50")
            .min(1)
            .unit("partitions")
            .doc("Partitions of __consumer_offsets. A group's coordinator is the leader of partition "
                 "abs(hash(group.id)) % this number."),
        entry("offsets.topic.replication.factor", Broker, Short, "3")
            .min(1)
            .unit("replicas")
            .doc("Replication factor of __consumer_offsets. Kafka will not create that topic while fewer "
                 "brokers exist, so consumer groups cannot work until then."),
        entry("replica.fetch.max.bytes", Broker, Int, "1048576")
            .min(0)
            .unit("bytes")
            .doc("Bytes a follower asks for per partition in one fetch. A bigger first batch is still sent "
                 "whole, so replication never gets stuck."),
        entry("replica.fetch.min.bytes", Broker, Int, "1")
            .min(0)
            .unit("bytes")
            .doc("Bytes a leader waits to have for a follower before answering its fetch (at most "
                 "replica.fetch.wait.max.ms)."),
        entry("replica.fetch.wait.max.ms", Broker, Int, "500")
            .min(0)
            .unit("ms")
            .doc("How long a leader may hold a follower's fetch while there is no new data. Must not exceed "
                 "replica.lag.time.max.ms."),
        entry("replica.lag.time.max.ms", Broker, Long, "30000")
            .min(1)
            .unit("ms")
            .doc("A follower that has not caught up with the leader's log end for this long is removed from the "
                 "ISR (in-sync replicas)."),
        entry("unclean.leader.election.enable", Broker, Boolean, "false")
            .synonym("unclean.leader.election.enable")
            .doc("Cluster-wide default of unclean.leader.election.enable: may an out-of-sync replica become "
                 "leader, at the price of losing acknowledged records?"),
    };
}

std::vector<ConfigDef> producerDefs()
{
    return {
        entry("acks", Producer, Enum, "all")
            .allowed({ "all", "-1", "0", "1" })
            .doc("How many replicas must have a record before a send succeeds: 0 = don't wait for an answer, "
                 "1 = the leader only, all (same as -1) = every in-sync replica."),
        entry("batch.size", Producer, Int, "16384")
            .min(0)
            .unit("bytes")
            .doc("Most bytes of records the producer puts in one batch for a partition. A full batch is sent "
                 "at once, without waiting for linger.ms."),
        entry("buffer.memory", Producer, Long, "33554432")
            .min(0)
            .unit("bytes")
            .doc("Memory for records waiting to be sent. When it is full, new sends must wait until batches "
                 "leave."),
        entry("client.id", Producer, String, "")
            .doc("The producer's name in the brokers' logs and metrics. In a scenario it defaults to the "
                 "producer's id."),
        entry("compression.type", Producer, Enum, "none")
            .allowed({ "none", "gzip", "snappy", "lz4", "zstd" })
            .notSupported(kUnimplementedCodecs)
            .doc("Codec the producer compresses each batch with. Bigger batches compress better; Brokerlab "
                 "implements none and gzip."),
        entry("delivery.timeout.ms", Producer, Int, "120000")
            .min(0)
            .unit("ms")
            .doc("Longest time from send() to success or failure, retries included. It must be at least "
                 "linger.ms + request.timeout.ms."),
        entry("enable.idempotence", Producer, Boolean, "true")
            .doc("The producer numbers its batches so that a retry can never write a record twice. It needs "
                 "acks=all, retries > 0 and at most 5 requests in flight."),
        entry("linger.ms", Producer, Long, "5")
            .min(0)
            .unit("ms")
            .doc("How long the producer waits for more records before sending a batch that is not full. A "
                 "little waiting makes bigger batches and more throughput."),
        entry("max.in.flight.requests.per.connection", Producer, Int, "5")
            .min(1)
            .unit("requests")
            .doc("How many produce requests may await an answer on one connection. Above 1 without "
                 "idempotence, a retried batch can overtake a later one."),
        entry("metadata.max.age.ms", Producer, Long, "300000")
            .min(0)
            .unit("ms")
            .doc("How often the producer refreshes its view of partition leaders even when nothing went "
                 "wrong."),
        entry("request.timeout.ms", Producer, Int, "30000")
            .min(0)
            .unit("ms")
            .doc("How long the producer waits for a broker's answer before retrying or giving up."),
        entry("retries", Producer, Int, kIntMax)
            .min(0)
            .unit("retries")
            .doc("How often a failed send is retried. Usually delivery.timeout.ms ends the retrying first."),
        entry("retry.backoff.ms", Producer, Long, "100")
            .min(0)
            .unit("ms")
            .doc("Pause before a failed request is retried, so that a struggling broker is not hammered."),
    };
}

std::vector<ConfigDef> consumerDefs()
{
    return {
        entry("auto.commit.interval.ms", Consumer, Int, "5000")
            .min(0)
            .unit("ms")
            .doc("How often the consumer commits its offsets when enable.auto.commit is true. Records read "
                 "since the last commit are read again after a crash."),
        entry("auto.offset.reset", Consumer, Enum, "latest")
            .allowed({ "earliest", "latest", "none" })
            .doc("Where to start when the group has no committed offset: earliest = the oldest record still "
                 "kept, latest = only records written from now on, none = fail."),
        entry("client.id", Consumer, String, "")
            .doc("The consumer's name in the brokers' logs and metrics. In a scenario it defaults to the "
                 "consumer's id."),
        entry("enable.auto.commit", Consumer, Boolean, "true")
            .doc("If true, the consumer commits the offsets it has polled in the background, every "
                 "auto.commit.interval.ms."),
        entry("fetch.max.bytes", Consumer, Int, "52428800")
            .min(0)
            .unit("bytes")
            .doc("Most bytes one fetch response may carry over all partitions (a larger first batch still "
                 "comes whole)."),
        entry("fetch.max.wait.ms", Consumer, Int, "500")
            .min(0)
            .unit("ms")
            .doc("How long the broker may hold a fetch while fewer than fetch.min.bytes are available."),
        entry("fetch.min.bytes", Consumer, Int, "1")
            .min(0)
            .unit("bytes")
            .doc("Bytes the broker waits to have before answering a fetch. Higher means fewer, bigger "
                 "responses and a little more latency."),
        entry("group.id", Consumer, String, "null")
            .doc("Name of the consumer group. The members of a group share the partitions of their topics, so "
                 "the group as a whole reads each record once."),
        entry("group.instance.id", Consumer, String, "null")
            .doc("A fixed identity for this member (static membership): if it restarts within "
                 "session.timeout.ms, the group does not rebalance."),
        entry("group.protocol", Consumer, String, "classic")
            .allowed({ "classic", "consumer" })
            .doc("Which rebalance protocol the member speaks: classic (JoinGroup/SyncGroup, the group leader assigns, "
                 "every member stops during a rebalance) or consumer (KIP-848: the coordinator assigns, members "
                 "converge by heartbeats and keep consuming what does not move)."),
        entry("group.remote.assignor", Consumer, String, "null")
            .effective("uniform")
            .allowed({ "uniform", "range" })
            .doc("With group.protocol=consumer: the assignor the coordinator runs (uniform spreads partitions evenly "
                 "and sticks to the current owners; range gives each member a contiguous range per topic)."),
        entry("heartbeat.interval.ms", Consumer, Int, "3000")
            .min(1)
            .unit("ms")
            .doc("How often a member tells the group coordinator it is alive. It must be lower than "
                 "session.timeout.ms, usually a third of it."),
        entry("max.partition.fetch.bytes", Consumer, Int, "1048576")
            .min(0)
            .unit("bytes")
            .doc("Most bytes one fetch returns for a single partition (a larger first batch still comes "
                 "whole)."),
        entry("max.poll.interval.ms", Consumer, Int, "300000")
            .min(1)
            .unit("ms")
            .doc("A member that does not call poll() for this long is considered stuck: it leaves the group and "
                 "its partitions go to the others."),
        entry("max.poll.records", Consumer, Int, "500")
            .min(1)
            .unit("records")
            .doc("Most records one poll() returns. Fewer records per poll keeps processing time between polls "
                 "short."),
        entry("partition.assignment.strategy", Consumer, List,
            "class org.apache.kafka.clients.consumer.RangeAssignor,"
            "class org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
            .effective("range,cooperative-sticky")
            .allowed({ "range", "roundrobin", "sticky", "cooperative-sticky" })
            .doc("How the group leader divides partitions among members, in order of preference. "
                 "cooperative-sticky moves only the partitions that must move during a rebalance."),
        entry("request.timeout.ms", Consumer, Int, "30000")
            .min(0)
            .unit("ms")
            .doc("How long the consumer waits for a broker's answer before retrying."),
        entry("retry.backoff.ms", Consumer, Long, "100")
            .min(0)
            .unit("ms")
            .doc("Pause before a failed request is retried."),
        entry("session.timeout.ms", Consumer, Int, "45000")
            .min(6000)
            .max(1800000)
            .unit("ms")
            .doc("A member whose heartbeats stop for this long is removed from the group and its partitions "
                 "are reassigned. Brokers accept 6000 to 1800000 ms."),
        entry("value.deserializer", Consumer, Enum, "null")
            .effective("org.apache.kafka.common.serialization.ByteArrayDeserializer")
            .allowed({ "org.apache.kafka.common.serialization.ByteArrayDeserializer",
                "org.apache.kafka.common.serialization.StringDeserializer",
                "org.apache.kafka.connect.json.JsonDeserializer" })
            .doc("Turns a record's value bytes into an object inside poll(). JsonDeserializer rejects a value that "
                 "is not JSON: poll() then throws RecordDeserializationException at that offset until the "
                 "application seeks past it. Kafka has no default."),
    };
}

// The type's own range, so that an Int config can never be handed a value an int32 cannot hold.
void narrowToType(ConfigDef& def)
{
    std::int64_t low = std::numeric_limits<std::int64_t>::min();
    std::int64_t high = std::numeric_limits<std::int64_t>::max();
    if (def.type == Short) {
        low = std::numeric_limits<std::int16_t>::min();
        high = std::numeric_limits<std::int16_t>::max();
    } else if (def.type == Int) {
        low = std::numeric_limits<std::int32_t>::min();
        high = std::numeric_limits<std::int32_t>::max();
    }
    def.minimum = std::max(def.minimum, low);
    def.maximum = std::min(def.maximum, high);
}

std::vector<ConfigDef> buildRegistry()
{
    std::vector<ConfigDef> all;
    for (auto&& part : { topicDefs(), brokerDefs(), producerDefs(), consumerDefs() }) {
        for (const ConfigDef& def : part)
            all.push_back(def);
    }
    for (ConfigDef& def : all)
        narrowToType(def);
    std::stable_sort(all.begin(), all.end(), [](const ConfigDef& a, const ConfigDef& b) {
        return a.scope != b.scope ? a.scope < b.scope : a.name < b.name;
    });
    return all;
}

struct Unsimulated {
    ConfigScope scope;
    std::string_view name;
};

// Frequently written Kafka configs that Brokerlab does not model; a scenario naming one gets a
// clear "not simulated" instead of "unknown".
constexpr std::array kUnsimulated {
    Unsimulated { Topic, "file.delete.delay.ms" },
    Unsimulated { Topic, "local.retention.bytes" },
    Unsimulated { Topic, "local.retention.ms" },
    Unsimulated { Topic, "max.compaction.lag.ms" },
    Unsimulated { Topic, "message.timestamp.after.max.ms" },
    Unsimulated { Topic, "message.timestamp.before.max.ms" },
    Unsimulated { Topic, "message.timestamp.type" },
    Unsimulated { Topic, "min.cleanable.dirty.ratio" },
    Unsimulated { Topic, "preallocate" },
    Unsimulated { Topic, "remote.storage.enable" },
    Unsimulated { Topic, "segment.index.bytes" },
    Unsimulated { Topic, "segment.jitter.ms" },
    Unsimulated { Broker, "broker.id" },
    Unsimulated { Broker, "broker.rack" },
    Unsimulated { Broker, "controller.quorum.voters" },
    Unsimulated { Broker, "group.max.session.timeout.ms" },
    Unsimulated { Broker, "group.min.session.timeout.ms" },
    Unsimulated { Broker, "listeners" },
    Unsimulated { Broker, "log.cleaner.enable" },
    Unsimulated { Broker, "log.dirs" },
    Unsimulated { Broker, "log.message.timestamp.type" },
    Unsimulated { Broker, "log.retention.minutes" },
    Unsimulated { Broker, "node.id" },
    Unsimulated { Broker, "num.io.threads" },
    Unsimulated { Broker, "num.network.threads" },
    Unsimulated { Broker, "num.replica.fetchers" },
    Unsimulated { Broker, "process.roles" },
    Unsimulated { Broker, "transaction.state.log.replication.factor" },
    Unsimulated { Producer, "bootstrap.servers" },
    Unsimulated { Producer, "compression.gzip.level" },
    Unsimulated { Producer, "key.serializer" },
    Unsimulated { Producer, "max.block.ms" },
    Unsimulated { Producer, "max.request.size" },
    Unsimulated { Producer, "partitioner.class" },
    Unsimulated { Producer, "partitioner.ignore.keys" },
    Unsimulated { Producer, "transaction.timeout.ms" },
    Unsimulated { Producer, "transactional.id" },
    Unsimulated { Producer, "value.serializer" },
    Unsimulated { Consumer, "bootstrap.servers" },
    Unsimulated { Consumer, "check.crcs" },
    Unsimulated { Consumer, "client.rack" },
    Unsimulated { Consumer, "isolation.level" },
    Unsimulated { Consumer, "key.deserializer" },
};

} // namespace

const std::vector<ConfigDef>& configDefs()
{
    static const std::vector<ConfigDef> registry = buildRegistry();
    return registry;
}

std::vector<const ConfigDef*> configDefs(ConfigScope scope)
{
    std::vector<const ConfigDef*> result;
    for (const ConfigDef& def : configDefs()) {
        if (def.scope == scope)
            result.push_back(&def);
    }
    return result;
}

const ConfigDef* findConfigDef(std::string_view name, ConfigScope scope)
{
    for (const ConfigDef& def : configDefs()) {
        if (def.scope == scope && def.name == name)
            return &def;
    }
    return nullptr;
}

std::vector<ConfigScope> scopesOf(std::string_view name)
{
    std::vector<ConfigScope> scopes;
    for (const ConfigDef& def : configDefs()) {
        if (def.name == name && std::find(scopes.begin(), scopes.end(), def.scope) == scopes.end())
            scopes.push_back(def.scope);
    }
    std::sort(scopes.begin(), scopes.end());
    return scopes;
}

bool isUnsimulatedKafkaConfig(std::string_view name, ConfigScope scope)
{
    return std::any_of(kUnsimulated.begin(), kUnsimulated.end(),
        [&](const Unsimulated& entry) { return entry.scope == scope && entry.name == name; });
}

std::string_view configScopeName(ConfigScope scope)
{
    switch (scope) {
    case Topic:
        return "topic";
    case Broker:
        return "broker";
    case Producer:
        return "producer";
    case Consumer:
        return "consumer";
    }
    return "unknown";
}

std::string_view configTypeName(ConfigType type)
{
    switch (type) {
    case Boolean:
        return "boolean";
    case Short:
        return "short";
    case Int:
        return "int";
    case Long:
        return "long";
    case Double:
        return "double";
    case String:
        return "string";
    case List:
        return "list";
    case Enum:
        return "enum";
    }
    return "unknown";
}

std::string validValuesText(const ConfigDef& def)
{
    const auto join = [](const std::vector<std::string_view>& values) {
        std::string text;
        for (std::string_view value : values) {
            if (!text.empty())
                text += ", ";
            text += value;
        }
        return text;
    };
    switch (def.type) {
    case Boolean:
        return "true or false";
    case Short:
    case Int:
    case Long: {
        const bool typeMax = def.maximum
            == (def.type == Short     ? std::numeric_limits<std::int16_t>::max()
                    : def.type == Int ? std::numeric_limits<std::int32_t>::max()
                                      : std::numeric_limits<std::int64_t>::max());
        if (typeMax)
            return "at least " + std::to_string(def.minimum);
        return std::to_string(def.minimum) + " to " + std::to_string(def.maximum);
    }
    case Double:
        return std::to_string(def.minimumDouble) + " to " + std::to_string(def.maximumDouble);
    case String:
        return "any text";
    case List:
        return "a comma-separated list of: " + join(def.allowed);
    case Enum:
        return "one of: " + join(def.allowed);
    }
    return {};
}

} // namespace brokerlab::protocol
