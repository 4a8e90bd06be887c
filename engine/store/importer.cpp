#include "store/importer.h"

#include "driver/report.h"
#include "scenario/json.h"

#include <algorithm>

namespace brokerlab::store {

namespace {

using scenario::JsonType;
using scenario::JsonValue;

std::string typeOf(const JsonValue& value) { return std::string(JsonValue::typeName(value.type())); }

// `name` of `object` as bytes, decoded by its `<name>_encoding` sibling; nothing for null. Throws
// the problem as a string.
std::optional<std::string> bytesField(const JsonValue& object, std::string_view name)
{
    const JsonValue* value = object.find(name);
    const std::string encodingName = std::string(name) + "_encoding";
    const JsonValue* encoding = object.find(encodingName);
    std::string how = "utf8";
    if (encoding && !encoding->isNull()) {
        if (!encoding->isString())
            throw "\"" + encodingName + "\" must be \"utf8\" or \"base64\", not a " + typeOf(*encoding);
        how = encoding->asString();
        if (how != "utf8" && how != "base64" && how != "null")
            throw "\"" + encodingName + "\" must be \"utf8\" or \"base64\", not \"" + how + "\"";
    }
    if (!value || value->isNull())
        return std::nullopt;
    if (!value->isString())
        throw "\"" + std::string(name) + "\" must be a string or null, not a " + typeOf(*value);
    if (how != "base64")
        return value->asString();
    auto decoded = driver::base64Decode(value->asString());
    if (!decoded)
        throw "\"" + std::string(name) + "\" is not valid base64 (its " + encodingName + " says base64)";
    return decoded;
}

std::int64_t integerField(const JsonValue& value, std::string_view name, std::int64_t minimum)
{
    if (!value.isInteger())
        throw "\"" + std::string(name) + "\" must be an integer, not "
            + (value.isNumber() ? "a fraction" : "a " + typeOf(value));
    if (value.asInt() < minimum)
        throw "\"" + std::string(name) + "\" must be at least " + std::to_string(minimum) + ", not "
            + std::to_string(value.asInt());
    return value.asInt();
}

std::vector<log::RecordHeader> headersField(const JsonValue& headers)
{
    if (headers.isNull())
        return {};
    if (!headers.isArray())
        throw "\"headers\" must be an array, not a " + typeOf(headers);
    std::vector<log::RecordHeader> out;
    for (std::size_t i = 0; i < headers.items().size(); ++i) {
        const JsonValue& entry = headers.items()[i];
        const std::string where = "headers[" + std::to_string(i) + "]";
        if (!entry.isObject())
            throw where + " must be an object with \"key\" and \"value\", not a " + typeOf(entry);
        for (const auto& member : entry.members())
            if (member.key != "key" && member.key != "value" && member.key != "value_encoding")
                throw where + " has an unknown field \"" + member.key + "\" (expected key, value, value_encoding)";
        const JsonValue* key = entry.find("key");
        if (!key || !key->isString())
            throw where + ".key must be a string";
        log::RecordHeader header;
        header.key = key->asString();
        try {
            header.value = bytesField(entry, "value");
        } catch (const std::string& problem) {
            throw where + ": " + problem;
        }
        out.push_back(std::move(header));
    }
    return out;
}

constexpr std::string_view kFields[] = { "topic", "partition", "offset", "timestamp", "key", "key_encoding", "value",
    "value_encoding", "headers", "committed" };

} // namespace

std::variant<ImportedRecord, std::string> parseJsonLine(std::string_view line)
{
    const auto parsed = scenario::parseJson(line);
    if (!parsed.ok())
        return "not JSON: " + parsed.error->message + " (column " + std::to_string(parsed.error->column) + ")";
    const JsonValue& object = parsed.value;
    if (!object.isObject())
        return "expected a JSON object (one record), not a " + typeOf(object);
    try {
        for (const auto& member : object.members()) {
            bool known = false;
            for (std::string_view field : kFields)
                known = known || member.key == field;
            if (!known)
                throw "unknown field \"" + member.key
                    + "\" (a record has value, key, headers, and optionally topic, partition, offset, timestamp and "
                      "the _encoding fields)";
        }
        if (!object.find("value"))
            throw std::string("no \"value\" field (write \"value\": null for a tombstone)");
        ImportedRecord record;
        if (const JsonValue* topic = object.find("topic"); topic && !topic->isNull()) {
            if (!topic->isString())
                throw "\"topic\" must be a string, not a " + typeOf(*topic);
            record.topic = topic->asString();
        }
        if (const JsonValue* partition = object.find("partition"); partition && !partition->isNull())
            record.partition
                = std::int32_t(std::min<std::int64_t>(integerField(*partition, "partition", 0), INT32_MAX));
        if (const JsonValue* offset = object.find("offset"); offset && !offset->isNull())
            integerField(*offset, "offset", 0); // checked, not used: the leader assigns offsets
        if (const JsonValue* timestamp = object.find("timestamp"); timestamp && !timestamp->isNull())
            record.timestamp = integerField(*timestamp, "timestamp", -1);
        record.key = bytesField(object, "key");
        record.value = bytesField(object, "value");
        if (const JsonValue* headers = object.find("headers"))
            record.headers = headersField(*headers);
        return record;
    } catch (const std::string& problem) {
        return problem;
    }
}

ImportResult readJsonLines(
    std::istream& in, const std::function<void(std::int64_t)>& progress, const std::atomic<bool>* stop)
{
    ImportResult result;
    std::string line;
    std::int64_t bytes = 0;
    while (std::getline(in, line)) {
        ++result.lines;
        bytes += std::int64_t(line.size()) + 1;
        if (!line.empty() && line.back() == '\r')
            line.pop_back(); // a file written on Windows
        if (result.lines % 4096 == 0) {
            if (stop && stop->load(std::memory_order_relaxed)) {
                result.cancelled = true;
                result.records.clear();
                return result;
            }
            if (progress)
                progress(bytes);
        }
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        auto parsed = parseJsonLine(line);
        if (auto* problem = std::get_if<std::string>(&parsed)) {
            result.errorLine = result.lines;
            result.error = "line " + std::to_string(result.lines) + ": " + *problem;
            result.records.clear();
            return result;
        }
        result.records.push_back(std::move(std::get<ImportedRecord>(parsed)));
    }
    if (progress)
        progress(bytes);
    return result;
}

} // namespace brokerlab::store
