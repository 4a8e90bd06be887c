#include "faultmenu.h"

#include "enginecommand.h"
#include "networkfaultdialog.h"
#include "simulationsession.h"

#include <QUndoStack>

#include <memory>

namespace brokerlab::ui {

namespace {
constexpr std::int64_t kSlowDiskMs = 2000;

QString nodeName(std::int32_t node)
{
    return node <= 0 ? FaultMenu::tr("controller %1").arg(-node) : FaultMenu::tr("broker %1").arg(node);
}

// Undo of a crash, a power loss or a shutdown: the broker starts again, unless it already has.
FaultMenu::Command restartIfStopped(std::int32_t id)
{
    return [id](driver::Engine& engine) {
        cluster::Broker* broker = engine.cluster().broker(id);
        if (!broker)
            return "there is no broker " + std::to_string(id) + " any more";
        if (broker->isOnline() || broker->processState() == cluster::ProcessState::Paused)
            return "broker " + std::to_string(id) + " is running already";
        broker->restart();
        return std::string();
    };
}
} // namespace

FaultMenu::FaultMenu(const QString& title, SessionGetter session, QUndoStack* undoStack, QWidget* parent)
    : QMenu(title, parent)
    , session_(std::move(session))
    , undoStack_(undoStack)
{
    setObjectName(QStringLiteral("faultMenu"));
    setToolTipsVisible(true);
    connect(this, &QMenu::aboutToShow, this, &FaultMenu::rebuild);
    rebuild();
}

QAction* FaultMenu::addFault(QMenu* menu, const QString& text, const QString& tip, const QString& objectName,
    bool enabled, const QString& description, Command command, Inverse inverse)
{
    QAction* action = menu->addAction(text);
    action->setObjectName(objectName);
    action->setToolTip(inverse.command ? tip + QLatin1Char(' ') + tr("Undo (Ctrl+Z) reverses it.") : tip);
    action->setEnabled(enabled);
    connect(action, &QAction::triggered, this,
        [this, description, command = std::move(command), inverse = std::move(inverse)] {
            apply(description, command, inverse);
        });
    return action;
}

void FaultMenu::apply(const QString& description, Command command, Inverse inverse)
{
    SimulationSession* session = session_();
    if (!session)
        return;
    if (!undoStack_ || !inverse.command) {
        session->post(description, std::move(command));
        return;
    }
    QString undoText = description;
    if (!undoText.isEmpty())
        undoText[0] = undoText[0].toUpper();
    undoStack_->push(new EngineCommand(
        session, undoText, { description, std::move(command) }, { inverse.description, std::move(inverse.command) }));
}

void FaultMenu::rebuild()
{
    // clear() removes the submenus' entries but not the submenus, which are our children.
    qDeleteAll(findChildren<QMenu*>(QString(), Qt::FindDirectChildrenOnly));
    clear();
    SimulationSession* session = session_();
    if (!session) {
        addAction(tr("No cluster is running"))->setEnabled(false);
        return;
    }
    const SnapshotPtr snapshot = session->snapshot();
    for (const auto& broker : snapshot->brokers)
        addBrokerMenu(broker, snapshot->brokers.size() > 1);
    addSeparator();
    std::vector<std::int32_t> brokerIds;
    for (const auto& broker : snapshot->brokers)
        brokerIds.push_back(broker.id);
    const std::int32_t controllers = snapshot->controllers;
    auto openNetworkDialog = [this, brokerIds, controllers](NetworkFaultDialog::Mode mode) {
        auto* dialog = new NetworkFaultDialog(mode, brokerIds, controllers, parentWidget());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            apply(dialog->description(), dialog->command(), { dialog->inverseDescription(), dialog->inverseCommand() });
        });
        dialog->open();
    };
    QAction* partition = addAction(tr("&Partition the Network\u2026"));
    partition->setObjectName(QStringLiteral("partitionNetwork"));
    partition->setToolTip(tr("Split the nodes into two sides that cannot reach each other (a network partition). "
                             "Undo (Ctrl+Z) heals that partition."));
    connect(partition, &QAction::triggered, this,
        [openNetworkDialog] { openNetworkDialog(NetworkFaultDialog::Mode::Partition); });
    QAction* link = addAction(tr("Slow or Lossy &Link\u2026"));
    link->setObjectName(QStringLiteral("linkFault"));
    link->setToolTip(tr("Give one link latency, jitter and packet loss. Undo (Ctrl+Z) gives it its normal latency "
                        "back."));
    connect(
        link, &QAction::triggered, this, [openNetworkDialog] { openNetworkDialog(NetworkFaultDialog::Mode::Link); });
    addRestoreLinkMenu(*snapshot);
    addFault(this, tr("&Heal the Network"),
        tr("Removes every cut link and network partition, and gives slow or lossy links their normal latency back."),
        QStringLiteral("healNetwork"), true, tr("heal the network"), [brokerIds, controllers](driver::Engine& engine) {
            engine.network().heal();
            std::vector<std::int32_t> nodes = brokerIds;
            for (std::int32_t voter = 0; voter < controllers; ++voter)
                nodes.push_back(-voter);
            for (std::int32_t a : nodes)
                for (std::int32_t b : nodes)
                    if (a != b)
                        engine.network().clearLink(a, b);
            return std::string();
        });
    // Undo restarts the voter that was killed; the engine's thread writes which one before undo can read it.
    auto killed = std::make_shared<std::int32_t>(-1);
    addFault(this, tr("&Kill Active Controller"),
        tr("Kills the active controller. With a quorum of three (cluster \"controllers\": 3) the other voters elect a "
           "new one after controller.quorum.fetch.timeout.ms; with a single controller nothing can change the "
           "metadata (no fencing, no leader elections, no ISR changes) until it is restarted."),
        QStringLiteral("killController"), true, tr("kill the active controller"),
        [killed](driver::Engine& engine) {
            *killed = engine.killActiveController();
            return *killed < 0 ? std::string("no controller is active") : std::string();
        },
        { tr("restart the killed controller"), [killed](driver::Engine& engine) {
             if (*killed < 0)
                 return std::string("no controller was killed");
             engine.restartController(*killed);
             return std::string();
         } });
    addFault(this, tr("&Restart Controllers"),
        tr("Restarts every controller that was killed. It comes back with its metadata log from disk and follows "
           "the active controller, or elects itself if it is the only one."),
        QStringLiteral("restartControllers"), true, tr("restart the killed controllers"), [](driver::Engine& engine) {
            for (std::int32_t voter = 0; voter < engine.cluster().quorum().size(); ++voter)
                engine.restartController(voter);
            return std::string();
        });
    addFault(this, tr("&Add Broker"),
        tr("A new broker joins the cluster with the next id. Existing partitions stay where they are; new topics use "
           "it."),
        QStringLiteral("addBroker"), snapshot->brokers.size() < 32, tr("add a broker"), [](driver::Engine& engine) {
            engine.cluster().addBroker();
            return std::string();
        });
}

