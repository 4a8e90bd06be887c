#pragma once
// The GUI's workspace: File → New, Open, Save As, Recent and autosave, and recording the running
// session into it. It owns two store threads on the same file: the writer (ingest, indexing,
// search, export) and the reader (the browser's pages), so that scrolling never waits behind
// indexing or a long search. Until the person picks a file, the run is recorded into an untitled
// workspace in the temporary directory, which Save As keeps and quitting deletes.
//
// Opening goes to fresh store threads; only when the file opened do they replace the current ones,
// so a file that cannot be opened costs nothing: the current workspace stays as it was.
//
// Opening a workspace that holds a run resumes it (store/resume.h): resumeReady() asks the window
// for a session of the saved scenario and seed, which attachSession() then replays to where the
// run stopped; when the replay holds exactly what the file holds, recording goes on into the file.
// A workspace opened for browsing only shows its stored timeline and metrics (historyLoaded()).
//
// Each file it opens, creates or saves as is locked (store/workspacelock.h) while it is the open
// workspace: a file another window or process holds is refused, naming the holder, and nothing
// is written to it. The lock goes when the workspace closes or another one replaces it.

#include "storemailbox.h"
#include "scenario/scenario.h"
#include "store/runhistory.h"
#include "store/storetypes.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

namespace brokerlab::store {
class PartitionFeed;
class StoreWorker;
class WorkspaceLock;
}

namespace brokerlab::ui {

class SimulationSession;

class WorkspaceController : public QObject {
    Q_OBJECT
public:
    // A persistent controller keeps its Recent list in QSettings; tests use a non-persistent one.
    explicit WorkspaceController(bool persistent = true, QObject* parent = nullptr);
    ~WorkspaceController() override;

    std::shared_ptr<store::StoreWorker> writer() const { return writer_; }
    std::shared_ptr<store::StoreWorker> reader() const { return reader_; }
    bool isOpen() const { return writer_ != nullptr; }
    QString path() const { return path_; }
    bool isUntitled() const { return untitled_; }
    bool isRecording() const { return session_ != nullptr && recording_; }

    // Records `session` from its start: into a new untitled workspace, unless the open workspace
    // is a new, still empty file the person chose (File → New before the run).
    void attachSession(SimulationSession* session);
    // File → New: a new workspace at `path` (never over an existing file) that records the
    // current run from here on.
    void newWorkspace(const QString& path);
    // File → Open: browse a saved workspace; recording stops (the file is a finished run).
    void openWorkspace(const QString& path);
    // File → Save As: a consistent copy at `path`, which then becomes the open workspace.
    void saveAs(const QString& path);

    // Hands the store what the run committed since the last call (the autosave tick).
    void flush();
    // The last autosave (closing the window, quitting, switching workspaces): flush() and wait
    // until the writer has it in the file. Waits at most `timeoutMs` for the engine's thread.
    void saveNow(int timeoutMs = 10000);
    bool isResuming() const { return resume_ != nullptr; }
    int autosaveSeconds() const { return autosave_.interval() / 1000; }
    void setAutosaveSeconds(int seconds);

    // Untitled workspaces an earlier Brokerlab left in the temporary folder (it did not quit normally)
    // that no live process holds, newest first.
    static QStringList leftoverUntitled();
    // Opens one of them as this window's untitled workspace: its run resumes, Save As keeps it, and
    // quitting deletes it as any untitled workspace.
    void recoverUntitled(const QString& path);
    // Deletes one of them (unless a process took it meanwhile).
    static void discardUntitled(const QString& path);

    QStringList recentFiles() const { return recent_; }
    void clearRecentFiles();

signals:
    void workspaceChanged(const QString& path); // a workspace opened (both threads ready)
    // The open workspace is about to close: let go of its store threads (they close the file).
    void aboutToClose();
    void failed(const QString& title, const QString& message);
    void indexStatusChanged(const brokerlab::store::IndexStatus& status);
    void flushed(); // the writer has the records of the last flush() (tests)
    // The opened workspace holds a run that can be resumed: start a (paused) session of this
    // scenario and seed and attach it; `source` is the scenario's file when it still exists.
    void resumeReady(const brokerlab::scenario::Scenario& scenario, quint64 seed, const QString& source);
    void resumeUnavailable(const QString& reason); // opened for browsing only, and why
    void resumed(); // the replay reached the saved state; the run records into the file again
    // The timeline and metrics history of a workspace opened for browsing (no resume, or a replay that
    // did not reach the saved state), read from the file. `sameRun`: the session is that run's replay,
    // paused where the file stops, so what it does next follows on; otherwise it is another run.
    void historyLoaded(const std::vector<brokerlab::sim::Event>& events,
        const std::vector<brokerlab::store::MetricSeries>& metrics, bool sameRun);
    void recentFilesChanged();

private:
    struct Pending;
    struct Resume;
    void postFlush(std::function<void()> done);
    void checkResumable();
    void replayStep();
    void replayDone(const QString& difference);
    void loadHistory(bool sameRun);
    // The lock of `path` for this controller (the open workspace's own when it is that file), or
    // nothing after emitting failed(title, ...) naming who holds it.
    std::shared_ptr<store::WorkspaceLock> lockFor(const QString& path, const QString& title);
    void start(const QString& path, bool create, bool untitled, bool record, std::shared_ptr<store::WorkspaceLock> lock);
    void adopt(std::shared_ptr<store::StoreWorker> writer, std::shared_ptr<store::StoreWorker> reader,
        const QString& path, bool untitled, bool record, std::shared_ptr<store::WorkspaceLock> lock);
    void retire();
    void addRecent(const QString& path);
    void writeTopics();
    void beginRecording();
    void savedAs(const QString& target, const QString& from, const QString& error,
        std::shared_ptr<store::WorkspaceLock> lock);
    QString untitledPath();

    bool persistent_;
    std::shared_ptr<store::StoreWorker> writer_;
    std::shared_ptr<store::StoreWorker> reader_;
    std::shared_ptr<store::PartitionFeed> feed_; // used on the engine's thread only
    QString path_;
    std::shared_ptr<store::WorkspaceLock> lock_; // the open workspace's
    bool untitled_ = false;
    bool recording_ = false;
    QPointer<SimulationSession> session_;
    QTimer autosave_;
    QStringList recent_;
    int untitledCounter_ = 0;
    std::shared_ptr<Pending> pending_; // an open or new that has not finished yet
    StoreMailboxPtr mailbox_;
    bool sessionRecorded_ = false; // the open workspace already holds a run
    std::shared_ptr<Resume> resume_; // a resume asked for or replaying
    // The session's timeline and metrics samples as the GUI received them; each autosave writes what the
    // open file has not got yet (docs/store.md, "The GUI's use of it").
    store::RunHistory history_;
    bool showingStoredHistory_ = false; // historyLoaded() gave the window a browsed file's run
};

} // namespace brokerlab::ui
