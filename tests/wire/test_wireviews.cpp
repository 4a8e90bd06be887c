// Real clients in the views: kcat producing and consuming in a group through the listeners of an in-process
// engine shows up in the engine's snapshot (what the GUI reads) as a producer, a consumer and a group member,
// each under the client.id the client sent, and the producers table marks the producer as a real client.

#include "../common/rawconnection.h"
#include "../common/servedcluster.h"
#include "driver/driver.h"
#include "producerspanel.h"
#include "scenario/scenario.h"
#include "wire/wireserver.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace brokerlab;

namespace {

scenario::Scenario threeBrokers()
{
    scenario::Scenario s;
    s.name = "real clients in the views";
    s.brokers = 3;
    s.durationMs = 3600LL * 1000;
    scenario::TopicSpec topic;
    topic.name = "orders";
    topic.partitions = 3;
    topic.replicationFactor = 3;
    s.topics.push_back(topic);
    return s;
}

template <typename Entry>
const Entry* byClientId(const std::vector<Entry>& entries, const std::string& clientId)
{
    auto it
        = std::find_if(entries.begin(), entries.end(), [&](const Entry& entry) { return entry.clientId == clientId; });
    return it == entries.end() ? nullptr : &*it;
}

// Waits (wall time: the engine is paced, real clients are real) until `done` holds for a published snapshot.
template <typename Done>
std::shared_ptr<const driver::Snapshot> waitForSnapshot(driver::Driver& driver, Done done)
{
    std::shared_ptr<const driver::Snapshot> snapshot = driver.snapshot();
    for (int i = 0; i < 300 && !done(*snapshot); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        snapshot = driver.snapshot();
    }
    return snapshot;
}

} // namespace

class TestWireViews : public QObject {
    Q_OBJECT
private slots:
    void aCrashedBrokersListenerClosesAndReopensWhenItRestarts()
    {
        // Nothing reads the engine's snapshots here (as under brokerlab-cli serve): the listener follows the broker
        // all the same.
        test::ServedCluster served(threeBrokers());
        std::string error;
        QVERIFY2(served.start(error), error.c_str());
        driver::Driver& driver = served.driver();
        wire::WireServer& server = served.server();
        const int port = server.port(2);
        QVERIFY(test::RawConnection(port).connected());
        driver.post("", [](driver::Engine& engine) { engine.cluster().broker(2)->crash(); });
        QTRY_VERIFY(!test::RawConnection(port).connected());
        QVERIFY(test::RawConnection(server.port(1)).connected()); // the others stay open
        driver.post("", [](driver::Engine& engine) { engine.cluster().broker(2)->restart(); });
        QTRY_VERIFY(server.port(2) > 0 && test::RawConnection(server.port(2)).connected());
    }

    void realClientsAppearByClientId()
    {
        const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        if (kcat.isEmpty())
            QSKIP("kcat is not installed");
        test::ServedCluster served(threeBrokers());
        std::string error;
        QVERIFY2(served.start(error), error.c_str());
        driver::Driver& driver = served.driver();
        wire::WireServer& server = served.server();
        const QString bootstrap = QString::fromStdString(server.bootstrap());

        // 30 records with acks=all from a producer named shop-producer.
        QProcess producer;
        producer.start(kcat,
            { QStringLiteral("-b"), bootstrap, QStringLiteral("-P"), QStringLiteral("-t"), QStringLiteral("orders"),
                QStringLiteral("-X"), QStringLiteral("client.id=shop-producer"), QStringLiteral("-X"),
                QStringLiteral("acks=all") });
        QVERIFY(producer.waitForStarted(10000));
        for (int i = 0; i < 30; ++i)
            producer.write("order-" + QByteArray::number(i) + '\n');
        producer.closeWriteChannel();
        QVERIFY(producer.waitForFinished(60000));
        QCOMPARE(producer.exitCode(), 0);

        auto snapshot = waitForSnapshot(driver, [](const driver::Snapshot& s) {
            const auto* entry = byClientId(s.producers, "shop-producer");
            return entry && entry->counters.acked >= 30;
        });
        const driver::ProducerSnapshot* shown = byClientId(snapshot->producers, "shop-producer");
        QVERIFY2(shown, "the real producer is not in the snapshot");
        QVERIFY(shown->external);
        QCOMPARE(shown->topic, std::string("orders"));
        QCOMPARE(shown->acks, std::int16_t(-1));
        QCOMPARE(shown->counters.produced, std::int64_t(30));
        QCOMPARE(shown->counters.acked, std::int64_t(30));
        QCOMPARE(shown->counters.failed, std::int64_t(0));
        QVERIFY(shown->counters.requests >= 1);

        // The producers table says what it is, and offers no editing.
        ui::ProducerModel model;
        model.setSnapshot(*snapshot);
        int row = -1;
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.index(r, ui::ProducerModel::ClientColumn).data().toString() == QLatin1String("shop-producer"))
                row = r;
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, model.columnCount() - 1).data().toString(), QStringLiteral("real client"));

        // A group consumer named shop-reader reads them all.
        QProcess consumer;
        consumer.start(kcat,
            { QStringLiteral("-b"), bootstrap, QStringLiteral("-G"), QStringLiteral("shop-group"), QStringLiteral("-X"),
                QStringLiteral("client.id=shop-reader"), QStringLiteral("-X"),
                QStringLiteral("auto.offset.reset=earliest"), QStringLiteral("-f"), QStringLiteral("%s\\n"),
                QStringLiteral("orders") });
        QVERIFY(consumer.waitForStarted(10000));
        snapshot = waitForSnapshot(driver, [](const driver::Snapshot& s) {
            const auto* entry = byClientId(s.consumers, "shop-reader");
            return entry && entry->counters.consumed >= 30 && entry->positions.size() == 3 && !s.groups.empty()
                && !s.groups.front().summary.members.empty();
        });
        const driver::ConsumerSnapshot* reader = byClientId(snapshot->consumers, "shop-reader");
        QVERIFY2(reader, "the real consumer is not in the snapshot");
        QVERIFY(reader->external);
        QCOMPARE(reader->groupId, std::string("shop-group"));
        QCOMPARE(reader->counters.consumed, std::int64_t(30));
        QVERIFY(!reader->memberId.empty());
        QCOMPARE(reader->memberState, std::string("Stable"));
        std::int64_t positions = 0;
        for (const auto& position : reader->positions) {
            QCOMPARE(position.topicPartition.topic, std::string("orders"));
            QCOMPARE(position.position, position.highWatermark); // read to the end: no lag
            positions += position.position;
        }
        QCOMPARE(reader->positions.size(), std::size_t(3));
        QCOMPARE(positions, std::int64_t(30));
        // The group view lists it by member id with its client.id.
        const auto group = std::find_if(snapshot->groups.begin(), snapshot->groups.end(),
            [](const driver::GroupSnapshot& g) { return g.summary.groupId == "shop-group"; });
        QVERIFY(group != snapshot->groups.end());
        QCOMPARE(group->summary.members.size(), std::size_t(1));
        QCOMPARE(group->summary.members.front().clientId, std::string("shop-reader"));
        QCOMPARE(group->summary.members.front().memberId, reader->memberId);

        consumer.terminate();
        if (!consumer.waitForFinished(10000))
            consumer.kill();
        consumer.waitForFinished(5000);
        server.stop();
        driver.stop();
    }
};

QTEST_MAIN(TestWireViews)
#include "test_wireviews.moc"
