// The per-user SQLite store: opening with recovery, migrations, cache, counters, repositories
// and module search. Policy and schema: docs/store.md.

#include "telar/core/store.h"

#include "sqlite_util.h"

#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <system_error>

namespace fs = std::filesystem;

namespace telar::core {

namespace {

// PRAGMA application_id of a Telar store: "TELR".
constexpr int64_t kApplicationId = 0x54454C52;
// How long a passed quick_check is trusted. quick_check reads every page (tens of milliseconds
// per few MiB), too slow for every CLI start; damage met in between forces it (see markerPath).
constexpr int64_t kQuickCheckIntervalSeconds = 24 * 60 * 60;

// Why an existing file cannot be used as a store: it is then moved aside and rebuilt.
struct Unreadable {
    std::string reason;
};

int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// FNV-1a 64 of bytes as "fnv1a64:<16 hex>": detects damaged values, it is not a security check.
std::string checksumOf(std::string_view bytes) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// quick_check's report as one short line: "Page 5: btreeInitPage() returns error code 11".
std::string oneLine(std::string text) {
    const std::string banner = "*** in database main ***";
    if (text.rfind(banner, 0) == 0) text.erase(0, banner.size());
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\r') {
            if (!out.empty() && out.back() != ' ') out += "; ";
        } else {
            out += c;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
    if (out.size() > 160) out = out.substr(0, 157) + "...";
    return out;
}

std::string hexId(int64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(v));
    return buf;
}

// A file next to the store that says "SQLite met damage here: check before trusting it again".
fs::path markerPath(const fs::path& file) { return fs::path(file.string() + ".check"); }

bool isDamage(const sqlite::Error& e) {
    return e.primaryCode() == SQLITE_CORRUPT || e.primaryCode() == SQLITE_NOTADB;
}

// Brings db to the latest schema, one migration per transaction. The version is read again
// under the write lock, so two processes opening a new store at once migrate it once.
void migrate(sqlite::Database& db) {
    const auto& steps = storeMigrations();
    for (const auto& step : steps) {
        sqlite::Transaction tx(db);
        int64_t current = db.queryInt64("PRAGMA user_version").value_or(0);
        if (current >= step.version) continue; // tx rolls back: nothing was written
        if (current != step.version - 1)
            throw StoreError("store migration " + std::to_string(step.version) + " found schema version " +
                             std::to_string(current));
        try {
            db.exec(step.sql);
        } catch (const sqlite::Error& e) {
            throw StoreError("store migration " + std::to_string(step.version) + " (" + step.description +
                             ") failed: " + e.what());
        }
        db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        db.exec("PRAGMA user_version = " + std::to_string(step.version));
        tx.commit();
    }
}

// Opens file as a store, checking that it is one we can use. Throws Unreadable when the file is
// damaged or incompatible, StoreError for anything else (permissions, disk full, …).
std::unique_ptr<sqlite::Database> openChecked(const fs::path& file) {
    auto db = std::make_unique<sqlite::Database>(file);
    db->setBusyTimeout(detail::kStoreBusyTimeoutMs);
    int64_t now = nowSeconds();
    bool checked = false;
    bool fresh = false;
    try {
        {
            // One read transaction: the checks see one consistent state even while another
            // process is creating the store.
            sqlite::Transaction read(*db, sqlite::Transaction::Mode::Deferred);
            int64_t appId = db->queryInt64("PRAGMA application_id").value_or(0);
            int64_t version = db->queryInt64("PRAGMA user_version").value_or(0);
            int64_t objects = db->queryInt64("SELECT count(*) FROM sqlite_schema").value_or(0);
            if (appId != kApplicationId && (appId != 0 || version != 0 || objects != 0))
                throw Unreadable{"not a Telar store: application_id " + hexId(appId)};
            if (version > storeMigrations().back().version)
                throw Unreadable{"schema version " + std::to_string(version) + " is newer than this build of Telar knows (" +
                                 std::to_string(storeMigrations().back().version) + ")"};
            bool wantCheck = objects > 0 && fs::exists(markerPath(file));
            if (objects > 0 && !wantCheck) {
                std::optional<int64_t> last;
                if (version >= 1)
                    last = db->queryInt64("SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'quick_check_at'");
                wantCheck = !last || now - *last >= kQuickCheckIntervalSeconds || *last > now + 60;
            }
            if (wantCheck) {
                std::string first = db->queryText("PRAGMA quick_check").value_or("no answer");
                if (first != "ok") throw Unreadable{"integrity check failed: " + oneLine(first)};
            }
            checked = wantCheck || objects == 0;
            fresh = objects == 0;
            read.commit();
        }
        // WAL lets the CLI and the desktop app read while the other writes. A file system that
        // cannot do WAL leaves the store in rollback-journal mode, which still works.
        // A new store is created without syncs (a crash leaves a file the next open rebuilds);
        // its first fsyncs would otherwise cost more than building a history index.
        if (fresh) db->exec("PRAGMA synchronous = OFF");
        db->queryText("PRAGMA journal_mode = WAL");
        if (!fresh) db->exec("PRAGMA synchronous = NORMAL");
        db->exec("PRAGMA foreign_keys = ON");
        migrate(*db);
        if (fresh) db->exec("PRAGMA synchronous = NORMAL");
        if (checked) {
            db->prepare("INSERT INTO store_meta (key, value) VALUES ('quick_check_at', ?1) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bindText(1, std::to_string(now))
                .run();
            std::error_code ec;
            fs::remove(markerPath(file), ec);
        }
    } catch (const sqlite::Error& e) {
        if (e.primaryCode() == SQLITE_NOTADB) throw Unreadable{"not a database"};
        if (e.primaryCode() == SQLITE_CORRUPT) throw Unreadable{"the database is damaged"};
        throw;
    }
    return db;
}

// Renames file (and its -wal/-shm, which must not be replayed into the new store) to
// FILE.broken-<UTC timestamp>[-N].
void moveAside(const fs::path& file) {
    std::time_t t = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    std::string base = file.string() + ".broken-" + stamp;
    std::string target = base;
    for (int n = 2; fs::exists(target) && n < 1000; ++n) target = base + "-" + std::to_string(n);
    std::error_code ec;
    fs::rename(file, target, ec);
    if (ec) throw StoreError("cannot move the unreadable store " + file.string() + " aside: " + ec.message());
    fs::remove(markerPath(file), ec);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        fs::path side = file.string() + suffix;
        if (fs::exists(fs::symlink_status(side))) {
            fs::rename(side, target + suffix, ec);
            if (ec) fs::remove(side, ec);
            if (ec) throw StoreError("cannot move " + side.string() + " aside: " + ec.message());
        }
    }
}

// Makes query text safe for FTS5: every word becomes a quoted prefix term ("frame"*), joined
// with AND. Punctuation separates words; non-ASCII bytes are part of words.
std::string ftsQuery(const std::string& query) {
    std::string out;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += ' ';
        out += '"' + word + "\"*";
        word.clear();
    };
    for (unsigned char c : query) {
        if (std::isalnum(c) || c >= 0x80) word += static_cast<char>(c);
        else flush();
    }
    flush();
    return out;
}

