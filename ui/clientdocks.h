#pragma once
// The clients' side of the main window: the Consumer Groups and Producers docks and the Clients menu that adds,
// edits, stops and crashes clients. Kept apart from MainWindow so that the window only forwards snapshots and
// events to it.

#include "simulationsession.h"

#include <QObject>

#include <functional>

class QDockWidget;
class QMainWindow;
class QMenu;
class QUndoStack;

namespace brokerlab::ui {

class GroupsPanel;
class ProducersPanel;

class ClientDocks : public QObject {
    Q_OBJECT
public:
    using SessionGetter = std::function<SimulationSession*()>;
    // Creates the docks and tabs them with `tabWith` (a bottom dock of the window).
    ClientDocks(QMainWindow* window, SessionGetter session, QUndoStack* undoStack, QDockWidget* tabWith);

    void setSnapshot(const SnapshotPtr& snapshot);
    void addEvents(const std::vector<sim::Event>& events);
    void clear();

    QMenu* menu() const { return menu_; }
    GroupsPanel* groupsPanel() const { return groups_; }
    ProducersPanel* producersPanel() const { return producers_; }
    QDockWidget* groupsDock() const { return groupsDock_; }
    QDockWidget* producersDock() const { return producersDock_; }

private:
    GroupsPanel* groups_;
    ProducersPanel* producers_;
    QDockWidget* groupsDock_;
    QDockWidget* producersDock_;
    QMenu* menu_;
};

} // namespace brokerlab::ui
