// Produce latency percentiles from logarithmic buckets: every value lands in the bucket whose bounds hold it, a
// percentile read back is never below the true one and at most one bucket (19 %) above it, and the latencies
// of an interval are the difference of two copies.

#include "client/latencyhistogram.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <vector>

using brokerlab::client::LatencyHistogram;

class TestLatencyHistogram : public QObject {
    Q_OBJECT
private slots:
    void everyValueFallsInsideItsBucket()
    {
        for (std::int64_t us : { 2LL, 3LL, 4LL, 5LL, 999LL, 1000LL, 1001LL, 65536LL, 123456789LL }) {
            const std::size_t bucket = LatencyHistogram::bucketOf(us);
            QVERIFY2(LatencyHistogram::upperBoundUs(bucket) >= static_cast<double>(us), qPrintable(QString::number(us)));
            QVERIFY2(bucket == 0 || LatencyHistogram::upperBoundUs(bucket - 1) < static_cast<double>(us),
                qPrintable(QString::number(us)));
        }
        QCOMPARE(LatencyHistogram::bucketOf(0), std::size_t(0));
        QCOMPARE(LatencyHistogram::bucketOf(-5), std::size_t(0)); // a clock that went back counts as instant
        QCOMPARE(LatencyHistogram::bucketOf(std::int64_t(1) << 60), LatencyHistogram::kBuckets - 1);
    }

    void percentilesAreWithinOneBucketOfTheTruth()
    {
        std::mt19937_64 random(42);
        std::lognormal_distribution<double> latency(8.0, 1.5); // around 3 ms, with a long tail
        std::vector<std::int64_t> values;
        LatencyHistogram histogram;
        for (int i = 0; i < 100000; ++i) {
            values.push_back(std::max<std::int64_t>(1, static_cast<std::int64_t>(latency(random))));
            histogram.add(values.back());
        }
        std::sort(values.begin(), values.end());
        for (double q : { 0.5, 0.9, 0.99, 0.999 }) {
            const double truth = static_cast<double>(values[static_cast<std::size_t>(q * values.size()) - 1]);
            const double read = histogram.quantileUs(q);
            QVERIFY2(read >= truth && read <= truth * 1.19 + 1, qPrintable(QStringLiteral("q %1: %2 vs %3").arg(q).arg(read).arg(truth)));
        }
    }

    void anIntervalIsTheDifferenceOfTwoCopies()
    {
        LatencyHistogram histogram;
        histogram.add(1000, 500);
        const LatencyHistogram before = histogram;
        histogram.add(80000, 10);
        const LatencyHistogram interval = histogram.since(before);
        QCOMPARE(interval.total(), std::int64_t(10));
        QVERIFY(interval.quantileUs(0.5) >= 80000);
        QCOMPARE(LatencyHistogram().quantileUs(0.5), -1.0);
        LatencyHistogram merged = before;
        merged.merge(interval);
        QVERIFY(merged == histogram);
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "test_latencyhistogram.moc"
