#include "lessoncommand.h"

#include "driver/report.h"
#include "lesson/builtins.h"
#include "lesson/lesson.h"
#include "lesson/lessonrun.h"
#include "outputfile.h"
#include "runcommand.h"

#include <charconv>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

namespace brokerlab::cli {

using lesson::translate;
using scenario::JsonValue;

namespace {

struct LessonOptions {
    std::string lesson;
    std::optional<std::uint64_t> seed;
    bool json = false;
    bool list = false;
    bool translationSource = false;
    std::string reportDir;
    std::string logDirs;
};

std::optional<std::string> parseOptions(const std::vector<std::string>& args, LessonOptions& options)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--seed" || arg == "--reports" || arg == "--log-dirs") {
            if (i + 1 >= args.size())
                return "option " + arg + " needs a value";
            const std::string& text = args[++i];
            if (arg == "--reports" || arg == "--log-dirs") {
                (arg == "--reports" ? options.reportDir : options.logDirs) = text;
                continue;
            }
            std::uint64_t seed = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
            if (text.empty() || error != std::errc() || end != text.data() + text.size())
                return "--seed must be a whole number from 0 to 18446744073709551615, not '" + text + "'";
            options.seed = seed;
        } else if (arg == "--json") {
            options.json = true;
        } else if (arg == "--list") {
            options.list = true;
        } else if (arg == "--translation-source") {
            options.translationSource = true;
        } else if (arg.starts_with("-")) {
            return "unknown option '" + arg + "'";
        } else if (options.lesson.empty()) {
            options.lesson = arg;
        } else {
            return "unexpected argument '" + arg + "' (one lesson per run)";
        }
    }
    if (!options.list && !options.translationSource && options.lesson.empty())
        return "no lesson given: a lesson file or a built-in lesson's id or number (see --list)";
    return std::nullopt;
}

std::string trackTitle(const std::string& track)
{
    if (track == "log")
        return translate("The log");
    if (track == "consumers")
        return translate("Consumers");
    if (track == "reliability")
        return translate("Producers and reliability");
    if (track == "replication")
        return translate("Replication and control plane");
    return translate("Architecture and use cases");
}

std::string seconds(std::int64_t ms)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << static_cast<double>(ms) / 1000.0 << " s";
    return out.str();
}

int listLessons(bool json)
{
    JsonValue list = JsonValue::array();
    for (const lesson::BuiltinLesson& builtin : lesson::builtinLessons()) {
        auto loaded = lesson::loadLessonFile(builtin.resourcePath);
        if (auto* error = std::get_if<scenario::ScenarioError>(&loaded)) {
            std::cerr << "brokerlab-cli: built-in lesson " << error->toString() << "\n";
            return kExitFailure;
        }
        const lesson::Lesson& l = std::get<lesson::Lesson>(loaded);
        if (json) {
            list.push(JsonValue::object()
                          .set("number", builtin.number)
                          .set("id", l.id)
                          .set("track", l.track)
                          .set("title", translate(l.title)));
        } else {
            std::cout << std::setw(2) << builtin.number << "  " << std::left << std::setw(32) << l.id << std::setw(13)
                      << l.track << std::right << translate(l.title) << "\n";
        }
    }
    if (json)
        std::cout << scenario::toJson(list, true) << "\n";
    return kExitOk;
}

// A file when the path exists, else a built-in lesson by id or number.
lesson::LessonLoad load(const std::string& name)
{
    std::error_code error;
    if (std::filesystem::exists(name, error) || name.find('/') != std::string::npos || name.ends_with(".json"))
        return lesson::loadLessonFile(name);
    if (auto builtin = lesson::findBuiltinLesson(name))
        return lesson::loadLessonFile(builtin->resourcePath);
    return scenario::ScenarioError { name, 0, 0, {},
        "no such file, and no built-in lesson has this id or number (brokerlab-cli lesson --list)" };
}

