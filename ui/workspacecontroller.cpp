#include "workspacecontroller.h"

#include "simulationsession.h"
#include "storemailbox.h"
#include "store/partitionfeed.h"
#include "store/resume.h"
#include "store/runrecorder.h"
#include "store/storeworker.h"
#include "store/workspace.h"
#include "store/workspacelock.h"

#include "driver/engine.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSysInfo>

#include <chrono>
#include <future>
#include <utility>

namespace brokerlab::ui {

namespace {
constexpr int kDefaultAutosaveSeconds = 5;
constexpr int kRecentFiles = 8;
constexpr std::int64_t kRecordsPerIngest = 50000; // one store transaction each
constexpr const char* kUntitledPrefix = "brokerlab-untitled-";

void removeWorkspaceFiles(const QString& path)
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
}
} // namespace

// An open or a new that has not finished: its own store threads, adopted once both have opened.
struct WorkspaceController::Pending {
    std::shared_ptr<store::StoreWorker> writer;
    std::shared_ptr<store::StoreWorker> reader;
    QString path;
    bool untitled = false;
    bool record = false;
    bool create = false;
    std::shared_ptr<store::WorkspaceLock> lock;
};

// A resume asked for (resumeReady) or replaying. The engine's thread reads it, never changes it.
struct WorkspaceController::Resume {
    store::ResumePoint point;
    std::vector<store::PartitionRow> stored;
    std::int64_t storedEvents = 0; // the file's timeline: the run's first events
    std::optional<std::int64_t> storedMetricsUntilMs; // the file's newest metrics sample
    bool replaying = false;
    std::int64_t chunkUs = 0; // virtual time per replay step: the charts get a point per step
};

WorkspaceController::WorkspaceController(bool persistent, QObject* parent)
    : QObject(parent), persistent_(persistent), mailbox_(std::make_shared<StoreMailbox>(this))
{
    autosave_.setInterval(kDefaultAutosaveSeconds * 1000);
    connect(&autosave_, &QTimer::timeout, this, &WorkspaceController::flush);
    if (persistent_) {
        QSettings settings;
        recent_ = settings.value(QStringLiteral("workspace/recent")).toStringList();
        setAutosaveSeconds(settings.value(QStringLiteral("workspace/autosaveSeconds"), kDefaultAutosaveSeconds).toInt());
    }
}

WorkspaceController::~WorkspaceController()
{
    mailbox_->close();
    pending_.reset();
    retire();
}

void WorkspaceController::setAutosaveSeconds(int seconds)
{
    seconds = std::clamp(seconds, 1, 3600);
    autosave_.setInterval(seconds * 1000);
    if (persistent_)
        QSettings().setValue(QStringLiteral("workspace/autosaveSeconds"), seconds);
}

QString WorkspaceController::untitledPath()
{
    // A name no file has: one of an earlier process with the same id is a leftover to offer, not to delete.
    QString path;
    do {
        const QString name = QStringLiteral("%1%2-%3.blw")
                                 .arg(QLatin1String(kUntitledPrefix))
                                 .arg(QCoreApplication::applicationPid())
                                 .arg(++untitledCounter_);
        path = QDir::temp().filePath(name);
    } while (QFileInfo::exists(path) || QFileInfo::exists(store::WorkspaceLock::lockPathOf(path)));
    QFile::remove(path + QStringLiteral("-wal")); // without their file they hold no run
    QFile::remove(path + QStringLiteral("-shm"));
    return path;
}

QStringList WorkspaceController::leftoverUntitled()
{
    QStringList found;
    const QFileInfoList files = QDir::temp().entryInfoList(
        { QLatin1String(kUntitledPrefix) + QStringLiteral("*.blw") }, QDir::Files, QDir::Time);
    for (const QFileInfo& file : files) {
        const QString path = file.absoluteFilePath();
        // Held: a running Brokerlab's (this one's too). A file that is no whole workspace holds nothing to open.
        if (store::WorkspaceLock::isLockedByOther(path) || store::inspectWorkspaceFile(path.toStdString()))
            continue;
        found << path;
    }
    return found;
}

