// The per-user SQLite store: migrations, WAL, recovery from corrupt or incompatible files,
// checksummed cache, counters, concurrent writers, module search. Uses the real file; raw SQLite
// only to look at or damage it from outside.

#include "telar/core/store.h"
#include "telar/error.h"
#include "test_support.h"

#include "../../core/src/sqlite_util.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using telar::core::ModuleSummary;
using telar::core::Store;
using telar::test::TempDir;

namespace {

// Runs sql on the file with a separate raw connection and returns the first column of each row.
std::vector<std::string> rawQuery(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    const char* tail = sql.c_str();
    while (tail && *tail) {
        int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
        INFO(sql << ": " << sqlite3_errmsg(db));
        REQUIRE(rc == SQLITE_OK);
        if (!st) break;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const unsigned char* t = sqlite3_column_text(st, 0);
            out.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
        }
        INFO(sql << ": " << sqlite3_errmsg(db));
        REQUIRE(rc == SQLITE_DONE);
        sqlite3_finalize(st);
        st = nullptr;
    }
    sqlite3_close(db);
    return out;
}

std::vector<std::string> brokenFiles(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (name.rfind("telar.db.broken-", 0) == 0) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct Notices {
    std::vector<std::string> lines;
    std::function<void(const std::string&)> sink() {
        return [this](const std::string& line) { lines.push_back(line); };
    }
};

// Sets an environment variable for the life of the object, restoring the old value.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        if (value)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (m_old)
            ::setenv(m_name.c_str(), m_old->c_str(), 1);
        else
            ::unsetenv(m_name.c_str());
    }

private:
    std::string m_name;
    std::optional<std::string> m_old;
};

} // namespace

TEST_CASE("a new store is created by the migrations, in WAL mode", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "nested/folders/telar.db";
    Notices notices;
    auto store = Store::open(file, notices.sink());
    CHECK(store->path() == file);
    CHECK(fs::is_regular_file(file));
    CHECK(Store::latestSchemaVersion() == 2); // 1: cache, counters, repositories; 2: history index
    CHECK(store->schemaVersion() == 2);
    CHECK(notices.lines.empty());

    CHECK(rawQuery(file, "PRAGMA journal_mode") == std::vector<std::string>{"wal"});
    CHECK(rawQuery(file, "PRAGMA user_version") == std::vector<std::string>{"2"});
    CHECK(rawQuery(file, "PRAGMA application_id") == std::vector<std::string>{"1413827666"});
    CHECK(rawQuery(file, "SELECT type || ' ' || name FROM sqlite_schema WHERE type IN ('table', 'trigger') "
                         "ORDER BY type, name") ==
          std::vector<std::string>{
              "table cache", "table counters", "table history_changes", "table history_coauthors",
              "table history_commits", "table history_parents", "table modules", "table modules_fts",
              "table modules_fts_config", "table modules_fts_data", "table modules_fts_docsize",
              "table modules_fts_idx", "table repositories", "table store_meta", "trigger modules_fts_delete",
              "trigger modules_fts_insert", "trigger modules_fts_update"});
    // The store's own connection has foreign keys on and the busy timeout set.
    auto locked = telar::core::detail::lockStoreDatabase(*store);
    CHECK(locked.db.queryInt64("PRAGMA foreign_keys") == 1);
    CHECK(locked.db.queryInt64("PRAGMA busy_timeout") == 5000);
}

TEST_CASE("reopening a store keeps its data and does not migrate again", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    {
        auto store = Store::open(file);
        store->cachePut("geometry", "blob:abc", "volume=12.5");
        store->bumpCounter("cad.analysed", 3);
        store->rememberRepository(tmp / "press", "Open Press");
    }
    Notices notices;
    auto store = Store::open(file, notices.sink());
    CHECK(notices.lines.empty());
    CHECK(store->schemaVersion() == 2);
    CHECK(store->cacheGet("geometry", "blob:abc") == std::optional<std::string>("volume=12.5"));
    CHECK(store->counter("cad.analysed") == 3);
    auto repos = store->repositories();
    REQUIRE(repos.size() == 1);
    CHECK(repos[0].path == tmp / "press");
    CHECK(repos[0].name == "Open Press");
    CHECK(brokenFiles(tmp.path()).empty());
}

