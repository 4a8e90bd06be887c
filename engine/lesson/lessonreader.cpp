// Reading a lesson file: the `lesson` block is checked as strictly as the scenario around it, and
// every variant's patched scenario goes through the scenario loader.

#include "lesson/lesson.h"

#include "scenario/scenarioreader.h"
#include "scenario/suggest.h"

#include <QFile>

#include <algorithm>
#include <map>

namespace brokerlab::lesson {

using namespace scenario::detail;
using scenario::JsonMember;
using scenario::JsonValue;
using scenario::ScenarioError;

namespace {

constexpr std::string_view kOps[] = { "==", "!=", "<", "<=", ">", ">=", "between" };
constexpr std::string_view kReduces[] = { "", "count", "sum", "min", "max", "distinct", "sorted", "spread" };
constexpr std::string_view kQuantifiers[] = { "", "all", "any" };

int wordCount(std::string_view text)
{
    int words = 0;
    bool inWord = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return words;
}

bool isEventKind(std::string_view kind)
{
    // dotted lowercase names such as "broker.fenced" or "partition.leader_elected"
    if (kind.empty() || kind.front() == '.' || kind.back() == '.' || kind.find('.') == std::string_view::npos)
        return false;
    return std::all_of(kind.begin(), kind.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; });
}

template <std::size_t N>
std::string listOf(const std::string_view (&names)[N])
{
    std::string text;
    for (std::string_view name : names) {
        if (!name.empty())
            text += (text.empty() ? "" : ", ") + std::string(name);
    }
    return text;
}

template <std::size_t N>
int chooseName(const ObjectReader& object, std::string_view key, const std::string_view (&names)[N], std::string_view what)
{
    const std::string text = object.string(key, {});
    for (std::size_t i = 0; i < N; ++i) {
        if (!names[i].empty() && names[i] == text)
            return static_cast<int>(i);
    }
    std::string message = "unknown " + std::string(what) + " " + inQuotes(text) + "; use one of " + listOf(names);
    const std::vector<std::string_view> candidates(std::begin(names), std::end(names));
    if (const auto match = scenario::closestMatch(text, candidates))
        message = "unknown " + std::string(what) + " " + inQuotes(text) + " (did you mean " + inQuotes(*match) + "?)";
    object.fail(key, message);
}

std::string requiredText(const ObjectReader& object, std::string_view key) { return object.nonEmptyString(key, true); }

// RFC 7386 merge patch, plus one extension: an object patching an array patches the items named
// by their index ("producers": {"0": {"config": {"acks": 1}}}).
void mergePatch(const Reader& reader, JsonValue& target, const JsonValue& patch, const std::string& path)
{
    for (const JsonMember& member : patch.members()) {
        const std::string memberPath = childPath(path, member.key);
        if (target.isArray()) {
            std::size_t index = 0;
            const auto& key = member.key;
            const bool digits = !key.empty() && key.size() < 7
                && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (digits)
                index = static_cast<std::size_t>(std::stoul(key));
            if (!digits || index >= target.size()) {
                reader.fail(member.line, member.column, memberPath,
                    "patching an array: " + inQuotes(key) + " is not the index of one of its "
                        + std::to_string(target.size()) + " items");
            }
            JsonValue& item = target.items()[index];
            if (member.value.isObject() && (item.isObject() || item.isArray()))
                mergePatch(reader, item, member.value, memberPath);
            else
                item = member.value;
            continue;
        }
        auto& members = target.members();
        auto existing = std::find_if(members.begin(), members.end(), [&](const JsonMember& m) { return m.key == member.key; });
        if (member.value.isNull()) {
            if (existing != members.end())
                members.erase(existing);
            continue;
        }
        if (existing != members.end() && member.value.isObject()
            && (existing->value.isObject() || existing->value.isArray())) {
            mergePatch(reader, existing->value, member.value, memberPath);
        } else if (existing != members.end()) {
            existing->value = member.value;
        } else {
            members.push_back(member);
        }
    }
}

std::size_t readVariantName(const ObjectReader& object, std::string_view key, const Lesson& lesson, bool optional = false)
{
    const JsonValue* value = object.get(key);
    if (!lesson.declaresVariants) {
        if (value)
            object.fail(key, "this lesson declares no \"variants\": leave \"" + std::string(key) + "\" out");
        return 0;
    }
    std::string names;
    for (const Variant& variant : lesson.variants)
        names += (names.empty() ? "" : ", ") + inQuotes(variant.name);
    if (!value && optional)
        return 0;
    if (!value)
        object.require(key); // fails: a lesson with variants must say which run it means
    const std::string name = object.string(key, {});
    for (std::size_t i = 0; i < lesson.variants.size(); ++i) {
        if (lesson.variants[i].name == name)
            return i;
    }
    std::vector<std::string_view> candidates;
    for (const Variant& variant : lesson.variants)
        candidates.push_back(variant.name);
    std::string message = "unknown variant " + inQuotes(name) + "; the variants are " + names;
    if (const auto match = scenario::closestMatch(name, candidates))
        message = "unknown variant " + inQuotes(name) + " (did you mean " + inQuotes(*match) + "?)";
    object.fail(key, message);
}

// `inherit`: a value read from a report may leave out the variant; it then reads the assertion's.
Measure readMeasure(const Reader& reader, const ObjectReader& object, const Lesson& lesson, bool inherit = false)
{
    Measure measure;
    measure.variant = readVariantName(object, "variant", lesson, inherit);
    const JsonValue& pathValue = object.require("path");
    const std::string text = object.nonEmptyString("path", true);
    auto parsed = parseReportPath(text);
    if (auto* error = std::get_if<std::string>(&parsed))
        reader.fail(pathValue, object.pathOf("path"), *error);
    measure.path = std::get<ReportPath>(std::move(parsed));
    const PathSegment& first = measure.path.segments.front();
    const auto& keys = reportKeys();
    if (first.kind != PathSegment::Kind::Key || std::find(keys.begin(), keys.end(), first.key) == keys.end()) {
        std::string message = "the run report has no key " + inQuotes(first.key);
        if (first.key == "wall_ms")
            message = "wall_ms is the real time the run took, not deterministic: a lesson cannot assert it";
        else if (const auto match = scenario::closestMatch(first.key, keys))
            message += " (did you mean " + inQuotes(*match) + "?)";
        else
            message += "; see docs/cli.md for the report's fields";
        reader.fail(pathValue, object.pathOf("path"), message);
    }
    if (object.get("reduce"))
        measure.reduce = static_cast<Reduce>(chooseName(object, "reduce", kReduces, "reduction"));
    return measure;
}

bool isNumberPair(const JsonValue& value)
{
    return value.isArray() && value.size() == 2 && value.items()[0].isNumber() && value.items()[1].isNumber()
        && value.items()[0].asDouble() <= value.items()[1].asDouble();
}

Assertion readAssertion(const Reader& reader, const JsonValue& value, const std::string& path, const Lesson& lesson)
{
    const ObjectReader object(reader, value, path, "an assertion", { "variant", "path", "reduce", "for", "op", "value", "why" });
    Assertion assertion;
    assertion.field = path;
    assertion.measure = readMeasure(reader, object, lesson);
    object.require("op");
    assertion.op = static_cast<Op>(chooseName(object, "op", kOps, "operator"));
    if (object.get("for")) {
        assertion.quantifier = static_cast<Quantifier>(chooseName(object, "for", kQuantifiers, "quantifier"));
        if (assertion.measure.reduce != Reduce::None)
            object.fail("for", "\"for\" compares each value, \"reduce\" makes one value of them: use one or the other");
    }
    const JsonValue& expected = object.require("value");
    if (expected.isObject()) {
        const ObjectReader reference(reader, expected, object.pathOf("value"), "a value read from a report", { "variant", "path", "reduce" });
        assertion.expectedIsMeasure = true;
        assertion.expectedMeasure = readMeasure(reader, reference, lesson, true);
        if (!reference.get("variant"))
            assertion.expectedMeasure.variant = assertion.measure.variant;
        if (assertion.op == Op::Between)
            object.fail("value", "between takes [low, high], two numbers");
    } else if (assertion.op == Op::Between) {
        if (!isNumberPair(expected))
            object.fail("value", "between takes [low, high], two numbers with low <= high, got " + describe(expected));
    } else if (assertion.op != Op::Equal && assertion.op != Op::NotEqual && !expected.isNumber()) {
        object.fail("value", std::string(opName(assertion.op)) + " compares numbers, got " + describe(expected));
    }
    assertion.expected = expected;
    assertion.why = object.nonEmptyString("why", true);
    if (assertion.why.find('\n') != std::string::npos)
        object.fail("why", "\"why\" is one line");
    return assertion;
}

void readVariants(const Reader& reader, const ObjectReader& block, const JsonValue& document, Lesson& lesson)
{
    // The scenario without the lesson block: what every variant starts from.
    JsonValue base = JsonValue::object();
    for (const JsonMember& member : document.members()) {
        if (member.key != "lesson")
            base.members().push_back(member);
    }
    const auto load = [&](const JsonValue& scenarioDocument, const std::string& variantName) {
        auto loaded = scenario::parseScenarioDocument(scenarioDocument, reader.file());
        if (auto* error = std::get_if<ScenarioError>(&loaded)) {
            ScenarioError patched = *error;
            if (!variantName.empty())
                patched.message += " (in variant " + inQuotes(variantName) + ")";
            throw ScenarioFailure { patched };
        }
        return std::get<scenario::Scenario>(std::move(loaded));
    };

    const JsonValue::Array* variants = block.array("variants", false);
    if (!variants) {
        lesson.variants.push_back({ {}, {}, load(base, {}) });
        lesson.seed = lesson.variants.front().scenario.seed;
        return;
    }
    lesson.declaresVariants = true;
    if (variants->size() < 2)
        block.fail("variants", "a lesson with variants compares runs: give at least two, or leave \"variants\" out");
    for (std::size_t i = 0; i < variants->size(); ++i) {
        const std::string path = indexPath(block.pathOf("variants"), i);
        const ObjectReader object(reader, (*variants)[i], path, "a variant", { "name", "description", "patch" });
        Variant variant;
        variant.name = requiredText(object, "name");
        for (const Variant& other : lesson.variants) {
            if (other.name == variant.name)
                object.fail("name", "duplicate variant name " + inQuotes(variant.name));
        }
        variant.description = object.string("description", {});
        const JsonValue& patch = object.require("patch");
        const ObjectReader patchObject(reader, patch, object.pathOf("patch"), "a patch of the scenario", {}, true);
        if (patch.find("lesson"))
            patchObject.fail("lesson", "a variant patches the scenario, not the lesson");
        JsonValue patched = base;
        mergePatch(reader, patched, patch, object.pathOf("patch"));
        variant.scenario = load(patched, variant.name);
        lesson.variants.push_back(std::move(variant));
    }
    lesson.seed = lesson.variants.front().scenario.seed;
    for (const Variant& variant : lesson.variants) {
        if (variant.scenario.seed != lesson.seed)
            block.fail("variants", "variant " + inQuotes(variant.name) + " changes the seed: paired runs share one seed");
    }
}

Lesson readLesson(const Reader& reader, const JsonValue& document)
{
    if (!document.isObject())
        reader.fail(document, "", "a lesson file must hold one JSON object { ... }, found " + describe(document));
    const JsonMember* member = document.findMember("lesson");
    if (!member)
        reader.fail(document, "lesson", "missing required key \"lesson\": without it this is a plain scenario (brokerlab-cli run)");
    const ObjectReader block(reader, member->value, "lesson", "the lesson",
        { "id", "title", "track", "concepts", "prediction", "watch", "variants", "assertions" });
    Lesson lesson;
    lesson.id = requiredText(block, "id");
    if (!std::all_of(lesson.id.begin(), lesson.id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; })
        || lesson.id.size() > 60)
        block.fail("id", "an id is at most 60 characters of a-z, 0-9 and '-', got " + inQuotes(lesson.id));
    lesson.title = requiredText(block, "title");
    block.require("track");
    lesson.track = std::string(kTracks[chooseName(block, "track", kTracks, "track")]);

