#include "history_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace telar::desktop {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString shortId(const std::string& id) {
    return qs(id.substr(0, 7));
}


QTreeWidgetItem* section(QTreeWidget* tree, const QString& title) {
    auto* item = new QTreeWidgetItem(tree, {title});
    QFont f = item->font(0);
    f.setBold(true);
    item->setFont(0, f);
    item->setFirstColumnSpanned(true);
    return item;
}

QTreeWidgetItem* add(QTreeWidgetItem* parent, const QString& what, const QString& value) {
    auto* item = new QTreeWidgetItem(parent, {what, value});
    item->setToolTip(1, value);
    return item;
}

// A commit as one detail row: "2026-01-15 170204d" | "Chen Wei — Add the controller…".
void addCommit(QTreeWidgetItem* parent, const core::ProvenanceCommit& c) {
    add(parent, QStringLiteral("%1 %2").arg(signatureTime(c.author).left(10), shortId(c.id)),
        QStringLiteral("%1 — %2").arg(qs(c.author.name), qs(c.summary)));
}

} // namespace

HistoryPanel::HistoryPanel(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel;
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_model = new HistoryModel(this);
    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_details = new QTreeWidget;
    m_details->setColumnCount(2);
    m_details->setHeaderLabels({tr("Provenance"), tr("")});
    m_details->setSelectionMode(QAbstractItemView::NoSelection);
    m_details->setWordWrap(true);
    m_details->setAlternatingRowColors(true);
    m_details->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_details->header()->setStretchLastSection(true);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);
    m_title->setText(tr("Select a module or a part to see its history"));
}

HistoryPanel::~HistoryPanel() = default;

bool HistoryPanel::isBusy() const {
    return m_job.busy();
}

void HistoryPanel::cancel() {
    m_job.cancel();
}

QString HistoryPanel::titleText() const {
    return m_title->text();
}

void HistoryPanel::setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot) {
    m_job.stop();
    m_running.clear();
    m_snapshot = std::move(snapshot);
    m_cache.clear();
    m_shown.clear();
    m_query.clear();
    m_model->setHistory(nullptr);
    m_details->clear();
    m_title->setText(tr("Select a module or a part to see its history"));
}

void HistoryPanel::remember(const std::shared_ptr<const HistorySnapshot>& history) {
    if (!history || !m_snapshot) return;
    m_cache.insert(qs(history->query), history);
    ensureComputed();
}

void HistoryPanel::setSelection(const QString& module, const QString& partId, const QString& file) {
    m_query = provenanceQuery(module, partId, file);
    ensureComputed();
}

void HistoryPanel::setActive(bool active) {
    m_active = active;
    ensureComputed();
}

void HistoryPanel::ensureComputed() {
    if (!m_active || !m_snapshot || m_query.isEmpty() || m_query == m_shown) return;
    if (auto cached = m_cache.value(m_query)) {
        show(cached);
        emit jobFinished({});
        return;
    }
    if (isBusy() && m_running == m_query) return;
    m_running = m_query;
    m_model->setHistory(nullptr);
    m_details->clear();
    m_title->setText(tr("Reading the history of %1…").arg(m_query));
    const std::filesystem::path repository = m_snapshot->repository;
    const std::string rev = m_snapshot->rev;
    auto tree = m_snapshot->tree;
    const std::string query = m_query.toStdString();
    m_job.start([repository, rev, tree, query](const Progress& progress) {
        return computeHistory(repository, rev, tree, query, progress);
    }, [this](const JobResult<HistorySnapshot>& result) { onFinished(result); });
    emit jobStarted();
}

void HistoryPanel::onFinished(const JobResult<HistorySnapshot>& result) {
    m_running.clear();
    if (result.cancelled) {
        m_title->setText(tr("Reading the history was cancelled"));
        emit jobFinished(tr("cancelled"));
        return;
    }
    if (!result.value) {
        m_title->setText(tr("No history: %1").arg(result.error));
        emit jobFinished(result.error);
        return;
    }
    m_cache.insert(qs(result.value->query), result.value);
    show(result.value);
    emit historyReady(qs(result.value->query));
    emit jobFinished({});
    ensureComputed(); // the selection may have moved on meanwhile
}