JsonValue resultJson(const lesson::Lesson& l, const lesson::LessonRun& run)
{
    JsonValue runs = JsonValue::array();
    for (const lesson::VariantRun& variant : run.runs) {
        runs.push(JsonValue::object()
                      .set("variant", variant.name)
                      .set("seed", std::to_string(variant.seed))
                      .set("trace_sha256", variant.traceSha256));
    }
    JsonValue watch = JsonValue::array();
    for (std::size_t i = 0; i < l.watch.size(); ++i) {
        const lesson::WatchStep& step = l.watch[i];
        JsonValue entry = JsonValue::object();
        if (!step.variant.empty())
            entry.set("variant", step.variant);
        if (step.event.empty()) {
            entry.set("at_ms", step.atMs);
        } else {
            entry.set("event", step.event);
            entry.set("happened", run.watch[i].happened);
            entry.set("first_at_ms", run.watch[i].seenAtMs);
        }
        entry.set("text", translate(step.text));
        watch.push(std::move(entry));
    }
    JsonValue assertions = JsonValue::array();
    for (std::size_t i = 0; i < l.assertions.size(); ++i) {
        const lesson::AssertionResult& result = run.assertions[i];
        JsonValue entry = JsonValue::object()
                              .set("assertion", l.assertions[i].describe(l))
                              .set("passed", result.passed)
                              .set("measured", result.measured)
                              .set("expected", result.expected)
                              .set("why", translate(l.assertions[i].why));
        if (!result.note.empty())
            entry.set("note", result.note);
        if (!result.error.empty())
            entry.set("error", result.error);
        assertions.push(std::move(entry));
    }
    JsonValue choices = JsonValue::array();
    for (const std::string& choice : l.prediction.choices)
        choices.push(translate(choice));
    JsonValue concepts = JsonValue::array();
    for (const std::string& name : l.concepts)
        concepts.push(translate(name));
    return JsonValue::object()
        .set("id", l.id)
        .set("title", translate(l.title))
        .set("track", l.track)
        .set("concepts", std::move(concepts))
        .set("prediction",
            JsonValue::object()
                .set("question", translate(l.prediction.question))
                .set("choices", std::move(choices))
                .set("answer", l.prediction.answer))
        .set("watch", std::move(watch))
        .set("runs", std::move(runs))
        .set("assertions", std::move(assertions))
        .set("passed", run.passed());
}

void printResult(const lesson::Lesson& l, const lesson::LessonRun& run, std::ostream& out)
{
    out << translate(l.title) << "  (" << l.id << ", " << trackTitle(l.track) << ")\n";
    out << "Concepts: ";
    for (std::size_t i = 0; i < l.concepts.size(); ++i)
        out << (i ? ", " : "") << translate(l.concepts[i]);
    out << "\n\nPredict: " << translate(l.prediction.question) << "\n";
    for (std::size_t i = 0; i < l.prediction.choices.size(); ++i)
        out << "  " << static_cast<char>('a' + i) << ") " << translate(l.prediction.choices[i]) << "\n";

    out << "\nWatch:\n";
    for (std::size_t i = 0; i < l.watch.size(); ++i) {
        const lesson::WatchStep& step = l.watch[i];
        out << "  ";
        if (!step.variant.empty())
            out << "[" << step.variant << "] ";
        if (step.event.empty())
            out << "at " << seconds(step.atMs);
        else if (run.watch[i].happened)
            out << "on " << step.event << " (first at " << seconds(run.watch[i].seenAtMs) << ")";
        else
            out << "on " << step.event << " (NEVER HAPPENED)";
        out << ": " << translate(step.text) << "\n";
    }

    out << "\nRuns:\n";
    for (const lesson::VariantRun& variant : run.runs) {
        out << "  " << (variant.name.empty() ? std::string("run") : variant.name) << ": seed " << variant.seed
            << ", trace sha256 " << variant.traceSha256 << "\n";
    }

    out << "\nVerdict:\n";
    for (std::size_t i = 0; i < l.assertions.size(); ++i) {
        const lesson::AssertionResult& result = run.assertions[i];
        const char* status = !result.error.empty() ? "ERROR" : result.passed ? "pass " : "FAIL ";
        out << "  " << status << " " << l.assertions[i].describe(l) << "\n";
        out << "        measured " << scenario::toJson(result.measured);
        if (l.assertions[i].expectedIsMeasure)
            out << ", expected " << scenario::toJson(result.expected);
        if (!result.note.empty())
            out << " (" << result.note << ")";
        out << "\n";
        if (!result.error.empty())
            out << "        " << l.assertions[i].field << ": " << result.error << "\n";
        out << "        why: " << translate(l.assertions[i].why) << "\n";
    }
    out << "\nAnswer: " << static_cast<char>('a' + l.prediction.answer) << ") "
        << translate(l.prediction.choices[static_cast<std::size_t>(l.prediction.answer)]) << "\n";
    out << run.passedCount() << " of " << l.assertions.size() << " assertions hold";
    out << (run.passed() ? ": the engine does what the lesson teaches.\n" : ": THE LESSON FAILS.\n");
}

