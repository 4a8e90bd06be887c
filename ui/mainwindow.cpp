#include "mainwindow.h"

#include "chartspanel.h"
#include "clientdocks.h"
#include "clusterview.h"
#include "consumerpanel.h"
#include "createtopicdialog.h"
#include "detailspanel.h"
#include "explorerpanel.h"
#include "faultmenu.h"
#include "formatting.h"
#include "legendwidget.h"
#include "listenercontroller.h"
#include "processorspanel.h"
#include "scenariofiles.h"
#include "speedscale.h"
#include "theme.h"
#include "timelinemodel.h"
#include "timelinepanel.h"
#include "topiccommand.h"
#include "workspacecontroller.h"
#include "workspacemenu.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace brokerlab::ui {

namespace {
constexpr double kStepMs = 100; // one press of N: short enough to watch a fetch round trip, long enough to matter
constexpr QSize kDefaultSize(1440, 900);
constexpr int kBottomDocksHeight = 360;
} // namespace

MainWindow::MainWindow(bool persistent, QWidget* parent)
    : QMainWindow(parent)
    , persistent_(persistent)
    , undoStack_(new QUndoStack(this))
    , clusterView_(new ClusterView(this))
    , details_(new DetailsPanel(this))
    , timelineModel_(new TimelineModel(this))
    , timeline_(new TimelinePanel(timelineModel_, this))
    , consumers_(new ConsumerPanel(this))
    , charts_(new ChartsPanel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/brokerlab.png")));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    clusterView_->setObjectName(QStringLiteral("clusterView"));
    layout->addWidget(clusterView_, 1);
    layout->addWidget(new LegendWidget(central));
    // The message explorer (issue 6) is the second tab beside the cluster.
    workspace_ = new WorkspaceController(persistent_, this);
    // Reopening a workspace that holds a run resumes it: a paused session the controller replays.
    connect(workspace_, &WorkspaceController::resumeReady, this,
        [this](const scenario::Scenario& scenario, quint64 seed, const QString& source) {
            openScenario(scenario, seed, source, true);
        });
    // A workspace opened for browsing shows what happened in its run: its stored timeline and metrics.
    connect(workspace_, &WorkspaceController::historyLoaded, this,
        [this](const std::vector<sim::Event>& events, const std::vector<store::MetricSeries>& metrics, bool sameRun) {
            showingStoredRun_ = !sameRun;
            timelineModel_->clear();
            timelineModel_->append(events);
            charts_->showHistory(metrics);
        });
    explorer_ = new ExplorerPanel(workspace_, this);
    centralTabs_ = new QTabWidget(this);
    centralTabs_->setDocumentMode(true);
    centralTabs_->addTab(central, tr("Cluster"));
    centralTabs_->addTab(explorer_, tr("Messages"));
    setCentralWidget(centralTabs_);

    listeners_ = new ListenerController(persistent_, this);
    connect(listeners_, &ListenerController::statusChanged, details_, &DetailsPanel::setListeners);
    connect(listeners_, &ListenerController::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Kafka listeners: %1").arg(message), 10000);
        detailsDock_->show();
        detailsDock_->raise();
    });

    createActions();
    createDocks();
    createMenus();
    createToolBar();
    createStatusBar();

    connect(clusterView_, &ClusterView::selectionChanged, this, &MainWindow::onSelection);
    connect(clientDocks_->processorsPanel(), &ProcessorsPanel::itemSelected, details_, &DetailsPanel::setItem);
    connect(timeline_, &TimelinePanel::eventSelected, this, [this](const ClusterItem& item) {
        clusterView_->setHighlight(item);
        if (!item.isNone())
            details_->setItem(item);
    });

    resize(kDefaultSize);
    defaultState_ = saveState();
    if (persistent_)
        readSettings();
    updateControls();
}

MainWindow::~MainWindow()
{
    // Stop the engine before the views go: nothing may deliver into a half-destroyed window. The listeners use
    // the engine's driver, so they close first.
    listeners_->attach(nullptr);
    delete session_.data();
}

