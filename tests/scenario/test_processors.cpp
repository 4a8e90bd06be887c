// The "processors" and "queues" sections: what the loader reads, and the clear errors (naming the
// field) it gives for everything it refuses.

#include "scenario/scenario.h"

#include <QTest>

using namespace brokerlab;
using namespace brokerlab::scenario;

namespace {

// Everything but the section under test.
std::string withSections(const std::string& sections)
{
    return R"({"name":"t","topics":[{"name":"raw"},{"name":"mid"},{"name":"alerts"}],
      "producers":[{"id":"app","topic":"raw"}],"consumers":[{"id":"reader","topics":["mid"]}])"
        + (sections.empty() ? std::string() : "," + sections) + "}";
}

} // namespace

class TestProcessors : public QObject {
    Q_OBJECT
private slots:
    void readsProcessorsAndQueues()
    {
        const auto result = parseScenario(withSections(R"(
          "processors":[{"id":"stage-1","input":"raw","output":"mid","start_ms":1000,"stop_ms":9000,
            "poll_interval_ms":50,"processing_ms_per_record":0.5,
            "filter":[{"field":"battery_pct","op":">=","value":20},{"field":"site","op":"exists"}],
            "map":{"set":{"stage":1,"ok":true},"remove":["firmware"],"key":"site"},
            "route":[{"field":"temperature_c","op":">","value":30,"topic":"alerts"}],
            "config":{"auto.offset.reset":"earliest"},"producer_config":{"linger.ms":0}}],
          "queues":[{"id":"sqs","kind":"visibility_timeout","source":"app","visibility_timeout_ms":5000,
            "subscribers":[{"id":"w","prefetch":3,"ack":false,"start_ms":10,"processing_ms_per_record":2}]}])"),
            "t.json");
        if (const auto* error = std::get_if<ScenarioError>(&result))
            QFAIL(error->toString().c_str());
        const Scenario& scenario = std::get<Scenario>(result);
        QCOMPARE(scenario.processors.size(), std::size_t(1));
        const ProcessorSpec& processor = scenario.processors[0];
        QCOMPARE(processor.id, std::string("stage-1"));
        QCOMPARE(processor.startMs, std::int64_t(1000));
        QCOMPARE(processor.stopMs, std::int64_t(9000));
        QCOMPARE(processor.plan.inputTopic, std::string("raw"));
        QCOMPARE(processor.plan.output, std::string("mid"));
        QCOMPARE(processor.plan.filter.size(), std::size_t(2));
        QCOMPARE(processor.plan.filter[0].operand, std::string("20"));
        QVERIFY(processor.plan.filter[1].op == client::FieldCondition::Op::Exists);
        QCOMPARE(processor.plan.map.set.size(), std::size_t(2));
        QCOMPARE(processor.plan.map.set[1].second, std::string("true"));
        QCOMPARE(processor.plan.map.keyField, std::string("site"));
        QCOMPARE(processor.plan.routes.at(0).topic, std::string("alerts"));
        QCOMPARE(processor.plan.outputTopics(), (std::vector<std::string> { "alerts", "mid" }));
        QCOMPARE(processor.consumerConfig.groupId, std::string("stage-1"));
        QVERIFY(!processor.consumerConfig.enableAutoCommit);
        QCOMPARE(processor.producerConfig.clientId, std::string("stage-1-producer"));
        QCOMPARE(processor.producerConfig.lingerMs, std::int64_t(0));
        QCOMPARE(scenario.queues.size(), std::size_t(1));
        const QueueSpec& queue = scenario.queues[0];
        QVERIFY(queue.kind == client::QueueKind::VisibilityTimeout);
        QCOMPARE(queue.visibilityTimeoutMs, std::int64_t(5000));
        QCOMPARE(queue.subscribers.at(0).prefetch, 3);
        QVERIFY(!queue.subscribers.at(0).acks);
        QCOMPARE(queue.subscribers.at(0).startMs, std::int64_t(10));
    }