void WorkspaceController::recoverUntitled(const QString& path)
{
    if (auto problem = store::inspectWorkspaceFile(path.toStdString())) {
        emit failed(tr("Cannot Open Workspace"), QString::fromStdString(*problem));
        return;
    }
    if (auto lock = lockFor(path, tr("Cannot Open Workspace")))
        start(path, false, true, false, std::move(lock));
}

void WorkspaceController::discardUntitled(const QString& path)
{
    store::WorkspaceLock lock(path);
    if (lock.tryLock())
        removeWorkspaceFiles(path);
}

void WorkspaceController::attachSession(SimulationSession* session)
{
    if (session_)
        disconnect(session_, nullptr, this, nullptr);
    session_ = session;
    // A new run: its history starts empty and fills from what the GUI receives (the timeline's events,
    // the snapshots the charts sample), recording or not, so a file chosen later gets all of it.
    history_.clear();
    showingStoredHistory_ = false; // the window shows the new run
    if (session_) {
        connect(session_, &SimulationSession::eventsArrived, this,
            [this](const std::vector<sim::Event>& events) { history_.addEvents(events); });
        connect(session_, &SimulationSession::snapshotChanged, this,
            [this](const SnapshotPtr& snapshot) { history_.sample(*snapshot); });
    }
    if (resume_ && writer_ && !resume_->replaying) {
        // The session of a resumed run: replay it to where it stopped before recording anything.
        autosave_.stop();
        recording_ = false;
        sessionRecorded_ = true;
        feed_ = std::make_shared<store::PartitionFeed>();
        resume_->replaying = true;
        resume_->chunkUs = std::max<std::int64_t>(250000, resume_->point.virtualUs / 400);
        replayStep();
        return;
    }
    resume_.reset();
    if (writer_ && recording_ && !sessionRecorded_) {
        // File → New before any run: this run goes into the file the person chose.
        beginRecording();
        return;
    }
    // Until the new file is open nothing may flush: the old workspace must not take this run's records.
    autosave_.stop();
    recording_ = false;
    const QString path = untitledPath();
    if (auto lock = lockFor(path, tr("Cannot Create Workspace")))
        start(path, true, true, true, std::move(lock));
}

void WorkspaceController::beginRecording()
{
    // A fresh feed hands the new file everything the run has committed so far, then what follows.
    feed_ = std::make_shared<store::PartitionFeed>();
    history_.rewind(); // and the whole timeline and metrics history so far
    if (showingStoredHistory_) {
        // The window showed a browsed file's run: it goes back to this run, which the new file records.
        showingStoredHistory_ = false;
        std::vector<sim::Event> events;
        events.reserve(history_.events().size());
        for (const auto& event : history_.events())
            events.push_back(store::simEventOf(event));
        emit historyLoaded(events, history_.series(), true);
    }
    sessionRecorded_ = true;
    writeTopics();
    autosave_.start();
    flush();
}

void WorkspaceController::newWorkspace(const QString& path)
{
    if (QFileInfo::exists(path)) {
        emit failed(tr("Cannot Create Workspace"),
            tr("%1 already exists; a new workspace is never written over a file. Choose another name.").arg(path));
        return;
    }
    if (auto lock = lockFor(path, tr("Cannot Create Workspace")))
        start(path, true, false, true, std::move(lock));
}

void WorkspaceController::openWorkspace(const QString& path)
{
    // The header checks are cheap and never write: a foreign or damaged file is refused before
    // any store thread touches it. The integrity check follows on the new store thread.
    if (auto problem = store::inspectWorkspaceFile(path.toStdString())) {
        emit failed(tr("Cannot Open Workspace"), QString::fromStdString(*problem));
        return;
    }
    // A file another window or process records into is not opened at all: this window's store
    // thread writes too (the index, the WAL), and resuming would record a second run into it.
    if (auto lock = lockFor(path, tr("Cannot Open Workspace")))
        start(path, false, false, false, std::move(lock));
}

