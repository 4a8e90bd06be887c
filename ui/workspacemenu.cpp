#include "workspacemenu.h"

#include "explorerpanel.h"
#include "workspacecontroller.h"

#include <QAction>
#include <QCoreApplication>
#include <QFileDialog>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

namespace brokerlab::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("WorkspaceMenu", text); }
const QString kFilter = QStringLiteral("Brokerlab workspaces (*.blw);;All files (*)");
} // namespace

void WorkspaceMenu::populate(QMenu* file, WorkspaceController* workspace, ExplorerPanel* explorer, QWidget* window)
{
    QAction* newAction = file->addAction(tr("&New Workspace\u2026"));
    newAction->setToolTip(tr("Record the running cluster into a new workspace file."));
    QObject::connect(newAction, &QAction::triggered, window, [workspace, window] {
        const QString path = QFileDialog::getSaveFileName(window, tr("New Workspace"), QString(), kFilter, nullptr,
            QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            workspace->newWorkspace(path.endsWith(QStringLiteral(".blw")) ? path : path + QStringLiteral(".blw"));
    });
    QAction* openAction = file->addAction(tr("Open &Workspace\u2026"));
    openAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QObject::connect(openAction, &QAction::triggered, window, [workspace, window] {
        const QString path = QFileDialog::getOpenFileName(window, tr("Open Workspace"), QString(), kFilter);
        if (!path.isEmpty())
            workspace->openWorkspace(path);
    });
    QMenu* recent = file->addMenu(tr("Open &Recent Workspace"));
    auto fillRecent = [recent, workspace] {
        recent->clear();
        for (const QString& path : workspace->recentFiles())
            QObject::connect(recent->addAction(path), &QAction::triggered, workspace,
                [workspace, path] { workspace->openWorkspace(path); });
        if (workspace->recentFiles().isEmpty())
            recent->addAction(tr("(none)"))->setEnabled(false);
        else
            QObject::connect(recent->addAction(tr("Clear the List")), &QAction::triggered, workspace,
                &WorkspaceController::clearRecentFiles);
    };
    fillRecent();
    QObject::connect(workspace, &WorkspaceController::recentFilesChanged, recent, fillRecent);
    QAction* saveAs = file->addAction(tr("&Save Workspace As\u2026"));
    saveAs->setShortcut(QKeySequence::SaveAs);
    QObject::connect(saveAs, &QAction::triggered, window, [workspace, window] {
        if (!workspace->isOpen())
            return;
        QString path = QFileDialog::getSaveFileName(window, tr("Save Workspace As"), QString(), kFilter);
        if (path.isEmpty())
            return;
        if (!path.endsWith(QStringLiteral(".blw")))
            path += QStringLiteral(".blw");
        workspace->saveAs(path);
    });
    QAction* autosave = file->addAction(tr("&Autosave Interval\u2026"));
    autosave->setToolTip(tr("How often the run is written to the workspace: a crash loses at most this much."));
    QObject::connect(autosave, &QAction::triggered, window, [workspace, window] {
        bool ok = false;
        const int seconds = QInputDialog::getInt(window, tr("Autosave Interval"),
            tr("Write the run to the workspace every (seconds):"), workspace->autosaveSeconds(), 1, 3600, 1, &ok);
        if (ok)
            workspace->setAutosaveSeconds(seconds);
    });
    file->addSeparator();
    QObject::connect(file->addAction(tr("E&xport Topic\u2026")), &QAction::triggered, explorer,
        &ExplorerPanel::exportTopicInteractive);
    QObject::connect(file->addAction(tr("Export Search &Results\u2026")), &QAction::triggered, explorer,
        &ExplorerPanel::exportResultsInteractive);
    file->addAction(explorer->importAction());
    file->addAction(explorer->produceAction());

    if (auto* mainWindow = qobject_cast<QMainWindow*>(window)) {
        QObject::connect(workspace, &WorkspaceController::resumeUnavailable, mainWindow, [mainWindow](const QString& why) {
            mainWindow->statusBar()->showMessage(tr("The workspace is open for browsing; its run is not resumed: %1").arg(why), 15000);
        });
        QObject::connect(workspace, &WorkspaceController::resumed, mainWindow, [mainWindow] {
            mainWindow->statusBar()->showMessage(tr("The run is resumed where it stopped and records into the workspace again."), 10000);
        });
    }
    QObject::connect(workspace, &WorkspaceController::failed, window, [window](const QString& title, const QString& message) {
        auto* box = new QMessageBox(QMessageBox::Warning, title, title, QMessageBox::Ok, window);
        box->setInformativeText(message);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void WorkspaceMenu::offerLeftoverRuns(WorkspaceController* workspace, QWidget* window)
{
    for (const QString& path : WorkspaceController::leftoverUntitled()) {
        QMessageBox box(QMessageBox::Question, tr("Recover Untitled Run"),
            tr("An earlier Brokerlab did not quit normally and left an untitled run behind."), QMessageBox::NoButton,
            window);
        box.setInformativeText(tr("%1, last saved %2.\n\nOpen It resumes that run here (File \u2192 Save Workspace "
                                  "As\u2026 keeps it); Discard deletes it; Later asks again at the next start.")
                                   .arg(path, QLocale().toString(QFileInfo(path).lastModified(), QLocale::ShortFormat)));
        QPushButton* open = box.addButton(tr("Open It"), QMessageBox::AcceptRole);
        QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        box.addButton(tr("Later"), QMessageBox::RejectRole);
        box.setDefaultButton(open);
        box.exec();
        if (box.clickedButton() == open) {
            workspace->recoverUntitled(path);
            return; // one workspace at a time: the others wait for the next start
        }
        if (box.clickedButton() == discard)
            WorkspaceController::discardUntitled(path);
    }
}

} // namespace brokerlab::ui
