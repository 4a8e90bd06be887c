// The store thread: jobs run in order off the caller's thread, the index catches up in the
// background, search results stream back by signal, and a newer search replaces an older one.

#include "store/storeworker.h"
#include "storefixtures.h"

#include <QSignalSpy>

#include <future>

using namespace brokerlab;
using namespace storetest;

namespace {

store::IngestBatch records(int from, int count)
{
    store::IngestBatch batch;
    store::PartitionUpdate update;
    update.topic = "events";
    update.highWatermark = update.logEndOffset = from + count;
    for (int i = from; i < from + count; ++i)
        update.records.push_back(record(i, i, "k", "event number" + std::to_string(i) + (i % 10 == 0 ? " tenth" : "")));
    batch.partitions.push_back(std::move(update));
    return batch;
}

} // namespace

class TestStoreWorker : public QObject {
    Q_OBJECT
private slots:
    void searchStreamsFromTheStoreThread()
    {
        QTemporaryDir dir;
        store::StoreWorker worker;
        QSignalSpy opened(&worker, &store::StoreWorker::opened);
        QSignalSpy failed(&worker, &store::StoreWorker::failed);
        QSignalSpy status(&worker, &store::StoreWorker::indexStatusChanged);
        worker.create(dir.filePath(QStringLiteral("w.blw")));
        worker.ingest(records(0, 30000));
        worker.waitUntilIdle();
        QCOMPARE(failed.count(), 0);
        QCOMPARE(opened.count(), 1); // the spy records on the emitting thread
        QVERIFY(status.count() >= 1);
        QCOMPARE(status.last().at(0).value<store::IndexStatus>().lag, std::int64_t(0)); // indexed in the background

        QSignalSpy chunks(&worker, &store::StoreWorker::searchChunk);
        QSignalSpy finished(&worker, &store::StoreWorker::searchFinished);
        auto parsed = store::parseSearchQuery("tenth");
        const quint64 id = worker.startSearch(std::get<store::SearchQuery>(parsed), 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const auto summary = finished.first().at(0).value<store::SearchSummary>();
        QCOMPARE(summary.requestId, id);
        QVERIFY(summary.error.isEmpty());
        QCOMPARE(summary.outcome.hits, std::int64_t(3000));
        std::int64_t received = 0;
        std::int64_t previous = INT64_MAX;
        for (const auto& arguments : chunks) {
            const auto chunk = arguments.at(0).value<store::SearchChunk>();
            QCOMPARE(chunk.requestId, id);
            for (const auto& hit : chunk.hits) {
                QVERIFY(hit.record.offset < previous); // newest first across chunks
                previous = hit.record.offset;
            }
            received += std::int64_t(chunk.hits.size());
        }
        QCOMPARE(received, std::int64_t(3000));
    }

    void newerSearchReplacesOlder()
    {
        QTemporaryDir dir;
        store::StoreWorker worker;
        worker.create(dir.filePath(QStringLiteral("w.blw")));
        worker.ingest(records(0, 20000));
        worker.waitUntilIdle();
        QSignalSpy finished(&worker, &store::StoreWorker::searchFinished);
        auto everything = store::parseSearchQuery("event");
        auto rare = store::parseSearchQuery("number17");
        // Hold the store thread so both searches are queued before either runs.
        std::promise<void> gate;
        worker.post([future = gate.get_future().share()](store::Workspace&) { future.wait(); });
        const quint64 first = worker.startSearch(std::get<store::SearchQuery>(everything), 0);
        const quint64 second = worker.startSearch(std::get<store::SearchQuery>(rare), 0);
        gate.set_value();
        QVERIFY(second > first);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
        const auto older = finished.at(0).at(0).value<store::SearchSummary>();
        const auto newer = finished.at(1).at(0).value<store::SearchSummary>();
        QCOMPARE(older.requestId, first);
        QVERIFY(older.outcome.cancelled);
        QCOMPARE(newer.requestId, second);
        QCOMPARE(newer.outcome.hits, std::int64_t(1));
    }

    void ingestsWhileIndexingAreAllIndexed()
    {
        QTemporaryDir dir;
        store::StoreWorker worker;
        worker.create(dir.filePath(QStringLiteral("w.blw")));
        for (int i = 0; i < 6; ++i)
            worker.ingest(records(i * 7000, 7000)); // some arrive while the index works on earlier ones
        worker.waitUntilIdle();
        std::promise<store::IndexStatus> status;
        worker.post([&status](store::Workspace& workspace) { status.set_value(workspace.indexStatus()); });
        const store::IndexStatus final = status.get_future().get();
        QCOMPARE(final.records, std::int64_t(42000));
        QCOMPARE(final.indexed, std::int64_t(42000));
        QCOMPARE(final.lag, std::int64_t(0));
    }

    void errorsAreReported()
    {
        QTemporaryDir dir;
        store::StoreWorker worker;
        QSignalSpy failed(&worker, &store::StoreWorker::failed);
        worker.open(dir.filePath(QStringLiteral("missing.blw")));
        worker.waitUntilIdle();
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("no such file")));
    }
};

QTEST_GUILESS_MAIN(TestStoreWorker)
#include "test_storeworker.moc"
