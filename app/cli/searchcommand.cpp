#include "driver/report.h"
#include "runcommand.h"
#include "store/exporter.h"
#include "store/searchquery.h"
#include "store/workspace.h"
#include "storecommands.h"

#include <QDateTime>
#include <QTimeZone>

#include <charconv>
#include <iostream>

namespace brokerlab::cli {

namespace {

constexpr std::int64_t kDefaultLimit = 100;

struct SearchOptions {
    std::string workspacePath;
    std::string query;
    std::vector<std::string> topics;
    std::string from, to;
    std::int64_t limit = kDefaultLimit;
    bool json = false;
};

std::optional<std::string> parseOptions(const std::vector<std::string>& args, SearchOptions& options)
{
    bool haveQuery = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&](std::string& out) -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return "option " + arg + " needs a value";
            out = args[++i];
            return std::nullopt;
        };
        std::string text;
        if (arg == "--topic") {
            if (auto error = value(text))
                return error;
            options.topics.push_back(text);
        } else if (arg == "--from") {
            if (auto error = value(options.from))
                return error;
        } else if (arg == "--to") {
            if (auto error = value(options.to))
                return error;
        } else if (arg == "--limit") {
            if (auto error = value(text))
                return error;
            const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), options.limit);
            if (failure != std::errc() || end != text.data() + text.size() || text.empty() || options.limit < 0)
                return "--limit must be a whole number >= 0 (0 = every hit), not '" + text + "'";
        } else if (arg == "--json") {
            options.json = true;
        } else if (arg.starts_with("--")) {
            return "unknown option '" + arg + "'";
        } else if (options.workspacePath.empty()) {
            options.workspacePath = arg;
        } else {
            // The rest of the words are the query, so `search ws.blw alice shipped` needs no quotes.
            options.query += (haveQuery ? " " : "") + arg;
            haveQuery = true;
        }
    }
    if (options.workspacePath.empty())
        return "no workspace file given";
    if (!haveQuery)
        return "no query given (use \"\" to list every record)";
    return std::nullopt;
}

std::string timeText(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs).toStdString();
}

// One field of a tab-separated line: text as is with tabs and newlines escaped, other bytes as
// base64 marked so, null as "(null)".
std::string cell(const std::optional<std::string>& bytes)
{
    if (!bytes)
        return "(null)";
    if (!driver::isValidUtf8(*bytes))
        return "base64:" + driver::base64Encode(*bytes);
    std::string out;
    for (char c : *bytes) {
        if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\\')
            out += "\\\\";
        else
            out.push_back(c);
    }
    return out;
}

} // namespace

void printSearchUsage()
{
    std::cerr
        << "usage: brokerlab-cli search WORKSPACE QUERY [--topic T]... [--from TIME] [--to TIME] [--limit N] [--json]\n"
           "Prints the records that match QUERY, newest first: topic, partition, offset, timestamp, key, value.\n"
           "QUERY: words, \"phrases\", key:K, header:NAME=VALUE, json:$.path=VALUE, contains:TEXT,\n"
           "       topic:T, partition:N, from:TIME, to:TIME (docs/store.md). TIME: ms since the epoch or ISO 8601.\n"
           "--limit N: at most N hits (default 100; 0 = all). --json: one JSON object per line.\n";
}

int searchCommand(const std::vector<std::string>& args)
{
    SearchOptions options;
    if (auto error = parseOptions(args, options)) {
        std::cerr << "brokerlab-cli search: " << *error << "\n";
        printSearchUsage();
        return kExitBadInput;
    }
    auto parsed = store::parseSearchQuery(options.query);
    if (auto* error = std::get_if<store::QueryError>(&parsed)) {
        std::cerr << "brokerlab-cli search: bad query: " << error->message << "\n";
        return kExitBadInput;
    }
    store::SearchQuery query = std::get<store::SearchQuery>(std::move(parsed));
    for (const auto& topic : options.topics)
        query.topics.insert(topic);
    for (const auto& [text, target, name] :
        { std::tuple { options.from, &query.fromMs, "--from" }, std::tuple { options.to, &query.toMs, "--to" } }) {
        if (text.empty())
            continue;
        const auto ms = store::parseTimeMs(text);
        if (!ms) {
            std::cerr << "brokerlab-cli search: " << name << " must be a time (ms since the epoch or ISO 8601 such as "
                      << "2024-05-01T12:00:00Z), not '" << text << "'\n";
            return kExitBadInput;
        }
        *target = *ms;
    }
    if (query.fromMs > query.toMs) {
        std::cerr << "brokerlab-cli search: the time range is empty: from is after to\n";
        return kExitBadInput;
    }

    store::Workspace workspace("brokerlab-cli-search");
    try {
        workspace.open(options.workspacePath, store::Workspace::Mode::ReadOnly);
    } catch (const store::StoreError& error) {
        std::cerr << "brokerlab-cli: " << error.what() << "\n";
        return kExitBadInput;
    }
    try {
        const store::SearchOutcome outcome = workspace.search(
            query, options.limit, nullptr, [&](std::vector<store::StoredRecord>&& hits, const store::SearchProgress&) {
                for (const auto& hit : hits) {
                    if (options.json) {
                        std::cout << store::jsonLine(hit) << '\n';
                    } else {
                        std::cout << hit.topic << '\t' << hit.partition << '\t' << hit.record.offset << '\t'
                                  << timeText(hit.record.timestamp) << '\t' << cell(hit.record.key) << '\t'
                                  << cell(hit.record.value) << '\n';
                    }
                }
                return true;
            });
        std::cout.flush();
        std::cerr << outcome.hits << (outcome.hits == 1 ? " hit" : " hits")
                  << (outcome.limitReached ? " (limit reached; --limit 0 shows all)" : "");
        // The index lag: records the index had not reached, found by scanning them instead.
        if (outcome.unindexed > 0)
            std::cerr << "; " << outcome.unindexed << " records not yet indexed were scanned";
        std::cerr << "\n";
        if (!std::cout) {
            std::cerr << "brokerlab-cli: writing the results failed\n";
            return kExitFailure;
        }
    } catch (const store::StoreError& error) {
        const std::string message = error.what();
        std::cerr << "brokerlab-cli search: " << message << "\n";
        return message.starts_with("unknown topic") ? kExitBadInput : kExitFailure;
    }
    return kExitOk;
}

} // namespace brokerlab::cli
