// GUI figures for BENCHMARKS.md (issue 5): the real main window, offscreen raster, while the engine streams on
// its worker thread in real time (x1 pacing).
//  - frame time: one GUI frame = pulling the newest snapshot and events into every view and model
//    (SimulationSession::pollNow) plus a synchronous repaint of the whole window; p50, p99 and max;
//  - the longest GUI-thread stall: the largest gap between two runs of a 1 ms probe timer, minus 1 ms;
//  - input latency: a posted event every 50 ms (as a key press would be), time until it is delivered;
//  - frames per second the GUI thread could sustain (1000 / mean frame time) and the frames it did deliver.
//
// usage: bench_gui [PARTITIONS [RECORDS_PER_SEC [WALL_SECONDS [fast]]]]   (defaults: 1000 200000 10)
// "fast" runs the engine as fast as possible instead of x1 real time.

#include "benchguiscenario.h"
#include "mainwindow.h"
#include "scenario/scenario.h"
#include "scenariofiles.h"
#include "simulationsession.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace brokerlab;

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

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

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
    QApplication app(argc, argv);
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

    std::vector<double> frameMs;
    std::vector<double> pollMs;
    std::map<std::string, std::vector<double>> partMs; // BENCH_GUI_PARTS=1: each area repainted alone // the models'
                                                       // and views' share of each frame (the rest is painting)
    double longestStallMs = 0;
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
        window.session()->pollNow();
        const qint64 polled = frame.nsecsElapsed();
        if (qEnvironmentVariableIsSet("BENCH_GUI_PARTS")) {
            for (const char* name : { "clusterView", "chartsDock", "timelineDock", "detailsDock" }) {
                QElapsedTimer part;
                part.start();
                if (auto* widget = window.findChild<QWidget*>(QLatin1String(name)))
                    widget->repaint();
                partMs[name].push_back(static_cast<double>(part.nsecsElapsed()) / 1e6);
            }
        }
        window.repaint();
        frameMs.push_back(static_cast<double>(frame.nsecsElapsed()) / 1e6);
        pollMs.push_back(static_cast<double>(polled) / 1e6);
    });
    QTimer stallProbe;
    stallProbe.setTimerType(Qt::PreciseTimer);
    stallProbe.setInterval(1);
    QObject::connect(&stallProbe, &QTimer::timeout, &window, [&] {
        const qint64 now = wall.nsecsElapsed();
        if (lastProbeNs >= 0 && now > 1000000000) // after the first second: start-up is not a stall
            longestStallMs = std::max(longestStallMs, static_cast<double>(now - lastProbeNs) / 1e6 - 1.0);
        lastProbeNs = now;
    });
    QTimer input;
    input.setInterval(50);
    QObject::connect(&input, &QTimer::timeout, &window, [&] {
        probe.postedNs = probe.clock.nsecsElapsed();
        QCoreApplication::postEvent(&probe, new QEvent(QEvent::User));
    });
    frames.start();
    stallProbe.start();
    input.start();
    QTimer::singleShot(static_cast<int>(seconds * 1000), &app, &QApplication::quit);
    app.exec();

    // The first second builds every row and the first layouts: report the steady state.
    const std::size_t skip = std::min<std::size_t>(frameMs.size(), 60);
    std::vector<double> steady(frameMs.begin() + static_cast<std::ptrdiff_t>(skip), frameMs.end());
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
    std::printf("  of which models p50/p99 %.2f / %.2f ms\n", percentile(pollMs, 0.5), percentile(pollMs, 0.99));
    for (const auto& [name, values] : partMs)
        std::printf("  repaint %-14s p50/p99 %.2f / %.2f ms\n", name.c_str(), percentile(values, 0.5),
            percentile(values, 0.99));
    std::printf("sustainable fps        %.0f (1000 / mean frame %.2f ms)\n", mean > 0 ? 1000 / mean : 0.0, mean);
    std::printf("longest GUI stall      %.1f ms\n", longestStallMs);
    std::printf("input latency p50/max  %.2f / %.2f ms\n", percentile(probe.inputMs, 0.5),
        probe.inputMs.empty() ? 0.0 : *std::max_element(probe.inputMs.begin(), probe.inputMs.end()));
    return 0;
}
