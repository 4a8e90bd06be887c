#include "groupspanel.h"

#include "assignordialog.h"
#include "clientdialogs.h"
#include "enginecommand.h"
#include "formatting.h"
#include "groupmodels.h"
#include "groupstatediagram.h"

#include <QAction>
#include <QCollator>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <memory>
#include <tuple>

namespace brokerlab::ui {

namespace {
constexpr int kReplayIntervalMs = 700; // slow enough to read a step, quick enough to see the flow
constexpr double kSlowFactor = 10;

QTableView* makeTable(QAbstractItemModel* model, const QString& name, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setHighlightSections(false);
    view->setWordWrap(false);
    return view;
}
} // namespace

GroupsPanel::GroupsPanel(SessionGetter session, QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent)
    , session_(std::move(session))
    , undoStack_(undoStack)
    , groupBox_(new QComboBox(this))
    , summary_(new QLabel(this))
    , diagram_(new GroupStateDiagram(this))
    , tabs_(new QTabWidget(this))
    , members_(new GroupMembersModel(this))
    , assignment_(new AssignmentMatrixModel(this))
    , lag_(new GroupLagModel(this))
    , steps_(new RebalanceStepsModel(this))
    , replayAssignment_(new AssignmentMatrixModel(this))
    , membersView_(makeTable(members_, QStringLiteral("groupMembersView"), this))
    , assignmentView_(makeTable(assignment_, QStringLiteral("assignmentView"), this))
    , lagView_(makeTable(lag_, QStringLiteral("groupLagView"), this))
    , stepsView_(makeTable(steps_, QStringLiteral("rebalanceStepsView"), this))
    , replayAssignmentView_(makeTable(replayAssignment_, QStringLiteral("replayAssignmentView"), this))
    , replayCaption_(new QLabel(this))
    , rebalanceBox_(new QComboBox(this))
    , rebalanceLabel_(new QLabel(this))
{
    setObjectName(QStringLiteral("groupsPanel"));
    groupBox_->setObjectName(QStringLiteral("groupBox"));
    groupBox_->setToolTip(tr("The consumer group (group.id) to show. Its members share the partitions of the topics "
                             "they subscribe to; each partition goes to exactly one member."));
    groupBox_->setMinimumContentsLength(14);
    groupBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    summary_->setObjectName(QStringLiteral("groupSummary"));
    summary_->setTextFormat(Qt::PlainText);
    summary_->setWordWrap(true);
    rebalanceBox_->setObjectName(QStringLiteral("rebalanceBox"));
    rebalanceBox_->setToolTip(tr("Pick a rebalance of this group to replay, newest first"));
    rebalanceBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    rebalanceBox_->setMinimumContentsLength(30);
    rebalanceLabel_->setObjectName(QStringLiteral("rebalanceLabel"));
    rebalanceLabel_->setWordWrap(true);

    createActions();
    addMemberTip_ = addMemberAction_->toolTip();
    stopMemberTip_ = stopMemberAction_->toolTip();
    crashMemberTip_ = crashMemberAction_->toolTip();
    slowMemberTip_ = slowMemberAction_->toolTip();

    for (QTableView* matrix : { assignmentView_, replayAssignmentView_ })
        matrix->horizontalHeader()->setDefaultSectionSize(
            matrix->fontMetrics().horizontalAdvance(QStringLiteral("orders-00")) + 10);
    assignmentView_->setToolTip(tr("Which member reads which partition: one row per member, one column per partition. "
                                   "The last row marks partitions nobody reads (during a rebalance)."));
    replayAssignmentView_->setToolTip(
        tr("Who read which partition right after the replayed step, as the members' own events say: a revoke "
           "(eager: everything; cooperative: only what moves) empties cells, the assignment from SyncGroup fills "
           "them. The last row marks partitions nobody read: the stop-the-world part of the rebalance."));
    replayCaption_->setObjectName(QStringLiteral("replayCaption"));
    replayCaption_->setWordWrap(true);
    stepsView_->horizontalHeader()->setStretchLastSection(true);
    for (QTableView* view : { membersView_, lagView_, stepsView_ }) {
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        view->horizontalHeader()->setStretchLastSection(true);
        view->verticalHeader()->hide();
    }
    // The lag table has a row per partition and its numbers change every frame: fit the columns to the rows on
    // screen, not to all of them (1,000 rows measured 60 times a second took most of a frame).
    lagView_->horizontalHeader()->setResizeContentsPrecision(0);
    // Member ids are long (client.id plus a UUID): show their start; the tooltip and a wider column show all.
    // Sections exist only once the model has columns, so this waits for a reset.
    connect(members_, &QAbstractItemModel::modelReset, this, [this] {
        QHeaderView* header = membersView_->horizontalHeader();
        if (header->count() <= GroupMembersModel::MemberColumn)
            return;
        header->setSectionResizeMode(GroupMembersModel::MemberColumn, QHeaderView::Interactive);
        header->resizeSection(
            GroupMembersModel::MemberColumn, membersView_->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 20);
    });

    auto* top = new QHBoxLayout;
    auto* groupLabel = new QLabel(tr("&Group"), this);
    groupLabel->setBuddy(groupBox_);
    top->addWidget(groupLabel);
    top->addWidget(groupBox_);
    auto* memberBar = new QToolBar(this);
    memberBar->setObjectName(QStringLiteral("groupToolBar"));
    memberBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    memberBar->addAction(addMemberAction_);
    memberBar->addAction(stopMemberAction_);
    memberBar->addAction(crashMemberAction_);
    memberBar->addAction(slowMemberAction_);
    memberBar->addAction(assignorAction_);
    memberBar->addSeparator();
    memberBar->addAction(newGroupAction_);
    top->addWidget(memberBar, 1);

    auto* replay = new QWidget(this);
    auto* replayLayout = new QVBoxLayout(replay);
    replayLayout->setContentsMargins(0, 4, 0, 0);
    auto* replayTop = new QHBoxLayout;
    replayTop->addWidget(rebalanceBox_, 1);
    auto* replayBar = new QToolBar(replay);
    replayBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    replayBar->addAction(previousStepAction_);
    replayBar->addAction(nextStepAction_);
    replayBar->addAction(playAction_);
    replayBar->addAction(liveAction_);
    replayTop->addWidget(replayBar);
    replayLayout->addLayout(replayTop);
    replayLayout->addWidget(rebalanceLabel_);
    // Steps on the left, the matrix after the chosen step on the right: the bottom dock is wider than it is tall.
    auto* replaySplit = new QSplitter(Qt::Horizontal, replay);
    replaySplit->setChildrenCollapsible(false);
    replaySplit->addWidget(stepsView_);
    auto* matrixSide = new QWidget(replaySplit);
    replayMatrixSide_ = matrixSide;
    auto* matrixLayout = new QVBoxLayout(matrixSide);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    matrixLayout->addWidget(replayCaption_);
    matrixLayout->addWidget(replayAssignmentView_, 1);
    replaySplit->addWidget(matrixSide);
    replaySplit->setStretchFactor(0, 3);
    replaySplit->setStretchFactor(1, 2);
    replayLayout->addWidget(replaySplit, 1);

    tabs_->setObjectName(QStringLiteral("groupTabs"));
    tabs_->addTab(membersView_, tr("Members"));
    tabs_->addTab(assignmentView_, tr("Assignment"));
    tabs_->addTab(lagView_, tr("Lag"));
    tabs_->addTab(replay, tr("Rebalances"));
    tabs_->setTabToolTip(0, tr("The members the coordinator counts, with their generation and state"));
    tabs_->setTabToolTip(1, tr("The assignment matrix: members \u00d7 partitions"));
    tabs_->setTabToolTip(2, tr("Per partition: committed offset, high watermark and how far behind the group is"));
    tabs_->setTabToolTip(3, tr("Replay a rebalance step by step: join, revoke, sync, assign"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(summary_);
    layout->addWidget(diagram_);
    layout->addWidget(tabs_, 1);

    connect(tabs_, &QTabWidget::currentChanged, this, &GroupsPanel::refreshShownTable);
    connect(tabs_, &QTabWidget::currentChanged, this, &GroupsPanel::bringReplayIntoView);
    connect(groupBox_, &QComboBox::currentIndexChanged, this, [this] {
        rebalanceIndex_ = 0;
        step_ = -1;
        replayTimer_.stop();
        refresh();
    });
    connect(rebalanceBox_, &QComboBox::activated, this, [this](int index) { showRebalance(index); });
    connect(membersView_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &GroupsPanel::updateActions);
    connect(members_, &QAbstractItemModel::modelReset, this, &GroupsPanel::updateActions);
    connect(stepsView_, &QTableView::clicked, this, [this](const QModelIndex& index) { replayStep(index.row()); });
    replayTimer_.setInterval(kReplayIntervalMs);
    connect(&replayTimer_, &QTimer::timeout, this, [this] {
        const Rebalance* rebalance = currentRebalance();
        if (!rebalance || step_ + 1 >= static_cast<int>(rebalance->steps.size())) {
            replayTimer_.stop();
            playAction_->setChecked(false);
            return;
        }
        replayStep(step_ + 1);
    });
    refresh();
}

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

void GroupsPanel::setSnapshot(const SnapshotPtr& snapshot)
{
    snapshot_ = snapshot;
    if (snapshot_)
        for (const auto& consumer : snapshot_->consumers)
            log_.setMemberGroup(consumer.clientId, consumer.groupId);
    if (isVisible()) {
        refresh();
        return;
    }
    // Hidden: the tables wait for showEvent; the group list and the actions (also in the Clients menu) follow.
    stale_ = true;
    refillGroups();
    updateActions();
}

void GroupsPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!scrollArea_) {
        for (QWidget* parent = parentWidget(); parent && !scrollArea_; parent = parent->parentWidget())
            scrollArea_ = qobject_cast<QScrollArea*>(parent);
        if (scrollArea_)
            scrollArea_->viewport()->installEventFilter(this); // the dock made lower or higher
    }
    if (stale_)
        refresh();
    bringReplayIntoView();
}

bool GroupsPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (scrollArea_ && watched == scrollArea_->viewport() && event->type() == QEvent::Resize)
        bringReplayIntoView();
    return QWidget::eventFilter(watched, event);
}

