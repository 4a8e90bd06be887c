#pragma once
// The search language (docs/store.md): every term must match (AND).
//   word  "a phrase"          tokens in the key, value or header text
//   key:orders-17             the key equals this exactly (quote it for spaces)
//   header:trace-id=abc       a header with this key has this value
//   json:$.customer.id=42     the value is JSON and the field at this path equals 42 (or "42")
//   contains:lice             case-insensitive substring of the value (trigram index when on)
//   topic:orders partition:2  restrict where to look (repeatable: any of them)
//   from:TIME to:TIME         record timestamps, inclusive; ms since the epoch or ISO 8601

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace brokerlab::store {

struct JsonPathStep {
    std::string field; // object member, when index < 0
    std::int64_t index = -1; // array element
};

struct SearchQuery {
    std::vector<std::vector<std::string>> phrases; // each: tokens that must follow each other
    std::vector<std::string> exactKeys; // every one must equal the key (so more than one never matches)
    std::vector<std::pair<std::string, std::string>> headers;
    struct JsonCondition {
        std::string path; // as written
        std::vector<JsonPathStep> steps;
        std::string value;
    };
    std::vector<JsonCondition> json;
    std::vector<std::string> substrings;
    std::set<std::string> topics;
    std::set<std::int32_t> partitions;
    std::int64_t fromMs = std::numeric_limits<std::int64_t>::min();
    std::int64_t toMs = std::numeric_limits<std::int64_t>::max();

    bool hasTextConditions() const
    {
        return !phrases.empty() || !exactKeys.empty() || !headers.empty() || !json.empty() || !substrings.empty();
    }
};

struct QueryError {
    std::string message; // names the term and what is wrong with it
    std::size_t position = 0; // 0-based character offset in the query
};

using QueryParse = std::variant<SearchQuery, QueryError>;
QueryParse parseSearchQuery(const std::string& text);

// Milliseconds since the epoch, or ISO 8601 (2024-05-01T12:00:00Z, with or without milliseconds
// and zone; no zone means UTC). Nothing when the text is neither.
std::optional<std::int64_t> parseTimeMs(const std::string& text);

// The words of a text as the full-text index sees them (FTS5 unicode61, diacritics kept):
// runs of letters and digits, lower-cased.
std::vector<std::string> tokenize(std::string_view text);

} // namespace brokerlab::store
