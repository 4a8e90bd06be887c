#include "runcommand.h"

#include "driver/engine.h"
#include "driver/report.h"
#include "outputfile.h"
#include "scenario/scenario.h"
#include "workspaceoutput.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>

namespace brokerlab::cli {

namespace {

constexpr double kMaxDurationSeconds = 30.0 * 24 * 3600; // a month of virtual time

struct RunOptions {
    std::string scenarioPath;
    std::optional<std::uint64_t> seed;
    std::optional<double> durationSeconds;
    std::string reportPath;
    std::string tracePath;
    std::string dumpPath;
    std::string workspacePath;
    std::string logDirsPath;
    bool quiet = false;
};

bool parseSeed(const std::string& text, std::uint64_t& out)
{
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool parseSeconds(const std::string& text, double& out)
{
    try {
        std::size_t used = 0;
        out = std::stod(text, &used);
        return used == text.size() && std::isfinite(out);
    } catch (...) {
        return false;
    }
}

// Returns an error message, or nothing when the options are fine.
std::optional<std::string> parseOptions(const std::vector<std::string>& args, RunOptions& options)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&](std::string& out) -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return "option " + arg + " needs a value";
            out = args[++i];
            return std::nullopt;
        };
        std::string text;
        if (arg == "--seed") {
            if (auto error = value(text))
                return error;
            std::uint64_t seed = 0;
            if (!parseSeed(text, seed))
                return "--seed must be a whole number from 0 to 18446744073709551615, not '" + text + "'";
            options.seed = seed;
        } else if (arg == "--duration") {
            if (auto error = value(text))
                return error;
            double seconds = 0;
            if (!parseSeconds(text, seconds) || seconds <= 0 || seconds > kMaxDurationSeconds)
                return "--duration must be a number of seconds above 0 and at most 2592000 (30 days), not '" + text
                    + "'";
            options.durationSeconds = seconds;
        } else if (arg == "--report") {
            if (auto error = value(options.reportPath))
                return error;
        } else if (arg == "--trace") {
            if (auto error = value(options.tracePath))
                return error;
        } else if (arg == "--dump-messages") {
            if (auto error = value(options.dumpPath))
                return error;
        } else if (arg == "--workspace") {
            if (auto error = value(options.workspacePath))
                return error;
        } else if (arg == "--log-dirs") {
            if (auto error = value(options.logDirsPath))
                return error;
        } else if (arg == "--summary") {
            options.quiet = false;
        } else if (arg == "--quiet" || arg == "-q") {
            options.quiet = true;
        } else if (arg.starts_with("-")) {
            return "unknown option '" + arg + "'";
        } else if (options.scenarioPath.empty()) {
            options.scenarioPath = arg;
        } else {
            return "unexpected argument '" + arg + "' (one scenario file per run)";
        }
    }
    if (options.scenarioPath.empty())
        return "no scenario file given";
    return std::nullopt;
}

} // namespace

void printRunUsage()
{
    std::cerr << "usage: brokerlab-cli run FILE [--seed N] [--duration SECONDS] [--report FILE] [--trace FILE]\n"
                 "                          [--dump-messages FILE] [--workspace FILE] [--log-dirs DIR]\n"
                 "                          [--summary | --quiet]\n"
                 "Runs the scenario FILE in virtual time, as fast as possible, and prints a summary.\n"
                 "--log-dirs writes each broker's log directory, as Kafka lays it out, to DIR/broker-<id>/.\n";
}

int runCommand(const std::vector<std::string>& args)
{
    RunOptions options;
    if (auto error = parseOptions(args, options)) {
        std::cerr << "brokerlab-cli run: " << *error << "\n";
        printRunUsage();
        return kExitBadInput;
    }
    auto loaded = scenario::loadScenarioFile(options.scenarioPath);
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded)) {
        std::cerr << "brokerlab-cli: " << error->toString() << "\n";
        return kExitBadInput;
    }
    scenario::Scenario scenario = std::get<scenario::Scenario>(std::move(loaded));
    if (options.durationSeconds)
        scenario.durationMs = static_cast<std::int64_t>(std::llround(*options.durationSeconds * 1000.0));
    const std::uint64_t seed = options.seed.value_or(scenario.seed);

    // Outputs are opened before the run so that an unwritable path fails fast, and they only
    // appear under their names once everything succeeded.
    OutputFile report, trace, dump;
    WorkspaceOutput workspace;
    std::string error;
    if ((!options.reportPath.empty() && !report.open(options.reportPath, error))
        || (!options.tracePath.empty() && !trace.open(options.tracePath, error))
        || (!options.dumpPath.empty() && !dump.open(options.dumpPath, error))
        || (!options.workspacePath.empty() && !workspace.open(options.workspacePath, error))) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        // A workspace in use by another process: a usage error, the run never started.
        return workspace.refusedAsLocked() ? kExitBadInput : kExitFailure;
    }

    const auto wallStart = std::chrono::steady_clock::now();
    driver::Engine engine(scenario, seed);
    if (trace.isOpen()) {
        std::ofstream& stream = trace.stream();
        engine.trace().setSink(
            [&stream](std::string_view line) { stream.write(line.data(), static_cast<std::streamsize>(line.size())); });
    }
    engine.enableHistory(); // every run is checked, after Jepsen's queue checker
    if (workspace.isOpen())
        workspace.attach(engine);
    engine.start();
    if (!workspace.isOpen())
        engine.runUntil(engine.endTime());
    else if (!workspace.run(engine, error)) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        return kExitFailure;
    }
    const driver::Snapshot snapshot = engine.snapshot();
    driver::RunInfo run;
    run.wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - wallStart)
                     .count();
    run.traceSha256 = engine.trace().sha256Hex();
    run.traceEvents = engine.trace().lines();
    run.checker = engine.checkHistory();

    if (report.isOpen()) {
        report.stream() << scenario::toJson(driver::buildReport(engine, snapshot, run), true) << "\n";
        if (!report.commit(error)) {
            std::cerr << "brokerlab-cli: " << error << "\n";
            return kExitFailure;
        }
    }
    if (trace.isOpen() && !trace.commit(error)) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        return kExitFailure;
    }
    if (dump.isOpen()) {
        driver::dumpMessages(engine, dump.stream());
        if (!dump.commit(error)) {
            std::cerr << "brokerlab-cli: " << error << "\n";
            return kExitFailure;
        }
    }
    if (!options.logDirsPath.empty() && !driver::writeLogDirectories(engine, options.logDirsPath, error)) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        return kExitFailure;
    }
    if (workspace.isOpen() && !workspace.commit(engine, options.scenarioPath, error)) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        return kExitFailure;
    }
    if (!options.quiet)
        driver::printSummary(engine, snapshot, run, std::cout);
    return kExitOk;
}

} // namespace brokerlab::cli
