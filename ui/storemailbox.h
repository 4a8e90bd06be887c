#pragma once
// Hands results of store jobs (which run on a store thread) back to a GUI object. The job holds the
// mailbox, not the object: the object closes it in its destructor, and a queued call posted before
// that is dropped by Qt with the object's other pending events. So a page or search result that
// arrives after a model went away is discarded instead of touching freed memory.

#include <QMetaObject>
#include <QObject>

#include <memory>
#include <mutex>
#include <utility>

namespace brokerlab::ui {

class StoreMailbox {
public:
    explicit StoreMailbox(QObject* target) : original_(target), target_(target) { }
    // From the GUI thread, in the target's destructor.
    void close()
    {
        std::lock_guard lock(mutex_);
        target_ = nullptr;
    }
    // From any thread: runs `call` on the target's thread, unless the target is gone by then.
    template <typename Call> void deliver(Call&& call)
    {
        std::lock_guard lock(mutex_);
        if (target_)
            QMetaObject::invokeMethod(target_, std::forward<Call>(call), Qt::QueuedConnection);
    }

    // The target as given (only for use inside a delivered call, where it is alive).
    QObject* target() const { return original_; }

private:
    QObject* original_;
    std::mutex mutex_;
    QObject* target_;
};

using StoreMailboxPtr = std::shared_ptr<StoreMailbox>;

} // namespace brokerlab::ui