std::shared_ptr<store::WorkspaceLock> WorkspaceController::lockFor(const QString& path, const QString& title)
{
    if (lock_ && !path_.isEmpty() && QFileInfo(path).absoluteFilePath() == QFileInfo(path_).absoluteFilePath())
        return lock_; // the open workspace again: its lock goes on to the new store threads
    auto lock = std::make_shared<store::WorkspaceLock>(path);
    if (lock->tryLock())
        return lock;
    if (!lock->heldByOther()) {
        emit failed(title,
            tr("%1 cannot be locked for writing: %2.\nNothing was written to it.").arg(path, lock->error()));
        return nullptr;
    }
    const auto holder = lock->holderInfo();
    const QString who = !holder ? tr("another Brokerlab window or process")
        : holder->host.isEmpty() || holder->host == QSysInfo::machineHostName()
        ? tr("%1 (process %2)").arg(holder->app.isEmpty() ? tr("another program") : holder->app).arg(holder->pid)
        : tr("%1 (process %2 on %3)")
              .arg(holder->app.isEmpty() ? tr("another program") : holder->app)
              .arg(holder->pid)
              .arg(holder->host);
    emit failed(title,
        tr("%1 is in use by %2, which writes to it (lock file %3).\nNothing was written to it. Close it there "
           "first, or open a copy of it.")
            .arg(path, who, store::WorkspaceLock::lockPathOf(path)));
    return nullptr;
}

void WorkspaceController::start(
    const QString& path, bool create, bool untitled, bool record, std::shared_ptr<store::WorkspaceLock> lock)
{
    auto pending = std::make_shared<Pending>();
    pending->writer = std::make_shared<store::StoreWorker>();
    pending->reader = std::make_shared<store::StoreWorker>();
    pending->path = path;
    pending->untitled = untitled;
    pending->record = record;
    pending->create = create;
    pending->lock = std::move(lock);
    pending_ = pending;
    store::StoreWorker* writer = pending->writer.get();
    store::StoreWorker* reader = pending->reader.get();
    const std::weak_ptr<Pending> weak = pending;
    // The reader is the context: when a later open replaces this one, the reader goes, and with it
    // this queued call (a call into the freed reader otherwise).
    connect(
        writer, &store::StoreWorker::opened, reader, [reader](const QString& opened) { reader->openReader(opened); });
    connect(reader, &store::StoreWorker::opened, this, [this, weak](const QString&) {
        auto opened = weak.lock();
        if (!opened || opened != pending_)
            return; // a later open replaced this one
        adopt(opened->writer, opened->reader, opened->path, opened->untitled, opened->record, opened->lock);
    });
    auto fail = [this, weak, create](const QString& message) {
        auto failedOpen = weak.lock();
        if (failedOpen && failedOpen == pending_) {
            // Destroy its threads later: this call is running on behalf of one of them.
            QTimer::singleShot(0, this, [failedOpen] {});
            pending_.reset();
            emit failed(create ? tr("Cannot Create Workspace") : tr("Cannot Open Workspace"),
                message + QLatin1Char('\n') + tr("The current workspace stays open."));
            return;
        }
        if (writer_ && failedOpen == nullptr)
            emit failed(tr("Workspace Error"), message);
    };
    connect(writer, &store::StoreWorker::failed, this, fail);
    connect(reader, &store::StoreWorker::failed, this, fail);
    connect(writer, &store::StoreWorker::indexStatusChanged, this, [this, writer](const store::IndexStatus& status) {
        if (writer_.get() == writer)
            emit indexStatusChanged(status);
    });
    if (create)
        pending->writer->create(path);
    else
        pending->writer->open(path);
}

void WorkspaceController::adopt(std::shared_ptr<store::StoreWorker> writer, std::shared_ptr<store::StoreWorker> reader,
    const QString& path, bool untitled, bool record, std::shared_ptr<store::WorkspaceLock> lock)
{
    pending_.reset();
    saveNow(); // the workspace being left gets the run up to now
    retire();
    lock_ = std::move(lock);
    writer_ = std::move(writer);
    reader_ = std::move(reader);
    path_ = path;
    untitled_ = untitled;
    recording_ = record;
    sessionRecorded_ = false;
    resume_.reset();
    autosave_.stop();
    if (!untitled)
        addRecent(path);
    emit workspaceChanged(path_);
    if (recording_ && session_)
        beginRecording();
    else if (!record)
        checkResumable();
}

