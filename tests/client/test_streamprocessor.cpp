// Stream processors: filter, map and route one record at a time; in a run, every input record is
// either filtered or lands, transformed, in its output topic, once; offsets are committed only for
// input whose output is acknowledged; and re-running the topology from offset 0 produces the same
// records.

#include "../common/testscenario.h"
#include "client/streamprocessor.h"
#include "driver/report.h"

#include <QTest>

#include <sstream>

using namespace brokerlab;
using client::FieldCondition;
using client::ProcessedRecord;
using testing::runForMs;
using testing::startedEngine;

namespace {

FieldCondition condition(std::string field, FieldCondition::Op op, std::string operand = {})
{
    return { .field = std::move(field), .op = op, .operand = std::move(operand) };
}

std::int64_t committedRecords(const driver::Engine& engine, const std::string& topic)
{
    std::int64_t total = 0;
    for (const auto& partition : engine.snapshot().topics) {
        if (partition.name != topic)
            continue;
        for (const auto& p : partition.partitions)
            total += p.highWatermark;
    }
    return total;
}

std::int64_t groupCommitted(const driver::Engine& engine, const std::string& groupId)
{
    std::int64_t total = 0;
    for (const auto& group : engine.snapshot().groups) {
        if (group.summary.groupId != groupId)
            continue;
        for (const auto& lag : group.lag)
            total += std::max<std::int64_t>(0, lag.committed);
    }
    return total;
}

// Sensor readings into raw (3 partitions); "clean" keeps batteries above 50 %, drops the firmware
// field, adds a stage and re-keys by site.
const char* kPipeline = R"({"name":"t","duration_ms":60000,
  "topics":[{"name":"raw","partitions":3,"replication_factor":3},{"name":"clean","partitions":2,"replication_factor":3},
            {"name":"again","partitions":2,"replication_factor":3}],
  "producers":[{"id":"sensors","topic":"raw","rate":100,"max_records":400,"workload":{"kind":"sensor_metrics","key_count":50}}],
  "processors":[
    {"id":"clean","input":"raw","output":"clean","filter":[{"field":"battery_pct","op":">","value":50}],
     "map":{"set":{"stage":"clean"},"remove":["firmware"],"key":"site"},"config":{"auto.offset.reset":"earliest"}},
    {"id":"replay","input":"raw","output":"again","start_ms":20000,"filter":[{"field":"battery_pct","op":">","value":50}],
     "map":{"set":{"stage":"clean"},"remove":["firmware"],"key":"site"},"config":{"auto.offset.reset":"earliest"}}]})";

// Record values for the one-record tests (raw strings stay out of the test class: moc misreads them).
const char* const kSlowCar = R"({"car":"c1","speed":9.5})";
const char* const kNorthCar = R"({"car":"c7","speed":12,"stage":1,"debug":{"a":[1,"}"]},"pos":{"lat":48.1}})";
const char* const kNorthCarMapped = R"({"car":"c7","speed":12,"stage":2,"pos":{"lat":48.1},"unit":"km/h"})";
const char* const kSouthCar = R"({"car":"c2","speed":30,"pos":{"lat":-33.9}})";
const char* const kUnroutedCar = R"({"car":"c3","speed":11,"pos":{"lat":1}})";
const char* const kMixed = R"({"n":5.0,"s":"plant-1","b":true,"z":null})";
const char* const kFilterValue = R"("value":50)";
const char* const kOtherFilterValue = R"("value":60)";
const char* const kSlowDisks
    = R"(,"faults":[{"kind":"slow_disk","broker":1,"delay_ms":1500,"at_ms":6000,"until_ms":15000},
                          {"kind":"slow_disk","broker":2,"delay_ms":1500,"at_ms":6000,"until_ms":15000},
                          {"kind":"slow_disk","broker":3,"delay_ms":1500,"at_ms":6000,"until_ms":15000}]})";

} // namespace

