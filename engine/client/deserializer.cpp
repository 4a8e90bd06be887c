#include "client/deserializer.h"

#include <array>
#include <cstdint>

namespace brokerlab::client {

namespace {

constexpr std::array kClassNames { std::string_view("org.apache.kafka.common.serialization.ByteArrayDeserializer"),
    std::string_view("org.apache.kafka.common.serialization.StringDeserializer"),
    std::string_view("org.apache.kafka.connect.json.JsonDeserializer") };

// A JSON syntax check (RFC 8259) that stops at the first error, as a JSON parser would throw.
class JsonSyntax {
public:
    explicit JsonSyntax(std::string_view text) : text_(text) { }

    // The byte offset of the first error, or nothing when the text is one JSON value.
    std::optional<std::size_t> check()
    {
        skipSpace();
        if (!value(0))
            return at_;
        skipSpace();
        if (at_ != text_.size())
            return at_;
        return std::nullopt;
    }

private:
    static constexpr int kMaxDepth = 1000; // Jackson's default nesting limit

    bool value(int depth)
    {
        if (at_ >= text_.size() || depth > kMaxDepth)
            return false;
        switch (text_[at_]) {
        case '{':
            return container(depth, '}', true);
        case '[':
            return container(depth, ']', false);
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return number();
        }
    }

    bool container(int depth, char close, bool object)
    {
        ++at_;
        skipSpace();
        if (peek(close)) {
            ++at_;
            return true;
        }
        while (true) {
            if (object) {
                if (!peek('"') || !string())
                    return false;
                skipSpace();
                if (!peek(':'))
                    return false;
                ++at_;
                skipSpace();
            }
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (peek(close)) {
                ++at_;
                return true;
            }
            if (!peek(','))
                return false;
            ++at_;
            skipSpace();
        }
    }

    bool string()
    {
        ++at_;
        while (at_ < text_.size()) {
            const auto c = static_cast<unsigned char>(text_[at_]);
            if (c == '"') {
                ++at_;
                return true;
            }
            if (c < 0x20)
                return false; // control characters must be escaped
            if (c == '\\') {
                ++at_;
                if (at_ >= text_.size())
                    return false;
                const char escaped = text_[at_];
                if (escaped == 'u') {
                    for (int i = 0; i < 4; ++i) {
                        ++at_;
                        if (at_ >= text_.size() || !isHex(text_[at_]))
                            return false;
                    }
                } else if (std::string_view("\"\\/bfnrt").find(escaped) == std::string_view::npos) {
                    return false;
                }
            }
            ++at_;
        }
        return false;
    }

    bool number()
    {
        const std::size_t start = at_;
        if (peek('-'))
            ++at_;
        if (peek('0')) {
            ++at_;
        } else if (!digits()) {
            at_ = start;
            return false;
        }
        if (peek('.')) {
            ++at_;
            if (!digits())
                return false;
        }
        if (peek('e') || peek('E')) {
            ++at_;
            if (peek('+') || peek('-'))
                ++at_;
            if (!digits())
                return false;
        }
        return true;
    }

    bool digits()
    {
        const std::size_t start = at_;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9')
            ++at_;
        return at_ > start;
    }

    bool literal(std::string_view word)
    {
        if (text_.substr(at_, word.size()) != word)
            return false;
        at_ += word.size();
        return true;
    }

    static bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
    bool peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
    void skipSpace()
    {
        while (
            at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
            ++at_;
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

std::string byteText(unsigned char byte)
{
    static constexpr char kHex[] = "0123456789abcdef";
    if (byte >= 0x20 && byte < 0x7f)
        return std::string("'") + static_cast<char>(byte) + "'";
    return std::string("0x") + kHex[byte >> 4] + kHex[byte & 15];
}

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
    const std::optional<std::size_t> error = JsonSyntax(*value).check();
    if (!error)
        return std::nullopt;
    const std::string where = *error < value->size()
        ? "unexpected character " + byteText(static_cast<unsigned char>((*value)[*error]))
        : std::string("unexpected end of input");
    return "JsonDeserializer: " + where + " at byte " + std::to_string(*error) + " of " + std::to_string(value->size())
        + ": the value is not JSON";
}

} // namespace brokerlab::client