TEST_CASE("a garbage store file is moved aside and rebuilt with a notice", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    std::string garbage(4096, '\0');
    std::mt19937 rng(42);
    for (auto& c : garbage)
        c = static_cast<char>(rng() & 0xff);
    telar::test::writeFile(file, garbage);

    Notices notices;
    auto store = Store::open(file, notices.sink());
    REQUIRE(notices.lines.size() == 1);
    CHECK(notices.lines[0] ==
          "telar: the store at " + file.string() +
              " was unreadable (not a database); rebuilt it — cached results will be recomputed");
    auto broken = brokenFiles(tmp.path());
    REQUIRE(broken.size() == 1);
    CHECK(broken[0].size() == std::string("telar.db.broken-20260101T000000Z").size());
    CHECK(telar::test::readFile(tmp / broken[0]) == garbage);

    CHECK(store->schemaVersion() == 2);
    store->cachePut("k", "v", "value");
    CHECK(store->cacheGet("k", "v") == std::optional<std::string>("value"));
    CHECK(rawQuery(file, "PRAGMA journal_mode") == std::vector<std::string>{"wal"});
}

TEST_CASE("a store from a newer Telar is treated as incompatible", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    {
        auto store = Store::open(file);
        store->cachePut("geometry", "k", "old");
    }
    rawQuery(file, "PRAGMA user_version = " + std::to_string(Store::latestSchemaVersion() + 1));

    Notices notices;
    auto store = Store::open(file, notices.sink());
    REQUIRE(notices.lines.size() == 1);
    CHECK(notices.lines[0] ==
          "telar: the store at " + file.string() +
              " was unreadable (schema version 3 is newer than this build of Telar knows (2)); "
              "rebuilt it — cached results will be recomputed");
    CHECK(store->schemaVersion() == 2);
    CHECK_FALSE(store->cacheGet("geometry", "k"));
    auto broken = brokenFiles(tmp.path());
    REQUIRE_FALSE(broken.empty());
    CHECK(rawQuery(tmp / broken[0], "PRAGMA user_version") == std::vector<std::string>{"3"});
    CHECK(rawQuery(tmp / broken[0], "SELECT value FROM cache") == std::vector<std::string>{"old"});
}

TEST_CASE("another program's SQLite file is not taken over silently", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE notes(text); INSERT INTO notes VALUES ('keep me')", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    Notices notices;
    auto store = Store::open(file, notices.sink());
    REQUIRE(notices.lines.size() == 1);
    CHECK(notices.lines[0] ==
          "telar: the store at " + file.string() +
              " was unreadable (not a Telar store: application_id 0x00000000); rebuilt it — "
              "cached results will be recomputed");
    auto broken = brokenFiles(tmp.path());
    REQUIRE(broken.size() == 1);
    CHECK(rawQuery(tmp / broken[0], "SELECT text FROM notes") == std::vector<std::string>{"keep me"});
}

namespace {

// A store with 300 cache entries, closed (so the WAL is checkpointed into the file).
void fillStore(const fs::path& file) {
    auto store = Store::open(file);
    for (int i = 0; i < 300; ++i)
        store->cachePut("geometry", "key-" + std::to_string(i),
                        std::string(200, static_cast<char>('a' + i % 26)));
}

// Overwrites the last three pages of the file: cache rows and index entries written last.
void damageLastPages(const fs::path& file) {
    REQUIRE_FALSE(fs::exists(file.string() + "-wal"));
    auto size = fs::file_size(file);
    REQUIRE(size > 12 * 4096);
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    std::string junk(4096 * 3, '\xA5');
    f.seekp(static_cast<std::streamoff>(size - junk.size()));
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

} // namespace

TEST_CASE("a store failing its integrity check is rebuilt", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    fillStore(file);
    // The last check is older than a day, so this open runs quick_check.
    rawQuery(file, "UPDATE store_meta SET value = '1000' WHERE key = 'quick_check_at'");
    damageLastPages(file);

    Notices notices;
    auto store = Store::open(file, notices.sink());
    REQUIRE(notices.lines.size() == 1);
    INFO(notices.lines[0]);
    // SQLite names the first damaged page it meets; the notice stays on one line.
    CHECK(notices.lines[0].rfind(
              "telar: the store at " + file.string() + " was unreadable (integrity check failed: Page ", 0) ==
          0);
    CHECK(notices.lines[0].find('\n') == std::string::npos);
    CHECK(notices.lines[0].find("); rebuilt it — cached results will be recomputed") != std::string::npos);
    CHECK(brokenFiles(tmp.path()).size() == 1);
    CHECK_FALSE(store->cacheGet("geometry", "key-1"));
    store->cachePut("geometry", "key-1", "fresh");
    CHECK(store->cacheGet("geometry", "key-1") == std::optional<std::string>("fresh"));
}

TEST_CASE("damage met while the store is in use turns into misses and a rebuild on the next open",
          "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    fillStore(file);
    damageLastPages(file);
    {
        Notices notices;
        auto store = Store::open(file, notices.sink()); // checked less than a day ago: not checked again
        CHECK(notices.lines.empty());
        int hits = 0, misses = 0;
        for (int i = 0; i < 300; ++i) {
            if (store->cacheGet("geometry", "key-" + std::to_string(i)))
                ++hits;
            else
                ++misses;
        }
        CHECK(misses > 0);
        CHECK(hits + misses == 300);
        store->cachePut("geometry", "key-new", "value"); // may or may not stick; never throws
        REQUIRE(notices.lines.size() == 1);
        CHECK(notices.lines[0] ==
              "telar: the store at " + file.string() +
                  " is damaged (database disk image is malformed); it will be checked and rebuilt "
                  "when it is next opened — cached results will be recomputed");
        CHECK(fs::exists(tmp / "telar.db.check"));
    }
    Notices notices;
    auto store = Store::open(file, notices.sink());
    REQUIRE(notices.lines.size() == 1);
    CHECK(notices.lines[0].find(" was unreadable (integrity check failed: ") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp / "telar.db.check"));
    CHECK(brokenFiles(tmp.path()).size() == 1);
    CHECK_FALSE(store->cacheGet("geometry", "key-1"));
}

