// RAII over SQLite: statements, connections, transactions.

#include "sqlite_util.h"

#include <sqlite3.h>

#include <utility>

namespace telar::core::sqlite {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& context) {
    std::string message = context + ": ";
    if (db) message += sqlite3_errmsg(db);
    else message += sqlite3_errstr(rc);
    int code = db ? sqlite3_extended_errcode(db) : rc;
    if ((code & 0xff) != (rc & 0xff)) code = rc; // errmsg belongs to another call: trust rc
    throw Error(message, code);
}

std::string shortSql(std::string_view sql) {
    std::string s(sql.substr(0, 80));
    for (char& c : s)
        if (c == '\n') c = ' ';
    return sql.size() > 80 ? s + "…" : s;
}

} // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db), m_sql(sql) {
    int rc = sqlite3_prepare_v2(db, m_sql.data(), static_cast<int>(m_sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        fail(db, rc, "cannot prepare '" + shortSql(sql) + "'");
    }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)), m_sql(std::move(other.m_sql)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_sql = std::move(other.m_sql);
    }
    return *this;
}

Statement& Statement::bindText(int index, std::string_view text) {
    int rc = sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(m_db, rc, "cannot bind parameter " + std::to_string(index) + " of '" + shortSql(m_sql) + "'");
    return *this;
}

Statement& Statement::bindTextRef(int index, std::string_view text) {
    int rc = sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(m_db, rc, "cannot bind parameter " + std::to_string(index) + " of '" + shortSql(m_sql) + "'");
    return *this;
}

Statement& Statement::bindInt64(int index, int64_t value) {
    int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK) fail(m_db, rc, "cannot bind parameter " + std::to_string(index) + " of '" + shortSql(m_sql) + "'");
    return *this;
}

Statement& Statement::bindDouble(int index, double value) {
    int rc = sqlite3_bind_double(m_stmt, index, value);
    if (rc != SQLITE_OK) fail(m_db, rc, "cannot bind parameter " + std::to_string(index) + " of '" + shortSql(m_sql) + "'");
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
    // A zero-length blob must still be a blob, not NULL: pass a valid pointer.
    static const char empty = 0;
    int rc = sqlite3_bind_blob64(m_stmt, index, bytes.empty() ? &empty : bytes.data(), bytes.size(),
                                 SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(m_db, rc, "cannot bind parameter " + std::to_string(index) + " of '" + shortSql(m_sql) + "'");
    return *this;
}

Statement& Statement::bindNull(int index) {
    int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK) fail(m_db, rc, "cannot bind parameter " + std::to_string(index) + " of '" + shortSql(m_sql) + "'");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // sqlite3_reset returns the same error; reset so the statement can be used again.
    sqlite3_reset(m_stmt);
    fail(m_db, rc, "cannot run '" + shortSql(m_sql) + "'");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() { sqlite3_reset(m_stmt); }

void Statement::clearBindings() { sqlite3_clear_bindings(m_stmt); }

int Statement::columnCount() const { return sqlite3_column_count(m_stmt); }

bool Statement::columnIsNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

std::string Statement::columnText(int column) const {
    const unsigned char* text = sqlite3_column_text(m_stmt, column);
    int size = sqlite3_column_bytes(m_stmt, column);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size)) : std::string();
}

int64_t Statement::columnInt64(int column) const { return sqlite3_column_int64(m_stmt, column); }

double Statement::columnDouble(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::columnBlob(int column) const {
    const void* data = sqlite3_column_blob(m_stmt, column);
    int size = sqlite3_column_bytes(m_stmt, column);
    return data ? std::string(static_cast<const char*>(data), static_cast<size_t>(size)) : std::string();
}

Database::Database(const std::filesystem::path& file) : m_path(file) {
    int rc = sqlite3_open_v2(file.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open " + file.string() + ": " +
                              (m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc));
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw Error(message, rc);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database() {
    // The checkpoint that closing runs follows the connection's synchronous setting.
    if (m_db && m_relaxedClose) sqlite3_exec(m_db, "PRAGMA synchronous = OFF", nullptr, nullptr, nullptr);
    sqlite3_close_v2(m_db);
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)),
      m_relaxedClose(std::exchange(other.m_relaxedClose, false)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
        m_relaxedClose = std::exchange(other.m_relaxedClose, false);
    }
    return *this;
}

Statement Database::prepare(std::string_view sql) { return Statement(m_db, sql); }

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string message = "cannot run '" + shortSql(sql) + "': " + (err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        int code = sqlite3_extended_errcode(m_db);
        throw Error(message, (code & 0xff) == (rc & 0xff) ? code : rc);
    }
}

std::optional<int64_t> Database::queryInt64(std::string_view sql) {
    auto st = prepare(sql);
    if (!st.step() || st.columnIsNull(0)) return std::nullopt;
    return st.columnInt64(0);
}

std::optional<std::string> Database::queryText(std::string_view sql) {
    auto st = prepare(sql);
    if (!st.step() || st.columnIsNull(0)) return std::nullopt;
    return st.columnText(0);
}

int64_t Database::lastInsertRowid() const { return sqlite3_last_insert_rowid(m_db); }

int Database::changes() const { return sqlite3_changes(m_db); }

void Database::setBusyTimeout(int milliseconds) {
    int rc = sqlite3_busy_timeout(m_db, milliseconds);
    if (rc != SQLITE_OK) fail(m_db, rc, "cannot set the busy timeout");
}

Transaction::Transaction(Database& db, Mode mode) : m_db(db) {
    m_db.exec(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (m_done) return;
    // Rolling back cannot usefully fail here; if the transaction was already rolled back by
    // SQLite (e.g. after SQLITE_FULL) this is a harmless error we must not throw from a destructor.
    char* err = nullptr;
    sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, &err);
    sqlite3_free(err);
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace telar::core::sqlite
