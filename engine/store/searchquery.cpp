#include "store/searchquery.h"

#include "driver/report.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <charconv>

namespace brokerlab::store {

namespace {

constexpr const char* kFields = "key, header, json, contains, topic, partition, from, to";

struct Term {
    std::string field; // empty for a bare word or phrase
    std::string value;
    bool quoted = false;
    std::size_t position = 0;
};

// Splits the query into terms: bare words, "quoted phrases", field:value and field:"quoted value".
std::variant<std::vector<Term>, QueryError> splitTerms(const std::string& text)
{
    std::vector<Term> terms;
    std::size_t i = 0;
    auto readQuoted = [&](std::string& out) -> std::optional<QueryError> {
        const std::size_t open = i;
        ++i; // opening quote
        while (i < text.size() && text[i] != '"') {
            if (text[i] == '\\' && i + 1 < text.size())
                ++i;
            out.push_back(text[i++]);
        }
        if (i >= text.size())
            return QueryError { "the quote opened at character " + std::to_string(open + 1) + " is never closed",
                open };
        ++i; // closing quote
        return std::nullopt;
    };
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
            ++i;
            continue;
        }
        Term term;
        term.position = i;
        if (text[i] == '"') {
            term.quoted = true;
            if (auto error = readQuoted(term.value))
                return *error;
            terms.push_back(std::move(term));
            continue;
        }
        std::string word;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') {
            if (text[i] == ':' && term.field.empty() && !word.empty()) {
                term.field = word;
                word.clear();
                ++i;
                if (i < text.size() && text[i] == '"') {
                    term.quoted = true;
                    if (auto error = readQuoted(word))
                        return *error;
                    break;
                }
                continue;
            }
            word.push_back(text[i++]);
        }
        term.value = std::move(word);
        terms.push_back(std::move(term));
    }
    return terms;
}

bool parseInt(const std::string& text, std::int64_t& out)
{
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// $.a.b[2].c — a leading '$', then .name or [index] steps. Names may be "quoted" after the dot.
std::optional<std::string> parseJsonPath(const std::string& path, std::vector<JsonPathStep>& steps)
{
    if (path.empty() || path[0] != '$')
        return "a JSON path starts with '$', as in $.customer.id";
    std::size_t i = 1;
    while (i < path.size()) {
        if (path[i] == '.') {
            ++i;
            std::string name;
            while (i < path.size() && path[i] != '.' && path[i] != '[')
                name.push_back(path[i++]);
            if (name.empty())
                return "an empty field name at character " + std::to_string(i + 1) + " of the path";
            steps.push_back({ name, -1 });
        } else if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string::npos)
                return "'[' without ']' in the path";
            std::int64_t index = 0;
            if (!parseInt(path.substr(i + 1, close - i - 1), index) || index < 0)
                return "an array index must be a whole number >= 0, not '" + path.substr(i + 1, close - i - 1) + "'";
            steps.push_back({ {}, index });
            i = close + 1;
        } else {
            return "expected '.' or '[' at character " + std::to_string(i + 1) + " of the path";
        }
    }
    return std::nullopt;
}

bool isTokenChar(char32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const QChar::Category category = QChar::category(c);
    return QChar::isLetterOrNumber(c) || category == QChar::Other_PrivateUse || category == QChar::Mark_NonSpacing
        || category == QChar::Mark_SpacingCombining || category == QChar::Mark_Enclosing;
}

} // namespace

