#pragma once
// The consumer's value.deserializer: what turns a record's value bytes into the application's object.
// Kafka's consumer deserializes inside poll(); a value the deserializer rejects makes poll() throw a
// RecordDeserializationException naming the partition and offset, and the position stays there.

#include <optional>
#include <string>
#include <string_view>

namespace brokerlab::client {

enum class ValueDeserializer { ByteArray, String, Json };
// Kafka's class names: org.apache.kafka.common.serialization.ByteArrayDeserializer, ...StringDeserializer,
// org.apache.kafka.connect.json.JsonDeserializer.
std::string_view deserializerClassName(ValueDeserializer deserializer);
std::optional<ValueDeserializer> deserializerFromClassName(std::string_view name);

// Why `deserializer` rejects `value`, or nothing when it accepts it. Bytes and strings are always
// accepted (Java's String decoder replaces malformed UTF-8); JSON must parse, and a null value is null.
std::optional<std::string> whyUndeserializable(ValueDeserializer deserializer, const std::optional<std::string>& value);

} // namespace brokerlab::client
