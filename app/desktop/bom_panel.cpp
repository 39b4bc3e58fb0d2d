#include "bom_panel.h"

#include "bom_table_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

BomPanel::BomPanel(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel;
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter BOM lines"));
    m_filter->setClearButtonEnabled(true);
    m_model = new BomTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(BomTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_view = new QTableView;
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_totals = new QLabel;
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_totals);
    m_watcher = new QFutureWatcher<JobResult<BomSnapshot>>(this);
    m_title->setText(tr("Select a module to see its bill of materials"));
}

BomPanel::~BomPanel() {
    cancel();
    m_watcher->waitForFinished();
}

bool BomPanel::isBusy() const { return m_pending; }

void BomPanel::cancel() {
    if (m_progress) m_progress->cancel();
}

QString BomPanel::totalsText() const { return m_totals->text(); }

void BomPanel::setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot) {
    cancel();
    ++m_generation;
    m_pending = false;
    m_running.clear();
    m_snapshot = std::move(snapshot);
    m_cache.clear();
    m_shown.clear();
    m_module.clear();
    m_model->setBom(nullptr);
    m_totals->clear();
    m_title->setText(tr("Select a module to see its bill of materials"));
}

void BomPanel::setModule(const QString& moduleId) {
    m_module = moduleId;
    ensureComputed();
}

void BomPanel::setActive(bool active) {
    m_active = active;
    ensureComputed();
}

void BomPanel::ensureComputed() {
    if (!m_active || !m_snapshot || m_module.isEmpty() || m_module == m_shown) return;
    if (auto cached = m_cache.value(m_module)) {
        show(cached);
        emit jobFinished({});
        return;
    }
    if (isBusy() && m_running == m_module) return;
    cancel();
    const int generation = ++m_generation;
    m_running = m_module;
    m_model->setBom(nullptr);
    m_totals->clear();
    m_title->setText(tr("Computing the bill of materials of %1…").arg(m_module));
    auto progress = std::make_shared<JobProgress>();
    m_progress = progress;
    auto design = m_snapshot->design;
    auto tree = m_snapshot->tree;
    const std::string module = m_module.toStdString();
    m_watcher->disconnect(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, [this, generation] { onFinished(generation); });
    m_pending = true;
    m_watcher->setFuture(QtConcurrent::run([design, tree, module, progress] {
        return runJob<BomSnapshot>([&] { return computeModuleBom(design, tree, module, progress->progress()); });
    }));
    emit jobStarted();
}

void BomPanel::onFinished(int generation) {
    if (generation != m_generation) return;
    m_pending = false;
    m_running.clear();
    const JobResult<BomSnapshot> result = m_watcher->result();
    if (result.cancelled) {
        m_title->setText(tr("Computing the bill of materials was cancelled"));
        emit jobFinished(tr("cancelled"));
        return;
    }
    if (!result.value) {
        m_title->setText(tr("No bill of materials: %1").arg(result.error));
        emit jobFinished(result.error);
        return;
    }
    m_cache.insert(qs(result.value->module), result.value);
    show(result.value);
    emit jobFinished({});
    ensureComputed(); // the selection may have moved on meanwhile
}

void BomPanel::show(const std::shared_ptr<const BomSnapshot>& snap) {
    m_shown = qs(snap->module);
    m_model->setBom(std::shared_ptr<const core::Bom>(snap, &snap->bom));
    if (m_model->rowCount() <= 500) m_view->resizeColumnsToContents();
    QString title = tr("Bill of materials of %1 at %2").arg(m_shown, qs(snap->bom.treeName));
    if (!snap->note.empty()) title += QStringLiteral(" — ") + qs(snap->note);
    for (const auto& p : snap->bom.problems) title += QStringLiteral("\n") + tr("problem: %1").arg(qs(p));
    m_title->setText(title);
    m_totals->setText(m_model->totalsText());
}

} // namespace telar::desktop
