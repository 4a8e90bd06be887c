#pragma once
// The Faults menu: break and mend the running cluster with the mouse. Each broker has its own
// submenu (crash, power loss, controlled shutdown, restart, isolate, slow disk, disk full), built
// from the newest snapshot every time the menu opens, so only what makes sense is enabled. Every
// action posts a command to the engine, which records it with its virtual time.

#include "driver/engine.h"

#include <QMenu>

#include <functional>
#include <string>

namespace brokerlab::ui {

class SimulationSession;

class FaultMenu : public QMenu {
    Q_OBJECT
public:
    using SessionGetter = std::function<SimulationSession*()>;
    FaultMenu(const QString& title, SessionGetter session, QWidget* parent = nullptr);

    // Rebuilds the items from the current snapshot (also run when the menu is about to show).
    void rebuild();

private:
    QAction* addFault(QMenu* menu, const QString& text, const QString& tip, const QString& objectName, bool enabled,
        const QString& description, std::function<std::string(driver::Engine&)> command);

    SessionGetter session_;
};

} // namespace brokerlab::ui