    const JsonValue::Array* concepts = block.array("concepts", true);
    if (concepts->empty())
        block.fail("concepts", "name at least one concept the lesson teaches");
    for (std::size_t i = 0; i < concepts->size(); ++i) {
        const JsonValue& item = (*concepts)[i];
        if (!item.isString() || item.asString().empty())
            reader.fail(item, indexPath(block.pathOf("concepts"), i), "expected a concept (a non-empty string), got " + describe(item));
        lesson.concepts.push_back(item.asString());
    }

    const ObjectReader prediction(reader, block.require("prediction"), block.pathOf("prediction"), "the prediction",
        { "question", "choices", "answer" });
    lesson.prediction.question = requiredText(prediction, "question");
    const JsonValue::Array* choices = prediction.array("choices", true);
    if (choices->size() < 2)
        prediction.fail("choices", "a prediction needs at least two choices");
    for (std::size_t i = 0; i < choices->size(); ++i) {
        const JsonValue& choice = (*choices)[i];
        if (!choice.isString() || choice.asString().empty())
            reader.fail(choice, indexPath(prediction.pathOf("choices"), i), "expected a choice (a non-empty string), got " + describe(choice));
        lesson.prediction.choices.push_back(choice.asString());
    }
    lesson.prediction.answer = static_cast<int>(prediction.integer("answer", 0, static_cast<std::int64_t>(choices->size()) - 1, 0, true));

