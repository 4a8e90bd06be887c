#include "groupspanel.h"

#include "assignordialog.h"
#include "clientdialogs.h"
#include "enginecommand.h"
#include "formatting.h"
#include "groupmodels.h"
#include "groupstatediagram.h"
#include "onscreen.h"

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
    , onScreen_(new OnScreenWatch(this, [this] { catchUp(); }))
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
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        if (replayStale_)
            updateReplayMatrix();
    });
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

void GroupsPanel::setSnapshot(const SnapshotPtr& snapshot)
{
    snapshot_ = snapshot;
    if (snapshot_)
        for (const auto& consumer : snapshot_->consumers)
            log_.setMemberGroup(consumer.clientId, consumer.groupId);
    if (!onScreen_->offScreen()) {
        refresh();
        return;
    }
    // Off screen: the tables wait until the panel is back; the group list and the actions (also in the Clients
    // menu) follow.
    stale_ = true;
    refillGroups();
    updateActions();
}

bool GroupsPanel::replayTabInFront() const
{
    const QWidget* front = tabs_->currentWidget();
    return front && replayMatrixSide_ && front->isAncestorOf(replayMatrixSide_);
}

void GroupsPanel::catchUp()
{
    if (stale_)
        refresh();
    if (rebalancesStale_) {
        rebalancesStale_ = false;
        refillRebalances();
    }
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
    if (!scrollArea_ || !replayTabInFront())
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
    if (shape() == before)
        return;
    if (!onScreen_->offScreen())
        refillRebalances();
    else
        rebalancesStale_ = true; // filled when back on screen: at 5,000 partitions a replay matrix costs 20 ms
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
    selectRebalance(rebalanceIndex_);
    // The matrix is built while its tab is in front (a column per partition: 5,000 of them take 20 ms); a round
    // that grows behind another tab is drawn when the tab comes to the front.
    if (replayTabInFront())
        updateReplayMatrix();
    else
        replayStale_ = true;
}

void GroupsPanel::showRebalance(int newestFirstIndex)
{
    selectRebalance(newestFirstIndex);
    updateReplayMatrix();
}

void GroupsPanel::selectRebalance(int newestFirstIndex)
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
    replayStale_ = false;
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

} // namespace brokerlab::ui
