#include "scenario/json.h"

#include "scenario/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace brokerlab::scenario {

namespace {

constexpr double kTwoTo53 = 9007199254740992.0;

bool integralDouble(double value)
{
    return std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < kTwoTo53;
}

const std::string& emptyString()
{
    static const std::string empty;
    return empty;
}

void appendUtf8(std::string& out, char32_t codePoint)
{
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

// Locale-free character classes: Qt sets the C locale from the environment, and a parser must
// not change its mind with LANG.
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isWordChar(unsigned char c) { return isAlpha(c) || isDigit(c) || c == '_'; }
int hexValue(unsigned char c)
{
    if (isDigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string describeChar(unsigned char c)
{
    if (c >= 0x21 && c < 0x7F)
        return std::string("'") + static_cast<char>(c) + "'";
    if (c >= 0x80)
        return "a non-ASCII character";
    static const char* hex = "0123456789ABCDEF";
    return std::string("control character U+00") + hex[c >> 4] + hex[c & 0xF];
}

} // namespace

// ---- JsonValue ----------------------------------------------------------------------------------

JsonValue::JsonValue(double value)
    : data_(Number { value, integralDouble(value) ? static_cast<std::int64_t>(value) : 0, integralDouble(value) })
{
}

JsonValue JsonValue::array(std::initializer_list<JsonValue> items)
{
    JsonValue value;
    value.data_ = Array(items);
    return value;
}

JsonValue JsonValue::object(std::initializer_list<JsonMember> members)
{
    JsonValue value;
    value.data_ = Object();
    for (const JsonMember& member : members)
        value.set(member.key, member.value);
    return value;
}

bool JsonValue::isInteger() const
{
    const auto* number = std::get_if<Number>(&data_);
    return number && number->isInteger;
}

bool JsonValue::asBool() const
{
    const auto* value = std::get_if<bool>(&data_);
    return value && *value;
}

double JsonValue::asDouble() const
{
    const auto* number = std::get_if<Number>(&data_);
    return number ? number->value : 0.0;
}

std::int64_t JsonValue::asInt() const
{
    const auto* number = std::get_if<Number>(&data_);
    if (!number)
        return 0;
    if (number->isInteger)
        return number->integer;
    if (std::isnan(number->value))
        return 0;
    if (number->value >= 9223372036854775807.0)
        return std::numeric_limits<std::int64_t>::max();
    if (number->value <= -9223372036854775808.0)
        return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(number->value);
}

const std::string& JsonValue::asString() const
{
    const auto* text = std::get_if<std::string>(&data_);
    return text ? *text : emptyString();
}

const JsonValue::Array& JsonValue::items() const
{
    static const Array empty;
    const auto* items = std::get_if<Array>(&data_);
    return items ? *items : empty;
}

const JsonValue::Object& JsonValue::members() const
{
    static const Object empty;
    const auto* members = std::get_if<Object>(&data_);
    return members ? *members : empty;
}

JsonValue::Array& JsonValue::items()
{
    if (!isArray())
        data_ = Array();
    return std::get<Array>(data_);
}

JsonValue::Object& JsonValue::members()
{
    if (!isObject())
        data_ = Object();
    return std::get<Object>(data_);
}

std::size_t JsonValue::size() const
{
    if (const auto* items = std::get_if<Array>(&data_))
        return items->size();
    if (const auto* members = std::get_if<Object>(&data_))
        return members->size();
    return 0;
}

const JsonMember* JsonValue::findMember(std::string_view key) const
{
    for (const JsonMember& member : members()) {
        if (member.key == key)
            return &member;
    }
    return nullptr;
}

const JsonValue* JsonValue::find(std::string_view key) const
{
    const JsonMember* member = findMember(key);
    return member ? &member->value : nullptr;
}

JsonValue& JsonValue::set(std::string_view key, JsonValue value)
{
    (*this)[key] = std::move(value);
    return *this;
}

JsonValue& JsonValue::push(JsonValue value)
{
    items().push_back(std::move(value));
    return *this;
}

JsonValue& JsonValue::operator[](std::string_view key)
{
    Object& object = members();
    for (JsonMember& member : object) {
        if (member.key == key)
            return member.value;
    }
    object.push_back(JsonMember { std::string(key), JsonValue(), 0, 0 });
    return object.back().value;
}

bool JsonValue::operator==(const JsonValue& other) const
{
    if (type() != other.type())
        return false;
    switch (type()) {
    case JsonType::Null:
        return true;
    case JsonType::Bool:
        return asBool() == other.asBool();
    case JsonType::Number:
        if (isInteger() && other.isInteger())
            return asInt() == other.asInt();
        return asDouble() == other.asDouble();
    case JsonType::String:
        return asString() == other.asString();
    case JsonType::Array:
        return items() == other.items();
    case JsonType::Object:
        return members() == other.members();
    }
    return false;
}

std::string_view JsonValue::typeName(JsonType type)
{
    switch (type) {
    case JsonType::Null:
        return "null";
    case JsonType::Bool:
        return "boolean";
    case JsonType::Number:
        return "number";
    case JsonType::String:
        return "string";
    case JsonType::Array:
        return "array";
    case JsonType::Object:
        return "object";
    }
    return "value";
}

std::string JsonError::toString() const { return std::to_string(line) + ":" + std::to_string(column) + ": " + message; }

// ---- Parser -------------------------------------------------------------------------------------

class JsonParser {
public:
    JsonParser(std::string_view text, int maxDepth) : text_(text), maxDepth_(maxDepth) { }

    JsonParseResult run()
    {
        JsonParseResult result;
        try {
            if (text_.substr(0, 3) == "\xEF\xBB\xBF")
                pos_ = 3; // a byte order mark is not a character of the document: column stays 1
            skipWhitespace();
            if (atEnd())
                fail("empty document: expected a JSON value");
            result.value = parseValue(0);
            skipWhitespace();
            if (!atEnd())
                fail("unexpected " + describeChar(current()) + " after the end of the JSON value");
        } catch (const JsonError& error) {
            result.value = JsonValue();
            result.error = error;
        }
        return result;
    }

private:
    struct Position {
        int line;
        int column;
    };

    bool atEnd() const { return pos_ >= text_.size(); }
    unsigned char current() const { return static_cast<unsigned char>(text_[pos_]); }
    Position here() const { return { line_, column_ }; }

    [[noreturn]] void fail(std::string message) const { failAt(here(), std::move(message)); }
    [[noreturn]] static void failAt(Position position, std::string message)
    {
        throw JsonError { position.line, position.column, std::move(message) };
    }

    // Advances over one byte, keeping line and column right. Continuation bytes of a UTF-8
    // sequence do not move the column, so columns count characters as an editor shows them.
    void advance()
    {
        const unsigned char c = current();
        ++pos_;
        if (c == '\n' || (c == '\r' && (atEnd() || text_[pos_] != '\n'))) {
            ++line_;
            column_ = 1;
        } else if ((c & 0xC0) != 0x80 && c != '\r') {
            ++column_;
        }
    }

    void skipWhitespace()
    {
        while (!atEnd()) {
            const unsigned char c = current();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            advance();
        }
    }

    JsonValue parseValue(int depth)
    {
        skipWhitespace();
        if (atEnd())
            fail("unexpected end of input: expected a value");
        const Position start = here();
        JsonValue value;
        switch (current()) {
        case '{':
            value = parseObject(depth + 1);
            break;
        case '[':
            value = parseArray(depth + 1);
            break;
        case '"':
            value = JsonValue(parseString());
            break;
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
            value = parseNumber();
            break;
        default:
            value = parseLiteral();
            break;
        }
        value.setPosition(start.line, start.column);
        return value;
    }

    JsonValue parseLiteral()
    {
        const unsigned char c = current();
        if (c == '\'')
            fail("strings must be in double quotes (\"), not single quotes");
        if (c == '/')
            fail("comments are not allowed in JSON");
        if (c == '+')
            fail("a number cannot start with '+'");
        if (c == '.')
            fail("a number cannot start with '.': write a 0 before the point");
        if (!isWordChar(c))
            fail("expected a value, found " + describeChar(c));
        std::size_t end = pos_;
        while (end < text_.size() && isWordChar(static_cast<unsigned char>(text_[end])))
            ++end;
        const std::string_view word = text_.substr(pos_, end - pos_);
        JsonValue value;
        if (word == "true") {
            value = JsonValue(true);
        } else if (word == "false") {
            value = JsonValue(false);
        } else if (word == "null") {
            value = JsonValue();
        } else if (word == "NaN" || word == "Infinity") {
            fail("NaN and Infinity are not JSON numbers");
        } else {
            fail("unknown word \"" + std::string(word)
                + "\": JSON values are strings in double quotes, numbers, "
                  "true, false or null");
        }
        while (pos_ < end)
            advance();
        return value;
    }

    JsonValue parseNumber()
    {
        const Position begin = here();
        const std::size_t start = pos_;
        const auto digit = [&] { return !atEnd() && current() >= '0' && current() <= '9'; };
        bool negative = false;
        if (current() == '-') {
            negative = true;
            advance();
            if (!digit())
                fail("expected a digit after '-'");
        }
        if (current() == '0') {
            advance();
            if (digit())
                fail("numbers cannot have leading zeros");
        } else {
            while (digit())
                advance();
        }
        bool plainInteger = true;
        std::int64_t exponent = 0; // saturating: only its sign and rough size matter
        if (!atEnd() && current() == '.') {
            plainInteger = false;
            advance();
            if (!digit())
                fail("expected a digit after the decimal point");
            while (digit())
                advance();
        }
        if (!atEnd() && (current() == 'e' || current() == 'E')) {
            plainInteger = false;
            advance();
            bool negativeExponent = false;
            if (!atEnd() && (current() == '+' || current() == '-')) {
                negativeExponent = current() == '-';
                advance();
            }
            if (!digit())
                fail("expected a digit in the exponent");
            while (digit()) {
                exponent = std::min<std::int64_t>(exponent * 10 + (current() - '0'), 1'000'000'000);
                advance();
            }
            if (negativeExponent)
                exponent = -exponent;
        }
        const std::string_view lexeme = text_.substr(start, pos_ - start);

        JsonValue::Number number;
        const auto [end, errc] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), number.value);
        if (errc == std::errc::result_out_of_range) {
            // Underflow (1e-400) is a harmless zero; overflow (1e400) cannot be represented at all.
            if (decimalMagnitude(lexeme, exponent) >= 0) {
                failAt(begin,
                    "number " + std::string(lexeme.substr(0, 40)) + (lexeme.size() > 40 ? "..." : "")
                        + " is too large");
            }
            number.value = negative ? -0.0 : 0.0;
        } else if (errc != std::errc() || end != lexeme.data() + lexeme.size()) {
            failAt(begin, "invalid number " + std::string(lexeme));
        }
        if (plainInteger) {
            std::int64_t exact = 0;
            const auto parsed = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), exact);
            if (parsed.ec == std::errc() && parsed.ptr == lexeme.data() + lexeme.size()) {
                number.integer = exact;
                number.isInteger = true;
            }
        } else if (integralDouble(number.value)) {
            number.integer = static_cast<std::int64_t>(number.value);
            number.isInteger = true;
        }
        JsonValue value;
        value.data_ = number;
        return value;
    }

