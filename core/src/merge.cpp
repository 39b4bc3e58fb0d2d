// Three-way merge of design repositories: the merge base and file-level merge through libgit2,
// manifests through the structural merge (merge_manifest.h), CAD files as part conflicts, the
// licence check before committing, and the recorded state that resolve, continue and abort use.

#include "telar/core/merge.h"

#include "git_handles.h"
#include "git_tree.h"
#include "merge_manifest.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/license_check.h"
#include "telar/core/manifest_edit.h"
#include "telar/core/remote.h"
#include "telar/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>

namespace fs = std::filesystem;

namespace telar::core {

namespace {

using detail::RepositoryAccess;
using detail::TablePath;
using GitDiffPtr = std::unique_ptr<git_diff, GitDeleter<git_diff, git_diff_free>>;
using GitIndexIterPtr =
    std::unique_ptr<git_index_conflict_iterator, GitDeleter<git_index_conflict_iterator, git_index_conflict_iterator_free>>;

constexpr const char* kStateFile = "TELAR_MERGE";
constexpr const char* kBackupDir = "TELAR_MERGE.d";

// ---- small helpers ------------------------------------------------------------------------

GitSignaturePtr makeSignature(const Signature& s) {
    git_signature* raw = nullptr;
    int rc = s.time == 0 ? git_signature_now(&raw, s.name.c_str(), s.email.c_str())
                         : git_signature_new(&raw, s.name.c_str(), s.email.c_str(), s.time, s.offsetMinutes);
    GitSignaturePtr sig(raw);
    gitCheck(rc, "invalid signature '" + s.name + " <" + s.email + ">'");
    return sig;
}

git_oid oidOf(const std::string& hex) {
    git_oid oid;
    gitCheck(git_oid_fromstr(&oid, hex.c_str()), "invalid object id '" + hex + "'");
    return oid;
}

GitCommitPtr commitOf(git_repository* g, const std::string& id) {
    git_oid oid = oidOf(id);
    git_commit* raw = nullptr;
    gitCheck(git_commit_lookup(&raw, g, &oid), "cannot read commit " + id);
    return GitCommitPtr(raw);
}

GitTreePtr treeOfCommit(git_repository* g, const std::string& id) {
    GitCommitPtr c = commitOf(g, id);
    git_tree* raw = nullptr;
    gitCheck(git_commit_tree(&raw, c.get()), "cannot read the tree of " + id);
    return GitTreePtr(raw);
}

GitTreePtr treeById(git_repository* g, const git_oid& oid) {
    git_tree* raw = nullptr;
    gitCheck(git_tree_lookup(&raw, g, &oid), "cannot read tree " + gitOidString(&oid));
    return GitTreePtr(raw);
}

std::string blobBytes(git_repository* g, const git_oid& oid) {
    git_blob* raw = nullptr;
    gitCheck(git_blob_lookup(&raw, g, &oid), "cannot read blob " + gitOidString(&oid));
    GitBlobPtr blob(raw);
    return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                       static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

git_oid writeBlob(git_repository* g, const std::string& bytes) {
    git_oid oid;
    gitCheck(git_blob_create_from_buffer(&oid, g, bytes.data(), bytes.size()), "cannot store a merged file");
    return oid;
}

// One file of a tree: its blob and mode.
struct FileAt {
    git_oid id;
    std::uint32_t mode = GIT_FILEMODE_BLOB;
};

std::optional<FileAt> fileAt(git_tree* tree, const std::string& path) {
    if (!tree) return std::nullopt;
    git_tree_entry* raw = nullptr;
    int rc = git_tree_entry_bypath(&raw, tree, path.c_str());
    GitTreeEntryPtr e(raw);
    if (rc == GIT_ENOTFOUND) return std::nullopt;
    gitCheck(rc, "cannot read '" + path + "'");
    if (git_tree_entry_type(e.get()) != GIT_OBJECT_BLOB) return std::nullopt;
    return FileAt{*git_tree_entry_id(e.get()), static_cast<std::uint32_t>(git_tree_entry_filemode(e.get()))};
}

bool isManifest(const std::string& path) {
    return path == "telar.toml" || (path.size() > 12 && path.compare(path.size() - 12, 12, "/module.toml") == 0);
}

bool looksBinary(const std::string& bytes) {
    return std::memchr(bytes.data(), '\0', std::min<std::size_t>(bytes.size(), 8000)) != nullptr;
}

std::string moduleOfManifest(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash);
}

// Paths changed between two trees (no rename detection).
std::set<std::string> changedPaths(git_repository* g, git_tree* a, git_tree* b) {
    git_diff* raw = nullptr;
    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    gitCheck(git_diff_tree_to_tree(&raw, g, a, b, &opts), "cannot compare trees");
    GitDiffPtr diff(raw);
    std::set<std::string> out;
    for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
        const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
        out.insert(d->new_file.path ? d->new_file.path : d->old_file.path);
    }
    return out;
}

std::string readDisk(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read " + file.string());
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeDisk(const fs::path& file, const std::string& bytes, std::uint32_t mode = GIT_FILEMODE_BLOB) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (fs::is_symlink(fs::symlink_status(file)) || fs::exists(fs::symlink_status(file))) fs::remove(file, ec);
    if (mode == GIT_FILEMODE_LINK) {
        fs::create_symlink(bytes, file, ec);
        if (ec) throw Error("cannot create the link " + file.string() + ": " + ec.message());
        return;
    }
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) throw Error("cannot write " + file.string());
    }
    if (mode == GIT_FILEMODE_BLOB_EXECUTABLE)
        fs::permissions(file, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                        fs::perm_options::add, ec);
}

