// The GUI's Kafka listeners, offscreen: Simulation > Listen for Kafka Clients opens a listener per broker, the
// details panel shows the bootstrap servers with a Copy button and each broker's host:port, and a client that
// takes the string from the panel gets real answers (ApiVersions from the wire thread, Metadata from the running
// engine) over a plain socket. A finished run goes on while listening. A port in use is reported in the panel
// and leaves the action unchecked.

#include "../common/rawconnection.h"
#include "detailspanel.h"
#include "listenercontroller.h"
#include "mainwindow.h"
#include "scenariofiles.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace brokerlab;
using namespace brokerlab::ui;
using brokerlab::test::Bytes;
using brokerlab::test::RawConnection;

namespace {

scenario::Scenario threeBrokers()
{
    scenario::LoadResult loaded = ScenarioFiles::load(QStringLiteral(BROKERLAB_TEST_DATA "/wire/three-brokers.json"));
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded))
        qFatal("%s", error->toString().c_str());
    return std::get<scenario::Scenario>(std::move(loaded));
}

template <typename Widget>
Widget* child(const QObject& parent, const char* name)
{
    auto* found = parent.findChild<Widget*>(QLatin1String(name));
    if (!found)
        qFatal("no widget %s", name);
    return found;
}

// A port some other program holds: a listening socket on 127.0.0.1 with a port the system picked.
class OccupiedPort {
public:
    OccupiedPort()
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 && ::listen(fd_, 1) == 0
            && ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            port_ = ntohs(address.sin_port);
    }
    ~OccupiedPort() { ::close(fd_); }
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

struct MetadataBrokers {
    std::map<std::int32_t, int> ports;
    std::vector<std::string> topics;
};

// Metadata v1 for every topic (a null topic array), decoded as far as brokers and topic names.
MetadataBrokers metadata(int port)
{
    MetadataBrokers result;
    for (int attempt = 0; attempt < 50 && result.ports.empty(); ++attempt) {
        RawConnection connection(port, "gui-listener-test");
        if (!connection.connected())
            return result;
        wire::WireWriter body;
        body.int32(-1);
        const Bytes answer = connection.call(3, 1, false, body.take());
        wire::WireReader in(answer);
        const std::int32_t brokers = in.arrayLength();
        for (std::int32_t i = 0; i < brokers && in.ok(); ++i) {
            const std::int32_t id = in.int32();
            in.string(); // host
            result.ports[id] = in.int32();
            in.nullableString(); // rack
        }
        in.int32(); // controller id
        const std::int32_t topics = in.arrayLength();
        for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
            in.int16(); // error
            result.topics.push_back(in.string());
            in.boolean(); // internal
            const std::int32_t partitions = in.arrayLength();
            for (std::int32_t p = 0; p < partitions && in.ok(); ++p) {
                in.int16();
                in.int32();
                in.int32();
                for (int list = 0; list < 2; ++list) {
                    const std::int32_t count = in.arrayLength();
                    for (std::int32_t k = 0; k < count && in.ok(); ++k)
                        in.int32();
                }
            }
        }
        if (!in.ok())
            result = {};
        if (result.ports.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(100)); // the engine has not started yet
    }
    return result;
}

} // namespace

class TestGuiListeners : public QObject {
    Q_OBJECT
private slots:
    void bootstrapFromThePanelReachesTheBrokers()
    {
        MainWindow window(false);
        window.openScenario(threeBrokers(), 7, QStringLiteral("three-brokers.json"));
        window.show();
        auto* box = child<QFrame>(window, "listenerBox");
        QVERIFY2(box->isHidden(), "no listener box before listening is asked for");

        window.listeners()->setAddress(QStringLiteral("127.0.0.1"), 0, false);
        child<QAction>(window, "actionListen")->trigger();
        QVERIFY(window.listeners()->listening());
        QTRY_VERIFY(!box->isHidden());

        // The bootstrap string, as a person would copy it.
        auto* bootstrap = child<QLineEdit>(window, "bootstrapServers");
        const QStringList servers = bootstrap->text().split(QLatin1Char(','));
        QCOMPARE(servers.size(), 3);
        for (const QString& server : servers)
            QVERIFY2(server.startsWith(QLatin1String("127.0.0.1:")), qPrintable(server));
        QTest::mouseClick(child<QToolButton>(window, "copyBootstrap"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), bootstrap->text());
        QVERIFY(!bootstrap->toolTip().isEmpty());

        // Broker 2's details name its listener.
        window.detailsPanel()->setItem(ClusterItem::brokerItem(2));
        QVERIFY2(window.detailsPanel()->html().contains(servers[1]), qPrintable(window.detailsPanel()->html()));

        // A client that knows only the first address: ApiVersions (answered by the wire thread) ...
        const int firstPort = servers[0].section(QLatin1Char(':'), 1).toInt();
        {
            RawConnection connection(firstPort, "gui-listener-test");
            QVERIFY(connection.connected());
            const Bytes answer = connection.call(18, 0, false, {});
            wire::WireReader in(answer);
            QCOMPARE(in.int16(), 0); // error code NONE
            QVERIFY(in.arrayLength() > 10);
        }
        // ... and Metadata from the running engine, which lists the other brokers at the panel's ports.
        const MetadataBrokers answer = metadata(firstPort);
        QCOMPARE(answer.ports.size(), std::size_t(3));
        for (const auto& [id, port] : answer.ports)
            QCOMPARE(QStringLiteral("127.0.0.1:%1").arg(port), servers[id - 1]);
        QVERIFY(std::find(answer.topics.begin(), answer.topics.end(), "orders") != answer.topics.end());

        // Unchecking closes them all.
        child<QAction>(window, "actionListen")->trigger();
        QVERIFY(!window.listeners()->listening());
        QVERIFY(box->isHidden());
        RawConnection refused(firstPort);
        QVERIFY(!refused.connected());
    }