class TestStreamProcessor : public QObject {
    Q_OBJECT
private slots:
    void filtersMapsAndRoutesOneRecord()
    {
        client::StreamProcessorPlan plan;
        plan.filter = { condition("speed", FieldCondition::Op::GreaterOrEqual, "10") };
        plan.map.set = { { "stage", "2" }, { "unit", "\"km/h\"" } };
        plan.map.remove = { "debug" };
        plan.map.keyField = "car";
        plan.routes = { { .when = condition("pos.lat", FieldCondition::Op::Less, "0"), .topic = "south" } };
        plan.output = "north";
        const std::optional<std::string> key = std::string("k");

        const auto slow = client::applyPlan(plan, key, std::string(kSlowCar));
        QCOMPARE(slow.fate, ProcessedRecord::Fate::Filtered);

        const auto north = client::applyPlan(plan, key, std::string(kNorthCar));
        QCOMPARE(north.fate, ProcessedRecord::Fate::Produced);
        QCOMPARE(north.topic, std::string("north"));
        QCOMPARE(*north.key, std::string("c7"));
        QCOMPARE(*north.value, std::string(kNorthCarMapped));

        const auto south = client::applyPlan(plan, key, std::string(kSouthCar));
        QCOMPARE(south.topic, std::string("south"));

        // Not JSON: no field to test, so the filter rejects it.
        QCOMPARE(client::applyPlan(plan, key, std::string("raw bytes")).fate, ProcessedRecord::Fate::Filtered);
        QCOMPARE(client::applyPlan(plan, key, std::nullopt).fate, ProcessedRecord::Fate::Filtered);

        // Without an output topic, what no route takes is dropped and counted apart.
        plan.output.clear();
        QCOMPARE(client::applyPlan(plan, key, std::string(kUnroutedCar)).fate, ProcessedRecord::Fate::Unrouted);
    }

    void comparesNumbersByValueAndTextExactly()
    {
        const std::string value = kMixed;
        QVERIFY(condition("n", FieldCondition::Op::Equal, "5").holds(value));
        QVERIFY(condition("s", FieldCondition::Op::Equal, "\"plant-1\"").holds(value));
        QVERIFY(!condition("s", FieldCondition::Op::Equal, "\"plant-2\"").holds(value));
        QVERIFY(condition("s", FieldCondition::Op::NotEqual, "\"plant-2\"").holds(value));
        QVERIFY(!condition("s", FieldCondition::Op::Greater, "1").holds(value));
        QVERIFY(condition("b", FieldCondition::Op::Equal, "true").holds(value));
        QVERIFY(condition("z", FieldCondition::Op::Exists).holds(value));
        QVERIFY(condition("q", FieldCondition::Op::Missing).holds(value));
        QVERIFY(!condition("q", FieldCondition::Op::NotEqual, "1").holds(value));
    }

    void everyInputRecordIsFilteredOrProducedOnce()
    {
        auto engine = startedEngine(kPipeline);
        runForMs(*engine, 60000);
        const auto& processors = engine->processors();
        QCOMPARE(processors.size(), std::size_t(2));
        const auto& counters = processors[0]->counters();
        QCOMPARE(counters.recordsIn, std::int64_t(400));
        QVERIFY(counters.filtered > 50);
        QVERIFY(counters.filtered < 350);
        QCOMPARE(counters.outputs.size(), std::size_t(1));
        QCOMPARE(counters.outputs[0].acked, counters.recordsIn - counters.filtered);
        QCOMPARE(committedRecords(*engine, "clean"), counters.recordsIn - counters.filtered);
        QCOMPARE(groupCommitted(*engine, "clean"), std::int64_t(400));

        std::ostringstream dump;
        driver::dumpMessages(*engine, dump);
        std::istringstream lines(dump.str());
        std::int64_t seen = 0;
        for (std::string line; std::getline(lines, line);) {
            if (line.find("\"topic\":\"clean\"") == std::string::npos)
                continue;
            ++seen;
            QVERIFY2(line.find("\\\"stage\\\":\\\"clean\\\"") != std::string::npos, line.c_str());
            QVERIFY2(line.find("firmware") == std::string::npos, line.c_str());
            QVERIFY2(line.find("\"key\":\"plant-") != std::string::npos, line.c_str());
        }
        QCOMPARE(seen, counters.recordsIn - counters.filtered);
    }

