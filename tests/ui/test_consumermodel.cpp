// The consumers table: one row per consumer with its partitions below, fed from real engine snapshots. It passes
// QAbstractItemModelTester while numbers change and while an assignment changes; numbers alone never reset it.

#include "../common/testscenario.h"
#include "consumermodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

const char* kScenario = R"({"name":"consumers","duration_ms":20000,"cluster":{"brokers":3},
  "topics":[{"name":"orders","partitions":4,"replication_factor":2}],
  "producers":[{"id":"p","topic":"orders","rate":400,"workload":{"kind":"orders"}}],
  "consumers":[{"id":"billing","topics":["orders"],"members":2,"processing_ms_per_record":10,
                "config":{"auto.offset.reset":"earliest"}}]})";

SnapshotPtr share(driver::Snapshot snapshot) { return std::make_shared<const driver::Snapshot>(std::move(snapshot)); }

} // namespace

class TestConsumerModel : public QObject {
    Q_OBJECT
private slots:
    void showsConsumersTheirPartitionsAndLag()
    {
        auto engine = testing::startedEngine(kScenario);
        ConsumerModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

        // The group forms after group.initial.rebalance.delay.ms (3 s, once more for the second member).
        testing::runForMs(*engine, 9000);
        model.setSnapshot(share(engine->snapshot()));
        QCOMPARE(model.rowCount(), 2);
        const int resetsAfterAssignment = resets.count();

        int partitions = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex consumer = model.index(row, 0);
            QVERIFY(consumer.data().toString().startsWith(QStringLiteral("billing-")));
            QCOMPARE(model.index(row, ConsumerModel::GroupColumn).data().toString(), QStringLiteral("billing"));
            const int children = model.rowCount(consumer);
            partitions += children;
            std::int64_t childLag = 0;
            for (int child = 0; child < children; ++child) {
                const QString name = model.index(child, ConsumerModel::PartitionsColumn, consumer).data().toString();
                QVERIFY2(name.startsWith(QStringLiteral("orders-")), qPrintable(name));
                QVERIFY(model.index(row, ConsumerModel::PartitionsColumn).data().toString().contains(name));
                childLag += std::max<qlonglong>(0,
                    model.index(child, ConsumerModel::LagColumn, consumer).data(ConsumerModel::LagRole).toLongLong());
            }
            QCOMPARE(model.index(row, ConsumerModel::LagColumn).data(ConsumerModel::LagRole).toLongLong(), childLag);
        }
        QCOMPARE(partitions, 4); // the group shares all four partitions

        // Slow consumers (10 ms per record each, 200 records/s together, against 400 produced) fall behind: lag shows
        // up in the table.
        testing::runForMs(*engine, 5000);
        model.setSnapshot(share(engine->snapshot()));
        QCOMPARE(resets.count(), resetsAfterAssignment); // only numbers changed
        QVERIFY(changes.count() >= 1);
        qlonglong total = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            total += model.index(row, ConsumerModel::LagColumn).data(ConsumerModel::LagRole).toLongLong();
        QVERIFY2(total > 0, qPrintable(QString::number(total)));
    }

    void aChangedAssignmentResetsTheModel()
    {
        auto engine = testing::startedEngine(kScenario);
        testing::runForMs(*engine, 9000);
        driver::Snapshot snapshot = engine->snapshot();
        ConsumerModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(share(snapshot));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

        // As after a rebalance: the first consumer loses a partition, which the second takes over.
        QVERIFY(!snapshot.consumers[0].positions.empty());
        snapshot.consumers[1].positions.push_back(snapshot.consumers[0].positions.back());
        snapshot.consumers[0].positions.pop_back();
        model.setSnapshot(share(snapshot));
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.rowCount(model.index(1, 0)), static_cast<int>(snapshot.consumers[1].positions.size()));

        snapshot.consumers.clear();
        model.setSnapshot(share(snapshot));
        QCOMPARE(model.rowCount(), 0);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void unknownLagReadsAsADash()
    {
        driver::Snapshot snapshot;
        driver::ConsumerSnapshot consumer;
        consumer.clientId = "c";
        consumer.groupId = "g";
        consumer.positions.push_back({ .topicPartition = { "t", 0 }, .position = -1, .highWatermark = -1 });
        snapshot.consumers.push_back(consumer);
        ConsumerModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(share(snapshot));
        const QModelIndex child = model.index(0, ConsumerModel::LagColumn, model.index(0, 0));
        QCOMPARE(child.data().toString(), QStringLiteral("\u2014"));
        QCOMPARE(child.data(ConsumerModel::LagRole).toLongLong(), -1);
        QCOMPARE(model.index(0, ConsumerModel::PositionColumn, model.index(0, 0)).data().toString(),
            QStringLiteral("resetting"));
    }
};

QTEST_MAIN(TestConsumerModel)
#include "test_consumermodel.moc"