void WorkspaceController::checkResumable()
{
    writer_->post([mailbox = mailbox_, writer = writer_.get()](store::Workspace& workspace) {
        auto point = std::make_shared<std::variant<store::ResumePoint, std::string>>(store::resumePointOf(workspace));
        auto resume = std::make_shared<Resume>();
        if (auto* found = std::get_if<store::ResumePoint>(point.get())) {
            resume->point = *found;
            resume->stored = workspace.partitions();
            // Read both tables whole, not just counted: a damaged row anywhere (a time or value that is
            // not a number) makes the file one to browse, as recording on would add to a table that no
            // longer reads. loadHistory() then reports the damage.
            try {
                resume->storedEvents = std::int64_t(workspace.events().size());
                for (const auto& series : workspace.metrics())
                    if (!series.points.empty())
                        resume->storedMetricsUntilMs
                            = std::max(resume->storedMetricsUntilMs.value_or(series.points.back().first),
                                series.points.back().first);
            } catch (const store::StoreError& damaged) {
                *point = std::string(damaged.what());
            }
        }
        const QString source = QString::fromStdString(workspace.meta("scenario_source").value_or(""));
        mailbox->deliver([mailbox, writer, point, resume, source] {
            auto* controller = static_cast<WorkspaceController*>(mailbox->target());
            if (controller->writer_.get() != writer)
                return; // another workspace opened meanwhile
            if (auto* reason = std::get_if<std::string>(point.get())) {
                emit controller->resumeUnavailable(QString::fromStdString(*reason));
                controller->loadHistory(false);
                return;
            }
            auto scenario = store::scenarioOf(resume->point);
            if (auto* reason = std::get_if<std::string>(&scenario)) {
                emit controller->resumeUnavailable(QString::fromStdString(*reason));
                controller->loadHistory(false);
                return;
            }
            controller->resume_ = resume;
            emit controller->resumeReady(std::get<scenario::Scenario>(scenario), resume->point.seed,
                QFileInfo::exists(source) ? source : QString());
        });
    });
}

void WorkspaceController::replayStep()
{
    // One step of virtual time per engine command (no description: it stays out of the command
    // log), back to the GUI thread in between, so snapshots, charts and the timeline follow.
    session_->post(
        QString(), [resume = resume_, feed = feed_, mailbox = mailbox_](driver::Engine& engine) -> std::string {
            const std::int64_t target = resume->point.virtualUs;
            engine.runUntil(std::min(target, engine.now() + resume->chunkUs));
            if (engine.now() < target) {
                mailbox->deliver([mailbox, resume] {
                    auto* controller = static_cast<WorkspaceController*>(mailbox->target());
                    if (controller->resume_ != resume || !controller->session_)
                        return; // given up: another workspace or session came
                    controller->session_->pollNow();
                    controller->replayStep();
                });
                return {};
            }
            const auto difference = store::replayDifference(engine, resume->point, resume->stored);
            // The file holds exactly this: the feed goes on from here without handing anything over twice.
            if (!difference)
                feed->markHandedOver(store::PartitionFeed::sourcesOf(engine));
            mailbox->deliver([mailbox, resume, text = QString::fromStdString(difference.value_or(""))] {
                auto* controller = static_cast<WorkspaceController*>(mailbox->target());
                if (controller->resume_ == resume && controller->session_)
                    controller->replayDone(text);
            });
            return {};
        });
}

void WorkspaceController::replayDone(const QString& difference)
{
    const std::shared_ptr<Resume> resume = std::move(resume_);
    session_->pollNow();
    if (!difference.isEmpty()) {
        emit failed(tr("Cannot Resume Recording"),
            tr("The run was replayed to where it stopped, but %1. The workspace is left as it was; this run is not "
               "recorded into it.")
                .arg(difference));
        loadHistory(true); // the timeline and charts show the file's run, not the replay's
        return;
    }
    // The file holds the replay's timeline and samples up to here already: only what follows is written.
    // The replay samples at other moments than the run did, so its samples up to the file's newest stay out.
    history_.markWritten(resume->storedEvents, resume->storedMetricsUntilMs);
    recording_ = true;
    autosave_.start();
    emit resumed();
}