// Removes a file and the folders it leaves empty (up to root).
void removeDisk(const fs::path& root, const fs::path& file) {
    std::error_code ec;
    fs::remove(file, ec);
    for (fs::path dir = file.parent_path(); dir != root && dir.string().size() > root.string().size();
         dir = dir.parent_path()) {
        if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec)) break;
        fs::remove(dir, ec);
    }
}

// ---- the recorded state -------------------------------------------------------------------

struct StoredConflict {
    MergeConflict c;
    TablePath table;
    std::string key;
    bool resolved = false;
};

struct State {
    std::string theirs, theirsId, oursId, baseId, branch, message;
    std::vector<StoredConflict> conflicts;
    std::vector<std::string> created;  // files the merge created (abort deletes them)
    std::vector<std::string> backedUp; // files whose bytes are kept in TELAR_MERGE.d/files
    bool licenceBlocked = false;
};

nlohmann::json toJson(const State& s) {
    nlohmann::json conflicts = nlohmann::json::array();
    for (const auto& sc : s.conflicts) {
        nlohmann::json table = nlohmann::json::array();
        for (const auto& step : sc.table) table.push_back({step.name, step.element, step.isElement});
        const auto& c = sc.c;
        conflicts.push_back({{"kind", c.kind}, {"module", c.module}, {"part", c.part}, {"field", c.field},
                             {"path", c.path}, {"base", c.base}, {"ours", c.ours}, {"theirs", c.theirs},
                             {"message", c.message}, {"table", table}, {"key", sc.key}, {"resolved", sc.resolved}});
    }
    return {{"format", "telar-merge"}, {"version", 1},          {"theirs", s.theirs},       {"theirs_id", s.theirsId},
            {"ours_id", s.oursId},     {"base_id", s.baseId},   {"branch", s.branch},       {"message", s.message},
            {"conflicts", conflicts},  {"created", s.created},  {"backed_up", s.backedUp}, {"licence_blocked", s.licenceBlocked}};
}

State fromJson(const nlohmann::json& j) {
    State s;
    s.theirs = j.at("theirs");
    s.theirsId = j.at("theirs_id");
    s.oursId = j.at("ours_id");
    s.baseId = j.at("base_id");
    s.branch = j.at("branch");
    s.message = j.at("message");
    for (const auto& c : j.at("conflicts")) {
        StoredConflict sc;
        sc.c = MergeConflict{c.at("kind"), c.at("module"), c.at("part"), c.at("field"), c.at("path"),
                             c.at("base"), c.at("ours"),   c.at("theirs"), c.at("message")};
        for (const auto& step : c.at("table")) sc.table.push_back({step.at(0), step.at(1), step.at(2)});
        sc.key = c.at("key");
        sc.resolved = c.at("resolved");
        s.conflicts.push_back(std::move(sc));
    }
    s.created = j.at("created").get<std::vector<std::string>>();
    s.backedUp = j.at("backed_up").get<std::vector<std::string>>();
    s.licenceBlocked = j.at("licence_blocked");
    return s;
}

// Paths of the merge's files inside .git.
struct Places {
    fs::path gitDir, workdir;
    fs::path state() const { return gitDir / kStateFile; }
    fs::path backup() const { return gitDir / kBackupDir; }
    fs::path backupFile(const std::string& path) const { return backup() / "files" / path; }
    fs::path indexBackup() const { return backup() / "index"; }
    fs::path work(const std::string& path) const { return workdir / path; }
};

Places placesOf(git_repository* g) {
    const char* wd = git_repository_workdir(g);
    if (!wd) throw UsageError("a bare repository cannot be merged into: clone it first");
    fs::path work(wd);
    if (!work.has_filename()) work = work.parent_path();
    fs::path gd(git_repository_path(g));
    if (!gd.has_filename()) gd = gd.parent_path();
    return {gd, work};
}

std::optional<State> loadState(const Places& p) {
    std::error_code ec;
    if (!fs::exists(p.state(), ec)) return std::nullopt;
    try {
        return fromJson(nlohmann::json::parse(readDisk(p.state())));
    } catch (const nlohmann::json::exception& e) {
        throw Error("the merge state " + p.state().string() + " is damaged (" + e.what() +
                    "): remove it and .git/MERGE_HEAD to start again");
    }
}

void saveState(const Places& p, const State& s) { writeFileAtomically(p.state(), toJson(s).dump(2) + "\n"); }

// Keeps the bytes of a working file before the merge first changes it.
void touch(const Places& p, State& s, const std::string& path) {
    if (std::find(s.created.begin(), s.created.end(), path) != s.created.end()) return;
    if (std::find(s.backedUp.begin(), s.backedUp.end(), path) != s.backedUp.end()) return;
    std::error_code ec;
    fs::path file = p.work(path);
    if (fs::exists(fs::symlink_status(file))) {
        fs::create_directories(p.backupFile(path).parent_path());
        fs::copy(file, p.backupFile(path), fs::copy_options::overwrite_existing | fs::copy_options::copy_symlinks);
        s.backedUp.push_back(path);
    } else {
        s.created.push_back(path);
    }
    saveState(p, s);
}

MergeConflict publicConflict(const StoredConflict& sc) { return sc.c; }

