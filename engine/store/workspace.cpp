#include "store/workspace.h"

#include "store/workspacestatements.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>

#include <cstring>

namespace brokerlab::store {

namespace {

// Version 2. Records carry a store-wide sequence `id` (the order they were handed over) that the
// full-text index uses as its rowid; `pid` points into `partitions`. The word index keeps which
// columns hold a word but not where (detail=column): a third of the index to build, and phrases
// are confirmed by RecordMatcher anyway. Version 1 (detail=full) reads the same.
constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE topics(name TEXT PRIMARY KEY, partitions INTEGER NOT NULL, replication_factor INTEGER NOT NULL,
    config TEXT NOT NULL DEFAULT '{}', trigram INTEGER NOT NULL DEFAULT 0);
CREATE TABLE partitions(id INTEGER PRIMARY KEY, topic TEXT NOT NULL, partition INTEGER NOT NULL,
    log_start_offset INTEGER NOT NULL DEFAULT 0, high_watermark INTEGER NOT NULL DEFAULT 0,
    log_end_offset INTEGER NOT NULL DEFAULT 0, leader INTEGER NOT NULL DEFAULT -1, UNIQUE(topic, partition));
CREATE TABLE records(id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, offset INTEGER NOT NULL,
    timestamp INTEGER NOT NULL, key BLOB, value BLOB, headers BLOB, size INTEGER NOT NULL);
CREATE UNIQUE INDEX records_by_offset ON records(pid, offset);
CREATE VIRTUAL TABLE records_fts USING fts5(key, value, headers, content='', columnsize=0, detail=column,
    tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE records_trigram USING fts5(value, content='', columnsize=0, tokenize='trigram');
CREATE TABLE committed_offsets(group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
    offset INTEGER NOT NULL, PRIMARY KEY(group_id, topic, partition)) WITHOUT ROWID;
CREATE TABLE events(id INTEGER PRIMARY KEY, virtual_us INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
    broker INTEGER NOT NULL DEFAULT -1, topic TEXT NOT NULL DEFAULT '', partition INTEGER NOT NULL DEFAULT -1,
    client TEXT NOT NULL DEFAULT '', numbers TEXT NOT NULL DEFAULT '{}');
CREATE TABLE metrics(name TEXT NOT NULL, virtual_ms INTEGER NOT NULL, value REAL NOT NULL,
    PRIMARY KEY(name, virtual_ms)) WITHOUT ROWID;
CREATE TABLE saved_searches(name TEXT PRIMARY KEY, query TEXT NOT NULL) WITHOUT ROWID;
)sql";

constexpr const char* kRequiredTables[] = { "meta", "topics", "partitions", "records", "records_fts", "records_trigram",
    "committed_offsets", "events", "metrics", "saved_searches" };

void appendLe32(std::string& out, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::uint32_t readLe32(const std::string& bytes, std::size_t at)
{
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = value << 8 | static_cast<std::uint8_t>(bytes[at + std::size_t(i)]);
    return value;
}

} // namespace

std::optional<std::string> encodeHeaders(const std::vector<log::RecordHeader>& headers)
{
    if (headers.empty())
        return std::nullopt;
    std::string out;
    for (const auto& header : headers) {
        appendLe32(out, static_cast<std::uint32_t>(header.key.size()));
        out += header.key;
        appendLe32(out, header.value ? static_cast<std::uint32_t>(header.value->size()) : 0xFFFFFFFFu);
        if (header.value)
            out += *header.value;
    }
    return out;
}

std::vector<log::RecordHeader> decodeHeaders(const std::optional<std::string>& bytes)
{
    std::vector<log::RecordHeader> headers;
    if (!bytes)
        return headers;
    const std::string& data = *bytes;
    std::size_t at = 0;
    while (at + 4 <= data.size()) {
        const std::uint32_t keyLength = readLe32(data, at);
        at += 4;
        if (at + keyLength + 4 > data.size())
            break; // a damaged value ends the list rather than reading past it
        log::RecordHeader header;
        header.key = data.substr(at, keyLength);
        at += keyLength;
        const std::uint32_t valueLength = readLe32(data, at);
        at += 4;
        if (valueLength != 0xFFFFFFFFu) {
            if (at + valueLength > data.size())
                break;
            header.value = data.substr(at, valueLength);
            at += valueLength;
        }
        headers.push_back(std::move(header));
    }
    return headers;
}

Workspace::Workspace(std::string connectionName) : connectionName_(std::move(connectionName)) { }

Workspace::~Workspace()
{
    try {
        close();
    } catch (const StoreError&) {
        // The destructor cannot report; close() explicitly to see errors.
    }
}

// open() runs inspectWorkspaceFile() first, so SQLite is never asked to open a missing file
// (which it would create).
void Workspace::openConnection(const std::string& path, Mode mode)
{
    {
        QSqlDatabase database
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QString::fromStdString(connectionName_));
        database.setDatabaseName(QString::fromStdString(path));
        if (mode == Mode::ReadOnly)
            database.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!database.open()) {
            const std::string message = database.lastError().text().toStdString();
            database = QSqlDatabase();
            QSqlDatabase::removeDatabase(QString::fromStdString(connectionName_));
            throw StoreError(path + ": cannot open: " + message);
        }
        const QVariant handle = database.driver()->handle();
        if (!handle.isValid() || std::strcmp(handle.typeName(), "sqlite3*") != 0)
            throw StoreError("the QSQLITE driver did not give an sqlite3 handle");
        db_ = *static_cast<sqlite3* const*>(handle.constData());
    }
    path_ = path;
    mode_ = mode;
}

