#pragma once
// Brokerlab's main window: the cluster view in the middle, details on the right, the timeline, consumers and
// charts below, and the controls for time (pause, step, speed) and for topics (create, delete, undo).
// It owns the SimulationSession and hands each snapshot to the views; it never waits on the engine.

#include "clusteritem.h"
#include "simulationsession.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDockWidget;
class QLabel;
class QSlider;
class QTabWidget;
class QUndoStack;

namespace brokerlab::ui {

class ChartsPanel;
class ClientDocks;
class ClusterView;
class ConsumerPanel;
class CreateTopicDialog;
class DetailsPanel;
class ExplorerPanel;
class ListenerController;
class TimelineModel;
class TimelinePanel;
class WorkspaceController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // A persistent window restores and saves its geometry and layout in QSettings; tests and screenshots use a
    // non-persistent one so that they neither depend on nor change the person's settings.
    explicit MainWindow(bool persistent = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Stops the current run (if any) and starts `scenario`. `source` is the file it came from (for Reset).
    void openScenario(scenario::Scenario scenario, std::uint64_t seed, const QString& source, bool paused = false);

    SimulationSession* session() const { return session_; }
    ClusterView* clusterView() const { return clusterView_; }
    DetailsPanel* detailsPanel() const { return details_; }
    TimelineModel* timelineModel() const { return timelineModel_; }
    TimelinePanel* timelinePanel() const { return timeline_; }
    ConsumerPanel* consumerPanel() const { return consumers_; }
    ChartsPanel* chartsPanel() const { return charts_; }
    ClientDocks* clientDocks() const { return clientDocks_; } // consumer groups, producers, the Clients menu
    QUndoStack* undoStack() const { return undoStack_; }
    ExplorerPanel* explorerPanel() const { return explorer_; }
    WorkspaceController* workspace() const { return workspace_; }
    ListenerController* listeners() const { return listeners_; } // the Kafka listeners for real clients
    void showExplorer(); // the Messages tab
    CreateTopicDialog* createTopicDialog() const; // the open one, if any

    void showCreateTopicDialog();
    void deleteSelectedTopic();

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createDocks();
    void createStatusBar();
    void connectSession();

    void onSnapshot(const SnapshotPtr& snapshot);
    void onSelection(const ClusterItem& item);
    void updateControls();
    void updateStatusBar();
    void openScenarioFile();
    void openScenarioPath(const QString& path);
    void resetScenario();
    void showAbout();
    void readSettings();
    void writeSettings() const;
    std::string selectedTopic() const;

    bool persistent_;
    QPointer<SimulationSession> session_;
    QUndoStack* undoStack_;

    ClusterView* clusterView_;
    DetailsPanel* details_;
    TimelineModel* timelineModel_;
    TimelinePanel* timeline_;
    ConsumerPanel* consumers_;
    ChartsPanel* charts_;
    WorkspaceController* workspace_ = nullptr;
    ExplorerPanel* explorer_ = nullptr;
    ListenerController* listeners_ = nullptr;
    QTabWidget* centralTabs_ = nullptr;
    QDockWidget* detailsDock_ = nullptr;
    QDockWidget* timelineDock_ = nullptr;
    QDockWidget* consumersDock_ = nullptr;
    QDockWidget* chartsDock_ = nullptr;
    ClientDocks* clientDocks_ = nullptr;
    QByteArray defaultState_;
    bool layoutRestored_ = false; // the person's dock layout came from QSettings
    bool docksFitted_ = false;
    // The timeline and charts show a workspace opened for browsing, not the session (another run) that goes on.
    bool showingStoredRun_ = false;
    QPointer<CreateTopicDialog> createTopicDialog_;

    QAction* openAction_ = nullptr;
    QAction* resetAction_ = nullptr;
    QAction* quitAction_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* stepAction_ = nullptr;
    QAction* fastAction_ = nullptr;
    QAction* fasterAction_ = nullptr;
    QAction* slowerAction_ = nullptr;
    QAction* createTopicAction_ = nullptr;
    QAction* deleteTopicAction_ = nullptr;
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;
    QAction* zoomInAction_ = nullptr;
    QAction* zoomOutAction_ = nullptr;
    QAction* zoomResetAction_ = nullptr;
    QAction* denseAction_ = nullptr;
    QAction* resetLayoutAction_ = nullptr;

    QSlider* speedSlider_ = nullptr;
    QLabel* speedLabel_ = nullptr;
    QLabel* timeStatus_ = nullptr;
    QLabel* modeStatus_ = nullptr;
    QLabel* rateStatus_ = nullptr;
    QLabel* seedStatus_ = nullptr;
};

} // namespace brokerlab::ui
