// The timeline model and its filter proxy: both pass QAbstractItemModelTester while events stream in, overflow
// the capacity, get filtered and get cleared; the text and kind filters find what a person types.

#include "timelinefilterproxy.h"
#include "timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

sim::Event makeEvent(std::int64_t ms, std::string kind, std::int32_t broker = -1, std::string topic = {},
    std::int32_t partition = -1, std::string message = {})
{
    sim::Event e;
    e.time = ms * 1000;
    e.kind = std::move(kind);
    e.broker = broker;
    e.topic = std::move(topic);
    e.partition = partition;
    e.message = message.empty() ? e.kind + " happened" : std::move(message);
    return e;
}

std::vector<sim::Event> batch(int first, int count)
{
    std::vector<sim::Event> events;
    for (int i = first; i < first + count; ++i) {
        const char* kinds[] = { "topic.created", "replica.became_leader", "isr.shrink", "broker.fenced" };
        events.push_back(makeEvent(i, kinds[i % 4], i % 3 + 1, "orders", i % 6, "event number " + std::to_string(i)));
    }
    return events;
}

} // namespace

class TestTimelineModel : public QObject {
    Q_OBJECT
private slots:
    void modelAndProxyStayConsistent()
    {
        TimelineModel model(nullptr, 500);
        TimelineFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

        model.append(batch(0, 100));
        proxy.setKind(QStringLiteral("isr.shrink"));
        model.append(batch(100, 300));
        proxy.setText(QStringLiteral("number 3"));
        model.append(batch(400, 400)); // overflows: the oldest rows go while the filter is on
        proxy.setText(QString());
        proxy.setKind(QStringLiteral("broker."));
        model.append({});
        model.clear();
        model.append(batch(0, 10));
        QCOMPARE(model.rowCount(), 10);
    }

    void oldestRowsAreDroppedAtCapacity()
    {
        TimelineModel model(nullptr, 100);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.append(batch(0, 80));
        model.append(batch(80, 70));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.dropped(), std::uint64_t(50));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.event(0).message, std::string("event number 50"));
        QCOMPARE(model.event(99).message, std::string("event number 149"));
        // A single batch larger than the capacity keeps its newest events only.
        model.append(batch(1000, 250));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.event(0).message, std::string("event number 1150"));
        QCOMPARE(model.dropped(), std::uint64_t(50 + 150 + 100));
    }

    void columnsReadLikeTheTimeline()
    {
        TimelineModel model;
        model.append({ makeEvent(61500, "isr.shrink", 2, "orders", 3, "broker 2 left the ISR"),
            makeEvent(1, "producer.started") });
        auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(text(0, TimelineModel::TimeColumn), QStringLiteral("01:01.500"));
        QCOMPARE(text(0, TimelineModel::KindColumn), QStringLiteral("isr.shrink"));
        QCOMPARE(text(0, TimelineModel::BrokerColumn), QStringLiteral("2"));
        QCOMPARE(text(0, TimelineModel::PartitionColumn), QStringLiteral("orders-3"));
        QCOMPARE(text(0, TimelineModel::MessageColumn), QStringLiteral("broker 2 left the ISR"));
        QCOMPARE(text(1, TimelineModel::BrokerColumn), QString());
        QCOMPARE(text(1, TimelineModel::PartitionColumn), QString());
        // Kinds explain themselves in a tooltip.
        QVERIFY(
            model.index(0, TimelineModel::KindColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("ISR")));
        QCOMPARE(model.headerData(TimelineModel::TimeColumn, Qt::Horizontal).toString(), QStringLiteral("Time"));
    }

    void textFilterSearchesEveryColumn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("matches");
        QTest::addRow("kind, any case") << QStringLiteral("ISR.SHRINK") << 25;
        QTest::addRow("message") << QStringLiteral("number 42") << 1;
        QTest::addRow("topic-partition") << QStringLiteral("orders-5") << 16;
        QTest::addRow("time") << QStringLiteral("00:00.010") << 1;
        QTest::addRow("nothing") << QStringLiteral("no such text") << 0;
        QTest::addRow("empty matches all") << QString() << 100;
    }

    void textFilterSearchesEveryColumn()
    {
        QFETCH(QString, text);
        QFETCH(int, matches);
        TimelineModel model;
        TimelineFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.append(batch(0, 100));
        proxy.setText(text);
        QCOMPARE(proxy.rowCount(), matches);
    }

    void kindFilterTakesAKindOrAFamily()
    {
        TimelineModel model;
        TimelineFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.append(batch(0, 100));
        model.append({ makeEvent(200, "broker.registered", 1) });
        proxy.setKind(QStringLiteral("broker.fenced"));
        QCOMPARE(proxy.rowCount(), 25);
        proxy.setKind(QStringLiteral("broker."));
        QCOMPARE(proxy.rowCount(), 26);
        proxy.setText(QStringLiteral("registered"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setKind(QString());
        proxy.setText(QString());
        QCOMPARE(proxy.rowCount(), 101);
        // New rows arrive filtered.
        proxy.setKind(QStringLiteral("isr.shrink"));
        model.append(batch(300, 4));
        QCOMPARE(proxy.rowCount(), 26);
    }

    void kindsAreCollectedOnce()
    {
        TimelineModel model;
        QSignalSpy changed(&model, &TimelineModel::kindsChanged);
        model.append(batch(0, 2));
        model.append(batch(0, 2)); // the same kinds again
        QCOMPARE(changed.count(), 1);
        model.append(batch(2, 2));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(model.kinds(),
            QStringList({ QStringLiteral("broker.fenced"), QStringLiteral("isr.shrink"),
                QStringLiteral("replica.became_leader"), QStringLiteral("topic.created") }));
    }
};

QTEST_MAIN(TestTimelineModel)
#include "test_timelinemodel.moc"