    void listenersFollowANewRun()
    {
        MainWindow window(false);
        window.openScenario(threeBrokers(), 7, QStringLiteral("three-brokers.json"));
        window.listeners()->setAddress(QStringLiteral("127.0.0.1"), 0, false);
        window.listeners()->setListening(true);
        QVERIFY(window.listeners()->listening());
        // Reset (or opening another scenario) replaces the engine; the listeners open again for the new one.
        window.openScenario(threeBrokers(), 8, QStringLiteral("three-brokers.json"));
        QVERIFY(window.listeners()->listening());
        const ListenerStatus status = window.listeners()->status();
        QCOMPARE(status.state, ListenerStatus::State::Listening);
        QCOMPARE(status.ports.size(), std::size_t(3));
        QCOMPARE(metadata(status.ports.at(1)).ports, status.ports);
    }

    void aFinishedRunGoesOnWhileListening()
    {
        scenario::Scenario shortRun = threeBrokers();
        shortRun.durationMs = 300;
        MainWindow window(false);
        window.openScenario(std::move(shortRun), 7, QStringLiteral("three-brokers.json"));
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->finished(), 10000);
        // A client would get no answer from a finished run: listening lets it go on past duration_ms.
        window.listeners()->setAddress(QStringLiteral("127.0.0.1"), 0, false);
        window.listeners()->setListening(true);
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->finished(), 10000);
        const ListenerStatus status = window.listeners()->status();
        QCOMPARE(metadata(status.ports.at(1)).ports, status.ports);
        // session()->finished() asks the driver directly, the snapshot is the one last polled: wait for the next.
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot()->virtualUs >= 300000, 10000);
    }

    void aPortInUseIsShown()
    {
        OccupiedPort occupier;
        const int busy = occupier.port();
        QVERIFY(busy > 0);

        MainWindow window(false);
        window.openScenario(threeBrokers(), 7, QStringLiteral("three-brokers.json"));
        window.show();
        window.listeners()->setAddress(QStringLiteral("127.0.0.1"), busy, false); // broker 1 wants the busy port
        QSignalSpy failures(window.listeners(), &ListenerController::failed);
        child<QAction>(window, "actionListen")->trigger();

        QCOMPARE(failures.size(), 1);
        QVERIFY(!window.listeners()->listening());
        QVERIFY2(!child<QAction>(window, "actionListen")->isChecked(), "a failed start leaves the action unchecked");
        QVERIFY(!child<QFrame>(window, "listenerBox")->isHidden());
        const QString shown = child<QLabel>(window, "listenerHint")->text();
        QVERIFY2(shown.contains(QStringLiteral("127.0.0.1:%1").arg(busy)), qPrintable(shown));
        QVERIFY2(shown.contains(QLatin1String("in use")), qPrintable(shown));
        QVERIFY(child<QLineEdit>(window, "bootstrapServers")->isHidden());
        // No half-open set: broker 2 and 3's ports were closed again.
        QVERIFY(window.listeners()->status().ports.empty());
    }

    void aBadAddressIsShown()
    {
        MainWindow window(false);
        window.openScenario(threeBrokers(), 7, QStringLiteral("three-brokers.json"));
        window.listeners()->setAddress(QStringLiteral("localhost:9092"), 0, false);
        window.listeners()->setListening(true);
        QVERIFY(!window.listeners()->listening());
        QCOMPARE(window.listeners()->status().state, ListenerStatus::State::Failed);
        QVERIFY(window.listeners()->status().error.contains(QLatin1String("localhost:9092")));
    }
};

QTEST_MAIN(TestGuiListeners)
#include "test_guilisteners.moc"
