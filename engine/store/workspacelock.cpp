#include "store/workspacelock.h"

#include <QFileInfo>
#include <QLockFile>

namespace brokerlab::store {

WorkspaceLock::WorkspaceLock(const QString& workspacePath)
    : workspacePath_(workspacePath), lock_(std::make_unique<QLockFile>(lockPathOf(workspacePath)))
{
    // Stale only when its process is gone: a long run keeps its lock however old the file is.
    lock_->setStaleLockTime(0);
}

WorkspaceLock::~WorkspaceLock() = default; // QLockFile unlocks in its destructor

bool WorkspaceLock::tryLock()
{
    heldByOther_ = false;
    error_.clear();
    if (lock_->isLocked())
        return true;
    if (lock_->tryLock(0))
        return true;
    switch (lock_->error()) {
    case QLockFile::LockFailedError:
        heldByOther_ = true;
        break;
    case QLockFile::PermissionError:
        error_ = QStringLiteral("cannot create the lock file %1 (no permission)").arg(lockPathOf(workspacePath_));
        break;
    default:
        error_ = QStringLiteral("cannot create the lock file %1").arg(lockPathOf(workspacePath_));
        break;
    }
    return false;
}

bool WorkspaceLock::isLocked() const { return lock_->isLocked(); }

void WorkspaceLock::unlock()
{
    if (lock_->isLocked())
        lock_->unlock();
}

std::optional<WorkspaceLock::Holder> WorkspaceLock::holderInfo() const
{
    Holder holder;
    if (!lock_->getLockInfo(&holder.pid, &holder.host, &holder.app))
        return std::nullopt;
    holder.app = QFileInfo(holder.app).fileName();
    return holder;
}

QString WorkspaceLock::holder() const
{
    const auto info = holderInfo();
    if (!info)
        return {};
    QString text = QStringLiteral("process %1").arg(info->pid);
    if (!info->app.isEmpty())
        text += QStringLiteral(" (%1)").arg(info->app);
    if (!info->host.isEmpty())
        text += QStringLiteral(" on %1").arg(info->host);
    return text;
}

bool WorkspaceLock::isLockedByOther(const QString& workspacePath)
{
    WorkspaceLock probe(workspacePath);
    if (probe.tryLock()) {
        probe.unlock();
        return false;
    }
    return probe.heldByOther();
}

} // namespace brokerlab::store
