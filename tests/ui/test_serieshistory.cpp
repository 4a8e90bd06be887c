// Chart histories stay within their point budget however long a run lasts, keep the newest sample on the chart,
// and merge in the way each chart needs (means for rates, maxima for lag and problem counts).

#include "serieshistory.h"

#include <QTest>

#include <algorithm>

using brokerlab::ui::SeriesHistory;

class TestSeriesHistory : public QObject {
    Q_OBJECT
private slots:
    void staysWithinCapacityForever()
    {
        SeriesHistory history(2000);
        for (int i = 0; i < 1000000; ++i) {
            history.append(i, i % 7);
            if (i % 99991 == 0)
                QVERIFY(history.points().size() <= 2000);
        }
        const QList<QPointF> points = history.points();
        QVERIFY(points.size() <= 2000);
        QVERIFY(points.size() >= 1000); // halving leaves at least half the budget in use
        QCOMPARE(points.back().x(), 999999.0); // the newest sample is on the chart
        QVERIFY(points.front().x() < 1000); // and so is the start of the run
        QVERIFY(std::is_sorted(points.begin(), points.end(), [](QPointF a, QPointF b) { return a.x() < b.x(); }));
        QVERIFY(history.samplesPerPoint() >= 512);
    }

    void belowCapacityEverySampleIsAPoint()
    {
        SeriesHistory history(100);
        for (int i = 0; i < 50; ++i)
            history.append(i, i * 2);
        const QList<QPointF> points = history.points();
        QCOMPARE(points.size(), 50);
        QCOMPARE(points[10], QPointF(10, 20));
        QCOMPARE(history.samplesPerPoint(), std::size_t(1));
    }

    void meanKeepsTheLevelOfARate()
    {
        SeriesHistory history(16, SeriesHistory::Merge::Mean);
        for (int i = 0; i < 10000; ++i)
            history.append(i, i % 2 == 0 ? 100 : 300); // a noisy 200/s
        for (const QPointF& point : history.points().mid(0, history.points().size() - 1))
            QCOMPARE(point.y(), 200.0);
    }

    void maxKeepsASpike()
    {
        SeriesHistory history(16, SeriesHistory::Merge::Max);
        for (int i = 0; i < 100000; ++i)
            history.append(i, i == 54321 ? 42 : 0); // one moment of lag in a long run
        const QList<QPointF> points = history.points();
        QVERIFY(points.size() <= 16);
        QCOMPARE(std::count_if(points.begin(), points.end(), [](QPointF p) { return p.y() == 42; }), 1);
    }

    void clearStartsOver()
    {
        SeriesHistory history(8);
        for (int i = 0; i < 100; ++i)
            history.append(i, 1);
        history.clear();
        QCOMPARE(history.points().size(), 0);
        QCOMPARE(history.samplesPerPoint(), std::size_t(1));
        history.append(5, 6);
        QCOMPARE(history.points(), QList<QPointF>({ QPointF(5, 6) }));
    }

    // Not a timed assertion: run with -iterations or let QBENCHMARK pick; shows that a whole hour of 30 Hz samples
    // plus the export the charts do four times a second cost microseconds, which is why decimation stays on the
    // GUI thread.
    void benchmarkAppendAndExport()
    {
        QBENCHMARK
        {
            SeriesHistory history;
            for (int i = 0; i < 108000; ++i) // an hour at 30 samples per second
                history.append(i / 30.0, i % 500);
            QList<QPointF> points = history.points();
            QVERIFY(points.size() <= 2000);
        }
    }
};

QTEST_GUILESS_MAIN(TestSeriesHistory)
#include "test_serieshistory.moc"
