#pragma once
// Whoever writes a workspace file holds its lock: `<file>.lock` beside it (QLockFile), so two
// windows, two processes, or `brokerlab-cli run --workspace` never write one file at once. A lock
// left by a process that no longer runs (a crash) is stale and taken over; the check is QLockFile's
// own (the process id on this host), never the lock's age. docs/store.md, "Locks".

#include <QString>

#include <memory>
#include <optional>

class QLockFile;

namespace brokerlab::store {

class WorkspaceLock {
public:
    explicit WorkspaceLock(const QString& workspacePath);
    ~WorkspaceLock(); // releases the lock if held
    WorkspaceLock(const WorkspaceLock&) = delete;
    WorkspaceLock& operator=(const WorkspaceLock&) = delete;

    static QString lockPathOf(const QString& workspacePath) { return workspacePath + QStringLiteral(".lock"); }

    // Takes the lock without waiting. False when another live process (or another holder in this
    // one) has it, or the lock file cannot be written; holder() and error() then say which.
    bool tryLock();
    bool isLocked() const;
    void unlock();

    // Who holds the lock (QLockFile::getLockInfo), when the lock file tells.
    struct Holder {
        qint64 pid = 0;
        QString host;
        QString app; // the program's file name
    };
    std::optional<Holder> holderInfo() const;
    // The same as "process 1234 (brokerlab) on host", for the command line; empty when unknown.
    QString holder() const;
    bool heldByOther() const { return heldByOther_; }
    QString error() const { return error_; }
    QString workspacePath() const { return workspacePath_; }

    // Whether someone alive holds the lock of `workspacePath` now (it tries and lets go at once).
    static bool isLockedByOther(const QString& workspacePath);

private:
    QString workspacePath_;
    std::unique_ptr<QLockFile> lock_;
    bool heldByOther_ = false;
    QString error_;
};

} // namespace brokerlab::store
