#pragma once
// Undoable producer edits. Adding a producer is undone by stopping it; an edit (a Kafka producer reads its configs
// once, so an edit is a restart with new settings) is undone by restarting with the old ones. Each side is an
// engine command posted to the session; the engine stamps it with the virtual time it ran at.

#include "scenario/scenario.h"

#include <QPointer>
#include <QUndoCommand>

namespace brokerlab::ui {

class SimulationSession;

class AddProducerCommand : public QUndoCommand {
public:
    AddProducerCommand(SimulationSession* session, scenario::ProducerSpec spec);
    void redo() override;
    void undo() override;

private:
    QPointer<SimulationSession> session_;
    scenario::ProducerSpec spec_;
};

class EditProducerCommand : public QUndoCommand {
public:
    EditProducerCommand(SimulationSession* session, scenario::ProducerSpec before, scenario::ProducerSpec after);
    void redo() override;
    void undo() override;

private:
    QPointer<SimulationSession> session_;
    scenario::ProducerSpec before_;
    scenario::ProducerSpec after_;
};

class StopProducerCommand : public QUndoCommand {
public:
    StopProducerCommand(SimulationSession* session, scenario::ProducerSpec spec);
    void redo() override;
    void undo() override;

private:
    QPointer<SimulationSession> session_;
    scenario::ProducerSpec spec_;
};

} // namespace brokerlab::ui