void GroupsPanel::bringReplayIntoView()
{
    if (!scrollArea_ || !replayMatrixSide_ || !tabs_->currentWidget()->isAncestorOf(replayMatrixSide_))
        return;
    // After the layout has placed the page (it follows the resize or the tab change).
    QTimer::singleShot(0, this, [this] {
        if (!scrollArea_ || !replayMatrixSide_->isVisible())
            return;
        // With its caption when both fit; otherwise the matrix alone.
        const bool both = replayMatrixSide_->height() <= scrollArea_->viewport()->height();
        scrollArea_->ensureWidgetVisible(both ? replayMatrixSide_ : replayAssignmentView_, 0, 0);
    });
}

void GroupsPanel::addEvents(const std::vector<sim::Event>& events)
{
    // A rebalance is listed at its first step and grows until the group is Stable again: refill on a new one and on
    // more steps of the newest (the replay and its matrix showed a round as it was when it was first listed).
    auto shape = [this] {
        const auto& rounds = log_.rebalances(currentGroup().toStdString());
        return std::tuple(rounds.size(), rounds.empty() ? std::size_t(0) : rounds.back().steps.size(),
            !rounds.empty() && rounds.back().complete());
    };
    const auto before = shape();
    log_.add(events);
    if (shape() != before)
        refillRebalances();
}

