#include "screenshotrunner.h"

#include "chartspanel.h"
#include "detailspanel.h"
#include "explorerpanel.h"
#include "mainwindow.h"
#include "simulationsession.h"
#include "workspacecontroller.h"

#include <QImageWriter>
#include <QPixmap>

#include <algorithm>
#include <cmath>

namespace brokerlab::ui {

namespace {
constexpr double kSliceMs = 250; // four samples per virtual second for the charts' rate windows
constexpr int kTimeoutMs = 300000; // five minutes of wall time: far beyond any lab scenario
} // namespace

ScreenshotRunner::ScreenshotRunner(MainWindow* window, double afterSeconds, QString outputPath, QObject* parent)
    : QObject(parent)
    , window_(window)
    , targetUs_(static_cast<std::int64_t>(std::llround(std::max(0.0, afterSeconds) * 1e6)))
    , output_(std::move(outputPath))
{
    watchdog_.setSingleShot(true);
    watchdog_.setInterval(kTimeoutMs);
    connect(&watchdog_, &QTimer::timeout, this,
        [this] { fail(tr("timed out before the simulation reached the requested time")); });
}

void ScreenshotRunner::start()
{
    SimulationSession* session = window_->session();
    if (!session) {
        fail(tr("no scenario is running"));
        return;
    }
    targetUs_ = std::min(targetUs_, session->endUs()); // the engine stops at the scenario's end
    session->setPollInterval(5);
    connect(session, &SimulationSession::snapshotChanged, this, &ScreenshotRunner::advance);
    connect(session, &SimulationSession::stateChanged, this, &ScreenshotRunner::advance);
    watchdog_.start();
    advance();
}

void ScreenshotRunner::advance()
{
    SimulationSession* session = window_->session();
    if (done_ || !session)
        return;
    const std::int64_t now = session->snapshot()->virtualUs;
    if (now >= targetUs_ || session->finished()) {
        done_ = true;
        // Let the throttled views draw the final state, then give layouts and painting a moment.
        window_->chartsPanel()->refreshNow();
        window_->detailsPanel()->refreshNow();
        if (showExplorer_)
            prepareExplorer();
        else
            QTimer::singleShot(300, this, &ScreenshotRunner::capture);
        return;
    }
    if (requestedUs_ > now)
        return; // the last slice is still running
    const double sliceMs = std::min(kSliceMs, static_cast<double>(targetUs_ - now) / 1000.0);
    requestedUs_ = now + static_cast<std::int64_t>(std::llround(sliceMs * 1000));
    session->step(sliceMs);
}

void ScreenshotRunner::prepareExplorer()
{
    // Hand the store what the run committed, wait until it has it, then show the newest records
    // of the first partition and their detail once the pages have loaded.
    window_->showExplorer();
    WorkspaceController* workspace = window_->workspace();
    ExplorerPanel* explorer = window_->explorerPanel();
    auto show = [this, explorer] {
        connect(explorer, &ExplorerPanel::partitionsRefreshed, this, [this, explorer] {
            explorer->jumpToNewest();
            QTimer::singleShot(600, this, &ScreenshotRunner::capture);
        }, Qt::SingleShotConnection);
        explorer->refresh();
    };
    if (workspace->isOpen()) {
        connect(workspace, &WorkspaceController::flushed, this, show, Qt::SingleShotConnection);
        workspace->flush();
    } else {
        connect(workspace, &WorkspaceController::workspaceChanged, this, [this, workspace, show] {
            connect(workspace, &WorkspaceController::flushed, this, show, Qt::SingleShotConnection);
        }, Qt::SingleShotConnection);
    }
}

void ScreenshotRunner::capture()
{
    watchdog_.stop();
    const QPixmap pixmap = window_->grab();
    if (pixmap.isNull()) {
        fail(tr("the window could not be captured"));
        return;
    }
    QImageWriter writer(output_, "png");
    if (!writer.write(pixmap.toImage())) {
        fail(tr("cannot write %1: %2").arg(output_, writer.errorString()));
        return;
    }
    emit finished(0);
}

void ScreenshotRunner::fail(const QString& message)
{
    done_ = true;
    watchdog_.stop();
    error_ = message;
    emit finished(1);
}

} // namespace brokerlab::ui