std::vector<MergeConflict> openConflicts(const State& s) {
    std::vector<MergeConflict> out;
    for (const auto& sc : s.conflicts)
        if (!sc.resolved) out.push_back(publicConflict(sc));
    return out;
}

// ---- licences ---------------------------------------------------------------------------------

std::string findingKey(const LicenseFinding& f) {
    return std::string(f.severity == Severity::Error ? "E" : "W") + "|" + f.code + "|" + f.module + "|" + f.part +
           "|" + f.message;
}

struct LicenceDelta {
    std::vector<std::string> findings; // "error: …" / "warning: …"
    bool errors = false;
};

// Findings of the design in `after` that the design in `before` does not have.
LicenceDelta newLicenceFindings(const Tree& before, const Tree& after) {
    const Catalog catalog = Catalog::loadDefault();
    Design b = loadDesign(before, catalog);
    Design a = loadDesign(after, catalog);
    std::set<std::string> known;
    if (b.hasProject)
        for (const auto& f : checkLicenses(b, before).findings) known.insert(findingKey(f));
    LicenceDelta delta;
    if (!a.hasProject) return delta;
    for (const auto& f : checkLicenses(a, after).findings) {
        if (known.count(findingKey(f))) continue;
        delta.findings.push_back(std::string(f.severity == Severity::Error ? "error: " : "warning: ") + f.str());
        if (f.severity == Severity::Error) delta.errors = true;
    }
    return delta;
}

std::unique_ptr<Tree> treeView(const std::shared_ptr<detail::GitRepositoryHandle>& h, const git_oid& tree,
                               const std::string& describe) {
    return std::make_unique<GitTree>(h, treeById(h->repo.get(), tree), "", describe);
}

// ---- committing ---------------------------------------------------------------------------

void cleanupState(git_repository* g, const Places& p) {
    gitCheck(git_repository_state_cleanup(g), "cannot clear the merge state");
    std::error_code ec;
    fs::remove(p.state(), ec);
    fs::remove_all(p.backup(), ec);
}

// Stages every file the merge touched and commits the index with parents ours and theirs when
// the licence check allows it.
MergeResult commitMerge(Repository& repo, State& s, const Places& p, const Signature& who, const MergeOptions& options) {
    const auto& h = RepositoryAccess::handle(repo);
    std::lock_guard lock(h->mutex);
    git_repository* g = h->repo.get();
    MergeResult result;
    git_index* rawIndex = nullptr;
    gitCheck(git_repository_index(&rawIndex, g), "cannot open the index");
    GitIndexPtr index(rawIndex);
    std::set<std::string> paths(s.created.begin(), s.created.end());
    paths.insert(s.backedUp.begin(), s.backedUp.end());
    for (const auto& path : paths) {
        if (fs::exists(fs::symlink_status(p.work(path)))) gitCheck(git_index_add_bypath(index.get(), path.c_str()), "cannot stage " + path);
        else if (git_index_get_bypath(index.get(), path.c_str(), 0) || git_index_has_conflicts(index.get()))
            gitCheck(git_index_remove_bypath(index.get(), path.c_str()), "cannot unstage " + path);
    }
    if (git_index_has_conflicts(index.get())) throw GitError("the index still has conflicts: resolve them first");
    git_oid treeId;
    gitCheck(git_index_write_tree(&treeId, index.get()), "cannot write the merged tree");

    auto before = repo.treeAt(s.oursId);
    auto after = treeView(h, treeId, "merge of " + s.theirs);
    LicenceDelta delta = newLicenceFindings(*before, *after);
    result.licenceFindings = delta.findings;
    if (delta.errors && !options.allowLicenceFindings) {
        gitCheck(git_index_write(index.get()), "cannot write the index");
        s.licenceBlocked = true;
        saveState(p, s);
        return result;
    }
    GitTreePtr tree = treeById(g, treeId);
    GitCommitPtr ours = commitOf(g, s.oursId);
    GitCommitPtr theirs = commitOf(g, s.theirsId);
    const git_commit* parents[] = {ours.get(), theirs.get()};
    GitSignaturePtr sig = makeSignature(who);
    git_oid commitId;
    gitCheck(git_commit_create(&commitId, g, "HEAD", sig.get(), sig.get(), nullptr, s.message.c_str(), tree.get(), 2, parents),
             "cannot create the merge commit");
    gitCheck(git_index_write(index.get()), "cannot write the index");
    cleanupState(g, p);
    result.committed = true;
    result.commitId = gitOidString(&commitId);
    return result;
}

// ---- restoring ----------------------------------------------------------------------------

void restore(git_repository* g, const Places& p, const State& s) {
    std::error_code ec;
    for (const auto& path : s.created) removeDisk(p.workdir, p.work(path));
    for (const auto& path : s.backedUp) {
        fs::remove(p.work(path), ec);
        fs::create_directories(p.work(path).parent_path(), ec);
        fs::copy(p.backupFile(path), p.work(path), fs::copy_options::overwrite_existing | fs::copy_options::copy_symlinks);
    }
    if (fs::exists(p.indexBackup())) fs::copy_file(p.indexBackup(), p.gitDir / "index", fs::copy_options::overwrite_existing);
    else fs::remove(p.gitDir / "index", ec);
    git_index* rawIndex = nullptr;
    gitCheck(git_repository_index(&rawIndex, g), "cannot open the index");
    GitIndexPtr index(rawIndex);
    gitCheck(git_index_read(index.get(), 1), "cannot reload the index");
    // HEAD back where it was (it only moves when a commit happened, which ends the merge).
    git_oid head;
    if (git_reference_name_to_id(&head, g, "HEAD") == 0 && gitOidString(&head) != s.oursId) {
        git_oid ours = oidOf(s.oursId);
        if (s.branch.empty()) gitCheck(git_repository_set_head_detached(g, &ours), "cannot restore HEAD");
        else {
            git_reference* raw = nullptr;
            gitCheck(git_reference_create(&raw, g, ("refs/heads/" + s.branch).c_str(), &ours, 1, "merge --abort"),
                     "cannot restore " + s.branch);
            GitReferencePtr ref(raw);
        }
    }
    cleanupState(g, p);
}