// A variant's name as part of a file name.
std::string fileSafe(std::string name)
{
    for (char& c : name) {
        if (c == '/' || c == ' ' || c == '=')
            c = '_';
    }
    return name;
}

} // namespace

void printLessonUsage()
{
    std::cerr << "usage: brokerlab-cli lesson FILE|ID [--seed N] [--json] [--reports DIR] [--log-dirs DIR]\n"
                 "       brokerlab-cli lesson --list [--json]\n"
                 "       brokerlab-cli lesson --translation-source\n"
                 "Runs a lesson headless (every variant on one seed) and checks its assertions; exit 0 only when\n"
                 "all hold. ID is a built-in lesson's id or number. --reports writes each run's report to DIR.\n"
                 "--log-dirs writes each run's broker log directories, as Kafka lays them out, to DIR/broker-<id>/\n"
                 "(DIR/<variant>/broker-<id>/ for a lesson with variants).\n";
}

int lessonCommand(const std::vector<std::string>& args)
{
    LessonOptions options;
    if (auto error = parseOptions(args, options)) {
        std::cerr << "brokerlab-cli lesson: " << *error << "\n";
        printLessonUsage();
        return kExitBadInput;
    }
    if (options.list)
        return listLessons(options.json);
    if (options.translationSource) {
        std::vector<lesson::Lesson> lessons;
        for (const lesson::BuiltinLesson& builtin : lesson::builtinLessons()) {
            auto loaded = lesson::loadLessonFile(builtin.resourcePath);
            if (auto* error = std::get_if<scenario::ScenarioError>(&loaded)) {
                std::cerr << "brokerlab-cli: built-in lesson " << error->toString() << "\n";
                return kExitFailure;
            }
            lessons.push_back(std::get<lesson::Lesson>(std::move(loaded)));
        }
        std::cout << lesson::translationSource(lessons);
        return kExitOk;
    }
    auto loaded = load(options.lesson);
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded)) {
        std::cerr << "brokerlab-cli: " << error->toString() << "\n";
        return kExitBadInput;
    }
    const lesson::Lesson& l = std::get<lesson::Lesson>(loaded);
    std::string logDirsError;
    lesson::AfterRun writeLogDirs;
    if (!options.logDirs.empty()) {
        writeLogDirs = [&](const lesson::VariantRun& variant, const driver::Engine& engine) {
            const std::filesystem::path folder = variant.name.empty()
                ? std::filesystem::path(options.logDirs)
                : std::filesystem::path(options.logDirs) / fileSafe(variant.name);
            if (logDirsError.empty())
                driver::writeLogDirectories(engine, folder.string(), logDirsError);
        };
    }
    const lesson::LessonRun run = lesson::runLesson(l, options.seed, writeLogDirs);
    if (!logDirsError.empty()) {
        std::cerr << "brokerlab-cli: " << logDirsError << "\n";
        return kExitFailure;
    }

    if (!options.reportDir.empty()) {
        for (const lesson::VariantRun& variant : run.runs) {
            const std::string name = fileSafe(l.id + (variant.name.empty() ? "" : "." + variant.name));
            OutputFile file;
            std::string error;
            if (!file.open((std::filesystem::path(options.reportDir) / (name + ".json")).string(), error)) {
                std::cerr << "brokerlab-cli: " << error << "\n";
                return kExitFailure;
            }
            file.stream() << scenario::toJson(variant.report, true) << "\n";
            if (!file.commit(error)) {
                std::cerr << "brokerlab-cli: " << error << "\n";
                return kExitFailure;
            }
        }
    }
    if (options.json)
        std::cout << scenario::toJson(resultJson(l, run), true) << "\n";
    else
        printResult(l, run, std::cout);
    if (run.badLesson()) {
        for (std::size_t i = 0; i < run.assertions.size(); ++i) {
            if (!run.assertions[i].error.empty())
                std::cerr << "brokerlab-cli: " << l.file << ": " << l.assertions[i].field << ": " << run.assertions[i].error << "\n";
        }
        return kExitBadInput;
    }
    return run.passed() ? kExitOk : kExitFailure;
}

} // namespace brokerlab::cli