TEST_CASE("quick_check runs on open at most once a day unless damage was met", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    Store::open(file);
    auto checkedAt = [&] {
        return rawQuery(file, "SELECT value FROM store_meta WHERE key = 'quick_check_at'");
    };
    REQUIRE(checkedAt().size() == 1);
    CHECK(std::stoll(checkedAt()[0]) > 1700000000);

    int64_t now = std::stoll(checkedAt()[0]);
    std::string recent = std::to_string(now - 3600);
    rawQuery(file, "UPDATE store_meta SET value = '" + recent + "' WHERE key = 'quick_check_at'");
    Store::open(file);
    CHECK(checkedAt() == std::vector<std::string>{recent}); // trusted: not checked again

    rawQuery(file, "UPDATE store_meta SET value = '" + std::to_string(now - 2 * 86400) +
                       "' WHERE key = 'quick_check_at'");
    Store::open(file);
    CHECK(std::stoll(checkedAt()[0]) >= now); // a day old: checked

    rawQuery(file, "UPDATE store_meta SET value = '" + recent + "' WHERE key = 'quick_check_at'");
    telar::test::writeFile(tmp / "telar.db.check", "damage\n");
    Store::open(file);
    CHECK(std::stoll(checkedAt()[0]) >= now);        // the marker forces a check…
    CHECK_FALSE(fs::exists(tmp / "telar.db.check")); // …and goes once the file passed it
}

TEST_CASE("the cache stores bytes and never returns a damaged value", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    auto store = Store::open(file);
    CHECK_FALSE(store->cacheGet("geometry", "blob:1"));

    std::string binary("vol\0ume\xff\x01", 9);
    store->cachePut("geometry", "blob:1", binary);
    store->cachePut("geometry", "blob:2", "area=3.0");
    store->cachePut("bom", "blob:1", "");
    CHECK(store->cacheGet("geometry", "blob:1") == std::optional<std::string>(binary));
    CHECK(store->cacheGet("bom", "blob:1") == std::optional<std::string>(""));
    store->cachePut("geometry", "blob:2", "area=4.0");
    CHECK(store->cacheGet("geometry", "blob:2") == std::optional<std::string>("area=4.0"));

    // Somebody (a disk, a bug) changes a value behind the checksum's back.
    rawQuery(file,
             "UPDATE cache SET value = CAST('area=99.0' AS BLOB) WHERE kind = 'geometry' AND key = 'blob:2'");
    CHECK_FALSE(store->cacheGet("geometry", "blob:2"));
    // The damaged row is gone, and a recomputed value is stored again.
    CHECK(rawQuery(file, "SELECT count(*) FROM cache WHERE key = 'blob:2'") == std::vector<std::string>{"0"});
    store->cachePut("geometry", "blob:2", "area=4.0");
    CHECK(store->cacheGet("geometry", "blob:2") == std::optional<std::string>("area=4.0"));
    CHECK(rawQuery(file, "SELECT checksum FROM cache WHERE key = 'blob:2'") ==
          std::vector<std::string>{"fnv1a64:7919433ae00df0bb"});

    store->cacheClear("bom");
    CHECK_FALSE(store->cacheGet("bom", "blob:1"));
    CHECK(store->cacheGet("geometry", "blob:1"));
    store->cacheClear();
    CHECK_FALSE(store->cacheGet("geometry", "blob:1"));
    CHECK(rawQuery(file, "SELECT count(*) FROM cache") == std::vector<std::string>{"0"});
}

