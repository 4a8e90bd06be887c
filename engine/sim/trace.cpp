#include "sim/trace.h"

#include <charconv>

namespace brokerlab::sim {

std::int64_t Event::number(std::string_view name, std::int64_t fallback) const
{
    for (const auto& [key, value] : numbers) {
        if (key == name)
            return value;
    }
    return fallback;
}

const std::vector<EventPartition>* Event::partitions(std::string_view name) const
{
    for (const auto& [key, list] : partitionLists) {
        if (key == name)
            return &list;
    }
    return nullptr;
}

namespace {

void appendInt(std::string& out, std::int64_t value)
{
    char buffer[24];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendString(std::string& out, std::string_view text)
{
    out.push_back('"');
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static constexpr char hex[] = "0123456789abcdef";
                out += "\\u00";
                out.push_back(hex[(c >> 4) & 0xf]);
                out.push_back(hex[c & 0xf]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

} // namespace

void Trace::appendJson(std::string& out, const Event& event)
{
    out += "{\"t_us\":";
    appendInt(out, event.time);
    out += ",\"kind\":";
    appendString(out, event.kind);
    if (event.broker >= 0) {
        out += ",\"broker\":";
        appendInt(out, event.broker);
    }
    if (!event.topic.empty()) {
        out += ",\"topic\":";
        appendString(out, event.topic);
    }
    if (event.partition >= 0) {
        out += ",\"partition\":";
        appendInt(out, event.partition);
    }
    if (!event.client.empty()) {
        out += ",\"client\":";
        appendString(out, event.client);
    }
    for (const auto& [key, value] : event.numbers) {
        out += ",";
        appendString(out, key);
        out += ":";
        appendInt(out, value);
    }
    if (!event.message.empty()) {
        out += ",\"message\":";
        appendString(out, event.message);
    }
    out += "}\n";
}

void Trace::record(const Event& event)
{
    line_.clear();
    appendJson(line_, event);
    hash_.update(std::string_view(line_));
    ++lines_;
    if (sink_)
        sink_(line_);
    if (event.eventClass == EventClass::Timeline) {
        ++timelineEvents_;
        if (listener_)
            listener_(event);
    }
}

std::string Trace::sha256Hex() const
{
    Sha256 copy = hash_;
    return Sha256::hex(copy.finish());
}

} // namespace brokerlab::sim
