#include "lesson/lessonrun.h"

#include "driver/engine.h"
#include "driver/report.h"

#include <algorithm>
#include <set>

namespace brokerlab::lesson {

using scenario::JsonValue;

namespace {

using ProcessedCounts = std::map<std::string, std::map<protocol::TopicPartition, std::map<std::int64_t, std::int64_t>>>;

// The largest lag (high watermark minus committed offset, over a group's partitions) seen at the
// samples, and the virtual time of the first sample that saw it.
struct LagPeak {
    std::int64_t lag = 0;
    std::int64_t atMs = 0;
};
using LagPeaks = std::map<std::string, LagPeak>;
// How often the runner samples every group's lag: a report has only the final lag.
constexpr std::int64_t kLagSampleMs = 500;

void sampleLag(const driver::Engine& engine, LagPeaks& peaks)
{
    const driver::Snapshot snapshot = engine.snapshot();
    for (const driver::GroupSnapshot& group : snapshot.groups) {
        LagPeak& peak = peaks[group.summary.groupId];
        if (const std::int64_t lag = group.totalLag(); lag > peak.lag)
            peak = { lag, snapshot.virtualUs / 1000 };
    }
}

// Per group: records returned by poll() to its members, records processed, distinct records processed, duplicates (processed more than once)
// and missed (committed records of its topics, between log start and high watermark, that no
// member processed).
JsonValue processingReport(const driver::Engine& engine, const ProcessedCounts& processed, const LagPeaks& peaks)
{
    const driver::Snapshot snapshot = engine.snapshot();
    // Several consumer entries may share a group.id: one entry per group, over all their topics.
    std::vector<std::pair<std::string, std::set<std::string>>> order;
    for (const driver::ConsumerGroupInfo& group : engine.groups()) {
        auto it = std::find_if(order.begin(), order.end(), [&](const auto& g) { return g.first == group.groupId; });
        if (it == order.end())
            it = order.insert(order.end(), { group.groupId, {} });
        it->second.insert(group.topics.begin(), group.topics.end());
    }
    JsonValue groups = JsonValue::array();
    for (const auto& [groupId, topics] : order) {
        const auto& counts = processed.at(groupId);
        std::int64_t total = 0, distinct = 0, missed = 0, polled = 0;
        for (const driver::ConsumerGroupInfo& group : engine.groups()) {
            if (group.groupId == groupId) {
                for (std::size_t index : group.members)
                    polled += engine.consumers().at(index)->counters().consumed;
            }
        }
        for (const auto& [partition, offsets] : counts) {
            for (const auto& [offset, times] : offsets) {
                total += times;
                ++distinct;
            }
        }
        for (const driver::TopicSnapshot& topic : snapshot.topics) {
            if (topics.count(topic.name) == 0)
                continue;
            for (const driver::PartitionSnapshot& partition : topic.partitions) {
                const auto it = counts.find({ topic.name, partition.partition });
                for (std::int64_t offset = partition.logStartOffset; offset < partition.highWatermark; ++offset) {
                    if (it == counts.end() || it->second.count(offset) == 0)
                        ++missed;
                }
            }
        }
        const auto peak = peaks.find(groupId);
        groups.push(JsonValue::object()
                        .set("group_id", groupId)
                        .set("polled", polled)
                        .set("processed", total)
                        .set("distinct", distinct)
                        .set("duplicates", total - distinct)
                        .set("missed", missed)
                        .set("max_lag", peak == peaks.end() ? std::int64_t(0) : peak->second.lag)
                        .set("max_lag_ms", peak == peaks.end() ? std::int64_t(0) : peak->second.atMs));
    }
    return groups;
}

VariantRun runVariant(const Variant& variant, std::uint64_t seed, const AfterRun& afterRun)
{
    VariantRun run;
    run.name = variant.name;
    run.seed = seed;
    driver::Engine engine(variant.scenario, seed);
    struct Seen {
        std::int64_t count = 0, firstMs = 0, lastMs = 0;
        std::map<std::string, std::int64_t> sums; // each number the events carry, summed
    };
    std::map<std::string, Seen> seen; // ordered: the report lists kinds alphabetically
    engine.trace().setListener([&seen](const sim::Event& event) {
        Seen& kind = seen[event.kind];
        if (kind.count++ == 0)
            kind.firstMs = sim::toMs(event.time);
        kind.lastMs = sim::toMs(event.time);
        for (const auto& [name, value] : event.numbers)
            kind.sums[name] += value;
    });
    engine.enableHistory();
    engine.start();
    // What each group's application finished processing (not merely polled): the measure of
    // at-least-once versus at-most-once. Members that join later through a consumer_join fault
    // are not followed.
    ProcessedCounts processed;
    for (const driver::ConsumerGroupInfo& group : engine.groups()) {
        auto& counts = processed[group.groupId];
        for (std::size_t index : group.members) {
            engine.consumers().at(index)->setProcessedListener(
                [&counts](const client::ConsumedRecord& record) { ++counts[record.topicPartition][record.record.offset]; });
        }
    }
    // Run in steps to sample lag; the scheduler runs the same events in the same order either way.
    LagPeaks peaks;
    for (sim::SimTime at = sim::fromMs(kLagSampleMs); at < engine.endTime(); at += sim::fromMs(kLagSampleMs)) {
        engine.runUntil(at);
        sampleLag(engine, peaks);
    }
    engine.runUntil(engine.endTime());
    sampleLag(engine, peaks);
    driver::RunInfo info;
    info.traceSha256 = engine.trace().sha256Hex();
    info.traceEvents = engine.trace().lines();
    info.checker = engine.checkHistory();
    run.report = driver::buildReport(engine, engine.snapshot(), info);
    // The timeline, which the CLI's report leaves to the trace: how often each kind of event
    // happened and when first and last, so that lessons can assert when things happen.
    JsonValue events = JsonValue::array();
    for (const auto& [kind, times] : seen) {
        run.firstEventMs[kind] = times.firstMs;
        JsonValue sums = JsonValue::object();
        for (const auto& [name, total] : times.sums)
            sums.set(name, total);
        events.push(JsonValue::object()
                        .set("kind", kind)
                        .set("count", times.count)
                        .set("first_ms", times.firstMs)
                        .set("last_ms", times.lastMs)
                        .set("sums", std::move(sums)));
    }
    run.report.set("events", std::move(events));
    run.report.set("processing", processingReport(engine, processed, peaks));
    run.traceSha256 = info.traceSha256;
    if (afterRun)
        afterRun(run, engine);
    return run;
}

struct Read {
    JsonValue value;
    std::string error; // the lesson is wrong
    std::string note; // the run is: e.g. no values where some were expected
};

// The values a list operation works on: the items a [*] path selected, or the items of the one
// array a plain path selected.
const std::vector<JsonValue>* listOf(const Selection& selection)
{
    if (selection.list)
        return &selection.values;
    if (selection.single().isArray())
        return &selection.single().items();
    return nullptr;
}

bool lessThan(const JsonValue& a, const JsonValue& b)
{
    if (a.isNumber() && b.isNumber())
        return a.isInteger() && b.isInteger() ? a.asInt() < b.asInt() : a.asDouble() < b.asDouble();
    if (a.isString() && b.isString())
        return a.asString() < b.asString();
    return scenario::toJson(a) < scenario::toJson(b);
}

Read reduce(const std::vector<JsonValue>& values, Reduce how)
{
    Read read;
    if (how == Reduce::Count) {
        read.value = static_cast<std::int64_t>(values.size());
        return read;
    }
    if (how == Reduce::Distinct) {
        std::vector<std::string> texts;
        for (const JsonValue& value : values)
            texts.push_back(scenario::toJson(value));
        std::sort(texts.begin(), texts.end());
        read.value = static_cast<std::int64_t>(std::unique(texts.begin(), texts.end()) - texts.begin());
        return read;
    }
    if (how == Reduce::Sorted) {
        std::vector<JsonValue> sorted = values;
        std::stable_sort(sorted.begin(), sorted.end(), lessThan);
        read.value = JsonValue::array();
        for (JsonValue& value : sorted)
            read.value.push(std::move(value));
        return read;
    }
    for (const JsonValue& value : values) {
        if (!value.isNumber()) {
            read.error = std::string(reduceName(how)) + " needs numbers, and the path selected " + scenario::toJson(value);
            return read;
        }
    }
    if (values.empty()) {
        if (how == Reduce::Sum) {
            read.value = std::int64_t(0);
        } else {
            read.note = "the path selected no values";
        }
        return read;
    }
    const bool integers = std::all_of(values.begin(), values.end(), [](const JsonValue& v) { return v.isInteger(); });
    const auto [low, high] = std::minmax_element(values.begin(), values.end(), lessThan);
    const auto number = [&](double real, std::int64_t whole) { return integers ? JsonValue(whole) : JsonValue(real); };
    switch (how) {
    case Reduce::Sum: {
        std::int64_t whole = 0;
        double real = 0;
        for (const JsonValue& value : values) {
            whole += value.asInt();
            real += value.asDouble();
        }
        read.value = number(real, whole);
        break;
    }
    case Reduce::Min:
        read.value = *low;
        break;
    case Reduce::Max:
        read.value = *high;
        break;
    case Reduce::Spread:
        read.value = number(high->asDouble() - low->asDouble(), high->asInt() - low->asInt());
        break;
    default:
        break;
    }
    return read;
}

Read measure(const Measure& what, const std::vector<VariantRun>& runs, bool keepList)
{
    Read read;
    auto selected = selectPath(runs.at(what.variant).report, what.path);
    if (auto* error = std::get_if<std::string>(&selected)) {
        read.error = *error;
        return read;
    }
    const Selection& selection = std::get<Selection>(selected);
    if (what.reduce != Reduce::None) {
        const std::vector<JsonValue>* values = listOf(selection);
        if (!values) {
            read.error = std::string(reduceName(what.reduce)) + " needs a list: \"" + what.path.text + "\" is "
                + scenario::toJson(selection.single());
            return read;
        }
        return reduce(*values, what.reduce);
    }
    if (selection.list || keepList) {
        read.value = JsonValue::array();
        for (const JsonValue& value : selection.values)
            read.value.push(value);
        return read;
    }
    read.value = selection.single();
    return read;
}

// nullopt-free: returns 1 true, 0 false, -1 the values cannot be compared that way.
int compare(const JsonValue& measured, Op op, const JsonValue& expected)
{
    if (op == Op::Between) {
        if (!measured.isNumber())
            return -1;
        return !lessThan(measured, expected.items()[0]) && !lessThan(expected.items()[1], measured) ? 1 : 0;
    }
    if (op == Op::Equal || op == Op::NotEqual) {
        bool equal = measured == expected;
        if (measured.isNumber() && expected.isNumber())
            equal = !lessThan(measured, expected) && !lessThan(expected, measured);
        return (op == Op::Equal) == equal ? 1 : 0;
    }
    if (!measured.isNumber() || !expected.isNumber())
        return -1;
    switch (op) {
    case Op::Less:
        return lessThan(measured, expected) ? 1 : 0;
    case Op::LessOrEqual:
        return !lessThan(expected, measured) ? 1 : 0;
    case Op::Greater:
        return lessThan(expected, measured) ? 1 : 0;
    case Op::GreaterOrEqual:
        return !lessThan(measured, expected) ? 1 : 0;
    default:
        return -1;
    }
}

} // namespace

AssertionResult evaluate(const Assertion& assertion, const std::vector<VariantRun>& runs)
{
    AssertionResult result;
    Read expected { assertion.expected, {}, {} };
    if (assertion.expectedIsMeasure) {
        expected = measure(assertion.expectedMeasure, runs, false);
        if (!expected.error.empty()) {
            result.error = "value: " + expected.error;
            return result;
        }
    }
    result.expected = expected.value;
    const Read measured = measure(assertion.measure, runs, assertion.quantifier != Quantifier::None);
    result.measured = measured.value;
    if (!measured.error.empty()) {
        result.error = measured.error;
        return result;
    }
    if (!measured.note.empty() || !expected.note.empty()) {
        result.note = measured.note.empty() ? "value: " + expected.note : measured.note;
        return result;
    }
    const auto cannotCompare = [&](const JsonValue& value) {
        return std::string(opName(assertion.op)) + " cannot compare " + scenario::toJson(value) + " with "
            + scenario::toJson(expected.value);
    };
    if (assertion.quantifier == Quantifier::None) {
        const int outcome = compare(measured.value, assertion.op, expected.value);
        if (outcome < 0)
            result.error = cannotCompare(measured.value);
        result.passed = outcome == 1;
        return result;
    }
    const auto& values = measured.value.items();
    if (values.empty()) {
        result.note = "the path selected no values, so there is nothing to hold";
        return result;
    }
    std::size_t holding = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int outcome = compare(values[i], assertion.op, expected.value);
        if (outcome < 0) {
            result.error = cannotCompare(values[i]);
            return result;
        }
        if (outcome == 1)
            ++holding;
        else if (assertion.quantifier == Quantifier::All && result.note.empty())
            result.note = "item " + std::to_string(i) + " is " + scenario::toJson(values[i]);
    }
    result.passed = assertion.quantifier == Quantifier::All ? holding == values.size() : holding > 0;
    if (assertion.quantifier == Quantifier::Any && !result.passed)
        result.note = "none of the " + std::to_string(values.size()) + " values holds";
    return result;
}

