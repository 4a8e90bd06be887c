// Replica placement follows Kafka's rack-unaware assignment.

#include "cluster/placement.h"

#include <QTest>

#include <map>
#include <set>

using namespace brokerlab;

class TestPlacement : public QObject {
    Q_OBJECT
private slots:
    void kafkaExample()
    {
        // Kafka's own example: brokers 0..4, 10 partitions, RF 3, start index 0, shift 0.
        sim::Rng rng(1);
        const auto assignment = cluster::assignReplicasRackUnaware({ 0, 1, 2, 3, 4 }, 10, 3, rng, 0, 0);
        const std::vector<std::vector<std::int32_t>> expected { { 0, 1, 2 }, { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 0 },
            { 4, 0, 1 }, { 0, 2, 3 }, { 1, 3, 4 }, { 2, 4, 0 }, { 3, 0, 1 }, { 4, 1, 2 } };
        QCOMPARE(assignment, expected);
    }

    void properties_data()
    {
        QTest::addColumn<int>("brokers");
        QTest::addColumn<int>("partitions");
        QTest::addColumn<int>("rf");
        QTest::addRow("3 brokers, 12 partitions, RF 1") << 3 << 12 << 1;
        QTest::addRow("3 brokers, 6 partitions, RF 3") << 3 << 6 << 3;
        QTest::addRow("5 brokers, 50 partitions, RF 3") << 5 << 50 << 3;
        QTest::addRow("32 brokers, 1000 partitions, RF 3") << 32 << 1000 << 3;
        QTest::addRow("1 broker, 4 partitions, RF 1") << 1 << 4 << 1;
    }
    void properties()
    {
        QFETCH(int, brokers);
        QFETCH(int, partitions);
        QFETCH(int, rf);
        std::vector<std::int32_t> ids;
        for (int i = 1; i <= brokers; ++i)
            ids.push_back(i);
        sim::Rng rng(7);
        const auto assignment = cluster::assignReplicasRackUnaware(ids, partitions, rf, rng);
        QCOMPARE(static_cast<int>(assignment.size()), partitions);
        std::map<std::int32_t, int> leaders;
        for (const auto& replicas : assignment) {
            QCOMPARE(static_cast<int>(replicas.size()), rf);
            QCOMPARE(static_cast<int>(std::set<std::int32_t>(replicas.begin(), replicas.end()).size()), rf);
            ++leaders[replicas.front()];
        }
        // Preferred leaders are spread round-robin: counts differ by at most one.
        int lowest = partitions, highest = 0;
        for (std::int32_t id : ids) {
            lowest = std::min(lowest, leaders[id]);
            highest = std::max(highest, leaders[id]);
        }
        QVERIFY2(highest - lowest <= 1, "preferred leaders are not balanced");
    }

    void rejectsImpossibleReplicationFactor()
    {
        sim::Rng rng(1);
        QVERIFY(cluster::assignReplicasRackUnaware({ 1, 2 }, 3, 3, rng).empty());
        QVERIFY(cluster::assignReplicasRackUnaware({ 1, 2 }, 0, 1, rng).empty());
    }
};

QTEST_GUILESS_MAIN(TestPlacement)
#include "test_placement.moc"
