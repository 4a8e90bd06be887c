#include "simulationsession.h"

#include <QThread>
#include <QThreadPool>

#include <utility>

namespace brokerlab::ui {

namespace {
constexpr int kEngineNiceness = 3; // nice steps below the GUI thread (Linux)
} // namespace

SimulationSession::SimulationSession(scenario::Scenario scenario, std::uint64_t seed, QString source, QObject* parent)
    : QObject(parent)
    , scenario_(std::move(scenario))
    , seed_(seed)
    , source_(std::move(source))
    , driver_(std::make_unique<driver::Driver>(scenario_, seed))
{
    snapshot_ = driver_->snapshot();
    rates_.update(*snapshot_);
    timer_.setInterval(33);
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &SimulationSession::poll);
}

SimulationSession::~SimulationSession()
{
    // Join the worker first: a command still running may queue a report to this object, and that must happen
    // while the object is whole (Qt drops events queued for an object once it is deleted). Stop before reset:
    // reset() nulls the pointer before it destroys the driver, and a command run while the worker winds down
    // (the workspace's last flush asks for commandLog()) would find no driver.
    if (driver_)
        driver_->stop();
    driver_.reset();
}

void SimulationSession::start(bool paused, bool asFastAsPossible)
{
    paused_ = paused;
    asFastAsPossible_ = asFastAsPossible;
    // The engine yields a little to the GUI thread when both want a core; it still takes every cycle the GUI
    // leaves (on two cores at 200,000 records/s the frames' p99 fell by a third, see BENCHMARKS.md).
    driver_->setWorkerNiceness(kEngineNiceness);
    driver_->start(paused      ? driver::PacingMode::Paused
            : asFastAsPossible ? driver::PacingMode::AsFastAsPossible
                               : driver::PacingMode::Paced);
    timer_.start();
    emit stateChanged();
}

void SimulationSession::applyMode()
{
    driver_->setMode(paused_    ? driver::PacingMode::Paused
            : asFastAsPossible_ ? driver::PacingMode::AsFastAsPossible
                                : driver::PacingMode::Paced);
    emit stateChanged();
}

void SimulationSession::setPaused(bool paused)
{
    if (paused_ == paused)
        return;
    paused_ = paused;
    applyMode();
}

void SimulationSession::setAsFastAsPossible(bool enabled)
{
    if (asFastAsPossible_ == enabled)
        return;
    asFastAsPossible_ = enabled;
    applyMode();
}

void SimulationSession::setSpeed(double factor)
{
    driver_->setSpeed(factor);
    emit stateChanged();
}

void SimulationSession::step(double virtualMs)
{
    setPaused(true);
    driver_->step(virtualMs);
}

void SimulationSession::post(const QString& description, Command command)
{
    driver_->post(description.toStdString(), [this, description, command = std::move(command)](driver::Engine& engine) {
        const std::string failure = command(engine);
        if (failure.empty())
            return;
        // Runs on the worker: hand the message to the GUI thread by a queued call on this object.
        QMetaObject::invokeMethod(
            this,
            [this, description, message = QString::fromStdString(failure)] {
                Q_ASSERT(QThread::currentThread() == thread());
                emit commandFailed(description, message);
            },
            Qt::QueuedConnection);
    });
}

void SimulationSession::poll()
{
    Q_ASSERT(QThread::currentThread() == thread());
    std::vector<sim::Event> events = driver_->takeEvents();
    if (!events.empty())
        emit eventsArrived(events);
    SnapshotPtr newest = driver_->snapshot();
    if (newest != snapshot_) {
        SnapshotPtr previous = std::exchange(snapshot_, std::move(newest));
        rates_.update(*snapshot_);
        emit snapshotChanged(snapshot_);
        // Every view holds the newest now, so this is mostly the last reference to the one before, and freeing a
        // snapshot of thousands of partitions takes the GUI thread milliseconds (0.7 ms a frame at 1,000
        // partitions, 3 ms at 5,000): a pool thread frees it instead.
        if (previous && previous.use_count() == 1)
            QThreadPool::globalInstance()->start([retired = std::move(previous)]() mutable { retired.reset(); });
    }
    // A finished run can go on again when its end moves (the Kafka listeners extend it).
    if (driver_->finished() != reportedFinished_) {
        reportedFinished_ = driver_->finished();
        emit stateChanged();
    }
}

} // namespace brokerlab::ui