// ---- the merge --------------------------------------------------------------------------------

struct PathMerge {
    std::string path;
    std::optional<FileAt> base, ours, theirs;
    bool gitConflict = false;
};

// Parts (module, part id) whose file is path, in ours then theirs.
std::optional<std::pair<std::string, std::string>> partOfFile(const Design& ours, const Design& theirs,
                                                              const std::string& path) {
    for (const Design* d : {&ours, &theirs})
        for (const auto& [id, m] : d->modules)
            for (const auto& part : m.parts)
                if (part.filePath == path) return std::make_pair(id, part.id);
    return std::nullopt;
}

bool isAssemblyFile(const Design& ours, const Design& theirs, const std::string& path) {
    for (const Design* d : {&ours, &theirs})
        for (const auto& [id, m] : d->modules)
            for (const auto& a : m.assemblies)
                if (a.filePath == path) return true;
    return false;
}

std::string blobText(const std::optional<FileAt>& f) { return f ? gitOidString(&f->id) : "deleted"; }

git_index_entry entryFor(const std::string& path, const FileAt& f) {
    git_index_entry e;
    std::memset(&e, 0, sizeof e);
    e.mode = f.mode;
    e.id = f.id;
    e.path = path.c_str();
    return e;
}

} // namespace

MergeResult mergeRevision(Repository& repo, const std::string& theirs, const Signature& who, const Progress& progress) {
    return mergeRevision(repo, theirs, who, MergeOptions{}, progress);
}

