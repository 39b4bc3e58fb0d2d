#pragma once
// What every `telar` command shares: the global options, opening the repository and the store,
// reading the design at a revision, printing JSON, and the progress bar on a TTY.

#include "telar/core/git.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace telar::core {
class Store;
struct AttributionNotice;
}

namespace telar::cli {

// Exit codes of every command.
enum ExitCode : int {
    kOk = 0,
    kFindings = 1, // the command ran and found problems, or failed
    kUsage = 2,    // the command line was wrong
    kInterrupted = 130, // cancelled by Ctrl-C (128 + SIGINT, as shells report it)
};

// Options every command accepts (given before or after the command name).
struct Globals {
    std::string repo;  // --repo: the design repository (default: discovered from the current folder)
    std::string rev;   // --rev: the revision to read (default: the working tree)
    std::string store; // --store: the SQLite store (default: Store::defaultPath())
    bool json = false; // --json: machine-readable output on stdout
    bool quiet = false; // --quiet: no progress, no notices
};

// Shared state of one `telar` invocation.
class Context {
public:
    Globals globals;
    int exitCode = kOk; // set by the command that ran

    // The repository named by --repo, or found from the current folder. Throws UsageError with
    // a hint ("run `telar init`") when there is none.
    core::Repository& repository();
    // The design's files at --rev (from git objects), or the working tree when --rev is absent.
    std::unique_ptr<core::Tree> tree();
    // A tree at an explicit revision; empty rev means the working tree.
    std::unique_ptr<core::Tree> treeAt(const std::string& rev);
    // The local store (opened on first use). Notices about rebuilding go to stderr.
    core::Store& store();
    // The invocation's progress reporter: a bar on stderr when it is a terminal and not --quiet.
    // Every call shares one cancel flag, which Ctrl-C sets (see installInterruptHandler()).
    Progress progress();
    // Prints a notice on stderr unless --quiet.
    void notice(const std::string& text) const;

    Context();
    ~Context();

private:
    std::optional<core::Repository> m_repo;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<ProgressSink> m_sink;
    std::optional<Progress> m_progress;
};

// Ctrl-C (SIGINT) cancels the invocation's progress (Context::progress()): the running command
// stops at its next check, cleans up (no half-written file, workers stopped) and telar exits with
// kInterrupted. A second Ctrl-C ends the process at once.
void installInterruptHandler();
// Whether SIGINT arrived.
bool interrupted();

// The documented JSON of one product's attribution notice (`license notice`, `notice`).
nlohmann::json attributionNoticeJson(const core::AttributionNotice& notice);

// Prints j to stdout, indented, with a trailing newline.
void printJson(const nlohmann::json& j);

// Parses "Name <email>" into a signature stamped now. Throws UsageError when malformed.
core::Signature parseSignature(const std::string& text);

// The author for new commits: --author, else GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, else the
// repository's git config (user.name / user.email). Throws UsageError saying how to set one.
core::Signature commitAuthor(core::Repository& repo, const std::string& option);

// Registration of the command groups (one file each).
void addRepositoryCommands(CLI::App& app, Context& ctx);
void addDesignCommands(CLI::App& app, Context& ctx);
void addBomCommands(CLI::App& app, Context& ctx);
void addInspectCommands(CLI::App& app, Context& ctx);
void addLicenseCommands(CLI::App& app, Context& ctx);
// diff, merge, resolve and `bom diff` (cmd_merge.cpp; after addBomCommands)
void addMergeCommands(CLI::App&, Context&);
// release, build, get, okh (cmd_release.cpp)
void addReleaseCommands(CLI::App&, Context&);
void addRemoteCommands(CLI::App& app, Context& ctx);
// provenance, lineage, credits, notice (cmd_provenance.cpp)
void addProvenanceCommands(CLI::App&, Context&);
// adopt (cmd_adopt.cpp)
void addAdoptCommands(CLI::App&, Context&);
// import (cmd_import.cpp)
void addImportCommands(CLI::App&, Context&);

} // namespace telar::cli
