#pragma once
// The consumer-group tables, each fed with (snapshot, group id): the members with their generation and state,
// the assignment matrix (members x partitions), the lag per partition from the committed offsets, and the steps
// of one rebalance for the replay. The group as its coordinator sees it (driver::GroupSnapshot) joined with what
// each member's client reports (driver::ConsumerSnapshot).

#include "grouptablemodel.h"
#include "rebalancelog.h"
#include "simulationsession.h"

#include <set>
#include <string>

namespace brokerlab::ui {

// The group of that id in the snapshot, or null (no coordinator serves it right now).
const driver::GroupSnapshot* findGroup(const driver::Snapshot& snapshot, const std::string& groupId);
// "topic-N" for every partition of the topics the group reads, in topic and partition order: the matrix's columns.
std::vector<QString> groupPartitionNames(const driver::Snapshot& snapshot, const std::string& groupId);
QString groupStateName(int state); // Kafka's name: "PreparingRebalance"
QString groupStateExplanation(int state);
QString groupPhaseName(GroupPhase phase);
QString groupPhaseExplanation(GroupPhase phase);

class GroupMembersModel : public GroupTableModel {
    Q_OBJECT
public:
    enum Column { ClientColumn, MemberColumn, GenerationColumn, StateColumn, LagColumn, PartitionsColumn };
    using GroupTableModel::GroupTableModel;
    void setGroup(const driver::Snapshot& snapshot, const std::string& groupId);
    void clear() { publish({}, {}, {}, {}); }
};

class AssignmentMatrixModel : public GroupTableModel {
    Q_OBJECT
public:
    using GroupTableModel::GroupTableModel;
    void setGroup(const driver::Snapshot& snapshot, const std::string& groupId);
    // The matrix at one step of a replayed rebalance: `partitions` are the columns, one row per member (client.id).
    void setOwnership(const std::vector<QString>& partitions, const Ownership& owned);
    void clear() { publishMatrix({}, {}); }

private:
    struct MemberRow {
        QString key;
        QString title;
        std::set<QString> partitions;
        bool operator==(const MemberRow&) const = default;
    };
    void publishMatrix(std::vector<QString> partitions, std::vector<MemberRow> members);

    // What the matrix shows now: an unchanged assignment (nearly every snapshot) publishes nothing.
    std::vector<QString> shownPartitions_;
    std::vector<MemberRow> shownMembers_;
};

// A row per partition, formatted only when a view asks for it: at 1,000 partitions building every cell of every
// snapshot took 5 ms a frame, and a view shows a screenful.
class GroupLagModel : public GroupTableModel {
    Q_OBJECT
public:
    enum Column { PartitionColumn, OwnerColumn, CommittedColumn, HighWatermarkColumn, LagColumn, LagMsColumn };
    using GroupTableModel::GroupTableModel;
    void setGroup(const driver::Snapshot& snapshot, const std::string& groupId);
    void clear();

protected:
    Cell cellAt(int row, int column) const override;

private:
    struct Row {
        driver::GroupPartitionLag lag;
        QString owner; // client.id of the member the assignment gives it; empty: nobody
    };
    std::vector<Row> rows_;
};

class RebalanceStepsModel : public GroupTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, PhaseColumn, WhoColumn, StateColumn, WhatColumn };
    using GroupTableModel::GroupTableModel;
    // `current` is the replayed step (-1: none): its row is marked.
    void setRebalance(const Rebalance* rebalance, int current);
    void clear() { publish({}, {}, {}, {}); }
};

} // namespace brokerlab::ui
