#pragma once
// What the benchmarks measure with: percentiles of a sample, the calling thread's CPU time, and per-thread figures
// of this process from Linux's /proc to say who held the cores (the engine names its threads brokerlab-sim,
// brokerlab-store and brokerlab-wire): the CPU each has run and how often it slept and was woken or was preempted.
// Header-only: the benches are single files.

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace brokerlab::bench {

// The nearest-rank percentile (p in [0, 1]) of a sample; 0 for none.
inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

// CPU time the calling thread has run, in ms: beside a wall-clock time it tells work from waiting for a core.
inline double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

struct ThreadStats {
    int tid = 0;
    std::string name;
    // CPU seconds run so far: the scheduler's nanosecond count (schedstat) where there is one, otherwise stat's
    // user + system ticks (10 ms each, too coarse for the 0.01-0.1 s a benchmark round takes).
    double cpuSeconds = 0;
    long long wakes = 0; // voluntary context switches: went to sleep and was woken again
    long long preemptions = 0; // involuntary ones: taken off its core while it could have gone on
};

namespace detail {

inline long long statusField(const std::string& statusPath, const std::string& key)
{
    std::ifstream status(statusPath);
    for (std::string line; std::getline(status, line);)
        if (line.rfind(key, 0) == 0)
            return std::atoll(line.c_str() + key.size());
    return 0;
}

inline double cpuSecondsOf(const std::string& dir)
{
    std::ifstream schedstat(dir + "/schedstat");
    if (double runNs = 0; schedstat >> runNs)
        return runNs / 1e9;
    std::ifstream statFile(dir + "/stat");
    const std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14)
            utime = std::stod(field);
        if (i == 15)
            stime = std::stod(field);
    }
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

} // namespace detail

// Every thread of this process, now.
inline std::vector<ThreadStats> threadStats()
{
    std::vector<ThreadStats> threads;
    DIR* tasks = ::opendir("/proc/self/task");
    if (!tasks)
        return threads;
    while (dirent* entry = ::readdir(tasks)) {
        if (entry->d_name[0] == '.')
            continue;
        const std::string dir = std::string("/proc/self/task/") + entry->d_name;
        ThreadStats thread;
        thread.tid = std::atoi(entry->d_name);
        std::ifstream comm(dir + "/comm");
        std::getline(comm, thread.name);
        thread.cpuSeconds = detail::cpuSecondsOf(dir);
        thread.wakes = detail::statusField(dir + "/status", "voluntary_ctxt_switches:");
        thread.preemptions = detail::statusField(dir + "/status", "nonvoluntary_ctxt_switches:");
        threads.push_back(std::move(thread));
    }
    ::closedir(tasks);
    return threads;
}

// The sums over this process's threads called `name`.
inline ThreadStats threadStats(const std::string& name)
{
    ThreadStats sum;
    sum.name = name;
    for (const ThreadStats& thread : threadStats())
        if (thread.name == name) {
            sum.cpuSeconds += thread.cpuSeconds;
            sum.wakes += thread.wakes;
            sum.preemptions += thread.preemptions;
        }
    return sum;
}

// The calling thread's involuntary context switches so far.
inline long long preemptionsOfThisThread()
{
    return detail::statusField("/proc/thread-self/status", "nonvoluntary_ctxt_switches:");
}

} // namespace brokerlab::bench
