#pragma once
// The File menu's workspace entries (New, Open, Open Recent, Save As, autosave interval, export)
// and the message boxes that say why a workspace could not be opened or saved.

class QMenu;
class QWidget;

namespace brokerlab::ui {

class ExplorerPanel;
class WorkspaceController;

namespace WorkspaceMenu {
// Adds the entries to `file` and reports the controller's failures in message boxes over `window`.
void populate(QMenu* file, WorkspaceController* workspace, ExplorerPanel* explorer, QWidget* window);
// At start: offers each untitled run an earlier Brokerlab left behind (Open It, Discard, Later).
// Only for a person at the screen: the application leaves it out of screenshots and offscreen runs.
void offerLeftoverRuns(WorkspaceController* workspace, QWidget* window);
}

} // namespace brokerlab::ui