    // Variants before watch steps and assertions: those name them.
    readVariants(reader, block, document, lesson);

    const JsonValue::Array* watch = block.array("watch", true);
    if (watch->empty())
        block.fail("watch", "say what to watch in at least one step");
    for (std::size_t i = 0; i < watch->size(); ++i) {
        const std::string path = indexPath(block.pathOf("watch"), i);
        const ObjectReader object(reader, (*watch)[i], path, "a watch step", { "at_ms", "event", "variant", "text" });
        WatchStep step;
        const bool hasTime = object.get("at_ms") != nullptr;
        const bool hasEvent = object.get("event") != nullptr;
        if (hasTime == hasEvent)
            reader.fail((*watch)[i], path, "a watch step is tied to a virtual time (\"at_ms\") or to an event (\"event\"): give exactly one");
        step.text = requiredText(object, "text");
        if (const int words = wordCount(step.text); words > kMaxWatchWords)
            object.fail("text", "a watch step has at most " + std::to_string(kMaxWatchWords) + " words, this one has " + std::to_string(words));
        if (object.get("variant"))
            step.variant = lesson.variants[readVariantName(object, "variant", lesson)].name;
        if (hasTime) {
            std::int64_t longest = 0;
            for (const Variant& variant : lesson.variants)
                longest = std::max(longest, variant.scenario.durationMs);
            step.atMs = object.integer("at_ms", 0, longest, 0);
        } else {
            step.event = object.string("event", {});
            if (!isEventKind(step.event))
                object.fail("event", "expected an event kind such as \"broker.fenced\" (lowercase, dotted), got " + inQuotes(step.event));
        }
        lesson.watch.push_back(std::move(step));
    }

