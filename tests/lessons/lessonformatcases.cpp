// Data and helpers of test_lessonformat, kept out of the Q_OBJECT file: moc mis-tracks brackets
// and quotes inside these JSON literals.

#include "driver/engine.h"
#include "driver/report.h"
#include "lesson/lesson.h"
#include "lesson/lessonrun.h"
#include "lesson/lessonschema.h"

#include "lessonformatcases.h"

#include <QtGlobal>

#include <fstream>
#include <sstream>

using namespace brokerlab;
using namespace brokerlab::lesson;
using scenario::JsonValue;

namespace brokerlab::lesson::testing {

extern const std::string kScenario;
const std::string kScenario = R"(
  "name": "tiny",
  "seed": 3,
  "duration_ms": 3000,
  "topics": [ { "name": "orders", "partitions": 2, "replication_factor": 3 } ],
  "producers": [ { "id": "shop", "topic": "orders", "rate": 10, "max_records": 5 } ],
)";

// An unbalanced bracket, kept out of the test class: moc tracks brackets even inside raw strings.
extern const std::string kUnclosedPath;
const std::string kUnclosedPath = std::string("{ \"path\": \"topics") + "[name=orders\", \"op\": \"==\", \"value\": 0, \"why\": \"w\" }";

extern const std::string kWatch;
const std::string kWatch = R"([ { "at_ms": 0, "text": "The shop writes five orders." } ])";
extern const std::string kAssertion;
const std::string kAssertion = R"({ "path": "acked", "op": "==", "value": 5, "why": "Every order is acknowledged." })";

std::string lessonJson(const std::string& assertions, const std::string& extra, const std::string& watch)
{
    return "{" + kScenario + R"(
  "lesson": {
    "id": "tiny", "title": "Tiny", "track": "log", "concepts": ["acks"],
    "prediction": { "question": "How many?", "choices": ["0", "5"], "answer": 1 },
    "watch": )" + watch + ",\n" + extra + R"(
    "assertions": [ )" + assertions + R"( ]
  }
})";
}

extern const std::string kVariants;
const std::string kVariants = R"("variants": [
      { "name": "acks=1", "patch": { "producers": { "0": { "config": { "acks": 1 } } } } },
      { "name": "acks=all", "patch": { "producers": { "0": { "config": { "acks": "all" } } } } }
    ],)";

Lesson load(const std::string& text)
{
    auto loaded = parseLesson(text, "tiny.json");
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded))
        qFatal("the lesson does not load: %s", error->toString().c_str());
    return std::get<Lesson>(std::move(loaded));
}

scenario::ScenarioError loadError(const std::string& text)
{
    auto loaded = parseLesson(text, "tiny.json");
    if (!std::holds_alternative<scenario::ScenarioError>(loaded))
        qFatal("the lesson loaded although it should not");
    return std::get<scenario::ScenarioError>(loaded);
}

JsonValue parsed(const std::string& text)
{
    auto result = scenario::parseJson(text);
    if (!result.ok())
        qFatal("bad test JSON: %s", result.error->toString().c_str());
    return result.value;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// An assertion of `text` evaluated against one hand-written report.
AssertionResult evaluateOn(const std::string& report, const std::string& assertion)
{
    const Lesson lesson = load(lessonJson(assertion));
    VariantRun run;
    run.report = parsed(report);
    return evaluate(lesson.assertions.front(), { run });
}

extern const std::string kReport;
const std::string kReport = R"({
  "acked": 12,
  "checker": { "lost": 0, "duplicated": 2 },
  "topics": [ { "name": "orders", "partitions": [ { "partition": 0, "high_watermark": 7 }, { "partition": 1, "high_watermark": 5 } ] },
              { "name": "empty", "partitions": [] } ],
  "groups": [ { "group_id": "g", "members": [ { "client_id": "a", "assignment": ["t-0", "t-1", "u-0", "u-1"] },
                                              { "client_id": "b", "assignment": ["t-2", "u-2"] },
                                              { "client_id": "c", "assignment": ["t-3", "u-3"] } ] } ]
})";



extern const std::string kCrossVariantAssertion;
const std::string kCrossVariantAssertion = R"({ "variant": "acks=1", "path": "checker.lost", "op": "<=", "value": { "variant": "acks=all", "path": "checker.lost" }, "why": "w" })";
extern const std::string kMisspelledNestedKey;
const std::string kMisspelledNestedKey = R"({ "path": "checker.lsot", "op": "==", "value": 0, "why": "w" })";
extern const std::string kMissingFilterMatch;
const std::string kMissingFilterMatch = R"({ "path": "topics[name=order].partitions", "op": "==", "value": 0, "why": "w" })";
extern const std::string kUncomparable;
const std::string kUncomparable = R"({ "path": "topics[0].name", "op": ">", "value": 1, "why": "w" })";
extern const std::string kWrongExpectation;
const std::string kWrongExpectation = R"(, { "path": "acked", "op": "==", "value": 6, "why": "a wrong expectation fails" })";
extern const std::string kWatchEvents;
const std::string kWatchEvents = R"([ { "event": "producer.started", "text": "x" }, { "event": "broker.fenced", "text": "never" } ])";
extern const std::string kTranslatedWhy;
const std::string kTranslatedWhy = R"(QT_TRANSLATE_NOOP("lesson", "Every order is acknowledged."),)";

