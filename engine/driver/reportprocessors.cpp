// The report's processors[] and queues[] (docs/cli.md).

#include "driver/report.h"

#include <cstdio>

namespace brokerlab::driver {

using scenario::JsonValue;

namespace {

std::string hex64(std::uint64_t value)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

} // namespace

JsonValue processorsReport(const Engine& engine)
{
    JsonValue processors = JsonValue::array();
    for (std::size_t i = 0; i < engine.processors().size(); ++i) {
        const client::StreamProcessor& processor = *engine.processors()[i];
        const client::StreamProcessorCounters& counters = processor.counters();
        JsonValue outputs = JsonValue::array();
        std::int64_t out = 0;
        for (const client::ProcessorOutput& output : counters.outputs) {
            out += output.sent;
            outputs.push(JsonValue::object()
                             .set("topic", output.topic)
                             .set("sent", output.sent)
                             .set("acked", output.acked)
                             .set("failed", output.failed)
                             .set("content_hash", hex64(output.contentHash)));
        }
        processors.push(JsonValue::object()
                            .set("id", engine.scenario().processors.at(i).id)
                            .set("group_id", processor.consumer().config().groupId)
                            .set("input", processor.plan().inputTopic)
                            .set("records_in", counters.recordsIn)
                            .set("filtered", counters.filtered)
                            .set("passed", counters.recordsIn - counters.filtered)
                            .set("unrouted", counters.unrouted)
                            .set("records_out", out)
                            .set("commits", counters.commits)
                            .set("outputs", std::move(outputs)));
    }
    return processors;
}

JsonValue queuesReport(const Engine& engine)
{
    JsonValue queues = JsonValue::array();
    for (std::size_t i = 0; i < engine.queues().size(); ++i) {
        const client::ModelledQueue& queue = *engine.queues()[i];
        const client::QueueCounters& counters = queue.counters();
        JsonValue subscribers = JsonValue::array();
        for (const client::QueueSubscriberCounters& subscriber : queue.subscribers()) {
            subscribers.push(JsonValue::object()
                                 .set("id", subscriber.id)
                                 .set("received", subscriber.received)
                                 .set("acked", subscriber.acked)
                                 .set("redelivered", subscriber.redelivered));
        }
        queues.push(JsonValue::object()
                        .set("id", queue.id())
                        .set("kind", client::queueKindName(queue.kind()))
                        .set("source", engine.scenario().queues.at(i).source)
                        .set("enqueued", counters.enqueued)
                        .set("delivered", counters.delivered)
                        .set("acked", counters.acked)
                        .set("redelivered", counters.redelivered)
                        .set("available", queue.available())
                        .set("subscribers", std::move(subscribers)));
    }
    return queues;
}

} // namespace brokerlab::driver
