#pragma once
// The per-user SQLite store (DESIGN.md §11): caches, counters, known repositories and full-text
// search over their modules. It is a cache: deleting it loses nothing but time, and a corrupt or
// incompatible file is moved aside and rebuilt with a notice. Schema and policy: docs/store.md.
// No SQLite type shows here; core code that needs raw SQL uses the private accessor in
// core/src/sqlite_util.h.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

namespace sqlite {
class Database; // private: core/src/sqlite_util.h
}
class Store;
namespace detail {
struct StoreDatabaseLock;
StoreDatabaseLock lockStoreDatabase(Store& store);
} // namespace detail

// A repository the user has worked with. Times are unix seconds.
struct KnownRepository {
    std::filesystem::path path;
    std::string name;
    int64_t addedAt = 0;
    int64_t lastSeenAt = 0;
};

// What the search index keeps of a module: id is its folder path ("axes/x").
struct ModuleSummary {
    std::string id;
    std::string name;
    std::string description;
    std::string license;
};

// A search result: the module and the repository it lives in, best match first.
struct ModuleHit {
    std::filesystem::path repository;
    std::string repositoryName;
    ModuleSummary module;
};

// One connection to the store file. Non-copyable; safe to share between threads (calls are
// serialised by an internal mutex). Several Stores — in this process or others, such as the CLI
// and the desktop app — may use the same file at once: WAL mode and a 5 s busy timeout.
// Every method throws StoreError when SQLite fails in a way the store cannot recover from.
class Store {
public:
    // Opens (creating folders and file as needed) and migrates the store at file. A file that
    // is not a database, fails `PRAGMA quick_check` (run when the last check is a day old, or
    // when damage was met since), or was written by a newer Telar or another program is renamed
    // to FILE.broken-<UTC timestamp> (with its -wal/-shm), a fresh store is created, and notice
    // gets one line saying so (when notice is empty the line goes to stderr). notice is kept for
    // later damage reports. Throws StoreError when the file cannot be opened or rebuilt (e.g.
    // permissions).
    static std::unique_ptr<Store> open(const std::filesystem::path& file,
                                       std::function<void(const std::string&)> notice = {});
    // $TELAR_HOME/telar.db, else $XDG_DATA_HOME/telar/telar.db, else ~/.local/share/telar/telar.db
    // (relative to the current folder when none of these is set).
    static std::filesystem::path defaultPath();
    // The schema version this build creates and understands (the last migration's number).
    static int latestSchemaVersion();

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // The store's file.
    const std::filesystem::path& path() const { return m_path; }
    // The schema version of the open file (PRAGMA user_version).
    int schemaVersion() const;

    // The cached value for (kind, key), or nullopt. A value whose checksum does not match is
    // deleted and reported as a miss, so a damaged entry is recomputed rather than used. When
    // SQLite finds the file itself damaged, the cache methods report a miss / do nothing, tell
    // notice once, and leave a marker so the next open checks and rebuilds the store.
    std::optional<std::string> cacheGet(std::string_view kind, std::string_view key);
    // Stores value (any bytes) for (kind, key), replacing what was there.
    void cachePut(std::string_view kind, std::string_view key, std::string_view value);
    // Drops the cached values of one kind, or all of them when kind is empty.
    void cacheClear(std::string_view kind = "");

    // Adds by to the named counter (created at 0). For tests and benchmarks ("cad.analysed").
    void bumpCounter(std::string_view name, int64_t by = 1);
    // The counter's value; 0 when it was never bumped.
    int64_t counter(std::string_view name);

    // Records (or renames, and marks as seen now) the repository at path (made absolute).
    void rememberRepository(const std::filesystem::path& path, const std::string& name);
    // Known repositories, sorted by name then path.
    std::vector<KnownRepository> repositories();
    // Replaces the search index of repo's modules with modules (remembering repo, named after its
    // folder, when it is not known yet).
    void indexModules(const std::filesystem::path& repo, const std::vector<ModuleSummary>& modules);
    // Modules whose id, name, description or licence contain every word of query (words match as
    // prefixes, case- and accent-insensitively), best first. An empty query finds nothing.
    std::vector<ModuleHit> searchModules(const std::string& query);

private:
    Store(std::filesystem::path path, std::unique_ptr<sqlite::Database> db,
          std::function<void(const std::string&)> notice);
    // Records that SQLite found the file damaged (reason): leaves the marker that makes the next
    // open run quick_check, and tells notice once. Caller holds m_mutex.
    void noteDamage(const std::string& reason);
    // Runs body under m_mutex; damage found by SQLite is noted, then rethrown as StoreError.
    template <typename Body>
    auto guarded(Body&& body);
    friend detail::StoreDatabaseLock detail::lockStoreDatabase(Store& store);

    std::filesystem::path m_path;
    std::unique_ptr<sqlite::Database> m_db;
    std::function<void(const std::string&)> m_notice;
    bool m_damageNoted = false;
    mutable std::mutex m_mutex; // serialises use of m_db
};

} // namespace telar::core
