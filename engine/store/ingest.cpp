// Records into the store and into the full-text index, and out again when the log drops them.

#include "store/recordmatcher.h"
#include "store/workspace.h"
#include "store/workspacestatements.h"

#include <algorithm>

namespace brokerlab::store {

namespace {

// BEGIN ... COMMIT that rolls back when an exception leaves the scope.
class Transaction {
public:
    explicit Transaction(sqlite3* db) : db_(db) { execute(db_, "BEGIN IMMEDIATE"); }
    ~Transaction()
    {
        if (!committed_)
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit()
    {
        execute(db_, "COMMIT");
        committed_ = true;
    }

private:
    sqlite3* db_;
    bool committed_ = false;
};

std::optional<std::string_view> viewOf(const std::optional<std::string>& bytes)
{
    return bytes ? std::optional<std::string_view>(*bytes) : std::nullopt;
}

} // namespace

std::int64_t Workspace::partitionId(const std::string& topic, std::int32_t partition)
{
    const auto found = partitionIds_.find({ topic, partition });
    if (found != partitionIds_.end())
        return found->second;
    Statement insert(db_, "INSERT INTO partitions(topic, partition) VALUES(?, ?)");
    insert.bindText(1, topic).bind(2, std::int64_t(partition)).run();
    const std::int64_t id = sqlite3_last_insert_rowid(db_);
    partitionIds_[{ topic, partition }] = id;
    partitionNames_[id] = { topic, partition };
    return id;
}

bool Workspace::trigramOn(std::int64_t pid) const
{
    const auto name = partitionNames_.find(pid);
    if (name == partitionNames_.end())
        return false;
    const auto topic = trigramTopics_.find(name->second.first);
    return topic != trigramTopics_.end() && topic->second;
}

// What the full-text index is given for a record: the key and value when they are UTF-8 (views of
// the caller's bytes, no copy), and the header text. Inserting and deleting must give the same.
struct Workspace::FtsText {
    std::string_view key;
    std::string_view value;
    std::string headers;
    FtsText(std::optional<std::string_view> keyBytes, std::optional<std::string_view> valueBytes,
        std::optional<std::string_view> headerBytes)
        : key(indexedView(keyBytes))
        , value(indexedView(valueBytes))
        , headers(headerBytes ? headersText(decodeHeaders(std::string(*headerBytes))) : std::string())
    {
    }
};

void Workspace::ftsInsert(std::int64_t id, std::int64_t pid, const FtsText& text)
{
    statements_->ftsInsert.bind(1, id).bindText(2, text.key).bindText(3, text.value).bindText(4, text.headers).run();
    if (trigramOn(pid))
        statements_->trigramInsert.bind(1, id).bindText(2, text.value).run();
}

void Workspace::deleteRecord(std::int64_t id, std::int64_t pid, const std::optional<std::string>& key,
    const std::optional<std::string>& value, const std::optional<std::string>& headers)
{
    // A contentless FTS5 table forgets a row only when given the exact text it indexed.
    if (id <= indexedId_) {
        const FtsText text(viewOf(key), viewOf(value), viewOf(headers));
        statements_->ftsDelete.bind(1, id)
            .bindText(2, text.key)
            .bindText(3, text.value)
            .bindText(4, text.headers)
            .run();
        if (trigramOn(pid))
            statements_->trigramDelete.bind(1, id).bindText(2, text.value).run();
    }
}

void Workspace::deleteRange(std::int64_t pid, std::int64_t fromOffset, std::int64_t toOffset)
{
    if (fromOffset >= toOffset)
        return;
    Statement& select = statements_->selectRange;
    select.bind(1, pid).bind(2, fromOffset).bind(3, toOffset);
    bool any = false;
    while (select.step()) {
        any = true;
        const std::int64_t id = select.integer(0);
        deleteRecord(id, pid, select.blob(1), select.blob(2), select.blob(3));
        --recordCount_;
        if (id > indexedId_)
            --unindexedCount_;
    }
    select.reset();
    if (any)
        statements_->deleteRange.bind(1, pid).bind(2, fromOffset).bind(3, toOffset).run();
}

void Workspace::ingest(const IngestBatch& batch)
{
    try {
        ingestInTransaction(batch);
    } catch (...) {
        loadState(); // the transaction rolled back: forget partition ids and record ids it handed out
        throw;
    }
}

void Workspace::ingestInTransaction(const IngestBatch& batch)
{
    Transaction transaction(db_);
    struct Fresh {
        std::int64_t pid;
        const log::Record* record;
    };
    std::vector<Fresh> fresh;
    for (const PartitionUpdate& update : batch.partitions) {
        const std::int64_t pid = partitionId(update.topic, update.partition);
        deleteRange(pid, INT64_MIN, update.logStartOffset);
        if (update.truncateFrom >= 0)
            deleteRange(pid, update.truncateFrom, INT64_MAX);
        if (update.reconcile) {
            std::vector<std::int64_t> held;
            Statement& below = statements_->offsetsBelow;
            below.bind(1, pid).bind(2, update.keptBelow);
            while (below.step())
                held.push_back(below.integer(0));
            below.reset();
            for (std::int64_t offset : held) {
                if (!std::binary_search(update.keptOffsets.begin(), update.keptOffsets.end(), offset))
                    deleteRange(pid, offset, offset + 1);
            }
        }
        if (!update.records.empty()) {
            // Whatever the store holds from the first new offset on is replaced by what the log has now.
            deleteRange(pid, update.records.front().offset, INT64_MAX);
            for (const log::Record& record : update.records)
                fresh.push_back({ pid, &record });
        }
        statements_->updatePartition.bind(1, update.logStartOffset)
            .bind(2, update.highWatermark)
            .bind(3, update.logEndOffset)
            .bind(4, std::int64_t(update.leader))
            .bind(5, pid)
            .run();
    }
    // Store sequence = "newest first" order for search: within a batch, interleave the partitions
    // by timestamp (stable, so each partition keeps its offset order).
    std::stable_sort(fresh.begin(), fresh.end(),
        [](const Fresh& a, const Fresh& b) { return a.record->timestamp < b.record->timestamp; });
    Statement& insert = statements_->insertRecord;
    for (const Fresh& item : fresh) {
        const log::Record& record = *item.record;
        const std::optional<std::string> headers = encodeHeaders(record.headers);
        const std::int64_t size = std::int64_t(
            record.key.value_or("").size() + record.value.value_or("").size() + headers.value_or("").size());
        insert.bind(1, nextRecordId_++)
            .bind(2, item.pid)
            .bind(3, record.offset)
            .bind(4, record.timestamp)
            .bindBlob(5, record.key)
            .bindBlob(6, record.value)
            .bindBlob(7, headers)
            .bind(8, size)
            .run();
        ++recordCount_;
        ++unindexedCount_;
    }
    transaction.commit();
    pendingFromFeed_ = batch.pendingRecords;
}

std::int64_t Workspace::indexPending(std::int64_t maxRecords)
{
    Transaction transaction(db_);
    Statement& pending = statements_->pending;
    pending.bind(1, indexedId_).bind(2, maxRecords);
    std::int64_t count = 0;
    std::int64_t last = indexedId_;
    while (pending.step()) {
        last = pending.integer(0);
        ftsInsert(last, pending.integer(1), FtsText(pending.blobView(2), pending.blobView(3), pending.blobView(4)));
        ++count;
    }
    pending.reset();
    if (count == 0)
        return 0;
    // Records deleted before being indexed leave gaps; the next id to look at is above `last`.
    Statement setIndexed(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES('indexed_id', ?)");
    const std::string text = std::to_string(last);
    setIndexed.bindText(1, text).run();
    transaction.commit();
    indexedId_ = last;
    unindexedCount_ -= count;
    return count;
}

void Workspace::indexAll()
{
    while (indexPending() > 0) { }
}

std::int64_t Workspace::recordCount() const { return recordCount_; }

// From counters kept by ingest, indexing and deletion: a count(*) over millions of records after
// every indexing chunk would cost more than the chunk.
IndexStatus Workspace::indexStatus() const
{
    IndexStatus status;
    status.records = recordCount_;
    status.indexed = recordCount_ - unindexedCount_;
    status.lag = unindexedCount_ + pendingFromFeed_;
    return status;
}

std::vector<StoredRecord> Workspace::readPartition(
    const std::string& topic, std::int32_t partition, std::int64_t fromOffset, std::int64_t maxRecords) const
{
    std::vector<StoredRecord> records;
    const auto pid = partitionIds_.find({ topic, partition });
    if (pid == partitionIds_.end())
        return records;
    Statement select(db_,
        "SELECT id, offset, timestamp, key, value, headers FROM records WHERE pid = ? AND offset >= ? "
        "ORDER BY offset LIMIT ?");
    select.bind(1, pid->second).bind(2, fromOffset).bind(3, maxRecords);
    while (select.step()) {
        StoredRecord stored;
        stored.id = select.integer(0);
        stored.topic = topic;
        stored.partition = partition;
        stored.record.offset = select.integer(1);
        stored.record.timestamp = select.integer(2);
        stored.record.key = select.blob(3);
        stored.record.value = select.blob(4);
        stored.record.headers = decodeHeaders(select.blob(5));
        records.push_back(std::move(stored));
    }
    return records;
}

} // namespace brokerlab::store
