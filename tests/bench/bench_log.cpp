// Throughput and memory of engine/log on the path every produced record takes: a producer's
// BatchBuilder, then the leader's PartitionLog::appendAsLeader. One line per figure.
//
//   bench_log [records]   (default 5,000,000 records of 100-byte values)

#include "log/partitionlog.h"
#include "log/recordbatch.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace brokerlab::log;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kValueBytes = 100;
constexpr std::int32_t kBatchSize = 16384; // producer batch.size default

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Resident set size of this process in bytes (VmRSS in /proc/self/status).
std::int64_t residentBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atoll(line.c_str() + 6) * 1024;
    }
    return -1;
}

std::span<const std::uint8_t> bytesOf(const std::string& text)
{
    return { reinterpret_cast<const std::uint8_t*>(text.data()), text.size() };
}

// Fills batches the way a producer's accumulator does: append until hasRoomFor() says no.
struct Producer {
    BatchBuilder::Options options;
    BatchBuilder builder;
    std::string key = "key-000000";
    std::string value = std::string(kValueBytes, 'v');
    std::int64_t timestamp = 1700000000000;
    std::size_t lastUncompressedBytes = 0; // header + records of the last batch built, before compression

    explicit Producer(Compression compression)
    {
        options.compression = compression;
        options.batchSizeLimit = kBatchSize;
        builder.reset(options);
    }

    // Appends one record; returns true when the batch filled up and was built into `out`.
    bool produce(std::int64_t sequence, Bytes& out)
    {
        key[4 + sequence % 6] = static_cast<char>('0' + sequence % 10);
        value[sequence % kValueBytes] = static_cast<char>('a' + sequence % 26);
        ++timestamp;
        if (!builder.hasRoomFor(timestamp, bytesOf(key), false, bytesOf(value), false)) {
            out.clear();
            lastUncompressedBytes = builder.estimatedSizeInBytes();
            builder.buildInto(out);
            builder.reset(options);
            builder.append(timestamp, bytesOf(key), false, bytesOf(value), false);
            return true;
        }
        builder.append(timestamp, bytesOf(key), false, bytesOf(value), false);
        return false;
    }
};

void report(const char* what, std::int64_t records, std::int64_t bytes, double seconds)
{
    std::printf("%-58s %12.0f records/s\n", what, double(records) / seconds);
    std::printf("%-58s %12.1f MB/s\n", what, double(bytes) / seconds / 1e6);
}

} // namespace

int main(int argc, char** argv)
{
    const std::int64_t records = argc > 1 ? std::atoll(argv[1]) : 5000000;
    std::uint64_t sink = 0;

    // 1. Producer side alone: append + build, batch.size 16384.
    {
        Producer producer(Compression::None);
        Bytes batch;
        std::int64_t bytes = 0;
        const auto start = Clock::now();
        for (std::int64_t i = 0; i < records; ++i) {
            if (producer.produce(i, batch)) {
                bytes += static_cast<std::int64_t>(batch.size());
                sink += batch[20];
            }
        }
        report("BatchBuilder append+build (100-byte values, none)", records, bytes, secondsSince(start));
    }
    {
        Producer producer(Compression::Gzip);
        Bytes batch;
        std::int64_t bytes = 0;
        const std::int64_t gzipRecords = records / 10;
        const auto start = Clock::now();
        for (std::int64_t i = 0; i < gzipRecords; ++i) {
            if (producer.produce(i, batch)) {
                bytes += static_cast<std::int64_t>(producer.lastUncompressedBytes);
                sink += batch[20];
            }
        }
        // MB/s counts uncompressed batch bytes, comparable with the line above.
        report("BatchBuilder append+build (100-byte values, gzip)", gzipRecords, bytes, secondsSince(start));
    }

    // 2. Leader append alone, on prebuilt producer batches.
    std::vector<Bytes> prebuilt;
    std::int64_t recordsPerBatch = 0;
    {
        Producer producer(Compression::None);
        Bytes batch;
        for (std::int64_t i = 0; prebuilt.size() < 64; ++i) {
            if (producer.produce(i, batch))
                prebuilt.push_back(batch);
        }
        BatchHeader header;
        parseBatchHeader(prebuilt.front(), header);
        recordsPerBatch = header.recordCount;
    }
    const std::int64_t rssBefore = residentBytes();
    auto log = std::make_unique<PartitionLog>();
    {
        std::int64_t appended = 0;
        std::int64_t bytes = 0;
        const auto start = Clock::now();
        for (std::size_t i = 0; appended < records; ++i) {
            const AppendInfo info = log->appendAsLeader(prebuilt[i % prebuilt.size()], 1, 0);
            appended += info.recordCount;
            bytes += info.bytes;
        }
        report("PartitionLog::appendAsLeader (16 KiB batches)", appended, bytes, secondsSince(start));
    }
    const LogStats stats = log->stats();
    const std::int64_t rssAfter = residentBytes();
    std::printf("%-58s %12.3f RSS bytes per stored byte\n", "PartitionLog memory (one log, default segment.bytes)",
        double(rssAfter - rssBefore) / double(stats.sizeInBytes));
    std::printf("%-58s %12.3f allocated bytes per stored byte\n",
        "PartitionLog memory (one log, default segment.bytes)",
        double(stats.allocatedBytes) / double(stats.sizeInBytes));

    // 3. Fetch path: whole-batch reads of 1 MiB from the start to the end.
    {
        std::int64_t bytes = 0;
        std::int64_t offset = 0;
        const auto start = Clock::now();
        while (offset < log->logEndOffset()) {
            const ReadInfo read = log->read(offset, 1 << 20, log->logEndOffset());
            BatchIterator it(read.records, false);
            while (it.next())
                offset = it.header().nextOffset();
            bytes += static_cast<std::int64_t>(read.records.size());
        }
        report("PartitionLog::read (1 MiB fetches)", log->logEndOffset(), bytes, secondsSince(start));
    }
    log.reset();

    // 4. End to end as the engine runs it: produce, then append each full batch, over many
    // partitions (three replicas' worth of small logs), to see memory with many active segments.
    {
        constexpr int kPartitions = 96;
        std::vector<std::unique_ptr<PartitionLog>> logs;
        for (int i = 0; i < kPartitions; ++i)
            logs.push_back(std::make_unique<PartitionLog>());
        const std::int64_t rssStart = residentBytes();
        Producer producer(Compression::None);
        Bytes batch;
        std::int64_t bytes = 0;
        std::size_t next = 0;
        const auto start = Clock::now();
        for (std::int64_t i = 0; i < records; ++i) {
            if (producer.produce(i, batch)) {
                const AppendInfo info = logs[next++ % logs.size()]->appendAsLeader(batch, 1, 0);
                bytes += info.bytes;
            }
        }
        report("end to end: BatchBuilder + appendAsLeader, 96 partitions", records, bytes, secondsSince(start));
        std::int64_t stored = 0;
        std::int64_t allocated = 0;
        for (const auto& partition : logs) {
            stored += partition->stats().sizeInBytes;
            allocated += partition->stats().allocatedBytes;
        }
        std::printf("%-58s %12.3f RSS bytes per stored byte\n", "memory, 96 partitions",
            double(residentBytes() - rssStart) / double(stored));
        std::printf("%-58s %12.3f allocated bytes per stored byte\n", "memory, 96 partitions",
            double(allocated) / double(stored));
    }
    std::printf("%-58s %12.0f records per 16 KiB batch\n", "batch shape", double(recordsPerBatch));
    return sink == 42 ? 1 : 0; // keeps the work observable
}