MergeResult mergeRevision(Repository& repo, const std::string& theirs, const Signature& who, const MergeOptions& options,
                          const Progress& progress) {
    const auto& h = RepositoryAccess::handle(repo);
    std::lock_guard lock(h->mutex);
    git_repository* g = h->repo.get();
    const Places p = placesOf(g);
    if (auto s = loadState(p))
        throw UsageError("a merge of " + s->theirs + " is in progress: settle it with `telar resolve`, "
                         "`telar merge --continue`, or `telar merge --abort`");
    auto theirsId = repo.resolve(theirs);
    if (!theirsId) throw UsageError("unknown revision '" + theirs + "' (try a branch, a tag or a commit id)");
    auto oursId = repo.resolve("HEAD");
    if (!oursId) throw UsageError("HEAD has no commit yet: commit something before merging");
    std::vector<std::string> dirty;
    std::set<std::string> untracked;
    for (const auto& e : repo.status()) {
        if (e.index == '?') untracked.insert(e.path);
        else dirty.push_back(e.path);
    }
    if (!dirty.empty()) {
        std::string list;
        for (std::size_t i = 0; i < dirty.size() && i < 5; ++i) list += (i ? ", " : "") + dirty[i];
        if (dirty.size() > 5) list += ", …";
        throw UsageError("the working tree has uncommitted changes (" + list +
                         "): commit them (`telar commit`) or put them aside before merging");
    }
    progress.report(0.05, "finding the merge base");
    MergeResult result;
    git_oid ours = oidOf(*oursId), their = oidOf(*theirsId), baseOid;
    int rc = git_merge_base(&baseOid, g, &ours, &their);
    if (rc == GIT_ENOTFOUND) throw UsageError(theirs + " shares no history with HEAD: nothing to merge from");
    gitCheck(rc, "cannot find the merge base of HEAD and " + theirs);
    const std::string baseId = gitOidString(&baseOid);
    if (baseId == *theirsId) {
        result.upToDate = true;
        result.commitId = *oursId;
        return result;
    }
    GitTreePtr oursTree = treeOfCommit(g, *oursId);
    GitTreePtr theirsTree = treeOfCommit(g, *theirsId);
    auto collisions = [&](git_tree* target) {
        std::vector<std::string> hits;
        for (const auto& path : changedPaths(g, oursTree.get(), target))
            if (untracked.count(path)) hits.push_back(path);
        if (!hits.empty()) {
            std::string list;
            for (const auto& x : hits) list += (list.empty() ? "" : ", ") + x;
            throw UsageError("untracked files would be overwritten by the merge (" + list + "): move them away first");
        }
    };

    if (baseId == *oursId && !options.noFastForward) { // fast-forward
        progress.report(0.3, "checking licences");
        auto before = repo.treeAt(*oursId);
        auto after = repo.treeAt(*theirsId);
        LicenceDelta delta = newLicenceFindings(*before, *after);
        result.licenceFindings = delta.findings;
        if (delta.errors && !options.allowLicenceFindings) return result;
        collisions(theirsTree.get());
        progress.throwIfCancelled();
        git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
        co.checkout_strategy = GIT_CHECKOUT_SAFE;
        gitCheck(git_checkout_tree(g, reinterpret_cast<git_object*>(theirsTree.get()), &co),
                 "cannot check out " + theirs);
        git_reference* rawHead = nullptr;
        gitCheck(git_repository_head(&rawHead, g), "cannot read HEAD");
        GitReferencePtr head(rawHead);
        if (git_repository_head_detached(g) == 1) {
            gitCheck(git_repository_set_head_detached(g, &their), "cannot move HEAD");
        } else {
            git_reference* rawNew = nullptr;
            gitCheck(git_reference_set_target(&rawNew, head.get(), &their, ("merge " + theirs + ": Fast-forward").c_str()),
                     "cannot move the branch");
            GitReferencePtr moved(rawNew);
        }
        result.fastForward = true;
        result.commitId = *theirsId;
        return result;
    }

    // ---- a real three-way merge ----
    progress.report(0.1, "merging trees");
    GitTreePtr baseTree = treeOfCommit(g, baseId);
    git_merge_options mo = GIT_MERGE_OPTIONS_INIT;
    mo.flags = 0; // no rename detection: paths are identities (module folders, CAD files)
    git_index* rawMerged = nullptr;
    gitCheck(git_merge_trees(&rawMerged, g, baseTree.get(), oursTree.get(), theirsTree.get(), &mo),
             "cannot merge " + theirs);
    GitIndexPtr merged(rawMerged);

    std::map<std::string, PathMerge> both; // paths changed on both sides, and git's conflicts
    {
        auto a = changedPaths(g, baseTree.get(), oursTree.get());
        auto b = changedPaths(g, baseTree.get(), theirsTree.get());
        for (const auto& path : a)
            if (b.count(path)) both[path].path = path;
        // [upstream] and [[lineage]] stay ours: telar.toml changed by theirs alone goes through
        // the structural merge too when its fork record differs from ours.
        if (b.count("telar.toml") && !a.count("telar.toml") && forkRecordDiffers(repo, *oursId, *theirsId))
            both["telar.toml"].path = "telar.toml";
        git_index_conflict_iterator* rawIt = nullptr;
        gitCheck(git_index_conflict_iterator_new(&rawIt, merged.get()), "cannot list conflicts");
        GitIndexIterPtr it(rawIt);
        const git_index_entry *anc, *our, *thr;
        while (git_index_conflict_next(&anc, &our, &thr, it.get()) == 0) {
            const char* path = anc ? anc->path : our ? our->path : thr->path;
            both[path].path = path;
            both[path].gitConflict = true;
        }
    }
    const Catalog catalog = Catalog::loadDefault();
    auto oursView = repo.treeAt(*oursId);
    auto theirsView = repo.treeAt(*theirsId);
    const Design oursDesign = loadDesign(*oursView, catalog);
    const Design theirsDesign = loadDesign(*theirsView, catalog);

    State state;
    state.theirs = theirs;
    state.theirsId = *theirsId;
    state.oursId = *oursId;
    state.baseId = baseId;
    state.branch = repo.currentBranch();
    state.message = "Merge " + theirs + (state.branch.empty() ? "" : " into " + state.branch) + "\n";

    struct Outcome {
        std::optional<std::string> working; // nullopt: the file is deleted
        std::uint32_t mode = GIT_FILEMODE_BLOB;
        bool conflicted = false;
        PathMerge pm;
    };
    std::vector<Outcome> outcomes;
    for (auto& [path, pm] : both) {
        progress.throwIfCancelled();
        pm.base = fileAt(baseTree.get(), path);
        pm.ours = fileAt(oursTree.get(), path);
        pm.theirs = fileAt(theirsTree.get(), path);
        if (pm.ours && pm.theirs && git_oid_equal(&pm.ours->id, &pm.theirs->id)) continue;
        if (!pm.ours && !pm.theirs) continue;
        Outcome out;
        out.pm = pm;
        out.mode = pm.ours ? pm.ours->mode : pm.theirs->mode;
        auto bytes = [&](const std::optional<FileAt>& f) -> std::optional<std::string> {
            if (!f) return std::nullopt;
            return blobBytes(g, f->id);
        };
        const auto partRef = partOfFile(oursDesign, theirsDesign, path);
        if (isManifest(path) && pm.ours && pm.theirs) {
            auto mm = detail::mergeManifestText(bytes(pm.base), *bytes(pm.ours), *bytes(pm.theirs), path);
            out.working = mm.text;
            for (auto& mc : mm.conflicts) {
                StoredConflict sc;
                sc.c = MergeConflict{mc.kind, moduleOfManifest(path), mc.part, mc.field, path,
                                     mc.base, mc.ours,              mc.theirs, path + ": " + mc.message};
                if (mc.kind == "file") sc.c.base = blobText(pm.base), sc.c.ours = blobText(pm.ours), sc.c.theirs = blobText(pm.theirs);
                sc.table = mc.table;
                sc.key = mc.key;
                state.conflicts.push_back(std::move(sc));
                out.conflicted = true;
            }
        } else if (!pm.gitConflict && !partRef && !isAssemblyFile(oursDesign, theirsDesign, path)) {
            continue; // git merged it cleanly
        } else {
            StoredConflict sc;
            sc.c.path = path;
            sc.c.base = blobText(pm.base);
            sc.c.ours = blobText(pm.ours);
            sc.c.theirs = blobText(pm.theirs);
            const std::string how = !pm.ours ? "deleted in ours, changed in theirs"
                                    : !pm.theirs ? "changed in ours, deleted in theirs"
                                                 : "changed on both sides";
            if (partRef) {
                sc.c.kind = "part";
                sc.c.module = partRef->first;
                sc.c.part = partRef->second;
                sc.c.message = "part " + partRef->second + " (" + path + "): CAD file " + how;
            } else {
                sc.c.kind = "file";
                sc.c.module = isManifest(path) ? moduleOfManifest(path) : "";
                sc.c.message = path + ": " + how;
            }
            std::optional<std::string> o = bytes(pm.ours), t = bytes(pm.theirs);
            out.working = o ? o : t;
            if (o && t && !partRef && !isAssemblyFile(oursDesign, theirsDesign, path) && !looksBinary(*o) &&
                !looksBinary(*t)) {
                std::optional<std::string> b = bytes(pm.base);
                git_merge_file_input in[3];
                const std::string* texts[3] = {b ? &*b : nullptr, &*o, &*t};
                for (int i = 0; i < 3; ++i) {
                    git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
                    if (texts[i]) {
                        in[i].ptr = texts[i]->data();
                        in[i].size = texts[i]->size();
                    }
                    in[i].path = path.c_str();
                }
                git_merge_file_options fo = GIT_MERGE_FILE_OPTIONS_INIT;
                const std::string ourLabel = state.branch.empty() ? "HEAD" : state.branch;
                fo.our_label = ourLabel.c_str();
                fo.their_label = theirs.c_str();
                git_merge_file_result fr;
                std::memset(&fr, 0, sizeof fr);
                gitCheck(git_merge_file(&fr, &in[0], &in[1], &in[2], &fo), "cannot merge " + path);
                out.working = std::string(fr.ptr ? fr.ptr : "", fr.len);
                git_merge_file_result_free(&fr);
                sc.c.message += " (conflict markers in the file)";
            }
            state.conflicts.push_back(std::move(sc));
            out.conflicted = true;
        }
        outcomes.push_back(std::move(out));
    }

    // The working result: git's merge with our decisions for the paths above.
    for (const auto& out : outcomes) {
        const std::string& path = out.pm.path;
        git_index_conflict_remove(merged.get(), path.c_str()); // absent when git merged it cleanly
        git_index_remove(merged.get(), path.c_str(), 0);
        if (out.working) {
            FileAt f{writeBlob(g, *out.working), out.mode};
            git_index_entry e = entryFor(path, f);
            gitCheck(git_index_add(merged.get(), &e), "cannot record the merge of " + path);
        }
    }
    // Conflicts git saw that are not ours to decide (e.g. type changes) are kept as ours.
    if (git_index_has_conflicts(merged.get())) {
        git_index_conflict_iterator* rawIt = nullptr;
        gitCheck(git_index_conflict_iterator_new(&rawIt, merged.get()), "cannot list conflicts");
        GitIndexIterPtr it(rawIt);
        std::vector<std::pair<std::string, std::optional<git_index_entry>>> rest;
        const git_index_entry *anc, *our, *thr;
        while (git_index_conflict_next(&anc, &our, &thr, it.get()) == 0)
            rest.emplace_back(anc ? anc->path : our ? our->path : thr->path,
                              our ? std::optional<git_index_entry>(*our) : std::nullopt);
        it.reset();
        for (auto& [path, ourEntry] : rest) {
            StoredConflict sc;
            sc.c = MergeConflict{"file", "", "", "", path, "", "", "", path + ": changed in different ways on both sides"};
            state.conflicts.push_back(sc);
            auto oursFile = fileAt(oursTree.get(), path);
            git_index_conflict_remove(merged.get(), path.c_str());
            if (oursFile) {
                git_index_entry e = entryFor(path, *oursFile);
                gitCheck(git_index_add(merged.get(), &e), "cannot record " + path);
            }
        }
    }
    // by path; within a manifest in the order the merge met them
    std::stable_sort(state.conflicts.begin(), state.conflicts.end(),
                     [](const StoredConflict& a, const StoredConflict& b) { return a.c.path < b.c.path; });
    git_oid workingTreeId;
    gitCheck(git_index_write_tree_to(&workingTreeId, merged.get(), g), "cannot write the merged tree");

    progress.report(0.5, "checking licences");
    {
        auto after = treeView(h, workingTreeId, "merge of " + theirs);
        LicenceDelta delta = newLicenceFindings(*oursView, *after);
        result.licenceFindings = delta.findings;
        if (state.conflicts.empty() && delta.errors && !options.allowLicenceFindings) return result;
    }
    GitTreePtr workingTree = treeById(g, workingTreeId);
    collisions(workingTree.get());
    progress.throwIfCancelled();

    // ---- write: state and backups first, then files, then the index ----
    progress.report(0.7, "writing the merge");
    fs::create_directories(p.backup());
    if (fs::exists(p.gitDir / "index")) fs::copy_file(p.gitDir / "index", p.indexBackup(), fs::copy_options::overwrite_existing);
    saveState(p, state);
    try {
        git_diff* rawDiff = nullptr;
        git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
        gitCheck(git_diff_tree_to_tree(&rawDiff, g, oursTree.get(), workingTree.get(), &dopts), "cannot compare trees");
        GitDiffPtr diff(rawDiff);
        git_index* rawIndex = nullptr;
        gitCheck(git_repository_index(&rawIndex, g), "cannot open the index");
        GitIndexPtr index(rawIndex);
        for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
            const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
            const std::string path = d->new_file.path ? d->new_file.path : d->old_file.path;
            touch(p, state, path);
            if (d->status == GIT_DELTA_DELETED) {
                removeDisk(p.workdir, p.work(path));
                gitCheck(git_index_remove_bypath(index.get(), path.c_str()), "cannot unstage " + path);
            } else {
                writeDisk(p.work(path), blobBytes(g, d->new_file.id), d->new_file.mode);
                gitCheck(git_index_add_bypath(index.get(), path.c_str()), "cannot stage " + path);
            }
        }
        // Conflicted paths carry git's three stages so `git status` shows them too.
        std::set<std::string> conflictedPaths;
        for (const auto& sc : state.conflicts) conflictedPaths.insert(sc.c.path);
        for (const auto& path : conflictedPaths) {
            auto b = fileAt(baseTree.get(), path), o = fileAt(oursTree.get(), path), t = fileAt(theirsTree.get(), path);
            git_index_remove(index.get(), path.c_str(), 0);
            git_index_entry eb, eo, et;
            if (b) eb = entryFor(path, *b);
            if (o) eo = entryFor(path, *o);
            if (t) et = entryFor(path, *t);
            gitCheck(git_index_conflict_add(index.get(), b ? &eb : nullptr, o ? &eo : nullptr, t ? &et : nullptr),
                     "cannot record the conflict on " + path);
        }
        gitCheck(git_index_write(index.get()), "cannot write the index");
        writeFileAtomically(p.gitDir / "MERGE_HEAD", *theirsId + "\n");
        writeFileAtomically(p.gitDir / "MERGE_MSG", state.message);
    } catch (...) {
        restore(g, p, state); // put everything back as it was, then report the failure
        throw;
    }
    if (!state.conflicts.empty()) {
        result.conflicts = openConflicts(state);
        return result;
    }
    progress.report(0.9, "committing");
    MergeResult done = commitMerge(repo, state, p, who, options);
    done.licenceFindings = result.licenceFindings;
    progress.report(1.0);
    return done;
}