    void rerunningFromOffsetZeroReproducesTheOutput()
    {
        auto engine = startedEngine(kPipeline);
        runForMs(*engine, 60000);
        const auto& first = engine->processors()[0]->counters().outputs[0];
        const auto& replay = engine->processors()[1]->counters().outputs[0];
        QVERIFY(first.contentHash != 0);
        QCOMPARE(replay.acked, first.acked);
        QCOMPARE(replay.contentHash, first.contentHash);
        // The same topology with another filter produces something else, which the hash tells.
        std::string other = kPipeline;
        other.replace(other.rfind(kFilterValue), 10, kOtherFilterValue);
        auto changed = startedEngine(other);
        runForMs(*changed, 60000);
        QVERIFY(changed->processors()[1]->counters().outputs[0].contentHash != first.contentHash);
    }

    void commitsOnlyWhatItsOutputAcknowledged()
    {
        // Slow disks hold the output's acknowledgements back for seconds: the committed input offsets
        // must never run ahead of the input records that were filtered or whose output is acknowledged.
        std::string json = kPipeline;
        json.replace(json.rfind('}'), 1, kSlowDisks);
        auto engine = startedEngine(json);
        const client::StreamProcessor& processor = *engine->processors()[0];
        std::int64_t worstGap = 0;
        for (int step = 0; step < 300; ++step) {
            runForMs(*engine, 100);
            const auto& counters = processor.counters();
            const std::int64_t done = counters.filtered + counters.outputs[0].acked;
            worstGap = std::max(worstGap, groupCommitted(*engine, "clean") - done);
        }
        QCOMPARE(worstGap, std::int64_t(0));
        QVERIFY(processor.counters().commits > 0);
        QCOMPARE(groupCommitted(*engine, "clean"), std::int64_t(400));
    }

    void theSnapshotShowsEachProcessor()
    {
        // What the GUI reads: the plan, the counters, the lag and the member's state, from the driver's snapshot.
        auto engine = startedEngine(kPipeline);
        runForMs(*engine, 5000);
        driver::Snapshot snapshot = engine->snapshot();
        QCOMPARE(snapshot.processors.size(), std::size_t(2));
        const driver::ProcessorSnapshot& clean = snapshot.processors[0];
        QCOMPARE(clean.id, std::string("clean"));
        QCOMPARE(clean.groupId, std::string("clean"));
        QCOMPARE(clean.plan.inputTopic, std::string("raw"));
        QCOMPARE(clean.plan.outputTopics(), std::vector<std::string> { "clean" });
        QVERIFY(clean.started && !clean.stopped);
        QCOMPARE(clean.memberState, std::string("Stable"));
        QVERIFY(clean.counters.recordsIn > 0);
        QCOMPARE(clean.counters.recordsIn, engine->processors()[0]->counters().recordsIn);
        QVERIFY(clean.lag >= 0);
        const driver::ProcessorSnapshot& replay = snapshot.processors[1];
        QVERIFY(!replay.started); // start_ms 20000
        QCOMPARE(replay.counters.recordsIn, std::int64_t(0));
        runForMs(*engine, 55000);
        snapshot = engine->snapshot();
        QCOMPARE(snapshot.processors[0].counters.recordsIn, std::int64_t(400));
        QCOMPARE(snapshot.processors[0].lag, std::int64_t(0)); // read everything
        QCOMPARE(snapshot.processors[1].counters.recordsIn, std::int64_t(400));
        QVERIFY(snapshot.queues.empty());
    }
};

QTEST_GUILESS_MAIN(TestStreamProcessor)
#include "test_streamprocessor.moc"
