// Wire protocol throughput for BENCHMARKS.md: one librdkafka producer (100-byte records, acks=all)
// against Brokerlab's 3 brokers (in process: a Driver paced in real time behind a WireServer) and
// against librdkafka's own mock cluster (rdkafka_mock.h) with 3 brokers, in the same run with the
// same client settings, in alternating rounds. Each round's client first delivers one record to every
// partition, untimed (so it has connected and knows the leaders before the clock starts). Prints
// records/s, p50/p99 produce latency (enqueue to delivery report) of every round, the CPU each other
// thread of the process ran meanwhile, how long the producing thread ran and how long it did not (off its
// core), and the median ratio; then checks that consuming back from the beginning yields every record with
// no offset gap.
//
// usage: bench_wire [RECORDS [ROUNDS]]     (default 500000 records, 5 rounds)
//        BENCH_WIRE_MOCK_LEADERS=random keeps the mock cluster's own choice of partition leaders

#include "../common/servedcluster.h"
#include "measure.h"
#include "scenario/scenario.h"
#include "wire/wireserver.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace brokerlab;
using bench::percentile;
using bench::preemptionsOfThisThread;
using bench::threadCpuMs;
using bench::threadStats;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPartitions = 3;
const char* const kTopic = "bench";

struct Run {
    std::vector<Clock::time_point> sent;
    std::vector<double> latencyMs;
    long long failed = 0;
};

void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque)
{
    auto* run = static_cast<Run*>(opaque);
    const auto index = reinterpret_cast<std::uintptr_t>(message->_private);
    if (message->err)
        ++run->failed;
    else
        run->latencyMs.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - run->sent[index]).count());
}

void set(rd_kafka_conf_t* conf, const char* name, const char* value)
{
    char error[256];
    if (rd_kafka_conf_set(conf, name, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
        std::fprintf(stderr, "%s: %s\n", name, error);
        std::exit(2);
    }
}

struct Figures {
    double rate = 0; // records delivered per second, first produce() to the last delivery report
    double p50Ms = 0;
    double p99Ms = 0;
    double enqueueSeconds = 0; // until the last record was handed to the client
    double producerCpuSeconds = 0; // of enqueueSeconds, the time the producing thread ran
    double offCoreMs = 0; // the rest of enqueueSeconds: the producing thread did not run (lost its core, or slept)
    double seconds = 0;
    long long preempted = 0; // the producing thread, see preemptionsOfThisThread
    // Every other thread of the process that ran meanwhile, its CPU, wakes and preemptions in that time.
    std::vector<bench::ThreadStats> others;

    // A thread of `others` by name, zero when it did not run.
    bench::ThreadStats other(const std::string& name) const
    {
        for (const bench::ThreadStats& thread : others)
            if (thread.name == name)
                return thread;
        return {};
    }
};

// Produces `records` records; prints and returns the figures.
Figures produce(const std::string& bootstrap, long long records, const std::string& label)
{
    Run run;
    run.sent.resize(static_cast<std::size_t>(records));
    run.latencyMs.reserve(static_cast<std::size_t>(records));
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap.c_str());
    set(conf, "acks", "all");
    set(conf, "linger.ms", "5");
    set(conf, "enable.idempotence", "false");
    set(conf, "queue.buffering.max.messages", "1000000");
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    rd_kafka_conf_set_opaque(conf, &run);
    char error[256];
    rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    std::vector<char> value(100, 'x');
    // Untimed: one record to each partition, delivered, so that the client has connected and knows
    // the leaders before the clock starts.
    for (int p = 0; p < kPartitions; ++p)
        rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(kTopic), RD_KAFKA_V_PARTITION(p),
            RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_OPAQUE(nullptr), RD_KAFKA_V_END);
    rd_kafka_flush(producer, 30000);
    run.latencyMs.clear();
    const long long preemptedBefore = preemptionsOfThisThread();
    const std::vector<bench::ThreadStats> threadsBefore = threadStats();
    const double cpuBeforeMs = threadCpuMs();
    const auto start = Clock::now();
    for (long long i = 0; i < records; ++i) {
        run.sent[static_cast<std::size_t>(i)] = Clock::now();
        while (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(kTopic), RD_KAFKA_V_VALUE(value.data(), value.size()),
                   RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::uintptr_t>(i))), RD_KAFKA_V_END)
            == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(producer, 1);
        if ((i & 1023) == 0)
            rd_kafka_poll(producer, 0);
    }
    Figures figures;
    figures.enqueueSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    figures.producerCpuSeconds = (threadCpuMs() - cpuBeforeMs) / 1e3;
    figures.offCoreMs = std::max(0.0, (figures.enqueueSeconds - figures.producerCpuSeconds) * 1e3);
    rd_kafka_flush(producer, 300000);
    figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    figures.preempted = preemptionsOfThisThread() - preemptedBefore;
    // Who else ran meanwhile: the client's own threads (rdk:*), the server's, anything of this process.
    std::string others;
    for (bench::ThreadStats thread : threadStats()) {
        if (thread.tid == ::gettid())
            continue;
        for (const auto& before : threadsBefore) {
            if (before.tid == thread.tid) {
                thread.cpuSeconds -= before.cpuSeconds;
                thread.wakes -= before.wakes;
                thread.preemptions -= before.preemptions;
            }
        }
        figures.others.push_back(thread);
        if (thread.cpuSeconds >= 0.002) {
            char text[96];
            std::snprintf(text, sizeof text, "%s%s %.3f s/%lld", others.empty() ? "" : ", ", thread.name.c_str(),
                thread.cpuSeconds, thread.preemptions);
            others += text;
        }
    }
    rd_kafka_destroy(producer);
    figures.rate = static_cast<double>(run.latencyMs.size()) / figures.seconds;
    figures.p50Ms = percentile(run.latencyMs, 0.5);
    figures.p99Ms = percentile(run.latencyMs, 0.99);
    std::printf("%-22s %10lld records in %6.3f s = %10.0f records/s   p50 %7.2f ms   p99 %7.2f ms   failed %lld"
                "   (all enqueued after %.3f s; the producing thread lost its core %lld times, %.1f ms in all)\n",
        label.c_str(), static_cast<long long>(run.latencyMs.size()), figures.seconds, figures.rate, figures.p50Ms,
        figures.p99Ms, run.failed, figures.enqueueSeconds, figures.preempted, figures.offCoreMs);
    std::printf("%-22s other threads' CPU / times preempted: %s\n", "", others.c_str());
    return figures;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n == 0 ? 0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Reads every partition from the beginning; true when the offsets are 0..n-1 with no gap and the