void Workspace::applyConnectionSettings()
{
    // Under synchronous=NORMAL the WAL is synced at each checkpoint only. SQLite's default of a
    // checkpoint per 1,000 pages (8 MB here) made those fsyncs a third of the indexing time;
    // 10,000 pages (80 MB of WAL) is what a machine crash can lose at most (docs/store.md).
    execute(db_,
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=10000;"
        "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;");
    applyReadSettings();
}

void Workspace::applyReadSettings()
{
    // Search reads hits by id all over the file: memory-mapped reads spare a system call per page
    // (SQLite caps this at its build's maximum, 2 GB on Debian).
    execute(db_, "PRAGMA mmap_size=2147418112;");
}

void Workspace::create(const std::string& path)
{
    if (QFileInfo::exists(QString::fromStdString(path)))
        throw StoreError(path + ": already exists; a new workspace is never written over a file");
    openConnection(path, Mode::ReadWrite);
    try {
        execute(db_, "PRAGMA page_size=8192;");
        execute(db_, "PRAGMA application_id=" + std::to_string(kApplicationId) + ";");
        execute(db_, "PRAGMA user_version=" + std::to_string(kFormatVersion) + ";");
        applyConnectionSettings();
        execute(db_, "BEGIN");
        execute(db_, kSchema);
        // FTS5 writes a new index segment whenever its pending terms pass `hashsize` (1 MB by
        // default) and merges segments as they pile up: a larger buffer means fewer, larger
        // segments and far less merging while indexing millions of records (BENCHMARKS.md).
        execute(db_,
            "INSERT INTO records_fts(records_fts, rank) VALUES('hashsize', 67108864);"
            "INSERT INTO records_fts(records_fts, rank) VALUES('automerge', 8);"
            "INSERT INTO records_trigram(records_trigram, rank) VALUES('hashsize', 16777216);");
        execute(db_, "INSERT INTO meta(key, value) VALUES('format', 'brokerlab-workspace'), ('indexed_id', '0')");
        execute(db_, "COMMIT");
        loadState();
    } catch (...) {
        close();
        QFile::remove(QString::fromStdString(path));
        throw;
    }
}