fs::path absolutePath(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(p), ec);
    if (ec) abs = fs::absolute(p).lexically_normal();
    std::string s = abs.string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return fs::path(s);
}

} // namespace

namespace detail {
StoreDatabaseLock lockStoreDatabase(Store& store) {
    return StoreDatabaseLock{std::unique_lock<std::mutex>(store.m_mutex), *store.m_db};
}
} // namespace detail

Store::Store(fs::path path, std::unique_ptr<sqlite::Database> db, std::function<void(const std::string&)> notice)
    : m_path(std::move(path)), m_db(std::move(db)), m_notice(std::move(notice)) {}

Store::~Store() = default;

std::unique_ptr<Store> Store::open(const fs::path& file, std::function<void(const std::string&)> notice) {
    if (!notice) notice = [](const std::string& line) { std::cerr << line << '\n'; };
    std::error_code ec;
    if (file.has_parent_path()) {
        fs::create_directories(file.parent_path(), ec);
        if (ec) throw StoreError("cannot create the folder for the store " + file.string() + ": " + ec.message());
    }
    std::unique_ptr<sqlite::Database> db;
    try {
        db = openChecked(file);
    } catch (const Unreadable& u) {
        moveAside(file);
        try {
            db = openChecked(file);
        } catch (const Unreadable& again) {
            throw StoreError("the store at " + file.string() + " could not be rebuilt: " + again.reason);
        }
        notice("telar: the store at " + file.string() + " was unreadable (" + u.reason +
               "); rebuilt it — cached results will be recomputed");
    }
    return std::unique_ptr<Store>(new Store(file, std::move(db), std::move(notice)));
}

