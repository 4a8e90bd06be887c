#include "driver/driver.h"

#include "driver/workerthread.h"

#include <algorithm>

namespace brokerlab::driver {

namespace {
constexpr std::size_t kMaxQueuedEvents = 100000; // a reader that stops pulling loses the oldest
}

Driver::Driver(const scenario::Scenario& scenario, std::uint64_t seed)
    : engine_(std::make_unique<Engine>(scenario, seed))
{
    engine_->trace().setListener([this](const sim::Event& event) {
        std::lock_guard lock(mutex_);
        if (events_.size() >= kMaxQueuedEvents)
            events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(kMaxQueuedEvents / 10));
        events_.push_back(event);
    });
    engine_->start();
    snapshot_.store(std::make_shared<const Snapshot>(engine_->snapshot()));
}

Driver::~Driver() { stop(); }

void Driver::start(PacingMode mode)
{
    mode_ = mode;
    if (!worker_.joinable())
        worker_ = std::thread([this] {
            setUpWorkerThread("brokerlab-sim", workerNiceness_);
            run();
        });
}

void Driver::stop()
{
    {
        // Under the lock the worker checks it under before it sleeps (it may sleep with no time limit).
        std::lock_guard lock(mutex_);
        stopRequested_ = true;
        wake_.notify_all();
    }
    if (worker_.joinable())
        worker_.join();
}

void Driver::setSpeed(double factor)
{
    speed_ = std::clamp(factor, kMinSpeed, kMaxSpeed);
    std::lock_guard lock(mutex_);
    modeChanged_ = true;
    wake_.notify_all();
}

void Driver::setMode(PacingMode mode)
{
    mode_ = mode;
    std::lock_guard lock(mutex_);
    modeChanged_ = true;
    wake_.notify_all();
}

void Driver::step(double virtualMs)
{
    std::lock_guard lock(mutex_);
    pendingStepMs_ = std::max(0.0, virtualMs);
    wake_.notify_all();
}

void Driver::post(std::string description, Command command)
{
    std::lock_guard lock(mutex_);
    commands_.emplace_back(std::move(description), std::move(command));
    wake_.notify_all();
}

std::vector<sim::Event> Driver::takeEvents()
{
    std::lock_guard lock(mutex_);
    std::vector<sim::Event> taken;
    taken.swap(events_);
    return taken;
}

std::vector<AppliedCommand> Driver::commandLog() const
{
    std::lock_guard lock(mutex_);
    return commandLog_;
}

bool Driver::applyCommands()
{
    std::deque<std::pair<std::string, Command>> pending;
    {
        std::lock_guard lock(mutex_);
        pending.swap(commands_);
    }
    if (pending.empty())
        return false;
    bool described = false;
    for (auto& [description, command] : pending) {
        // Commands without a description (one per real client request) stay out of the log.
        if (!description.empty()) {
            std::lock_guard lock(mutex_);
            commandLog_.push_back({ engine_->now(), description });
            described = true;
        }
        command(*engine_);
    }
    // A user's command shows at once. Real clients' requests (thousands a second) leave it to the
    // periodic snapshot of the running loop: a snapshot per request cost the sim thread more than
    // the request itself. While paused there is no periodic snapshot, so every batch publishes.
    if (described || mode_.load() == PacingMode::Paused || finished_.load())
        publish();
    return true;
}

std::shared_ptr<const Snapshot> Driver::snapshot() const
{
    // The first read since a publish wakes the worker if it sleeps without a snapshot due (nobody had asked).
    if (!snapshotWanted_.exchange(true, std::memory_order_acq_rel)) {
        std::lock_guard lock(mutex_);
        wake_.notify_all();
    }
    return snapshot_.load();
}

void Driver::publish()
{
    snapshot_.store(std::make_shared<const Snapshot>(engine_->snapshot()));
    const bool brokersChanged = readBrokers();
    if (brokersChanged) {
        brokersPublished_ = brokersNow_;
        brokersVersion_.fetch_add(1, std::memory_order_release); // after the store: the new version's snapshot is there
        std::lock_guard lock(mutex_);
        if (brokersChanged_)
            brokersChanged_();
    }
}

void Driver::setBrokersChangedListener(std::function<void()> listener)
{
    std::lock_guard lock(mutex_);
    brokersChanged_ = std::move(listener);
}

bool Driver::readBrokers()
{
    brokersNow_.clear();
    for (const auto& broker : engine_->cluster().brokers())
        brokersNow_.emplace_back(broker->id(), broker->isOnline()); // as the snapshot's id and running
    return brokersNow_ != brokersPublished_;
}

