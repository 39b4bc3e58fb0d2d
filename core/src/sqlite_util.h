#pragma once
// Private to telar::core: RAII over SQLite for every part of the core that keeps data in the
// store (store.cpp, later the history index and the geometry cache).
//
//   sqlite::Database db(file);                         // sqlite3_open_v2, closed on destruction
//   sqlite::Transaction tx(db);                        // BEGIN IMMEDIATE; rolled back unless…
//   auto st = db.prepare("INSERT INTO t VALUES (?1, ?2)");
//   st.bindText(1, "a").bindInt64(2, 42);
//   st.step();                                         // true while a row is available
//   tx.commit();                                       // …committed
//
// Every failure throws sqlite::Error (a telar::StoreError) with SQLite's message, our context and
// the (extended) result code.

#include "telar/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace telar::core {

class Store;

namespace sqlite {

// A SQLite failure. code() is the extended result code; primaryCode() its low byte
// (SQLITE_BUSY, SQLITE_CORRUPT, SQLITE_NOTADB…).
class Error : public telar::StoreError {
public:
    Error(const std::string& message, int code) : telar::StoreError(message), m_code(code) {}
    int code() const { return m_code; }
    int primaryCode() const { return m_code & 0xff; }

private:
    int m_code;
};

// One prepared statement. Move-only; finalized on destruction. Indexes are SQLite's: parameters
// from 1, columns from 0. Text and blob bindings are copied, so arguments may be temporaries.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bindText(int index, std::string_view text);
    // Binds text without copying it: the caller keeps it alive and unchanged until the next
    // reset() (bulk inserts, where copying every value costs a fifth of the insert).
    Statement& bindTextRef(int index, std::string_view text);
    Statement& bindInt64(int index, int64_t value);
    Statement& bindDouble(int index, double value);
    Statement& bindBlob(int index, std::string_view bytes);
    Statement& bindNull(int index);

    // Runs one step: true when a row is available to read, false when done. Throws sqlite::Error.
    bool step();
    // Runs to completion, ignoring rows (for INSERT/UPDATE/DELETE).
    void run();
    // Makes the statement runnable again; bindings are kept unless clearBindings() is called.
    void reset();
    void clearBindings();

    int columnCount() const;
    bool columnIsNull(int column) const;
    std::string columnText(int column) const;
    int64_t columnInt64(int column) const;
    double columnDouble(int column) const;
    std::string columnBlob(int column) const;

private:
    sqlite3* m_db = nullptr;       // borrowed from the Database
    sqlite3_stmt* m_stmt = nullptr; // owned
    std::string m_sql;              // for error messages
};

// One connection (opened without SQLite's own mutex: use it from one thread at a time — the Store
// serialises its users). Move-only; closed on destruction (statements must be gone by then).
class Database {
public:
    // Opens file read-write, creating it when missing. Throws sqlite::Error.
    explicit Database(const std::filesystem::path& file);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Statement prepare(std::string_view sql);
    // Runs one or more statements separated by ';' (no results).
    void exec(std::string_view sql);
    // The first column of the first row of sql, or nullopt when there is no row (or it is NULL).
    std::optional<int64_t> queryInt64(std::string_view sql);
    std::optional<std::string> queryText(std::string_view sql);

    int64_t lastInsertRowid() const;
    int changes() const;
    void setBusyTimeout(int milliseconds);
    // Closing will copy the write-ahead log into the database without syncing either file, like
    // the bulk writes that filled it (derived data: a store damaged by a power cut is rebuilt).
    void relaxSyncOnClose() { m_relaxedClose = true; }
    const std::filesystem::path& path() const { return m_path; }
    // The raw handle, for the rare call this wrapper lacks. Still owned by the Database.
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
    bool m_relaxedClose = false;
};

// A transaction that rolls back on destruction unless commit() was called. Immediate takes the
// write lock at BEGIN, which is what writers want: with WAL, a deferred transaction that later
// writes can fail with SQLITE_BUSY without waiting for the busy timeout.
class Transaction {
public:
    enum class Mode { Deferred, Immediate };
    explicit Transaction(Database& db, Mode mode = Mode::Immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

// A step of the store's schema. Migrations run in order, each in its own transaction, and set
// PRAGMA user_version to their version. To change the schema, append one (never edit a shipped
// one) in store_migrations.cpp; see docs/store.md.
struct Migration {
    int version;             // 1, 2, 3… without gaps
    const char* description; // one line, for docs and errors
    const char* sql;         // statements run with Database::exec
};

} // namespace sqlite

// The ordered list of store migrations (store_migrations.cpp).
const std::vector<sqlite::Migration>& storeMigrations();

namespace detail {

// How long a store connection waits for another process's write transaction.
constexpr int kStoreBusyTimeoutMs = 5000;

// Exclusive use of a Store's connection, for core code that keeps its own tables in the store
// (history index, geometry cache). Holds the Store's mutex while it lives.
struct StoreDatabaseLock {
    std::unique_lock<std::mutex> lock;
    sqlite::Database& db;
};
StoreDatabaseLock lockStoreDatabase(Store& store);

} // namespace detail

} // namespace telar::core