void Store::noteDamage(const std::string& reason) {
    std::ofstream(markerPath(m_path)) << reason << '\n';
    if (m_damageNoted) return;
    m_damageNoted = true;
    m_notice("telar: the store at " + m_path.string() + " is damaged (" + reason +
             "); it will be checked and rebuilt when it is next opened — cached results will be recomputed");
}

template <typename Body>
auto Store::guarded(Body&& body) {
    std::lock_guard lock(m_mutex);
    try {
        return body();
    } catch (const sqlite::Error& e) {
        if (!isDamage(e)) throw;
        noteDamage(sqlite3_errstr(e.primaryCode()));
        throw StoreError(std::string(e.what()) + " (the store at " + m_path.string() +
                         " will be rebuilt when it is next opened)");
    }
}

fs::path Store::defaultPath() {
    if (const char* home = std::getenv("TELAR_HOME"); home && *home) return fs::path(home) / "telar.db";
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
        return fs::path(xdg) / "telar" / "telar.db";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".local" / "share" / "telar" / "telar.db";
    return fs::path("telar.db");
}

int Store::latestSchemaVersion() { return storeMigrations().back().version; }

int Store::schemaVersion() const {
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_db->queryInt64("PRAGMA user_version").value_or(0));
}

std::optional<std::string> Store::cacheGet(std::string_view kind, std::string_view key) {
    try {
        return guarded([&]() -> std::optional<std::string> {
            auto st = m_db->prepare("SELECT id, value, checksum FROM cache WHERE kind = ?1 AND key = ?2");
            st.bindText(1, kind).bindText(2, key);
            if (!st.step()) return std::nullopt;
            int64_t id = st.columnInt64(0);
            std::string value = st.columnBlob(1);
            if (checksumOf(value) == st.columnText(2)) return value;
            st.reset();
            // A damaged value: forget it so it gets recomputed and stored again.
            m_db->prepare("DELETE FROM cache WHERE id = ?1").bindInt64(1, id).run();
            return std::nullopt;
        });
    } catch (const StoreError&) {
        std::lock_guard lock(m_mutex);
        if (m_damageNoted) return std::nullopt; // a damaged file is a miss for a cache
        throw;
    }
}

void Store::cachePut(std::string_view kind, std::string_view key, std::string_view value) {
    try {
        guarded([&] {
            m_db->prepare("INSERT INTO cache (kind, key, checksum, stored_at, value) VALUES (?1, ?2, ?3, ?4, ?5) "
                          "ON CONFLICT (kind, key) DO UPDATE SET checksum = excluded.checksum, "
                          "stored_at = excluded.stored_at, value = excluded.value")
                .bindText(1, kind)
                .bindText(2, key)
                .bindText(3, checksumOf(value))
                .bindInt64(4, nowSeconds())
                .bindBlob(5, value)
                .run();
        });
    } catch (const StoreError&) {
        std::lock_guard lock(m_mutex);
        if (!m_damageNoted) throw; // a damaged file just does not remember
    }
}

void Store::cacheClear(std::string_view kind) {
    guarded([&] {
        if (kind.empty()) m_db->exec("DELETE FROM cache");
        else m_db->prepare("DELETE FROM cache WHERE kind = ?1").bindText(1, kind).run();
    });
}

void Store::bumpCounter(std::string_view name, int64_t by) {
    guarded([&] {
        m_db->prepare("INSERT INTO counters (name, value) VALUES (?1, ?2) "
                      "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")
            .bindText(1, name)
            .bindInt64(2, by)
            .run();
    });
}

