#include "clientdocks.h"

#include "groupspanel.h"
#include "processorspanel.h"
#include "producerspanel.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QScrollArea>

namespace brokerlab::ui {

ClientDocks::ClientDocks(QMainWindow* window, SessionGetter session, QUndoStack* undoStack, QDockWidget* tabWith)
    : QObject(window)
    , groups_(new GroupsPanel(session, undoStack, window))
    , producers_(new ProducersPanel(session, undoStack, window))
    , processors_(new ProcessorsPanel(window))
    , groupsDock_(new QDockWidget(tr("Consumer Groups"), window))
    , producersDock_(new QDockWidget(tr("Producers"), window))
    , processorsDock_(new QDockWidget(tr("Processors and Queues"), window))
    , menu_(new QMenu(tr("C&lients"), window))
{
    setObjectName(QStringLiteral("clientDocks"));
    for (auto [dock, widget, name] : { std::tuple { groupsDock_, static_cast<QWidget*>(groups_), "groupsDock" },
             std::tuple { producersDock_, static_cast<QWidget*>(producers_), "producersDock" },
             std::tuple { processorsDock_, static_cast<QWidget*>(processors_), "processorsDock" } }) {
        dock->setObjectName(QLatin1String(name));
        // On a short screen the dock may be lower than the panel's natural minimum: it scrolls rather than
        // forcing the window taller than the screen.
        auto* scroll = new QScrollArea(dock);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(widget);
        dock->setWidget(scroll);
        dock->setFeatures(
            QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
        window->tabifyDockWidget(tabWith, dock);
    }
    tabWith->raise();

    menu_->setObjectName(QStringLiteral("clientsMenu"));
    menu_->setToolTipsVisible(true);
    menu_->addAction(producers_->addAction());
    menu_->addAction(producers_->editAction());
    menu_->addAction(producers_->stopAction());
    menu_->addSeparator();
    menu_->addAction(groups_->newGroupAction());
    menu_->addAction(groups_->addMemberAction());
    menu_->addAction(groups_->stopMemberAction());
    menu_->addAction(groups_->crashMemberAction());
    menu_->addAction(groups_->slowMemberAction());
    menu_->addAction(groups_->assignorAction());
    menu_->addSeparator();
    QAction* showGroups = groupsDock_->toggleViewAction();
    showGroups->setShortcut(QKeySequence(Qt::ALT | Qt::Key_G));
    menu_->addAction(showGroups);
    QAction* showProducers = producersDock_->toggleViewAction();
    showProducers->setShortcut(QKeySequence(Qt::ALT | Qt::Key_P));
    menu_->addAction(showProducers);
    QAction* showProcessors = processorsDock_->toggleViewAction();
    showProcessors->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Q));
    showProcessors->setToolTip(tr("Stream processors (consume, filter, map, route, produce) and the queues "
                                  "modelled beside Kafka for comparison"));
    menu_->addAction(showProcessors);
}

void ClientDocks::setSnapshot(const SnapshotPtr& snapshot)
{
    groups_->setSnapshot(snapshot);
    producers_->setSnapshot(snapshot);
    processors_->setSnapshot(snapshot);
}

void ClientDocks::addEvents(const std::vector<sim::Event>& events) { groups_->addEvents(events); }

void ClientDocks::clear()
{
    groups_->clear();
    producers_->clear();
    processors_->clear();
}

} // namespace brokerlab::ui
