#pragma once
// The history and provenance of one module or part (telar::core::provenanceOf): the job that
// computes it off the GUI thread, and a table of the commits that touched it, newest first.
// Every value is the core's (authors and co-authors after .mailmap, renames followed).

#include "telar/core/provenance.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <QAbstractTableModel>
#include <QString>

#include <filesystem>
#include <memory>
#include <string>

namespace telar::desktop {

// What the history view asks the core about: a module id, "MODULE:PART", or for a row without a
// part id (an [[assembly]] file) its repository-relative path. Empty when module is empty.
QString provenanceQuery(const QString& module, const QString& partId, const QString& file);

// The provenance of one item at one revision.
struct HistorySnapshot {
    std::string query; // as asked (see provenanceQuery)
    core::Provenance provenance;
    std::string note; // e.g. the history index lives in a temporary store (see computeHistory)
};

// Brings the history index of the repository at repository up to date from rev ("HEAD" when
// empty) and asks the core for the provenance of query; origins are compared with the files of
// tree (the revision shown, or the working tree). The index lives in the per-user store
// (Store::defaultPath(); TELAR_HOME overrides); when that cannot be opened, a store in a
// temporary folder is used for this answer and note says so. Runs on a worker thread. Throws
// UsageError (query names nothing), GitError (not a repository, unknown revision) and
// telar::Cancelled.
HistorySnapshot computeHistory(const std::filesystem::path& repository, const std::string& rev,
                               const std::shared_ptr<const core::Tree>& tree, const std::string& query,
                               const Progress& progress);

// "2026-02-05 10:00 +01:00": when, in the person's own time zone.
QString signatureTime(const core::Signature& who);
// "Name <email>", or the name alone when there is no email.
QString personText(const std::string& name, const std::string& email);

// The commits of a Provenance as a table, in the core's order (newest first).
class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        CommitColumn,
        DateColumn,
        AuthorColumn,
        SummaryColumn,
        CoAuthorsColumn,
        FilesColumn,
        ColumnCount
    };
    enum Role {
        CommitIdRole = Qt::UserRole + 1, // QString: the full commit id (40 hex)
        AuthorEmailRole,                 // QString
        InheritedRole,                   // bool: also in the upstream commit a fork records
    };

    explicit HistoryModel(QObject* parent = nullptr);

    // Shows history (shared, immutable); nullptr empties the model.
    void setHistory(std::shared_ptr<const HistorySnapshot> history);
    const std::shared_ptr<const HistorySnapshot>& history() const { return m_history; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const HistorySnapshot> m_history;
};

} // namespace telar::desktop
