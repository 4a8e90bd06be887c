#include "eventkinds.h"

#include <QCoreApplication>

namespace brokerlab::ui {

namespace {
const char* const kContext = "brokerlab::ui::EventKinds";
}

QString eventKindFamily(const QString& kind)
{
    const qsizetype dot = kind.indexOf(QLatin1Char('.'));
    return dot < 0 ? kind : kind.left(dot);
}

QString eventKindExplanation(const QString& kind)
{
    struct Explanation {
        const char* kind;
        const char* text;
    };
    static const Explanation explanations[] = {
        { "broker.registered",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A broker started and registered with the controller, which may now place replicas on it.") },
        { "broker.fenced",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The controller fenced a broker: its heartbeats stopped for broker.session.timeout.ms, so it "
                "loses leadership and leaves every ISR.") },
        { "broker.unfenced",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The broker caught up with the metadata log and may lead partitions again.") },
        { "broker.controlled_shutdown",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The broker is shutting down cleanly: leadership moves away before it stops.") },
        { "broker.stopped",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The broker process stopped; its replicas are offline until it restarts.") },
        { "broker.learned_fenced",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The broker learned from the controller that it is fenced and stopped acting as a "
                "leader.") },
        { "partition.leader_elected",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The controller chose a new leader from the ISR and bumped the leader epoch.") },
        { "partition.unclean_election",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "No in-sync replica was left, so an out-of-sync one became leader "
                "(unclean.leader.election.enable): records it never had are lost.") },
        { "partition.offline",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "No replica can lead the partition: writes and reads fail until one comes back.") },
        { "replica.truncated",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A replica cut off the end of its log that the current leader does not have, found "
                "through leader epochs (KIP-101).") },
        { "fault.broker_crash",
            QT_TRANSLATE_NOOP(
                "brokerlab::ui::EventKinds", "A broker crashed: it stops at once, without handing over leadership.") },
        { "fault.power_loss",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A broker lost power: like a crash, and what was not flushed to disk is gone.") },
        { "fault.broker_shutdown",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A broker shuts down cleanly: the controller moves its leaderships away first.") },
        { "fault.broker_restart",
            QT_TRANSLATE_NOOP(
                "brokerlab::ui::EventKinds", "A stopped broker starts again and catches up with the leaders.") },
        { "fault.isolate",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A node was cut off from the network: it still runs, but nobody hears it.") },
        { "fault.network_partition",
            QT_TRANSLATE_NOOP(
                "brokerlab::ui::EventKinds", "The network split in two sides that cannot reach each other.") },
        { "fault.slow_disk",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A broker's disk became slow: its appends and its followers fall behind.") },
        { "fault.disk_full",
            QT_TRANSLATE_NOOP(
                "brokerlab::ui::EventKinds", "A broker's disk is full: appends there fail until space is freed.") },
        { "topic.created",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The controller created a topic and placed its partitions' replicas on brokers.") },
        { "topic.deleted",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The topic was deleted; every broker drops its replicas and their data.") },
        { "replica.became_leader",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "This replica now leads the partition: producers write to it and the leader epoch "
                "tells clients which leader is current.") },
        { "replica.append_failed",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A leader refused to append a batch (for example too few in-sync replicas for "
                "min.insync.replicas).") },
        { "isr.shrink",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A follower fell behind for longer than replica.lag.time.max.ms and left the ISR: the "
                "partition is now under-replicated.") },
        { "isr.expand",
            QT_TRANSLATE_NOOP(
                "brokerlab::ui::EventKinds", "A follower caught up with the leader and rejoined the ISR.") },
        { "log.segments_deleted",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "Retention removed the oldest segments (retention.ms or retention.bytes): the "
                "log start offset moved forward.") },
        { "log.compacted",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The log cleaner compacted the log: only the newest record per key is kept.") },
        { "producer.started", QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds", "A producer client started sending.") },
        { "producer.retry",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A produce request failed with a retriable error; the producer sends the batch again.") },
        { "producer.delivery_failed",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A batch could not be delivered within delivery.timeout.ms: those records "
                "are lost to the application unless it retries.") },
        { "consumer.assigned",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds", "A consumer was given partitions to read.") },
        { "consumer.offset_reset",
            QT_TRANSLATE_NOOP(
                "brokerlab::ui::EventKinds", "The consumer had no valid position and applied auto.offset.reset.") },
        { "consumer.offset_out_of_range",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The consumer asked for an offset the log no longer has (retention "
                "removed it, or a leader truncated).") },
        { "consumer.deserialization_error",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "poll() threw a RecordDeserializationException: value.deserializer rejected the record at this "
                "offset. The position stays on it, so every later poll() throws again until the application "
                "seeks past it.") },
        { "consumer.record_skipped",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The application skipped a record it could not deserialize by seeking to the next offset: it is "
                "never processed.") },
        { "group.member_joined",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A consumer sent JoinGroup and became a member of the group: the group rebalances to give it "
                "partitions.") },
        { "group.member_left",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A member left the group with LeaveGroup (a graceful close): the group rebalances at once.") },
        { "group.member_removed",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The coordinator removed a member: no heartbeat within session.timeout.ms, or it did not rejoin within "
                "the rebalance timeout.") },
        { "group.state_changed",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The group moved in its state machine: Empty, PreparingRebalance, CompletingRebalance, Stable or "
                "Dead.") },
        { "group.rebalance_started",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The group starts a rebalance: every member must send JoinGroup again, and eager members stop "
                "consuming.") },
        { "group.generation_started",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "Every member has joined: the coordinator bumped the generation and named a leader, which now computes "
                "the assignment.") },
        { "group.rebalance_completed",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The leader's assignment was stored and handed out in SyncGroup: the group is Stable again. The time "
                "since the rebalance started is its stop-the-world time.") },
        { "consumer.rebalance_started",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A consumer (re)joins its group: it sends JoinGroup and, with an eager assignor, gives up its "
                "partitions first.") },
        { "consumer.partitions_revoked",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A consumer gave partitions up during a rebalance, committing its position first.") },
        { "consumer.partitions_lost",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A consumer lost partitions without the chance to commit (its membership expired): another member may "
                "read some records again.") },
        { "consumer.assignment_computed",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "The group leader ran the assignor (partition.assignment.strategy) for every member.") },
        { "consumer.assignment_received",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A consumer received its partitions in SyncGroup for the new generation.") },
        { "consumer.crashed",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A consumer process died: no LeaveGroup, no commit. The coordinator notices after "
                "session.timeout.ms.") },
        { "client.producer_added",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds", "A producer was started from the Clients menu.") },
        { "client.producer_stopped",
            QT_TRANSLATE_NOOP(
                "brokerlab::ui::EventKinds", "A producer stopped sending; what it had buffered is still delivered.") },
        { "client.group_added",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds", "A consumer group was started from the Clients menu.") },
        { "fault.link",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds", "A link got extra latency, jitter or packet loss.") },
        { "client.group_rolling_restart",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A group's partition.assignment.strategy changes: a consumer reads it once, when it is created, so "
                "each member is replaced in turn (a rolling restart), the next once the new one is in the group.") },
        { "client.group_restarted",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds", "Every member of the group runs with the new assignors.") },
        { "client.group_restart_stopped",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A rolling restart stopped: the new member is not in the group. The coordinator refuses a member "
                "whose assignors share none with the other members' (INCONSISTENT_GROUP_PROTOCOL).") },
        { "fault.remove_broker",
            QT_TRANSLATE_NOOP("brokerlab::ui::EventKinds",
                "A broker is decommissioned: a controlled shutdown, then UnregisterBroker.") },
    };
    const QByteArray key = kind.toUtf8();
    for (const Explanation& explanation : explanations) {
        if (key == explanation.kind)
            return QCoreApplication::translate(kContext, explanation.text);
    }
    return {};
}

} // namespace brokerlab::ui