void GroupsPanel::clear()
{
    snapshot_.reset();
    log_.clear();
    rebalanceIndex_ = 0;
    step_ = -1;
    replayTimer_.stop();
    groupBox_->clear();
    refresh();
}

QString GroupsPanel::currentGroup() const { return groupBox_->currentData().toString(); }

void GroupsPanel::selectGroup(const QString& groupId)
{
    const int index = groupBox_->findData(groupId);
    if (index >= 0) {
        groupBox_->setCurrentIndex(index);
    } else {
        // Not served yet (the first JoinGroup is on its way): add it so the person sees it appear.
        groupBox_->addItem(groupId, groupId);
        groupBox_->setCurrentIndex(groupBox_->count() - 1);
    }
}

QString GroupsPanel::selectedClient() const
{
    const QModelIndexList rows = membersView_->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const QString key = members_->rowKey(rows.first().row());
    if (key.startsWith(QStringLiteral("client:")))
        return key.mid(7);
    if (snapshot_)
        for (const auto& consumer : snapshot_->consumers)
            if (QString::fromStdString(consumer.memberId) == key)
                return QString::fromStdString(consumer.clientId);
    return {};
}

void GroupsPanel::selectClient(const QString& clientId)
{
    for (int row = 0; row < members_->rowCount(); ++row) {
        if (members_->cell(row, GroupMembersModel::ClientColumn).text.section(QLatin1Char(' '), 0, 0) == clientId) {
            membersView_->selectRow(row);
            return;
        }
    }
}

