#pragma once
// The GUI's Kafka listeners: the same per-broker listeners as `brokerlab-cli serve` (engine/wire), opened on the
// running session's driver so kcat or a person's own client can talk to the simulated brokers. Owns the
// "Listen for Kafka Clients" and "Kafka Listener Settings" actions and says what is open (or why it is not) in a
// ListenerStatus, which the details panel shows.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <map>
#include <memory>

class QAction;
class QWidget;

namespace brokerlab::wire {
class WireServer;
}

namespace brokerlab::ui {

class SimulationSession;

struct ListenerStatus {
    enum class State { Off, Listening, Failed };
    State state = State::Off;
    QString host;
    std::map<std::int32_t, int> ports; // broker id -> port, for every broker with a listener
    QString bootstrap; // "host:port,host:port,...": Kafka's bootstrap.servers
    QString error; // why the listeners could not open (State::Failed)

    QString address(std::int32_t broker) const; // "host:port", or empty when the broker has no listener
    bool operator==(const ListenerStatus&) const = default;
};

class ListenerController : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultPortBase = 19092;

    // A persistent controller keeps the port base and host in QSettings (the main window passes its own flag).
    ListenerController(bool persistent, QWidget* dialogParent);
    ~ListenerController() override;

    QAction* listenAction() const { return listenAction_; } // checkable: listening or not
    QAction* settingsAction() const { return settingsAction_; } // the port base and host dialog

    // Broker N listens on portBase + N - 1; 0 lets the system pick a free port per broker.
    int portBase() const { return portBase_; }
    QString host() const { return host_; }
    // Applies to the next start; while listening, the listeners are reopened with the new values. `remember`
    // keeps them for the next start of the application (the settings dialog does; command-line options do not).
    void setAddress(const QString& host, int portBase, bool remember = true);

    // The session whose brokers listen. Call with nullptr before a session is deleted: the listeners use its
    // driver. When listening is on, attaching a new session opens listeners for it.
    void attach(SimulationSession* session);
    // Opens (or closes) the listeners; a failure unchecks the action and is reported by failed().
    void setListening(bool on);
    bool listening() const;
    ListenerStatus status() const { return status_; }

signals:
    void statusChanged(const brokerlab::ui::ListenerStatus& status);
    void failed(const QString& message);

private:
    void start();
    void stop();
    void refresh();
    void showSettings();
    void setStatus(ListenerStatus status);

    bool persistent_;
    QWidget* dialogParent_;
    QPointer<SimulationSession> session_;
    std::unique_ptr<wire::WireServer> server_;
    QAction* listenAction_;
    QAction* settingsAction_;
    QTimer refresh_; // a broker added while running gets a listener on the wire thread: pick its port up
    int portBase_ = kDefaultPortBase;
    QString host_ = QStringLiteral("127.0.0.1");
    ListenerStatus status_;
};

} // namespace brokerlab::ui
