#pragma once
// One workspace file: a SQLite database holding a run (scenario, topic configs, the logs'
// committed records, committed offsets, the event timeline, metrics history, saved searches)
// and the full-text index over its records. Schema and guarantees: docs/store.md.
//
// Not thread-safe: a Workspace lives on one thread (the store worker, or the CLI's main thread)
// and owns its own named Qt Sql connection. Methods that can fail throw StoreError.

#include "store/searchquery.h"
#include "store/sqlite.h"
#include "store/storetypes.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::store {

inline constexpr std::int32_t kApplicationId = 0x42724C62; // "BrLb" at byte 68 of the file
inline constexpr std::int32_t kFormatVersion = 2; // PRAGMA user_version; 1 opens too (docs/store.md)

// Checks a file before anything opens it for writing: that it exists, is an SQLite database,
// is whole (not truncated), is a Brokerlab workspace and not from a newer Brokerlab.
// Returns a message naming the problem, or nothing when the file may be opened.
std::optional<std::string> inspectWorkspaceFile(const std::string& path);
// Whether `path` is a Brokerlab workspace by its header (an SQLite database with the workspace's
// application id), whole or damaged. Exports refuse to write over one.
bool isWorkspaceFile(const std::string& path);

struct TopicRow {
    std::string name;
    std::int32_t partitions = 0;
    std::int32_t replicationFactor = 0;
    std::string configJson = "{}";
    bool trigram = false; // substring index on for this topic
};

struct PartitionRow {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t logStartOffset = 0;
    std::int64_t highWatermark = 0;
    std::int64_t logEndOffset = 0;
    std::int32_t leader = -1;
    std::int64_t records = 0; // held in the store
};

// A partition's records as the store holds them, found through the (pid, offset) index only, so
// it costs the same on a 10,000,000-record partition as on an empty one. -1: no records held.
struct PartitionBounds {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t firstOffset = -1;
    std::int64_t lastOffset = -1;
    std::int64_t highWatermark = 0;
    std::int32_t leader = -1;
};

// Where the chronological view's merge stands in one partition: the next offset it will read.
struct MergeCursor {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t nextOffset = 0;
};

// One event of the timeline: the fields of a timeline sim::Event (the trace's JSON line less
// its class, which is always "timeline" here).
struct TimelineEvent {
    std::int64_t virtualUs = 0;
    std::string kind;
    std::string text; // the event's message
    std::int32_t broker = -1;
    std::string topic;
    std::int32_t partition = -1;
    std::string client;
    std::vector<std::pair<std::string, std::int64_t>> numbers; // e.g. {"base_offset", 42}
};

struct MetricPoint {
    std::int64_t virtualMs = 0;
    std::string name;
    double value = 0;
};

struct MetricSeries {
    std::string name;
    std::vector<std::pair<std::int64_t, double>> points; // (virtual ms, value), by time
};

struct CommittedOffset {
    std::string group;
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
};

struct SearchOutcome {
    std::int64_t hits = 0;
    std::int64_t scanned = 0;
    std::int64_t unindexed = 0; // records of the tail the index had not reached, scanned instead
    bool cancelled = false;
    bool limitReached = false;
};

// Receives hits newest first, in chunks, with progress. Return false to stop early.
using HitSink = std::function<bool(std::vector<StoredRecord>&& hits, const SearchProgress& progress)>;

class Workspace {
public:
    explicit Workspace(std::string connectionName = "brokerlab-store");
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    // Creates a new workspace; the file must not exist yet.
    void create(const std::string& path);
    // Opens an existing workspace after inspectWorkspaceFile() and an integrity check. On any
    // problem it throws with a message naming the file and the problem, and writes nothing.
    // ReadOnly never writes to the file at all (search and export from the command line).
    enum class Mode { ReadWrite, ReadOnly };
    void open(const std::string& path, Mode mode = Mode::ReadWrite);
    // Leaves a single self-contained file (WAL checkpointed and switched off) and closes.
    void close();
    bool isOpen() const { return db_ != nullptr; }
    const std::string& path() const { return path_; }
    // A consistent copy at `path` (VACUUM INTO a temporary file, then rename over the target).
    void saveCopyAs(const std::string& path) const;

    // --- what the run was ---
    void setMeta(const std::string& key, const std::string& value);
    std::optional<std::string> meta(const std::string& key) const;
    void setTopic(const TopicRow& topic);
    std::vector<TopicRow> topics() const;
    std::vector<PartitionRow> partitions() const;
    // --- the event timeline and metrics history (history.cpp) ---
    // Appends in one transaction. A file written before events had their broker, topic, partition,
    // client and numbers columns gets them on the first append (docs/store.md).
    void addEvents(const std::vector<TimelineEvent>& events);
    // Every event in the order written. A damaged row (not a time, numbers that are not a JSON
    // object of integers) or a table of another shape throws StoreError naming the table.
    std::vector<TimelineEvent> events() const;
    std::int64_t eventCount() const;
    void addMetric(std::int64_t virtualMs, const std::string& name, double value);
    void addMetrics(const std::vector<MetricPoint>& points); // one transaction; a (name, time) again replaces
    std::vector<std::pair<std::int64_t, double>> metric(const std::string& name) const;
    // Every series by name, each by time; a value that is not a number throws StoreError.
    std::vector<MetricSeries> metrics() const;
    std::optional<std::int64_t> lastMetricMs() const; // the newest sample's time; nothing without metrics
    void setCommittedOffsets(const std::vector<CommittedOffset>& offsets);
    std::vector<CommittedOffset> committedOffsets() const;
    void saveSearch(const std::string& name, const std::string& query);
    std::vector<std::pair<std::string, std::string>> savedSearches() const;

