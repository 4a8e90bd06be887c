// The engine benchmark of BENCHMARKS.md: as fast as possible, 100-byte values, 1 producer,
// 3 brokers, 12 partitions, RF=1. Prints records/s, MB/s, simulated seconds per wall second,
// peak resident memory and memory per stored record.
//
// usage: bench_engine [RECORDS] [--acks 0|1|-1] [--linger MS] [--rf 1|2|3]

#include "driver/engine.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace {

std::int64_t statusKiB(const char* field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::size_t length = std::strlen(field);
    while (std::getline(status, line)) {
        if (line.compare(0, length, field) == 0)
            return std::atoll(line.c_str() + length + 1);
    }
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace brokerlab;
    std::int64_t records = 5'000'000;
    std::int16_t acks = 1;
    std::int64_t lingerMs = 5;
    std::int16_t replicationFactor = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--acks") == 0 && i + 1 < argc)
            acks = static_cast<std::int16_t>(std::atoi(argv[++i]));
        else if (std::strcmp(argv[i], "--linger") == 0 && i + 1 < argc)
            lingerMs = std::atoll(argv[++i]);
        else if (std::strcmp(argv[i], "--rf") == 0 && i + 1 < argc)
            replicationFactor = static_cast<std::int16_t>(std::atoi(argv[++i]));
        else
            records = std::atoll(argv[i]);
    }

    scenario::Scenario scenario;
    scenario.name = "bench";
    scenario.brokers = 3;
    scenario.brokerConfig.offsetsTopicReplicationFactor = 3;
    scenario.durationMs = 3'600'000;
    scenario::TopicSpec topic;
    topic.name = "bench";
    topic.partitions = 12;
    topic.replicationFactor = replicationFactor;
    topic.config.minInsyncReplicas = replicationFactor > 1 ? 2 : 1;
    scenario.topics.push_back(topic);
    scenario::ProducerSpec producer;
    producer.id = "bench-producer";
    producer.topic = "bench";
    producer.ratePerSec = 0; // as fast as buffer.memory allows
    producer.maxRecords = records;
    producer.workload.kind = client::WorkloadKind::FixedBytes;
    producer.workload.keys = client::KeyDistribution::Null;
    producer.workload.valueBytes = 100;
    producer.workload.headers = false;
    producer.config.acks = acks;
    producer.config.enableIdempotence = false;
    producer.config.lingerMs = lingerMs;
    scenario.producers.push_back(producer);

    const std::int64_t rssBeforeKiB = statusKiB("VmRSS:");
    const auto start = std::chrono::steady_clock::now();
    driver::Engine engine(scenario, 42);
    engine.start();
    const auto& counters = engine.producers().front()->counters();
    while (counters.acked + counters.failed < records && engine.step()) { }
    const double wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const driver::Snapshot snapshot = engine.snapshot();
    std::int64_t storedBytes = 0, storedRecords = 0;
    for (const auto& topicSnapshot : snapshot.topics) {
        for (const auto& partition : topicSnapshot.partitions) {
            for (const auto& replica : partition.replicas) {
                storedBytes += replica.sizeInBytes;
                storedRecords += replica.records;
            }
        }
    }
    const std::int64_t peakKiB = statusKiB("VmHWM:");
    const std::int64_t rssKiB = statusKiB("VmRSS:");
    const double virtualSeconds = static_cast<double>(snapshot.virtualUs) / 1e6;
    const double mb = static_cast<double>(counters.bytesSent) / 1e6;
    std::printf("setup                    RF %d, acks %d, linger.ms %lld\n", replicationFactor, acks,
        static_cast<long long>(lingerMs));
    std::printf("records acked            %lld (failed %lld)\n", static_cast<long long>(counters.acked),
        static_cast<long long>(counters.failed));
    std::printf("wall time                %.3f s\n", wallSeconds);
    std::printf("throughput               %.0f records/s\n", static_cast<double>(counters.acked) / wallSeconds);
    std::printf("throughput               %.1f MB/s of RecordBatch bytes\n", mb / wallSeconds);
    std::printf("simulated time           %.3f s (%.2f simulated s per wall s)\n", virtualSeconds,
        virtualSeconds / wallSeconds);
    std::printf("records per batch        %.1f\n",
        counters.batches ? static_cast<double>(counters.acked) / static_cast<double>(counters.batches) : 0.0);
    std::printf("stored                   %lld records, %lld RecordBatch bytes\n", static_cast<long long>(storedRecords),
        static_cast<long long>(storedBytes));
    std::printf("resident memory          %.1f MiB now, %.1f MiB peak, %.1f MiB before the run\n", rssKiB / 1024.0,
        peakKiB / 1024.0, rssBeforeKiB / 1024.0);
    std::printf("resident / stored bytes  %.3f (peak %.3f)\n", rssKiB * 1024.0 / static_cast<double>(storedBytes),
        peakKiB * 1024.0 / static_cast<double>(storedBytes));
    std::printf("memory per stored record %.1f bytes resident (%.1f bytes of RecordBatch)\n",
        rssKiB * 1024.0 / static_cast<double>(storedRecords),
        static_cast<double>(storedBytes) / static_cast<double>(storedRecords));
    return counters.acked == records ? 0 : 1;
}
