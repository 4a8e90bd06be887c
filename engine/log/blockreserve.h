#pragma once
// Full-size log blocks whose memory pages are already mapped, made ready ahead of need in the machine's idle time.
//
// A busy partition's segment takes a fresh 1 MiB block (Segment::kChunkBytes) for about every megabyte produced, and
// the kernel then maps and zeroes its 256 pages: while a real client produces hundreds of megabytes a second that
// is most of the simulation thread's work, done while the client waits for its answer. The reserve keeps a few such
// blocks ready. Its own thread (brokerlab-pages) fills it at the lowest CPU priority there is (SCHED_IDLE on
// Linux), so it runs only on a core nothing else wants and never takes one from the simulation, the GUI or a client
// on the same machine. When the reserve is empty (every core busy), a block is allocated and mapped where it is
// needed, as without it. The thread starts when the first full-size block is asked for: small simulations never
// start it.
//
// Blocks come from malloc, so ByteBlock resizes and frees them as its own.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace brokerlab::log {

// Maps the whole memory pages inside [begin, end) for writing with one call instead of a page fault per 4 KiB page
// as writes first touch them (MADV_POPULATE_WRITE, Linux 5.14 and later). False where the kernel cannot (then the
// pages fault in on first touch, as without it).
bool populatePages(std::uint8_t* begin, std::uint8_t* end);

class BlockReserve {
public:
    static constexpr std::size_t kBlockBytes = std::size_t(1) << 20;
    static constexpr std::size_t kReadyBlocks = 8; // how many it keeps ready: 8 MiB

    struct Counters {
        std::uint64_t taken = 0; // asked for and handed out ready
        std::uint64_t missed = 0; // asked for while none was ready
        std::uint64_t prepared = 0; // made ready by the reserve's thread
    };

    // The process's reserve (its thread is stopped and its ready blocks freed when the process ends).
    static BlockReserve& instance();

    BlockReserve() = default;
    ~BlockReserve();
    BlockReserve(const BlockReserve&) = delete;
    BlockReserve& operator=(const BlockReserve&) = delete;

    // A malloc'd block of kBlockBytes whose pages are mapped, or nullptr when none is ready (then allocate as
    // usual). Thread-safe and never waits; the first call starts the reserve's thread.
    void* take();
    Counters counters() const;
    // Blocks until the reserve holds kReadyBlocks or `timeoutMs` passes; true when full (tests).
    bool waitUntilFull(int timeoutMs);

private:
    void run();
    static void* prepare();

    mutable std::mutex mutex_;
    std::condition_variable wake_; // the thread: a block was taken, or stop
    std::condition_variable filled_; // waitUntilFull: a block was made ready
    std::vector<void*> ready_;
    std::atomic<std::uint64_t> taken_ { 0 }, missed_ { 0 }, prepared_ { 0 };
    std::thread thread_;
    bool stop_ = false;
};

} // namespace brokerlab::log
