#include "groupmodels.h"

#include "formatting.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>
#include <set>

namespace brokerlab::ui {

namespace {
const char* const kContext = "brokerlab::ui::GroupModels";
QString tr(const char* text) { return QCoreApplication::translate(kContext, text); }

QString partitionName(const protocol::TopicPartition& partition)
{
    return QString::fromStdString(partition.toString());
}

const driver::ConsumerSnapshot* consumerOfMember(const driver::Snapshot& snapshot, const std::string& memberId)
{
    for (const auto& consumer : snapshot.consumers) {
        if (!memberId.empty() && consumer.memberId == memberId)
            return &consumer;
    }
    return nullptr;
}

// Every partition of the topics the group reads (the ones it owns or committed): the matrix's columns.
std::vector<protocol::TopicPartition> groupPartitions(
    const driver::Snapshot& snapshot, const driver::GroupSnapshot& group)
{
    std::set<std::string> topics;
    for (const auto& lag : group.lag)
        topics.insert(lag.topicPartition.topic);
    for (const auto& member : group.summary.members)
        for (const auto& partition : member.assignment)
            topics.insert(partition.topic);
    std::set<protocol::TopicPartition> partitions;
    for (const auto& topic : snapshot.topics) {
        if (topics.count(topic.name) == 0)
            continue;
        for (const auto& partition : topic.partitions)
            partitions.insert({ topic.name, partition.partition });
    }
    for (const auto& lag : group.lag)
        partitions.insert(lag.topicPartition); // a deleted topic's offsets still show
    return { partitions.begin(), partitions.end() };
}
} // namespace

const driver::GroupSnapshot* findGroup(const driver::Snapshot& snapshot, const std::string& groupId)
{
    for (const auto& group : snapshot.groups) {
        if (group.summary.groupId == groupId)
            return &group;
    }
    return nullptr;
}

QString groupStateName(int state)
{
    static const char* const names[] = { "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead" };
    return state >= 0 && state < kGroupStateCount ? QString::fromLatin1(names[state]) : QString();
}

QString groupStateExplanation(int state)
{
    switch (state) {
    case 0:
        return tr("Empty: the group has no members. Its committed offsets are kept, so the next member resumes where "
                  "the group stopped.");
    case 1:
        return tr("PreparingRebalance: a member joined, left or failed. The coordinator waits for every member to "
                  "send JoinGroup again (up to the rebalance timeout, max.poll.interval.ms); nobody consumes "
                  "partitions that eager assignors revoked.");
    case 2:
        return tr("CompletingRebalance: everyone has joined and the generation was bumped. The leader member runs "
                  "the assignor and sends the assignment in SyncGroup; the others wait for it.");
    case 3:
        return tr("Stable: every member has its partitions and consumes. Heartbeats keep the members in the group.");
    case 4:
        return tr("Dead: the group was removed (its offsets expired or it was deleted).");
    default:
        return {};
    }
}

QString groupPhaseName(GroupPhase phase)
{
    switch (phase) {
    case GroupPhase::Join:
        return tr("join");
    case GroupPhase::Revoke:
        return tr("revoke");
    case GroupPhase::Sync:
        return tr("sync");
    case GroupPhase::Assign:
        return tr("assign");
    }
    return {};
}

QString groupPhaseExplanation(GroupPhase phase)
{
    switch (phase) {
    case GroupPhase::Join:
        return tr("Join: members send JoinGroup; the coordinator collects them and picks a protocol.");
    case GroupPhase::Revoke:
        return tr("Revoke: a member gives partitions up (eager assignors: all of them before joining; "
                  "cooperative-sticky: only those that move). It commits first, then stops reading them.");
    case GroupPhase::Sync:
        return tr("Sync: a new generation starts; the leader member computes the assignment and sends it in "
                  "SyncGroup.");
    case GroupPhase::Assign:
        return tr("Assign: members receive their partitions and start fetching from the committed offsets.");
    }
    return {};
}

void GroupMembersModel::setGroup(const driver::Snapshot& snapshot, const std::string& groupId)
{
    const std::vector<ColumnInfo> columns = {
        { tr("Client"), tr("client.id of the consumer application instance") },
        { tr("Member ID"),
            tr("The id the coordinator gave this member on its first JoinGroup (MEMBER_ID_REQUIRED, then a retry "
               "with it)") },
        { tr("Generation"),
            tr("The group generation this member last joined. The coordinator bumps it at every rebalance; a "
               "commit from an older generation fails with ILLEGAL_GENERATION.") },
        { tr("State"), tr("The member's own state: Joining, AwaitingSync, Stable, Left or Failed") },
        { tr("Lag"), tr("Records in its partitions that the group has not committed yet") },
        { tr("Partitions"), tr("The partitions the coordinator's current assignment gives this member") },
    };
    const driver::GroupSnapshot* group = findGroup(snapshot, groupId);
    QStringList keys;
    std::vector<std::vector<Cell>> rows;
    std::set<std::string> shown;
    std::map<protocol::TopicPartition, std::int64_t> lagByPartition;
    if (group)
        for (const auto& entry : group->lag)
            lagByPartition[entry.topicPartition] += std::max<std::int64_t>(0, entry.lag);
    auto lagOf = [&lagByPartition](const std::vector<protocol::TopicPartition>& partitions) {
        std::int64_t total = 0;
        for (const auto& partition : partitions)
            if (auto it = lagByPartition.find(partition); it != lagByPartition.end())
                total += it->second;
        return total;
    };
    if (group) {
        for (const auto& member : group->summary.members) {
            const driver::ConsumerSnapshot* consumer = consumerOfMember(snapshot, member.memberId);
            QStringList partitions;
            for (const auto& partition : member.assignment)
                partitions << partitionName(partition);
            const bool leader = member.memberId == group->summary.leader;
            Cell client = Cell::ofText(
                QString::fromStdString(member.clientId) + (leader ? tr(" \u2605 leader") : QString()),
                leader ? tr("The group leader: the member that runs the assignor (partition.assignment.strategy) and "
                            "sends everyone's assignment in SyncGroup")
                       : QString());
            const QString state
                = consumer ? QString::fromStdString(consumer->memberState) : tr("unknown (its session is still open)");
            Cell stateCell = Cell::ofText(state);
            if (consumer && consumer->crashed) {
                stateCell = Cell::ofText(tr("crashed"),
                    tr("The process is gone but the coordinator keeps the member until session.timeout.ms passes "
                       "without a heartbeat"));
                stateCell.mark = Warning;
            }
            rows.push_back({ client,
                Cell::ofText(QString::fromStdString(member.memberId), QString::fromStdString(member.memberId)),
                Cell::ofCount(consumer ? consumer->generation : group->summary.generation), stateCell,
                Cell::ofCount(lagOf(member.assignment)),
                Cell::ofText(partitions.join(QStringLiteral(", ")), partitions.join(QLatin1Char('\n'))) });
            keys << QString::fromStdString(member.memberId);
            shown.insert(member.clientId);
        }
    }
    // Consumers of this group the coordinator does not (or no longer) count: joining, left, crashed and removed.
    for (const auto& consumer : snapshot.consumers) {
        if (consumer.groupId != groupId || shown.count(consumer.clientId) != 0)
            continue;
        const bool notStarted = consumer.memberState.empty() || consumer.memberState == "Unjoined";
        Cell state = Cell::ofText(consumer.crashed ? tr("crashed")
                : notStarted                       ? tr("not started")
                                                   : QString::fromStdString(consumer.memberState));
        state.mark = notStarted ? NoMark : Warning;
        state.toolTip = consumer.crashed ? tr("Crashed and no longer a member: its partitions went to the others")
            : notStarted ? tr("This consumer has not sent JoinGroup yet (it starts later in the scenario)")
                         : tr("Not a member of the current generation");
        rows.push_back({ Cell::ofText(QString::fromStdString(consumer.clientId)),
            Cell::ofText(
                consumer.memberId.empty() ? QStringLiteral("\u2014") : QString::fromStdString(consumer.memberId)),
            Cell::ofCount(consumer.generation), state, Cell::ofCount(-1), Cell::ofText(QString()) });
        keys << QStringLiteral("client:") + QString::fromStdString(consumer.clientId);
    }
    publish(columns, keys, {}, std::move(rows));
}

std::vector<QString> groupPartitionNames(const driver::Snapshot& snapshot, const std::string& groupId)
{
    std::vector<QString> names;
    if (const driver::GroupSnapshot* group = findGroup(snapshot, groupId))
        for (const auto& partition : groupPartitions(snapshot, *group))
            names.push_back(partitionName(partition));
    return names;
}

void AssignmentMatrixModel::setGroup(const driver::Snapshot& snapshot, const std::string& groupId)
{
    const driver::GroupSnapshot* group = findGroup(snapshot, groupId);
    if (!group) {
        publishMatrix({}, {});
        return;
    }
    std::vector<QString> partitions = groupPartitionNames(snapshot, groupId);
    std::vector<MemberRow> members;
    for (const auto& member : group->summary.members) {
        MemberRow row { QString::fromStdString(member.memberId), QString::fromStdString(member.clientId), {} };
        for (const auto& partition : member.assignment)
            row.partitions.insert(partitionName(partition));
        members.push_back(std::move(row));
    }
    publishMatrix(std::move(partitions), std::move(members));
}

void AssignmentMatrixModel::setOwnership(const std::vector<QString>& partitions, const Ownership& owned)
{
    std::vector<MemberRow> members;
    for (const auto& [client, set] : owned) {
        MemberRow row { QString::fromStdString(client), QString::fromStdString(client), {} };
        for (const std::string& partition : set)
            row.partitions.insert(QString::fromStdString(partition));
        members.push_back(std::move(row));
    }
    publishMatrix(partitions, std::move(members));
}

void AssignmentMatrixModel::publishMatrix(std::vector<QString> partitions, std::vector<MemberRow> members)
{
    if (partitions == shownPartitions_ && members == shownMembers_)
        return;
    std::vector<ColumnInfo> columns;
    for (const QString& partition : partitions)
        columns.push_back({ partition, tr("Partition %1").arg(partition) });
    QStringList keys, titles;
    std::vector<std::vector<Cell>> rows;
    std::vector<int> owners(partitions.size(), 0);
    for (const MemberRow& member : members) {
        std::vector<Cell> row;
        for (std::size_t i = 0; i < partitions.size(); ++i) {
            const bool assigned = member.partitions.count(partitions[i]) != 0;
            Cell cell = Cell::ofText(assigned ? QStringLiteral("\u25cf") : QString(),
                assigned ? tr("%1 reads %2").arg(member.title, partitions[i]) : QString());
            cell.mark = assigned ? Assigned : NoMark;
            cell.number = assigned ? 1 : 0;
            owners[i] += assigned ? 1 : 0;
            row.push_back(cell);
        }
        rows.push_back(std::move(row));
        keys << member.key;
        titles << member.title;
    }
    if (!members.empty()) {
        // A last row shows the partitions nobody reads: during a rebalance, or with more partitions than
        // members can take (never: every partition goes to someone) or too few topics subscribed.
        std::vector<Cell> row;
        for (std::size_t i = 0; i < partitions.size(); ++i) {
            Cell cell = Cell::ofText(owners[i] == 0 ? QStringLiteral("\u25cb") : QString(),
                owners[i] == 0 ? tr("Nobody reads %1 right now").arg(partitions[i]) : QString());
            cell.mark = owners[i] == 0 ? Warning : NoMark;
            cell.number = owners[i] == 0 ? 1 : 0;
            row.push_back(cell);
        }
        rows.push_back(std::move(row));
        keys << QStringLiteral("unassigned");
        titles << tr("(unassigned)");
    }
    shownPartitions_ = std::move(partitions);
    shownMembers_ = std::move(members);
    publish(std::move(columns), keys, titles, std::move(rows));
}

void GroupLagModel::setGroup(const driver::Snapshot& snapshot, const std::string& groupId)
{
    const std::vector<ColumnInfo> columns = {
        { tr("Partition"), {} },
        { tr("Owner"), tr("The member the current assignment gives this partition") },
        { tr("Committed"),
            tr("The group's committed offset: the next record it will read after a restart or a rebalance. It "
               "lives in __consumer_offsets.") },
        { tr("High watermark"), tr("The end of what consumers may read: records every in-sync replica has") },
        { tr("Lag"), tr("High watermark minus committed offset: records the group has not finished yet") },
        { tr("Lag (ms)"), tr("How long ago the oldest record the group has not committed was appended: the time lag") },
    };
    const driver::GroupSnapshot* group = findGroup(snapshot, groupId);
    QStringList keys;
    std::vector<Row> rows;
    if (group) {
        std::map<protocol::TopicPartition, QString> owners; // the last member listing a partition, as before
        for (const auto& member : group->summary.members)
            for (const auto& partition : member.assignment)
                owners[partition] = QString::fromStdString(member.clientId);
        rows.reserve(group->lag.size());
        for (const auto& entry : group->lag) {
            const auto found = owners.find(entry.topicPartition);
            rows.push_back({ entry, found == owners.end() ? QString() : found->second });
            keys << partitionName(entry.topicPartition);
        }
    }
    publish(columns, keys, {}, {}, [this, &rows] { rows_ = std::move(rows); });
}

void GroupLagModel::clear()
{
    publish({}, {}, {}, {}, [this] { rows_.clear(); });
}

GroupTableModel::Cell GroupLagModel::cellAt(int row, int column) const
{
    if (row < 0 || static_cast<std::size_t>(row) >= rows_.size())
        return {};
    const Row& r = rows_[static_cast<std::size_t>(row)];
    const driver::GroupPartitionLag& entry = r.lag;
    switch (column) {
    case PartitionColumn:
        return Cell::ofText(partitionName(entry.topicPartition));
    case OwnerColumn:
        return r.owner.isEmpty() ? Cell::ofText(tr("nobody"), tr("No member reads this partition right now"))
                                 : Cell::ofText(r.owner);
    case CommittedColumn:
        return Cell::ofCount(entry.committed, entry.committed < 0 ? tr("Nothing committed yet") : QString());
    case HighWatermarkColumn:
        return Cell::ofCount(entry.highWatermark);
    default:
        break;
    }
    Cell cell = column == LagColumn ? Cell::ofCount(entry.lag)
                                    : Cell::ofCount(entry.lag > 0 ? entry.lagMs : (entry.lag == 0 ? 0 : -1));
    if (entry.lagMs > 10000)
        cell.mark = Warning;
    return cell;
}

void RebalanceStepsModel::setRebalance(const Rebalance* rebalance, int current)
{
    const std::vector<ColumnInfo> columns = {
        { tr("Time"), tr("Virtual time of the step") },
        { tr("Phase"), tr("join, revoke, sync or assign") },
        { tr("Who"), tr("The member (client.id) or the group coordinator (its broker)") },
        { tr("Group state"), tr("The coordinator's state for the group after this step") },
        { tr("What happened"), {} },
    };
    QStringList keys;
    std::vector<std::vector<Cell>> rows;
    if (rebalance) {
        int index = 0;
        for (const RebalanceStep& step : rebalance->steps) {
            std::vector<Cell> row { Cell::ofText(formatVirtualTime(step.timeUs)),
                Cell::ofText(groupPhaseName(step.phase), groupPhaseExplanation(step.phase)),
                Cell::ofText(QString::fromStdString(step.who)),
                Cell::ofText(groupStateName(step.stateAfter), groupStateExplanation(step.stateAfter)),
                Cell::ofText(QString::fromStdString(step.message), QString::fromStdString(step.kind)) };
            if (index == current)
                for (Cell& cell : row)
                    cell.mark = Current;
            rows.push_back(std::move(row));
            keys << QString::number(index++);
        }
    }
    publish(columns, keys, {}, std::move(rows));
}

} // namespace brokerlab::ui
