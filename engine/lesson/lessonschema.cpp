#include "lesson/lessonschema.h"

#include "lesson/lesson.h"
#include "scenario/schema.h"

namespace brokerlab::lesson {

using scenario::JsonMember;
using scenario::JsonValue;

namespace {

JsonValue text(std::string_view description)
{
    return JsonValue::object({ { "type", "string" }, { "minLength", 1 }, { "description", description } });
}

JsonValue object(JsonValue properties, JsonValue required, std::string_view description)
{
    return JsonValue::object({ { "type", "object" }, { "description", description }, { "required", std::move(required) },
        { "properties", std::move(properties) }, { "additionalProperties", false } });
}

JsonValue arrayOf(JsonValue items, int minItems, std::string_view description)
{
    return JsonValue::object({ { "type", "array" }, { "description", description }, { "minItems", minItems },
        { "items", std::move(items) } });
}

JsonValue enumOf(std::initializer_list<std::string_view> names, std::string_view description)
{
    JsonValue values = JsonValue::array();
    for (std::string_view name : names)
        values.push(name);
    return JsonValue::object({ { "enum", std::move(values) }, { "description", description } });
}

JsonValue measureProperties()
{
    return JsonValue::object({
        { "variant", text("The variant whose run report is read; required when the lesson has variants.") },
        { "path",
            text("A path into the run report: keys joined by '.', [N] an item, [*] every item, [key=value] the one item "
                 "with that member, # the number of items.") },
        { "reduce", enumOf({ "count", "sum", "min", "max", "distinct", "sorted", "spread" }, "Makes one value of the list the path selected.") },
    });
}

} // namespace

JsonValue lessonSchema()
{
    JsonValue tracks = JsonValue::array();
    for (std::string_view track : kTracks)
        tracks.push(track);

    JsonValue measure = measureProperties();
    JsonValue assertionProperties = measureProperties();
    assertionProperties.set("for", enumOf({ "all", "any" }, "Compare every value of the list: all must hold, or at least one."));
    assertionProperties.set("op", enumOf({ "==", "!=", "<", "<=", ">", ">=", "between" }, "The comparison."));
    assertionProperties.set("value",
        JsonValue::object({ { "description",
                                "The expected value; for between [low, high]; or an object {path, variant, reduce} read "
                                "from a run report." },
            { "anyOf",
                JsonValue::array({ JsonValue::object({ { "type", JsonValue::array({ "number", "string", "boolean", "null", "array" }) } }),
                    object(measure, JsonValue::array({ "path" }), "A value read from a run report.") }) } }));
    assertionProperties.set("why", text("One line: why this holds, in Kafka's terms."));

    JsonValue watchText = text("What to watch, at most 40 words.");
    JsonValue watch = object(JsonValue::object({
                                 { "at_ms", JsonValue::object({ { "type", "integer" }, { "minimum", 0 }, { "description", "Virtual time of the step." } }) },
                                 { "event", JsonValue::object({ { "type", "string" }, { "pattern", "^[a-z_]+(\\.[a-z_]+)+$" },
                                                { "description", "The timeline event kind the step waits for, e.g. broker.fenced." } }) },
                                 { "variant", text("The variant the step refers to; every run when left out.") },
                                 { "text", watchText },
                             }),
        JsonValue::array({ "text" }), "One thing to watch, tied to a virtual time or to an event.");
    watch.set("oneOf", JsonValue::array({ JsonValue::object({ { "required", JsonValue::array({ "at_ms" }) } }),
                           JsonValue::object({ { "required", JsonValue::array({ "event" }) } }) }));

    JsonValue block = object(
        JsonValue::object({
            { "id", JsonValue::object({ { "type", "string" }, { "pattern", "^[a-z0-9-]{1,60}$" }, { "description", "Unique id; built-in lessons are resources/lessons/NN-<id>.json." } }) },
            { "title", text("The lesson's title.") },
            { "track", JsonValue::object({ { "enum", std::move(tracks) }, { "description", "The track the lesson belongs to." } }) },
            { "concepts", arrayOf(text("A Kafka concept the lesson teaches."), 1, "What the lesson teaches.") },
            { "prediction",
                object(JsonValue::object({
                           { "question", text("What the student predicts before the run.") },
                           { "choices", arrayOf(text("A possible answer."), 2, "The answers to choose from.") },
                           { "answer", JsonValue::object({ { "type", "integer" }, { "minimum", 0 }, { "description", "Index of the right choice." } }) },
                       }),
                    JsonValue::array({ "question", "choices", "answer" }), "The prediction question.") },
            { "watch", arrayOf(std::move(watch), 1, "What to watch while the run goes on.") },
            { "variants",
                arrayOf(object(JsonValue::object({
                                   { "name", text("Names the run in assertions and output, e.g. acks=1.") },
                                   { "description", JsonValue::object({ { "type", "string" } }) },
                                   { "patch",
                                       JsonValue::object({ { "type", "object" },
                                           { "description",
                                               "A JSON merge patch (RFC 7386) of the scenario; an object patching an array "
                                               "patches the items named by index." } }) },
                               }),
                            JsonValue::array({ "name", "patch" }), "One run of a paired comparison."),
                    2, "Paired runs on the same seed.") },
            { "assertions",
                arrayOf(object(std::move(assertionProperties), JsonValue::array({ "path", "op", "value", "why" }),
                            "One expected outcome, checked against the run report."),
                    1, "The verdict, as machine-checked assertions.") },
        }),
        JsonValue::array({ "id", "title", "track", "concepts", "prediction", "watch", "assertions" }),
        "The lesson: what to predict, what to watch and what must happen.");

    JsonValue schema = scenario::scenarioSchema();
    schema.set("$id", "urn:brokerlab:lesson");
    schema.set("title", "Brokerlab lesson");
    schema.set("description", "A Brokerlab lesson: a scenario with a lesson block; see docs/lessons.md.");
    schema["properties"].set("lesson", std::move(block));
    schema["required"].push("lesson");
    return schema;
}

} // namespace brokerlab::lesson