    const JsonValue::Array* assertions = block.array("assertions", true);
    if (assertions->empty())
        block.fail("assertions", "a lesson asserts at least one outcome");
    for (std::size_t i = 0; i < assertions->size(); ++i)
        lesson.assertions.push_back(readAssertion(reader, (*assertions)[i], indexPath(block.pathOf("assertions"), i), lesson));
    return lesson;
}

} // namespace

const std::vector<std::string_view>& reportKeys()
{
    static const std::vector<std::string_view> keys = { "scenario", "seed", "virtual_ms", "trace_sha256",
        "trace_events", "events_run", "produced", "acked", "failed", "consumed", "elections", "unclean_elections",
        "isr_changes", "fencings", "controllers", "active_controller", "controller_elections", "checker", "brokers",
        "topics", "producers", "consumers", "groups", "processors", "queues", "events", "processing" };
    return keys;
}

std::string_view opName(Op op) { return kOps[static_cast<int>(op)]; }
std::string_view reduceName(Reduce reduce) { return kReduces[static_cast<int>(reduce)]; }
std::string_view quantifierName(Quantifier quantifier) { return kQuantifiers[static_cast<int>(quantifier)]; }

std::string Assertion::describe(const Lesson& lesson) const
{
    const auto measureText = [&](const Measure& m) {
        std::string text;
        if (lesson.declaresVariants)
            text += "[" + lesson.variants[m.variant].name + "] ";
        if (m.reduce != Reduce::None)
            return text + std::string(reduceName(m.reduce)) + "(" + m.path.text + ")";
        return text + m.path.text;
    };
    std::string text;
    if (quantifier != Quantifier::None)
        text += std::string(quantifierName(quantifier)) + " of ";
    text += measureText(measure) + " " + std::string(opName(op)) + " ";
    if (expectedIsMeasure)
        return text + measureText(expectedMeasure);
    if (op == Op::Between)
        return text + scenario::toJson(expected.items()[0]) + " and " + scenario::toJson(expected.items()[1]);
    return text + scenario::toJson(expected);
}

std::vector<std::string> Lesson::texts() const
{
    std::vector<std::string> out { title, prediction.question };
    out.insert(out.end(), concepts.begin(), concepts.end());
    out.insert(out.end(), prediction.choices.begin(), prediction.choices.end());
    for (const WatchStep& step : watch)
        out.push_back(step.text);
    for (const Variant& variant : variants) {
        if (!variant.description.empty())
            out.push_back(variant.description);
    }
    for (const Assertion& assertion : assertions)
        out.push_back(assertion.why);
    return out;
}

LessonLoad parseLesson(std::string_view text, const std::string& fileName)
{
    scenario::JsonParseResult parsed = scenario::parseJson(text);
    if (!parsed.ok())
        return ScenarioError { fileName, parsed.error->line, parsed.error->column, {}, parsed.error->message };
    try {
        Lesson lesson = readLesson(Reader(fileName), parsed.value);
        lesson.file = fileName;
        return lesson;
    } catch (const ScenarioFailure& failure) {
        return failure.error;
    }
}

LessonLoad loadLessonFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.exists())
        return ScenarioError { path, 0, 0, {}, "cannot read the file: it does not exist" };
    if (file.size() > 16 * 1024 * 1024)
        return ScenarioError { path, 0, 0, {}, "the file is larger than 16 MiB; lesson files are small JSON documents" };
    if (!file.open(QIODevice::ReadOnly))
        return ScenarioError { path, 0, 0, {}, "cannot read the file: " + file.errorString().toStdString() };
    const QByteArray bytes = file.readAll();
    return parseLesson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), path);
}

} // namespace brokerlab::lesson
