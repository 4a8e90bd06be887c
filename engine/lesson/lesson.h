#pragma once
// A lesson: a scenario file with a `lesson` block that says what to predict, what to watch and,
// as assertions over the run report, what must happen. Format: docs/lessons.md; schema:
// docs/lesson.schema.json.

#include "lesson/reportpath.h"
#include "scenario/json.h"
#include "scenario/scenario.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace brokerlab::lesson {

// The five tracks of the lesson library, in teaching order.
inline constexpr std::string_view kTracks[] = { "log", "consumers", "reliability", "replication", "architecture" };
// A watch step's text is read while the run goes on: keep it short.
inline constexpr int kMaxWatchWords = 40;

struct Prediction {
    std::string question;
    std::vector<std::string> choices;
    int answer = 0; // index into choices
};

struct WatchStep {
    std::int64_t atMs = -1; // tied to a virtual time, or
    std::string event; // to the first timeline event of this kind ("broker.fenced")
    std::string variant; // the run it refers to; empty = every run
    std::string text;
};

struct Variant {
    std::string name; // empty for the one run of a lesson without variants
    std::string description;
    scenario::Scenario scenario; // the lesson's scenario with the variant's patch applied
};

enum class Op { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Between };
enum class Reduce { None, Count, Sum, Min, Max, Distinct, Sorted, Spread };
enum class Quantifier { None, All, Any };

std::string_view opName(Op op);
std::string_view reduceName(Reduce reduce);
std::string_view quantifierName(Quantifier quantifier);

// A value read from a run report: the path, in one variant, optionally reduced to one value.
struct Measure {
    ReportPath path;
    std::size_t variant = 0; // index into Lesson::variants
    Reduce reduce = Reduce::None;
};

struct Assertion {
    std::string field; // "lesson.assertions[2]", for messages
    Measure measure;
    Quantifier quantifier = Quantifier::None;
    Op op = Op::Equal;
    scenario::JsonValue expected; // a literal (for between: [low, high]) unless expectedMeasure is used
    bool expectedIsMeasure = false;
    Measure expectedMeasure;
    std::string why;
    // "[acks=all] checker.lost == 0", as printed.
    std::string describe(const struct Lesson& lesson) const;
};

struct Lesson {
    std::string file;
    std::string id;
    std::string title;
    std::string track;
    std::vector<std::string> concepts;
    Prediction prediction;
    std::vector<WatchStep> watch;
    bool declaresVariants = false;
    std::vector<Variant> variants; // at least one
    std::vector<Assertion> assertions;
    std::uint64_t seed = 1; // the scenario's seed: every variant runs on it

    // Every user-visible text of the lesson, for translation (context "lesson").
    std::vector<std::string> texts() const;
};

using LessonLoad = std::variant<Lesson, scenario::ScenarioError>;
LessonLoad parseLesson(std::string_view text, const std::string& fileName);
// Reads a file, or a Qt resource (":/lessons/01-....json").
LessonLoad loadLessonFile(const std::string& path);

// The top-level keys of the run report that assertions may read (wall_ms is not one: it is not
// deterministic), with `events` last: the lesson runner adds it (kind, count, first_ms, last_ms of
// every timeline event kind).
const std::vector<std::string_view>& reportKeys();

} // namespace brokerlab::lesson

namespace brokerlab::lesson {

// A lesson text as the user reads it: through Qt's translation system, context "lesson"
// (QCoreApplication::translate). Without an installed translator the text comes back unchanged.
std::string translate(const std::string& text);

// A C++ source of QT_TRANSLATE_NOOP("lesson", ...) entries, one per text of the given lessons,
// for lupdate to read (lupdate cannot read JSON). docs/lessons.md shows the step.
std::string translationSource(const std::vector<Lesson>& lessons);

} // namespace brokerlab::lesson
