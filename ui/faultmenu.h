#pragma once
// The Faults menu: break and mend the running cluster with the mouse. Each broker has its own
// submenu (crash, power loss, controlled shutdown, restart, isolate, slow disk, disk full), built
// from the newest snapshot every time the menu opens, so only what makes sense is enabled. Every
// action posts a command to the engine, which records it with its virtual time. A fault whose
// inverse exists (a crash and a restart, a pause and a resume, a slow link and a normal one) goes
// on the undo stack; Restore Link lists each slow or lossy link so one can be mended alone.

#include "driver/engine.h"

#include <QMenu>

#include <functional>
#include <string>

class QUndoStack;

namespace brokerlab::ui {

class SimulationSession;

class FaultMenu : public QMenu {
    Q_OBJECT
public:
    using SessionGetter = std::function<SimulationSession*()>;
    // `undoStack` may be null: then nothing is undoable.
    FaultMenu(const QString& title, SessionGetter session, QUndoStack* undoStack, QWidget* parent = nullptr);

    // Rebuilds the items from the current snapshot (also run when the menu is about to show).
    void rebuild();

    using Command = std::function<std::string(driver::Engine&)>;

private:
    struct Inverse {
        QString description;
        Command command;
    };
    QAction* addFault(QMenu* menu, const QString& text, const QString& tip, const QString& objectName, bool enabled,
        const QString& description, Command command, Inverse inverse = {});
    void apply(const QString& description, Command command, Inverse inverse);
    void addBrokerMenu(const driver::BrokerSnapshot& broker, bool removable);
    void addRestoreLinkMenu(const driver::Snapshot& snapshot);

    SessionGetter session_;
    QUndoStack* undoStack_;
};

} // namespace brokerlab::ui
