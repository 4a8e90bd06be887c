// Wall time of one partition assignment, the work a group leader (or the lab's coordinator) does in
// every rebalance. Shape: 100 members over 10 topics x 100 partitions. The target is 10 ms per
// rebalance, so that even a large lab group rebalances without a visible stall.
// Usage: bench_assignor [repetitions]   (default 30)

#include "group/assignor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

using namespace brokerlab::group;

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
    double median = 0; // wall
    double slowest = 0; // wall
    double cpuMedian = 0; // this thread's CPU time: what the work costs when the machine is shared
};

double threadCpuMilliseconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// Keeps the optimiser from discarding assignments whose result is otherwise unused.
volatile std::size_t g_sink = 0;

Figures time(AssignorKind kind, const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic, int repetitions)
{
    std::vector<double> milliseconds;
    std::vector<double> cpu;
    for (int i = 0; i < repetitions; ++i) {
        const double cpuStart = threadCpuMilliseconds();
        const auto start = Clock::now();
        const AssignResult result = assign(kind, members, partitionsPerTopic);
        const auto end = Clock::now();
        cpu.push_back(threadCpuMilliseconds() - cpuStart);
        g_sink = g_sink + result.assignment.size();
        milliseconds.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(milliseconds.begin(), milliseconds.end());
    std::sort(cpu.begin(), cpu.end());
    return { milliseconds[milliseconds.size() / 2], milliseconds.back(), cpu[cpu.size() / 2] };
}

// subscribed(m) lists member m's topics.
template <typename Subscribed>
void run(const char* title, int repetitions, Subscribed subscribed)
{
    std::map<std::string, std::int32_t> partitionsPerTopic;
    for (int t = 0; t < 10; ++t)
        partitionsPerTopic["topic-" + std::to_string(t)] = 100;
    std::vector<MemberSubscription> members;
    for (int m = 0; m < 100; ++m) {
        char id[64];
        std::snprintf(id, sizeof id, "consumer-%03d-4f1c2a9e-7b7d-4c1e-9a55-%012d", m, m * 7919);
        MemberSubscription member;
        member.memberId = id;
        member.topics = subscribed(m);
        members.push_back(std::move(member));
    }

    std::printf("\n%s\n", title);
    std::printf("%-20s %-34s %-34s\n", "", "first assignment (ms)", "rebalance, one member left (ms)");
    std::printf("%-20s %-34s %-34s\n", "assignor", "wall median / max   cpu median", "wall median / max   cpu median");
    for (const AssignorKind kind :
        { AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::Sticky, AssignorKind::CooperativeSticky }) {
        const Figures first = time(kind, members, partitionsPerTopic, repetitions);

        // The previous generation's result becomes everyone's ownedPartitions; one member leaves.
        std::vector<MemberSubscription> next = members;
        const Assignment previous = assign(kind, members, partitionsPerTopic).assignment;
        for (MemberSubscription& member : next) {
            member.ownedPartitions = previous.at(member.memberId);
            member.generation = 1;
        }
        next.erase(next.begin() + 37);
        const Figures rebalance = time(kind, next, partitionsPerTopic, repetitions);
        std::printf("%-20.*s %7.3f / %7.3f   %7.3f         %7.3f / %7.3f   %7.3f\n",
            static_cast<int>(assignorName(kind).size()), assignorName(kind).data(), first.median, first.slowest,
            first.cpuMedian, rebalance.median, rebalance.slowest, rebalance.cpuMedian);
    }
}

} // namespace

int main(int argc, char** argv)
{
    const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 30;
    std::printf("100 members, 10 topics x 100 partitions, %d repetitions each\n", repetitions);
    run("all members subscribe to all 10 topics", repetitions, [](int) {
        std::vector<std::string> topics;
        for (int t = 0; t < 10; ++t)
            topics.push_back("topic-" + std::to_string(t));
        return topics;
    });
    // Differing subscriptions send the sticky assignors down Kafka's general algorithm.
    std::mt19937 rng(7);
    run("each member subscribes to a random half of the topics (sticky: general algorithm)", repetitions,
        [&rng](int) {
            std::vector<std::string> topics;
            for (int t = 0; t < 10; ++t) {
                if (rng() % 2 == 0)
                    topics.push_back("topic-" + std::to_string(t));
            }
            if (topics.empty())
                topics.push_back("topic-0");
            return topics;
        });
    return 0;
}
