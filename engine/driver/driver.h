#pragma once
// Runs an Engine on its own worker thread. Pacing lives here, not in the engine: real time ×speed,
// paused with single steps, or as fast as possible. Other threads talk to it by commands (run on
// the worker, stamped with the virtual time they were applied at) and read immutable snapshots
// and a typed event stream.

#include "driver/engine.h"
#include "driver/snapshot.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace brokerlab::driver {

enum class PacingMode { Paced, Paused, AsFastAsPossible };

struct AppliedCommand {
    sim::SimTime at = 0;
    std::string description;
};

class Driver {
public:
    using Command = std::function<void(Engine&)>;
    static constexpr double kMinSpeed = 0.1;
    static constexpr double kMaxSpeed = 100.0;

    Driver(const scenario::Scenario& scenario, std::uint64_t seed);
    ~Driver(); // stops and joins the worker

    void start(PacingMode mode = PacingMode::Paced);
    void stop();

    // Thread-safe controls.
    void setSpeed(double factor); // clamped to [0.1, 100]
    double speed() const { return speed_.load(); }
    void setMode(PacingMode mode);
    PacingMode mode() const { return mode_.load(); }
    // While paused: advance virtual time by `virtualMs` (0 = run exactly the next event).
    void step(double virtualMs = 0);
    // Runs `command` on the worker at the current virtual time; `description` goes to the log
    // (an empty one stays out: real clients post a command per request).
    void post(std::string description, Command command);

    // Newest snapshot (never null after start()). Reading one asks for the next: while running, the worker
    // publishes one every snapshot interval only if the last was read since, so that a simulation nobody
    // draws (brokerlab-cli serve) does not build 60 snapshots a second for no one. A reader that comes back
    // after a while therefore gets the last one read and a fresh one an interval later; the GUI reads every frame.
    std::shared_ptr<const Snapshot> snapshot() const;
    // Changes when a broker starts, stops or is added, once the snapshot showing it can be read (the wire
    // server opens and closes its listeners on it without reading snapshots in between).
    std::uint64_t brokersVersion() const { return brokersVersion_.load(std::memory_order_acquire); }
    // Called on the worker thread right after brokersVersion() changes (one listener; setting replaces it).
    void setBrokersChangedListener(std::function<void()> listener);
    // Timeline events since the last call (the GUI pulls on its timer).
    std::vector<sim::Event> takeEvents();
    std::vector<AppliedCommand> commandLog() const;
    bool finished() const { return finished_.load(); }

    // Before start(): lowers the worker thread's CPU priority by this many nice steps (see setUpWorkerThread). The
    // GUI asks for a little, so that its frames are not kept waiting for a core by the engine it draws.
    void setWorkerNiceness(int niceness) { workerNiceness_ = niceness; }

    // How often the worker publishes a snapshot while running (wall time).
    void setSnapshotInterval(std::chrono::milliseconds interval) { snapshotInterval_ = interval; }

private:
    void run();
    void publish();
    void publishIfBrokersChanged();
    bool readBrokers(); // into brokersNow_; true when they differ from the last published
    bool applyCommands(); // true when any ran

    std::unique_ptr<Engine> engine_;
    std::thread worker_;
    std::atomic<bool> stopRequested_ { false };
    std::atomic<bool> finished_ { false };
    std::atomic<double> speed_ { 1.0 };
    std::atomic<PacingMode> mode_ { PacingMode::Paced };
    std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
    mutable std::atomic<bool> snapshotWanted_ { true }; // read since the last publish
    std::atomic<std::uint64_t> brokersVersion_ { 0 };
    std::vector<std::pair<std::int32_t, bool>> brokersNow_, brokersPublished_; // worker only: id, running
    std::chrono::milliseconds snapshotInterval_ { 16 };
    int workerNiceness_ = 0;

    mutable std::mutex mutex_; // guards everything below
    mutable std::condition_variable wake_; // snapshot() wakes the worker too
    std::deque<std::pair<std::string, Command>> commands_;
    std::vector<AppliedCommand> commandLog_;
    std::vector<sim::Event> events_;
    double pendingStepMs_ = -1; // < 0: no step requested
    std::function<void()> brokersChanged_;
    bool modeChanged_ = false;
};

} // namespace brokerlab::driver
