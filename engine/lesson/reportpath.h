#pragma once
// Paths into a run report (the JSON of `brokerlab-cli run --report`), as lesson assertions name
// them: `checker.lost`, `producers[0].acked`, `topics[name=orders].partitions[*].high_watermark`,
// `groups[group_id=billing].members[*].assignment.#`.
//
//   key        a member of an object
//   [N]        the N-th item of an array (from 0)
//   [*]        every item of an array: the path then selects a list of values
//   [key=text] the one item of an array whose member `key` is `text` (a string or a whole number)
//   #          the number of items of an array (or members of an object)

#include "scenario/json.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace brokerlab::lesson {

struct PathSegment {
    enum class Kind { Key, Index, Every, Filter, Length };
    Kind kind = Kind::Key;
    std::string key; // Key: the member; Filter: the member compared
    std::string text; // Filter: the value it must have
    std::int64_t index = 0; // Index
};

struct ReportPath {
    std::string text;
    std::vector<PathSegment> segments;
    bool selectsList() const; // has [*]
};

// An error message when the text is not a path.
std::variant<ReportPath, std::string> parseReportPath(std::string_view text);

// What a path found: one value, or with [*] the list of values (flattened over every [*]).
struct Selection {
    std::vector<scenario::JsonValue> values;
    bool list = false;
    const scenario::JsonValue& single() const { return values.front(); }
};

// An error message names the part of the path that did not resolve and, for an unknown key,
// suggests a close one.
std::variant<Selection, std::string> selectPath(const scenario::JsonValue& report, const ReportPath& path);

} // namespace brokerlab::lesson