void HistoryPanel::show(const std::shared_ptr<const HistorySnapshot>& history) {
    const core::Provenance& p = history->provenance;
    m_shown = qs(history->query);
    m_model->setHistory(history);
    m_view->resizeColumnsToContents();
    QString what = qs(p.query) + QStringLiteral(" (") + QLatin1String(core::provenanceKindName(p.kind));
    if (p.kind == core::ProvenanceKind::Part) what += tr(" of %1").arg(qs(p.module));
    what += QLatin1Char(')');
    QString title = p.commits.size() == 1
                        ? tr("History of %1 at %2: 1 commit").arg(what, qs(p.rev))
                        : tr("History of %1 at %2: %3 commits").arg(what, qs(p.rev)).arg(p.commits.size());
    if (!history->note.empty()) title += QStringLiteral(" — ") + qs(history->note);
    m_title->setText(title);
    fillDetails(p);
}

void HistoryPanel::fillDetails(const core::Provenance& p) {
    m_details->clear();
    if (const auto* first = p.firstChange()) addCommit(section(m_details, tr("First change")), *first);
    if (const auto* last = p.lastChange()) addCommit(section(m_details, tr("Last change")), *last);
    if (p.names.size() > p.paths.size()) {
        auto* s = section(m_details, tr("Formerly"));
        for (size_t i = p.paths.size(); i < p.names.size(); ++i)
            add(s, qs(p.names[i]), {});
    }

    auto* contributors = section(m_details, tr("Contributors (%1)").arg(p.contributors.size()));
    for (const auto& c : p.contributors) {
        QString counts = c.authored == 1 ? tr("1 commit") : tr("%1 commits").arg(c.authored);
        if (c.coAuthored) counts += tr(", co-author of %1").arg(c.coAuthored);
        add(contributors, personText(c.name, c.email), counts);
    }

    auto* releases = section(m_details, tr("Releases containing it (%1)").arg(p.releases.size()));
    if (p.releases.empty()) add(releases, tr("none"), {});
    for (const auto& r : p.releases)
        add(releases, QStringLiteral("%1 (%2)").arg(qs(r.tag), shortId(r.commit)),
            tr("as %1, %2")
                .arg(r.path.empty() ? QStringLiteral(".") : qs(r.path),
                     r.sameAsRev ? tr("same as at %1").arg(qs(p.rev))
                                 : tr("differs from %1").arg(qs(p.rev))));

    if (!p.origins.empty()) {
        auto* origins = section(m_details, tr("Imported geometry (%1)").arg(p.origins.size()));
        for (const auto& o : p.origins) {
            const QString state = !o.unreadable.empty() ? tr("unknown: %1").arg(qs(o.unreadable))
                                  : !o.modified         ? tr("unknown: no sha256 recorded")
                                  : *o.modified         ? tr("modified since it was imported")
                                                        : tr("still the imported original (sha256 matches)");
            auto* item =
                add(origins, QStringLiteral("%1:%2  %3").arg(qs(o.module), qs(o.part), qs(o.file)), state);
            if (o.modified && *o.modified) item->setForeground(1, QColor(160, 110, 0));
            add(item, tr("Source"), qs(o.source));
            add(item, tr("Licence"), qs(o.license));
            add(item, tr("Author"), qs(o.author));
            add(item, tr("Retrieved"), qs(o.retrieved));
            add(item, tr("Recorded sha256"), qs(o.recordedSha256));
            add(item, tr("Actual sha256"), qs(o.actualSha256));
            item->setExpanded(false);
        }
    }

    if (!p.upstream.empty()) {
        auto* upstream = section(m_details, tr("Fork of (%1)").arg(p.upstream.size()));
        for (const auto& l : p.upstream) {
            QString where = tr("not present locally (fetch the upstream to compare)");
            if (l.present && l.ahead && l.behind)
                where = tr("present locally; %1 commit(s) ahead, %2 behind").arg(*l.ahead).arg(*l.behind);
            else if (l.present)
                where = tr("present locally");
            QString what = QStringLiteral("%1. %2 at %3").arg(l.depth).arg(qs(l.url), shortId(l.commit));
            if (!l.forked.empty()) what += tr(" (forked %1)").arg(qs(l.forked));
            add(upstream, what, where);
        }
    }

    if (!p.unreadable.empty()) {
        auto* s = section(m_details, tr("Could not be read (%1)").arg(p.unreadable.size()));
        for (const auto& u : p.unreadable)
            add(s, qs(u), {});
    }
    if (!p.notes.empty()) {
        auto* s = section(m_details, tr("Notes"));
        for (const auto& n : p.notes)
            add(s, qs(n), {});
    }
    for (int i = 0; i < m_details->topLevelItemCount(); ++i)
        m_details->topLevelItem(i)->setExpanded(true);
    m_details->resizeColumnToContents(0);
}

} // namespace telar::desktop
