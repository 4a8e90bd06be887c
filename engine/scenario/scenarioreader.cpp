#include "scenario/scenarioreader.h"

#include "scenario/suggest.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace brokerlab::scenario::detail {

namespace {

std::string numberText(double value)
{
    // 1000000 rather than to_chars' shortest form 1e+06: messages are read by people.
    if (std::trunc(value) == value && std::fabs(value) < 1e15)
        return std::to_string(static_cast<std::int64_t>(value));
    std::array<char, 32> buffer {};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return { buffer.data(), result.ptr };
}

std::string rangeText(std::int64_t minimum, std::int64_t maximum)
{
    if (maximum == std::numeric_limits<std::int64_t>::max())
        return "at least " + std::to_string(minimum);
    return "between " + std::to_string(minimum) + " and " + std::to_string(maximum);
}

} // namespace

std::string childPath(const std::string& parent, std::string_view key)
{
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string indexPath(const std::string& parent, std::size_t index)
{
    return parent + "[" + std::to_string(index) + "]";
}

std::string inQuotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string describe(const JsonValue& value)
{
    switch (value.type()) {
    case JsonType::Null:
        return "null";
    case JsonType::Bool:
        return value.asBool() ? "true" : "false";
    case JsonType::Number:
        return "the number " + (value.isInteger() ? std::to_string(value.asInt()) : numberText(value.asDouble()));
    case JsonType::String: {
        const std::string& text = value.asString();
        return "the string " + inQuotes(text.size() > 40 ? text.substr(0, 40) + "..." : text);
    }
    case JsonType::Array:
        return "an array";
    case JsonType::Object:
        return "an object";
    }
    return "a value";
}

void Reader::fail(int line, int column, std::string field, std::string message) const
{
    throw ScenarioFailure { ScenarioError { file_, line, column, std::move(field), std::move(message) } };
}

void checkInteger(
    const Reader& reader, const JsonValue& value, const std::string& path, std::int64_t minimum, std::int64_t maximum)
{
    if (!value.isNumber())
        reader.fail(value, path, "expected a whole number, got " + describe(value));
    if (!value.isInteger())
        reader.fail(value, path, "expected a whole number, got " + describe(value));
    if (value.asInt() < minimum || value.asInt() > maximum)
        reader.fail(value, path, "must be " + rangeText(minimum, maximum) + ", got " + std::to_string(value.asInt()));
}

ObjectReader::ObjectReader(const Reader& reader, const JsonValue& value, std::string path, std::string_view what,
    std::initializer_list<std::string_view> keys, bool allowUnknownKeys)
    : reader_(reader)
    , value_(value)
    , path_(std::move(path))
{
    if (!value.isObject())
        reader.fail(value, path_, "expected " + std::string(what) + " as an object { ... }, got " + describe(value));
    if (allowUnknownKeys)
        return;
    const std::vector<std::string_view> known(keys);
    for (const JsonMember& member : value.members()) {
        if (std::find(known.begin(), known.end(), member.key) != known.end())
            continue;
        std::string message = "unknown key " + inQuotes(member.key) + " in " + std::string(what);
        if (const auto match = closestMatch(member.key, known)) {
            message += " (did you mean " + inQuotes(*match) + "?)";
        } else {
            message += "; the keys are ";
            for (std::size_t i = 0; i < known.size(); ++i)
                message += (i ? ", " : "") + std::string(known[i]);
        }
        reader.fail(member.line, member.column, childPath(path_, member.key), std::move(message));
    }
}

const JsonValue& ObjectReader::require(std::string_view key) const
{
    const JsonValue* value = get(key);
    if (!value)
        reader_.fail(value_, pathOf(key), "missing required key " + inQuotes(key));
    return *value;
}

void ObjectReader::fail(std::string_view key, std::string message) const
{
    const JsonValue* value = get(key);
    reader_.fail(value ? *value : value_, pathOf(key), std::move(message));
}

std::string ObjectReader::string(std::string_view key, std::string fallback, bool required) const
{
    const JsonValue* value = required ? &require(key) : get(key);
    if (!value)
        return fallback;
    if (!value->isString())
        reader_.fail(*value, pathOf(key), "expected a string, got " + describe(*value));
    return value->asString();
}

std::string ObjectReader::nonEmptyString(std::string_view key, bool required) const
{
    std::string text = string(key, {}, required);
    if (get(key) && text.empty())
        fail(key, "must not be empty");
    return text;
}

std::int64_t ObjectReader::integer(
    std::string_view key, std::int64_t minimum, std::int64_t maximum, std::int64_t fallback, bool required) const
{
    const JsonValue* value = required ? &require(key) : get(key);
    if (!value)
        return fallback;
    checkInteger(reader_, *value, pathOf(key), minimum, maximum);
    return value->asInt();
}

std::optional<std::int64_t> ObjectReader::optionalInteger(
    std::string_view key, std::int64_t minimum, std::int64_t maximum) const
{
    if (!get(key))
        return std::nullopt;
    return integer(key, minimum, maximum, 0);
}

double ObjectReader::number(std::string_view key, double minimum, double maximum, double fallback) const
{
    const JsonValue* value = get(key);
    if (!value)
        return fallback;
    if (!value->isNumber())
        reader_.fail(*value, pathOf(key), "expected a number, got " + describe(*value));
    const double number = value->asDouble();
    if (number < minimum || number > maximum) {
        reader_.fail(*value, pathOf(key),
            "must be between " + numberText(minimum) + " and " + numberText(maximum) + ", got " + numberText(number));
    }
    return number;
}

bool ObjectReader::boolean(std::string_view key, bool fallback) const
{
    const JsonValue* value = get(key);
    if (!value)
        return fallback;
    if (!value->isBool())
        reader_.fail(*value, pathOf(key), "expected true or false, got " + describe(*value));
    return value->asBool();
}

const JsonValue::Array* ObjectReader::array(std::string_view key, bool required) const
{
    const JsonValue* value = required ? &require(key) : get(key);
    if (!value)
        return nullptr;
    if (!value->isArray())
        reader_.fail(*value, pathOf(key), "expected an array [ ... ], got " + describe(*value));
    return &value->items();
}

void failConflict(const Reader& reader, const JsonValue* configObject, const std::string& configPath,
    const JsonValue& fallback, const std::string& fallbackPath, const std::string& name, const std::string& message)
{
    if (configObject) {
        if (const JsonValue* value = configObject->find(name))
            reader.fail(*value, childPath(configPath, name), message);
    }
    reader.fail(fallback, fallbackPath, message);
}

} // namespace brokerlab::scenario::detail