CreateTopicDialog* MainWindow::createTopicDialog() const { return createTopicDialog_.data(); }

void MainWindow::createActions()
{
    QStyle* s = style();
    openAction_ = new QAction(s->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Scenario\u2026"), this);
    openAction_->setObjectName(QStringLiteral("actionOpen"));
    openAction_->setShortcut(QKeySequence::Open);
    openAction_->setToolTip(tr("Open a scenario file (JSON): a cluster, its topics, clients and faults"));
    connect(openAction_, &QAction::triggered, this, &MainWindow::openScenarioFile);

    resetAction_ = new QAction(s->standardIcon(QStyle::SP_BrowserReload), tr("&Reset"), this);
    resetAction_->setObjectName(QStringLiteral("actionReset"));
    resetAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    resetAction_->setToolTip(tr("Reload the scenario and start again from virtual time zero, with the same seed"));
    connect(resetAction_, &QAction::triggered, this, &MainWindow::resetScenario);

    quitAction_ = new QAction(tr("&Quit"), this);
    quitAction_->setObjectName(QStringLiteral("actionQuit"));
    quitAction_->setShortcut(QKeySequence::Quit);
    quitAction_->setMenuRole(QAction::QuitRole);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);

    pauseAction_ = new QAction(monochromeIcon(this, QStyle::SP_MediaPause), tr("Pause"), this);
    pauseAction_->setObjectName(QStringLiteral("actionPause"));
    pauseAction_->setShortcut(QKeySequence(Qt::Key_Space));
    connect(pauseAction_, &QAction::triggered, this, [this] {
        if (session_)
            session_->setPaused(!session_->paused());
    });

    stepAction_ = new QAction(monochromeIcon(this, QStyle::SP_MediaSkipForward), tr("Step"), this);
    stepAction_->setObjectName(QStringLiteral("actionStep"));
    stepAction_->setShortcut(QKeySequence(Qt::Key_N));
    stepAction_->setToolTip(tr("Pause and advance virtual time by 100 ms (N)"));
    connect(stepAction_, &QAction::triggered, this, [this] {
        if (session_)
            session_->step(kStepMs);
    });

    fastAction_ = new QAction(monochromeIcon(this, QStyle::SP_MediaSeekForward), tr("As Fast as Possible"), this);
    fastAction_->setObjectName(QStringLiteral("actionFast"));
    fastAction_->setCheckable(true);
    fastAction_->setShortcut(QKeySequence(Qt::Key_F));
    fastAction_->setToolTip(tr("Run the simulation as fast as the computer can, ignoring the speed setting (F)"));
    connect(fastAction_, &QAction::toggled, this, [this](bool on) {
        if (session_)
            session_->setAsFastAsPossible(on);
        speedSlider_->setEnabled(!on);
    });

    fasterAction_ = new QAction(tr("Faster"), this);
    fasterAction_->setShortcut(QKeySequence(Qt::Key_BracketRight));
    connect(fasterAction_, &QAction::triggered, this, [this] { speedSlider_->setValue(speedSlider_->value() + 30); });
    slowerAction_ = new QAction(tr("Slower"), this);
    slowerAction_->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    connect(slowerAction_, &QAction::triggered, this, [this] { speedSlider_->setValue(speedSlider_->value() - 30); });

    createTopicAction_ = new QAction(tr("&Create Topic\u2026"), this);
    createTopicAction_->setObjectName(QStringLiteral("actionCreateTopic"));
    createTopicAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    createTopicAction_->setToolTip(tr("Create a topic: its partitions, replication factor and configs (Ctrl+T)"));
    connect(createTopicAction_, &QAction::triggered, this, &MainWindow::showCreateTopicDialog);

    deleteTopicAction_ = new QAction(tr("&Delete Topic"), this);
    deleteTopicAction_->setObjectName(QStringLiteral("actionDeleteTopic"));
    deleteTopicAction_->setShortcut(QKeySequence::Delete);
    deleteTopicAction_->setToolTip(tr("Delete the selected topic and all its records"));
    connect(deleteTopicAction_, &QAction::triggered, this, &MainWindow::deleteSelectedTopic);

    undoAction_ = undoStack_->createUndoAction(this, tr("&Undo"));
    undoAction_->setObjectName(QStringLiteral("actionUndo"));
    undoAction_->setShortcut(QKeySequence::Undo);
    redoAction_ = undoStack_->createRedoAction(this, tr("&Redo"));
    redoAction_->setObjectName(QStringLiteral("actionRedo"));
    redoAction_->setShortcut(QKeySequence::Redo);

    zoomInAction_ = new QAction(tr("Zoom &In"), this);
    zoomInAction_->setShortcut(QKeySequence::ZoomIn);
    connect(zoomInAction_, &QAction::triggered, clusterView_, &ClusterView::zoomIn);
    zoomOutAction_ = new QAction(tr("Zoom &Out"), this);
    zoomOutAction_->setShortcut(QKeySequence::ZoomOut);
    connect(zoomOutAction_, &QAction::triggered, clusterView_, &ClusterView::zoomOut);
    zoomResetAction_ = new QAction(tr("&Actual Size"), this);
    zoomResetAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(zoomResetAction_, &QAction::triggered, clusterView_, &ClusterView::resetZoom);
    denseAction_ = new QAction(tr("&Summarise Every Topic"), this);
    denseAction_->setObjectName(QStringLiteral("actionDense"));
    denseAction_->setCheckable(true);
    denseAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    denseAction_->setToolTip(tr("Show each topic as one summary row per broker instead of a row per partition. Topics "
                                "with many partitions start summarised anyway."));
    connect(denseAction_, &QAction::toggled, clusterView_, &ClusterView::setDense);
    resetLayoutAction_ = new QAction(tr("Reset &Layout"), this);
    connect(resetLayoutAction_, &QAction::triggered, this, [this] { restoreState(defaultState_); });

    // Actions live on the window too, so their shortcuts work while the menus and toolbar are hidden.
    addActions({ pauseAction_, stepAction_, fastAction_, fasterAction_, slowerAction_ });
}

