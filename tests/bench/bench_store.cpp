// The message store on the figures issue 6 asks for (BENCHMARKS.md, "Message store and search"):
// indexing rate, search latency over random terms (first 50 hits and every hit), a linear scan of
// the same data in the same run (what a scanning explorer does) and the ratio, opening the
// browser at an offset, and saving and opening a workspace.
//
//   bench_store [records] [workspace-records] [dir]
//   (defaults: 10,000,000 records; 1,000,000 for save/open; the system temp folder)

#include "measure.h"
#include "store/searchquery.h"
#include "store/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

using namespace brokerlab;
using bench::percentile;

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }
double msSince(Clock::time_point start) { return secondsSince(start) * 1000.0; }
// CPU seconds this process used: on a shared machine the wall rate says more about the other
// processes than about the store, so the indexing rate is given per CPU second as well.
double cpuSeconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

constexpr int kPartitions = 8;
constexpr std::int64_t kUsers = 100000;
constexpr std::int64_t kItems = 10000;
constexpr std::int64_t kBatch = 50000;
const char* const kStatus[] = { "created", "paid", "shipped", "delivered", "cancelled" };
const char* const kCities[] = { "Lyon", "Porto", "Gdansk", "Leeds", "Graz", "Turku", "Bilbao", "Aarhus" };

// Record n, about 120 bytes of JSON. Field values come from a fixed hash of n, so every run and
// the search terms below agree without storing anything.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

log::Record makeRecord(std::int64_t n, std::int64_t offset)
{
    const std::uint64_t h = mix(std::uint64_t(n));
    char value[200];
    const int length = std::snprintf(value, sizeof value,
        "{\"order_id\":%" PRId64 ",\"user\":\"u%05" PRIu64 "\",\"item\":\"sku-%04" PRIu64
        "\",\"qty\":%d,\"price\":%d.%02d,\"status\":\"%s\",\"city\":\"%s\"}",
        n, h % kUsers, (h >> 20) % kItems, int((h >> 40) % 9 + 1), int((h >> 44) % 200), int((h >> 52) % 100),
        kStatus[(h >> 8) % 5], kCities[(h >> 12) % 8]);
    log::Record record;
    record.offset = offset;
    record.timestamp = 1767225600000 + n;
    char key[16];
    std::snprintf(key, sizeof key, "u%05" PRIu64, h % kUsers);
    record.key = std::string(key);
    record.value = std::string(value, std::size_t(length));
    return record;
}

// Ingests records [0, count) over kPartitions partitions and indexes them; returns seconds
// (ingest, index).
std::pair<double, double> fill(store::Workspace& workspace, std::int64_t count)
{
    double ingestSeconds = 0, indexSeconds = 0;
    for (std::int64_t first = 0; first < count; first += kBatch) {
        store::IngestBatch batch;
        batch.partitions.resize(kPartitions);
        const std::int64_t last = std::min(count, first + kBatch);
        for (int p = 0; p < kPartitions; ++p) {
            batch.partitions[std::size_t(p)].topic = "orders";
            batch.partitions[std::size_t(p)].partition = p;
            batch.partitions[std::size_t(p)].highWatermark = (last + kPartitions - 1 - p) / kPartitions;
            batch.partitions[std::size_t(p)].logEndOffset = batch.partitions[std::size_t(p)].highWatermark;
        }
        for (std::int64_t n = first; n < last; ++n)
            batch.partitions[std::size_t(n % kPartitions)].records.push_back(makeRecord(n, n / kPartitions));
        auto start = Clock::now();
        workspace.ingest(batch);
        ingestSeconds += secondsSince(start);
        start = Clock::now();
        workspace.indexAll();
        indexSeconds += secondsSince(start);
    }
    return { ingestSeconds, indexSeconds };
}

struct Timed {
    double ms = 0;
    std::int64_t hits = 0;
};

Timed timeSearch(const store::Workspace& workspace, const std::string& text, std::int64_t limit)
{
    auto parsed = store::parseSearchQuery(text);
    const auto start = Clock::now();
    const auto outcome = workspace.search(std::get<store::SearchQuery>(parsed), limit, nullptr,
        [](std::vector<store::StoredRecord>&&, const store::SearchProgress&) { return true; });
    return { msSince(start), outcome.hits };
}

// What a scanning explorer does: read every record and look for the text in it. A plain
// substring test, cheaper than matching words, so the comparison favours the scan.
Timed linearScan(const store::Workspace& workspace, const std::string& needle)
{
    const auto start = Clock::now();
    store::Statement all(workspace.handle(), "SELECT key, value FROM records ORDER BY id DESC");
    std::int64_t hits = 0;
    while (all.step()) {
        const std::optional<std::string> bytes = all.blob(1);
        if (bytes && bytes->find(needle) != std::string::npos)
            ++hits;
    }
    return { msSince(start), hits };
}