void abortMerge(Repository& repo) {
    const auto& h = RepositoryAccess::handle(repo);
    std::lock_guard lock(h->mutex);
    git_repository* g = h->repo.get();
    const Places p = placesOf(g);
    auto s = loadState(p);
    if (!s) throw UsageError("no merge is in progress");
    restore(g, p, *s);
}

std::optional<MergeState> mergeInProgress(const Repository& repo) {
    const auto& h = RepositoryAccess::handle(repo);
    std::lock_guard lock(h->mutex);
    const Places p = placesOf(h->repo.get());
    auto s = loadState(p);
    if (!s) return std::nullopt;
    MergeState out;
    out.theirs = s->theirs;
    out.theirsId = s->theirsId;
    out.oursId = s->oursId;
    out.baseId = s->baseId;
    out.branch = s->branch;
    out.conflicts = openConflicts(*s);
    out.licenceBlocked = s->licenceBlocked;
    return out;
}

MergeResult continueMerge(Repository& repo, const Signature& who, const MergeOptions& options) {
    const auto& h = RepositoryAccess::handle(repo);
    std::lock_guard lock(h->mutex);
    const Places p = placesOf(h->repo.get());
    auto s = loadState(p);
    if (!s) throw UsageError("no merge is in progress");
    MergeResult result;
    result.conflicts = openConflicts(*s);
    if (!result.conflicts.empty()) return result;
    return commitMerge(repo, *s, p, who, options);
}