std::vector<std::string> tokenize(std::string_view text)
{
    std::vector<std::string> tokens;
    std::string current;
    bool asciiOnly = true;
    auto flush = [&] {
        if (current.empty())
            return;
        if (asciiOnly)
            tokens.push_back(std::move(current));
        else
            tokens.push_back(QString::fromUtf8(current.data(), qsizetype(current.size())).toLower().toStdString());
        current.clear();
        asciiOnly = true;
    };
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            if (isTokenChar(byte))
                current.push_back(byte >= 'A' && byte <= 'Z' ? char(byte - 'A' + 'a') : char(byte));
            else
                flush();
            ++i;
            continue;
        }
        // Decode one UTF-8 sequence; invalid bytes separate tokens, as they would in FTS5.
        const int extra = (byte & 0xE0) == 0xC0 ? 1 : (byte & 0xF0) == 0xE0 ? 2 : (byte & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0 || i + std::size_t(extra) >= text.size()) {
            flush();
            ++i;
            continue;
        }
        char32_t code = byte & (0x3F >> extra);
        bool valid = true;
        for (int k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + std::size_t(k)]);
            if ((next & 0xC0) != 0x80) {
                valid = false;
                break;
            }
            code = (code << 6) | (next & 0x3F);
        }
        if (!valid) {
            flush();
            ++i;
            continue;
        }
        if (isTokenChar(code)) {
            current.append(text.substr(i, std::size_t(extra) + 1));
            asciiOnly = false;
        } else {
            flush();
        }
        i += std::size_t(extra) + 1;
    }
    flush();
    return tokens;
}

std::optional<std::int64_t> parseTimeMs(const std::string& text)
{
    std::int64_t ms = 0;
    if (parseInt(text, ms))
        return ms;
    QDateTime time = QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeZone(QTimeZone::utc()); // no zone written: UTC, so results do not depend on the machine
    return time.toMSecsSinceEpoch();
}

QueryParse parseSearchQuery(const std::string& text)
{
    if (!driver::isValidUtf8(text))
        return QueryError { "the query is not valid UTF-8 text", 0 };
    auto split = splitTerms(text);
    if (auto* error = std::get_if<QueryError>(&split))
        return *error;
    SearchQuery query;
    for (const Term& term : std::get<std::vector<Term>>(split)) {
        auto fail = [&](const std::string& why) {
            const std::string shown = term.field.empty() ? term.value : term.field + ":" + term.value;
            return QueryError { "'" + shown + "': " + why, term.position };
        };
        if (term.field.empty()) {
            std::vector<std::string> tokens = tokenize(term.value);
            if (tokens.empty())
                return fail("has no letters or digits to search for (use contains: for punctuation)");
            query.phrases.push_back(std::move(tokens));
            continue;
        }
        if (term.value.empty() && term.field != "key")
            return fail(term.field + ": needs a value");
        if (term.field == "key") {
            query.exactKeys.push_back(term.value);
        } else if (term.field == "header") {
            const std::size_t equals = term.value.find('=');
            if (equals == std::string::npos || equals == 0)
                return fail("header: needs NAME=VALUE, as in header:trace-id=abc");
            query.headers.emplace_back(term.value.substr(0, equals), term.value.substr(equals + 1));
        } else if (term.field == "json") {
            const std::size_t equals = term.value.find('=');
            if (equals == std::string::npos)
                return fail("json: needs PATH=VALUE, as in json:$.customer.id=42");
            SearchQuery::JsonCondition condition { term.value.substr(0, equals), {}, term.value.substr(equals + 1) };
            if (auto error = parseJsonPath(condition.path, condition.steps))
                return fail(*error);
            query.json.push_back(std::move(condition));
        } else if (term.field == "contains") {
            query.substrings.push_back(term.value);
        } else if (term.field == "topic") {
            query.topics.insert(term.value);
        } else if (term.field == "partition") {
            std::int64_t partition = 0;
            if (!parseInt(term.value, partition) || partition < 0 || partition > INT32_MAX)
                return fail("partition: must be a whole number >= 0");
            query.partitions.insert(static_cast<std::int32_t>(partition));
        } else if (term.field == "from" || term.field == "to") {
            const auto ms = parseTimeMs(term.value);
            if (!ms)
                return fail("not a time: use milliseconds since the epoch or ISO 8601 such as 2024-05-01T12:00:00Z");
            (term.field == "from" ? query.fromMs : query.toMs) = *ms;
        } else {
            return fail("unknown field '" + term.field + "' (fields: " + kFields
                + "); put the term in quotes to search for it as text");
        }
    }
    if (query.fromMs > query.toMs)
        return QueryError { "the time range is empty: from is after to", 0 };
    return query;
}

} // namespace brokerlab::store
