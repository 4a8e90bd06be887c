#include "servecommand.h"

#include "driver/driver.h"
#include "driver/report.h"
#include "outputfile.h"
#include "runcommand.h"
#include "scenario/scenario.h"
#include "wire/wireserver.h"

#include <charconv>
#include <chrono>
#include <csignal>
#include <future>
#include <iostream>
#include <optional>
#include <pthread.h>

namespace brokerlab::cli {

namespace {

// Served scenarios run until they are stopped; this is the virtual horizon (30 days).
constexpr std::int64_t kServeHorizonMs = 30LL * 24 * 3600 * 1000;

struct ServeOptions {
    std::string scenarioPath;
    std::optional<std::uint64_t> seed;
    int portBase = 19092;
    std::string host = "127.0.0.1";
    std::string reportPath;
};

template <typename Number>
bool parseNumber(const std::string& text, Number& out)
{
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::optional<std::string> parseOptions(const std::vector<std::string>& args, ServeOptions& options)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (arg == "--seed" || arg == "--port-base" || arg == "--report" || arg == "--host") {
            auto text = value();
            if (!text)
                return "option " + arg + " needs a value";
            if (arg == "--seed") {
                std::uint64_t seed = 0;
                if (!parseNumber(*text, seed))
                    return "--seed must be a whole number from 0 to 18446744073709551615, not '" + *text + "'";
                options.seed = seed;
            } else if (arg == "--port-base") {
                int port = 0;
                if (!parseNumber(*text, port) || port < 0 || port > 65000)
                    return "--port-base must be 0 (any free ports) or a port from 1 to 65000, not '" + *text + "'";
                options.portBase = port;
            } else if (arg == "--host") {
                options.host = *text;
            } else {
                options.reportPath = *text;
            }
        } else if (arg.starts_with("-")) {
            return "unknown option '" + arg + "'";
        } else if (options.scenarioPath.empty()) {
            options.scenarioPath = arg;
        } else {
            return "unexpected argument '" + arg + "' (one scenario file)";
        }
    }
    if (options.scenarioPath.empty())
        return "no scenario file given";
    return std::nullopt;
}

} // namespace

void printServeUsage()
{
    std::cerr << "usage: brokerlab-cli serve FILE [--seed N] [--port-base P] [--host ADDRESS] [--report FILE]\n"
                 "Runs the scenario FILE paced in real time with a Kafka listener per broker (broker N on port\n"
                 "P+N-1, default P=19092; --port-base 0 picks free ports) until SIGINT or SIGTERM. Prints\n"
                 "'bootstrap: HOST:PORT,...' once the listeners accept connections.\n";
}

int serveCommand(const std::vector<std::string>& args)
{
    ServeOptions options;
    if (auto error = parseOptions(args, options)) {
        std::cerr << "brokerlab-cli serve: " << *error << "\n";
        printServeUsage();
        return kExitBadInput;
    }
    auto loaded = scenario::loadScenarioFile(options.scenarioPath);
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded)) {
        std::cerr << "brokerlab-cli: " << error->toString() << "\n";
        return kExitBadInput;
    }
    scenario::Scenario scenario = std::get<scenario::Scenario>(std::move(loaded));
    scenario.durationMs = kServeHorizonMs;
    const std::uint64_t seed = options.seed.value_or(scenario.seed);

    OutputFile report;
    std::string error;
    if (!options.reportPath.empty() && !report.open(options.reportPath, error)) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        return kExitFailure;
    }

    // Block the stop signals in every thread (the driver's and the wire thread inherit the mask),
    // then wait for one here with sigwait: no handler runs at an arbitrary point.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    const auto wallStart = std::chrono::steady_clock::now();
    driver::Driver driver(scenario, seed);
    driver.start(driver::PacingMode::Paced);
    wire::WireServerOptions serverOptions;
    serverOptions.portBase = options.portBase;
    serverOptions.host = options.host;
    wire::WireServer server(driver, serverOptions);
    if (!server.start(error)) {
        std::cerr << "brokerlab-cli serve: " << error << "\n";
        return kExitFailure;
    }
    std::cout << "bootstrap: " << server.bootstrap() << std::endl;

    int received = 0;
    sigwait(&stopSignals, &received);
    std::cerr << "brokerlab-cli serve: stopping on " << (received == SIGINT ? "SIGINT" : "SIGTERM") << "\n";
    server.stop();

    if (report.isOpen()) {
        // The report reads the engine, which only the driver's thread may touch.
        std::promise<std::string> text;
        auto future = text.get_future();
        driver.post("write the report", [&text, wallStart](driver::Engine& engine) {
            driver::RunInfo run;
            run.wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - wallStart)
                             .count();
            run.traceSha256 = engine.trace().sha256Hex();
            run.traceEvents = engine.trace().lines();
            text.set_value(scenario::toJson(driver::buildReport(engine, engine.snapshot(), run), true));
        });
        report.stream() << future.get() << "\n";
        driver.stop();
        if (!report.commit(error)) {
            std::cerr << "brokerlab-cli: " << error << "\n";
            return kExitFailure;
        }
    }
    driver.stop();
    return kExitOk;
}

} // namespace brokerlab::cli
