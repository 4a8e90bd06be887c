// Costs on the producer's hot path: murmur2 per key and Workload::next per record. The engine
// aims at 5M records/s end to end, which leaves roughly 10-20 ns for generating a record.
// Usage: bench_partitioner [records]   (default 20,000,000)

#include "client/partitioner.h"
#include "client/workload.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace brokerlab;

namespace {

using Clock = std::chrono::steady_clock;

double nanosecondsPer(Clock::time_point start, Clock::time_point end, std::int64_t count)
{
    return std::chrono::duration<double, std::nano>(end - start).count() / static_cast<double>(count);
}

// Keeps the optimiser from discarding work whose result is otherwise unused.
volatile std::uint64_t g_sink = 0;

void benchMurmur2(std::int64_t iterations)
{
    // 1024 distinct 16-byte keys, cycled, so the loop is not hashing one cached constant.
    std::vector<std::string> keys;
    for (int i = 0; i < 1024; ++i) {
        char key[17];
        std::snprintf(key, sizeof key, "key-%012d", i * 7919);
        keys.emplace_back(key, 16);
    }
    std::uint64_t sum = 0;
    const auto start = Clock::now();
    for (std::int64_t i = 0; i < iterations; ++i) {
        const std::string& key = keys[static_cast<std::size_t>(i) & 1023];
        sum += static_cast<std::uint32_t>(client::partitionForKey(
            { reinterpret_cast<const std::uint8_t*>(key.data()), key.size() }, 12));
    }
    const auto end = Clock::now();
    g_sink = sum;
    std::printf("murmur2 + partitionForKey, 16-byte keys: %6.2f ns/key\n", nanosecondsPer(start, end, iterations));
}

void benchWorkload(const char* label, client::WorkloadSpec spec, std::int64_t records)
{
    client::Workload workload(spec, 1);
    client::GeneratedRecord record;
    std::uint64_t bytes = 0;
    const auto start = Clock::now();
    for (std::int64_t i = 0; i < records; ++i) {
        workload.next(i, 1'714'557'600'000 + i, record);
        bytes += record.value.size() + record.key.size();
    }
    const auto end = Clock::now();
    g_sink = bytes;
    const double ns = nanosecondsPer(start, end, records);
    std::printf("%-44s %8.2f ns/record  (%6.2f M records/s)\n", label, ns, 1e3 / ns);
}

void benchZipfConstruction()
{
    const auto start = Clock::now();
    const sim::ZipfDistribution zipf(10'000'000, 1.1);
    const auto end = Clock::now();
    g_sink = static_cast<std::uint64_t>(zipf.n());
    std::printf("ZipfDistribution(10,000,000): %.1f ms to build\n",
        std::chrono::duration<double, std::milli>(end - start).count());
}

} // namespace

int main(int argc, char** argv)
{
    const std::int64_t records = argc > 1 ? std::atoll(argv[1]) : 20'000'000;

    benchMurmur2(records);

    client::WorkloadSpec bytes;
    bytes.kind = client::WorkloadKind::FixedBytes;
    bytes.valueBytes = 100;
    bytes.keys = client::KeyDistribution::Null;
    benchWorkload("bytes, 100 B, null keys", bytes, records);
    bytes.keys = client::KeyDistribution::Uniform;
    bytes.keyCount = 1000;
    benchWorkload("bytes, 100 B, uniform keys over 1000", bytes, records);
    bytes.keys = client::KeyDistribution::Sequential;
    benchWorkload("bytes, 100 B, sequential keys", bytes, records);
    bytes.keys = client::KeyDistribution::Null;
    bytes.valueBytes = 1024;
    benchWorkload("bytes, 1 KiB, null keys", bytes, records);

    // JSON kinds are not on the 5M/s path, but should stay well under a microsecond.
    const std::int64_t jsonRecords = records / 10;
    for (const auto kind : { client::WorkloadKind::Orders, client::WorkloadKind::RideRequests,
             client::WorkloadKind::PageViews, client::WorkloadKind::LogLines, client::WorkloadKind::SensorMetrics }) {
        client::WorkloadSpec json;
        json.kind = kind;
        json.keys = client::KeyDistribution::Zipf;
        const std::string label = std::string(client::workloadKindName(kind)) + ", zipf keys, headers";
        benchWorkload(label.c_str(), json, jsonRecords);
    }

    benchZipfConstruction();
    return 0;
}