// total is `records`.
bool consumeBack(const std::string& bootstrap, long long records, const char* label)
{
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap.c_str());
    set(conf, "group.id", "bench-unused"); // assign() only: no group request is sent
    set(conf, "enable.auto.commit", "false");
    set(conf, "enable.partition.eof", "true");
    char error[256];
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(kPartitions);
    for (int p = 0; p < kPartitions; ++p)
        rd_kafka_topic_partition_list_add(partitions, kTopic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(consumer, partitions);
    rd_kafka_topic_partition_list_destroy(partitions);
    std::map<int, long long> next, firstOffset;
    int atEnd = 0;
    long long read = 0;
    bool gapFree = true;
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    while (atEnd < kPartitions && Clock::now() < deadline) {
        rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 100);
        if (!message)
            continue;
        if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            // EOF counts once the partition's end is reached after reading something (or it is empty).
            ++atEnd;
        } else if (!message->err) {
            // The first offset read is the log start offset: 0 for Brokerlab; the mock cluster
            // prunes old batches of a partition past its own size limit, so its log may start later.
            auto it = next.find(message->partition);
            if (it == next.end())
                firstOffset[message->partition] = message->offset;
            else if (message->offset != it->second)
                gapFree = false;
            next[message->partition] = message->offset + 1;
            ++read;
        }
        rd_kafka_message_destroy(message);
    }
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    long long pruned = 0;
    for (const auto& [partition, offset] : firstOffset)
        pruned += offset;
    const bool ok = gapFree && read + pruned == records;
    std::printf("%-22s consumed back %lld of %lld records (log start offsets add up to %lld), offsets %s\n", label,
        read, records, pruned, gapFree ? "contiguous (no gaps)" : "WITH GAPS");
    return ok;
}

