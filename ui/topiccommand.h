#pragma once
// Undoable topic edits. Each command posts its work to the engine's worker and keeps what it learned there (did
// the create succeed? where were the replicas placed? what did the deleted topic look like?) in state that only
// the worker touches: commands run on the worker in order, so no lock is needed, and an undo never deletes a
// topic that its redo did not create.

#include "cluster/brokerconfig.h"
#include "simulationsession.h"

#include <QPointer>
#include <QUndoCommand>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace brokerlab::ui {

struct TopicDefinition {
    std::string name;
    std::int32_t partitions = 1;
    std::int32_t replicationFactor = 1;
    cluster::TopicConfig config;
    std::vector<std::vector<std::int32_t>> assignment; // replicas per partition; empty = let the controller place them
};

class CreateTopicCommand : public QUndoCommand {
public:
    CreateTopicCommand(SimulationSession* session, TopicDefinition topic);
    void redo() override;
    void undo() override;

private:
    struct WorkerState {
        bool created = false;
        std::vector<std::vector<std::int32_t>> placement; // kept so a redo puts replicas back where they were
    };
    QPointer<SimulationSession> session_;
    TopicDefinition topic_;
    std::shared_ptr<WorkerState> state_ = std::make_shared<WorkerState>();
};

class DeleteTopicCommand : public QUndoCommand {
public:
    DeleteTopicCommand(SimulationSession* session, std::string topic);
    void redo() override;
    void undo() override;

private:
    struct WorkerState {
        bool deleted = false;
        TopicDefinition definition; // as it was just before the delete
    };
    QPointer<SimulationSession> session_;
    std::string topic_;
    std::shared_ptr<WorkerState> state_ = std::make_shared<WorkerState>();
};

} // namespace brokerlab::ui