int64_t Store::counter(std::string_view name) {
    return guarded([&]() -> int64_t {
        auto st = m_db->prepare("SELECT value FROM counters WHERE name = ?1");
        st.bindText(1, name);
        return st.step() ? st.columnInt64(0) : 0;
    });
}

void Store::rememberRepository(const fs::path& path, const std::string& name) {
    guarded([&] {
        int64_t now = nowSeconds();
        m_db->prepare("INSERT INTO repositories (path, name, added_at, last_seen_at) VALUES (?1, ?2, ?3, ?3) "
                      "ON CONFLICT (path) DO UPDATE SET name = excluded.name, last_seen_at = excluded.last_seen_at")
            .bindText(1, absolutePath(path).string())
            .bindText(2, name)
            .bindInt64(3, now)
            .run();
    });
}

std::vector<KnownRepository> Store::repositories() {
    return guarded([&] {
        std::vector<KnownRepository> out;
        auto st = m_db->prepare("SELECT path, name, added_at, last_seen_at FROM repositories ORDER BY name, path");
        while (st.step())
            out.push_back(KnownRepository{fs::path(st.columnText(0)), st.columnText(1), st.columnInt64(2),
                                          st.columnInt64(3)});
        return out;
    });
}

void Store::indexModules(const fs::path& repo, const std::vector<ModuleSummary>& modules) {
    fs::path abs = absolutePath(repo);
    guarded([&] {
        int64_t now = nowSeconds();
        sqlite::Transaction tx(*m_db);
        m_db->prepare("INSERT INTO repositories (path, name, added_at, last_seen_at) VALUES (?1, ?2, ?3, ?3) "
                      "ON CONFLICT (path) DO NOTHING")
            .bindText(1, abs.string())
            .bindText(2, abs.filename().string())
            .bindInt64(3, now)
            .run();
        auto idQuery = m_db->prepare("SELECT id FROM repositories WHERE path = ?1");
        idQuery.bindText(1, abs.string());
        if (!idQuery.step()) throw StoreError("repository " + abs.string() + " vanished from the store");
        int64_t repoId = idQuery.columnInt64(0);
        idQuery.reset();
        m_db->prepare("DELETE FROM modules WHERE repository_id = ?1").bindInt64(1, repoId).run();
        auto insert = m_db->prepare(
            "INSERT INTO modules (repository_id, module, name, description, license) VALUES (?1, ?2, ?3, ?4, ?5) "
            "ON CONFLICT (repository_id, module) DO UPDATE SET name = excluded.name, "
            "description = excluded.description, license = excluded.license");
        for (const auto& m : modules) {
            insert.reset();
            insert.bindInt64(1, repoId)
                .bindText(2, m.id)
                .bindText(3, m.name)
                .bindText(4, m.description)
                .bindText(5, m.license);
            insert.run();
        }
        tx.commit();
    });
}

std::vector<ModuleHit> Store::searchModules(const std::string& query) {
    std::string match = ftsQuery(query);
    if (match.empty()) return {};
    return guarded([&] {
        std::vector<ModuleHit> out;
        // Weights per column (module id, name, description, licence): a hit in the name counts most.
        auto st = m_db->prepare("SELECT r.path, r.name, m.module, m.name, m.description, m.license "
                                "FROM modules_fts JOIN modules m ON m.id = modules_fts.rowid "
                                "JOIN repositories r ON r.id = m.repository_id "
                                "WHERE modules_fts MATCH ?1 "
                                "ORDER BY bm25(modules_fts, 2.0, 4.0, 1.0, 1.0), r.name, m.module");
        st.bindText(1, match);
        while (st.step()) {
            ModuleHit hit;
            hit.repository = fs::path(st.columnText(0));
            hit.repositoryName = st.columnText(1);
            hit.module = ModuleSummary{st.columnText(2), st.columnText(3), st.columnText(4), st.columnText(5)};
            out.push_back(std::move(hit));
        }
        return out;
    });
}

} // namespace telar::core
