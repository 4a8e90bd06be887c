// GroupsPanel's actions on members and groups: add a group, stop, crash or slow a member, change the assignor,
// each an undoable engine command; and which of them the current selection allows. The panel's views, selection
// and rebalance replay are in groupspanel.cpp.
#include "assignordialog.h"
#include "clientdialogs.h"
#include "enginecommand.h"
#include "groupmodels.h"
#include "groupspanel.h"

#include <QAction>
#include <QToolBar>
#include <QUndoStack>

#include <memory>
#include <tuple>

namespace brokerlab::ui {

namespace {
constexpr double kSlowFactor = 10;
} // namespace

void GroupsPanel::createActions()
{
    addMemberAction_ = new QAction(tr("Add &Member"), this);
    addMemberAction_->setObjectName(QStringLiteral("addGroupMember"));
    addMemberAction_->setIconText(tr("Add Member"));
    addMemberAction_->setToolTip(tr("Start one more consumer in this group. It sends JoinGroup, so the group "
                                    "rebalances: every member rejoins and the partitions are shared again."));
    connect(addMemberAction_, &QAction::triggered, this, [this] {
        const QString group = currentGroup();
        if (group.isEmpty())
            return;
        // The client.id the engine gives the new member, for undo; both sides run on the engine's thread, in order.
        auto added = std::make_shared<std::string>();
        pushCommand(
            tr("Add Member to %1").arg(group), tr("add a member to group %1").arg(group),
            [added, id = group.toStdString()](driver::Engine& engine) {
                client::Consumer* consumer = engine.addMember(id);
                if (!consumer)
                    return "no consumer entry belongs to group " + id;
                *added = consumer->clientId();
                return std::string();
            },
            tr("stop the member added to group %1").arg(group),
            [added](driver::Engine& engine) {
                return engine.closeConsumer(*added) ? std::string() : "no consumer " + *added;
            });
    });

    stopMemberAction_ = new QAction(tr("&Stop Member"), this);
    stopMemberAction_->setObjectName(QStringLiteral("stopGroupMember"));
    stopMemberAction_->setIconText(tr("Stop"));
    stopMemberAction_->setToolTip(tr("Close the selected consumer gracefully: it commits its offsets and sends "
                                     "LeaveGroup, so the group rebalances at once."));
    connect(stopMemberAction_, &QAction::triggered, this, [this] { stopOrCrashSelected(false); });

    crashMemberAction_ = new QAction(tr("&Crash Member"), this);
    crashMemberAction_->setObjectName(QStringLiteral("crashGroupMember"));
    crashMemberAction_->setIconText(tr("Crash"));
    crashMemberAction_->setToolTip(tr("Kill the selected consumer's process: no commit, no LeaveGroup. The coordinator "
                                      "notices only after session.timeout.ms without a heartbeat; until then its "
                                      "partitions are not read."));
    connect(crashMemberAction_, &QAction::triggered, this, [this] { stopOrCrashSelected(true); });

    slowMemberAction_ = new QAction(tr("Slo&w Down \u00d710"), this);
    slowMemberAction_->setObjectName(QStringLiteral("slowGroupMember"));
    slowMemberAction_->setIconText(tr("Slow \u00d710"));
    slowMemberAction_->setCheckable(true);
    slowMemberAction_->setToolTip(tr("Make the selected consumer's processing ten times slower (or normal again). If "
                                     "one poll loop takes longer than max.poll.interval.ms the member leaves the "
                                     "group; before that its lag grows."));
    connect(slowMemberAction_, &QAction::triggered, this, [this](bool slow) {
        const QString client = selectedClient();
        if (client.isEmpty())
            return;
        auto setFactor = [id = client.toStdString()](double factor) {
            return [id, factor](driver::Engine& engine) {
                return engine.slowConsumer(id, factor) ? std::string() : "no consumer " + id;
            };
        };
        const QString slowText = tr("slow down consumer %1").arg(client);
        const QString normalText = tr("consumer %1 at normal speed").arg(client);
        pushCommand(slow ? tr("Slow Down %1").arg(client) : tr("Normal Speed for %1").arg(client),
            slow ? slowText : normalText, setFactor(slow ? kSlowFactor : 1.0), slow ? normalText : slowText,
            setFactor(slow ? 1.0 : kSlowFactor));
    });

    assignorAction_ = new QAction(tr("Change &Assignor\u2026"), this);
    assignorAction_->setObjectName(QStringLiteral("changeAssignor"));
    assignorAction_->setIconText(tr("Assignor\u2026"));
    assignorAction_->setToolTip(
        tr("Change partition.assignment.strategy, the assignors the members offer in JoinGroup. A consumer reads it "
           "once, when it is created, so this restarts the members one at a time (a rolling restart). The group "
           "leader runs the assignor the coordinator picks among those every member supports, so the new one takes "
           "effect at the rebalance after the last old member is gone. Classic protocol only: with KIP-848 the "
           "broker assigns (group.remote.assignor)."));
    connect(assignorAction_, &QAction::triggered, this, &GroupsPanel::showAssignorDialog);

    newGroupAction_ = new QAction(tr("&New Consumer Group\u2026"), this);
    newGroupAction_->setObjectName(QStringLiteral("newConsumerGroup"));
    newGroupAction_->setIconText(tr("New Group\u2026"));
    newGroupAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    newGroupAction_->setToolTip(tr("Start a new consumer group: its group.id, topics, members, assignor, processing "
                                   "time and commit mode (Ctrl+Shift+G)"));
    connect(newGroupAction_, &QAction::triggered, this, &GroupsPanel::showNewGroupDialog);

    previousStepAction_ = new QAction(tr("\u25c0 Step"), this);
    previousStepAction_->setObjectName(QStringLiteral("replayPrevious"));
    previousStepAction_->setToolTip(tr("Show the previous step of the rebalance"));
    connect(previousStepAction_, &QAction::triggered, this, [this] { replayStep(std::max(0, step_ - 1)); });
    nextStepAction_ = new QAction(tr("Step \u25b6"), this);
    nextStepAction_->setObjectName(QStringLiteral("replayNext"));
    nextStepAction_->setToolTip(tr("Show the next step of the rebalance"));
    connect(nextStepAction_, &QAction::triggered, this, [this] { replayStep(step_ + 1); });
    playAction_ = new QAction(tr("Play"), this);
    playAction_->setObjectName(QStringLiteral("replayPlay"));
    playAction_->setCheckable(true);
    playAction_->setToolTip(tr("Replay the rebalance one step at a time, with the state machine following"));
    connect(playAction_, &QAction::toggled, this, [this](bool on) {
        if (!on) {
            replayTimer_.stop();
            return;
        }
        const Rebalance* rebalance = currentRebalance();
        if (rebalance && step_ + 1 >= static_cast<int>(rebalance->steps.size()))
            step_ = -1; // start over
        replayStep(step_ + 1);
        replayTimer_.start();
    });
    liveAction_ = new QAction(tr("Live"), this);
    liveAction_->setObjectName(QStringLiteral("replayLive"));
    liveAction_->setToolTip(tr("Stop replaying: the state machine shows the group's state now"));
    connect(liveAction_, &QAction::triggered, this, [this] {
        replayTimer_.stop();
        playAction_->setChecked(false);
        replayStep(-1);
    });
}

void GroupsPanel::pushCommand(const QString& text, const QString& forwardDescription,
    SimulationSession::Command forward, const QString& inverseDescription, SimulationSession::Command inverse)
{
    SimulationSession* session = session_();
    if (!session)
        return;
    if (!undoStack_) {
        session->post(forwardDescription, std::move(forward));
        return;
    }
    undoStack_->push(new EngineCommand(
        session, text, { forwardDescription, std::move(forward) }, { inverseDescription, std::move(inverse) }));
}

void GroupsPanel::stopOrCrashSelected(bool crash)
{
    const QString client = selectedClient();
    const QString group = currentGroup();
    if (client.isEmpty() || group.isEmpty())
        return;
    // A closed or crashed consumer cannot come back; undo starts a new member of the group in its place (the way
    // an operator restarts a consumer), and redo then stops or crashes that one. Both sides run on the engine's
    // thread, in order, so they share `current` without a lock.
    auto current = std::make_shared<std::string>(client.toStdString());
    pushCommand(
        crash ? tr("Crash %1").arg(client) : tr("Stop %1").arg(client),
        crash ? tr("crash consumer %1").arg(client) : tr("stop consumer %1").arg(client),
        [current, crash](driver::Engine& engine) {
            if (crash)
                return engine.crashConsumer(*current) ? std::string() : "consumer " + *current + " is not running";
            return engine.closeConsumer(*current) ? std::string() : "no consumer " + *current;
        },
        tr("start a member of group %1 in place of %2").arg(group, client),
        [current, id = group.toStdString()](driver::Engine& engine) {
            client::Consumer* consumer = engine.addMember(id);
            if (!consumer)
                return "no consumer entry belongs to group " + id;
            *current = consumer->clientId();
            return std::string();
        });
}

void GroupsPanel::showAssignorDialog()
{
    const QString group = currentGroup();
    if (!snapshot_ || group.isEmpty())
        return;
    QString current;
    int members = 0;
    for (const auto& consumer : snapshot_->consumers) {
        if (QString::fromStdString(consumer.groupId) != group || consumer.crashed || consumer.memberState == "Left"
            || consumer.memberState == "Failed")
            continue;
        ++members;
        current = QString::fromStdString(consumer.assignmentStrategy); // the newest member's list
    }
    const driver::GroupSnapshot* g = findGroup(*snapshot_, group.toStdString());
    auto* dialog = new AssignorDialog(
        group, current, g ? QString::fromStdString(g->summary.protocol) : QString(), members, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, group, current] {
        const QString after = dialog->strategy();
        auto roll = [id = group.toStdString()](const QString& strategy) {
            return [id, list = strategy.toStdString()](driver::Engine& engine) {
                std::string error;
                return engine.rollAssignmentStrategy(id, list, &error) ? std::string() : error;
            };
        };
        pushCommand(tr("Assignor of %1: %2").arg(group, after),
            tr("restart group %1 with partition.assignment.strategy %2").arg(group, after), roll(after),
            tr("restart group %1 with partition.assignment.strategy %2").arg(group, current), roll(current));
    });
    dialog->open();
}

