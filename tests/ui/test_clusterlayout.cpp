// The cluster view's geometry and classification, without a widget: where brokers, partitions and replicas go,
// what a click hits, how a log bar is scaled, how 1,000 partitions collapse into readable summary rows, and the
// small mappings the toolbar and status bar rely on (speed slider, virtual time).

#include "clusterlayout.h"
#include "formatting.h"
#include "replicastate.h"
#include "speedscale.h"

#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

// A cluster of `brokers` brokers with one topic whose partition p has replicas on brokers p, p+1, ... (mod).
driver::Snapshot makeSnapshot(
    int brokers, int partitions, int replicationFactor = 3, const std::string& topic = "orders")
{
    driver::Snapshot snapshot;
    for (int b = 1; b <= brokers; ++b)
        snapshot.brokers.push_back({ .id = b, .controller = b == 1 });
    driver::TopicSnapshot t;
    t.name = topic;
    t.replicationFactor = replicationFactor;
    for (int p = 0; p < partitions; ++p) {
        driver::PartitionSnapshot partition;
        partition.partition = p;
        for (int r = 0; r < replicationFactor; ++r) {
            const int broker = (p + r) % brokers + 1;
            partition.replicaIds.push_back(broker);
            partition.isr.push_back(broker);
            partition.replicas.push_back(
                { .broker = broker, .leader = r == 0, .inSync = true, .logEndOffset = 100, .highWatermark = 100 });
        }
        partition.leader = partition.replicaIds.front();
        partition.logEndOffset = partition.highWatermark = 100;
        t.partitions.push_back(partition);
    }
    snapshot.topics.push_back(t);
    return snapshot;
}

ClusterLayoutOptions options(double viewportWidth = 1000, double zoom = 1.0)
{
    ClusterLayoutOptions o;
    o.viewportWidth = viewportWidth;
    o.zoom = zoom;
    return o;
}

} // namespace

class TestClusterLayout : public QObject {
    Q_OBJECT
private slots:
    void zoomScalesEveryLengthAndIsClamped()
    {
        const ClusterMetrics normal = ClusterMetrics::forZoom(1.0);
        const ClusterMetrics doubled = ClusterMetrics::forZoom(2.0);
        QCOMPARE(doubled.partitionRowHeight, 2 * normal.partitionRowHeight);
        QCOMPARE(doubled.labelWidth, 2 * normal.labelWidth);
        QCOMPARE(ClusterMetrics::forZoom(100).zoom, ClusterMetrics::kMaxZoom);
        QCOMPARE(ClusterMetrics::forZoom(0.01).zoom, ClusterMetrics::kMinZoom);
        // Text grows more slowly than boxes so it stays legible at both ends.
        QVERIFY(ClusterMetrics::forZoom(ClusterMetrics::kMaxZoom).fontScale() < ClusterMetrics::kMaxZoom);
        QVERIFY(ClusterMetrics::forZoom(ClusterMetrics::kMinZoom).fontScale() > ClusterMetrics::kMinZoom);
    }

    void columnsStretchWithinBounds_data()
    {
        QTest::addColumn<double>("viewportWidth");
        QTest::addColumn<double>("expectedWidth");
        const ClusterMetrics m = ClusterMetrics::forZoom(1.0);
        QTest::addRow("narrow window: minimum width, scrolls") << 300.0 << m.minColumnWidth;
        QTest::addRow("fits: shares the space") << m.labelWidth + 3 * 250.0 << 250.0;
        QTest::addRow("huge window: capped") << 5000.0 << m.maxColumnWidth;
    }

    void columnsStretchWithinBounds()
    {
        QFETCH(double, viewportWidth);
        QFETCH(double, expectedWidth);
        const ClusterLayout layout = ClusterLayout::compute(makeSnapshot(3, 4), options(viewportWidth));
        QCOMPARE(layout.columns.size(), std::size_t(3));
        for (std::size_t i = 0; i < layout.columns.size(); ++i) {
            QCOMPARE(layout.columns[i].width, expectedWidth);
            QCOMPARE(layout.columns[i].x, layout.metrics.labelWidth + static_cast<double>(i) * expectedWidth);
            QCOMPARE(layout.columns[i].broker, std::int32_t(i + 1));
        }
        QCOMPARE(layout.contentWidth, layout.metrics.labelWidth + 3 * expectedWidth);
    }

