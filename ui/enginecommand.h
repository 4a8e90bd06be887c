#pragma once
// An undoable action on the running cluster whose inverse exists (a member added and stopped, a broker paused and
// resumed, a link slowed and restored). Each side is an engine command posted to the session; the engine stamps it
// with the virtual time it ran at, so undo does not rewind time: it applies the inverse now.

#include "simulationsession.h"

#include <QPointer>
#include <QUndoCommand>

namespace brokerlab::ui {

class EngineCommand : public QUndoCommand {
public:
    struct Side {
        QString description; // for the command log and a refusal's message
        SimulationSession::Command action;
    };
    EngineCommand(SimulationSession* session, const QString& text, Side forward, Side inverse);
    void redo() override;
    void undo() override;

private:
    QPointer<SimulationSession> session_;
    Side forward_;
    Side inverse_;
};

} // namespace brokerlab::ui