std::string randomTerm(std::mt19937_64& rng)
{
    char term[32];
    switch (rng() % 3) {
    case 0:
        std::snprintf(term, sizeof term, "u%05" PRIu64, rng() % kUsers); // ~100 records each in 10M
        break;
    case 1:
        std::snprintf(term, sizeof term, "\"sku-%04" PRIu64 "\"", rng() % kItems); // ~1,000 each
        break;
    default:
        std::snprintf(term, sizeof term, "%" PRIu64, rng() % 10000000); // an order id (and prices, qty)
        break;
    }
    return term;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const std::int64_t records = argc > 1 ? std::atoll(argv[1]) : 10000000;
    const std::int64_t workspaceRecords = argc > 2 ? std::atoll(argv[2]) : 1000000;
    const QString dir = argc > 3 ? QString::fromLocal8Bit(argv[3]) : QDir::tempPath();
    const std::string path = QDir(dir).filePath(QStringLiteral("bench_store.blw")).toStdString();
    const std::string smallPath = QDir(dir).filePath(QStringLiteral("bench_store_1m.blw")).toStdString();
    const std::string copyPath = QDir(dir).filePath(QStringLiteral("bench_store_1m_copy.blw")).toStdString();
    for (const std::string& file : { path, smallPath, copyPath })
        QFile::remove(QString::fromStdString(file));

    {
        store::Workspace workspace("bench");
        workspace.create(path);
        auto start = Clock::now();
        const double cpuStart = cpuSeconds();
        const auto [ingest, index] = fill(workspace, records);
        const double total = secondsSince(start);
        const double cpu = cpuSeconds() - cpuStart;
        std::printf("records                      %" PRId64 " JSON records, %d partitions\n", records, kPartitions);
        std::printf("indexing rate (store+index)  %.0f records/s  (%.1f s: store %.1f s, full-text index %.1f s)\n",
            double(records) / total, total, ingest, index);
        std::printf("  per CPU second             %.0f records/s  (%.1f s of CPU, %.0f%% of the wall time)\n",
            double(records) / cpu, cpu, 100.0 * cpu / total);

        std::mt19937_64 rng(7);
        std::vector<double> first50, everyHit;
        std::vector<std::string> terms;
        std::int64_t hitsTotal = 0;
        for (int i = 0; i < 1000; ++i)
            terms.push_back(randomTerm(rng));
        for (const std::string& term : terms)
            first50.push_back(timeSearch(workspace, term, 50).ms);
        for (const std::string& term : terms) {
            const Timed timed = timeSearch(workspace, term, 0);
            everyHit.push_back(timed.ms);
            hitsTotal += timed.hits;
        }
        // By kind of term: user names (a word), SKUs (a two-word phrase), numbers.
        const char* const kinds[] = { "user word", "sku phrase", "number" };
        for (int kind = 0; kind < 3; ++kind) {
            std::vector<double> firstOfKind, allOfKind;
            for (std::size_t i = 0; i < terms.size(); ++i) {
                const int termKind = terms[i][0] == 'u' ? 0 : terms[i][0] == '"' ? 1 : 2;
                if (termKind == kind) {
                    firstOfKind.push_back(first50[i]);
                    allOfKind.push_back(everyHit[i]);
                }
            }
            std::printf("  %-11s (%3zu terms)       first 50 p95 %.2f ms, every hit p95 %.2f ms\n", kinds[kind],
                firstOfKind.size(), percentile(firstOfKind, 0.95), percentile(allOfKind, 0.95));
        }
        std::printf("search, first 50 hits        p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  (1,000 random terms)\n",
            percentile(first50, 0.5), percentile(first50, 0.95), percentile(first50, 0.99));
        std::printf("search, every hit            p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  (mean %.0f hits per term)\n",
            percentile(everyHit, 0.5), percentile(everyHit, 0.95), percentile(everyHit, 0.99),
            double(hitsTotal) / double(terms.size()));
        const Timed common50 = timeSearch(workspace, "shipped", 50);
        const Timed commonAll = timeSearch(workspace, "shipped", 0);
        std::printf("common word \"shipped\"        first 50 %.2f ms; all %" PRId64 " hits %.0f ms\n", common50.ms,
            commonAll.hits, commonAll.ms);

        std::vector<double> scans;
        for (int i = 0; i < 3; ++i) {
            std::string needle = terms[std::size_t(i)];
            needle.erase(std::remove(needle.begin(), needle.end(), '"'), needle.end());
            scans.push_back(linearScan(workspace, needle).ms);
        }
        const double scan = percentile(scans, 0.5);
        std::printf("linear scan (3 of the terms) median %.0f ms per query; index p50 every hit is %.0fx faster, "
                    "first 50 hits %.0fx\n",
            scan, scan / percentile(everyHit, 0.5), scan / percentile(first50, 0.5));

        std::vector<double> browse;
        for (int i = 0; i < 1000; ++i) {
            const auto start2 = Clock::now();
            const auto page = workspace.readPartition(
                "orders", int(rng() % kPartitions), std::int64_t(rng() % std::uint64_t(records / kPartitions)), 100);
            browse.push_back(msSince(start2));
            if (page.empty())
                std::printf("empty page!\n");
        }
        std::printf("browser page at an offset    p50 %.3f ms  p95 %.3f ms  (100 records, 1,000 random offsets)\n",
            percentile(browse, 0.5), percentile(browse, 0.95));
        workspace.close();
        std::printf("workspace file               %.0f MB for %" PRId64 " records\n",
            double(QFileInfo(QString::fromStdString(path)).size()) / 1e6, records);
    }
    if (!qEnvironmentVariableIsSet("BENCH_STORE_KEEP")) // keep the big file to look into it
        QFile::remove(QString::fromStdString(path));

    {
        store::Workspace workspace("bench-1m");
        workspace.create(smallPath);
        auto start = Clock::now();
        fill(workspace, workspaceRecords);
        workspace.close();
        std::printf("save %" PRId64 " records          %.2f s (store, index, checkpoint, close)\n", workspaceRecords,
            secondsSince(start));
        start = Clock::now();
        workspace.open(smallPath);
        std::printf("open %" PRId64 " records          %.0f ms (header checks, quick_check, schema)\n",
            workspaceRecords, msSince(start));
        start = Clock::now();
        workspace.saveCopyAs(copyPath);
        std::printf("save as (copy)               %.2f s, %.0f MB\n", secondsSince(start),
            double(QFileInfo(QString::fromStdString(copyPath)).size()) / 1e6);
        workspace.close();
    }
    for (const std::string& file : { smallPath, copyPath })
        QFile::remove(QString::fromStdString(file));
    return 0;
}