    void smallTopicsGetARowPerPartition()
    {
        const ClusterLayout layout = ClusterLayout::compute(makeSnapshot(3, 6), options());
        QCOMPARE(layout.rows.size(), std::size_t(1 + 6));
        QCOMPARE(layout.rows[0].kind, LayoutRow::Kind::Topic);
        for (int p = 0; p < 6; ++p) {
            const LayoutRow& row = layout.rows[static_cast<std::size_t>(p + 1)];
            QCOMPARE(row.kind, LayoutRow::Kind::Partition);
            QCOMPARE(row.partition, p);
            QCOMPARE(
                row.y, layout.rows[static_cast<std::size_t>(p)].y + layout.rows[static_cast<std::size_t>(p)].height);
        }
        QCOMPARE(layout.rows[0].y, layout.metrics.headerHeight);
        QVERIFY(!layout.aggregated[0]);
    }

    void aThousandPartitionsCollapseIntoASummaryRow()
    {
        driver::Snapshot snapshot = makeSnapshot(3, 1000);
        // One replica somewhere in the middle goes offline: it must survive the aggregation.
        snapshot.topics[0].partitions[500].replicas[1].online = false;
        const std::int32_t offlineBroker = snapshot.topics[0].partitions[500].replicas[1].broker;

        ClusterLayoutOptions o = options();
        const ClusterLayout layout = ClusterLayout::compute(snapshot, o);
        QVERIFY(layout.aggregated[0]);
        QCOMPARE(layout.rows.size(), std::size_t(2));
        QCOMPARE(layout.rows[1].kind, LayoutRow::Kind::Summary);
        QVERIFY(layout.contentHeight < 300);

        const std::vector<ReplicaState> bins = stripBins(snapshot.topics[0], offlineBroker, 180);
        QCOMPARE(bins.size(), std::size_t(180));
        QCOMPARE(std::count(bins.begin(), bins.end(), ReplicaState::Offline), 1);
        // Fewer partitions than pixels: one bin per partition, never more.
        QCOMPARE(stripBins(makeSnapshot(3, 6).topics[0], 1, 180).size(), std::size_t(6));
        QVERIFY(stripBins(snapshot.topics[0], 1, 0).empty());

        const ReplicaCounts counts = countReplicas(snapshot.topics[0], offlineBroker);
        QCOMPARE(counts.total(), 1000);
        QCOMPARE(counts.offline, 1);

        // The person can still expand it, and dense mode aggregates even small topics.
        o.toggledTopics.insert("orders");
        QCOMPARE(ClusterLayout::compute(snapshot, o).rows.size(), std::size_t(1001));
        ClusterLayoutOptions dense = options();
        dense.dense = true;
        QVERIFY(ClusterLayout::compute(makeSnapshot(3, 4), dense).aggregated[0]);
    }

    void rowsBetweenMatchesAScan()
    {
        ClusterLayoutOptions o = options();
        o.toggledTopics.insert("orders");
        const ClusterLayout layout = ClusterLayout::compute(makeSnapshot(3, 200), o);
        for (double top : { 0.0, 95.0, 96.0, 1000.5, 5000.0, 9000.0, 20000.0 }) {
            const double bottom = top + 600;
            const auto [first, last] = layout.rowsBetween(top, bottom);
            for (std::size_t i = 0; i < layout.rows.size(); ++i) {
                const LayoutRow& row = layout.rows[i];
                const bool intersects = row.y + row.height > top && row.y < bottom;
                QCOMPARE(i >= first && i < last, intersects);
            }
        }
    }