void WorkspaceController::loadHistory(bool sameRun)
{
    // On the writer's thread, which has nothing else to do for a file that is only browsed. Reading
    // never writes: a damaged table is reported and the file stays as it is.
    writer_->post([mailbox = mailbox_, writer = writer_.get(), sameRun](store::Workspace& workspace) {
        auto events = std::make_shared<std::vector<sim::Event>>();
        auto metrics = std::make_shared<std::vector<store::MetricSeries>>();
        // Each table on its own: a damaged one leaves the other shown.
        QString error;
        try {
            for (const auto& event : workspace.events())
                events->push_back(store::simEventOf(event));
        } catch (const store::StoreError& failure) {
            error = QString::fromStdString(failure.what());
        }
        try {
            *metrics = workspace.metrics();
        } catch (const store::StoreError& failure) {
            error += (error.isEmpty() ? QString() : QStringLiteral("\n")) + QString::fromStdString(failure.what());
        }
        mailbox->deliver([mailbox, writer, events, metrics, error, sameRun] {
            auto* controller = static_cast<WorkspaceController*>(mailbox->target());
            if (controller->writer_.get() != writer)
                return; // another workspace opened meanwhile
            if (!error.isEmpty())
                emit controller->failed(tr("Cannot Show the Run's History"),
                    error + QLatin1Char('\n')
                        + tr("What could be read is shown; the workspace's records can still be browsed and "
                             "searched."));
            controller->showingStoredHistory_ = !sameRun;
            emit controller->historyLoaded(*events, *metrics, sameRun);
        });
    });
}

void WorkspaceController::retire()
{
    autosave_.stop();
    // No flush here: the store thread stops without running queued jobs, and the feed would count
    // records as handed over that never reached a file. saveNow() is the last autosave, waited for.
    const QString doomed = untitled_ ? path_ : QString();
    if (writer_)
        emit aboutToClose();
    reader_.reset();
    writer_.reset(); // joins the store thread, which checkpoints and closes the file
    path_.clear();
    untitled_ = false;
    recording_ = false;
    if (!doomed.isEmpty())
        removeWorkspaceFiles(doomed);
    lock_.reset(); // the file is closed (and an untitled one gone): others may write it
}

void WorkspaceController::writeTopics()
{
    if (!writer_ || !session_)
        return;
    const std::vector<store::TopicRow> topics = store::RunRecorder::topicsOf(session_->scenario());
    // The scenario as the run read it, for a resume (store/resume.h): a file, or a built-in resource.
    QFile file(session_->source());
    const std::string text = file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
    writer_->post([topics, text, name = session_->scenario().name, seed = session_->seed(),
                      durationMs = session_->scenario().durationMs,
                      source = session_->source().toStdString()](store::Workspace& workspace) {
        for (const auto& topic : topics)
            workspace.setTopic(topic);
        store::writeRunIdentity(workspace, text, name, seed, durationMs);
        workspace.setMeta("scenario_source", source);
    });
}

void WorkspaceController::flush() { postFlush(nullptr); }

void WorkspaceController::saveNow(int timeoutMs)
{
    // An untitled workspace goes when it closes: nothing to keep.
    if (!writer_ || !recording_ || !session_ || untitled_)
        return;
    session_->pollNow(); // the newest events and snapshot into the history
    auto written = std::make_shared<std::promise<void>>();
    std::future<void> done = written->get_future();
    postFlush([written] { written->set_value(); });
    // The store thread runs jobs before indexing, so this waits for the records, not the index.
    if (done.wait_for(std::chrono::milliseconds(timeoutMs)) != std::future_status::ready)
        qWarning("brokerlab: the last autosave did not finish within %d ms", timeoutMs);
}

