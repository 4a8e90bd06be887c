// "Open the browser at any offset ≤ 50 ms" (issue 6, BENCHMARKS.md): one partition of N records
// (default 10,000,000, about 120 bytes of JSON each), then the explorer's own path for 1,000 random
// offsets: MessageModel::fetch() on the GUI thread, the page read on the reader's store thread,
// the page delivered back by a queued call, until the record at that offset is in the model. Also
// the time from opening the reader connection to a model showing the partition. With more than one
// partition (record n goes to partition n % P), also the Chronological tab's path: a merged view of
// every partition from a random time, until its first page is in the model, and the next page.
//
//   bench_explorer [records] [dir] [partitions]
//   (defaults: 10,000,000 records; the system temp folder; 1 partition)

#include "chronologicalmodel.h"
#include "measure.h"
#include "messagemodel.h"
#include "store/storeworker.h"
#include "store/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace brokerlab;
using bench::percentile;

namespace {
using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

void fill(store::Workspace& workspace, std::int64_t count, std::int32_t partitions)
{
    constexpr std::int64_t kBatch = 100000;
    for (std::int64_t first = 0; first < count; first += kBatch) {
        store::IngestBatch batch;
        batch.partitions.resize(std::size_t(partitions));
        const std::int64_t last = std::min(count, first + kBatch);
        for (std::int32_t p = 0; p < partitions; ++p) {
            batch.partitions[std::size_t(p)].topic = "orders";
            batch.partitions[std::size_t(p)].partition = p;
            batch.partitions[std::size_t(p)].highWatermark = (last + partitions - 1 - p) / partitions;
            batch.partitions[std::size_t(p)].logEndOffset = batch.partitions[std::size_t(p)].highWatermark;
        }
        for (std::int64_t n = first; n < last; ++n) {
            auto& update = batch.partitions[std::size_t(n % partitions)];
            char value[200];
            const int length = std::snprintf(value, sizeof value,
                "{\"order_id\":%lld,\"user\":\"u%05lld\",\"item\":\"sku-%04lld\",\"qty\":%lld,\"status\":\"shipped\","
                "\"city\":\"Lyon\",\"price\":12.50}",
                static_cast<long long>(n), static_cast<long long>(n * 7919 % 100000),
                static_cast<long long>(n * 104729 % 10000), static_cast<long long>(n % 9 + 1));
            log::Record record;
            record.offset = n / partitions;
            record.timestamp = 1767225600000 + n;
            record.key = "u" + std::to_string(n * 7919 % 100000);
            record.value = std::string(value, std::size_t(length));
            update.records.push_back(std::move(record));
        }
        workspace.ingest(batch);
    }
}
} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const std::int64_t records = argc > 1 ? std::atoll(argv[1]) : 10000000;
    const QString dir = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QDir::tempPath();
    const std::int32_t partitions = argc > 3 ? std::max(1, std::atoi(argv[3])) : 1;
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(QStringLiteral("bench_explorer.blw"));
    for (const char* suffix : { "", "-wal", "-shm" })
        QFile::remove(path + QString::fromLatin1(suffix));

    // The browser reads the records table only; the full-text index is not built here.
    auto start = Clock::now();
    {
        store::Workspace workspace("bench-explorer-fill");
        workspace.create(path.toStdString());
        fill(workspace, records, partitions);
        workspace.close();
    }
    std::printf("records                       %lld in %d partition(s) (stored in %.1f s, not indexed)\n",
        static_cast<long long>(records), partitions, msSince(start) / 1000);

    auto reader = std::make_shared<store::StoreWorker>();
    QEventLoop loop;
    start = Clock::now();
    QObject::connect(reader.get(), &store::StoreWorker::opened, &loop, &QEventLoop::quit);
    reader->openReader(path);
    loop.exec();
    std::vector<store::PartitionBounds> bounds;
    reader->post([&](store::Workspace& workspace) { bounds = workspace.partitionBounds(); });
    reader->waitUntilIdle();
    ui::MessageModel model;
    model.setPartition(reader, bounds.at(0).topic, bounds.at(0).partition, bounds[0].firstOffset, bounds[0].lastOffset);
    std::printf("open: reader + bounds + model %.1f ms (%d rows)\n", msSince(start), model.rowCount());

    std::mt19937_64 random(42);
    std::vector<double> times;
    const int trials = 1000;
    QObject::connect(&model, &ui::MessageModel::pageLoaded, &loop, &QEventLoop::quit);
    for (int i = 0; i < trials; ++i) {
        const int row = int(random() % std::uint64_t(model.rowCount()));
        if (model.isLoaded(row))
            continue; // a page already cached would flatter the figure
        const auto t0 = Clock::now();
        model.fetch(row);
        while (!model.isLoaded(row))
            loop.exec();
        times.push_back(msSince(t0));
        if (model.data(model.index(row, ui::MessageModel::Offset)).toLongLong() != model.offsetOfRow(row)
            || model.record(row) == nullptr || model.record(row)->record.offset != model.offsetOfRow(row)) {
            std::fprintf(stderr, "wrong record at row %d\n", row);
            return 1;
        }
    }
    std::printf("open at a random offset       p50 %.3f ms  p95 %.3f ms  max %.3f ms  (%zu offsets, page of %lld, "
                "fetch to record in the model)\n",
        percentile(times, 0.5), percentile(times, 0.95), *std::max_element(times.begin(), times.end()), times.size(),
        static_cast<long long>(ui::MessageModel::kPageSize));

    if (partitions > 1) {
        std::vector<std::pair<std::string, std::int32_t>> all;
        for (const auto& row : bounds)
            all.emplace_back(row.topic, row.partition);
        ui::ChronologicalModel merged;
        QObject::connect(&merged, &ui::ChronologicalModel::pageLoaded, &loop, &QEventLoop::quit);
        std::vector<double> first;
        std::vector<double> next;
        for (int i = 0; i < 200; ++i) {
            const std::int64_t fromMs = 1767225600000 + std::int64_t(random() % std::uint64_t(records));
            auto t0 = Clock::now();
            merged.setPartitions(reader, all, fromMs);
            while (merged.isLoading())
                loop.exec();
            first.push_back(msSince(t0));
            if (merged.rowCount() == 0 || merged.hit(0).record.timestamp != fromMs) {
                std::fprintf(stderr, "the merged view does not start at %lld\n", static_cast<long long>(fromMs));
                return 1;
            }
            if (!merged.canFetchMore({}))
                continue;
            t0 = Clock::now();
            merged.fetchMore({});
            while (merged.isLoading())
                loop.exec();
            next.push_back(msSince(t0));
        }
        if (next.empty())
            next.push_back(0); // every start was within a page of the end (tiny runs)
        std::printf("chronological, %d partitions   first page p50 %.3f ms  p95 %.3f ms; next page p50 %.3f ms  p95 "
                    "%.3f ms  (%zu random start times, page of %lld)\n",
            partitions, percentile(first, 0.5), percentile(first, 0.95), percentile(next, 0.5),
            percentile(next, 0.95), first.size(), static_cast<long long>(ui::ChronologicalModel::kPageSize));
    }
    reader.reset();
    for (const char* suffix : { "", "-wal", "-shm" })
        QFile::remove(path + QString::fromLatin1(suffix));
    return 0;
}
