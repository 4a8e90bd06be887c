#include "faultmenu.h"

#include "networkfaultdialog.h"
#include "simulationsession.h"

namespace brokerlab::ui {

namespace {
constexpr std::int64_t kSlowDiskMs = 2000;
}

FaultMenu::FaultMenu(const QString& title, SessionGetter session, QWidget* parent)
    : QMenu(title, parent)
    , session_(std::move(session))
{
    setObjectName(QStringLiteral("faultMenu"));
    setToolTipsVisible(true);
    connect(this, &QMenu::aboutToShow, this, &FaultMenu::rebuild);
    rebuild();
}

QAction* FaultMenu::addFault(QMenu* menu, const QString& text, const QString& tip, const QString& objectName,
    bool enabled, const QString& description, std::function<std::string(driver::Engine&)> command)
{
    QAction* action = menu->addAction(text);
    action->setObjectName(objectName);
    action->setToolTip(tip);
    action->setEnabled(enabled);
    connect(action, &QAction::triggered, this, [this, description, command = std::move(command)] {
        if (SimulationSession* session = session_())
            session->post(description, command);
    });
    return action;
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
    for (const auto& broker : snapshot->brokers) {
        const std::int32_t id = broker.id;
        QMenu* menu = addMenu(tr("Broker %1").arg(id));
        menu->setToolTipsVisible(true);
        menu->setObjectName(QStringLiteral("faultMenuBroker%1").arg(id));
        const bool running = broker.running;
        addFault(menu, tr("&Crash"),
            tr("The broker process dies. Its page cache survives, so nothing it appended is lost; the controller "
               "fences it after broker.session.timeout.ms without a heartbeat and elects new leaders from the ISR."),
            QStringLiteral("crashBroker%1").arg(id), running, tr("crash broker %1").arg(id),
            [id](driver::Engine& engine) {
                engine.cluster().broker(id)->crash();
                return std::string();
            });
        addFault(menu, tr("&Power Loss"),
            tr("The machine loses power: like a crash, but the unflushed tail of every log is gone. flush.messages and "
               "flush.ms decide what was on disk."),
            QStringLiteral("powerLossBroker%1").arg(id), running, tr("power loss on broker %1").arg(id),
            [id](driver::Engine& engine) {
                engine.cluster().broker(id)->powerLoss();
                return std::string();
            });
        addFault(menu, tr("Controlled &Shutdown"),
            tr("A graceful stop: the controller moves the broker's leaderships to in-sync replicas first, so no "
               "partition is left without a leader."),
            QStringLiteral("shutdownBroker%1").arg(id), running, tr("controlled shutdown of broker %1").arg(id),
            [id](driver::Engine& engine) {
                engine.cluster().broker(id)->shutdown();
                return std::string();
            });
        addFault(menu, tr("&Restart"),
            tr("Starts the broker again: log recovery checks every batch's CRC and cuts a torn tail, then the broker "
               "registers, catches up as a follower and rejoins the ISRs."),
            QStringLiteral("restartBroker%1").arg(id), !running && !broker.paused, tr("restart broker %1").arg(id),
            [id](driver::Engine& engine) {
                engine.cluster().broker(id)->restart();
                return std::string();
            });
        const bool paused = !running && broker.paused;
        addFault(menu, paused ? tr("Res&ume") : tr("Pa&use (freeze the process)"),
            tr("A frozen process (a stop signal, a long garbage-collection pause) sends no heartbeats and answers "
               "nothing; requests queue up. The controller fences it; when it runs again it works through the "
               "backlog with stale metadata until it catches up."),
            QStringLiteral("pauseBroker%1").arg(id), running || paused,
            paused ? tr("resume broker %1").arg(id) : tr("pause broker %1").arg(id),
            [id, paused](driver::Engine& engine) {
                if (paused)
                    engine.cluster().broker(id)->resume();
                else
                    engine.cluster().broker(id)->pause();
                return std::string();
            });
        menu->addSeparator();
        addFault(menu, tr("&Isolate from the Network"),
            tr("Cuts every link between this broker and all other nodes. It keeps running on stale metadata; the "
               "controller fences it once its heartbeats stop arriving."),
            QStringLiteral("isolateBroker%1").arg(id), running, tr("isolate broker %1").arg(id),
            [id](driver::Engine& engine) {
                engine.isolate(id, true);
                return std::string();
            });
        addFault(menu, tr("Re&connect"), tr("Restores every link of this broker."),
            QStringLiteral("reconnectBroker%1").arg(id), true, tr("reconnect broker %1").arg(id),
            [id](driver::Engine& engine) {
                engine.isolate(id, false);
                return std::string();
            });
        const bool slow = broker.diskDelayMs > 0;
        addFault(menu, slow ? tr("&Fast Disk Again") : tr("Slow &Disk (%1 ms per append)").arg(kSlowDiskMs),
            tr("Every append on this broker, as leader or follower, waits first. A follower that falls behind for "
               "replica.lag.time.max.ms leaves the ISR."),
            QStringLiteral("slowDiskBroker%1").arg(id), running, tr("slow disk on broker %1").arg(id),
            [id, slow](driver::Engine& engine) {
                engine.cluster().broker(id)->setDiskDelay(slow ? 0 : kSlowDiskMs * sim::kMicrosPerMs);
                return std::string();
            });
        const bool full = broker.diskFull;
        addFault(menu, full ? tr("Free Disk &Space") : tr("Disk &Full"),
            tr("Appends on this broker fail with KAFKA_STORAGE_ERROR, which producers retry."),
            QStringLiteral("diskFullBroker%1").arg(id), running, tr("disk full on broker %1").arg(id),
            [id, full](driver::Engine& engine) {
                engine.cluster().broker(id)->setDiskFull(!full);
                return std::string();
            });
        menu->addSeparator();
        addFault(menu, tr("Re&move Broker"),
            tr("Decommissions the broker: a controlled shutdown, then UnregisterBroker. Its replicas stay offline "
               "until partitions are reassigned; new topics no longer use it."),
            QStringLiteral("removeBroker%1").arg(id), running && snapshot->brokers.size() > 1,
            tr("remove broker %1").arg(id), [id](driver::Engine& engine) {
                engine.removeBroker(id);
                return std::string();
            });
    }
    addSeparator();
    std::vector<std::int32_t> brokerIds;
    for (const auto& broker : snapshot->brokers)
        brokerIds.push_back(broker.id);
    const std::int32_t controllers = snapshot->controllers;
    auto openNetworkDialog = [this, brokerIds, controllers](NetworkFaultDialog::Mode mode) {
        auto* dialog = new NetworkFaultDialog(mode, brokerIds, controllers, parentWidget());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            if (SimulationSession* current = session_())
                current->post(dialog->description(), dialog->command());
        });
        dialog->open();
    };
    QAction* partition = addAction(tr("&Partition the Network\u2026"));
    partition->setObjectName(QStringLiteral("partitionNetwork"));
    partition->setToolTip(tr("Split the nodes into two sides that cannot reach each other (a network partition)"));
    connect(partition, &QAction::triggered, this,
        [openNetworkDialog] { openNetworkDialog(NetworkFaultDialog::Mode::Partition); });
    QAction* link = addAction(tr("Slow or Lossy &Link\u2026"));
    link->setObjectName(QStringLiteral("linkFault"));
    link->setToolTip(tr("Give one link latency, jitter and packet loss"));
    connect(
        link, &QAction::triggered, this, [openNetworkDialog] { openNetworkDialog(NetworkFaultDialog::Mode::Link); });
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
    addFault(this, tr("&Kill Active Controller"),
        tr("Kills the active controller. With a quorum of three (cluster \"controllers\": 3) the other voters elect a "
           "new one after controller.quorum.fetch.timeout.ms; with a single controller nothing can change the "
           "metadata (no fencing, no leader elections, no ISR changes) until it is restarted."),
        QStringLiteral("killController"), true, tr("kill the active controller"), [](driver::Engine& engine) {
            return engine.killActiveController() < 0 ? std::string("no controller is active") : std::string();
        });
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

} // namespace brokerlab::ui