void WorkspaceController::postFlush(std::function<void()> done)
{
    if (!writer_ || !recording_ || !session_)
        return;
    // The feed reads the logs on the engine's thread between steps; the store thread takes the
    // batches. Each ingest is one transaction in the WAL: once it commits, a crash of the app
    // cannot lose it, so a crash loses at most what the run committed since the last flush.
    // The timeline and metrics since the last flush go with it, each once (store::RunHistory).
    auto history = std::make_shared<const store::HistoryBatch>(history_.takeUnwritten());
    // The session outlives this command: deleting it joins the engine's thread first.
    session_->post(QString(),
        [feed = feed_, writer = writer_, mailbox = mailbox_, session = session_.data(), history,
            done = std::move(done)](driver::Engine& engine) -> std::string {
            std::int64_t pending = 0;
            do {
                store::IngestBatch batch = feed->collect(store::PartitionFeed::sourcesOf(engine), kRecordsPerIngest);
                pending = batch.pendingRecords;
                writer->ingest(std::move(batch));
            } while (pending > 0);
            writer->post([offsets = store::RunRecorder::committedOffsetsOf(engine.snapshot()), mailbox, done, history,
                             state = store::runStateOf(engine, session->commandLog())](store::Workspace& workspace) {
                store::writeHistory(workspace, *history);
                workspace.setCommittedOffsets(offsets);
                store::writeRunState(workspace, state);
                if (done)
                    done();
                mailbox->deliver([controller = static_cast<WorkspaceController*>(mailbox->target())] {
                    emit controller->flushed();
                });
            });
            return {};
        });
}

void WorkspaceController::saveAs(const QString& target)
{
    if (!writer_)
        return;
    auto targetLock = lockFor(target, tr("Cannot Save Workspace"));
    if (!targetLock)
        return;
    const QString from = path_;
    // The copy becomes the open workspace, and closing the old one switches it out of WAL mode,
    // which needs the file to itself: the reader lets go first (its jobs are short page reads).
    if (reader_) {
        reader_->close();
        reader_->waitUntilIdle();
    }
    writer_->post([target, from, mailbox = mailbox_, this, targetLock](store::Workspace& workspace) {
        // `this` is used only in the delivered calls, which the mailbox drops if the controller is gone.
        QString error;
        try {
            workspace.saveCopyAs(target.toStdString());
            workspace.close();
            try {
                workspace.open(target.toStdString());
            } catch (const store::StoreError&) {
                workspace.open(from.toStdString());
                throw;
            }
        } catch (const store::StoreError& failure) {
            error = QString::fromStdString(failure.what());
        }
        mailbox->deliver([this, target, from, error, targetLock] { savedAs(target, from, error, targetLock); });
    });
}

void WorkspaceController::savedAs(
    const QString& target, const QString& from, const QString& error, std::shared_ptr<store::WorkspaceLock> lock)
{
    if (!error.isEmpty()) {
        if (reader_)
            reader_->openReader(from);
        emit failed(tr("Cannot Save Workspace"), error + QLatin1Char('\n') + tr("The workspace stays open as it was."));
        return;
    }
    const bool wasUntitled = untitled_ && from == path_;
    path_ = target;
    // The copy is the file written from now on. The old one's lock goes once an untitled one is removed.
    std::shared_ptr<store::WorkspaceLock> oldLock = std::exchange(lock_, std::move(lock));
    untitled_ = false;
    addRecent(target);
    if (reader_)
        reader_->post([target, from, wasUntitled, oldLock](store::Workspace& workspace) {
            workspace.openReader(target.toStdString());
            if (wasUntitled)
                removeWorkspaceFiles(from); // nothing has it open any more
        });
    emit workspaceChanged(path_);
}

void WorkspaceController::addRecent(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent_.removeAll(absolute);
    recent_.prepend(absolute);
    while (recent_.size() > kRecentFiles)
        recent_.removeLast();
    if (persistent_)
        QSettings().setValue(QStringLiteral("workspace/recent"), recent_);
    emit recentFilesChanged();
}

void WorkspaceController::clearRecentFiles()
{
    recent_.clear();
    if (persistent_)
        QSettings().remove(QStringLiteral("workspace/recent"));
    emit recentFilesChanged();
}

} // namespace brokerlab::ui