void MainWindow::createDocks()
{
    auto dock = [this](QWidget* widget, const QString& title, const QString& name) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        d->setFeatures(
            QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
        return d;
    };
    detailsDock_ = dock(details_, tr("Details"), QStringLiteral("detailsDock"));
    timelineDock_ = dock(timeline_, tr("Timeline"), QStringLiteral("timelineDock"));
    consumersDock_ = dock(consumers_, tr("Consumers"), QStringLiteral("consumersDock"));
    chartsDock_ = dock(charts_, tr("Charts"), QStringLiteral("chartsDock"));
    // The bottom docks span the whole width: the timeline's messages and three charts need it more than the
    // details panel needs the height.
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, detailsDock_);
    addDockWidget(Qt::BottomDockWidgetArea, chartsDock_);
    addDockWidget(Qt::BottomDockWidgetArea, timelineDock_);
    splitDockWidget(chartsDock_, timelineDock_, Qt::Horizontal);
    tabifyDockWidget(timelineDock_, consumersDock_);
    clientDocks_ = new ClientDocks(this, [this] { return session_.data(); }, undoStack_, timelineDock_);
    timelineDock_->raise();
    resizeDocks({ detailsDock_ }, { 360 }, Qt::Horizontal);
    resizeDocks({ chartsDock_, timelineDock_ }, { 660, 780 }, Qt::Horizontal);
    resizeDocks({ chartsDock_ }, { kBottomDocksHeight }, Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(openAction_);
    QMenu* builtins = file->addMenu(tr("Open &Built-in Scenario"));
    for (const ScenarioFiles::Builtin& builtin : ScenarioFiles::builtins()) {
        QAction* action = builtins->addAction(builtin.title);
        connect(action, &QAction::triggered, this, [this, path = builtin.path] { openScenarioPath(path); });
    }
    file->addAction(resetAction_);
    file->addSeparator();
    WorkspaceMenu::populate(file, workspace_, explorer_, this);
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(undoAction_);
    edit->addAction(redoAction_);
    edit->addSeparator();
    edit->addAction(createTopicAction_);
    edit->addAction(deleteTopicAction_);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(zoomInAction_);
    view->addAction(zoomOutAction_);
    view->addAction(zoomResetAction_);
    view->addAction(denseAction_);
    view->addSeparator();
    for (QDockWidget* dock : { detailsDock_, timelineDock_, consumersDock_, clientDocks_->groupsDock(),
             clientDocks_->producersDock(), clientDocks_->processorsDock(), chartsDock_ })
        view->addAction(dock->toggleViewAction());
    view->addAction(resetLayoutAction_);
    view->addSeparator();
    view->addMenu(createThemeMenu(this, persistent_));

    QMenu* simulation = menuBar()->addMenu(tr("&Simulation"));
    simulation->addAction(pauseAction_);
    simulation->addAction(stepAction_);
    simulation->addAction(fastAction_);
    simulation->addAction(fasterAction_);
    simulation->addAction(slowerAction_);
    simulation->addSeparator();
    simulation->addAction(listeners_->listenAction());
    simulation->addAction(listeners_->settingsAction());

    menuBar()->addMenu(clientDocks_->menu());
    menuBar()->addMenu(new FaultMenu(tr("F&aults"), [this] { return session_.data(); }, undoStack_, this));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Brokerlab"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(tr("Simulation"));
    bar->setObjectName(QStringLiteral("simulationToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(pauseAction_);
    bar->addAction(stepAction_);
    bar->addSeparator();

    auto* speedTitle = new QLabel(tr("Speed"), bar);
    speedTitle->setContentsMargins(6, 0, 4, 0);
    speedSlider_ = new QSlider(Qt::Horizontal, bar);
    speedSlider_->setObjectName(QStringLiteral("speedSlider"));
    speedSlider_->setRange(0, SpeedScale::kSliderMaximum);
    speedSlider_->setValue(SpeedScale::toSlider(1.0));
    speedSlider_->setPageStep(SpeedScale::kStepsPerDecade / 2);
    speedSlider_->setFixedWidth(160);
    const QString speedTip = tr("How fast virtual time runs compared with the clock on the wall, from 0.1\u00d7 to "
                                "100\u00d7. Keys: [ slower, ] faster.");
    speedSlider_->setToolTip(speedTip);
    speedTitle->setToolTip(speedTip);
    speedTitle->setBuddy(speedSlider_);
    speedLabel_ = new QLabel(bar);
    speedLabel_->setObjectName(QStringLiteral("speedLabel"));
    // Wide enough for the widest value, so the toolbar does not jump while dragging.
    speedLabel_->setMinimumWidth(speedLabel_->fontMetrics().horizontalAdvance(QStringLiteral("\u00d7100.0  ")));
    speedLabel_->setContentsMargins(6, 0, 0, 0);
    speedLabel_->setToolTip(speedTip);
    connect(speedSlider_, &QSlider::valueChanged, this, [this](int value) {
        const double speed = SpeedScale::fromSlider(value);
        speedLabel_->setText(QStringLiteral("\u00d7") + QLocale().toString(speed, 'f', speed < 1 ? 2 : 1));
        if (session_)
            session_->setSpeed(speed);
    });
    speedLabel_->setText(QStringLiteral("\u00d7") + QLocale().toString(1.0, 'f', 1));
    bar->addWidget(speedTitle);
    bar->addWidget(speedSlider_);
    bar->addWidget(speedLabel_);
    bar->addAction(fastAction_);
    bar->addSeparator();
    bar->addAction(resetAction_);
    bar->addSeparator();
    bar->addAction(createTopicAction_);
    bar->addAction(deleteTopicAction_);
}

void MainWindow::createStatusBar()
{
    auto label = [this](const QString& name, const QString& tip) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        l->setToolTip(tip);
        l->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(l);
        return l;
    };
    modeStatus_ = label(QStringLiteral("modeStatus"), tr("How virtual time is running"));
    timeStatus_
        = label(QStringLiteral("timeStatus"), tr("Virtual time since the scenario started, and the scenario's length"));
    rateStatus_ = label(QStringLiteral("rateStatus"),
        tr("Records per virtual second: in = appended by partition leaders for producers (stream processors' "
           "output included), out = returned to consumers and stream processors"));
    seedStatus_ = label(
        QStringLiteral("seedStatus"), tr("The seed of every random choice: the same seed replays the same run"));
}

void MainWindow::openScenario(scenario::Scenario scenario, std::uint64_t seed, const QString& source, bool paused)
{
    if (createTopicDialog_)
        createTopicDialog_->reject();
    // Commands of the old run refer to its session; they must not be undone into the new one.
    undoStack_->clear();
    listeners_->attach(nullptr);
    delete session_.data();
    timelineModel_->clear();
    charts_->clear();
    showingStoredRun_ = false;
    consumers_->clear();
    clientDocks_->clear();
    clusterView_->setHighlight({});
    clusterView_->setSelection({});

    const QString name = QString::fromStdString(scenario.name);
    session_ = new SimulationSession(std::move(scenario), seed, source, this);
    session_->setSpeed(SpeedScale::fromSlider(speedSlider_->value()));
    connectSession();
    workspace_->attachSession(session_);
    explorer_->setSession(session_);
    session_->start(paused, fastAction_->isChecked());
    listeners_->attach(session_);
    onSnapshot(session_->snapshot());
    setWindowTitle(name.isEmpty() ? tr("Brokerlab") : tr("%1 \u2014 Brokerlab").arg(name));
    updateControls();
}

void MainWindow::connectSession()
{
    connect(session_, &SimulationSession::snapshotChanged, this, &MainWindow::onSnapshot);
    connect(session_, &SimulationSession::eventsArrived, timelineModel_, [this](const std::vector<sim::Event>& events) {
        if (!showingStoredRun_)
            timelineModel_->append(events);
    });
    connect(session_, &SimulationSession::eventsArrived, clientDocks_, &ClientDocks::addEvents);
    connect(session_, &SimulationSession::stateChanged, this, &MainWindow::updateControls);
    connect(
        session_, &SimulationSession::commandFailed, this, [this](const QString& description, const QString& message) {
            statusBar()->showMessage(tr("%1 failed: %2").arg(description, message), 10000);
            auto* box = new QMessageBox(QMessageBox::Warning, tr("Command Failed"),
                tr("The cluster refused \u201c%1\u201d.").arg(description), QMessageBox::Ok, this);
            box->setInformativeText(message);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
}

void MainWindow::onSnapshot(const SnapshotPtr& snapshot)
{
    if (!session_ || !snapshot)
        return;
    const std::shared_ptr<const Rates> rates = session_->rates();
    clusterView_->setSnapshot(snapshot, rates);
    details_->setSnapshot(snapshot, rates);
    consumers_->setSnapshot(snapshot);
    clientDocks_->setSnapshot(snapshot);
    if (!showingStoredRun_)
        charts_->record(*snapshot, *rates);
    explorer_->setSnapshot(snapshot);
    updateStatusBar();
    deleteTopicAction_->setEnabled(!selectedTopic().empty());
}

void MainWindow::onSelection(const ClusterItem& item)
{
    details_->setItem(item);
    deleteTopicAction_->setEnabled(!selectedTopic().empty());
}

std::string MainWindow::selectedTopic() const
{
    const ClusterItem item = clusterView_->selection();
    if (item.topic.empty())
        return {};
    for (const auto& topic : clusterView_->snapshot()->topics) {
        if (topic.name == item.topic)
            return topic.internal ? std::string() : topic.name;
    }
    return {};
}

void MainWindow::updateControls()
{
    const bool running = session_ && !session_->paused() && !session_->finished();
    pauseAction_->setText(running ? tr("Pause") : tr("Resume"));
    pauseAction_->setIcon(monochromeIcon(this, running ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    pauseAction_->setToolTip(running ? tr("Pause virtual time (Space)") : tr("Let virtual time run again (Space)"));
    pauseAction_->setEnabled(session_ && !session_->finished());
    stepAction_->setEnabled(session_ && !session_->finished());
    createTopicAction_->setEnabled(session_ != nullptr);
    resetAction_->setEnabled(session_ != nullptr);
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    if (!session_)
        return;
    const SnapshotPtr snapshot = session_->snapshot();
    const std::shared_ptr<const Rates> rates = session_->rates();
    timeStatus_->setText(
        tr("Virtual time %1 of %2").arg(formatVirtualTime(snapshot->virtualUs), formatVirtualTime(session_->endUs())));
    QString mode;
    if (session_->finished())
        mode = tr("Finished");
    else if (session_->paused())
        mode = tr("Paused");
    else if (session_->asFastAsPossible())
        mode = tr("Running as fast as possible");
    else
        mode = tr("Running at \u00d7%1").arg(QLocale().toString(session_->speed(), 'f', session_->speed() < 1 ? 2 : 1));
    modeStatus_->setText(mode);
    rateStatus_->setText(
        tr("In %1 \u00b7 Out %2").arg(formatRate(rates->recordsInPerSec), formatRate(rates->recordsOutPerSec)));
    seedStatus_->setText(tr("Seed %1").arg(session_->seed()));
}

void MainWindow::showCreateTopicDialog()
{
    if (!session_)
        return;
    if (createTopicDialog_) {
        createTopicDialog_->raise();
        createTopicDialog_->activateWindow();
        return;
    }
    const SnapshotPtr snapshot = session_->snapshot();
    std::set<std::string> existing;
    for (const auto& topic : snapshot->topics)
        existing.insert(topic.name);
    int online = 0;
    for (const auto& broker : snapshot->brokers)
        online += broker.state == cluster::BrokerState::Online ? 1 : 0;
    auto* dialog = new CreateTopicDialog(session_->scenario().brokerConfig, std::move(existing), online, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    createTopicDialog_ = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (!session_)
            return;
        const TopicDefinition topic = dialog->definition();
        undoStack_->push(new CreateTopicCommand(session_, topic));
        statusBar()->showMessage(tr("Creating topic %1\u2026").arg(QString::fromStdString(topic.name)), 4000);
    });
    // open(), not exec(): the simulation and its views keep running while the dialog is up.
    dialog->open();
}

void MainWindow::deleteSelectedTopic()
{
    const std::string topic = selectedTopic();
    if (!session_ || topic.empty())
        return;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Delete Topic"),
        tr("Delete topic \u201c%1\u201d and all its records?").arg(QString::fromStdString(topic)),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteTopicBox"));
    box->setInformativeText(tr("Producers writing to it will get errors. Undo recreates the topic with the same "
                               "partitions and configs, but empty: Kafka deletes the data with the topic."));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, topic](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes) && session_)
            undoStack_->push(new DeleteTopicCommand(session_, topic));
    });
    box->open();
}