void Driver::publishIfBrokersChanged()
{
    if (readBrokers())
        publish();
}

void Driver::run()
{
    using Clock = std::chrono::steady_clock;
    auto lastPublish = Clock::now();
    // Paced mode maps wall time to virtual time from an anchor that moves whenever the speed or
    // mode changes, so changing speed never makes virtual time jump.
    auto anchorWall = Clock::now();
    sim::SimTime anchorVirtual = engine_->now();
    bool modeJustChanged = false;

    while (!stopRequested_) {
        applyCommands();
        // A command may move the end (Engine::extendEndTime): a finished run then goes on.
        const sim::SimTime end = engine_->endTime();
        if (finished_ && engine_->now() < end) {
            finished_ = false;
            anchorWall = Clock::now(); // the time spent finished does not count as virtual time
            anchorVirtual = engine_->now();
        }
        {
            std::lock_guard lock(mutex_);
            if (modeChanged_) {
                modeChanged_ = false;
                anchorWall = Clock::now();
                anchorVirtual = engine_->now();
                modeJustChanged = true;
            }
        }
        if (modeJustChanged) {
            // Readers see where a pause (or a new speed) took effect at once.
            publish();
            modeJustChanged = false;
        }
        const PacingMode mode = mode_.load();
        if (engine_->now() >= end && !finished_) {
            finished_ = true;
            publish();
        }
        if (mode == PacingMode::Paused || finished_) {
            double stepMs = -1;
            {
                std::unique_lock lock(mutex_);
                if (pendingStepMs_ < 0 && commands_.empty() && !modeChanged_ && !stopRequested_)
                    wake_.wait_for(lock, std::chrono::milliseconds(50));
                stepMs = pendingStepMs_;
                pendingStepMs_ = -1;
            }
            applyCommands(); // commands posted before a step apply before it
            if (stepMs >= 0 && !finished_) {
                if (stepMs == 0)
                    engine_->step();
                else
                    engine_->runUntil(std::min(end, engine_->now() + sim::fromMs(stepMs)));
                publish();
            }
            continue;
        }
        if (mode == PacingMode::AsFastAsPossible) {
            // Work in slices so commands and snapshots keep flowing.
            const auto sliceEnd = Clock::now() + std::chrono::milliseconds(10);
            while (Clock::now() < sliceEnd && engine_->now() < end) {
                for (int i = 0; i < 256 && engine_->scheduler().nextEventTime() <= end; ++i)
                    engine_->step();
                if (engine_->scheduler().nextEventTime() > end) {
                    engine_->runUntil(end);
                    break;
                }
            }
            publishIfBrokersChanged();
        } else {
            const double elapsedMs = std::chrono::duration<double, std::milli>(Clock::now() - anchorWall).count();
            const sim::SimTime target
                = std::min(end, anchorVirtual + static_cast<sim::SimTime>(elapsedMs * 1000.0 * speed_.load()));
            engine_->runUntil(target);
            publishIfBrokersChanged();
            // Sleep until the next event is due in wall time, or until the next periodic snapshot
            // is due (if one has been asked for), whichever comes first. A fixed 4 ms nap would cost
            // every 0.5 ms network hop up to 4 ms of wall time, and a real client's request crosses
            // several hops in sequence (acks=all: client to leader, leader to follower, follower
            // fetch, leader to client). Commands, steps, mode and speed changes, stop() and the
            // first read of a snapshot nobody had asked for wake the loop early.
            auto wakeAt = Clock::time_point::max();
            const sim::SimTime next = engine_->scheduler().nextEventTime();
            if (next < end) {
                const double dueMs = static_cast<double>(next - anchorVirtual) / (1000.0 * speed_.load());
                wakeAt = anchorWall
                    + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(dueMs));
            }
            std::unique_lock lock(mutex_);
            if (snapshotWanted_.load(std::memory_order_acquire)) // read under the lock snapshot() notifies under
                wakeAt = std::min(wakeAt, lastPublish + snapshotInterval_);
            if (commands_.empty() && !modeChanged_ && !stopRequested_ && wakeAt > Clock::now()) {
                if (wakeAt == Clock::time_point::max())
                    wake_.wait(lock);
                else
                    wake_.wait_until(lock, wakeAt);
            }
        }
        if (Clock::now() - lastPublish >= snapshotInterval_ && snapshotWanted_.exchange(false)) {
            publish();
            lastPublish = Clock::now();
        }
    }
    publish();
}

} // namespace brokerlab::driver