void Workspace::open(const std::string& path, Mode mode)
{
    if (auto problem = inspectWorkspaceFile(path))
        throw StoreError(*problem);
    openConnection(path, mode);
    try {
        // Read-only checks first: nothing is written to a file that fails them.
        execute(db_, "PRAGMA query_only=ON;");
        Statement check(db_, "PRAGMA quick_check");
        std::string problems;
        while (check.step()) {
            const std::string line = check.text(0);
            if (line != "ok" && problems.size() < 300)
                problems += (problems.empty() ? "" : "; ") + line;
        }
        if (!problems.empty())
            throw StoreError(path + ": the workspace is corrupt (" + problems + ")");
        for (const char* table : kRequiredTables) {
            Statement exists(db_, "SELECT 1 FROM sqlite_schema WHERE name = ?");
            exists.bindText(1, table);
            if (!exists.step())
                throw StoreError(path + ": not a complete Brokerlab workspace (table '" + table + "' is missing)");
        }
        if (mode == Mode::ReadWrite) {
            execute(db_, "PRAGMA query_only=OFF;");
            applyConnectionSettings();
        } else {
            execute(db_, "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
            applyReadSettings();
        }
        loadState();
    } catch (const StoreError& error) {
        const std::string message = error.what();
        // Close without the WAL switch-back of close(): a failed open must not write.
        statements_.reset();
        db_ = nullptr;
        QSqlDatabase::removeDatabase(QString::fromStdString(connectionName_));
        path_.clear();
        // SQLite errors from a damaged file ("file is not a database", "malformed") name the file.
        if (message.find(path) == 0)
            throw;
        throw StoreError(path + ": cannot read the workspace: " + message);
    }
}

void Workspace::loadState()
{
    statements_ = std::make_unique<Statements>(db_);
    partitionIds_.clear();
    partitionNames_.clear();
    trigramTopics_.clear();
    Statement partitions(db_, "SELECT id, topic, partition FROM partitions");
    while (partitions.step()) {
        partitionIds_[{ partitions.text(1), std::int32_t(partitions.integer(2)) }] = partitions.integer(0);
        partitionNames_[partitions.integer(0)] = { partitions.text(1), std::int32_t(partitions.integer(2)) };
    }
    Statement topics(db_, "SELECT name, trigram FROM topics");
    while (topics.step())
        trigramTopics_[topics.text(0)] = topics.integer(1) != 0;
    indexedId_ = std::stoll(meta("indexed_id").value_or("0"));
    Statement maxId(db_, "SELECT coalesce(max(id), 0) FROM records");
    maxId.step();
    nextRecordId_ = std::max(maxId.integer(0), indexedId_) + 1;
    Statement counts(db_, "SELECT count(*), (SELECT count(*) FROM records WHERE id > ?) FROM records");
    counts.bind(1, indexedId_);
    counts.step();
    recordCount_ = counts.integer(0);
    unindexedCount_ = counts.integer(1);
    Statement detail(db_, "SELECT count(*) FROM pragma_table_info('events') WHERE name = 'numbers'");
    detail.step();
    eventDetail_ = detail.integer(0) > 0;
}

void Workspace::close()
{
    if (!db_)
        return;
    statements_.reset();
    std::string error;
    try {
        // One self-contained file on disk: checkpoint the WAL into it and stop using WAL.
        if (mode_ == Mode::ReadWrite)
            execute(db_, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");
    } catch (const StoreError& failure) {
        error = failure.what();
    }
    db_ = nullptr;
    {
        QSqlDatabase database = QSqlDatabase::database(QString::fromStdString(connectionName_), false);
        database.close();
    }
    QSqlDatabase::removeDatabase(QString::fromStdString(connectionName_));
    path_.clear();
    if (!error.empty())
        throw StoreError("closing the workspace: " + error);
}

void Workspace::saveCopyAs(const std::string& path) const
{
    const QString target = QString::fromStdString(path);
    if (QFileInfo::exists(target)) {
        if (auto problem = inspectWorkspaceFile(path))
            throw StoreError(path + " exists and is not a Brokerlab workspace; it is left as it is (" + *problem + ")");
    }
    const std::string temporary = path + ".saving";
    QFile::remove(QString::fromStdString(temporary));
    Statement vacuum(db_, "VACUUM INTO ?");
    vacuum.bindText(1, temporary);
    try {
        vacuum.step();
    } catch (const StoreError& error) {
        QFile::remove(QString::fromStdString(temporary));
        throw StoreError(path + ": cannot save: " + error.what());
    }
    // rename() over an existing file is atomic on POSIX; QFile::rename refuses to replace.
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        QFile::remove(QString::fromStdString(temporary));
        throw StoreError(path + ": cannot save: " + std::strerror(errno));
    }
}

void Workspace::setMeta(const std::string& key, const std::string& value)
{
    Statement statement(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    statement.bindText(1, key).bindText(2, value).run();
}

std::optional<std::string> Workspace::meta(const std::string& key) const
{
    Statement statement(db_, "SELECT value FROM meta WHERE key = ?");
    statement.bindText(1, key);
    if (!statement.step())
        return std::nullopt;
    return statement.text(0);
}

void Workspace::setTopic(const TopicRow& topic)
{
    Statement statement(db_,
        "INSERT OR REPLACE INTO topics(name, partitions, replication_factor, config, trigram) VALUES(?, ?, ?, ?, ?)");
    statement.bindText(1, topic.name)
        .bind(2, std::int64_t(topic.partitions))
        .bind(3, std::int64_t(topic.replicationFactor))
        .bindText(4, topic.configJson)
        .bind(5, std::int64_t(topic.trigram ? 1 : 0))
        .run();
    trigramTopics_[topic.name] = topic.trigram;
}

std::vector<TopicRow> Workspace::topics() const
{
    std::vector<TopicRow> rows;
    Statement statement(db_, "SELECT name, partitions, replication_factor, config, trigram FROM topics ORDER BY name");
    while (statement.step())
        rows.push_back({ statement.text(0), std::int32_t(statement.integer(1)), std::int32_t(statement.integer(2)),
            statement.text(3), statement.integer(4) != 0 });
    return rows;
}

std::vector<PartitionRow> Workspace::partitions() const
{
    std::vector<PartitionRow> rows;
    Statement statement(db_,
        "SELECT topic, partition, log_start_offset, high_watermark, log_end_offset, leader,"
        " (SELECT count(*) FROM records WHERE pid = partitions.id) FROM partitions ORDER BY topic, partition");
    while (statement.step())
        rows.push_back({ statement.text(0), std::int32_t(statement.integer(1)), statement.integer(2),
            statement.integer(3), statement.integer(4), std::int32_t(statement.integer(5)), statement.integer(6) });
    return rows;
}

void Workspace::setCommittedOffsets(const std::vector<CommittedOffset>& offsets)
{
    Statement statement(
        db_, "INSERT OR REPLACE INTO committed_offsets(group_id, topic, partition, offset) VALUES(?, ?, ?, ?)");
    for (const auto& offset : offsets)
        statement.bindText(1, offset.group)
            .bindText(2, offset.topic)
            .bind(3, std::int64_t(offset.partition))
            .bind(4, offset.offset)
            .run();
}

std::vector<CommittedOffset> Workspace::committedOffsets() const
{
    std::vector<CommittedOffset> offsets;
    Statement statement(
        db_, "SELECT group_id, topic, partition, offset FROM committed_offsets ORDER BY group_id, topic, partition");
    while (statement.step())
        offsets.push_back(
            { statement.text(0), statement.text(1), std::int32_t(statement.integer(2)), statement.integer(3) });
    return offsets;
}

void Workspace::saveSearch(const std::string& name, const std::string& query)
{
    Statement statement(db_, "INSERT OR REPLACE INTO saved_searches(name, query) VALUES(?, ?)");
    statement.bindText(1, name).bindText(2, query).run();
}

void Workspace::deleteSavedSearch(const std::string& name)
{
    Statement statement(db_, "DELETE FROM saved_searches WHERE name = ?");
    statement.bindText(1, name).run();
}

std::vector<std::pair<std::string, std::string>> Workspace::savedSearches() const
{
    std::vector<std::pair<std::string, std::string>> searches;
    Statement statement(db_, "SELECT name, query FROM saved_searches ORDER BY name");
    while (statement.step())
        searches.emplace_back(statement.text(0), statement.text(1));
    return searches;
}

} // namespace brokerlab::store
