#include "license_panel.h"

#include "fab_profile_picker.h"

#include "telar/error.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString joined(const std::vector<std::string>& items) {
    QStringList out;
    for (const auto& i : items)
        out << qs(i);
    return out.join(QStringLiteral(", "));
}

QColor verdictColour(license::VerdictKind kind) {
    switch (kind) {
    case license::VerdictKind::Free:
        return QColor(30, 130, 60);
    case license::VerdictKind::FreeWithObligations:
        return QColor(40, 90, 170);
    case license::VerdictKind::ReciprocityRequired:
        return QColor(190, 100, 0);
    case license::VerdictKind::NotAllowed:
        return QColor(180, 30, 30);
    }
    return {};
}

QTreeWidget* makeTree(const QStringList& headers) {
    auto* tree = new QTreeWidget;
    tree->setHeaderLabels(headers);
    tree->setAlternatingRowColors(true);
    tree->setWordWrap(true);
    tree->setUniformRowHeights(false);
    tree->header()->setStretchLastSection(true);
    return tree;
}

QWidget* group(const QString& title, const QList<QWidget*>& widgets) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    for (QWidget* w : widgets)
        layout->addWidget(w, qobject_cast<QTreeWidget*>(w) ? 1 : 0);
    return box;
}
} // namespace

LicenseSnapshot computeLicenses(const std::shared_ptr<const core::Design>& design,
                                const std::shared_ptr<const core::Tree>& tree,
                                const std::shared_ptr<const core::FabProfile>& fab,
                                const Progress& progress) {
    if (!design->hasProject)
        throw UsageError("no telar.toml in " + design->treeName + ": run `telar init` first");
    LicenseSnapshot snap;
    snap.treeName = design->treeName;
    snap.moduleCount = design->modules.size();
    snap.licensor = design->project.licensor;
    progress.report(0.0, "Checking the licences");
    snap.report = core::checkLicenses(*design, *tree, progress.child(0.0, 0.9));
    snap.fab = fab;
    if (fab) {
        progress.report(0.9, "Deciding what " + fab->name + " may do");
        try {
            license::FabContext context = core::fabContext(*fab, *design);
            const license::Catalog catalog = core::licenseCatalog(design->project);
            snap.verdicts = core::decideVerdicts(*design, catalog, context);
            snap.fabContext = std::move(context);
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            snap.verdictError = e.what(); // shown in the verdict section; the findings still are
        }
    }
    progress.report(1.0, "Licences checked");
    return snap;
}

QString verdictLine(const core::ProductVerdict& pv) {
    QString line = QStringLiteral("%1: %2").arg(qs(pv.product), qs(license::toString(pv.overall)));
    if (!pv.deciding.empty() && pv.overall != license::VerdictKind::FreeWithObligations)
        line += QStringLiteral(" (%1)").arg(joined(pv.deciding));
    return line;
}

QString fabLine(const core::FabProfile& fab, const license::FabContext& context) {
    return QStringLiteral("Fab: %1 (%2, %3, %4 use)")
        .arg(qs(fab.name.empty() ? fab.file : fab.name), qs(license::toString(context.organization)),
             context.contributesToCommons ? QStringLiteral("contributes to this commons")
                                          : QStringLiteral("does not contribute"),
             qs(license::toString(context.purpose)));
}

QString reciprocityLine(const LicenseSnapshot& snap) {
    bool needed = false;
    for (const auto& pv : snap.verdicts)
        for (const auto& mv : pv.modules)
            needed = needed || mv.verdict.kind == license::VerdictKind::ReciprocityRequired;
    if (!needed || !snap.fabContext) return {};
    if (const auto& s = snap.fabContext->steward) {
        QString line = QStringLiteral("Reciprocity: ask %1 (%2)").arg(qs(s->name), qs(s->contact));
        if (!s->terms.empty()) line += QStringLiteral("; terms: %1").arg(qs(s->terms));
        return line;
    }
    return QStringLiteral("Reciprocity: ask the licensor%1; telar.toml names no [reciprocity] steward")
        .arg(snap.licensor.empty() ? QString() : QStringLiteral(" (%1)").arg(qs(snap.licensor)));
}

