#include "history_model.h"

#include "telar/core/git.h"
#include "telar/core/history.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QTemporaryDir>

#include <cstdlib>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
} // namespace

QString provenanceQuery(const QString& module, const QString& partId, const QString& file) {
    if (module.isEmpty()) return {};
    if (!partId.isEmpty()) return module + QLatin1Char(':') + partId;
    if (!file.isEmpty()) return file;
    return module;
}

HistorySnapshot computeHistory(const std::filesystem::path& repository, const std::string& rev,
                               const std::shared_ptr<const core::Tree>& tree, const std::string& query,
                               const Progress& progress) {
    HistorySnapshot snap;
    snap.query = query;
    progress.report(0.0, "Opening repository");
    core::allowPartialClones(); // missing blobs of a partial clone are reported, never fetched
    core::Repository repo = core::Repository::open(repository);
    progress.throwIfCancelled();

    std::unique_ptr<core::Store> store;
    std::unique_ptr<QTemporaryDir> scratch;
    try {
        store =
            core::Store::open(core::Store::defaultPath(), [&snap](const std::string& n) { snap.note = n; });
    } catch (const StoreError& e) {
        scratch = std::make_unique<QTemporaryDir>();
        if (!scratch->isValid()) throw;
        store = core::Store::open(std::filesystem::path(scratch->path().toStdString()) / "telar.db");
        snap.note = std::string("history store unavailable, indexed into a temporary store: ") + e.what();
    }
    core::ProvenanceOptions options;
    options.rev = rev.empty() ? "HEAD" : rev;
    const Progress indexing = progress.child(0.05, 1.0);
    options.progress = &indexing;
    snap.provenance = core::provenanceOf(repo, *store, *tree, query, options);
    progress.report(1.0, "History ready");
    return snap;
}

QString signatureTime(const core::Signature& who) {
    const QDateTime t = QDateTime::fromSecsSinceEpoch(who.time, Qt::OffsetFromUTC, who.offsetMinutes * 60);
    const int off = std::abs(who.offsetMinutes);
    return QStringLiteral("%1 %2%3:%4")
        .arg(t.toString(QStringLiteral("yyyy-MM-dd HH:mm")))
        .arg(who.offsetMinutes < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        .arg(off / 60, 2, 10, QLatin1Char('0'))
        .arg(off % 60, 2, 10, QLatin1Char('0'));
}

QString personText(const std::string& name, const std::string& email) {
    return email.empty() ? qs(name) : QStringLiteral("%1 <%2>").arg(qs(name), qs(email));
}

HistoryModel::HistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void HistoryModel::setHistory(std::shared_ptr<const HistorySnapshot> history) {
    beginResetModel();
    m_history = std::move(history);
    endResetModel();
}

int HistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_history ? 0 : int(m_history->provenance.commits.size());
}

int HistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_history || index.row() >= rowCount()) return {};
    const core::ProvenanceCommit& c = m_history->provenance.commits[size_t(index.row())];
    switch (role) {
    case CommitIdRole:
        return qs(c.id);
    case AuthorEmailRole:
        return qs(c.author.email);
    case InheritedRole:
        return c.inherited;
    case Qt::ForegroundRole:
        if (c.inherited) return QBrush(QColor(110, 110, 110));
        return {};
    case Qt::FontRole:
        if (index.column() == CommitColumn) {
            QFont mono(QStringLiteral("monospace"));
            mono.setStyleHint(QFont::Monospace);
            return mono;
        }
        return {};
    case Qt::ToolTipRole: {
        QStringList lines{qs(c.id), personText(c.author.name, c.author.email) + QStringLiteral(", ") +
                                        signatureTime(c.author)};
        for (const auto& co : c.coAuthors)
            lines << tr("co-authored by %1").arg(personText(co.name, co.email));
        if (c.inherited) lines << tr("also in the upstream this design was forked from");
        if (c.merge) lines << tr("a merge that changed it (conflict resolution)");
        for (const auto& ch : c.changes)
            lines << QStringLiteral("%1 %2")
                         .arg(QLatin1Char(ch.status))
                         .arg(ch.oldPath.empty() ? qs(ch.path)
                                                 : qs(ch.oldPath) + QStringLiteral(" → ") + qs(ch.path));
        return lines.join(QLatin1Char('\n'));
    }
    case Qt::DisplayRole:
        switch (index.column()) {
        case CommitColumn:
            return qs(c.id.substr(0, 7));
        case DateColumn:
            return signatureTime(c.author);
        case AuthorColumn:
            return personText(c.author.name, c.author.email);
        case CoAuthorsColumn: {
            QStringList names;
            for (const auto& co : c.coAuthors)
                names << personText(co.name, co.email);
            return names.join(QStringLiteral(", "));
        }
        case SummaryColumn: {
            QString s = qs(c.summary);
            if (c.inherited) s += tr("  [upstream]");
            if (c.merge) s += tr("  [merge]");
            return s;
        }
        case FilesColumn: {
            if (c.changes.size() == 1) {
                const auto& ch = c.changes.front();
                return QStringLiteral("%1 %2").arg(QLatin1Char(ch.status)).arg(qs(ch.path));
            }
            return tr("%1 files").arg(c.changes.size());
        }
        }
        return {};
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case CommitColumn:
        return tr("Commit");
    case DateColumn:
        return tr("Date");
    case AuthorColumn:
        return tr("Author");
    case CoAuthorsColumn:
        return tr("Co-authors");
    case SummaryColumn:
        return tr("Summary");
    case FilesColumn:
        return tr("Files");
    }
    return {};
}

} // namespace telar::desktop
