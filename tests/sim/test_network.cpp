// Closed connections in the simulated network: a peer waiting on a process that dies hears of it one
// link latency later (as TCP's FIN or RST); a power loss, a cut link or a pause tells nobody, and the
// peer is left to its request timeout.

#include "sim/network.h"

#include <QTest>

#include <vector>

using namespace brokerlab::sim;

namespace {

constexpr NodeId kBroker = 1;
constexpr NodeId kClient = 1000;
constexpr SimTime kLatency = 5 * kMicrosPerMs;

enum Silent { PowerLoss, IsolatedThenCrashed, Isolated, Paused };

struct Lab {
    Scheduler scheduler;
    Network network { scheduler, Rng(7), LinkSpec { .latencyMs = 5, .jitterMs = 0 } };
    std::vector<SimTime> closedAt; // when the client heard that a connection closed

    // A request from the client that the broker keeps without answering (a parked join or fetch).
    ExchangeId parkedRequest()
    {
        const ExchangeId exchange
            = network.openExchange(kClient, kBroker, [this] { closedAt.push_back(scheduler.now()); });
        network.send(
            kClient, kBroker, 100, [] {}, exchange);
        return exchange;
    }
};

} // namespace

class TestNetwork : public QObject {
    Q_OBJECT
private slots:
    void aDyingProcessClosesItsConnections()
    {
        Lab lab;
        lab.parkedRequest();
        lab.parkedRequest();
        lab.scheduler.runUntil(20 * kMicrosPerMs);
        lab.network.setNodeUp(kBroker, false); // crash
        lab.scheduler.runUntil(100 * kMicrosPerMs);
        // Both requests fail together, one link latency after the crash: they shared one connection.
        QCOMPARE(lab.closedAt, std::vector<SimTime>({ 20 * kMicrosPerMs + kLatency, 20 * kMicrosPerMs + kLatency }));
        QCOMPARE(lab.network.stats().connectionsClosed, std::uint64_t(1));
        QCOMPARE(lab.network.openExchanges(), std::size_t(0));
    }

    void theCloseFollowsARequestStillOnItsWay()
    {
        // The broker dies while the request travels: the client still hears the connection close.
        Lab lab;
        lab.parkedRequest();
        lab.scheduler.runUntil(kMicrosPerMs);
        lab.network.setNodeUp(kBroker, false);
        lab.scheduler.runUntil(100 * kMicrosPerMs);
        QCOMPARE(lab.closedAt, std::vector<SimTime>({ kMicrosPerMs + kLatency }));
    }

    void anAnsweredRequestIsNotFailedLater()
    {
        Lab lab;
        const ExchangeId exchange = lab.parkedRequest();
        lab.scheduler.runUntil(20 * kMicrosPerMs);
        lab.network.closeExchange(exchange); // the answer arrived
        lab.network.setNodeUp(kBroker, false);
        lab.scheduler.runUntil(100 * kMicrosPerMs);
        QVERIFY(lab.closedAt.empty());
    }

    void silentDepartures_data()
    {
        QTest::addColumn<int>("how");
        QTest::addRow("power loss") << int(PowerLoss);
        QTest::addRow("isolated, then crashed") << int(IsolatedThenCrashed);
        QTest::addRow("isolated") << int(Isolated);
        QTest::addRow("paused") << int(Paused);
    }

    void silentDepartures()
    {
        // Nothing reaches the client: it must wait for its request timeout, as a Kafka client does.
        QFETCH(int, how);
        Lab lab;
        lab.parkedRequest();
        lab.scheduler.runUntil(20 * kMicrosPerMs);
        if (how == PowerLoss) {
            lab.network.setNodeUp(kBroker, false, Departure::PowerLoss);
        } else if (how == Paused) {
            lab.network.setNodePaused(kBroker, true);
        } else {
            lab.network.partition({ kBroker }, { kClient });
            if (how == IsolatedThenCrashed)
                lab.network.setNodeUp(kBroker, false);
        }
        lab.scheduler.runUntil(60000 * kMicrosPerMs);
        QVERIFY(lab.closedAt.empty());
        QCOMPARE(lab.network.stats().connectionsClosed, std::uint64_t(0));
    }

    void aRequestLostToACutIsForgotten()
    {
        // The request never arrives; if the broker crashes after the link heals, its FIN concerns a
        // connection the request never made it through, and nothing is left open to leak.
        Lab lab;
        lab.network.setCut(kClient, kBroker, true);
        lab.parkedRequest();
        QCOMPARE(lab.network.openExchanges(), std::size_t(0));
        lab.network.heal();
        lab.parkedRequest();
        lab.scheduler.runUntil(2 * kMicrosPerMs);
        lab.network.setCut(kClient, kBroker, true); // cut while the request travels
        lab.scheduler.runUntil(20 * kMicrosPerMs);
        QCOMPARE(lab.network.openExchanges(), std::size_t(0));
    }

    void aPeerThatDiedHearsNothing()
    {
        Lab lab;
        lab.parkedRequest();
        lab.scheduler.runUntil(20 * kMicrosPerMs);
        lab.network.setNodeUp(kBroker, false);
        lab.network.setNodeUp(kClient, false); // the waiting process is gone before the close arrives
        lab.scheduler.runUntil(100 * kMicrosPerMs);
        QVERIFY(lab.closedAt.empty());
        QCOMPARE(lab.network.openExchanges(), std::size_t(0));
    }

    void aRestartedBrokerDoesNotFailNewRequests()
    {
        // Crash, restart at once, and a new request to the new process: only the old one fails.
        Lab lab;
        lab.parkedRequest();
        lab.scheduler.runUntil(20 * kMicrosPerMs);
        lab.network.setNodeUp(kBroker, false);
        lab.network.setNodeUp(kBroker, true);
        lab.parkedRequest();
        lab.scheduler.runUntil(100 * kMicrosPerMs);
        QCOMPARE(lab.closedAt.size(), std::size_t(1));
        QCOMPARE(lab.network.openExchanges(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestNetwork)
#include "test_network.moc"