    void hitTestFindsWhatIsUnderThePointer()
    {
        const driver::Snapshot snapshot = makeSnapshot(3, 6);
        const ClusterLayout layout = ClusterLayout::compute(snapshot, options(1000));
        const ClusterMetrics& m = layout.metrics;
        const QPointF noScroll(0, 0);

        // The header: broker columns.
        HitResult hit = layout.hitTest(snapshot, QPointF(layout.columns[1].x + 5, 10), noScroll);
        QCOMPARE(hit.item, ClusterItem::brokerItem(2));
        QCOMPARE(layout.hitTest(snapshot, QPointF(5, 10), noScroll).item, ClusterItem()); // the corner

        // The topic row: its triangle toggles, the rest selects the topic.
        const double topicY = layout.rows[0].y + 2;
        hit = layout.hitTest(snapshot, QPointF(4, topicY), noScroll);
        QCOMPARE(hit.item, ClusterItem::topicItem("orders"));
        QVERIFY(hit.onToggle);
        QVERIFY(!layout.hitTest(snapshot, QPointF(m.labelWidth - 5, topicY), noScroll).onToggle);

        // Partition 2 has replicas on brokers 3, 1, 2: every cell of its row holds one.
        const LayoutRow& row = layout.rows[3];
        QCOMPARE(row.partition, 2);
        QCOMPARE(
            layout.hitTest(snapshot, QPointF(10, row.y + 5), noScroll).item, ClusterItem::partitionItem("orders", 2));
        QCOMPARE(layout.hitTest(snapshot, QPointF(layout.columns[0].x + 20, row.y + 5), noScroll).item,
            ClusterItem::replicaItem("orders", 2, 1));

        // Scrolled: the same content point sits elsewhere in the viewport, while the header stays pinned.
        const QPointF scroll(100, 2 * m.partitionRowHeight);
        QCOMPARE(layout.hitTest(snapshot, QPointF(layout.columns[1].x + 20 - 100, row.y + 5 - scroll.y()), scroll).item,
            ClusterItem::replicaItem("orders", 2, 2));
        // Cells that scrolled under the pinned label column are not hit: the label is.
        QCOMPARE(layout.hitTest(snapshot, QPointF(m.labelWidth - 10, row.y + 5 - scroll.y()), scroll).item,
            ClusterItem::partitionItem("orders", 2));
        QCOMPARE(layout.hitTest(snapshot, QPointF(layout.columns[1].x + 5 - 100, 10), scroll).item,
            ClusterItem::brokerItem(2));

        // Below the last row: nothing.
        QCOMPARE(layout.hitTest(snapshot, QPointF(400, layout.contentHeight + 50), noScroll).item, ClusterItem());
    }

    void hitTestIgnoresCellsWithoutAReplica()
    {
        const driver::Snapshot snapshot = makeSnapshot(4, 4, 2); // partition 0 lives on brokers 1 and 2 only
        const ClusterLayout layout = ClusterLayout::compute(snapshot, options(1200));
        const LayoutRow& row = layout.rows[1];
        QCOMPARE(layout.hitTest(snapshot, QPointF(layout.columns[3].x + 10, row.y + 5), {}).item,
            ClusterItem::partitionItem("orders", 0));
    }

    void itemRectLocatesItems()
    {
        const driver::Snapshot snapshot = makeSnapshot(3, 6);
        const ClusterLayout layout = ClusterLayout::compute(snapshot, options());
        QCOMPARE(layout.itemRect(snapshot, ClusterItem::replicaItem("orders", 4, 2)), layout.cellRect(5, 1));
        QCOMPARE(layout.itemRect(snapshot, ClusterItem::partitionItem("orders", 4)), layout.rowRect(5));
        QCOMPARE(layout.itemRect(snapshot, ClusterItem::topicItem("orders")), layout.rowRect(0));
        QCOMPARE(layout.itemRect(snapshot, ClusterItem::brokerItem(3)).left(), layout.columns[2].x);
        QVERIFY(layout.itemRect(snapshot, ClusterItem::topicItem("gone")).isEmpty());

        // An aggregated topic shows its partitions and replicas in the summary row.
        ClusterLayoutOptions dense = options();
        dense.dense = true;
        const ClusterLayout summary = ClusterLayout::compute(snapshot, dense);
        QCOMPARE(summary.itemRect(snapshot, ClusterItem::replicaItem("orders", 4, 2)), summary.cellRect(1, 1));
    }

