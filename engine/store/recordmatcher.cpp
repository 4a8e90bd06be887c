#include "store/recordmatcher.h"

#include "driver/report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <algorithm>
#include <cmath>

namespace brokerlab::store {

namespace {

std::string asciiLower(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// A JSON scalar equals the query text when its string value, or its number / true / false /
// null written out, is that text. Numbers compare by value: 42 matches 42, 42.0 and 4.2e1.
bool jsonEquals(const QJsonValue& value, const std::string& text)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString().toStdString() == text;
    case QJsonValue::Double: {
        try {
            std::size_t used = 0;
            const double wanted = std::stod(text, &used);
            return used == text.size() && wanted == value.toDouble();
        } catch (...) {
            return false;
        }
    }
    case QJsonValue::Bool:
        return text == (value.toBool() ? "true" : "false");
    case QJsonValue::Null:
        return text == "null";
    default:
        return false;
    }
}

} // namespace

std::string_view indexedView(std::optional<std::string_view> bytes)
{
    if (!bytes || !driver::isValidUtf8(*bytes))
        return {};
    return *bytes;
}

std::string indexedText(const std::optional<std::string>& bytes)
{
    return std::string(indexedView(bytes ? std::optional<std::string_view>(*bytes) : std::nullopt));
}

std::string headersText(const std::vector<log::RecordHeader>& headers)
{
    std::string text;
    for (const auto& header : headers) {
        if (!text.empty())
            text.push_back('\n');
        text += indexedText(header.key);
        text.push_back(' ');
        text += indexedText(header.value);
    }
    return text;
}

RecordMatcher::RecordMatcher(const SearchQuery& query) : query_(query)
{
    for (const auto& substring : query.substrings)
        loweredSubstrings_.push_back(asciiLower(substring));
    auto add = [this](TextColumn column, std::vector<std::string> tokens) {
        if (!tokens.empty())
            phrases_.push_back({ column, std::move(tokens) });
    };
    for (const auto& phrase : query.phrases)
        add(TextColumn::Any, phrase);
    for (const auto& key : query.exactKeys)
        add(TextColumn::Key, tokenize(key));
    for (const auto& [name, value] : query.headers) {
        std::vector<std::string> tokens = tokenize(name);
        for (auto& token : tokenize(value))
            tokens.push_back(std::move(token));
        add(TextColumn::Headers, std::move(tokens));
    }
    for (const auto& condition : query.json)
        add(TextColumn::Value, tokenize(condition.value));
}

namespace {
std::string quotedPhrase(const std::vector<std::string>& tokens)
{
    std::string out = "\"";
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0)
            out.push_back(' ');
        for (char c : tokens[i]) {
            if (c == '"')
                out.push_back('"');
            out.push_back(c);
        }
    }
    out.push_back('"');
    return out;
}
} // namespace

// Every word of every phrase, ANDed: the index keeps which columns hold a word, not where
// (detail=column, format 2), so it narrows to records holding all the words in the right column
// and RecordMatcher confirms they stand next to each other.
std::string RecordMatcher::ftsExpression() const
{
    std::string expression;
    for (const std::string& word : singleTokenExpressions()) {
        if (!expression.empty())
            expression += " AND ";
        expression += word;
    }
    return expression;
}

std::vector<std::string> RecordMatcher::singleTokenExpressions() const
{
    static constexpr const char* columnNames[] = { "key", "value", "headers" };
    std::vector<std::string> expressions;
    for (const ColumnPhrase& phrase : phrases_) {
        for (const std::string& token : phrase.tokens) {
            std::string expression = phrase.column == TextColumn::Any
                ? std::string()
                : std::string(columnNames[static_cast<int>(phrase.column)]) + " : ";
            expression += quotedPhrase({ token });
            if (std::find(expressions.begin(), expressions.end(), expression) == expressions.end())
                expressions.push_back(std::move(expression));
        }
    }
    return expressions;
}

std::string RecordMatcher::trigramExpression() const
{
    std::string expression;
    for (const auto& substring : query_.substrings) {
        // The trigram tokenizer needs three characters to narrow anything.
        if (QString::fromStdString(substring).size() < 3)
            continue;
        if (!expression.empty())
            expression += " AND ";
        expression += quotedPhrase({ substring });
    }
    return expression;
}

bool RecordMatcher::containsPhrase(const std::vector<std::string>& tokens, const std::vector<std::string>& phrase)
{
    return std::search(tokens.begin(), tokens.end(), phrase.begin(), phrase.end()) != tokens.end();
}

bool RecordMatcher::matches(const log::Record& record) const
{
    for (const auto& key : query_.exactKeys) {
        if (!record.key || *record.key != key)
            return false;
    }
    for (const auto& [name, value] : query_.headers) {
        const bool found = std::any_of(record.headers.begin(), record.headers.end(),
            [&](const log::RecordHeader& header) { return header.key == name && header.value.value_or("") == value; });
        if (!found)
            return false;
    }
    if (!loweredSubstrings_.empty()) {
        const std::string value = asciiLower(indexedText(record.value));
        for (const auto& substring : loweredSubstrings_) {
            if (value.find(substring) == std::string::npos)
                return false;
        }
    }
    if (!phrases_.empty()) {
        const std::vector<std::string> columns[] = { tokenize(indexedText(record.key)),
            tokenize(indexedText(record.value)), tokenize(headersText(record.headers)) };
        for (const ColumnPhrase& phrase : phrases_) {
            const bool found = phrase.column == TextColumn::Any
                ? std::any_of(std::begin(columns), std::end(columns),
                    [&](const std::vector<std::string>& tokens) { return containsPhrase(tokens, phrase.tokens); })
                : containsPhrase(columns[static_cast<int>(phrase.column)], phrase.tokens);
            if (!found)
                return false;
        }
    }
    if (!query_.json.empty()) {
        if (!record.value)
            return false;
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(
            QByteArray::fromRawData(record.value->data(), qsizetype(record.value->size())), &error);
        if (error.error != QJsonParseError::NoError)
            return false;
        const QJsonValue root = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        for (const auto& condition : query_.json) {
            QJsonValue at = root;
            for (const JsonPathStep& step : condition.steps) {
                if (step.index >= 0) {
                    if (!at.isArray() || step.index >= at.toArray().size())
                        return false;
                    at = at.toArray().at(qsizetype(step.index));
                } else {
                    if (!at.isObject())
                        return false;
                    at = at.toObject().value(QString::fromStdString(step.field));
                    if (at.isUndefined())
                        return false;
                }
            }
            if (!jsonEquals(at, condition.value))
                return false;
        }
    }
    return true;
}

} // namespace brokerlab::store