void FaultMenu::addRestoreLinkMenu(const driver::Snapshot& snapshot)
{
    QMenu* menu = addMenu(tr("Rest&ore Link"));
    menu->setObjectName(QStringLiteral("restoreLinkMenu"));
    menu->setToolTipsVisible(true);
    menu->menuAction()->setToolTip(tr("Give one slow or lossy link its normal latency back, leaving the others"));
    const auto& links = snapshot.linkFaults;
    auto find = [&links](std::int32_t from, std::int32_t to) -> const driver::LinkFaultSnapshot* {
        for (const auto& link : links)
            if (link.from == from && link.to == to)
                return &link;
        return nullptr;
    };
    for (const auto& fault : links) {
        // A link slowed the same way both ways is one entry, as the dialog made it.
        const driver::LinkFaultSnapshot* back = find(fault.to, fault.from);
        const bool both = back && back->link == fault.link;
        if (both && fault.from > fault.to)
            continue;
        const std::int32_t from = fault.from, to = fault.to;
        const sim::LinkSpec spec = fault.link;
        const QString arrow = both ? QStringLiteral("\u2194") : QStringLiteral("\u2192");
        const QString name = tr("%1 %2 %3: %4 ms, jitter %5 ms, loss %6%")
                                 .arg(nodeName(from), arrow, nodeName(to))
                                 .arg(spec.latencyMs)
                                 .arg(spec.jitterMs)
                                 .arg(spec.loss * 100);
        addFault(menu, name, tr("Restores this link's normal latency and loss; other link faults stay."),
            QStringLiteral("restoreLink_%1_%2").arg(from).arg(to), true,
            tr("link %1 %2 %3 back to normal").arg(nodeName(from), arrow, nodeName(to)),
            [from, to, both](driver::Engine& engine) {
                engine.clearLinkFault(from, to, both);
                return std::string();
            },
            { tr("link %1 %2 %3 slow again").arg(nodeName(from), arrow, nodeName(to)),
                [from, to, both, spec](driver::Engine& engine) {
                    engine.setLinkFault(from, to, spec, both);
                    return std::string();
                } });
    }
    if (menu->isEmpty())
        menu->addAction(tr("No slow or lossy link"))->setEnabled(false);
}

