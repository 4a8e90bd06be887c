#include "store/exporter.h"

#include "driver/report.h"
#include "scenario/json.h"
#include "store/workspace.h"

namespace brokerlab::store {

namespace {

using scenario::JsonValue;

void setBytes(JsonValue& object, std::string_view name, const std::optional<std::string>& bytes)
{
    const std::string encodingKey = std::string(name) + "_encoding";
    if (!bytes) {
        object.set(name, nullptr);
        return;
    }
    const bool text = driver::isValidUtf8(*bytes);
    object.set(name, text ? *bytes : driver::base64Encode(*bytes));
    object.set(encodingKey, text ? "utf8" : "base64");
}

JsonValue headersJson(const std::vector<log::RecordHeader>& headers)
{
    JsonValue array = JsonValue::array();
    for (const auto& header : headers) {
        JsonValue entry = JsonValue::object().set("key", header.key);
        setBytes(entry, "value", header.value);
        array.push(std::move(entry));
    }
    return array;
}

std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

// A CSV cell and its encoding cell: text as is, other bytes in base64, null as empty + "null".
std::pair<std::string, std::string> csvBytes(const std::optional<std::string>& bytes)
{
    if (!bytes)
        return { "", "null" };
    if (driver::isValidUtf8(*bytes))
        return { csvField(*bytes), "utf8" };
    return { driver::base64Encode(*bytes), "base64" };
}

} // namespace

std::string jsonLine(const StoredRecord& stored)
{
    JsonValue entry = JsonValue::object()
                          .set("topic", stored.topic)
                          .set("partition", stored.partition)
                          .set("offset", stored.record.offset)
                          .set("timestamp", stored.record.timestamp);
    setBytes(entry, "key", stored.record.key);
    setBytes(entry, "value", stored.record.value);
    entry.set("headers", headersJson(stored.record.headers));
    return scenario::toJson(entry);
}

std::string csvHeaderRow()
{
    return "topic,partition,offset,timestamp,key,key_encoding,value,value_encoding,headers\r\n";
}

std::string csvRow(const StoredRecord& stored)
{
    const auto [key, keyEncoding] = csvBytes(stored.record.key);
    const auto [value, valueEncoding] = csvBytes(stored.record.value);
    return csvField(stored.topic) + "," + std::to_string(stored.partition) + "," + std::to_string(stored.record.offset)
        + "," + std::to_string(stored.record.timestamp) + "," + key + "," + keyEncoding + "," + value + ","
        + valueEncoding + "," + csvField(scenario::toJson(headersJson(stored.record.headers))) + "\r\n";
}

std::int64_t exportTopic(const Workspace& workspace, const std::string& topic, ExportFormat format, std::ostream& out,
    const std::function<void(std::int64_t, std::int64_t)>& progress, const std::atomic<bool>* stop)
{
    std::vector<PartitionRow> partitions;
    std::int64_t total = 0;
    bool known = false;
    for (const auto& row : workspace.topics())
        known = known || row.name == topic;
    for (auto& row : workspace.partitions()) {
        if (row.topic != topic)
            continue;
        known = true;
        total += row.records;
        partitions.push_back(std::move(row));
    }
    if (!known) {
        std::string names;
        for (const auto& row : workspace.topics())
            names += (names.empty() ? "" : ", ") + row.name;
        throw StoreError("unknown topic '" + topic + "' (the workspace has: " + (names.empty() ? "none" : names) + ")");
    }
    if (format == ExportFormat::Csv)
        out << csvHeaderRow();
    std::int64_t written = 0;
    for (const auto& partition : partitions) {
        std::int64_t from = INT64_MIN;
        while (true) {
            if (stop && stop->load(std::memory_order_relaxed))
                return written;
            const auto page = workspace.readPartition(topic, partition.partition, from, 4096);
            if (page.empty())
                break;
            for (const auto& record : page) {
                if (format == ExportFormat::JsonLines)
                    out << jsonLine(record) << '\n';
                else
                    out << csvRow(record);
            }
            written += std::int64_t(page.size());
            from = page.back().record.offset + 1;
            if (progress)
                progress(written, total);
        }
    }
    return written;
}

} // namespace brokerlab::store