    // --- records and the index (ingest.cpp) ---
    // Applies the feed's updates in one transaction: removals first, then the new records.
    void ingest(const IngestBatch& batch);
    // Adds up to `maxRecords` stored records to the full-text index in one transaction.
    // Returns how many it added (0 = the index has caught up).
    std::int64_t indexPending(std::int64_t maxRecords = 50000);
    void indexAll();
    IndexStatus indexStatus() const;
    // Records of one partition from `fromOffset` upwards (the browser's page), ascending.
    std::vector<StoredRecord> readPartition(
        const std::string& topic, std::int32_t partition, std::int64_t fromOffset, std::int64_t maxRecords) const;
    std::int64_t recordCount() const;

    // --- the browser's reads (browse.cpp); they need no state cached at open ---
    // Opens a second, read-only connection on a workspace this process already opened (and so
    // checked) on another connection; skips the integrity check, which costs seconds on a big
    // file. The file's WAL lets it read while the other connection writes.
    void openReader(const std::string& path);
    std::vector<PartitionBounds> partitionBounds() const;
    // Records of one partition with fromOffset <= offset < toOffset, ascending.
    std::vector<StoredRecord> readRange(
        const std::string& topic, std::int32_t partition, std::int64_t fromOffset, std::int64_t toOffset) const;
    // The first offset whose timestamp is >= timestampMs, found by binary search over offsets as
    // Kafka's time index does (it assumes timestamps rise with offsets); -1 when every record
    // is older. Offsets missing from the store (compacted away) are stepped over.
    std::int64_t offsetForTime(const std::string& topic, std::int32_t partition, std::int64_t timestampMs) const;
    // Records of several partitions in timestamp order from `fromMs`: the first page of readMerged().
    std::vector<StoredRecord> readByTime(const std::vector<std::pair<std::string, std::int32_t>>& partitions,
        std::int64_t fromMs, std::int64_t maxRecords) const;
    // The chronological view, page by page: cursors start at each partition's offset for `fromMs`
    // (offsetForTime), and each readMerged() call returns the next `maxRecords` of the partitions merged
    // by (timestamp, topic, partition, offset), advancing the cursors. Each partition is read in offset
    // order, as a consumer reads it, so the result is in timestamp order wherever timestamps rise with
    // offsets (Kafka's time index assumes the same). A page costs one indexed range read per partition.
    std::vector<MergeCursor> mergeCursorsAt(
        const std::vector<std::pair<std::string, std::int32_t>>& partitions, std::int64_t fromMs) const;
    std::vector<StoredRecord> readMerged(std::vector<MergeCursor>& cursors, std::int64_t maxRecords) const;
    void deleteSavedSearch(const std::string& name);

    // --- search (search.cpp) ---
    // Newest first (highest store sequence first, which is the order records were committed
    // and handed over). limit <= 0: every hit. Throws StoreError for an unknown topic.
    SearchOutcome search(
        const SearchQuery& query, std::int64_t limit, const std::atomic<bool>* stop, const HitSink& sink) const;

    sqlite3* handle() const { return db_; }

private:
    struct Statements;
    void openConnection(const std::string& path, Mode mode);
    void applyConnectionSettings();
    void applyReadSettings();
    void createSchema();
    void loadState();
    void ingestInTransaction(const IngestBatch& batch);
    std::int64_t partitionId(const std::string& topic, std::int32_t partition);
    void deleteRange(std::int64_t pid, std::int64_t fromOffset, std::int64_t toOffset);
    void deleteRecord(std::int64_t id, std::int64_t pid, const std::optional<std::string>& key,
        const std::optional<std::string>& value, const std::optional<std::string>& headers);
    struct FtsText;
    void ftsInsert(std::int64_t id, std::int64_t pid, const FtsText& text);
    bool trigramOn(std::int64_t pid) const;

    std::string connectionName_;
    std::string path_;
    Mode mode_ = Mode::ReadWrite;
    sqlite3* db_ = nullptr;
    std::unique_ptr<Statements> statements_;
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> partitionIds_;
    std::map<std::int64_t, std::pair<std::string, std::int32_t>> partitionNames_;
    std::map<std::string, bool> trigramTopics_;
    std::int64_t nextRecordId_ = 1;
    std::int64_t indexedId_ = 0; // every record with id <= this is in the full-text index
    std::int64_t pendingFromFeed_ = 0;
    std::int64_t recordCount_ = 0; // records held (kept by ingest and deletion)
    std::int64_t unindexedCount_ = 0; // of which above indexedId_
    bool eventDetail_ = true; // events has its broker/topic/partition/client/numbers columns
};

// Records' headers as stored: for each header a 4-byte key length, the key, a 4-byte value
// length (-1 for null) and the value, little-endian. Nothing for no headers.
std::optional<std::string> encodeHeaders(const std::vector<log::RecordHeader>& headers);
std::vector<log::RecordHeader> decodeHeaders(const std::optional<std::string>& bytes);

} // namespace brokerlab::store
