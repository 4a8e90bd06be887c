// The "processors" (stream processors) and "queues" (modelled message queues) of a scenario file.

#include "scenario/configapply.h"
#include "scenario/limits.h"
#include "scenario/scenarioreader.h"
#include "scenario/suggest.h"

#include <algorithm>
#include <map>

namespace brokerlab::scenario::detail {

namespace {

using protocol::ConfigScope;

client::FieldCondition readCondition(const Reader& reader, const ObjectReader& object)
{
    client::FieldCondition condition;
    condition.field = object.nonEmptyString("field", true);
    const std::string op = object.nonEmptyString("op", true);
    const auto parsed = client::conditionOpFromName(op);
    if (!parsed) {
        const std::vector<std::string_view> names { "==", "!=", "<", "<=", ">", ">=", "exists", "missing" };
        object.fail("op",
            "unknown operator " + inQuotes(op) + didYouMean(op, names)
                + "; the operators are ==, !=, <, <=, >, >=, exists, missing");
    }
    condition.op = *parsed;
    const JsonValue* value = object.get("value");
    const bool presence
        = condition.op == client::FieldCondition::Op::Exists || condition.op == client::FieldCondition::Op::Missing;
    if (presence && value)
        object.fail("value", "\"" + op + "\" tests whether the field is there and takes no value");
    if (!presence && !value)
        object.fail("op", "\"" + op + "\" compares the field with a value: add \"value\"");
    if (value) {
        if (value->isArray() || value->isObject())
            reader.fail(
                *value, object.pathOf("value"), "expected a number, string, boolean or null, got " + describe(*value));
        const bool ordering
            = condition.op != client::FieldCondition::Op::Equal && condition.op != client::FieldCondition::Op::NotEqual;
        if (ordering && !value->isNumber())
            reader.fail(*value, object.pathOf("value"), "\"" + op + "\" compares numbers, got " + describe(*value));
        condition.operand = toJson(*value);
    }
    return condition;
}

client::RecordMapping readMapping(const Reader& reader, const ObjectReader& processor)
{
    client::RecordMapping mapping;
    const JsonValue* value = processor.get("map");
    if (!value)
        return mapping;
    const ObjectReader map(reader, *value, processor.pathOf("map"), "a map", { "set", "remove", "key" });
    if (const JsonValue* set = map.get("set")) {
        if (!set->isObject())
            reader.fail(*set, map.pathOf("set"), "expected an object of field names and values, got " + describe(*set));
        for (const JsonMember& member : set->members()) {
            if (member.key.empty() || member.key.find('"') != std::string::npos
                || member.key.find('\\') != std::string::npos)
                reader.fail(member.value, childPath(map.pathOf("set"), member.key),
                    "a field name must be a plain, non-empty name");
            mapping.set.emplace_back(member.key, toJson(member.value));
        }
    }
    if (const JsonValue::Array* remove = map.array("remove", false)) {
        for (std::size_t i = 0; i < remove->size(); ++i) {
            const JsonValue& item = (*remove)[i];
            const std::string path = indexPath(map.pathOf("remove"), i);
            if (!item.isString() || item.asString().empty())
                reader.fail(item, path, "expected a field name, got " + describe(item));
            const auto set = std::find_if(mapping.set.begin(), mapping.set.end(),
                [&](const auto& entry) { return entry.first == item.asString(); });
            if (set != mapping.set.end())
                reader.fail(item, path, "field " + inQuotes(item.asString()) + " is both set and removed");
            mapping.remove.push_back(item.asString());
        }
    }
    mapping.keyField = map.string("key", {});
    if (map.get("key") && mapping.keyField.empty())
        map.fail("key", "name the field whose value becomes the record key");
    return mapping;
}

// An output topic: declared, and not the processor's own input (that would feed its output back in).
void checkOutputTopic(const Reader& reader, const Scenario& scenario, const JsonValue& at, const std::string& path,
    const std::string& topic, const std::string& input)
{
    findTopic(reader, scenario, at, path, topic);
    if (topic == input)
        reader.fail(at, path,
            "a processor may not write to its input topic " + inQuotes(input)
                + ": it would read its own output forever");
}

} // namespace

void readProcessors(const Reader& reader, const ObjectReader& root, Scenario& scenario)
{
    const JsonValue::Array* processors = root.array("processors", false);
    if (!processors)
        return;
    // Processors are Kafka clients too: their ids share the namespace of producers and consumers.
    std::map<std::string, std::string> owners;
    for (std::size_t j = 0; j < scenario.producers.size(); ++j)
        owners.emplace(scenario.producers[j].id, indexPath("producers", j));
    for (std::size_t j = 0; j < scenario.consumers.size(); ++j)
        owners.emplace(scenario.consumers[j].id, indexPath("consumers", j));
    for (std::size_t i = 0; i < processors->size(); ++i) {
        const ObjectReader processor(reader, (*processors)[i], indexPath("processors", i), "a processor",
            { "id", "input", "filter", "map", "route", "output", "start_ms", "stop_ms", "poll_interval_ms",
                "processing_ms_per_record", "config", "producer_config" });
        ProcessorSpec spec;
        spec.id = processor.nonEmptyString("id", true);
        if (const auto [it, inserted] = owners.emplace(spec.id, processor.path()); !inserted)
            processor.fail("id", "duplicate id " + inQuotes(spec.id) + ": " + it->second + " already uses it");
        client::StreamProcessorPlan& plan = spec.plan;
        plan.inputTopic = processor.nonEmptyString("input", true);
        findTopic(reader, scenario, processor.require("input"), processor.pathOf("input"), plan.inputTopic);

        if (const JsonValue::Array* filter = processor.array("filter", false)) {
            for (std::size_t f = 0; f < filter->size(); ++f) {
                const ObjectReader condition(reader, (*filter)[f], indexPath(processor.pathOf("filter"), f),
                    "a filter condition", { "field", "op", "value" });
                plan.filter.push_back(readCondition(reader, condition));
            }
        }
        plan.map = readMapping(reader, processor);
        if (const JsonValue::Array* routes = processor.array("route", false)) {
            for (std::size_t r = 0; r < routes->size(); ++r) {
                const ObjectReader route(reader, (*routes)[r], indexPath(processor.pathOf("route"), r), "a route",
                    { "field", "op", "value", "topic" });
                client::ProcessorRoute entry { .when = readCondition(reader, route),
                    .topic = route.nonEmptyString("topic", true) };
                checkOutputTopic(
                    reader, scenario, route.require("topic"), route.pathOf("topic"), entry.topic, plan.inputTopic);
                plan.routes.push_back(std::move(entry));
            }
        }
        plan.output = processor.string("output", {});
        if (processor.get("output")) {
            checkOutputTopic(reader, scenario, processor.require("output"), processor.pathOf("output"), plan.output,
                plan.inputTopic);
        } else if (plan.routes.empty()) {
            processor.fail("output", "a processor needs an output topic, a route, or both");
        }
        const PollTiming timing = readPollTiming(processor, scenario,
            { .pollIntervalMs = plan.pollIntervalMs, .processingMsPerRecord = plan.processingMsPerRecord });
        spec.startMs = timing.window.startMs;
        spec.stopMs = timing.window.stopMs;
        plan.pollIntervalMs = timing.pollIntervalMs;
        plan.processingMsPerRecord = timing.processingMsPerRecord;

        std::set<std::string> consumerNames;
        readConfigObject(reader, processor, "config", ConfigScope::Consumer, spec.consumerConfig, consumerNames);
        if (consumerNames.contains("enable.auto.commit") && spec.consumerConfig.enableAutoCommit) {
            processor.fail("config",
                "a processor commits its input offsets itself, after its output is acknowledged: enable.auto.commit "
                "must not be true");
        }
        spec.consumerConfig.enableAutoCommit = false;
        if (!consumerNames.contains("client.id"))
            spec.consumerConfig.clientId = spec.id;
        if (!consumerNames.contains("group.id"))
            spec.consumerConfig.groupId = spec.id;
        if (auto conflict = finishConsumerConfig(spec.consumerConfig, consumerNames)) {
            failConflict(reader, processor.get("config"), processor.pathOf("config"), processor.value(),
                processor.path(), conflict->name, conflict->message);
        }
        std::set<std::string> producerNames;
        readConfigObject(
            reader, processor, "producer_config", ConfigScope::Producer, spec.producerConfig, producerNames);
        if (!producerNames.contains("client.id"))
            spec.producerConfig.clientId = spec.id + "-producer";
        if (auto conflict = finishProducerConfig(spec.producerConfig, producerNames)) {
            failConflict(reader, processor.get("producer_config"), processor.pathOf("producer_config"),
                processor.value(), processor.path(), conflict->name, conflict->message);
        }
        scenario.processors.push_back(std::move(spec));
    }
}

void readQueues(const Reader& reader, const ObjectReader& root, Scenario& scenario)
{
    const JsonValue::Array* queues = root.array("queues", false);
    if (!queues)
        return;
    std::map<std::string, std::string> owners;
    for (std::size_t i = 0; i < queues->size(); ++i) {
        const ObjectReader queue(reader, (*queues)[i], indexPath("queues", i), "a queue",
            { "id", "kind", "source", "visibility_timeout_ms", "subscribers" });
        QueueSpec spec;
        spec.id = queue.nonEmptyString("id", true);
        if (const auto [it, inserted] = owners.emplace(spec.id, queue.path()); !inserted)
            queue.fail("id", "duplicate queue id " + inQuotes(spec.id) + ": " + it->second + " already uses it");
        const std::string kind = queue.nonEmptyString("kind", true);
        const std::vector<std::string_view> kinds { "delete_on_ack", "visibility_timeout" };
        if (kind == "delete_on_ack")
            spec.kind = client::QueueKind::DeleteOnAck;
        else if (kind == "visibility_timeout")
            spec.kind = client::QueueKind::VisibilityTimeout;
        else
            queue.fail("kind",
                "unknown queue kind " + inQuotes(kind) + didYouMean(kind, kinds)
                    + "; the kinds are delete_on_ack (RabbitMQ-style) and visibility_timeout (SQS-style)");
        spec.source = queue.nonEmptyString("source", true);
        std::vector<std::string_view> producers;
        for (const ProducerSpec& producer : scenario.producers)
            producers.emplace_back(producer.id);
        if (std::find(producers.begin(), producers.end(), spec.source) == producers.end()) {
            queue.fail("source",
                "unknown producer " + inQuotes(spec.source) + didYouMean(spec.source, producers)
                    + ": a queue is fed by the workload of a producer declared in \"producers\"");
        }
        if (queue.get("visibility_timeout_ms") && spec.kind != client::QueueKind::VisibilityTimeout)
            queue.fail("visibility_timeout_ms", "only a visibility_timeout queue hides received messages for a while");
        // SQS allows 0 s to 12 h.
        spec.visibilityTimeoutMs = queue.integer("visibility_timeout_ms", 0, 43200000, spec.visibilityTimeoutMs);

        std::map<std::string, std::string> subscriberOwners;
        if (const JsonValue::Array* subscribers = queue.array("subscribers", false)) {
            for (std::size_t s = 0; s < subscribers->size(); ++s) {
                const ObjectReader subscriber(reader, (*subscribers)[s], indexPath(queue.pathOf("subscribers"), s),
                    "a queue subscriber",
                    { "id", "start_ms", "stop_ms", "poll_interval_ms", "processing_ms_per_record", "prefetch", "ack" });
                QueueSubscriberSpec entry;
                entry.id = subscriber.nonEmptyString("id", true);
                if (const auto [it, inserted] = subscriberOwners.emplace(entry.id, subscriber.path()); !inserted)
                    subscriber.fail(
                        "id", "duplicate subscriber id " + inQuotes(entry.id) + ": " + it->second + " already uses it");
                const PollTiming timing = readPollTiming(subscriber, scenario,
                    { .pollIntervalMs = entry.pollIntervalMs, .processingMsPerRecord = entry.processingMsPerRecord });
                entry.startMs = timing.window.startMs;
                entry.stopMs = timing.window.stopMs;
                entry.pollIntervalMs = timing.pollIntervalMs;
                entry.processingMsPerRecord = timing.processingMsPerRecord;
                entry.prefetch = static_cast<std::int32_t>(subscriber.integer("prefetch", 1, 1000, entry.prefetch));
                entry.acks = subscriber.boolean("ack", entry.acks);
                spec.subscribers.push_back(std::move(entry));
            }
        }
        scenario.queues.push_back(std::move(spec));
    }
}

} // namespace brokerlab::scenario::detail