void MainWindow::openScenarioFile()
{
    QSettings settings;
    const QString directory = settings.value(QStringLiteral("files/lastDirectory")).toString();
    auto* dialog = new QFileDialog(this, tr("Open Scenario"), directory, tr("Scenarios (*.json);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        if (persistent_)
            QSettings().setValue(QStringLiteral("files/lastDirectory"), QFileInfo(path).absolutePath());
        openScenarioPath(path);
    });
    dialog->open();
}

void MainWindow::openScenarioPath(const QString& path)
{
    scenario::LoadResult result = ScenarioFiles::load(path);
    if (auto* error = std::get_if<scenario::ScenarioError>(&result)) {
        // The current run goes on: a bad file must not cost the person what they were watching.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot Open Scenario"),
            tr("The scenario could not be loaded; the current run continues."), QMessageBox::Ok, this);
        box->setInformativeText(ScenarioFiles::describe(*error));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    auto& scenario = std::get<scenario::Scenario>(result);
    const std::uint64_t seed = scenario.seed;
    openScenario(std::move(scenario), seed, path);
}

void MainWindow::resetScenario()
{
    if (!session_)
        return;
    // Re-read the file so that edits made since show up; keep the seed the run was started with.
    const QString source = session_->source();
    const std::uint64_t seed = session_->seed();
    const bool paused = session_->paused();
    scenario::LoadResult result = ScenarioFiles::load(source);
    if (auto* error = std::get_if<scenario::ScenarioError>(&result)) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot Reset"),
            tr("The scenario file no longer loads, so the run restarts from the copy read earlier."), QMessageBox::Ok,
            this);
        box->setInformativeText(ScenarioFiles::describe(*error));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        scenario::Scenario copy = session_->scenario();
        openScenario(std::move(copy), seed, source, paused);
        return;
    }
    openScenario(std::get<scenario::Scenario>(std::move(result)), seed, source, paused);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Brokerlab"),
        tr("<h3>Brokerlab %1</h3><p>A desktop lab for Apache Kafka's model: a whole cluster simulated in virtual "
           "time, drawn live.</p><p>Every run is reproducible from its scenario and seed.</p>")
            .arg(QApplication::applicationVersion()));
}

