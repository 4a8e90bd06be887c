// The JSON serializer: compact or indented, always valid UTF-8.

#include "scenario/json.h"
#include "scenario/utf8.h"

#include <array>
#include <charconv>
#include <cmath>

namespace brokerlab::scenario {

void appendJsonString(std::string& out, std::string_view text)
{
    static const char* hex = "0123456789abcdef";
    out += '"';
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c >= 0x80) {
            const std::size_t length = detail::utf8SequenceLength(text, pos);
            if (length == 0) {
                out += "\xEF\xBF\xBD"; // U+FFFD: keep the output valid UTF-8 whatever the bytes were
                ++pos;
            } else {
                out.append(text.substr(pos, length));
                pos += length;
            }
            continue;
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += static_cast<char>(c);
            }
        }
        ++pos;
    }
    out += '"';
}

namespace {

void appendNumber(std::string& out, const JsonValue& value)
{
    std::array<char, 32> buffer {};
    char* const first = buffer.data();
    char* const last = buffer.data() + buffer.size();
    if (value.isInteger()) {
        const auto result = std::to_chars(first, last, value.asInt());
        out.append(first, result.ptr);
        return;
    }
    const double number = value.asDouble();
    if (!std::isfinite(number)) {
        out += "null";
        return;
    }
    const auto result = std::to_chars(first, last, number);
    out.append(first, result.ptr);
}

void newline(std::string& out, bool pretty, int indent)
{
    if (!pretty)
        return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent) * 2, ' ');
}

void serialize(std::string& out, const JsonValue& value, bool pretty, int indent)
{
    switch (value.type()) {
    case JsonType::Null:
        out += "null";
        return;
    case JsonType::Bool:
        out += value.asBool() ? "true" : "false";
        return;
    case JsonType::Number:
        appendNumber(out, value);
        return;
    case JsonType::String:
        appendJsonString(out, value.asString());
        return;
    case JsonType::Array: {
        if (value.items().empty()) {
            out += "[]";
            return;
        }
        out += '[';
        bool first = true;
        for (const JsonValue& item : value.items()) {
            if (!first)
                out += ',';
            first = false;
            newline(out, pretty, indent + 1);
            serialize(out, item, pretty, indent + 1);
        }
        newline(out, pretty, indent);
        out += ']';
        return;
    }
    case JsonType::Object: {
        if (value.members().empty()) {
            out += "{}";
            return;
        }
        out += '{';
        bool first = true;
        for (const JsonMember& member : value.members()) {
            if (!first)
                out += ',';
            first = false;
            newline(out, pretty, indent + 1);
            appendJsonString(out, member.key);
            out += pretty ? ": " : ":";
            serialize(out, member.value, pretty, indent + 1);
        }
        newline(out, pretty, indent);
        out += '}';
        return;
    }
    }
}

} // namespace

std::string toJson(const JsonValue& value, bool pretty)
{
    std::string out;
    serialize(out, value, pretty, 0);
    return out;
}

} // namespace brokerlab::scenario