LicensePanel::LicensePanel(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel;
    m_title->setWordWrap(true);
    m_fabPicker = new FabProfilePicker;
    connect(m_fabPicker, &FabProfilePicker::profileChosen, this, [this] {
        onFabChanged();
        emit fabProfileChosen(m_fabPicker->currentFile());
    });
    connect(m_fabPicker, &FabProfilePicker::loadFailed, this, [this](const QString& message) {
        m_fabLine->setText(tr("Fab profile not used: %1").arg(message));
    });
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Fab:")));
    bar->addWidget(m_fabPicker);
    bar->addStretch(1);

    m_checkSummary = new QLabel;
    m_checkSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_checkSummary->setWordWrap(true);
    m_findings = makeTree(
        {tr("Severity"), tr("Code"), tr("Module"), tr("Part"), tr("Where"), tr("Problem"), tr("Hint")});
    m_findings->setRootIsDecorated(false);
    m_obligations = makeTree({tr("Product / obligation"), tr("Licences"), tr("From modules")});
    m_fabLine = new QLabel;
    m_fabLine->setWordWrap(true);
    m_fabLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdicts = makeTree({tr("Product / module"), tr("Licence"), tr("Verdict"), tr("Rolled up"),
                           tr("Obligations"), tr("Reason")});
    m_reciprocity = new QLabel;
    m_reciprocity->setWordWrap(true);
    m_reciprocity->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(group(tr("Consistency"), {m_checkSummary, m_findings}));
    split->addWidget(group(tr("Obligations of each product"), {m_obligations}));
    split->addWidget(group(tr("What the fab may do"), {m_fabLine, m_verdicts, m_reciprocity}));
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    clearShown(tr("Open a design to check its licences"));
}

LicensePanel::~LicensePanel() = default;

void LicensePanel::cancel() {
    m_job.cancel();
}

QString LicensePanel::titleText() const {
    return m_title->text();
}
QString LicensePanel::checkSummary() const {
    return m_checkSummary->text();
}
QString LicensePanel::fabText() const {
    return m_fabLine->text();
}
QString LicensePanel::reciprocityText() const {
    return m_reciprocity->text();
}
QString LicensePanel::fabProfileFile() const {
    return m_fabPicker->currentFile();
}
void LicensePanel::setErrorDialogsEnabled(bool enabled) {
    m_fabPicker->setErrorDialogsEnabled(enabled);
}

void LicensePanel::setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot) {
    m_job.stop();
    m_runningKey.clear();
    m_snapshot = std::move(snapshot);
    clearShown(m_snapshot ? tr("The licences are checked when this tab is shown")
                          : tr("Open a design to check its licences"));
    ensureComputed();
}

void LicensePanel::setActive(bool active) {
    m_active = active;
    ensureComputed();
}

bool LicensePanel::setFabProfileFile(const QString& file, QString* error) {
    if (!m_fabPicker->selectFile(file, error)) return false;
    onFabChanged();
    return true;
}

void LicensePanel::onFabChanged() {
    m_fab = m_fabPicker->currentProfile();
    m_job.stop();
    m_runningKey.clear();
    clearShown(m_snapshot ? tr("The licences are checked when this tab is shown")
                          : tr("Open a design to check its licences"));
    ensureComputed();
}

void LicensePanel::clearShown(const QString& title) {
    m_shown.reset();
    m_shownKey.clear();
    m_findings->clear();
    m_obligations->clear();
    m_verdicts->clear();
    m_checkSummary->clear();
    m_fabLine->setText(m_fab ? QString()
                             : tr("Choose a fab profile to see what that fab may do with each module."));
    m_reciprocity->clear();
    m_title->setText(title);
}

void LicensePanel::ensureComputed() {
    if (!m_active || !m_snapshot) return;
    const QString key = m_fabPicker->currentFile();
    if (m_shown && m_shownKey == key) return;
    if (m_job.busy() && m_runningKey == key) return;
    m_runningKey = key;
    clearShown(tr("Checking the licences of %1…").arg(qs(m_snapshot->design->treeName)));
    auto design = m_snapshot->design;
    auto tree = m_snapshot->tree;
    auto fab = m_fab;
    m_job.start([design, tree, fab](const Progress& progress) { return computeLicenses(design, tree, fab, progress); },
                [this](const JobResult<LicenseSnapshot>& result) { onFinished(result); });
    emit jobStarted();
}

void LicensePanel::onFinished(const JobResult<LicenseSnapshot>& result) {
    const QString key = m_runningKey;
    m_runningKey.clear();
    if (result.cancelled) {
        m_title->setText(tr("Checking the licences was cancelled"));
        emit jobFinished(tr("cancelled"));
        return;
    }
    if (!result.value) {
        m_title->setText(tr("Cannot check the licences: %1").arg(result.error));
        emit jobFinished(result.error);
        return;
    }
    m_shownKey = key;
    show(result.value);
    emit jobFinished({});
    ensureComputed(); // the fab profile may have changed meanwhile
}