    void logBarsShareThePartitionsScale_data()
    {
        QTest::addColumn<qint64>("logStart");
        QTest::addColumn<qint64>("highWatermark");
        QTest::addColumn<qint64>("logEnd");
        QTest::addColumn<double>("committedLeft");
        QTest::addColumn<double>("committedWidth");
        QTest::addColumn<double>("uncommittedWidth");
        QTest::addColumn<bool>("empty");
        // Track from x=0 to x=200; the partition's scale runs from offset 0 to 100.
        QTest::addRow("caught up") << qint64(0) << qint64(100) << qint64(100) << 0.0 << 200.0 << 0.0 << false;
        QTest::addRow("uncommitted tail") << qint64(0) << qint64(80) << qint64(100) << 0.0 << 160.0 << 40.0 << false;
        QTest::addRow("lagging follower") << qint64(0) << qint64(50) << qint64(50) << 0.0 << 100.0 << 0.0 << false;
        QTest::addRow("retention moved the start")
            << qint64(25) << qint64(100) << qint64(100) << 50.0 << 150.0 << 0.0 << false;
        QTest::addRow("hw reported past leo is clamped")
            << qint64(0) << qint64(120) << qint64(60) << 0.0 << 120.0 << 0.0 << false;
        QTest::addRow("empty log") << qint64(40) << qint64(40) << qint64(40) << 0.0 << 0.0 << 0.0 << true;
    }

    void logBarsShareThePartitionsScale()
    {
        QFETCH(qint64, logStart);
        QFETCH(qint64, highWatermark);
        QFETCH(qint64, logEnd);
        QFETCH(double, committedLeft);
        QFETCH(double, committedWidth);
        QFETCH(double, uncommittedWidth);
        QFETCH(bool, empty);
        driver::ReplicaSnapshot replica;
        replica.logStartOffset = logStart;
        replica.highWatermark = highWatermark;
        replica.logEndOffset = logEnd;
        const LogBarGeometry bar = logBarGeometry(QRectF(0, 0, 200, 6), replica, OffsetScale { 0, 100 });
        QCOMPARE(bar.empty, empty);
        if (empty)
            return;
        QCOMPARE(bar.committed.left(), committedLeft);
        QCOMPARE(bar.committed.width(), committedWidth);
        QCOMPARE(bar.uncommitted.width(), uncommittedWidth);
        QCOMPARE(bar.highWatermarkX, bar.committed.right());
    }

    void offsetScaleIgnoresOfflineReplicas()
    {
        driver::PartitionSnapshot partition = makeSnapshot(3, 1).topics[0].partitions[0];
        partition.replicas[0].logStartOffset = 10;
        partition.replicas[1].logEndOffset = 180;
        partition.replicas[2].logEndOffset = 5000; // stale numbers of a replica whose broker is gone
        partition.replicas[2].online = false;
        const OffsetScale scale = OffsetScale::of(partition);
        QCOMPARE(scale.low, std::int64_t(0));
        QCOMPARE(scale.high, std::int64_t(180));
        QCOMPARE(scale.fraction(90), 0.5);
        QCOMPARE(scale.fraction(-5), 0.0);
        QCOMPARE(scale.fraction(1000), 1.0);
        QCOMPARE((OffsetScale { 7, 7 }).fraction(7), 0.0);
    }

