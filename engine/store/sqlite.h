#pragma once
// A thin RAII layer over the sqlite3 handle that Qt's QSQLITE driver opened. Qt Sql owns the
// connection (named, one per thread); the hot loops (ingest, index, search) step prepared
// statements directly, which binds bytes without QVariant copies.

#include <cstdint>
#include <optional>
#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <string_view>

namespace brokerlab::store {

// Any SQLite failure inside the store; the public API turns it into a message for the user.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bindText(int index, std::string_view text); // must outlive the step
    Statement& bindBlob(int index, std::string_view bytes); // must outlive the step
    Statement& bindBlob(int index, const std::optional<std::string>& bytes); // NULL when absent
    Statement& bindNull(int index);

    bool step(); // true: a row is ready; false: done. Throws StoreError.
    void run()
    {
        step();
        reset();
    } // one statement without rows
    void reset();

    std::int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
    double real(int column) const { return sqlite3_column_double(statement_, column); }
    bool isNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
    std::string text(int column) const;
    std::optional<std::string> blob(int column) const; // nullopt for NULL
    // The bytes without a copy, valid until the next step() or reset(); nullopt for NULL.
    std::optional<std::string_view> blobView(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
};

void execute(sqlite3* db, std::string_view sql);

} // namespace brokerlab::store
