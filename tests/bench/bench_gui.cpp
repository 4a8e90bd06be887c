// GUI figures for BENCHMARKS.md (issue 5): the real main window, offscreen raster, while the engine streams on
// its worker thread in real time (x1 pacing).
//  - frame time: one GUI frame = pulling the newest snapshot and events into every view and model
//    (SimulationSession::pollNow) plus a synchronous repaint of the whole window; p50, p99 and max;
//  - the longest GUI-thread stall: the largest gap between two runs of a 1 ms probe timer, minus 1 ms;
//  - input latency: a posted event every 50 ms (as a key press would be), time until it is delivered;
//  - frames per second the GUI thread could sustain (1000 / mean frame time) and the frames it did deliver;
//  - beside each wall-clock time, the CPU time the GUI thread spent in it: on a shared machine the difference is
//    the time other threads (our engine and store, other processes) held the cores;
//  - the kinds of event besides the frames that took the GUI thread over 1 ms of CPU (receiver and event type),
//    the costliest first: timers, store replies and the window's own update requests, which stall it too.
//
// usage: bench_gui [PARTITIONS [RECORDS_PER_SEC [WALL_SECONDS [fast]]]]   (defaults: 1000 200000 10)
// "fast" runs the engine as fast as possible instead of x1 real time.

#include "benchguiscenario.h"
#include "mainwindow.h"
#include "measure.h"
#include "scenario/scenario.h"
#include "scenariofiles.h"
#include "simulationsession.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMetaEnum>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <vector>


using namespace brokerlab;
using bench::percentile;
using bench::threadCpuMs;

namespace {

std::int64_t appended(const driver::Snapshot& snapshot)
{
    std::int64_t total = 0;
    for (const auto& topic : snapshot.topics)
        if (!topic.internal)
            for (const auto& partition : topic.partitions)
                total += partition.logEndOffset;
    return total;
}

// Times every event the GUI thread's loop delivers (outermost only) and keeps the costliest in GUI-thread CPU, the
// bench's own frames aside: what a stall without preemption is made of (a timer, a store reply, a layout).
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override
    {
        if (depth_ > 0 || receiver == ignored) { // inside another event, or a frame (its repaint is an event too)
            ++depth_;
            const bool result = QApplication::notify(receiver, event);
            --depth_;
            return result;
        }
        ++depth_;
        const double start = threadCpuMs();
        const int type = event->type();
        const char* className = receiver->metaObject()->className();
        const QPointer<QObject> alive(receiver);
        const bool result = QApplication::notify(receiver, event);
        const double ms = threadCpuMs() - start;
        --depth_;
        if (measuring && ms > 1.0) {
            const char* typeName = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
            QByteArray where; // the owners, for receivers such as a view's QHeaderView that say little themselves
            for (const QObject* owner = alive ? alive->parent() : nullptr; owner && where.size() < 120;
                 owner = owner->parent())
                where += QByteArray(" in ") + owner->metaObject()->className()
                    + (owner->objectName().isEmpty() ? QByteArray() : " " + owner->objectName().toLatin1());
            const QByteArray what = QByteArray(className) + " "
                + (alive ? alive->objectName().toLatin1() : QByteArray("(deleted)")) + where + ": "
                + (typeName ? QByteArray(typeName) : QByteArray::number(type));
            Cost& cost = slowest[what];
            cost.worstMs = std::max(cost.worstMs, ms);
            cost.totalMs += ms;
            ++cost.count;
        }
        return result;
    }
    const QObject* ignored = nullptr; // the frames' timer: each frame is measured on its own
    bool measuring = false; // after start-up
    struct Cost {
        double worstMs = 0;
        double totalMs = 0;
        int count = 0;
    };
    std::map<QByteArray, Cost> slowest; // by receiver and event type, those that took over 1 ms of GUI-thread CPU

private:
    int depth_ = 0;
};

