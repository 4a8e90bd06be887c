#pragma once
// Running a lesson headless: every variant on the lesson's seed (or the one given), its run report,
// then each assertion evaluated against the reports.

#include "lesson/lesson.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::driver {
class Engine;
}

namespace brokerlab::lesson {

struct VariantRun {
    std::string name;
    std::uint64_t seed = 0;
    scenario::JsonValue report; // as `brokerlab-cli run --report`, with wall_ms 0, plus events[]
    std::string traceSha256;
    std::map<std::string, std::int64_t> firstEventMs; // timeline event kind -> virtual ms it first happened
};

struct AssertionResult {
    bool passed = false;
    scenario::JsonValue measured; // null when the path did not resolve
    scenario::JsonValue expected; // the literal, or the value read for a reference
    std::string error; // the path did not resolve, or the values cannot be compared: a bad lesson
    std::string note; // why a comparison failed beyond "not equal" (e.g. "no values")
};

struct WatchResult {
    std::int64_t seenAtMs = -1; // for event steps: first time in the step's run (the first run that had it)
    bool happened = true; // false: an event step whose event never came in any run it refers to
};

struct LessonRun {
    std::vector<VariantRun> runs; // parallel to Lesson::variants
    std::vector<AssertionResult> assertions; // parallel to Lesson::assertions
    std::vector<WatchResult> watch; // parallel to Lesson::watch
    int passedCount() const;
    bool passed() const; // every assertion holds and every watched event happened
    bool badLesson() const; // an assertion could not be evaluated
};

// `afterRun`, when given, sees each variant's engine once its run has ended (to write its log
// directories, for instance).
using AfterRun = std::function<void(const VariantRun& run, const driver::Engine& engine)>;
LessonRun runLesson(const Lesson& lesson, std::optional<std::uint64_t> seed = std::nullopt, const AfterRun& afterRun = {});
// Evaluation alone, on reports already made (tests use it on hand-written reports).
AssertionResult evaluate(const Assertion& assertion, const std::vector<VariantRun>& runs);

} // namespace brokerlab::lesson
