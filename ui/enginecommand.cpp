#include "enginecommand.h"

namespace brokerlab::ui {

EngineCommand::EngineCommand(SimulationSession* session, const QString& text, Side forward, Side inverse)
    : session_(session)
    , forward_(std::move(forward))
    , inverse_(std::move(inverse))
{
    setText(text);
}

void EngineCommand::redo()
{
    if (session_)
        session_->post(forward_.description, forward_.action);
}

void EngineCommand::undo()
{
    if (session_)
        session_->post(inverse_.description, inverse_.action);
}

} // namespace brokerlab::ui
