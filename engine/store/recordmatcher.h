#pragma once
// The one definition of what a query matches. The full-text index only narrows the candidates;
// every candidate, indexed or from the unindexed tail, is confirmed here, so the index and the
// scan can never disagree about a hit.

#include "log/record.h"
#include "store/searchquery.h"

#include <string>

namespace brokerlab::store {

// The text the full-text index holds for a record. Bytes that are not UTF-8 are not indexed as
// text (they stay searchable by key: and contains:).
std::string indexedText(const std::optional<std::string>& bytes);
std::string_view indexedView(std::optional<std::string_view> bytes); // the same, without a copy
std::string headersText(const std::vector<log::RecordHeader>& headers);

enum class TextColumn { Any = -1, Key = 0, Value = 1, Headers = 2 };

// A run of tokens that must appear in a column. Every condition that the index can narrow on is
// one of these, and the matcher requires them too: what the index finds and what a scan finds
// are the same set by construction.
struct ColumnPhrase {
    TextColumn column = TextColumn::Any;
    std::vector<std::string> tokens;
};

class RecordMatcher {
public:
    explicit RecordMatcher(const SearchQuery& query);
    // Text conditions only; topic, partition and time are filtered by the caller.
    bool matches(const log::Record& record) const;
    // The FTS5 MATCH expression for the phrases (their words, ANDed); empty when the query has none.
    std::string ftsExpression() const;
    // Each word of the phrases alone, as an FTS5 expression (column-qualified where the phrase is).
    // Any one of them narrows to a superset of the hits.
    std::vector<std::string> singleTokenExpressions() const;
    // The FTS5 MATCH expression for the trigram index; empty when no substring is long enough.
    std::string trigramExpression() const;

private:
    static bool containsPhrase(const std::vector<std::string>& tokens, const std::vector<std::string>& phrase);
    const SearchQuery& query_;
    std::vector<ColumnPhrase> phrases_;
    std::vector<std::string> loweredSubstrings_;
};

} // namespace brokerlab::store
