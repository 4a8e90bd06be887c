// Search: the unindexed tail first (it is the newest), then the full-text index newest first.
// Every candidate is confirmed by RecordMatcher, so the two paths agree on what a hit is.

#include "store/recordmatcher.h"
#include "store/workspace.h"
#include "store/workspacestatements.h"

#include <algorithm>

namespace brokerlab::store {

SearchOutcome Workspace::search(
    const SearchQuery& query, std::int64_t limit, const std::atomic<bool>* stop, const HitSink& sink) const
{
    SearchOutcome outcome;
    std::set<std::string> knownTopics;
    for (const auto& [pid, name] : partitionNames_)
        knownTopics.insert(name.first);
    for (const auto& [topic, trigram] : trigramTopics_)
        knownTopics.insert(topic);
    for (const auto& topic : query.topics) {
        if (!knownTopics.contains(topic)) {
            std::string known;
            for (const auto& name : knownTopics)
                known += (known.empty() ? "" : ", ") + name;
            throw StoreError(
                "unknown topic '" + topic + "' (the workspace has: " + (known.empty() ? "none" : known) + ")");
        }
    }
    const bool filterPartitions = !query.topics.empty() || !query.partitions.empty();
    std::set<std::int64_t> pids;
    bool allTrigram = true;
    for (const auto& [pid, name] : partitionNames_) {
        if ((query.topics.empty() || query.topics.contains(name.first))
            && (query.partitions.empty() || query.partitions.contains(name.second))) {
            pids.insert(pid);
            allTrigram = allTrigram && trigramOn(pid);
        }
    }
    if (pids.empty())
        return outcome;

    const RecordMatcher matcher(query);
    const std::string fts = matcher.ftsExpression();
    const std::string trigram = allTrigram ? matcher.trigramExpression() : std::string();
    const std::int64_t maxId = nextRecordId_ - 1;
    std::vector<StoredRecord> hits;
    std::int64_t chunk = 64; // small first, so the first hits arrive at once; grows after
    std::int64_t cursor = maxId + 1; // next candidates are below this id

    auto stopped = [&] { return stop && stop->load(std::memory_order_relaxed); };
    auto progress = [&] {
        SearchProgress p;
        p.scanned = outcome.scanned;
        p.hits = outcome.hits;
        p.unindexed = outcome.unindexed;
        p.fraction = maxId > 0 ? std::clamp(double(maxId - cursor + 1) / double(maxId), 0.0, 1.0) : 1.0;
        return p;
    };
    // Returns false when the search must end (limit, stop, or the sink said so).
    // Every chunk reports, hits or not, so progress moves while a rare term is looked for.
    auto flush = [&]() -> bool {
        const bool more = sink(std::move(hits), progress());
        hits.clear();
        if (!more || stopped()) {
            outcome.cancelled = true;
            return false;
        }
        return true;
    };
    // Returns false when the limit was reached.
    auto consider = [&](std::int64_t id, std::int64_t pid, StoredRecord&& candidate) -> bool {
        ++outcome.scanned;
        if (filterPartitions && !pids.contains(pid))
            return true;
        if (candidate.record.timestamp < query.fromMs || candidate.record.timestamp > query.toMs)
            return true;
        if (!matcher.matches(candidate.record))
            return true;
        const auto& name = partitionNames_.at(pid);
        candidate.id = id;
        candidate.topic = name.first;
        candidate.partition = name.second;
        hits.push_back(std::move(candidate));
        ++outcome.hits;
        return limit <= 0 || outcome.hits < limit;
    };
    auto fromRow = [](const Statement& row, int first) {
        StoredRecord stored;
        stored.record.offset = row.integer(first);
        stored.record.timestamp = row.integer(first + 1);
        stored.record.key = row.blob(first + 2);
        stored.record.value = row.blob(first + 3);
        stored.record.headers = decodeHeaders(row.blob(first + 4));
        return stored;
    };
    auto finish = [&](bool limitReached) {
        outcome.limitReached = limitReached;
        if (!hits.empty())
            sink(std::move(hits), progress());
        return outcome;
    };

    // 1. The tail the index has not reached: scanned record by record, newest first.
    {
        Statement tail(db_,
            "SELECT id, pid, offset, timestamp, key, value, headers FROM records WHERE id > ? AND id < ? "
            "ORDER BY id DESC LIMIT ?");
        while (cursor > indexedId_ + 1) {
            tail.bind(1, indexedId_).bind(2, cursor).bind(3, chunk);
            std::int64_t rows = 0;
            while (tail.step()) {
                ++rows;
                ++outcome.unindexed;
                cursor = tail.integer(0);
                if (!consider(cursor, tail.integer(1), fromRow(tail, 2))) {
                    tail.reset();
                    return finish(true);
                }
            }
            tail.reset();
            if (rows == 0)
                break;
            chunk = std::min<std::int64_t>(chunk * 4, 4096);
            if (!flush())
                return finish(false);
        }
        cursor = std::min(cursor, indexedId_ + 1);
    }

    // 2. The indexed part: candidates from the full-text (or trigram) index, or a scan when the
    // query has nothing the index can narrow on.
    std::string expression = !fts.empty() ? fts : trigram;
    if (!fts.empty()) {
        // FTS5 is slow to intersect a rare word with a very common one ("sku" in every record),
        // newest first. Any single word of the query narrows to a superset of the hits, and
        // RecordMatcher confirms the rest; so when one word is rare, it alone picks candidates.
        constexpr std::int64_t kRare = 2048;
        const std::vector<std::string> words = matcher.singleTokenExpressions();
        if (words.size() > 1) {
            Statement capped(db_,
                "SELECT count(*) FROM (SELECT rowid FROM records_fts WHERE records_fts MATCH ? LIMIT "
                    + std::to_string(kRare) + ")");
            std::int64_t fewest = kRare, most = 0;
            std::string rarest;
            for (const std::string& word : words) {
                capped.bindText(1, word);
                capped.step();
                const std::int64_t count = capped.integer(0);
                capped.reset();
                most = std::max(most, count);
                if (count < fewest) {
                    fewest = count;
                    rarest = word;
                }
            }
            // Only rare words: FTS5 intersects them well, and the whole expression narrows most.
            if (most >= kRare && !rarest.empty())
                expression = rarest;
        }
    }
    if (!expression.empty()) {
        const char* table = !fts.empty() ? "records_fts" : "records_trigram";
        Statement candidates(db_,
            std::string("SELECT rowid FROM ") + table + " WHERE " + table
                + " MATCH ? AND rowid < ? "
                  "ORDER BY rowid DESC LIMIT ?");
        Statement& byId = statements_->recordById;
        while (cursor > 1) {
            candidates.bindText(1, expression).bind(2, cursor).bind(3, chunk);
            std::vector<std::int64_t> ids;
            while (candidates.step())
                ids.push_back(candidates.integer(0));
            candidates.reset();
            if (ids.empty())
                break;
            for (std::int64_t id : ids) {
                cursor = id;
                byId.bind(1, id);
                if (byId.step()) {
                    const std::int64_t pid = byId.integer(0);
                    if (!consider(id, pid, fromRow(byId, 1))) {
                        byId.reset();
                        return finish(true);
                    }
                }
                byId.reset();
            }
            chunk = std::min<std::int64_t>(chunk * 4, 4096);
            if (!flush())
                return finish(false);
        }
    } else {
        Statement scan(db_,
            "SELECT id, pid, offset, timestamp, key, value, headers FROM records WHERE id < ? "
            "AND timestamp >= ? AND timestamp <= ? ORDER BY id DESC LIMIT ?");
        while (cursor > 1) {
            scan.bind(1, cursor).bind(2, query.fromMs).bind(3, query.toMs).bind(4, chunk);
            std::int64_t rows = 0;
            while (scan.step()) {
                ++rows;
                cursor = scan.integer(0);
                if (!consider(cursor, scan.integer(1), fromRow(scan, 2))) {
                    scan.reset();
                    return finish(true);
                }
            }
            scan.reset();
            if (rows == 0)
                break;
            chunk = std::min<std::int64_t>(chunk * 4, 4096);
            if (!flush())
                return finish(false);
        }
    }
    cursor = 0;
    return finish(false);
}

} // namespace brokerlab::store