int LessonRun::passedCount() const
{
    return static_cast<int>(std::count_if(assertions.begin(), assertions.end(), [](const AssertionResult& r) { return r.passed; }));
}

bool LessonRun::passed() const
{
    return passedCount() == static_cast<int>(assertions.size())
        && std::all_of(watch.begin(), watch.end(), [](const WatchResult& w) { return w.happened; });
}

bool LessonRun::badLesson() const
{
    return std::any_of(assertions.begin(), assertions.end(), [](const AssertionResult& r) { return !r.error.empty(); });
}

LessonRun runLesson(const Lesson& lesson, std::optional<std::uint64_t> seed, const AfterRun& afterRun)
{
    LessonRun result;
    for (const Variant& variant : lesson.variants)
        result.runs.push_back(runVariant(variant, seed.value_or(lesson.seed), afterRun));
    for (const Assertion& assertion : lesson.assertions)
        result.assertions.push_back(evaluate(assertion, result.runs));
    for (const WatchStep& step : lesson.watch) {
        WatchResult watch;
        if (!step.event.empty()) {
            watch.happened = false;
            for (const VariantRun& run : result.runs) {
                if (!step.variant.empty() && run.name != step.variant)
                    continue;
                if (auto it = run.firstEventMs.find(step.event); it != run.firstEventMs.end()) {
                    watch.happened = true;
                    if (watch.seenAtMs < 0)
                        watch.seenAtMs = it->second;
                }
            }
        }
        result.watch.push_back(watch);
    }
    return result;
}

} // namespace brokerlab::lesson
