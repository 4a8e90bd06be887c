#pragma once
// The clients' side of the main window: the Consumer Groups, Producers, and Processors and Queues docks and the
// Clients menu that adds, edits, stops and crashes clients. Kept apart from MainWindow so that the window only forwards snapshots and
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
class ProcessorsPanel;
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
    ProcessorsPanel* processorsPanel() const { return processors_; } // stream processors and modelled queues
    QDockWidget* groupsDock() const { return groupsDock_; }
    QDockWidget* producersDock() const { return producersDock_; }
    QDockWidget* processorsDock() const { return processorsDock_; }

private:
    GroupsPanel* groups_;
    ProducersPanel* producers_;
    ProcessorsPanel* processors_;
    QDockWidget* groupsDock_;
    QDockWidget* producersDock_;
    QDockWidget* processorsDock_;
    QMenu* menu_;
};

} // namespace brokerlab::ui
