#include "clientcommands.h"

#include "simulationsession.h"

#include <QCoreApplication>

namespace brokerlab::ui {

namespace {
QString trc(const char* text) { return QCoreApplication::translate("brokerlab::ui::ClientCommands", text); }

void start(SimulationSession* session, const scenario::ProducerSpec& spec)
{
    if (!session)
        return;
    session->post(trc("start producer %1").arg(QString::fromStdString(spec.id)), [spec](driver::Engine& engine) {
        std::string error;
        return engine.addProducer(spec, &error) ? std::string() : error;
    });
}

void stop(SimulationSession* session, const std::string& id)
{
    if (!session)
        return;
    session->post(trc("stop producer %1").arg(QString::fromStdString(id)),
        [id](driver::Engine& engine) { return engine.stopProducer(id) ? std::string() : "no running producer " + id; });
}
} // namespace

AddProducerCommand::AddProducerCommand(SimulationSession* session, scenario::ProducerSpec spec)
    : session_(session)
    , spec_(std::move(spec))
{
    setText(trc("Add Producer %1").arg(QString::fromStdString(spec_.id)));
}

void AddProducerCommand::redo() { start(session_, spec_); }
void AddProducerCommand::undo() { stop(session_, spec_.id); }

EditProducerCommand::EditProducerCommand(
    SimulationSession* session, scenario::ProducerSpec before, scenario::ProducerSpec after)
    : session_(session)
    , before_(std::move(before))
    , after_(std::move(after))
{
    setText(trc("Edit Producer %1").arg(QString::fromStdString(after_.id)));
}

void EditProducerCommand::redo()
{
    stop(session_, before_.id);
    start(session_, after_);
}

void EditProducerCommand::undo()
{
    stop(session_, after_.id);
    start(session_, before_);
}

StopProducerCommand::StopProducerCommand(SimulationSession* session, scenario::ProducerSpec spec)
    : session_(session)
    , spec_(std::move(spec))
{
    setText(trc("Stop Producer %1").arg(QString::fromStdString(spec_.id)));
}

void StopProducerCommand::redo() { stop(session_, spec_.id); }
void StopProducerCommand::undo() { start(session_, spec_); }

} // namespace brokerlab::ui