std::vector<ErrorCase> errorCases()
{
    std::vector<ErrorCase> cases;
    const auto row = [&](const char* name, const std::string& text, const char* field, const char* message) {
        cases.push_back({ name, text, field, message });
    };
        row("bad operator", lessonJson(R"({ "path": "acked", "op": "eq", "value": 5, "why": "w" })"),
            "lesson.assertions[0].op", "unknown operator \"eq\"");
        row("unknown report key", lessonJson(R"({ "path": "chekcer.lost", "op": "==", "value": 0, "why": "w" })"),
            "lesson.assertions[0].path", "no key \"chekcer\" (did you mean \"checker\"?)");
        row("wall time", lessonJson(R"({ "path": "wall_ms", "op": "<", "value": 5, "why": "w" })"),
            "lesson.assertions[0].path", "not deterministic");
        row("path syntax", lessonJson(kUnclosedPath), "lesson.assertions[0].path", "unclosed");
        row("missing why", lessonJson(R"({ "path": "acked", "op": "==", "value": 5 })"),
            "lesson.assertions[0].why", "missing required key \"why\"");
        row("two-line why", lessonJson(R"({ "path": "acked", "op": "==", "value": 5, "why": "a\nb" })"),
            "lesson.assertions[0].why", "one line");
        row("unknown variant",
            lessonJson(R"({ "variant": "acks=2", "path": "acked", "op": "==", "value": 5, "why": "w" })", kVariants),
            "lesson.assertions[0].variant", "unknown variant \"acks=2\" (did you mean");
        row("variant missing",
            lessonJson(R"({ "path": "acked", "op": "==", "value": 5, "why": "w" })", kVariants),
            "lesson.assertions[0].variant", "missing required key \"variant\"");
        row("variant without variants",
            lessonJson(R"({ "variant": "acks=1", "path": "acked", "op": "==", "value": 5, "why": "w" })"),
            "lesson.assertions[0].variant", "declares no \"variants\"");
        row("unknown variant in a value",
            lessonJson(R"({ "variant": "acks=1", "path": "acked", "op": "==", "value": { "variant": "x", "path": "acked" }, "why": "w" })", kVariants),
            "lesson.assertions[0].value.variant", "unknown variant \"x\"");
        row("between needs a pair", lessonJson(R"({ "path": "acked", "op": "between", "value": [9, 1], "why": "w" })"),
            "lesson.assertions[0].value", "between takes [low, high]");
        row("order needs a number", lessonJson(R"({ "path": "acked", "op": ">", "value": "5", "why": "w" })"),
            "lesson.assertions[0].value", "> compares numbers");
        row("reduce and for", lessonJson(R"({ "path": "acked", "reduce": "sum", "for": "all", "op": "==", "value": 5, "why": "w" })"),
            "lesson.assertions[0].for", "use one or the other");
        row("unknown reduction", lessonJson(R"({ "path": "acked", "reduce": "summ", "op": "==", "value": 5, "why": "w" })"),
            "lesson.assertions[0].reduce", "did you mean \"sum\"");
        row("unknown key", lessonJson(R"({ "path": "acked", "op": "==", "value": 5, "why": "w", "wyh": "x" })"),
            "lesson.assertions[0].wyh", "unknown key \"wyh\"");
        row("no assertions", lessonJson(""), "lesson.assertions", "at least one");
        row("watch step with time and event",
            lessonJson(kAssertion, {}, R"([ { "at_ms": 0, "event": "broker.fenced", "text": "x" } ])"),
            "lesson.watch[0]", "give exactly one");
        std::string words;
        for (int i = 0; i < 41; ++i)
            words += "word ";
        row("watch step too long", lessonJson(kAssertion, {}, "[ { \"at_ms\": 0, \"text\": \"" + words + "\" } ]"),
            "lesson.watch[0].text", "at most 40 words, this one has 41");
        row("watch step past the end", lessonJson(kAssertion, {}, R"([ { "at_ms": 99999, "text": "x" } ])"),
            "lesson.watch[0].at_ms", "between 0 and 3000");
        row("bad event kind", lessonJson(kAssertion, {}, R"([ { "event": "Broker fenced", "text": "x" } ])"),
            "lesson.watch[0].event", "event kind");
        row("unknown track", lessonJson(kAssertion).replace(lessonJson(kAssertion).find("\"log\""), 5, "\"logs\""),
            "lesson.track", "did you mean \"log\"");
        row("answer out of range",
            lessonJson(kAssertion).replace(lessonJson(kAssertion).find("\"answer\": 1"), 11, "\"answer\": 2"),
            "lesson.prediction.answer", "between 0 and 1");
        row("one variant",
            lessonJson(kAssertion, R"("variants": [ { "name": "a", "patch": {} } ],)"), "lesson.variants",
            "at least two");
        row("patch of a missing item",
            lessonJson(R"({ "variant": "a", "path": "acked", "op": "==", "value": 5, "why": "w" })",
                R"("variants": [ { "name": "a", "patch": {} }, { "name": "b", "patch": { "producers": { "3": { "rate": 1 } } } } ],)"),
            "lesson.variants[1].patch.producers.3", "not the index of one of its 1 items");
        row("patch makes a bad scenario",
            lessonJson(R"({ "variant": "a", "path": "acked", "op": "==", "value": 5, "why": "w" })",
                R"("variants": [ { "name": "a", "patch": {} }, { "name": "b", "patch": { "producers": { "0": { "config": { "acks": 2 } } } } } ],)"),
            "producers[0].config.acks", "(in variant \"b\")");
        row("no lesson block", "{" + kScenario + R"("description": "")" + "}", "lesson", "missing required key \"lesson\"");
        row("scenario error", lessonJson(kAssertion).replace(lessonJson(kAssertion).find("\"rate\""), 6, "\"rat\""),
            "producers[0].rat", "did you mean \"rate\"");
    return cases;
}

