// Cost of the history checker, which brokerlab-cli runs after every run: recording a history (on the sim
// thread, so it adds to every record's cost) and check() itself, for 1M and 5M records.
// Usage: bench_check [records...]   (default 1000000 5000000)
// check() also reports CPU time: on a loaded machine the wall clock says more about the neighbours.

#include "check/history.h"
#include "check/recordhash.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace brokerlab;

namespace {

using Clock = std::chrono::steady_clock;

double secondsBetween(Clock::time_point start, Clock::time_point end)
{
    return std::chrono::duration<double>(end - start).count();
}

long peakRssMegabytes()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

volatile std::uint64_t g_sink = 0;

void benchRecordHash(std::size_t valueBytes, std::int64_t count) // valueBytes: a power of two
{
    std::string value(valueBytes, 'x');
    std::uint64_t sum = 0;
    const auto start = Clock::now();
    for (std::int64_t i = 0; i < count; ++i) {
        value[static_cast<std::size_t>(i) & (valueBytes - 1)] = static_cast<char>(i); // a new record each time
        sum += check::recordHash("user-0042", value);
    }
    const auto end = Clock::now();
    g_sink = sum;
    std::printf("recordHash, %5zu-byte value: %7.1f ns/record\n", valueBytes,
        secondsBetween(start, end) * 1e9 / static_cast<double>(count));
}

// A healthy run: 12 partitions, 3 replicas, 3 producers, 1000 keys, one consumer per 4 partitions that
// reads everything. Hashes are computed before timing: in the engine they come with the record.
void benchCheck(std::int64_t records)
{
    constexpr int kPartitions = 12;
    struct Sent {
        std::uint64_t hash;
        std::uint64_t key;
        std::int32_t partition;
        std::int32_t producer;
        std::int64_t sendOrder;
    };
    std::vector<Sent> sends;
    sends.reserve(static_cast<std::size_t>(records));
    std::uint64_t state = 0x2545f4914f6cdd1dULL;
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    std::int64_t sendOrders[3] = {};
    std::vector<std::string> keys;
    for (int k = 0; k < 1000; ++k)
        keys.push_back("user-" + std::to_string(k));
    for (std::int64_t i = 0; i < records; ++i) {
        const auto producer = static_cast<std::int32_t>(next() % 3);
        const auto key = next() % keys.size();
        const std::string value = R"({"id":"e-)" + std::to_string(i) + R"(","type":"click"})";
        sends.push_back({ check::recordHash(keys[key], value), key, static_cast<std::int32_t>(next() % kPartitions),
            producer, sendOrders[producer]++ });
    }

    std::vector<check::TopicPartition> partitions;
    for (int p = 0; p < kPartitions; ++p)
        partitions.push_back({ "events", p });
    std::vector<std::vector<std::pair<std::int64_t, std::uint64_t>>> logs(kPartitions);
    std::vector<std::int64_t> offsets;
    offsets.reserve(sends.size());
    for (const Sent& sent : sends) {
        auto& log = logs[static_cast<std::size_t>(sent.partition)];
        offsets.push_back(static_cast<std::int64_t>(log.size()));
        log.emplace_back(offsets.back(), sent.hash);
    }
    const char* producers[] = { "producer-0", "producer-1", "producer-2" };

    check::History history;
    history.reserve(static_cast<std::size_t>(records), static_cast<std::size_t>(records));
    const auto ackStart = Clock::now();
    for (std::size_t i = 0; i < sends.size(); ++i) {
        const Sent& sent = sends[i];
        history.sendAcked(partitions[static_cast<std::size_t>(sent.partition)], offsets[i], sent.hash,
            producers[sent.producer], keys[sent.key], sent.sendOrder);
    }
    const auto readStart = Clock::now();
    for (int p = 0; p < kPartitions; ++p) {
        const std::string consumer = "consumer-" + std::to_string(p / 4);
        for (const auto& [offset, hash] : logs[static_cast<std::size_t>(p)])
            history.consumed(partitions[static_cast<std::size_t>(p)], offset, hash, consumer, std::nullopt);
    }
    const auto logStart = Clock::now();
    for (int p = 0; p < kPartitions; ++p) {
        const auto& log = logs[static_cast<std::size_t>(p)];
        const auto highWatermark = static_cast<std::int64_t>(log.size());
        for (int broker = 1; broker <= 3; ++broker)
            history.finalLog(partitions[static_cast<std::size_t>(p)], broker, broker == 1, log, highWatermark, 0);
    }
    const auto logEnd = Clock::now();
    logs = {};
    sends = {};
    offsets = {};

    const auto checkStart = Clock::now();
    const std::clock_t checkCpuStart = std::clock();
    const check::CheckResult result = check::check(history);
    const std::clock_t checkCpuEnd = std::clock();
    const auto checkEnd = Clock::now();
    if (!result.ok() || result.acked != records || result.consumed != records) {
        std::fprintf(stderr, "unexpected verdict:\n%s", check::describe(result).c_str());
        std::exit(1);
    }
    const double count = static_cast<double>(records);
    std::printf("%9lld records: sendAcked %5.1f ns, consumed %5.1f ns, finalLog x3 %5.1f ns, check %5.1f ns per record "
                "(check %.3f s wall, %.3f s CPU); history %zu MB (%.1f B/record), peak RSS %ld MB\n",
        static_cast<long long>(records), secondsBetween(ackStart, readStart) * 1e9 / count,
        secondsBetween(readStart, logStart) * 1e9 / count, secondsBetween(logStart, logEnd) * 1e9 / count,
        secondsBetween(checkStart, checkEnd) * 1e9 / count, secondsBetween(checkStart, checkEnd),
        static_cast<double>(checkCpuEnd - checkCpuStart) / CLOCKS_PER_SEC, history.memoryBytes() >> 20,
        static_cast<double>(history.memoryBytes()) / count, peakRssMegabytes());
}

} // namespace

int main(int argc, char** argv)
{
    benchRecordHash(16, 20'000'000);
    benchRecordHash(128, 10'000'000);
    benchRecordHash(1024, 2'000'000);
    std::vector<std::int64_t> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::atoll(argv[i]));
    if (sizes.empty())
        sizes = { 1'000'000, 5'000'000 };
    for (std::int64_t records : sizes)
        benchCheck(records);
    return 0;
}