    void refusesWithTheField_data()
    {
        QTest::addColumn<QString>("sections");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, const char* sections, const char* field, const char* message) {
            QTest::newRow(name) << QString::fromUtf8(sections) << QString::fromUtf8(field)
                                << QString::fromUtf8(message);
        };
        row("unknown input", R"("processors":[{"id":"p","input":"rwa","output":"mid"}])", "processors[0].input",
            "unknown topic \"rwa\" (did you mean \"raw\"?)");
        row("no output", R"("processors":[{"id":"p","input":"raw"}])", "processors[0].output",
            "needs an output topic, a route, or both");
        row("loop", R"("processors":[{"id":"p","input":"raw","output":"raw"}])", "processors[0].output",
            "may not write to its input topic");
        row("id taken", R"("processors":[{"id":"reader","input":"raw","output":"mid"}])", "processors[0].id",
            "duplicate id \"reader\": consumers[0] already uses it");
        row("bad op",
            R"("processors":[{"id":"p","input":"raw","output":"mid","filter":[{"field":"a","op":"=>","value":1}]}])",
            "processors[0].filter[0].op", "unknown operator \"=>\"");
        row("ordering a string",
            R"("processors":[{"id":"p","input":"raw","output":"mid","filter":[{"field":"a","op":"<","value":"x"}]}])",
            "processors[0].filter[0].value", "\"<\" compares numbers");
        row("exists with value",
            R"("processors":[{"id":"p","input":"raw","output":"mid","filter":[{"field":"a","op":"exists","value":1}]}])",
            "processors[0].filter[0].value", "takes no value");
        row("no value", R"("processors":[{"id":"p","input":"raw","output":"mid","filter":[{"field":"a","op":"=="}]}])",
            "processors[0].filter[0].op", "add \"value\"");
        row("set and removed",
            R"("processors":[{"id":"p","input":"raw","output":"mid","map":{"set":{"a":1},"remove":["a"]}}])",
            "processors[0].map.remove[0]", "both set and removed");
        row("unknown map key", R"("processors":[{"id":"p","input":"raw","output":"mid","map":{"rename":{}}}])",
            "processors[0].map.rename", "unknown key \"rename\"");
        row("route topic",
            R"("processors":[{"id":"p","input":"raw","route":[{"field":"a","op":"exists","topic":"alert"}]}])",
            "processors[0].route[0].topic", "did you mean \"alerts\"?");
        row("auto commit",
            R"("processors":[{"id":"p","input":"raw","output":"mid","config":{"enable.auto.commit":true}}])",
            "processors[0].config", "commits its input offsets itself");
        row("queue kind", R"("queues":[{"id":"q","kind":"fifo","source":"app"}])", "queues[0].kind",
            "unknown queue kind \"fifo\"");
        row("queue source", R"("queues":[{"id":"q","kind":"delete_on_ack","source":"ap"}])", "queues[0].source",
            "unknown producer \"ap\" (did you mean \"app\"?)");
        row("visibility on rabbit",
            R"("queues":[{"id":"q","kind":"delete_on_ack","source":"app","visibility_timeout_ms":10}])",
            "queues[0].visibility_timeout_ms", "only a visibility_timeout queue");
        row("subscriber twice",
            R"("queues":[{"id":"q","kind":"delete_on_ack","source":"app","subscribers":[{"id":"s"},{"id":"s"}]}])",
            "queues[0].subscribers[1].id", "duplicate subscriber id \"s\"");
        row("prefetch",
            R"("queues":[{"id":"q","kind":"delete_on_ack","source":"app","subscribers":[{"id":"s","prefetch":0}]}])",
            "queues[0].subscribers[0].prefetch", "");
    }

    void refusesWithTheField()
    {
        QFETCH(QString, sections);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const auto result = parseScenario(withSections(sections.toStdString()), "t.json");
        QVERIFY2(std::holds_alternative<ScenarioError>(result), "the scenario loaded although it is wrong");
        const ScenarioError& error = std::get<ScenarioError>(result);
        QCOMPARE(QString::fromStdString(error.field), field);
        QVERIFY2(QString::fromStdString(error.message).contains(message), error.toString().c_str());
        QVERIFY(error.line > 0);
    }
};

QTEST_GUILESS_MAIN(TestProcessors)
#include "test_processors.moc"