void FaultMenu::addBrokerMenu(const driver::BrokerSnapshot& broker, bool removable)
{
    const std::int32_t id = broker.id;
    QMenu* menu = addMenu(tr("Broker %1").arg(id));
    menu->setToolTipsVisible(true);
    menu->setObjectName(QStringLiteral("faultMenuBroker%1").arg(id));
    const bool running = broker.running;
    const Inverse restart { tr("restart broker %1").arg(id), restartIfStopped(id) };
    addFault(menu, tr("&Crash"),
        tr("The broker process dies. Its page cache survives, so nothing it appended is lost; the controller "
           "fences it after broker.session.timeout.ms without a heartbeat and elects new leaders from the ISR."),
        QStringLiteral("crashBroker%1").arg(id), running, tr("crash broker %1").arg(id),
        [id](driver::Engine& engine) {
            engine.cluster().broker(id)->crash();
            return std::string();
        },
        restart);
    addFault(menu, tr("&Power Loss"),
        tr("The machine loses power: like a crash, but the unflushed tail of every log is gone. flush.messages and "
           "flush.ms decide what was on disk."),
        QStringLiteral("powerLossBroker%1").arg(id), running, tr("power loss on broker %1").arg(id),
        [id](driver::Engine& engine) {
            engine.cluster().broker(id)->powerLoss();
            return std::string();
        },
        restart);
    addFault(menu, tr("Controlled &Shutdown"),
        tr("A graceful stop: the controller moves the broker's leaderships to in-sync replicas first, so no "
           "partition is left without a leader."),
        QStringLiteral("shutdownBroker%1").arg(id), running, tr("controlled shutdown of broker %1").arg(id),
        [id](driver::Engine& engine) {
            engine.cluster().broker(id)->shutdown();
            return std::string();
        },
        restart);
    addFault(menu, tr("&Restart"),
        tr("Starts the broker again: log recovery checks every batch's CRC and cuts a torn tail, then the broker "
           "registers, catches up as a follower and rejoins the ISRs."),
        QStringLiteral("restartBroker%1").arg(id), !running && !broker.paused, tr("restart broker %1").arg(id),
        restartIfStopped(id));
    const bool paused = !running && broker.paused;
    auto setPaused = [id](bool pause) {
        return [id, pause](driver::Engine& engine) {
            if (pause)
                engine.cluster().broker(id)->pause();
            else
                engine.cluster().broker(id)->resume();
            return std::string();
        };
    };
    addFault(menu, paused ? tr("Res&ume") : tr("Pa&use (freeze the process)"),
        tr("A frozen process (a stop signal, a long garbage-collection pause) sends no heartbeats and answers "
           "nothing; requests queue up. The controller fences it; when it runs again it works through the "
           "backlog with stale metadata until it catches up."),
        QStringLiteral("pauseBroker%1").arg(id), running || paused,
        paused ? tr("resume broker %1").arg(id) : tr("pause broker %1").arg(id), setPaused(!paused),
        { paused ? tr("pause broker %1").arg(id) : tr("resume broker %1").arg(id), setPaused(paused) });
    menu->addSeparator();
    auto isolate = [id](bool cut) {
        return [id, cut](driver::Engine& engine) {
            engine.isolate(id, cut);
            return std::string();
        };
    };
    addFault(menu, tr("&Isolate from the Network"),
        tr("Cuts every link between this broker and all other nodes. It keeps running on stale metadata; the "
           "controller fences it once its heartbeats stop arriving."),
        QStringLiteral("isolateBroker%1").arg(id), running, tr("isolate broker %1").arg(id), isolate(true),
        { tr("reconnect broker %1").arg(id), isolate(false) });
    addFault(menu, tr("Re&connect"), tr("Restores every link of this broker."),
        QStringLiteral("reconnectBroker%1").arg(id), true, tr("reconnect broker %1").arg(id), isolate(false));
    const bool slow = broker.diskDelayMs > 0;
    auto diskDelay = [id](std::int64_t ms) {
        return [id, ms](driver::Engine& engine) {
            engine.cluster().broker(id)->setDiskDelay(ms * sim::kMicrosPerMs);
            return std::string();
        };
    };
    addFault(menu, slow ? tr("&Fast Disk Again") : tr("Slow &Disk (%1 ms per append)").arg(kSlowDiskMs),
        tr("Every append on this broker, as leader or follower, waits first. A follower that falls behind for "
           "replica.lag.time.max.ms leaves the ISR."),
        QStringLiteral("slowDiskBroker%1").arg(id), running, tr("slow disk on broker %1").arg(id),
        diskDelay(slow ? 0 : kSlowDiskMs),
        { slow ? tr("slow disk on broker %1").arg(id) : tr("fast disk on broker %1").arg(id),
            diskDelay(slow ? broker.diskDelayMs : 0) });
    const bool full = broker.diskFull;
    auto diskFull = [id](bool on) {
        return [id, on](driver::Engine& engine) {
            engine.cluster().broker(id)->setDiskFull(on);
            return std::string();
        };
    };
    addFault(menu, full ? tr("Free Disk &Space") : tr("Disk &Full"),
        tr("Appends on this broker fail with KAFKA_STORAGE_ERROR, which producers retry."),
        QStringLiteral("diskFullBroker%1").arg(id), running, tr("disk full on broker %1").arg(id), diskFull(!full),
        { full ? tr("disk full on broker %1").arg(id) : tr("free disk space on broker %1").arg(id), diskFull(full) });
    menu->addSeparator();
    addFault(menu, tr("Re&move Broker"),
        tr("Decommissions the broker: a controlled shutdown, then UnregisterBroker. Its replicas stay offline "
           "until partitions are reassigned; new topics no longer use it."),
        QStringLiteral("removeBroker%1").arg(id), running && removable, tr("remove broker %1").arg(id),
        [id](driver::Engine& engine) {
            engine.removeBroker(id);
            return std::string();
        });
}

} // namespace brokerlab::ui
