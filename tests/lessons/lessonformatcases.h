#pragma once
// Test data of test_lessonformat: lesson texts, a hand-written report, and the table of bad lessons
// with the field and message each must produce.

#include "lesson/lesson.h"
#include "lesson/lessonrun.h"

#include <string>
#include <vector>

namespace brokerlab::lesson::testing {

extern const std::string kWatch;
extern const std::string kAssertion;
extern const std::string kVariants;
extern const std::string kReport;
extern const std::string kCrossVariantAssertion;
extern const std::string kMisspelledNestedKey;
extern const std::string kMissingFilterMatch;
extern const std::string kUncomparable;
extern const std::string kWrongExpectation;
extern const std::string kWatchEvents;
extern const std::string kTranslatedWhy;

// A small lesson around a five-record scenario, with these assertions (JSON objects, comma-separated).
std::string lessonJson(const std::string& assertions, const std::string& extra = {}, const std::string& watch = kWatch);
Lesson load(const std::string& text);
scenario::ScenarioError loadError(const std::string& text);
scenario::JsonValue parsed(const std::string& text);
std::string readFile(const std::string& path);
// `assertion` evaluated against the one hand-written report `report`.
AssertionResult evaluateOn(const std::string& report, const std::string& assertion);

struct ErrorCase {
    std::string name, text, field, message;
};
std::vector<ErrorCase> errorCases();

struct EvaluationCase {
    std::string assertion;
    bool passed;
    std::string measured;
};
std::vector<EvaluationCase> evaluationCases();

// The first ```json block of docs/lessons.md.
std::string documentedExample();

} // namespace brokerlab::lesson::testing