class Probe : public QObject {
public:
    QElapsedTimer clock;
    std::vector<double> inputMs;
    bool event(QEvent* e) override
    {
        if (e->type() != QEvent::User)
            return QObject::event(e);
        inputMs.push_back(static_cast<double>(clock.nsecsElapsed() - postedNs) / 1e6);
        return true;
    }
    qint64 postedNs = 0;
};

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    const int partitions = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int rate = argc > 2 ? std::atoi(argv[2]) : 200000;
    const double seconds = argc > 3 ? std::atof(argv[3]) : 10;

    auto parsed = scenario::parseScenario(bench::guiScenarioJson(partitions, rate), "bench-gui.json");
    if (auto* error = std::get_if<scenario::ScenarioError>(&parsed)) {
        std::fprintf(stderr, "bench_gui: %s\n", error->toString().c_str());
        return 2;
    }
    ui::MainWindow window(false);
    window.resize(1440, 900);
    window.openScenario(std::get<scenario::Scenario>(std::move(parsed)), 1, QStringLiteral("bench-gui.json"), false);
    // The bench drives the frames itself; the session's own 30 Hz timer would add unmeasured ones.
    window.session()->setPollInterval(1000000);
    window.show();
    if (argc > 4 && std::string(argv[4]) == "fast")
        window.session()->setAsFastAsPossible(true);

    std::vector<double> frameMs, frameCpuMs, frameAtS; // frameAtS: when each ended, wall seconds from the start
    std::vector<double> pollMs, pollCpuMs; // the models' and views' share of each frame (the rest is painting)
    // BENCH_GUI_PARTS=1: each area repainted alone, before the whole window (wall clock, GUI-thread CPU).
    std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> partMs;
    double longestStallMs = 0;
    double longestStallCpuMs = 0; // what the GUI thread itself ran during that stall
    double longestBusyMs = 0; // the most GUI-thread CPU between two probes: a stall without preemption
    double lastProbeCpuMs = 0;
    QElapsedTimer wall;
    wall.start();
    qint64 lastProbeNs = -1;
    Probe probe;
    probe.clock.start();

    QTimer frames;
    frames.setTimerType(Qt::PreciseTimer);
    frames.setInterval(16); // 60 fps
    QObject::connect(&frames, &QTimer::timeout, &window, [&] {
        QElapsedTimer frame;
        frame.start();
        const double cpuStart = threadCpuMs();
        window.session()->pollNow();
        const qint64 polled = frame.nsecsElapsed();
        pollCpuMs.push_back(threadCpuMs() - cpuStart);
        if (qEnvironmentVariableIsSet("BENCH_GUI_PARTS")) {
            for (const char* name : { "clusterView", "chartsDock", "timelineDock", "detailsDock" }) {
                QElapsedTimer part;
                part.start();
                const double partCpu = threadCpuMs();
                if (auto* widget = window.findChild<QWidget*>(QLatin1String(name)))
                    widget->repaint();
                partMs[name].first.push_back(static_cast<double>(part.nsecsElapsed()) / 1e6);
                partMs[name].second.push_back(threadCpuMs() - partCpu);
            }
        }
        window.repaint();
        frameMs.push_back(static_cast<double>(frame.nsecsElapsed()) / 1e6);
        frameCpuMs.push_back(threadCpuMs() - cpuStart);
        frameAtS.push_back(static_cast<double>(wall.nsecsElapsed()) / 1e9);
        pollMs.push_back(static_cast<double>(polled) / 1e6);
    });
    std::vector<bench::ThreadStats> threadsAtStart; // when measuring starts
    QTimer stallProbe;
    stallProbe.setTimerType(Qt::PreciseTimer);
    stallProbe.setInterval(1);
    QObject::connect(&stallProbe, &QTimer::timeout, &window, [&] {
        const qint64 now = wall.nsecsElapsed();
        const double cpu = threadCpuMs();
        if (lastProbeNs >= 0 && now > 1000000000) { // after the first second: start-up is not a stall
            const double stallMs = static_cast<double>(now - lastProbeNs) / 1e6 - 1.0;
            if (stallMs > longestStallMs) {
                longestStallMs = stallMs;
                longestStallCpuMs = cpu - lastProbeCpuMs;
            }
            longestBusyMs = std::max(longestBusyMs, cpu - lastProbeCpuMs);
            if (!app.measuring)
                threadsAtStart = bench::threadStats();
            app.measuring = true;
        }
        lastProbeNs = now;
        lastProbeCpuMs = cpu;
    });
    QTimer input;
    input.setInterval(50);
    QObject::connect(&input, &QTimer::timeout, &window, [&] {
        probe.postedNs = probe.clock.nsecsElapsed();
        QCoreApplication::postEvent(&probe, new QEvent(QEvent::User));
    });
    app.ignored = &frames;
    frames.start();
    stallProbe.start();
    input.start();
    QTimer::singleShot(static_cast<int>(seconds * 1000), &app, &QApplication::quit);
    app.exec();
    const auto threadsAtEnd = bench::threadStats();

    // The first second builds every row and the first layouts: report the steady state.
    const std::size_t skip = std::min<std::size_t>(frameMs.size(), 60);
    std::vector<double> steady(frameMs.begin() + static_cast<std::ptrdiff_t>(skip), frameMs.end());
    const std::vector<double> steadyCpu(frameCpuMs.begin() + static_cast<std::ptrdiff_t>(skip), frameCpuMs.end());
    double sum = 0;
    for (double ms : steady)
        sum += ms;
    const double mean = steady.empty() ? 0 : sum / static_cast<double>(steady.size());
    const auto snapshot = window.session()->snapshot();
    const auto rates = window.session()->rates();
    std::printf("partitions %d x RF=3, target rate %d records/s, %.0f s wall\n", partitions, rate, seconds);
    std::printf("virtual time reached   %.1f s (engine keeps up: %s)\n", static_cast<double>(snapshot->virtualUs) / 1e6,
        snapshot->virtualUs > static_cast<std::int64_t>((seconds - 1) * 1e6) ? "yes" : "no");
    std::printf("records in             %.0f per virtual s over the last one; %.0f per wall s on average\n",
        rates->recordsInPerSec, static_cast<double>(appended(*snapshot)) / seconds);
    std::printf("frames                 %zu (%.1f delivered per s)\n", frameMs.size(),
        static_cast<double>(frameMs.size()) / seconds);
    std::printf("frame time p50 / p99   %.2f / %.2f ms (max %.2f)\n", percentile(steady, 0.5), percentile(steady, 0.99),
        steady.empty() ? 0.0 : *std::max_element(steady.begin(), steady.end()));
    const auto costliestFrame = std::max_element(steadyCpu.begin(), steadyCpu.end());
    std::printf("  GUI-thread CPU p50 / p99 %.2f / %.2f ms (max %.2f, %.1f s after the start)\n",
        percentile(steadyCpu, 0.5), percentile(steadyCpu, 0.99), steadyCpu.empty() ? 0.0 : *costliestFrame,
        steadyCpu.empty() ? 0.0 : frameAtS[skip + static_cast<std::size_t>(costliestFrame - steadyCpu.begin())]);
    if (!steadyCpu.empty())
        std::printf("    that frame's models: %.2f ms CPU; the rest was its repaint\n",
            pollCpuMs[skip + static_cast<std::size_t>(costliestFrame - steadyCpu.begin())]);
    std::printf("  of which models p50/p99 %.2f / %.2f ms (CPU %.2f / %.2f)\n", percentile(pollMs, 0.5),
        percentile(pollMs, 0.99), percentile(pollCpuMs, 0.5), percentile(pollCpuMs, 0.99));
    for (const auto& [name, values] : partMs)
        std::printf("  repaint %-14s p50/p99 %.2f / %.2f ms (CPU %.2f / %.2f, max %.2f)\n", name.c_str(),
            percentile(values.first, 0.5), percentile(values.first, 0.99), percentile(values.second, 0.5),
            percentile(values.second, 0.99), *std::max_element(values.second.begin(), values.second.end()));
    std::printf("sustainable fps        %.0f (1000 / mean frame %.2f ms)\n", mean > 0 ? 1000 / mean : 0.0, mean);
    std::printf("longest GUI stall      %.1f ms (GUI thread ran %.1f ms of it; most CPU between probes %.1f ms)\n",
        longestStallMs, longestStallCpuMs, longestBusyMs);
    std::vector<std::pair<double, QByteArray>> costliest;
    for (const auto& [what, cost] : app.slowest)
        costliest.emplace_back(cost.worstMs, what);
    std::sort(costliest.rbegin(), costliest.rend());
    costliest.resize(std::min<std::size_t>(costliest.size(), 4));
    std::printf("GUI events over 1 ms CPU besides the frames (the costliest kinds):\n");
    for (const auto& [ms, what] : costliest)
        std::printf("  max %5.1f ms, %3d of them, %6.1f ms in all: %s\n", ms, app.slowest[what].count,
            app.slowest[what].totalMs, what.constData());
    std::printf("input latency p50/max  %.2f / %.2f ms\n", percentile(probe.inputMs, 0.5),
        probe.inputMs.empty() ? 0.0 : *std::max_element(probe.inputMs.begin(), probe.inputMs.end()));
    // Who held the two cores while measuring: the GUI thread competes with the engine and the store.
    std::vector<std::pair<double, std::string>> busiest;
    for (const bench::ThreadStats& thread : threadsAtEnd) {
        const auto before = std::find_if(threadsAtStart.begin(), threadsAtStart.end(),
            [&thread](const bench::ThreadStats& earlier) { return earlier.tid == thread.tid; });
        const double cpu = thread.cpuSeconds - (before == threadsAtStart.end() ? 0.0 : before->cpuSeconds);
        if (cpu > 0.05)
            busiest.emplace_back(cpu, thread.name + (thread.tid == static_cast<int>(getpid()) ? " (GUI)" : ""));
    }
    std::sort(busiest.rbegin(), busiest.rend());
    std::printf("threads' CPU over the measured %.0f s:", seconds - 1);
    for (const auto& [cpu, name] : busiest)
        std::printf("  %s %.1f s", name.c_str(), cpu);
    std::printf("\n");
    return 0;
}
