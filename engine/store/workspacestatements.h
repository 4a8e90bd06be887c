#pragma once
// The workspace's prepared statements for its hot loops, prepared once per connection.

#include "store/sqlite.h"

namespace brokerlab::store {

struct Workspace::Statements {
    explicit Statements(sqlite3* db)
        : insertRecord(db,
            "INSERT INTO records(id, pid, offset, timestamp, key, value, headers, size) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
        , selectRange(db, "SELECT id, key, value, headers FROM records WHERE pid = ? AND offset >= ? AND offset < ?")
        , deleteRange(db, "DELETE FROM records WHERE pid = ? AND offset >= ? AND offset < ?")
        , deleteById(db, "DELETE FROM records WHERE id = ?")
        , ftsInsert(db, "INSERT INTO records_fts(rowid, key, value, headers) VALUES(?, ?, ?, ?)")
        , ftsDelete(db, "INSERT INTO records_fts(records_fts, rowid, key, value, headers) VALUES('delete', ?, ?, ?, ?)")
        , trigramInsert(db, "INSERT INTO records_trigram(rowid, value) VALUES(?, ?)")
        , trigramDelete(db, "INSERT INTO records_trigram(records_trigram, rowid, value) VALUES('delete', ?, ?)")
        , pending(db, "SELECT id, pid, key, value, headers FROM records WHERE id > ? ORDER BY id LIMIT ?")
        , updatePartition(db,
              "UPDATE partitions SET log_start_offset = ?, high_watermark = ?, log_end_offset = ?, leader = ? "
              "WHERE id = ?")
        , offsetsBelow(db, "SELECT offset FROM records WHERE pid = ? AND offset < ? ORDER BY offset")
        , recordById(db, "SELECT pid, offset, timestamp, key, value, headers FROM records WHERE id = ?")
    {
    }
    Statement insertRecord;
    Statement selectRange;
    Statement deleteRange;
    Statement deleteById;
    Statement ftsInsert;
    Statement ftsDelete;
    Statement trigramInsert;
    Statement trigramDelete;
    Statement pending;
    Statement updatePartition;
    Statement offsetsBelow;
    Statement recordById;
};

} // namespace brokerlab::store