void LicensePanel::show(const std::shared_ptr<const LicenseSnapshot>& snap) {
    m_shown = snap;
    const core::LicenseReport& report = snap->report;
    m_title->setText(tr("Licences of %1").arg(qs(snap->treeName)));

    const std::size_t errors = report.errors(), warnings = report.warnings();
    QString summary = tr("%1: licences of %2 modules — ").arg(qs(snap->treeName)).arg(snap->moduleCount);
    if (errors == 0 && warnings == 0)
        summary += tr("consistent");
    else
        summary += QStringLiteral("%1 %2, %3 %4")
                       .arg(errors)
                       .arg(errors == 1 ? tr("error") : tr("errors"))
                       .arg(warnings)
                       .arg(warnings == 1 ? tr("warning") : tr("warnings"));
    m_checkSummary->setText(summary);

    for (const auto& f : report.findings) {
        QString where = qs(f.file);
        if (f.line > 0) where += QStringLiteral(":%1:%2").arg(f.line).arg(f.column);
        if (!f.field.empty()) where += QStringLiteral(" %1").arg(qs(f.field));
        const bool error = f.severity == core::Severity::Error;
        auto* item =
            new QTreeWidgetItem(m_findings, {error ? tr("error") : tr("warning"), qs(f.code), qs(f.module),
                                             qs(f.part), where, qs(f.message), qs(f.hint)});
        item->setToolTip(MessageColumn, qs(f.str()));
        item->setForeground(SeverityColumn, error ? QColor(180, 30, 30) : QColor(160, 110, 0));
    }
    for (int c = 0; c <= WhereColumn; ++c)
        m_findings->resizeColumnToContents(c);

    for (const auto& p : report.products) {
        auto* product = new QTreeWidgetItem(m_obligations, {qs(p.product)});
        if (p.obligations.empty()) new QTreeWidgetItem(product, {tr("none")});
        for (const auto& o : p.obligations) {
            auto* item = new QTreeWidgetItem(product, {qs(o.text), joined(o.licenses), joined(o.modules)});
            item->setToolTip(0, qs(o.text));
        }
    }
    m_obligations->expandAll();
    m_obligations->resizeColumnToContents(0);

    if (!snap->fab) {
        m_fabLine->setText(tr("Choose a fab profile to see what that fab may do with each module."));
    } else if (!snap->verdictError.empty()) {
        m_fabLine->setText(tr("No verdict for %1: %2").arg(qs(snap->fab->name), qs(snap->verdictError)));
    } else {
        m_fabLine->setText(fabLine(*snap->fab, *snap->fabContext));
        for (const auto& pv : snap->verdicts) {
            auto* product =
                new QTreeWidgetItem(m_verdicts, {qs(pv.product), QString(), qs(license::toString(pv.overall)),
                                                 QString(), QString(), verdictLine(pv)});
            product->setForeground(VerdictColumn, verdictColour(pv.overall));
            QFont bold = product->font(0);
            bold.setBold(true);
            for (int c = 0; c <= ReasonColumn; ++c)
                product->setFont(c, bold);
            for (const auto& mv : pv.modules) {
                QStringList kinds;
                for (const auto& ob : mv.verdict.obligations)
                    kinds << qs(license::toString(ob.kind));
                auto* item = new QTreeWidgetItem(
                    product, {qs(mv.module), mv.license.empty() ? tr("none") : qs(mv.license),
                              qs(license::toString(mv.verdict.kind)), qs(license::toString(mv.rolledUp)),
                              kinds.join(QStringLiteral(", ")), qs(mv.verdict.reason)});
                item->setForeground(VerdictColumn, verdictColour(mv.verdict.kind));
                item->setForeground(RolledUpColumn, verdictColour(mv.rolledUp));
                QString tip = qs(mv.verdict.reason);
                if (!mv.expression.empty() && mv.expression != mv.license)
                    tip += QStringLiteral("\n") + tr("judged: %1").arg(qs(mv.expression));
                for (const auto& ob : mv.verdict.obligations)
                    tip += QStringLiteral("\n• ") + qs(ob.text);
                item->setToolTip(ReasonColumn, tip);
                item->setToolTip(VerdictModuleColumn, tr("%1 per product").arg(mv.quantity));
            }
        }
        m_verdicts->expandAll();
        for (int c = 0; c < ReasonColumn; ++c)
            m_verdicts->resizeColumnToContents(c);
    }
    m_reciprocity->setText(reciprocityLine(*snap));
}

} // namespace telar::desktop