std::vector<EvaluationCase> evaluationCases()
{
    std::vector<EvaluationCase> cases;
    const auto row = [&](const char* assertion, bool passed, const char* measured) { cases.push_back({ assertion, passed, measured }); };
        row(R"({ "path": "acked", "op": "==", "value": 12, "why": "w" })", true, "12");
        row(R"({ "path": "acked", "op": "!=", "value": 12, "why": "w" })", false, "12");
        row(R"({ "path": "acked", "op": "between", "value": [12, 13], "why": "w" })", true, "12");
        row(R"({ "path": "acked", "op": "between", "value": [13, 20], "why": "w" })", false, "12");
        row(R"({ "path": "checker.duplicated", "op": ">=", "value": 1, "why": "w" })", true, "2");
        row(R"({ "path": "topics[name=orders].partitions[*].high_watermark", "reduce": "sum", "op": "==", "value": 12, "why": "w" })", true, "12");
        row(R"({ "path": "topics[name=orders].partitions[1].high_watermark", "op": "==", "value": 5, "why": "w" })", true, "5");
        row(R"({ "path": "topics[name=orders].partitions[*].high_watermark", "op": "==", "value": [7, 5], "why": "w" })", true, "[7,5]");
        row(R"({ "path": "topics[name=orders].partitions[*].high_watermark", "for": "all", "op": ">", "value": 5, "why": "w" })", false, "[7,5]");
        row(R"({ "path": "topics[name=orders].partitions[*].high_watermark", "for": "any", "op": ">", "value": 5, "why": "w" })", true, "[7,5]");
        // "all" over nothing does not pass: a lesson must not hold vacuously.
        row(R"({ "path": "topics[name=empty].partitions[*].high_watermark", "for": "all", "op": "==", "value": 0, "why": "w" })", false, "[]");
        row(R"({ "path": "topics[name=empty].partitions[*].high_watermark", "reduce": "max", "op": "==", "value": 0, "why": "w" })", false, "null");
        row(R"({ "path": "topics[*].partitions.#", "op": "==", "value": [2, 0], "why": "w" })", true, "[2,0]");
        row(R"({ "path": "groups[group_id=g].members[*].assignment.#", "reduce": "sorted", "op": "==", "value": [2, 2, 4], "why": "w" })", true, "[2,2,4]");
        row(R"({ "path": "groups[group_id=g].members[*].assignment.#", "reduce": "spread", "op": "<=", "value": 1, "why": "w" })", false, "2");
        row(R"({ "path": "groups[group_id=g].members[*].assignment[*]", "reduce": "distinct", "op": "==", "value": 8, "why": "w" })", true, "8");
        row(R"({ "path": "groups[group_id=g].members[*].assignment[*]", "reduce": "count", "op": "==", "value": 8, "why": "w" })", true, "8");
        row(R"({ "path": "groups[group_id=g].members[client_id=b].assignment", "op": "==", "value": ["t-2", "u-2"], "why": "w" })", true, "[\"t-2\",\"u-2\"]");
        row(R"({ "path": "acked", "op": ">", "value": { "path": "checker.duplicated" }, "why": "w" })", true, "12");
    return cases;
}

} // namespace brokerlab::lesson::testing

namespace brokerlab::lesson::testing {

std::string documentedExample()
{
    const std::string doc = readFile(BROKERLAB_SOURCE_DIR "/docs/lessons.md");
    const std::string open = "```json\n";
    const std::size_t start = doc.find(open);
    if (start == std::string::npos)
        return {};
    const std::size_t end = doc.find("```", start + open.size());
    return doc.substr(start + open.size(), end - start - open.size());
}

} // namespace brokerlab::lesson::testing
