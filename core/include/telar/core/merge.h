#pragma once
// Three-way merge of design repositories (DESIGN.md §8). The merge base comes from git; files
// other than manifests merge like git merges them; manifests (telar.toml, module.toml) merge
// structurally: parts, uses, assemblies and licences are records keyed by their id, fields are
// compared base/ours/theirs, so edits to different records or fields merge cleanly and the same
// field changed both ways is one conflict on that field. The merged manifest is our text patched
// in place, so comments survive. A CAD file changed on both sides is a conflict on its part.
// [upstream] and [[lineage]] of telar.toml say where THIS repository was forked from: a merge
// never changes them (ours is kept, whatever theirs added, removed or changed there).
//
// While conflicts remain, the merge is recorded in the repository (.git/MERGE_HEAD, MERGE_MSG and
// .git/TELAR_MERGE with backups in .git/TELAR_MERGE.d) and abortMerge() restores the exact prior
// state: HEAD, the index file and the bytes of every working file the merge touched.
// The format and the commands are documented in docs/diff-merge.md.

#include "telar/core/git.h"
#include "telar/progress.h"

#include <optional>
#include <string>
#include <vector>

namespace telar::core {

// One conflict the merge could not decide.
//   field  the same field changed both ways (module, part, field and the three values set;
//          part empty for module- or project-level fields such as "module.version")
//   part   a part's CAD file changed on both sides, or a part deleted on one side and changed on
//          the other (part and path set; base/ours/theirs are blob ids or "deleted")
//   file   any other file changed on both sides (path set; text files get conflict markers)
//   use    a [[use]] of a sub-module changed both ways (part holds the used module id)
struct MergeConflict {
    std::string kind; /* field|part|file|use */
    std::string module, part, field, path;
    std::string base, ours, theirs;
    std::string message;
};

// What a merge, a resolution or a continuation did.
//   upToDate     theirs was already contained in HEAD: nothing changed
//   fastForward  HEAD only moved forward to theirs (no merge commit; commitId = the new HEAD)
//   committed    a merge commit with parents HEAD and theirs was made (commitId = its id)
// With conflicts (or licence findings that block the commit) the merge stays in progress.
struct MergeResult {
    bool fastForward = false;
    bool upToDate = false;
    bool committed = false;
    std::string commitId;
    std::vector<MergeConflict> conflicts;
    std::vector<std::string> licenceFindings; /* incompatible licences brought in, reported before committing */
};

// How to settle a conflict: keep our version, take theirs, or keep both (for a CAD file: theirs
// becomes a new file "<name>-theirs.<ext>" and a new part "<id>-theirs" in the same module).
enum class ResolveChoice { Ours, Theirs, Both };

// A merge in progress, as recorded in the repository.
struct MergeState {
    std::string theirs;   // the revision as the user named it ("feature", "origin/main")
    std::string theirsId; // 40 hex
    std::string oursId;   // HEAD when the merge started
    std::string baseId;   // the merge base
    std::string branch;   // the branch merged into; empty when HEAD was detached
    std::vector<MergeConflict> conflicts; // those still unresolved, in the order found
    bool licenceBlocked = false; // every conflict is resolved but new licence errors stopped the commit
};

// Options of a merge or of its continuation.
struct MergeOptions {
    // Commit even when the merge brings in licence findings of severity error.
    bool allowLicenceFindings = false;
    // Make a merge commit (parents HEAD and theirs) even when HEAD is an ancestor of theirs,
    // instead of fast-forwarding. `telar pull` and `telar sync` use it when a fast-forward would
    // change [upstream] or [[lineage]] of telar.toml (see forkRecordDiffers in remote.h).
    bool noFastForward = false;
};

// Merges theirs (a branch, tag or any revision) into HEAD. Throws UsageError when theirs names
// no commit, HEAD is unborn, a merge is already in progress, the working tree has uncommitted
// changes to tracked files, or untracked files would be overwritten; GitError when git fails;
// telar::Cancelled when progress is cancelled before anything was written. Conflicts and
// licence findings are part of the result, not exceptions. New licence findings of severity
// error stop the commit (nothing is written for a merge without conflicts).
MergeResult mergeRevision(Repository& repo, const std::string& theirs, const Signature& who, const Progress& progress = {});
// The same with options (e.g. allowing licence findings).
MergeResult mergeRevision(Repository& repo, const std::string& theirs, const Signature& who,
                          const MergeOptions& options, const Progress& progress = {});

// Abandons the merge in progress and restores HEAD, the index and every file it touched to the
// bytes they had before. Throws UsageError when no merge is in progress.
void abortMerge(Repository& repo);

// Settles the conflicts of one part (a part id, or "module/part-id"), one used module, or one
// path (a manifest settles all its conflicts). When none remain afterwards the merge is
// committed (licence check first). Throws UsageError when no merge is in progress, nothing
// matches partOrPath (the message lists what remains), the name is ambiguous, or the choice does
// not apply (Both for a field).
MergeResult resolveConflict(Repository& repo, const std::string& partOrPath, ResolveChoice choice /* Ours|Theirs|Both */, const Signature& who);
// Commits a merge whose conflicts are all resolved (also after fixing licence findings or with
// options.allowLicenceFindings). Returns the remaining conflicts instead when there are some.
// Throws UsageError when no merge is in progress.
MergeResult continueMerge(Repository& repo, const Signature& who, const MergeOptions& options = {});

// The merge in progress, or nullopt when there is none.
std::optional<MergeState> mergeInProgress(const Repository& repo);

} // namespace telar::core