// ---- resolving ------------------------------------------------------------------------------

namespace {

// "side-plate.step" → "side-plate-theirs.step" (then -theirs-2, … when taken).
std::string derivedPath(const std::string& path, const std::function<bool(const std::string&)>& taken) {
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    std::string name = path.substr(dir.size());
    auto dot = name.find('.');
    std::string stem = dot == std::string::npos ? name : name.substr(0, dot);
    std::string ext = dot == std::string::npos ? "" : name.substr(dot);
    for (int n = 1;; ++n) {
        std::string candidate = dir + stem + "-theirs" + (n > 1 ? "-" + std::to_string(n) : "") + ext;
        if (!taken(candidate)) return candidate;
    }
}

bool matches(const StoredConflict& sc, const std::string& arg) {
    const auto& c = sc.c;
    if (c.path == arg) return true;
    if (!c.part.empty() && (c.part == arg || c.module + "/" + c.part == arg)) return true;
    return false;
}

} // namespace

MergeResult resolveConflict(Repository& repo, const std::string& partOrPath, ResolveChoice choice, const Signature& who) {
    const auto& h = RepositoryAccess::handle(repo);
    std::lock_guard lock(h->mutex);
    git_repository* g = h->repo.get();
    const Places p = placesOf(g);
    auto loaded = loadState(p);
    if (!loaded) throw UsageError("no merge is in progress");
    State& s = *loaded;
    std::string arg = partOrPath;
    while (arg.size() > 1 && arg.back() == '/') arg.pop_back();

    std::vector<StoredConflict*> hits;
    for (auto& sc : s.conflicts)
        if (!sc.resolved && matches(sc, arg)) hits.push_back(&sc);
    if (hits.empty()) {
        std::string list;
        for (const auto& c : openConflicts(s))
            list += "\n  " + (c.part.empty() ? c.path : c.module + "/" + c.part) + (c.field.empty() ? "" : " " + c.field);
        throw UsageError("no unresolved conflict matches '" + partOrPath + "'" +
                         (list.empty() ? " (none remain: run `telar merge --continue`)" : "; remaining:" + list));
    }
    std::set<std::string> modules;
    for (auto* sc : hits)
        if (sc->c.part == arg) modules.insert(sc->c.module);
    if (modules.size() > 1)
        throw UsageError("'" + arg + "' names parts in several modules: write MODULE/" + arg);
    if (choice == ResolveChoice::Both)
        for (auto* sc : hits)
            if (sc->c.kind == "field" || sc->c.kind == "use" || !sc->key.empty() || isManifest(sc->c.path) ||
                (!sc->table.empty()))
                throw UsageError(sc->c.message + ": --both keeps two versions of a file; choose --ours or --theirs here");

    GitTreePtr theirsTree = treeOfCommit(g, s.theirsId);
    GitTreePtr oursTree = treeOfCommit(g, s.oursId);
    std::set<std::string> touchedPaths;
    for (auto* sc : hits) {
        const std::string& path = sc->c.path;
        touchedPaths.insert(path);
        if (choice == ResolveChoice::Ours && (isManifest(path) && sc->c.kind != "file")) {
            sc->resolved = true; // ours is what the working file holds
            continue;
        }
        auto theirsFile = fileAt(theirsTree.get(), path);
        auto oursFile = fileAt(oursTree.get(), path);
        touch(p, s, path);
        if (isManifest(path) && sc->c.kind != "file") { // Theirs for a field or record
            std::string current = readDisk(p.work(path));
            std::string theirsText = theirsFile ? blobBytes(g, theirsFile->id) : std::string();
            writeDisk(p.work(path), detail::applyTheirs(current, theirsText, sc->table, sc->key, path));
        } else if (choice == ResolveChoice::Both) {
            if (theirsFile && oursFile) {
                auto taken = [&](const std::string& candidate) {
                    return fs::exists(fs::symlink_status(p.work(candidate))) || fileAt(oursTree.get(), candidate) ||
                           fileAt(theirsTree.get(), candidate);
                };
                const std::string copy = derivedPath(path, taken);
                touch(p, s, copy);
                writeDisk(p.work(copy), blobBytes(g, theirsFile->id), theirsFile->mode);
                touchedPaths.insert(copy);
                writeDisk(p.work(path), blobBytes(g, oursFile->id), oursFile->mode);
                if (sc->c.kind == "part") {
                    // theirs' record of the part, under a derived id, pointing at the copy
                    const std::string manifest = sc->c.module + "/module.toml";
                    auto theirsManifest = fileAt(theirsTree.get(), manifest);
                    if (!theirsManifest) throw UsageError(manifest + " does not exist in " + s.theirs);
                    std::vector<Diagnostic> diags;
                    ModuleManifest tm = parseModuleManifest(blobBytes(g, theirsManifest->id), manifest, sc->c.module, diags);
                    const Part* tp = tm.findPart(sc->c.part);
                    if (!tp) throw UsageError("part " + sc->c.part + " is not in " + manifest + " of " + s.theirs);
                    std::string current = readDisk(p.work(manifest));
                    std::vector<Diagnostic> cd;
                    ModuleManifest cm = parseModuleManifest(current, manifest, sc->c.module, cd);
                    Part part = *tp;
                    part.id = tp->id + "-theirs";
                    for (int n = 2; cm.findPart(part.id); ++n) part.id = tp->id + "-theirs-" + std::to_string(n);
                    const std::string moduleDir = sc->c.module + "/";
                    part.file = copy.rfind(moduleDir, 0) == 0 ? copy.substr(moduleDir.size()) : copy;
                    std::vector<std::string> extra;
                    if (fs::exists(p.work("telar.toml"))) {
                        std::vector<Diagnostic> pd;
                        extra = parseProjectManifest(readDisk(p.work("telar.toml")), "telar.toml", pd).declaredLicenseIds();
                    }
                    touch(p, s, manifest);
                    writeDisk(p.work(manifest), appendPart(current, manifest, part, extra));
                    touchedPaths.insert(manifest);
                }
            } else if (theirsFile) {
                writeDisk(p.work(path), blobBytes(g, theirsFile->id), theirsFile->mode);
            }
        } else {
            const auto& chosen = choice == ResolveChoice::Ours ? oursFile : theirsFile;
            if (chosen) writeDisk(p.work(path), blobBytes(g, chosen->id), chosen->mode);
            else removeDisk(p.workdir, p.work(path));
        }
        sc->resolved = true;
    }
    // Stage every path without open conflicts.
    git_index* rawIndex = nullptr;
    gitCheck(git_repository_index(&rawIndex, g), "cannot open the index");
    GitIndexPtr index(rawIndex);
    for (const auto& path : touchedPaths) {
        bool open = false;
        for (const auto& sc : s.conflicts)
            if (!sc.resolved && sc.c.path == path) open = true;
        if (open) continue;
        if (fs::exists(fs::symlink_status(p.work(path)))) gitCheck(git_index_add_bypath(index.get(), path.c_str()), "cannot stage " + path);
        else gitCheck(git_index_remove_bypath(index.get(), path.c_str()), "cannot unstage " + path);
    }
    gitCheck(git_index_write(index.get()), "cannot write the index");
    saveState(p, s);
    MergeResult result;
    result.conflicts = openConflicts(s);
    if (!result.conflicts.empty()) return result;
    return commitMerge(repo, s, p, who, MergeOptions{});
}

} // namespace telar::core
