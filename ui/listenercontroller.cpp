#include "listenercontroller.h"

#include "simulationsession.h"
#include "wire/wireserver.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>

namespace brokerlab::ui {

namespace {
// While real clients are served the run goes on past the scenario's duration_ms, as `brokerlab-cli serve` does:
// a client must not stop getting answers because the scenario's clock ran out (30 days of virtual time).
constexpr std::int64_t kServeHorizonMs = 30LL * 24 * 3600 * 1000;
constexpr int kMaxPortBase = 65000;
} // namespace

QString ListenerStatus::address(std::int32_t broker) const
{
    auto it = ports.find(broker);
    return it == ports.end() ? QString() : host + QLatin1Char(':') + QString::number(it->second);
}

ListenerController::ListenerController(bool persistent, QWidget* dialogParent)
    : QObject(dialogParent)
    , persistent_(persistent)
    , dialogParent_(dialogParent)
    , listenAction_(new QAction(tr("&Listen for Kafka Clients"), this))
    , settingsAction_(new QAction(tr("Kafka Listener &Settings\u2026"), this))
{
    if (persistent_) {
        QSettings settings;
        portBase_ = std::clamp(
            settings.value(QStringLiteral("listeners/portBase"), kDefaultPortBase).toInt(), 0, kMaxPortBase);
        host_ = settings.value(QStringLiteral("listeners/host"), host_).toString();
    }
    listenAction_->setObjectName(QStringLiteral("actionListen"));
    listenAction_->setCheckable(true);
    listenAction_->setToolTip(tr("Open a Kafka listener on every simulated broker, so real clients (kcat, your own "
                                 "producer or consumer) can connect. The details panel shows the bootstrap servers."));
    connect(listenAction_, &QAction::toggled, this, &ListenerController::setListening);
    settingsAction_->setObjectName(QStringLiteral("actionListenerSettings"));
    settingsAction_->setToolTip(tr("Choose the address and the first port of the Kafka listeners"));
    connect(settingsAction_, &QAction::triggered, this, &ListenerController::showSettings);
    refresh_.setInterval(500);
    connect(&refresh_, &QTimer::timeout, this, &ListenerController::refresh);
}

ListenerController::~ListenerController() { stop(); }

void ListenerController::setAddress(const QString& host, int portBase, bool remember)
{
    host_ = host;
    portBase_ = std::clamp(portBase, 0, kMaxPortBase);
    if (persistent_ && remember) {
        QSettings settings;
        settings.setValue(QStringLiteral("listeners/portBase"), portBase_);
        settings.setValue(QStringLiteral("listeners/host"), host_);
    }
    if (listening()) {
        stop();
        start();
    }
}

void ListenerController::attach(SimulationSession* session)
{
    stop();
    session_ = session;
    if (session_ && listenAction_->isChecked())
        start();
    else if (!listenAction_->isChecked())
        setStatus({});
}

bool ListenerController::listening() const { return server_ != nullptr; }

void ListenerController::setListening(bool on)
{
    if (listenAction_->isChecked() != on) {
        listenAction_->setChecked(on); // toggled() comes back here
        return;
    }
    if (on && !server_)
        start();
    else if (!on) {
        stop();
        setStatus({});
    }
}

void ListenerController::start()
{
    if (!session_ || server_)
        return;
    wire::WireServerOptions options;
    options.host = host_.toStdString();
    options.portBase = portBase_;
    auto server = std::make_unique<wire::WireServer>(session_->driver(), options);
    std::string error;
    if (!server->start(error)) {
        ListenerStatus failedStatus;
        failedStatus.state = ListenerStatus::State::Failed;
        failedStatus.host = host_;
        failedStatus.error = QString::fromStdString(error);
        // Unchecking comes back through setListening(false), which must not wipe the error: set it after.
        listenAction_->setChecked(false);
        setStatus(failedStatus);
        emit failed(failedStatus.error);
        return;
    }
    server_ = std::move(server);
    session_->post(tr("Listen for Kafka clients"), [](driver::Engine& engine) {
        engine.extendEndTime(sim::fromMs(static_cast<double>(kServeHorizonMs)));
        return std::string();
    });
    refresh_.start();
    refresh();
}

void ListenerController::stop()
{
    refresh_.stop();
    server_.reset(); // closes every listener and connection, joins the wire thread
}

void ListenerController::refresh()
{
    if (!server_)
        return;
    ListenerStatus next;
    next.state = ListenerStatus::State::Listening;
    next.host = host_;
    next.ports = server_->ports();
    next.bootstrap = QString::fromStdString(server_->bootstrap());
    setStatus(std::move(next));
}

void ListenerController::setStatus(ListenerStatus status)
{
    if (status == status_)
        return;
    status_ = std::move(status);
    emit statusChanged(status_);
}

void ListenerController::showSettings()
{
    auto* dialog = new QDialog(dialogParent_);
    dialog->setObjectName(QStringLiteral("listenerSettingsDialog"));
    dialog->setWindowTitle(tr("Kafka Listener Settings"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* host = new QLineEdit(host_, dialog);
    host->setObjectName(QStringLiteral("listenerHost"));
    host->setToolTip(tr("The address the listeners bind to and advertise to clients in Metadata. 127.0.0.1 lets "
                        "only programs on this computer connect; 0.0.0.0 opens them to the network."));
    auto* base = new QSpinBox(dialog);
    base->setObjectName(QStringLiteral("listenerPortBase"));
    base->setRange(0, kMaxPortBase);
    base->setValue(portBase_);
    base->setSpecialValueText(tr("any free port"));
    base->setToolTip(tr("Broker 1 listens on this port, broker 2 on the next one, and so on. \u201cAny free "
                        "port\u201d lets the system choose a port for each broker."));
    auto* form = new QFormLayout(dialog);
    form->addRow(tr("&Address:"), host);
    form->addRow(tr("&First port:"), base);
    auto* hint = new QLabel(tr("Clients need only one broker's address to start (bootstrap.servers); the Metadata "
                               "answer tells them where every other broker listens."),
        dialog);
    hint->setWordWrap(true);
    form->addRow(hint);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(
        dialog, &QDialog::accepted, this, [this, host, base] { setAddress(host->text().trimmed(), base->value()); });
    dialog->open();
}

} // namespace brokerlab::ui
