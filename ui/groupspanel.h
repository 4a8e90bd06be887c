#pragma once
// The Consumer Groups dock: pick a group and see its coordinator's view of it — the state machine with the
// current state, the generation, the members, the assignment matrix, the lag per partition — and replay any of
// its rebalances step by step (join, revoke, sync, assign) with its stop-the-world time. Buttons add a member,
// stop or crash the selected one, slow it down, or start a new group; each is an engine command.

#include "rebalancelog.h"
#include "simulationsession.h"

#include <QTimer>
#include <QWidget>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QScrollArea;
class QTabWidget;
class QTableView;
class QUndoStack;

namespace brokerlab::ui {

class AssignmentMatrixModel;
class GroupLagModel;
class OnScreenWatch;
class GroupMembersModel;
class GroupStateDiagram;
class RebalanceStepsModel;

class GroupsPanel : public QWidget {
    Q_OBJECT
public:
    using SessionGetter = std::function<SimulationSession*()>;
    // Member changes and assignor edits go on `undoStack` (their inverses exist); may be null (then they do not).
    GroupsPanel(SessionGetter session, QUndoStack* undoStack, QWidget* parent = nullptr);

    void setSnapshot(const SnapshotPtr& snapshot);
    void addEvents(const std::vector<sim::Event>& events);
    void clear();

    QString currentGroup() const;
    void selectGroup(const QString& groupId);
    // The client.id of the member selected in the members table (empty: none).
    QString selectedClient() const;
    void selectClient(const QString& clientId);

    // Replay: which rebalance (0 = newest) and which of its steps (-1 = live, not replaying).
    void showRebalance(int newestFirstIndex);
    void replayStep(int step);
    int replayedStep() const { return step_; }

    GroupMembersModel* membersModel() const { return members_; }
    AssignmentMatrixModel* assignmentModel() const { return assignment_; }
    GroupLagModel* lagModel() const { return lag_; }
    RebalanceStepsModel* stepsModel() const { return steps_; }
    AssignmentMatrixModel* replayAssignmentModel() const { return replayAssignment_; } // after the replayed step
    QLabel* replayCaption() const { return replayCaption_; }
    GroupStateDiagram* stateDiagram() const { return diagram_; }
    const RebalanceLog& rebalanceLog() const { return log_; }
    QAction* addMemberAction() const { return addMemberAction_; }
    QAction* stopMemberAction() const { return stopMemberAction_; }
    QAction* crashMemberAction() const { return crashMemberAction_; }
    QAction* slowMemberAction() const { return slowMemberAction_; }
    QAction* newGroupAction() const { return newGroupAction_; }
    QAction* assignorAction() const { return assignorAction_; }

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createActions();
    void refresh();
    void refreshShownTable();
    void refillGroups();
    void refillRebalances();
    void updateDiagram();
    void updateActions();
    void showNewGroupDialog();
    void showAssignorDialog();
    void pushCommand(const QString& text, const QString& forwardDescription, SimulationSession::Command forward,
        const QString& inverseDescription, SimulationSession::Command inverse);
    void stopOrCrashSelected(bool crash);
    void updateReplayMatrix();
    void catchUp(); // back on screen: what was skipped while off it
    bool replayTabInFront() const; // the Rebalances tab, with the replay matrix, is the one shown
    void selectRebalance(int newestFirstIndex); // its caption, steps and diagram; not the matrix
    // In a dock too low for the whole panel (a 768 px screen), the Rebalances tab scrolls the dock to its matrix.
    void bringReplayIntoView();
    const Rebalance* currentRebalance() const;

    SessionGetter session_;
    QUndoStack* undoStack_;
    OnScreenWatch* onScreen_;
    SnapshotPtr snapshot_;
    // While the panel is hidden (another bottom tab in front, the dock closed) its tables keep the snapshot they
    // were built from, and only the Members table and the summary follow while it is shown; the Assignment and Lag
    // tables are rebuilt when their tab is in front. At 1,000 partitions each costs milliseconds a frame.
    bool stale_ = true;
    bool assignmentStale_ = true;
    bool rebalancesStale_ = false; // rounds added while hidden: the list is refilled when shown
    bool replayStale_ = false; // the replay matrix waits for its tab
    bool lagStale_ = true;
    RebalanceLog log_;
    int rebalanceIndex_ = 0; // newest first
    int step_ = -1;
    QTimer replayTimer_;

    QComboBox* groupBox_;
    QLabel* summary_;
    GroupStateDiagram* diagram_;
    QTabWidget* tabs_;
    GroupMembersModel* members_;
    AssignmentMatrixModel* assignment_;
    GroupLagModel* lag_;
    RebalanceStepsModel* steps_;
    AssignmentMatrixModel* replayAssignment_;
    QTableView* membersView_;
    QTableView* assignmentView_;
    QTableView* lagView_;
    QTableView* stepsView_;
    QTableView* replayAssignmentView_;
    QLabel* replayCaption_;
    QWidget* replayMatrixSide_ = nullptr; // the caption and the matrix after the replayed step
    QScrollArea* scrollArea_ = nullptr; // the dock's, when the panel sits in one
    QComboBox* rebalanceBox_;
    QLabel* rebalanceLabel_;
    QAction* addMemberAction_ = nullptr;
    QAction* stopMemberAction_ = nullptr;
    QAction* crashMemberAction_ = nullptr;
    QAction* slowMemberAction_ = nullptr;
    QAction* newGroupAction_ = nullptr;
    QAction* assignorAction_ = nullptr;
    QAction* previousStepAction_ = nullptr;
    QAction* nextStepAction_ = nullptr;
    QAction* playAction_ = nullptr;
    QAction* liveAction_ = nullptr;
    // The member actions' own tooltips; a real client's member shows why they are disabled instead.
    QString addMemberTip_;
    QString stopMemberTip_;
    QString crashMemberTip_;
    QString slowMemberTip_;
};

} // namespace brokerlab::ui