void MainWindow::readSettings()
{
    QSettings settings;
    const QByteArray geometry = settings.value(QStringLiteral("mainWindow/geometry")).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // First start: the default size, shrunk to fit small screens.
        if (const QScreen* screen = QApplication::primaryScreen()) {
            const QSize available = screen->availableSize() * 0.92;
            resize(kDefaultSize.boundedTo(available));
        }
    }
    layoutRestored_ = restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    clusterView_->setZoom(settings.value(QStringLiteral("view/zoom"), 1.0).toDouble());
    denseAction_->setChecked(settings.value(QStringLiteral("view/dense"), false).toBool());
    speedSlider_->setValue(SpeedScale::toSlider(settings.value(QStringLiteral("simulation/speed"), 1.0).toDouble()));
    charts_->tabs()->setCurrentIndex(settings.value(QStringLiteral("view/chartsTab"), 0).toInt());
}

void MainWindow::writeSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    settings.setValue(QStringLiteral("view/zoom"), clusterView_->zoom());
    settings.setValue(QStringLiteral("view/dense"), denseAction_->isChecked());
    settings.setValue(QStringLiteral("simulation/speed"), SpeedScale::fromSlider(speedSlider_->value()));
    settings.setValue(QStringLiteral("view/chartsTab"), charts_->tabs()->currentIndex());
}

void MainWindow::showExplorer() { centralTabs_->setCurrentWidget(explorer_); }

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (docksFitted_ || layoutRestored_)
        return;
    docksFitted_ = true;
    // The bottom docks keep enough height for the group and producer tables below their headers, also on a
    // 1366x768 screen; the cluster view scrolls and pans, so it gives up the rows.
    resizeDocks({ chartsDock_ }, { kBottomDocksHeight }, Qt::Vertical);
}

void MainWindow::changeEvent(QEvent* event)
{
    // A theme switched at run time: the media icons take the new palette's text colour.
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) && stepAction_) {
        stepAction_->setIcon(monochromeIcon(this, QStyle::SP_MediaSkipForward));
        fastAction_->setIcon(monochromeIcon(this, QStyle::SP_MediaSeekForward));
        updateControls();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (persistent_)
        writeSettings();
    workspace_->saveNow(); // the last autosave: nothing since the last interval is lost
    event->accept();
}

} // namespace brokerlab::ui
