#include "lesson/reportpath.h"

#include "scenario/suggest.h"

#include <algorithm>
#include <charconv>

namespace brokerlab::lesson {

using scenario::JsonType;
using scenario::JsonValue;

namespace {

bool isKeyChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

bool matchesFilter(const JsonValue& item, const PathSegment& segment)
{
    const JsonValue* member = item.find(segment.key);
    if (!member)
        return false;
    if (member->isString())
        return member->asString() == segment.text;
    if (member->isInteger())
        return std::to_string(member->asInt()) == segment.text;
    if (member->isBool())
        return (member->asBool() ? "true" : "false") == segment.text;
    return false;
}

std::string keysOf(const JsonValue& object)
{
    std::string keys;
    for (const auto& member : object.members())
        keys += (keys.empty() ? "" : ", ") + member.key;
    return keys;
}

} // namespace

bool ReportPath::selectsList() const
{
    return std::any_of(
        segments.begin(), segments.end(), [](const PathSegment& s) { return s.kind == PathSegment::Kind::Every; });
}

std::variant<ReportPath, std::string> parseReportPath(std::string_view text)
{
    ReportPath path;
    path.text = std::string(text);
    if (text.empty())
        return std::string("the path is empty");
    std::size_t i = 0;
    const auto at = [&](std::size_t position) { return " at character " + std::to_string(position + 1); };
    bool expectKey = true; // at the start and after '.'
    while (i < text.size()) {
        const char c = text[i];
        if (expectKey) {
            if (c == '#') {
                path.segments.push_back({ PathSegment::Kind::Length });
                ++i;
            } else {
                const std::size_t start = i;
                while (i < text.size() && isKeyChar(text[i]))
                    ++i;
                if (i == start)
                    return "expected a key (letters, digits, '_') or '#'" + at(start) + " of \"" + path.text + "\"";
                path.segments.push_back({ PathSegment::Kind::Key, std::string(text.substr(start, i - start)) });
            }
            expectKey = false;
        } else if (c == '.') {
            if (path.segments.back().kind == PathSegment::Kind::Length)
                return "'#' (a length) must end the path \"" + path.text + "\"";
            expectKey = true;
            ++i;
        } else if (c == '[') {
            if (path.segments.back().kind == PathSegment::Kind::Length)
                return "'#' (a length) must end the path \"" + path.text + "\"";
            const std::size_t close = text.find(']', i);
            if (close == std::string_view::npos)
                return "unclosed '['" + at(i) + " of \"" + path.text + "\"";
            const std::string_view inside = text.substr(i + 1, close - i - 1);
            PathSegment segment;
            if (inside == "*") {
                segment.kind = PathSegment::Kind::Every;
            } else if (const std::size_t equals = inside.find('='); equals != std::string_view::npos) {
                segment.kind = PathSegment::Kind::Filter;
                segment.key = std::string(inside.substr(0, equals));
                segment.text = std::string(inside.substr(equals + 1));
                if (segment.key.empty() || !std::all_of(segment.key.begin(), segment.key.end(), isKeyChar)
                    || segment.text.empty())
                    return "expected [key=value]" + at(i) + " of \"" + path.text + "\"";
            } else {
                segment.kind = PathSegment::Kind::Index;
                const auto result = std::from_chars(inside.data(), inside.data() + inside.size(), segment.index);
                if (inside.empty() || result.ec != std::errc() || result.ptr != inside.data() + inside.size()
                    || segment.index < 0)
                    return "expected [N], [*] or [key=value]" + at(i) + " of \"" + path.text + "\"";
            }
            path.segments.push_back(std::move(segment));
            i = close + 1;
        } else {
            return "unexpected '" + std::string(1, c) + "'" + at(i) + " of \"" + path.text + "\"";
        }
    }
    if (expectKey)
        return "the path \"" + path.text + "\" ends with '.'";
    return path;
}

std::variant<Selection, std::string> selectPath(const JsonValue& report, const ReportPath& path)
{
    std::vector<JsonValue> current { report };
    std::string walked; // the part of the path resolved so far, for messages
    for (const PathSegment& segment : path.segments) {
        std::vector<JsonValue> next;
        const std::string where = walked.empty() ? std::string("the report") : "\"" + walked + "\"";
        for (const JsonValue& value : current) {
            switch (segment.kind) {
            case PathSegment::Kind::Key: {
                if (!value.isObject())
                    return where + " is " + std::string(JsonValue::typeName(value.type())) + ", not an object: it has no key \"" + segment.key + "\"";
                const JsonValue* member = value.find(segment.key);
                if (!member) {
                    std::vector<std::string_view> keys;
                    for (const auto& m : value.members())
                        keys.push_back(m.key);
                    std::string message = "no key \"" + segment.key + "\" in " + where;
                    if (const auto match = scenario::closestMatch(segment.key, keys))
                        message += " (did you mean \"" + *match + "\"?)";
                    else
                        message += "; its keys are " + keysOf(value);
                    return message;
                }
                next.push_back(*member);
                break;
            }
            case PathSegment::Kind::Index:
                if (!value.isArray())
                    return where + " is not an array";
                if (segment.index >= static_cast<std::int64_t>(value.size()))
                    return where + " has " + std::to_string(value.size()) + " items, so no [" + std::to_string(segment.index) + "]";
                next.push_back(value.items()[static_cast<std::size_t>(segment.index)]);
                break;
            case PathSegment::Kind::Every:
                if (!value.isArray())
                    return where + " is not an array";
                next.insert(next.end(), value.items().begin(), value.items().end());
                break;
            case PathSegment::Kind::Filter: {
                if (!value.isArray())
                    return where + " is not an array";
                const JsonValue* found = nullptr;
                for (const JsonValue& item : value.items()) {
                    if (!matchesFilter(item, segment))
                        continue;
                    if (found)
                        return "more than one item of " + where + " has " + segment.key + "=" + segment.text;
                    found = &item;
                }
                if (!found)
                    return "no item of " + where + " has " + segment.key + "=" + segment.text;
                next.push_back(*found);
                break;
            }
            case PathSegment::Kind::Length:
                if (!value.isArray() && !value.isObject())
                    return where + " is " + std::string(JsonValue::typeName(value.type())) + ": '#' counts the items of an array";
                next.emplace_back(static_cast<std::int64_t>(value.size()));
                break;
            }
        }
        current = std::move(next);
        switch (segment.kind) {
        case PathSegment::Kind::Key:
            walked += (walked.empty() ? "" : ".") + segment.key;
            break;
        case PathSegment::Kind::Index:
            walked += "[" + std::to_string(segment.index) + "]";
            break;
        case PathSegment::Kind::Every:
            walked += "[*]";
            break;
        case PathSegment::Kind::Filter:
            walked += "[" + segment.key + "=" + segment.text + "]";
            break;
        case PathSegment::Kind::Length:
            walked += ".#";
            break;
        }
    }
    Selection selection;
    selection.list = path.selectsList();
    selection.values = std::move(current);
    return selection;
}

} // namespace brokerlab::lesson