    void replicaAndPartitionStates()
    {
        driver::Snapshot snapshot = makeSnapshot(3, 3);
        auto& topic = snapshot.topics[0];
        topic.partitions[1].isr = { topic.partitions[1].replicaIds[0] }; // two followers fell out
        topic.partitions[1].replicas[1].inSync = false;
        topic.partitions[2].leader = -1; // no leader left
        topic.partitions[2].isr = { topic.partitions[2].replicaIds[0] };
        topic.partitions[2].replicas[0].leader = false;
        topic.partitions[2].replicas[0].online = false;

        QCOMPARE(replicaState(topic.partitions[0].replicas[0]), ReplicaState::Leader);
        QCOMPARE(replicaState(topic.partitions[0].replicas[1]), ReplicaState::InSyncFollower);
        QCOMPARE(replicaState(topic.partitions[1].replicas[1]), ReplicaState::OutOfSync);
        QCOMPARE(replicaState(topic.partitions[2].replicas[0]), ReplicaState::Offline);
        QCOMPARE(replicaStateOn(topic.partitions[0], 99), ReplicaState::Absent);

        const TopicHealth health = topicHealth(topic);
        QCOMPARE(health.underReplicated, 1); // the offline partition counts once, as offline
        QCOMPARE(health.offline, 1);
        // More urgent states sort higher: the dense strip relies on it.
        QVERIFY(ReplicaState::Offline > ReplicaState::OutOfSync);
        QVERIFY(ReplicaState::OutOfSync > ReplicaState::Leader);
        QVERIFY(ReplicaState::Leader > ReplicaState::InSyncFollower);
    }

    void brokerLoadFollowsTheMetadata()
    {
        driver::Snapshot snapshot = makeSnapshot(3, 6); // partition p is led by broker p % 3 + 1
        QCOMPARE(brokerLoad(snapshot, 1).leaders, 2);
        QCOMPARE(brokerLoad(snapshot, 1).replicas, 6);
        // The controller moved broker 1's leaderships away; its own (crashed) replicas may still think they lead.
        for (auto& partition : snapshot.topics[0].partitions) {
            if (partition.leader == 1)
                partition.leader = 2;
        }
        QCOMPARE(brokerLoad(snapshot, 1).leaders, 0);
        QCOMPARE(brokerLoad(snapshot, 2).leaders, 4);
        QCOMPARE(brokerLoad(snapshot, 99).replicas, 0);
    }

    void eventsNameTheMostSpecificItem()
    {
        QCOMPARE(ClusterItem::fromEventFields("t", 2, 3), ClusterItem::replicaItem("t", 2, 3));
        QCOMPARE(ClusterItem::fromEventFields("t", 2, -1), ClusterItem::partitionItem("t", 2));
        QCOMPARE(ClusterItem::fromEventFields("t", -1, 3), ClusterItem::topicItem("t"));
        QCOMPARE(ClusterItem::fromEventFields("", -1, 3), ClusterItem::brokerItem(3));
        QVERIFY(ClusterItem::fromEventFields("", -1, -1).isNone());
    }

    void speedSliderIsLogarithmic()
    {
        QCOMPARE(SpeedScale::toSlider(0.1), 0);
        QCOMPARE(SpeedScale::toSlider(1.0), 100);
        QCOMPARE(SpeedScale::toSlider(10.0), 200);
        QCOMPARE(SpeedScale::toSlider(100.0), SpeedScale::kSliderMaximum);
        QCOMPARE(SpeedScale::toSlider(1000.0), SpeedScale::kSliderMaximum);
        QCOMPARE(SpeedScale::fromSlider(0), 0.1);
        QCOMPARE(SpeedScale::fromSlider(100), 1.0);
        QCOMPARE(SpeedScale::fromSlider(300), 100.0);
        double previous = 0;
        for (int v = 0; v <= SpeedScale::kSliderMaximum; ++v) {
            const double speed = SpeedScale::fromSlider(v);
            QVERIFY2(speed >= previous, qPrintable(QString::number(v)));
            QVERIFY(std::abs(SpeedScale::toSlider(speed) - v) <= 2); // rounding to tidy factors moves it a little
            previous = speed;
        }
    }

    void virtualTimeReadsAsMinutesSecondsMillis()
    {
        QCOMPARE(formatVirtualTime(0), QStringLiteral("00:00.000"));
        QCOMPARE(formatVirtualTime(65250000), QStringLiteral("01:05.250"));
        QCOMPARE(formatVirtualTime(999), QStringLiteral("00:00.000"));
        QCOMPARE(formatVirtualTime(3600000000), QStringLiteral("60:00.000"));
        QCOMPARE(formatVirtualTime(-5), QStringLiteral("00:00.000"));
    }
};

QTEST_GUILESS_MAIN(TestClusterLayout)
#include "test_clusterlayout.moc"