// The leader of each partition as the cluster's metadata gives it to a client: partition -> broker id.
std::map<int, int> leaders(const std::string& bootstrap)
{
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap.c_str());
    char error[256];
    rd_kafka_t* client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    rd_kafka_topic_t* topic = rd_kafka_topic_new(client, kTopic, nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    std::map<int, int> leaderOf;
    if (rd_kafka_metadata(client, 0, topic, &metadata, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int t = 0; t < metadata->topic_cnt; ++t)
            for (int p = 0; p < metadata->topics[t].partition_cnt; ++p)
                leaderOf[metadata->topics[t].partitions[p].id] = metadata->topics[t].partitions[p].leader;
        rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_topic_destroy(topic);
    rd_kafka_destroy(client);
    return leaderOf;
}

std::string describe(const std::map<int, int>& leaderOf)
{
    std::string text;
    for (const auto& [partition, leader] : leaderOf)
        text += (text.empty() ? "p" : ", p") + std::to_string(partition) + " -> broker " + std::to_string(leader);
    return text.empty() ? "unknown" : text;
}

} // namespace

int main(int argc, char** argv)
{
    const long long records = argc > 1 ? std::atoll(argv[1]) : 500000;
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;

    // Brokerlab: 3 brokers, one topic of 3 partitions with RF 3, min.insync.replicas 2.
    scenario::Scenario s;
    s.name = "wire-bench";
    s.brokers = 3;
    s.durationMs = 24LL * 3600 * 1000;
    s.brokerConfig.topicDefaults.minInsyncReplicas = 2;
    scenario::TopicSpec topic;
    topic.name = kTopic;
    topic.partitions = kPartitions;
    topic.replicationFactor = 3;
    topic.config.minInsyncReplicas = 2;
    s.topics.push_back(topic);
    test::ServedCluster served(s);
    wire::WireServer& server = served.server();
    std::string error;
    if (!served.start(error)) {
        std::fprintf(stderr, "bench_wire: %s\n", error.c_str());
        return 1;
    }

    // librdkafka's mock cluster, hosted by a producer handle of its own.
    rd_kafka_conf_t* hostConf = rd_kafka_conf_new();
    char text[256];
    rd_kafka_t* host = rd_kafka_new(RD_KAFKA_PRODUCER, hostConf, text, sizeof text);
    rd_kafka_mock_cluster_t* mock = rd_kafka_mock_cluster_new(host, 3);
    rd_kafka_mock_topic_create(mock, kTopic, kPartitions, 3);
    const std::string mockBootstrap = rd_kafka_mock_cluster_bootstraps(mock);
    // The same layout on both clusters: the mock picks each partition's leader at random, often two
    // of the three on one broker, and then the client talks to two brokers instead of three (one
    // broker thread fewer, larger requests). Each partition gets the leader it has in Brokerlab
    // (one per broker). BENCH_WIRE_MOCK_LEADERS=random keeps the mock's own choice.
    const std::map<int, int> brokerlabLeaders = leaders(server.bootstrap());
    const char* mockLeaders = std::getenv("BENCH_WIRE_MOCK_LEADERS");
    if (!mockLeaders || std::string(mockLeaders) != "random")
        for (const auto& [partition, leader] : brokerlabLeaders)
            rd_kafka_mock_partition_set_leader(mock, kTopic, partition, leader);
    std::printf("leaders: brokerlab %s; mock %s\n", describe(brokerlabLeaders).c_str(),
        describe(leaders(mockBootstrap)).c_str());

    std::printf("librdkafka %s, %lld records of 100 bytes, acks=all, linger.ms=5, 3 brokers, %d partitions RF 3, "
                "%d rounds\n",
        rd_kafka_version_str(), records, kPartitions, rounds);
    // An untimed warm-up run first: the client's first run pays for growing its heap (page faults
    // for a million queued messages, about a third of a second here), so whichever cluster went
    // first was measured slower. After it every timed run starts from the same warm client.
    produce(mockBootstrap, records, "warm-up (untimed)");

    // Rounds alternate between the clusters (Brokerlab, mock, Brokerlab, mock, ...), so that a
    // change in the machine's load hits both about equally, and each round's ratio compares two
    // runs taken next to each other. One run each is 0.3-0.5 s and moves by 10 % from run to run.
    struct Round {
        Figures brokerlab, mock;
        double simSeconds = 0, wireSeconds = 0, pagesSeconds = 0;
        long long simWakes = 0, wireWakes = 0;
    };
    std::vector<Round> results;
    for (int r = 1; r <= rounds; ++r) {
        Round round;
        const auto requestsBefore = server.counters().requests;
        round.brokerlab = produce(server.bootstrap(), records, "brokerlab, round " + std::to_string(r));
        const bench::ThreadStats sim = round.brokerlab.other("brokerlab-sim");
        const bench::ThreadStats wire = round.brokerlab.other("brokerlab-wire");
        round.simSeconds = sim.cpuSeconds;
        round.simWakes = sim.wakes;
        round.wireSeconds = wire.cpuSeconds;
        round.wireWakes = wire.wakes;
        round.pagesSeconds = round.brokerlab.other("brokerlab-pages").cpuSeconds;
        std::printf("%-22s server CPU while producing: sim thread %.3f s, wire thread %.3f s, block reserve %.3f s "
                    "(idle priority); sim thread woken %lld times, wire thread %lld; %lld requests\n",
            "", round.simSeconds, round.wireSeconds, round.pagesSeconds, round.simWakes, round.wireWakes,
            static_cast<long long>(server.counters().requests - requestsBefore));
        round.mock = produce(mockBootstrap, records, "librdkafka mock, round " + std::to_string(r));
        results.push_back(round);
    }

    // "off core": how long the producing thread did not run while it enqueued (it had lost its core, or it
    // slept: on a lock the client's threads held, or in rd_kafka_poll with the queue full); "tail": from the
    // last record enqueued to the last delivery report (the answer to the last requests).
    std::printf("\nround  brokerlab rec/s  p50 / p99 ms     off core / tail ms  server CPU (sim + wire + reserve)  "
                "sim wakes  mock rec/s  p50 / p99 ms     off core / tail ms  ratio\n");
    std::vector<double> ratios, brokerlabRates, mockRates, cpu[2], offCore[2], tail[2];
    for (std::size_t i = 0; i < results.size(); ++i) {
        const Round& round = results[i];
        const double ratio = round.brokerlab.rate / round.mock.rate;
        ratios.push_back(ratio);
        brokerlabRates.push_back(round.brokerlab.rate);
        mockRates.push_back(round.mock.rate);
        for (int c = 0; c < 2; ++c) {
            const Figures& f = c == 0 ? round.brokerlab : round.mock;
            cpu[c].push_back(f.producerCpuSeconds);
            offCore[c].push_back(f.offCoreMs);
            tail[c].push_back((f.seconds - f.enqueueSeconds) * 1e3);
        }
        std::printf("%5zu  %15.0f  %5.1f / %5.1f    %8.1f / %4.1f     %.3f + %.3f + %.3f s          %9lld  %10.0f  "
                    "%5.1f / %5.1f    %8.1f / %4.1f     %.2fx\n",
            i + 1, round.brokerlab.rate, round.brokerlab.p50Ms, round.brokerlab.p99Ms, offCore[0].back(), tail[0].back(),
            round.simSeconds, round.wireSeconds, round.pagesSeconds, round.simWakes, round.mock.rate, round.mock.p50Ms,
            round.mock.p99Ms, offCore[1].back(), tail[1].back(), ratio);
    }
    std::printf("median: brokerlab %.0f records/s, mock %.0f records/s; ratios %.2fx - %.2fx, median %.2fx\n",
        median(brokerlabRates), median(mockRates), *std::min_element(ratios.begin(), ratios.end()),
        *std::max_element(ratios.begin(), ratios.end()), median(ratios));
    // Both figures are the client's speed: its producing thread does the same work against either cluster, and
    // a cluster can only slow it down (take its core, answer the last requests later).
    std::printf("producing thread, medians: brokerlab ran %.3f s, off core %.1f ms, tail %.1f ms; mock ran %.3f s, "
                "off core %.1f ms, tail %.1f ms\n",
        median(cpu[0]), median(offCore[0]), median(tail[0]), median(cpu[1]), median(offCore[1]), median(tail[1]));

    const long long produced = (records + kPartitions) * rounds; // each run's records and its first kPartitions
    const bool brokerlabOk = consumeBack(server.bootstrap(), produced, "brokerlab");
    // Consuming from the mock is informative only (see the pruning note in consumeBack).
    const bool mockOk = consumeBack(mockBootstrap, produced + records + kPartitions, "librdkafka mock"); // + the warm-up
    std::printf("brokerlab / mock throughput, median of %d rounds: %.2fx (target >= 1.0x)\n", rounds, median(ratios));

    rd_kafka_mock_cluster_destroy(mock);
    rd_kafka_destroy(host);
    (void)mockOk;
    return brokerlabOk ? 0 : 1;
}
