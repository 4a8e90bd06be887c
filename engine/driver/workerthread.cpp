#include "driver/workerthread.h"

#include <pthread.h>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace brokerlab::driver {

void setUpWorkerThread(const char* name, int niceness)
{
    ::pthread_setname_np(::pthread_self(), name);
#ifdef __linux__
    // Linux schedules threads as tasks of their own: PRIO_PROCESS with the thread's id changes this thread only.
    // Raising niceness needs no privilege; failing to is harmless (the thread keeps the default priority).
    if (niceness > 0) {
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        const int current = ::getpriority(PRIO_PROCESS, tid);
        (void)::setpriority(PRIO_PROCESS, tid, current + niceness);
    }
#else
    (void)niceness;
#endif
}

} // namespace brokerlab::driver