TEST_CASE("counters add up", "[core][store]") {
    TempDir tmp;
    auto store = Store::open(tmp / "telar.db");
    CHECK(store->counter("cad.analysed") == 0);
    store->bumpCounter("cad.analysed");
    store->bumpCounter("cad.analysed", 5);
    store->bumpCounter("other", -2);
    CHECK(store->counter("cad.analysed") == 6);
    CHECK(store->counter("other") == -2);
}

TEST_CASE("two connections write to one store at the same time", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    auto first = Store::open(file);
    auto second = Store::open(file);
    constexpr int kRounds = 250;
    std::atomic<int> failures{0};
    std::string firstError;
    auto work = [&](Store& store, const std::string& who, std::string* error) {
        try {
            for (int i = 0; i < kRounds; ++i) {
                store.cachePut("geometry", who + "-" + std::to_string(i), "value " + std::to_string(i));
                store.bumpCounter("writes");
                if (i % 25 == 0)
                    store.indexModules(tmp / who,
                                       {ModuleSummary{"m" + std::to_string(i), "Module", "desc", "MIT"}});
                if (!store.cacheGet("geometry", who + "-" + std::to_string(i))) ++failures;
            }
        } catch (const std::exception& e) {
            ++failures;
            if (error) *error = e.what();
        }
    };
    std::string errorA, errorB;
    std::thread a(work, std::ref(*first), "a", &errorA);
    std::thread b(work, std::ref(*second), "b", &errorB);
    a.join();
    b.join();
    INFO(errorA << " / " << errorB);
    CHECK(failures == 0);
    CHECK(first->counter("writes") == 2 * kRounds);
    CHECK(second->cacheGet("geometry", "a-249") == std::optional<std::string>("value 249"));
    CHECK(first->cacheGet("geometry", "b-249") == std::optional<std::string>("value 249"));
    CHECK(rawQuery(file, "SELECT count(*) FROM cache") ==
          std::vector<std::string>{std::to_string(2 * kRounds)});
}

TEST_CASE("two stores opened at once on a new file migrate it once", "[core][store]") {
    TempDir tmp;
    fs::path file = tmp / "telar.db";
    std::vector<std::string> notices;
    std::mutex noticeMutex;
    std::vector<std::unique_ptr<Store>> stores(4);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (size_t i = 0; i < stores.size(); ++i)
        threads.emplace_back([&, i] {
            try {
                stores[i] = Store::open(file, [&](const std::string& line) {
                    std::lock_guard lock(noticeMutex);
                    notices.push_back(line);
                });
            } catch (const std::exception&) {
                ++failures;
            }
        });
    for (auto& t : threads)
        t.join();
    CHECK(failures == 0);
    CHECK(notices.empty());
    CHECK(brokenFiles(tmp.path()).empty());
    for (auto& s : stores) {
        REQUIRE(s);
        CHECK(s->schemaVersion() == 2);
    }
}