void GroupsPanel::showNewGroupDialog()
{
    SimulationSession* session = session_();
    if (!session)
        return;
    std::vector<std::string> topics, groups;
    for (const auto& topic : session->snapshot()->topics)
        if (!topic.internal)
            topics.push_back(topic.name);
    for (const auto& consumer : session->snapshot()->consumers)
        groups.push_back(consumer.groupId);
    auto* dialog = new ConsumerGroupDialog(topics, groups, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        SimulationSession* current = session_();
        if (!current)
            return;
        scenario::ConsumerSpec spec = dialog->spec();
        const QString id = QString::fromStdString(spec.config.groupId);
        current->post(tr("start consumer group %1").arg(id), [spec](driver::Engine& engine) {
            std::string error;
            return engine.addConsumerGroup(spec, &error) ? std::string() : error;
        });
        selectGroup(id);
    });
    dialog->open();
}

void GroupsPanel::updateActions()
{
    const bool running = session_() != nullptr;
    const QString client = selectedClient();
    const QString group = currentGroup();
    bool crashed = false;
    bool external = false; // a real client over the Kafka listeners: its process is not Brokerlab's to stop
    // A group of real clients only has no consumer entry Brokerlab runs to start another member from.
    bool simulatedMembers = false;
    bool externalMembers = false;
    if (snapshot_)
        for (const auto& consumer : snapshot_->consumers) {
            if (QString::fromStdString(consumer.clientId) == client) {
                crashed = consumer.crashed || consumer.memberState == "Left";
                external = consumer.external;
            }
            if (QString::fromStdString(consumer.groupId) == group)
                (consumer.external ? externalMembers : simulatedMembers) = true;
        }
    const bool realClientsOnly = externalMembers && !simulatedMembers;
    addMemberAction_->setEnabled(running && !group.isEmpty() && !realClientsOnly);
    addMemberAction_->setToolTip(!realClientsOnly
            ? addMemberTip_
            : tr("Every member of group %1 is a real client connected over the Kafka listeners: Brokerlab has no "
                 "consumer of its own in this group to start another of. Start one more where those clients run.")
                  .arg(group));
    for (auto [action, tip] : { std::pair { stopMemberAction_, &stopMemberTip_ },
             std::pair { crashMemberAction_, &crashMemberTip_ }, std::pair { slowMemberAction_, &slowMemberTip_ } }) {
        action->setEnabled(running && !client.isEmpty() && !crashed && !external);
        action->setToolTip(external ? tr("%1 is a real client connected over the Kafka listeners. Brokerlab cannot "
                                         "stop, crash or slow down a process it does not run: do that where it "
                                         "runs, and watch the group rebalance here.")
                                          .arg(client)
                                    : *tip);
    }
    newGroupAction_->setEnabled(running);
    // KIP-848 groups are assigned by the broker (group.remote.assignor): nothing to restart for.
    bool classic = !currentGroup().isEmpty();
    if (snapshot_)
        for (const auto& consumer : snapshot_->consumers)
            if (QString::fromStdString(consumer.groupId) == currentGroup() && consumer.groupProtocol == "consumer")
                classic = false;
    assignorAction_->setEnabled(running && classic);
}

} // namespace brokerlab::ui