    // Power of ten of the leading significant digit (0 for 1.5, -3 for 0.002), from the lexeme.
    static std::int64_t decimalMagnitude(std::string_view lexeme, std::int64_t exponent)
    {
        const std::size_t mantissaEnd = std::min(lexeme.find_first_of("eE"), lexeme.size());
        const std::string_view mantissa = lexeme.substr(0, mantissaEnd);
        const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
        const std::size_t firstSignificant = mantissa.find_first_of("123456789");
        if (firstSignificant == std::string_view::npos)
            return -1; // the value is zero
        const auto magnitude = firstSignificant < point ? static_cast<std::int64_t>(point - firstSignificant) - 1
                                                        : -static_cast<std::int64_t>(firstSignificant - point);
        return magnitude + exponent;
    }

    unsigned readHex4()
    {
        unsigned result = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = atEnd() ? -1 : hexValue(current());
            if (digit < 0)
                fail("invalid \\u escape: expected four hex digits");
            result = result * 16 + static_cast<unsigned>(digit);
            advance();
        }
        return result;
    }

    std::string parseString()
    {
        const Position open = here();
        advance(); // the opening quote
        std::string out;
        while (true) {
            // Copy the run of ordinary ASCII characters in one go: strings are most of a document.
            std::size_t run = pos_;
            while (run < text_.size()) {
                const auto c = static_cast<unsigned char>(text_[run]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                    break;
                ++run;
            }
            out.append(text_.substr(pos_, run - pos_));
            column_ += static_cast<int>(run - pos_);
            pos_ = run;

            if (atEnd())
                failAt(open, "unterminated string: the closing \" is missing");
            const unsigned char c = current();
            if (c == '"') {
                advance();
                return out;
            }
            if (c == '\\') {
                parseEscape(out);
                continue;
            }
            if (c == '\n' || c == '\r')
                fail("line break inside a string: close the string with \" or write \\n");
            if (c < 0x20)
                fail(describeChar(c) + " inside a string: write it as a \\u escape");
            const std::size_t length = detail::utf8SequenceLength(text_, pos_);
            if (length == 0)
                fail("invalid UTF-8 in string: the file must be saved as UTF-8");
            out.append(text_.substr(pos_, length));
            for (std::size_t i = 0; i < length; ++i)
                advance();
        }
    }

    void parseEscape(std::string& out)
    {
        const Position backslash = here();
        advance();
        if (atEnd())
            failAt(backslash, "unterminated string: the input ends inside an escape");
        const unsigned char c = current();
        switch (c) {
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        case '/':
            out += '/';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            advance();
            const unsigned unit = readHex4();
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                failAt(backslash,
                    "unpaired surrogate in \\u escape: a low surrogate (\\uDC00-\\uDFFF) must follow "
                    "a high one");
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') {
                    failAt(backslash,
                        "unpaired surrogate in \\u escape: a high surrogate (\\uD800-\\uDBFF) must be "
                        "followed by a low one");
                }
                advance();
                advance();
                const unsigned low = readHex4();
                if (low < 0xDC00 || low > 0xDFFF) {
                    failAt(backslash,
                        "unpaired surrogate in \\u escape: a high surrogate (\\uD800-\\uDBFF) must be "
                        "followed by a low one");
                }
                appendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
            } else {
                appendUtf8(out, unit);
            }
            return;
        }
        default:
            failAt(backslash,
                "invalid escape \\" + std::string(1, static_cast<char>(c))
                    + " in string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        }
        advance();
    }

    void checkDepth(int depth) const
    {
        if (depth > maxDepth_)
            fail("nesting deeper than " + std::to_string(maxDepth_) + " levels");
    }

    JsonValue parseObject(int depth)
    {
        checkDepth(depth);
        const Position open = here();
        advance(); // '{'
        JsonValue result = JsonValue::object();
        auto& members = std::get<JsonValue::Object>(result.data_);
        // Linear duplicate search is fine for the small objects of real documents; a set takes over
        // for big ones so that a hostile file with 100000 keys does not take quadratic time.
        std::unordered_set<std::string> seen;
        constexpr std::size_t kLinearLimit = 16;
        skipWhitespace();
        if (!atEnd() && current() == '}') {
            advance();
            return result;
        }
        std::optional<Position> comma;
        while (true) {
            skipWhitespace();
            if (atEnd())
                failAt(open, "unexpected end of input: this object is not closed with '}'");
            if (current() != '"') {
                if (current() == '}' && comma)
                    failAt(*comma, "trailing comma: JSON does not allow ',' before '}'");
                if (isWordChar(current()) || current() == '\'')
                    fail("object keys must be strings in double quotes");
                fail("expected a string key, found " + describeChar(current()));
            }
            const Position keyPosition = here();
            std::string key = parseString();
            bool duplicate = false;
            if (members.size() < kLinearLimit) {
                duplicate
                    = std::any_of(members.begin(), members.end(), [&](const JsonMember& m) { return m.key == key; });
            } else {
                if (seen.empty()) {
                    for (const JsonMember& member : members)
                        seen.insert(member.key);
                }
                duplicate = !seen.insert(key).second;
            }
            if (duplicate)
                failAt(keyPosition, "duplicate key \"" + key + "\"");
            skipWhitespace();
            if (atEnd() || current() != ':')
                fail("expected ':' after the key \"" + key + "\"");
            advance();
            JsonValue value = parseValue(depth);
            members.push_back(JsonMember { std::move(key), std::move(value), keyPosition.line, keyPosition.column });
            skipWhitespace();
            if (atEnd())
                failAt(open, "unexpected end of input: this object is not closed with '}'");
            if (current() == ',') {
                comma = here();
                advance();
                continue;
            }
            if (current() == '}') {
                advance();
                return result;
            }
            if (current() == '"')
                fail("expected ',' or '}' (is a comma missing before this key?)");
            fail("expected ',' or '}', found " + describeChar(current()));
        }
    }

    JsonValue parseArray(int depth)
    {
        checkDepth(depth);
        const Position open = here();
        advance(); // '['
        JsonValue result = JsonValue::array();
        auto& items = std::get<JsonValue::Array>(result.data_);
        skipWhitespace();
        if (!atEnd() && current() == ']') {
            advance();
            return result;
        }
        std::optional<Position> comma;
        while (true) {
            skipWhitespace();
            if (!atEnd() && current() == ']' && comma)
                failAt(*comma, "trailing comma: JSON does not allow ',' before ']'");
            if (atEnd())
                failAt(open, "unexpected end of input: this array is not closed with ']'");
            items.push_back(parseValue(depth));
            skipWhitespace();
            if (atEnd())
                failAt(open, "unexpected end of input: this array is not closed with ']'");
            if (current() == ',') {
                comma = here();
                advance();
                continue;
            }
            if (current() == ']') {
                advance();
                return result;
            }
            fail("expected ',' or ']', found " + describeChar(current()));
        }
    }

    std::string_view text_;
    int maxDepth_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
};

JsonParseResult parseJson(std::string_view text, int maxDepth) { return JsonParser(text, maxDepth).run(); }

} // namespace brokerlab::scenario
