#pragma once
// The merge assistant (Repository → Merge…): merges a branch, tag or any revision into the current
// branch with the core's three-way merge (mergeRevision), lists the conflicts per part and field
// with their base, ours and theirs values, lets the user choose ours, theirs or both for each
// (what one `telar resolve TARGET` settles), and then commits (resolveConflict and continueMerge,
// as `telar resolve` / `telar merge --continue` do) or aborts (abortMerge, as `telar merge --abort`:
// HEAD, the index and every file the merge touched are put back byte for byte). The licence
// findings the merge brings in are shown before anything is committed; new licence errors stop
// the commit unless "Commit despite licence errors" is ticked. A merge already in progress when
// the assistant opens is picked up where it stands.

#include "design_jobs.h"
#include "repo_dialogs.h"

#include "telar/core/merge.h"

#include <QString>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTreeWidget;

namespace telar::desktop {

// The conflicts one resolution settles: those of one part (target "module/part"), one used
// module ("module/used-module"), or one path (a manifest's module- or project-level fields, or
// any other file). Ours / theirs / both apply to the whole group, as `telar resolve` does.
struct ConflictGroup {
    std::string target;
    bool isPath = false;     // target is a path: settled after the part and module groups
    bool bothAllowed = true; // every conflict is about a CAD or other non-manifest file
    std::vector<core::MergeConflict> conflicts;
};

// Groups conflicts by what settles them, in the order met.
std::vector<ConflictGroup> groupConflicts(const std::vector<core::MergeConflict>& conflicts);

// What a step of the assistant left: the core's result and the merge still in progress (if any).
struct MergeOutcome {
    core::MergeResult result;
    std::optional<core::MergeState> state;
    std::string branch; // the current branch (empty when HEAD is detached)
    std::string head;   // HEAD's commit id afterwards (empty for an unborn branch)
};

// The workers of the assistant (each opens the repository at dir). They throw what the core
// throws: UsageError (unknown revision, local changes, no merge in progress, no author), GitError,
// telar::Cancelled (startMergeAt, before anything is written).
MergeOutcome mergeStateAt(const std::filesystem::path& dir);
MergeOutcome startMergeAt(const std::filesystem::path& dir, const std::string& rev, bool allowLicenceFindings,
                          const Progress& progress);
// Settles each (target, choice) in order (skipping a target with no open conflict left), then
// commits when none remain (continueMerge with allowLicenceFindings).
MergeOutcome commitMergeAt(const std::filesystem::path& dir,
                           const std::vector<std::pair<std::string, core::ResolveChoice>>& choices,
                           bool allowLicenceFindings);
MergeOutcome abortMergeAt(const std::filesystem::path& dir);

class MergeAssistant : public JobDialog {
    Q_OBJECT
public:
    // repository: the working folder; revisions: the picker's entries (tags and branches are
    // offered as what to merge; any other revision can be typed).
    MergeAssistant(const QString& repository, const std::vector<RevisionEntry>& revisions,
                   QWidget* parent = nullptr);

    // What to merge (editable).
    QComboBox* revisionBox() const { return m_revision; }
    QPushButton* mergeButton() const { return m_mergeButton; }
    QPushButton* commitButton() const { return m_commitButton; }
    QPushButton* abortButton() const { return m_abortButton; }
    QCheckBox* allowLicenceBox() const { return m_allowLicence; }
    // One top-level row per group (target, choice), one child per conflict: field (or file),
    // base, ours, theirs; the core's message as tooltip.
    QTreeWidget* conflictTree() const { return m_tree; }
    // The licence findings the merge brings in ("error: …", "warning: …").
    QListWidget* findingsList() const { return m_findings; }
    // What the last step did, in words.
    QString summary() const;

    int groupCount() const { return int(m_groups.size()); }
    const ConflictGroup& group(int index) const { return m_groups.at(size_t(index)); }
    // The choice of group index: its items are "Choose…", "Ours", "Theirs" and (for files) "Both".
    QComboBox* choiceBox(int index) const;
    // True while a merge is recorded in the repository (conflicts open or commit blocked).
    bool inProgress() const { return m_state.has_value(); }

    // Start the steps the buttons start; false (with the reason in the status line) when they
    // cannot start now.
    bool startMerge();
    bool startCommit();
    bool startAbort();

signals:
    // The repository's HEAD, index or working files changed (merge, resolution, commit, abort).
    void repositoryChanged();

private:
    void applyOutcome(const MergeOutcome& outcome, bool merged);
    void fillConflicts();
    void updateButtons();

    std::filesystem::path m_repository;
    std::optional<core::MergeState> m_state;
    std::vector<ConflictGroup> m_groups;
    std::vector<std::string> m_findingsShown;
    std::string m_branch;
    QString m_what; // the revision being merged, as named
    QLabel* m_into = nullptr;
    QComboBox* m_revision = nullptr;
    QPushButton* m_mergeButton = nullptr;
    QLabel* m_summary = nullptr;
    QTreeWidget* m_tree = nullptr;
    QLabel* m_findingsLabel = nullptr;
    QListWidget* m_findings = nullptr;
    QCheckBox* m_allowLicence = nullptr;
    QPushButton* m_commitButton = nullptr;
    QPushButton* m_abortButton = nullptr;
};

} // namespace telar::desktop
