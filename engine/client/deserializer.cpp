#include "client/deserializer.h"

#include "scenario/json.h"

#include <array>
#include <cstdint>

namespace brokerlab::client {

namespace {

constexpr std::array kClassNames { std::string_view("org.apache.kafka.common.serialization.ByteArrayDeserializer"),
    std::string_view("org.apache.kafka.common.serialization.StringDeserializer"),
    std::string_view("org.apache.kafka.connect.json.JsonDeserializer") };

} // namespace

std::string_view deserializerClassName(ValueDeserializer deserializer)
{
    return kClassNames[static_cast<std::size_t>(deserializer)];
}

std::optional<ValueDeserializer> deserializerFromClassName(std::string_view name)
{
    for (std::size_t i = 0; i < kClassNames.size(); ++i) {
        if (kClassNames[i] == name)
            return static_cast<ValueDeserializer>(i);
    }
    return std::nullopt;
}

std::optional<std::string> whyUndeserializable(ValueDeserializer deserializer, const std::optional<std::string>& value)
{
    // Only JSON can refuse bytes; an empty value reads as a missing node, a null one as null.
    if (deserializer != ValueDeserializer::Json || !value || value->empty())
        return std::nullopt;
    const scenario::JsonParseResult parsed = scenario::parseJson(*value);
    if (parsed.ok())
        return std::nullopt;
    return "JsonDeserializer: " + parsed.error->toString() + ": the value is not JSON";
}

} // namespace brokerlab::client
