#include "log/blockreserve.h"

#include <chrono>
#include <cstdlib>

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#endif

namespace brokerlab::log {

BlockReserve& BlockReserve::instance()
{
    static BlockReserve reserve;
    return reserve;
}

BlockReserve::~BlockReserve()
{
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
    for (void* block : ready_)
        std::free(block);
}

void* BlockReserve::take()
{
    // Never waits for the reserve's thread: at idle priority it may be kept off its core for long while it holds
    // the lock, and the simulation must not wait for it. Busy counts as empty.
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || ready_.empty()) {
        if (lock.owns_lock() && !thread_.joinable() && !stop_)
            thread_ = std::thread([this] { run(); });
        missed_.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    void* block = ready_.back();
    ready_.pop_back();
    taken_.fetch_add(1, std::memory_order_relaxed);
    wake_.notify_one();
    return block;
}

BlockReserve::Counters BlockReserve::counters() const
{
    return { .taken = taken_.load(std::memory_order_relaxed),
        .missed = missed_.load(std::memory_order_relaxed),
        .prepared = prepared_.load(std::memory_order_relaxed) };
}

bool BlockReserve::waitUntilFull(int timeoutMs)
{
    std::unique_lock lock(mutex_);
    return filled_.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return ready_.size() >= kReadyBlocks; });
}

bool populatePages(std::uint8_t* begin, std::uint8_t* end)
{
#ifdef __linux__
    constexpr int kMadvPopulateWrite = 23; // MADV_POPULATE_WRITE
    constexpr std::uintptr_t kPage = 4096;
    const auto first = (reinterpret_cast<std::uintptr_t>(begin) + kPage - 1) & ~(kPage - 1);
    const auto last = reinterpret_cast<std::uintptr_t>(end) & ~(kPage - 1);
    return last <= first || ::madvise(reinterpret_cast<void*>(first), last - first, kMadvPopulateWrite) == 0;
#else
    (void)begin;
    (void)end;
    return false;
#endif
}

void* BlockReserve::prepare()
{
    auto* block = static_cast<std::uint8_t*>(std::malloc(kBlockBytes));
    if (!block)
        return nullptr;
    // Where the kernel cannot map them in one call, the pages are touched one by one instead.
    if (populatePages(block, block + kBlockBytes))
        return block;
    for (std::size_t i = 0; i < kBlockBytes; i += 4096)
        block[i] = 0;
    return block;
}

void BlockReserve::run()
{
#ifdef __linux__
    ::pthread_setname_np(::pthread_self(), "brokerlab-pages");
    // Idle priority: only a core that nothing else wants runs this thread. Needs no privilege.
    sched_param idle {};
    (void)::sched_setscheduler(0, SCHED_IDLE, &idle);
#endif
    std::unique_lock lock(mutex_);
    while (!stop_) {
        if (ready_.size() >= kReadyBlocks) {
            wake_.wait(lock);
            continue;
        }
        lock.unlock();
        void* block = prepare();
        lock.lock();
        if (!block)
            break; // out of memory: allocations where needed report it
        ready_.push_back(block);
        prepared_.fetch_add(1, std::memory_order_relaxed);
        filled_.notify_all();
    }
}

} // namespace brokerlab::log