TEST_CASE("known repositories and full-text search over their modules", "[core][store]") {
    TempDir tmp;
    auto store = Store::open(tmp / "telar.db");
    store->rememberRepository(tmp / "press", "Open Press");
    store->rememberRepository(tmp / "loom/", "Loom");
    store->rememberRepository(tmp / "press", "Open Press CEB"); // renamed, not duplicated
    auto repos = store->repositories();
    REQUIRE(repos.size() == 2);
    CHECK(repos[0].name == "Loom");
    CHECK(repos[0].path == tmp / "loom");
    CHECK(repos[1].name == "Open Press CEB");
    CHECK(repos[1].addedAt > 1700000000);
    CHECK(repos[1].lastSeenAt >= repos[1].addedAt);

    store->indexModules(tmp / "press", {
                                           {"frame", "Frame", "Welded box frame", "CERN-OHL-S-2.0"},
                                           {"axes/x", "X axis", "Linear rail carriage", "CERN-OHL-W-2.0"},
                                           {"hopper", "Hopper", "Feeds soil into the press", "CC-BY-SA-4.0"},
                                       });
    store->indexModules(tmp / "loom", {{"heddle", "Heddle frame", "Bâti soudé pour les lisses", "PPL"}});

    auto ids = [&](const std::string& query) {
        std::vector<std::string> out;
        for (const auto& hit : store->searchModules(query))
            out.push_back(hit.repositoryName + ":" + hit.module.id);
        return out;
    };
    CHECK(ids("welded") == std::vector<std::string>{"Open Press CEB:frame"});
    CHECK(ids("Welded-box") == std::vector<std::string>{"Open Press CEB:frame"});
    CHECK(ids("soil press") == std::vector<std::string>{"Open Press CEB:hopper"});
    CHECK(ids("carr") == std::vector<std::string>{"Open Press CEB:axes/x"});
    CHECK(ids("soude") == std::vector<std::string>{"Loom:heddle"});
    CHECK(ids("ppl") == std::vector<std::string>{"Loom:heddle"});
    CHECK(ids("cern").size() == 2);
    // A name match ranks above a description match.
    CHECK(ids("frame") == std::vector<std::string>{"Open Press CEB:frame", "Loom:heddle"});
    CHECK(ids("").empty());
    CHECK(ids("\"*(").empty());
    CHECK(ids("nothing-like-it").empty());

    auto hits = store->searchModules("hopper");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].repository == tmp / "press");
    CHECK(hits[0].module.name == "Hopper");
    CHECK(hits[0].module.description == "Feeds soil into the press");
    CHECK(hits[0].module.license == "CC-BY-SA-4.0");

    // Re-indexing replaces a repository's modules.
    store->indexModules(tmp / "press", {{"frame", "Frame", "Bolted box frame", "CERN-OHL-S-2.0"}});
    CHECK(ids("soil").empty());
    CHECK(ids("welded").empty());
    CHECK(ids("bolted") == std::vector<std::string>{"Open Press CEB:frame"});
    // Indexing an unknown repository remembers it under its folder name.
    store->indexModules(tmp / "new-thing", {{"core", "Core", "Spindle", "MIT"}});
    CHECK(ids("spindle") == std::vector<std::string>{"new-thing:core"});
}

TEST_CASE("the default store path follows TELAR_HOME, then XDG_DATA_HOME, then HOME", "[core][store]") {
    ScopedEnv home("HOME", "/home/maker");
    {
        ScopedEnv telar("TELAR_HOME", "/srv/telar");
        ScopedEnv xdg("XDG_DATA_HOME", "/data");
        CHECK(Store::defaultPath() == fs::path("/srv/telar/telar.db"));
    }
    {
        ScopedEnv telar("TELAR_HOME", nullptr);
        ScopedEnv xdg("XDG_DATA_HOME", "/data");
        CHECK(Store::defaultPath() == fs::path("/data/telar/telar.db"));
    }
    {
        ScopedEnv telar("TELAR_HOME", nullptr);
        ScopedEnv xdg("XDG_DATA_HOME", "");
        CHECK(Store::defaultPath() == fs::path("/home/maker/.local/share/telar/telar.db"));
    }
}

TEST_CASE("core code reaches the store's connection through the private wrapper", "[core][store]") {
    namespace sq = telar::core::sqlite;
    TempDir tmp;
    auto store = Store::open(tmp / "telar.db");
    auto locked = telar::core::detail::lockStoreDatabase(*store);
    sq::Database& db = locked.db;
    db.exec("CREATE TABLE probe (t TEXT, i INTEGER, d REAL, b BLOB, n TEXT)");
    {
        sq::Transaction tx(db);
        db.prepare("INSERT INTO probe VALUES (?1, ?2, ?3, ?4, ?5)")
            .bindText(1, "text")
            .bindInt64(2, 9007199254740993LL)
            .bindDouble(3, 0.25)
            .bindBlob(4, std::string("a\0b", 3))
            .bindNull(5)
            .run();
        tx.commit();
    }
    {
        sq::Transaction tx(db); // rolled back: never committed
        db.exec("INSERT INTO probe (t) VALUES ('lost')");
    }
    auto st = db.prepare("SELECT t, i, d, b, n FROM probe");
    REQUIRE(st.step());
    CHECK(st.columnCount() == 5);
    CHECK(st.columnText(0) == "text");
    CHECK(st.columnInt64(1) == 9007199254740993LL);
    CHECK(st.columnDouble(2) == 0.25);
    CHECK(st.columnBlob(3) == std::string("a\0b", 3));
    CHECK(st.columnIsNull(4));
    CHECK_FALSE(st.step());
    CHECK_THROWS_AS(db.exec("SELECT * FROM no_such_table"), telar::StoreError);
    try {
        db.prepare("INSERT INTO nowhere VALUES (1)");
        FAIL("prepare should throw");
    } catch (const sq::Error& e) {
        CHECK(std::string(e.what()) ==
              "cannot prepare 'INSERT INTO nowhere VALUES (1)': no such table: nowhere");
        CHECK(e.primaryCode() == SQLITE_ERROR);
    }
}
