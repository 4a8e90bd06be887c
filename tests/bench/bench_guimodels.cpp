// Each view's share of a GUI frame (issue 5), measured in CPU time of the GUI thread, so that the figures hold on a
// shared machine: the real main window, offscreen, fed with snapshots and events of a headless engine that runs
// bench_gui's scenario in virtual time. After WARMUP virtual seconds (the group's first commits come after about
// 8 s: from then on its lag table has a row per partition) it takes one snapshot per 16 virtual ms, hands it to
// every view exactly as MainWindow::onSnapshot does, and times each hand-over; "queued" is what the event loop
// ran afterwards (timers, store replies, the repaint of the window).
//
// usage: bench_guimodels [PARTITIONS [RECORDS_PER_SEC [WARMUP_SECONDS [FRAMES [DOCK]]]]]
//        (defaults: 1000 200000 10 300 timelineDock; DOCK is the bottom dock raised in front, and DOCK:TAB also
//        brings that tab of the dock to the front, e.g. groupsDock:Lag)

#include "benchguiscenario.h"
#include "chartspanel.h"
#include "clientdocks.h"
#include "clusterview.h"
#include "consumerpanel.h"
#include "detailspanel.h"
#include "explorerpanel.h"
#include "groupspanel.h"
#include "mainwindow.h"
#include "measure.h"
#include "producerspanel.h"
#include "ratetracker.h"
#include "timelinemodel.h"

#include <QApplication>
#include <QDockWidget>
#include <QTabWidget>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <vector>

using namespace brokerlab;
using bench::percentile;
using bench::threadCpuMs;

namespace {

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int partitions = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int rate = argc > 2 ? std::atoi(argv[2]) : 200000;
    const double warmupSeconds = argc > 3 ? std::atof(argv[3]) : 10;
    const int frames = argc > 4 ? std::atoi(argv[4]) : 300;
    const QString dock = argc > 5 ? QString::fromLocal8Bit(argv[5]) : QStringLiteral("timelineDock");

    auto parse = [&] { return scenario::parseScenario(bench::guiScenarioJson(partitions, rate), "bench-gui.json"); };
    auto parsed = parse();
    if (auto* error = std::get_if<scenario::ScenarioError>(&parsed)) {
        std::fprintf(stderr, "bench_guimodels: %s\n", error->toString().c_str());
        return 2;
    }
    // The window's own session stays paused: the views get this engine's snapshots instead.
    ui::MainWindow window(false);
    window.resize(1440, 900);
    window.openScenario(std::get<scenario::Scenario>(parse()), 1, QStringLiteral("bench-gui.json"), true);
    window.session()->setPollInterval(1000000);
    window.show();
    // "groupsDock:Lag" raises the dock and brings its tab of that title to the front.
    if (auto* front = window.findChild<QDockWidget*>(dock.section(QLatin1Char(':'), 0, 0))) {
        front->raise();
        for (auto* tabs : front->findChildren<QTabWidget*>())
            for (int i = 0; i < tabs->count(); ++i)
                if (tabs->tabText(i) == dock.section(QLatin1Char(':'), 1))
                    tabs->setCurrentIndex(i);
    }
    QCoreApplication::processEvents();

    driver::Engine engine(std::get<scenario::Scenario>(std::move(parsed)), 1);
    std::vector<sim::Event> events;
    engine.trace().setListener([&events](const sim::Event& event) { events.push_back(event); });
    engine.start();
    ui::RateTracker rates;
    std::map<std::string, std::vector<double>> partMs;
    std::vector<double> frameMs;
    std::vector<double> freedMs; // freeing the previous snapshot, off the GUI thread in the application
    ui::SnapshotPtr previous;
    const double warmupStart = threadCpuMs();
    for (int frame = -static_cast<int>(warmupSeconds * 1000 / 16); frame < frames; ++frame) {
        engine.runUntil(engine.now() + sim::fromMs(16));
        if (frame < 0 && frame % 64 != 0 && frame != -1)
            continue; // warming up: the views see a snapshot about once a virtual second
        const ui::SnapshotPtr snapshot = std::make_shared<const driver::Snapshot>(engine.snapshot());
        const std::vector<sim::Event> batch = std::exchange(events, {});
        const double start = threadCpuMs(); // the snapshot is built on the engine's thread in the application
        const bool measured = frame >= 0;
        auto time = [&](const char* name, const std::function<void()>& call) {
            const double before = threadCpuMs();
            call();
            if (measured)
                partMs[name].push_back(threadCpuMs() - before);
        };
        time("timeline events", [&] { window.timelineModel()->append(batch); });
        time("groups events", [&] { window.clientDocks()->addEvents(batch); });
        time("rates", [&] { rates.update(*snapshot); });
        const auto r = rates.rates();
        time("clusterView", [&] { window.clusterView()->setSnapshot(snapshot, r); });
        time("details", [&] { window.detailsPanel()->setSnapshot(snapshot, r); });
        time("consumers", [&] { window.consumerPanel()->setSnapshot(snapshot); });
        time("groups", [&] { window.clientDocks()->groupsPanel()->setSnapshot(snapshot); });
        time("producers", [&] { window.clientDocks()->producersPanel()->setSnapshot(snapshot); });
        time("charts", [&] { window.chartsPanel()->record(*snapshot, *r); });
        time("explorer", [&] { window.explorerPanel()->setSnapshot(snapshot); });
        // The views have let go of the one before; the application frees it on a pool thread (SimulationSession),
        // so it is timed apart and left out of the frame.
        const double freeing = threadCpuMs();
        previous.reset();
        if (measured)
            freedMs.push_back(threadCpuMs() - freeing);
        previous = snapshot;
        time("queued + repaint", [] { QCoreApplication::processEvents(); });
        if (measured)
            frameMs.push_back(threadCpuMs() - start - freedMs.back());
    }
    std::printf("partitions %d x RF=3, %d records/s, %d frames of 16 virtual ms after %.0f s, %s in front\n",
        partitions, rate, frames, warmupSeconds, qPrintable(dock));
    std::printf("GUI thread CPU per frame p50 / p99 / max   %.2f / %.2f / %.2f ms (warm-up took %.1f s CPU)\n",
        percentile(frameMs, 0.5), percentile(frameMs, 0.99),
        frameMs.empty() ? 0.0 : *std::max_element(frameMs.begin(), frameMs.end()),
        (threadCpuMs() - warmupStart) / 1000);
    std::printf("  (freeing the previous snapshot, on a pool thread in the application: p50 / p99 %.2f / %.2f ms)\n",
        percentile(freedMs, 0.5), percentile(freedMs, 0.99));
    for (const auto& [name, values] : partMs)
        std::printf("  %-18s p50 / p99 / max  %6.2f / %6.2f / %6.2f ms\n", name.c_str(), percentile(values, 0.5),
            percentile(values, 0.99), *std::max_element(values.begin(), values.end()));
    return 0;
}
