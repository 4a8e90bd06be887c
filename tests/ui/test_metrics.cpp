// Rates from successive snapshots and the chart histories built from them: per virtual second, steady across
// GUI ticks, never negative when a counter starts over, and reset when a new run begins.

#include "metricsrecorder.h"
#include "ratetracker.h"

#include <QTest>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

// One topic "t" with two partitions on brokers 1 and 2, and one consumer of group "g" reading partition 0.
driver::Snapshot snapshotAt(
    double seconds, std::int64_t logEnd0, std::int64_t logEnd1, std::int64_t consumed = 0, std::int64_t position = 0)
{
    driver::Snapshot s;
    s.virtualUs = static_cast<std::int64_t>(seconds * 1e6);
    s.brokers.push_back({ .id = 1 });
    s.brokers.push_back({ .id = 2 });
    s.brokers[0].counters.recordsIn = logEnd0;
    s.brokers[1].counters.recordsIn = logEnd1;
    driver::TopicSnapshot topic;
    topic.name = "t";
    const std::int64_t ends[] = { logEnd0, logEnd1 };
    for (int p = 0; p < 2; ++p) {
        driver::PartitionSnapshot partition;
        partition.partition = p;
        partition.leader = p + 1;
        partition.replicaIds = { p + 1 };
        partition.isr = { p + 1 };
        partition.logEndOffset = partition.highWatermark = ends[p];
        partition.replicas.push_back({ .broker = p + 1, .leader = true, .inSync = true, .logEndOffset = ends[p] });
        topic.partitions.push_back(partition);
    }
    s.topics.push_back(topic);
    driver::ConsumerSnapshot consumer;
    consumer.clientId = "c-1";
    consumer.groupId = "g";
    consumer.counters.consumed = consumed;
    consumer.positions.push_back({ .topicPartition = { "t", 0 }, .position = position, .highWatermark = logEnd0 });
    s.consumers.push_back(consumer);
    // The group's coordinator has a commit 10 records behind the consumer's position: the lag chart
    // shows the committed lag, as the Consumer Groups tab and kafka-consumer-groups do.
    driver::GroupSnapshot group;
    group.summary.groupId = "g";
    group.lag.push_back({ .topicPartition = { "t", 0 }, .committed = position - 10, .highWatermark = logEnd0,
        .lag = logEnd0 - (position - 10) });
    s.groups.push_back(group);
    // A consumer outside any group: its lag comes from its fetch position.
    driver::ConsumerSnapshot loner;
    loner.clientId = "reader";
    loner.positions.push_back({ .topicPartition = { "t", 1 }, .position = logEnd1 - 3, .highWatermark = logEnd1 });
    s.consumers.push_back(loner);
    // A stream processor reads through a consumer of its own: what it took in counts as records out too.
    driver::ProcessorSnapshot processor;
    processor.id = "enricher";
    processor.counters.recordsIn = consumed / 5;
    s.processors.push_back(processor);
    return s;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void ratesArePerVirtualSecondOverAWindow()
    {
        RateTracker tracker(1.0);
        QVERIFY(!tracker.update(snapshotAt(0, 0, 0)));
        QVERIFY(!tracker.update(snapshotAt(0.5, 100, 50))); // half a window: keep the previous rates
        QCOMPARE(tracker.rates()->windowSeconds, 0.0);
        QVERIFY(tracker.update(snapshotAt(2.0, 600, 200, 500)));
        const Rates& rates = *tracker.rates();
        QCOMPARE(rates.windowSeconds, 2.0);
        QCOMPARE(rates.partition("t", 0), 300.0);
        QCOMPARE(rates.partition("t", 1), 100.0);
        QCOMPARE(rates.topic("t"), 400.0);
        QCOMPARE(rates.replica("t", 0, 1), 300.0);
        QCOMPARE(rates.recordsInPerSec, 400.0);
        QCOMPARE(rates.recordsOutPerSec, 300.0); // 250 by the consumer, 50 by the processor
        QCOMPARE(rates.broker(2), 100.0);
        QCOMPARE(rates.topic("unknown"), 0.0);
    }

    void aCounterThatStartsOverIsNotANegativeRate()
    {
        RateTracker tracker(1.0);
        tracker.update(snapshotAt(0, 1000, 1000));
        tracker.update(snapshotAt(1, 0, 1100)); // partition 0 deleted and created again
        QCOMPARE(tracker.rates()->partition("t", 0), 0.0);
        QCOMPARE(tracker.rates()->partition("t", 1), 100.0);
    }

    void aNewRunStartsOver()
    {
        RateTracker tracker(1.0);
        tracker.update(snapshotAt(10, 0, 0));
        tracker.update(snapshotAt(11, 500, 0));
        QCOMPARE(tracker.rates()->topic("t"), 500.0);
        QVERIFY(!tracker.update(snapshotAt(0, 0, 0))); // virtual time went back: a reset, not a rate
        QCOMPARE(tracker.rates()->windowSeconds, 0.0);
        QVERIFY(tracker.update(snapshotAt(1, 50, 0)));
        QCOMPARE(tracker.rates()->topic("t"), 50.0);
    }

    void recorderSamplesOncePerVirtualInterval()
    {
        MetricsRecorder recorder(1.0);
        RateTracker tracker(1.0);
        int samples = 0;
        for (int tick = 0; tick <= 300; ++tick) { // 10 virtual seconds in 30 ms ticks... of virtual time
            const double seconds = tick / 30.0;
            const auto snapshot = snapshotAt(seconds, tick * 10, tick * 5, 0, tick * 10 - 40);
            tracker.update(snapshot);
            samples += recorder.record(snapshot, *tracker.rates()) ? 1 : 0;
        }
        QCOMPARE(samples, 11); // at 0, 1, ..., 10 seconds
        const auto produce = recorder.series(MetricsRecorder::Chart::ProduceRate);
        QCOMPARE(produce.size(), std::size_t(1));
        QCOMPARE(produce[0].name, QStringLiteral("t"));
        QCOMPARE(produce[0].points.size(), 10); // no rate before the first window closed
        QCOMPARE(produce[0].points.back().y(), 450.0); // 300/s + 150/s
        const auto lag = recorder.series(MetricsRecorder::Chart::ConsumerLag);
        QCOMPARE(lag.size(), std::size_t(2));
        QCOMPARE(lag[0].name, QStringLiteral("g"));
        QCOMPARE(lag[0].points.back().y(), 50.0); // 40 behind the position, which is 10 ahead of the commit
        QCOMPARE(lag[1].name, QStringLiteral("reader"));
        QCOMPARE(lag[1].points.back().y(), 3.0);
        const auto replication = recorder.series(MetricsRecorder::Chart::Replication);
        QCOMPARE(replication.size(), std::size_t(2));
        for (const auto& series : replication)
            QCOMPARE(series.points.back().y(), 0.0);
    }

    void recorderCountsPartitionsNeedingAttention()
    {
        MetricsRecorder recorder(1.0);
        driver::Snapshot snapshot = snapshotAt(0, 10, 10);
        snapshot.topics[0].partitions[0].replicaIds = { 1, 2 }; // one of two replicas in sync
        snapshot.topics[0].partitions[1].leader = -1;
        recorder.record(snapshot, Rates {});
        for (const auto& series : recorder.series(MetricsRecorder::Chart::Replication)) {
            QCOMPARE(series.points.size(), 1);
            QCOMPARE(series.points[0].y(), 1.0);
        }
        QVERIFY(!recorder.record(snapshotAt(0.5, 10, 10), Rates {})); // same interval
        QVERIFY(recorder.record(snapshotAt(0.2, 10, 10), Rates {}) == false);
        recorder.clear();
        QVERIFY(recorder.series(MetricsRecorder::Chart::Replication).empty());
    }

    void consumeRateFollowsEachGroupsPositions()
    {
        RateTracker tracker(1.0);
        tracker.update(snapshotAt(0, 1000, 500, 0, 100));
        QVERIFY(tracker.update(snapshotAt(1, 1500, 700, 300, 400)));
        // Group g moved from 100 to 400 on partition 0; the lone reader from 497 to 697 on partition 1.
        QCOMPARE(tracker.rates()->topicConsumed("t"), 500.0);
        // The partition moves to another member of g in a rebalance: the group goes on from where it was.
        driver::Snapshot moved = snapshotAt(2, 2000, 700, 600, 650);
        moved.consumers[0].clientId = "c-2";
        QVERIFY(tracker.update(moved));
        QCOMPARE(tracker.rates()->topicConsumed("t"), 250.0);
        // A group that only now has a position (its first assignment) has consumed nothing yet.
        driver::Snapshot joined = snapshotAt(3, 2000, 700, 600, 650);
        joined.consumers[0].clientId = "c-2";
        joined.consumers.push_back(joined.consumers[0]);
        joined.consumers.back().groupId = "late";
        joined.consumers.back().positions[0].position = 1900;
        QVERIFY(tracker.update(joined));
        QCOMPARE(tracker.rates()->topicConsumed("t"), 0.0);
    }

    void produceLatencyPercentilesAreOfTheWindow()
    {
        auto withLatencies = [](double seconds, const std::vector<std::pair<std::int64_t, std::int64_t>>& added,
                                 const driver::Snapshot* before) {
            driver::Snapshot s = snapshotAt(seconds, 0, 0);
            driver::ProducerSnapshot producer;
            producer.clientId = "p";
            if (before)
                producer.counters = before->producers[0].counters;
            for (auto [us, count] : added)
                producer.counters.latency.add(us, count);
            s.producers.push_back(producer);
            return s;
        };
        RateTracker tracker(1.0);
        const driver::Snapshot first = withLatencies(0, { { 2000, 100000 } }, nullptr); // old: 2 ms
        tracker.update(first);
        const driver::Snapshot second = withLatencies(1, { { 5000, 980 }, { 200000, 20 } }, &first);
        QVERIFY(tracker.update(second));
        const Rates& rates = *tracker.rates();
        // Only this window's records count (the 100,000 at 2 ms came before it); buckets are at most 19 % wide.
        QVERIFY2(rates.produceLatencyP50Ms >= 5.0 && rates.produceLatencyP50Ms <= 5.0 * 1.19,
            qPrintable(QString::number(rates.produceLatencyP50Ms)));
        QVERIFY2(rates.produceLatencyP99Ms >= 200.0 && rates.produceLatencyP99Ms <= 200.0 * 1.19,
            qPrintable(QString::number(rates.produceLatencyP99Ms)));
        // A window without acknowledgements has no latency, and the chart skips it.
        QVERIFY(tracker.update(withLatencies(2, {}, &second)));
        QCOMPARE(tracker.rates()->produceLatencyP50Ms, -1.0);
        MetricsRecorder recorder(1.0);
        recorder.record(second, rates);
        recorder.record(withLatencies(2, {}, &second), *tracker.rates());
        const auto latency = recorder.series(MetricsRecorder::Chart::ProduceLatency);
        QCOMPARE(latency.size(), std::size_t(2));
        QCOMPARE(latency[0].points.size(), 1);
        QCOMPARE(latency[0].points[0].y(), rates.produceLatencyP50Ms);
        QCOMPARE(latency[1].points[0].y(), rates.produceLatencyP99Ms);
    }

    void isrChartShowsTheMeanInSyncReplicasPerTopic()
    {
        MetricsRecorder recorder(1.0);
        driver::Snapshot healthy = snapshotAt(0, 10, 10);
        for (auto& partition : healthy.topics[0].partitions)
            partition.replicaIds = partition.isr = { 1, 2, 3 };
        recorder.record(healthy, Rates {});
        driver::Snapshot shrunk = snapshotAt(1, 10, 10);
        shrunk.topics[0].partitions[0].replicaIds = { 1, 2, 3 };
        shrunk.topics[0].partitions[0].isr = { 1, 2 }; // broker 3 fell behind
        shrunk.topics[0].partitions[1].replicaIds = { 2, 3, 1 };
        shrunk.topics[0].partitions[1].isr = { 2, 1 };
        recorder.record(shrunk, Rates {});
        const auto isr = recorder.series(MetricsRecorder::Chart::IsrSize);
        QCOMPARE(isr.size(), std::size_t(1));
        QCOMPARE(isr[0].name, QStringLiteral("t"));
        QCOMPARE(isr[0].points.size(), 2);
        QCOMPARE(isr[0].points[0].y(), 3.0);
        QCOMPARE(isr[0].points[1].y(), 2.0);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
