#pragma once
// The GUI's handle on one running scenario. It owns the driver (the engine's worker thread) and pulls from it on
// a timer: the newest snapshot by pointer swap and the timeline events since the last pull. The GUI thread never
// waits on the engine; everything it shows comes from these pulls.

#include "driver/driver.h"
#include "ratetracker.h"
#include "scenario/scenario.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace brokerlab::ui {

using SnapshotPtr = std::shared_ptr<const driver::Snapshot>;

class SimulationSession : public QObject {
    Q_OBJECT
public:
    // A command that runs on the engine's worker; it returns an empty string, or why it failed (which the
    // session reports back on the GUI thread through commandFailed()).
    using Command = std::function<std::string(driver::Engine&)>;

    SimulationSession(scenario::Scenario scenario, std::uint64_t seed, QString source, QObject* parent = nullptr);
    ~SimulationSession() override;

    // Starts the worker. `paused` and `asFastAsPossible` pick the driver's pacing mode.
    void start(bool paused, bool asFastAsPossible);

    const scenario::Scenario& scenario() const { return scenario_; }
    std::uint64_t seed() const { return seed_; }
    QString source() const { return source_; } // a file path, or ":/scenarios/..." for a built-in one
    std::int64_t endUs() const { return scenario_.durationMs * 1000; }

    bool paused() const { return paused_; }
    bool asFastAsPossible() const { return asFastAsPossible_; }
    double speed() const { return driver_->speed(); }
    bool finished() const { return driver_->finished(); }
    void setPaused(bool paused);
    void setAsFastAsPossible(bool enabled);
    void setSpeed(double factor);
    // Pauses if needed, then advances virtual time by `virtualMs`.
    void step(double virtualMs);
    void post(const QString& description, Command command);
    // The commands given so far with a description, stamped with their virtual time (any thread).
    std::vector<driver::AppliedCommand> commandLog() const { return driver_->commandLog(); }

    // The engine's worker, for the Kafka listeners (ListenerController); everything else goes through post().
    driver::Driver& driver() { return *driver_; }

    // The newest snapshot this session pulled (never null).
    SnapshotPtr snapshot() const { return snapshot_; }
    std::shared_ptr<const Rates> rates() const { return rates_.rates(); }

    // How often the GUI pulls (wall time). 33 ms (30 Hz) unless a test or the screenshot runner changes it.
    void setPollInterval(int milliseconds) { timer_.setInterval(milliseconds); }
    // Pulls now instead of waiting for the timer (tests and the screenshot runner).
    void pollNow() { poll(); }

signals:
    void snapshotChanged(const brokerlab::ui::SnapshotPtr& snapshot);
    void eventsArrived(const std::vector<brokerlab::sim::Event>& events);
    void stateChanged(); // paused, speed, pacing or finished changed
    void commandFailed(const QString& description, const QString& message);

private:
    void poll();
    void applyMode();

    scenario::Scenario scenario_;
    std::uint64_t seed_;
    QString source_;
    std::unique_ptr<driver::Driver> driver_;
    QTimer timer_;
    SnapshotPtr snapshot_;
    RateTracker rates_;
    bool paused_ = false;
    bool asFastAsPossible_ = false;
    bool reportedFinished_ = false;
};

} // namespace brokerlab::ui