void GroupsPanel::refillGroups()
{
    std::vector<QString> ids;
    auto add = [&ids](const QString& id) {
        if (!id.isEmpty() && std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    };
    if (snapshot_) {
        for (const auto& group : snapshot_->groups)
            add(QString::fromStdString(group.summary.groupId));
        for (const auto& consumer : snapshot_->consumers)
            add(QString::fromStdString(consumer.groupId));
    }
    for (int i = 0; i < groupBox_->count(); ++i)
        add(groupBox_->itemData(i).toString()); // a group that lost its coordinator stays listed
    std::sort(ids.begin(), ids.end());
    bool same = static_cast<int>(ids.size()) == groupBox_->count();
    for (int i = 0; same && i < groupBox_->count(); ++i)
        same = groupBox_->itemData(i).toString() == ids[static_cast<std::size_t>(i)];
    if (same)
        return;
    const QString current = currentGroup();
    const QSignalBlocker blocker(groupBox_);
    groupBox_->clear();
    for (const QString& id : ids)
        groupBox_->addItem(id, id);
    groupBox_->setCurrentIndex(std::max(0, groupBox_->findData(current)));
}

void GroupsPanel::refreshShownTable()
{
    const std::string group = currentGroup().toStdString();
    if (!snapshot_ || group.empty())
        return;
    if (tabs_->currentWidget() == assignmentView_ && assignmentStale_) {
        assignment_->setGroup(*snapshot_, group);
        assignmentStale_ = false;
    } else if (tabs_->currentWidget() == lagView_ && lagStale_) {
        lag_->setGroup(*snapshot_, group);
        lagStale_ = false;
    }
}

void GroupsPanel::refresh()
{
    stale_ = false;
    refillGroups();
    const std::string group = currentGroup().toStdString();
    if (!snapshot_ || group.empty()) {
        members_->clear();
        assignment_->clear();
        lag_->clear();
        summary_->setText(snapshot_ ? tr("No consumer group yet. New Consumer Group\u2026 starts one.") : QString());
        refillRebalances();
        updateDiagram();
        updateActions();
        return;
    }
    const QString selected = selectedClient();
    members_->setGroup(*snapshot_, group);
    assignmentStale_ = true;
    lagStale_ = true;
    refreshShownTable();
    if (!selected.isEmpty() && selectedClient() != selected)
        selectClient(selected);
    if (const driver::GroupSnapshot* g = findGroup(*snapshot_, group)) {
        const auto& s = g->summary;
        summary_->setText(
            tr("%1 \u00b7 generation %2 \u00b7 %3 members \u00b7 assignor %4 \u00b7 coordinator broker %5 \u00b7 "
               "%6 rebalances (%7 ms in total) \u00b7 %8 records not committed yet \u00b7 longest member pause %9 ms")
                .arg(groupStateName(static_cast<int>(s.state)))
                .arg(s.generation)
                .arg(s.members.size())
                .arg(s.protocol.empty() ? tr("none yet") : QString::fromStdString(s.protocol))
                .arg(s.coordinator)
                .arg(s.rebalances)
                .arg(s.rebalanceMs)
                .arg(formatCount(g->totalLag()))
                .arg(g->rebalancePauseMs));
        summary_->setToolTip(tr("The group as its coordinator (the leader of its __consumer_offsets partition) sees "
                                "it. The longest member pause is the longest time any member sat without partitions "
                                "because of rebalances: the stop-the-world cost."));
    } else {
        summary_->setText(tr("Group %1 is not served right now: its members are still looking for the coordinator, "
                             "or the coordinator's broker is down.")
                              .arg(currentGroup()));
    }
    updateDiagram();
    updateActions();
}

const Rebalance* GroupsPanel::currentRebalance() const
{
    const auto& rounds = log_.rebalances(currentGroup().toStdString());
    if (rounds.empty() || rebalanceIndex_ < 0 || rebalanceIndex_ >= static_cast<int>(rounds.size()))
        return nullptr;
    return &rounds[rounds.size() - 1 - static_cast<std::size_t>(rebalanceIndex_)];
}

void GroupsPanel::refillRebalances()
{
    const auto& rounds = log_.rebalances(currentGroup().toStdString());
    const QSignalBlocker blocker(rebalanceBox_);
    rebalanceBox_->clear();
    for (auto it = rounds.rbegin(); it != rounds.rend(); ++it) {
        const QString took = it->complete() ? tr("%1 ms stop-the-world").arg(it->durationMs) : tr("in progress");
        rebalanceBox_->addItem(tr("%1 \u2014 generation %2 \u2014 %3 \u2014 %4")
                                   .arg(formatVirtualTime(it->startUs))
                                   .arg(it->generation < 0 ? QStringLiteral("?") : QString::number(it->generation))
                                   .arg(took, QString::fromStdString(it->reason)));
    }
    if (rebalanceIndex_ >= rebalanceBox_->count())
        rebalanceIndex_ = 0;
    rebalanceBox_->setCurrentIndex(rebalanceIndex_);
    showRebalance(rebalanceIndex_);
}

void GroupsPanel::showRebalance(int newestFirstIndex)
{
    if (newestFirstIndex != rebalanceIndex_) {
        rebalanceIndex_ = newestFirstIndex;
        step_ = -1;
    }
    const Rebalance* rebalance = currentRebalance();
    if (!rebalance) {
        rebalanceLabel_->setText(tr("No rebalance seen yet. Add or stop a member to cause one."));
        steps_->setRebalance(nullptr, -1);
    } else {
        const std::int64_t spanMs
            = ((rebalance->complete() ? rebalance->endUs : rebalance->startUs) - rebalance->startUs) / 1000;
        rebalanceLabel_->setText(rebalance->complete()
                ? tr("Stop-the-world: %1 ms from the first JoinGroup until the group was Stable again (the "
                     "coordinator's count); %2 ms from the first step shown. Cause: %3.")
                      .arg(rebalance->durationMs)
                      .arg(spanMs)
                      .arg(QString::fromStdString(rebalance->reason))
                : tr("This rebalance is still running. Cause: %1.").arg(QString::fromStdString(rebalance->reason)));
        steps_->setRebalance(rebalance, step_);
    }
    updateDiagram();
    updateReplayMatrix();
}

void GroupsPanel::replayStep(int step)
{
    const Rebalance* rebalance = currentRebalance();
    if (!rebalance || step < 0) {
        step_ = -1;
    } else {
        step_ = std::min(step, static_cast<int>(rebalance->steps.size()) - 1);
    }
    steps_->setRebalance(rebalance, step_);
    if (step_ >= 0)
        stepsView_->scrollTo(steps_->index(step_, 0));
    updateDiagram();
    updateReplayMatrix();
}

void GroupsPanel::updateReplayMatrix()
{
    const Rebalance* rebalance = currentRebalance();
    if (!rebalance) {
        replayAssignment_->clear();
        replayCaption_->clear();
        return;
    }
    const int last = static_cast<int>(rebalance->steps.size()) - 1;
    const int shown = step_ >= 0 ? step_ : last;
    const Ownership owned = rebalance->ownershipAfter(shown);
    // Columns: every partition the round or the group's current assignment mentions, in topic, then number order.
    std::set<QString> names;
    for (const auto& [client, set] : rebalance->ownedBefore)
        for (const std::string& partition : set)
            names.insert(QString::fromStdString(partition));
    for (const RebalanceStep& step : rebalance->steps)
        for (const std::string& partition : step.partitions)
            names.insert(QString::fromStdString(partition));
    if (snapshot_)
        for (const QString& partition : groupPartitionNames(*snapshot_, currentGroup().toStdString()))
            names.insert(partition);
    std::vector<QString> partitions(names.begin(), names.end());
    QCollator collator;
    collator.setNumericMode(true);
    std::sort(partitions.begin(), partitions.end(),
        [&collator](const QString& a, const QString& b) { return collator.compare(a, b) < 0; });
    // Rows: every member the round touched, even when it holds nothing at this step.
    Ownership rows = owned;
    for (const RebalanceStep& step : rebalance->steps)
        if (step.ownership != RebalanceStep::Ownership::Unchanged)
            rows.try_emplace(step.who);
    replayAssignment_->setOwnership(partitions, rows);
    int unread = 0;
    for (const QString& partition : partitions) {
        const std::string name = partition.toStdString();
        unread += std::none_of(
                      owned.begin(), owned.end(), [&name](const auto& entry) { return entry.second.count(name) != 0; })
            ? 1
            : 0;
    }
    const RebalanceStep& step = rebalance->steps[static_cast<std::size_t>(std::max(0, shown))];
    const double sinceStartMs = static_cast<double>(step.timeUs - rebalance->startUs) / 1000.0;
    const QString total = rebalance->complete() ? tr("%1 ms").arg(rebalance->durationMs) : tr("still running");
    replayCaption_->setText(
        (step_ >= 0 ? tr("After step %1 of %2").arg(step_ + 1).arg(last + 1) : tr("After the last step"))
        + tr(" \u00b7 %1 ms into the rebalance (stop-the-world: %2) \u00b7 %n partition(s) nobody reads", nullptr,
            unread)
              .arg(QLocale().toString(sinceStartMs, 'f', 1), total));
}

void GroupsPanel::updateDiagram()
{
    const Rebalance* rebalance = currentRebalance();
    if (step_ >= 0 && rebalance && step_ < static_cast<int>(rebalance->steps.size())) {
        const RebalanceStep& step = rebalance->steps[static_cast<std::size_t>(step_)];
        diagram_->setState(step.stateAfter,
            tr("Replay, step %1 of %2 (%3, %4): %5")
                .arg(step_ + 1)
                .arg(rebalance->steps.size())
                .arg(groupPhaseName(step.phase), formatVirtualTime(step.timeUs), QString::fromStdString(step.message)));
        return;
    }
    const driver::GroupSnapshot* group = snapshot_ ? findGroup(*snapshot_, currentGroup().toStdString()) : nullptr;
    if (group)
        diagram_->setState(static_cast<int>(group->summary.state),
            tr("Now: %1, generation %2")
                .arg(groupStateName(static_cast<int>(group->summary.state)))
                .arg(group->summary.generation));
    else
        diagram_->setState(-1, currentGroup().isEmpty() ? QString() : tr("Now: not served by any coordinator"));
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
