#pragma once
// A strict JSON (RFC 8259) reader that remembers where every value sits in the text, so that a
// scenario error can point at the exact line and column; plus a small builder and a serializer.
// Standard library only: the scenario layer must load files without Qt.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace brokerlab::scenario {

// Deep enough for any real document, shallow enough that a hostile "[[[[..." cannot exhaust the stack.
inline constexpr int kJsonMaxDepth = 256;

enum class JsonType { Null, Bool, Number, String, Array, Object };

struct JsonMember;

class JsonValue {
public:
    using Array = std::vector<JsonValue>;
    using Object = std::vector<JsonMember>; // document order is kept; keys are unique after parsing

    // The constructors are defined below JsonMember: clang needs JsonMember complete wherever the
    // variant is built or destroyed.
    JsonValue(); // null
    JsonValue(std::nullptr_t);
    JsonValue(bool value);
    // enable_if rather than a requires-clause: Qt 6.4's moc, which reads this header through the
    // tests, cannot parse C++20 constraints.
    template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    JsonValue(T value);
    JsonValue(double value);
    JsonValue(const char* text);
    JsonValue(std::string text);
    JsonValue(std::string_view text);

    static JsonValue array(std::initializer_list<JsonValue> items = {});
    static JsonValue object(std::initializer_list<JsonMember> members = {});

    JsonType type() const { return static_cast<JsonType>(data_.index()); }
    bool isNull() const { return type() == JsonType::Null; }
    bool isBool() const { return type() == JsonType::Bool; }
    bool isNumber() const { return type() == JsonType::Number; }
    bool isString() const { return type() == JsonType::String; }
    bool isArray() const { return type() == JsonType::Array; }
    bool isObject() const { return type() == JsonType::Object; }
    // A number whose value is an integer that std::int64_t holds exactly. Written without a fraction
    // or exponent, it is parsed digit by digit (exact up to INT64_MAX); otherwise its double value
    // must be integral and below 2^53.
    bool isInteger() const;

    // Readers: on the wrong type they return false / 0 / an empty string / an empty list.
    bool asBool() const;
    double asDouble() const;
    std::int64_t asInt() const; // exact when isInteger(), else the double truncated and clamped
    const std::string& asString() const;
    const Array& items() const;
    const Object& members() const;
    // Writers: a value of another type is replaced by an empty array / object first.
    Array& items();
    Object& members();
    std::size_t size() const; // items or members; 0 for scalars

    const JsonValue* find(std::string_view key) const; // objects only; nullptr when absent
    const JsonMember* findMember(std::string_view key) const;

    // Builders. set() and push() turn a non-object / non-array into an empty one first; they return *this
    // so that calls chain: JsonValue::object().set("a", 1).set("b", "x").
    JsonValue& set(std::string_view key, JsonValue value); // replaces an existing key in place
    JsonValue& push(JsonValue value);
    JsonValue& operator[](std::string_view key); // finds or appends (null) the member

    // 1-based position of the value's first character; 0 for values built in code.
    int line() const { return line_; }
    int column() const { return column_; }
    void setPosition(int line, int column)
    {
        line_ = line;
        column_ = column;
    }

    // Structural equality: positions are ignored, numbers compare by value, member order matters.
    bool operator==(const JsonValue& other) const;

    static std::string_view typeName(JsonType type); // "null", "boolean", "number", ...

private:
    friend class JsonParser;
    struct Number {
        double value = 0;
        std::int64_t integer = 0;
        bool isInteger = false;
    };
    std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> data_;
    int line_ = 0;
    int column_ = 0;
};

struct JsonMember {
    std::string key;
    JsonValue value;
    int line = 0; // position of the key's opening quote
    int column = 0;
    bool operator==(const JsonMember& other) const { return key == other.key && value == other.value; }
};

inline JsonValue::JsonValue() : data_(nullptr) { }
inline JsonValue::JsonValue(std::nullptr_t) : data_(nullptr) { }
inline JsonValue::JsonValue(bool value) : data_(value) { }
inline JsonValue::JsonValue(const char* text) : data_(std::string(text)) { }
inline JsonValue::JsonValue(std::string text) : data_(std::move(text)) { }
inline JsonValue::JsonValue(std::string_view text) : data_(std::string(text)) { }

template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int>>
JsonValue::JsonValue(T value)
{
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
        // Above INT64_MAX only a double can hold it (inexactly); write such values as strings.
        if (value > static_cast<std::uint64_t>(INT64_MAX)) {
            data_ = Number { static_cast<double>(value), 0, false };
            return;
        }
    }
    data_ = Number { static_cast<double>(value), static_cast<std::int64_t>(value), true };
}

struct JsonError {
    int line = 0;
    int column = 0;
    std::string message;
    std::string toString() const; // "line:column: message"
};

struct JsonParseResult {
    JsonValue value; // null unless ok()
    std::optional<JsonError> error;
    bool ok() const { return !error.has_value(); }
};

// Parses one JSON text. Lines count '\n' (and a lone '\r'); columns count Unicode code points, a tab
// counting as one. A leading UTF-8 byte order mark is skipped. Strings must be valid UTF-8; unpaired
// \u surrogates are rejected.
JsonParseResult parseJson(std::string_view text, int maxDepth = kJsonMaxDepth);

// Serializes compactly ({"a":1}) or, with pretty, indented by two spaces; no trailing newline.
// Bytes that are not valid UTF-8 become U+FFFD so that the output is always valid JSON; NaN and
// infinities (which JSON cannot express) become null.
std::string toJson(const JsonValue& value, bool pretty = false);

// Appends `text` as a quoted, escaped JSON string.
void appendJsonString(std::string& out, std::string_view text);

} // namespace brokerlab::scenario
