#include "release_dialogs.h"

#include "cache_store.h"
#include "fab_profile_picker.h"

#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/package.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace telar::desktop {

namespace fs = std::filesystem;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString qpath(const fs::path& p) {
    return QString::fromStdString(p.string());
}

QWidget* rowOf(std::initializer_list<QWidget*> widgets, int stretchIndex) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    int i = 0;
    for (QWidget* w : widgets)
        layout->addWidget(w, i++ == stretchIndex ? 1 : 0);
    return row;
}

} // namespace

// ---- release ----------------------------------------------------------------------------------

ReleaseCheckOutcome checkReleaseAt(const fs::path& dir, const std::string& rev, const Progress& progress) {
    core::Repository repo = core::Repository::open(dir);
    const core::Catalog catalog = core::Catalog::loadDefault();
    auto store = openGeometryStore({});
    core::GeometryCache cache(store.get());
    ReleaseCheckOutcome out;
    out.check = core::checkRelease(repo, rev, catalog, cache, progress);
    out.tags = repo.tags();
    return out;
}

ReleaseCheckOutcome createReleaseAt(const fs::path& dir, const std::string& tag, const std::string& rev,
                                    const std::string& message, const Progress& progress) {
    core::Repository repo = core::Repository::open(dir);
    const core::Signature tagger = desktopAuthor(repo);
    const core::Catalog catalog = core::Catalog::loadDefault();
    auto store = openGeometryStore({});
    core::GeometryCache cache(store.get());
    ReleaseCheckOutcome out;
    out.check = core::createRelease(repo, tag, rev, message, tagger, catalog, cache, progress);
    out.tags = repo.tags();
    return out;
}

QString releaseMessagePreview(const QString& tag, const QString& message, const std::string& notes) {
    const QString first = message.isEmpty() ? QStringLiteral("Release %1").arg(tag) : message;
    return first + QStringLiteral("\n\n") + qs(notes);
}

ReleaseDialog::ReleaseDialog(const QString& repository, const std::string& rev, QWidget* parent)
    : JobDialog(parent), m_repository(repository.toStdString()) {
    setWindowTitle(tr("Release"));
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("A release is an annotated tag, made only when four gates pass at that commit: "
                      "manifests valid, licences consistent, every CAD file analysable, BOM computable. "
                      "Its message holds the BOM and the BOM changes since the previous release."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_tag = new QLineEdit;
    m_tag->setPlaceholderText(tr("e.g. v1.1"));
    form->addRow(tr("Tag:"), m_tag);
    m_message = new QLineEdit;
    m_message->setPlaceholderText(tr("first line of the tag message (default: Release TAG)"));
    form->addRow(tr("Message:"), m_message);
    m_rev = new QLineEdit(qs(rev));
    m_checkButton = new QPushButton(tr("Check"));
    m_checkButton->setAutoDefault(false);
    m_checkButton->setToolTip(tr("Run the release gates at this revision and write the notes"));
    connect(m_checkButton, &QPushButton::clicked, this, [this] { startCheck(); });
    form->addRow(tr("Revision:"), rowOf({m_rev, m_checkButton}, 0));
    layout->addLayout(form);

    m_verdict = new QLabel;
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::PlainText);
    QFont bold = m_verdict->font();
    bold.setBold(true);
    m_verdict->setFont(bold);
    layout->addWidget(m_verdict);

    m_gates = new QTreeWidget;
    m_gates->setHeaderLabels({tr("Gate"), tr("What must hold"), tr("Result")});
    m_gates->setRootIsDecorated(true);
    m_gates->header()->setStretchLastSection(false);
    m_gates->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    layout->addWidget(m_gates, 2);
    layout->addWidget(new QLabel(tr("Tag message (release notes):")));
    m_notes = new QPlainTextEdit;
    m_notes->setReadOnly(true);
    m_notes->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_notes->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_notes, 3);
    layout->addWidget(m_job);

    auto* buttons = new QDialogButtonBox;
    m_createButton = buttons->addButton(tr("Create release"), QDialogButtonBox::ActionRole);
    m_createButton->setDefault(true);
    buttons->addButton(QDialogButtonBox::Close);
    connect(m_createButton, &QPushButton::clicked, this, [this] { startCreate(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &ReleaseDialog::reject);
    layout->addWidget(buttons);

    connect(m_tag, &QLineEdit::textChanged, this, [this] { updateState(); });
    connect(m_message, &QLineEdit::textChanged, this, [this] { updateState(); });
    connect(m_rev, &QLineEdit::textChanged, this, [this] { updateState(); });
    connect(m_job, &JobPanel::runningChanged, this, [this] { updateState(); });
    resize(820, 680);
    updateState();
    startCheck();
}

bool ReleaseDialog::checkPassed() const {
    return m_hasCheck && m_checkedRev == m_rev->text().trimmed() && m_check.check.ok();
}

QString ReleaseDialog::verdict() const {
    return m_verdict->text();
}

bool ReleaseDialog::startCheck() {
    if (m_job->isRunning()) return false;
    const QString rev = m_rev->text().trimmed();
    if (rev.isEmpty()) {
        m_job->setStatus(tr("Name the revision to release (HEAD, a branch or a commit)"), true);
        return false;
    }
    const fs::path dir = m_repository;
    const std::string what = rev.toStdString();
    m_job->start<ReleaseCheckOutcome>(
        tr("Checking %1").arg(rev), tr("Cannot check %1").arg(rev), true,
        [dir, what](const Progress& progress) { return checkReleaseAt(dir, what, progress); },
        [this, rev](const JobResult<ReleaseCheckOutcome>& result) {
            if (!result.value) return;
            m_check = *result.value;
            m_hasCheck = true;
            m_checkedRev = rev;
            showCheck();
            m_job->setStatus(
                m_check.check.ok()
                    ? tr("Every gate passes at %1 (%2)").arg(rev, qs(m_check.check.commitId.substr(0, 7)))
                    : tr("Checked %1 (%2)").arg(rev, qs(m_check.check.commitId.substr(0, 7))));
        });
    return true;
}

bool ReleaseDialog::startCreate() {
    if (m_job->isRunning()) return false;
    updateState();
    if (!m_createButton->isEnabled()) {
        m_job->setStatus(verdict(), true);
        return false;
    }
    const fs::path dir = m_repository;
    const QString tag = m_tag->text().trimmed();
    const std::string tagName = tag.toStdString();
    const std::string rev = m_checkedRev.toStdString();
    const std::string message = m_message->text().trimmed().toStdString();
    m_job->start<ReleaseCheckOutcome>(
        tr("Releasing %1").arg(tag), tr("Cannot release %1").arg(tag), true,
        [dir, tagName, rev, message](const Progress& progress) {
            return createReleaseAt(dir, tagName, rev, message, progress);
        },
        [this, tag](const JobResult<ReleaseCheckOutcome>& result) {
            if (!result.value) return;
            m_check = *result.value;
            showCheck();
            if (!m_check.check.ok()) {
                m_job->setStatus(tr("Release %1 not created: a gate failed; nothing was tagged").arg(tag),
                                 true);
                return;
            }
            m_created = tag;
            QString text = tr("Tagged %1 at %2").arg(tag, qs(m_check.check.commitId.substr(0, 7)));
            if (m_check.check.previousTag)
                text += tr(" (previous release %1)").arg(qs(*m_check.check.previousTag));
            m_job->setStatus(text);
            updateState();
            emit released(tag);
        });
    return true;
}

void ReleaseDialog::showCheck() {
    m_gates->clear();
    for (const auto& gate : m_check.check.gates) {
        auto* item = new QTreeWidgetItem(
            m_gates, {qs(gate.id), qs(gate.title), gate.passed ? tr("passes") : tr("FAILS")});
        item->setForeground(2, gate.passed ? QColor(30, 120, 40) : QColor(180, 30, 30));
        for (const auto& reason : gate.reasons) {
            auto* child = new QTreeWidgetItem(item, {QString(), qs(reason)});
            child->setToolTip(1, qs(reason));
        }
        item->setExpanded(!gate.passed);
    }
    m_gates->resizeColumnToContents(0);
    m_gates->resizeColumnToContents(2);
    updateState();
}

void ReleaseDialog::updateState() {
    const bool running = m_job->isRunning();
    const QString tag = m_tag->text().trimmed();
    const QString rev = m_rev->text().trimmed();
    m_checkButton->setEnabled(!running && !rev.isEmpty());
    m_tag->setEnabled(!running && m_created.isEmpty());
    m_message->setEnabled(!running && m_created.isEmpty());
    m_rev->setEnabled(!running && m_created.isEmpty());
    if (m_hasCheck)
        m_notes->setPlainText(releaseMessagePreview(tag.isEmpty() ? tr("TAG") : tag,
                                                    m_message->text().trimmed(), m_check.check.notes));

    QString verdict;
    bool ready = false;
    const auto& tags = m_check.tags;
    if (!m_created.isEmpty()) {
        verdict = tr("Released %1.").arg(m_created);
    } else if (running) {
        verdict = tr("Checking the gates…");
    } else if (!m_hasCheck || m_checkedRev != rev) {
        verdict =
            tr("Check %1 to see whether it can be released.").arg(rev.isEmpty() ? tr("a revision") : rev);
    } else if (const core::ReleaseGate* failed = m_check.check.firstFailure()) {
        verdict = tr("Release blocked: gate '%1' fails (%2). Fix what is listed, commit, and check again.")
                      .arg(qs(failed->id), qs(failed->title));
    } else if (tag.isEmpty()) {
        verdict = tr("Every gate passes. Enter the tag name to create.");
    } else if (std::find(tags.begin(), tags.end(), tag.toStdString()) != tags.end()) {
        verdict = tr("Tag %1 exists already: choose another name.").arg(tag);
    } else {
        verdict = tr("Every gate passes: Create release tags %1 at %2.")
                      .arg(tag, qs(m_check.check.commitId.substr(0, 7)));
        ready = true;
    }
    m_verdict->setText(verdict);
    m_createButton->setEnabled(!running && ready);
}

// ---- build ------------------------------------------------------------------------------------

BuildOutcome buildPackageAt(const BuildRequest& request, const Progress& progress) {
    progress.report(0.0, "Reading the fab profile");
    const core::FabProfile fab = core::loadFabProfile(request.fab);
    std::error_code ec;
    if (fs::exists(request.output, ec) &&
        !(fs::is_directory(request.output, ec) && fs::is_empty(request.output, ec)))
        throw UsageError(
            request.output.string() +
            " exists already: choose a new folder or .zip file (a package never overwrites anything)");
    core::Repository repo = core::Repository::open(request.repository);
    const auto commit = repo.resolve(request.rev);
    if (!commit) throw UsageError("unknown revision '" + request.rev + "'");
    BuildOutcome out;
    out.output = request.output;
    out.label = request.rev == "HEAD" ? commit->substr(0, 7) : request.rev;
    out.fabName = fab.name.empty() ? fab.file : fab.name;

    const auto tree = repo.treeAt(request.rev);
    const core::Catalog catalog = core::Catalog::loadDefault();
    const core::Design design = core::loadDesign(*tree, catalog, progress.child(0.0, 0.05));
    auto store = openGeometryStore({});
    core::GeometryCache cache(store.get());
    core::PackageOptions options;
    options.fab = &fab;
    options.version = out.label;
    options.roots = request.modules;
    options.repoUrl = request.repoUrl;
    options.timestamp = 0; // as `telar build`: the same inputs give the same bytes
    const core::Package package =
        core::buildPackage(design, *tree, catalog, cache, options, progress.child(0.05, 0.95));
    progress.throwIfCancelled(); // nothing has been written yet
    progress.report(0.95, "Writing " + request.output.string());
    core::writePackage(package.files, request.output);
    progress.report(1.0, "Package written");

    out.files = package.files.size();
    out.fabricationFiles =
        size_t(std::count_if(package.fabrication.begin(), package.fabrication.end(),
                             [](const core::FabricationFile& f) { return !f.path.empty(); }));
    out.bomLines = package.bom.lines.size();
    out.bomOk = package.bom.ok();
    out.warnings = package.warnings;
    return out;
}

BuildDialog::BuildDialog(const QString& repository, const std::vector<RevisionEntry>& revisions,
                         const std::string& rev, QWidget* parent)
    : JobDialog(parent), m_repository(repository.toStdString()) {
    setWindowTitle(tr("Build a fabrication package"));
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("Everything a fab needs to make the products of one revision: fabrication files per "
                      "part, the BOM with the fab's prices, notices, licences and the licence verdict for "
                      "that fab, an okh.toml and SHA256SUMS. The same inputs give the same bytes."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_rev = new QComboBox;
    m_rev->setEditable(true);
    m_rev->setInsertPolicy(QComboBox::NoInsert);
    m_rev->addItem(QStringLiteral("HEAD"));
    for (const auto& entry : revisions)
        if (entry.kind == RevisionEntry::Kind::Tag) m_rev->addItem(qs(entry.rev));
    m_rev->setEditText(qs(rev));
    form->addRow(tr("Revision:"), m_rev);
    m_fab = new FabProfilePicker;
    const QStringList shipped = FabProfilePicker::shippedProfiles();
    if (!shipped.isEmpty()) m_fab->selectFile(shipped.first());
    form->addRow(tr("Fab profile:"), m_fab);
    m_modules = new QLineEdit;
    m_modules->setPlaceholderText(tr("the products; or module ids, e.g. frame hopper"));
    m_modules->setToolTip(tr("Build these modules with everything they use instead of the project's products"));
    form->addRow(tr("Modules:"), m_modules);
    m_repoUrl = new QLineEdit;
    m_repoUrl->setPlaceholderText(tr("https://… (the repository's public address, for okh.toml)"));
    form->addRow(tr("Repository URL:"), m_repoUrl);
    m_output = new QLineEdit;
    m_output->setPlaceholderText(tr("a new folder, or a file ending in .zip"));
    auto* folder = new QPushButton(tr("Folder…"));
    folder->setAutoDefault(false);
    connect(folder, &QPushButton::clicked, this, &BuildDialog::browseFolder);
    auto* zip = new QPushButton(tr("Zip file…"));
    zip->setAutoDefault(false);
    connect(zip, &QPushButton::clicked, this, &BuildDialog::browseZip);
    form->addRow(tr("Write to:"), rowOf({m_output, folder, zip}, 0));
    layout->addLayout(form);
    layout->addWidget(m_job);
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox;
    m_buildButton = buttons->addButton(tr("Build"), QDialogButtonBox::ActionRole);
    m_buildButton->setDefault(true);
    buttons->addButton(QDialogButtonBox::Close);
    connect(m_buildButton, &QPushButton::clicked, this, [this] { startBuild(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &BuildDialog::reject);
    layout->addWidget(buttons);
    connect(m_job, &JobPanel::runningChanged, this, [this, folder, zip](bool running) {
        for (QWidget* w : {static_cast<QWidget*>(m_rev), static_cast<QWidget*>(m_fab),
                           static_cast<QWidget*>(m_modules), static_cast<QWidget*>(m_repoUrl),
                           static_cast<QWidget*>(m_output), static_cast<QWidget*>(folder),
                           static_cast<QWidget*>(zip), static_cast<QWidget*>(m_buildButton)})
            w->setEnabled(!running);
    });
    resize(680, sizeHint().height());
}

void BuildDialog::browseFolder() {
    const QString start = m_output->text().isEmpty() ? qpath(m_repository.parent_path()) : m_output->text();
    const QString dir = QFileDialog::getSaveFileName(this, tr("New folder for the package"), start, {},
                                                     nullptr, QFileDialog::ShowDirsOnly);
    if (!dir.isEmpty()) m_output->setText(dir);
}

void BuildDialog::browseZip() {
    const QString start = m_output->text().isEmpty() ? qpath(m_repository.parent_path()) : m_output->text();
    QString file = QFileDialog::getSaveFileName(this, tr("Write the package as a zip file"), start,
                                                tr("Zip archives (*.zip)"));
    if (file.isEmpty()) return;
    if (!file.endsWith(QStringLiteral(".zip"), Qt::CaseInsensitive)) file += QStringLiteral(".zip");
    m_output->setText(file);
}

bool BuildDialog::startBuild() {
    if (m_job->isRunning()) return false;
    const QString rev = m_rev->currentText().trimmed();
    const QString output = m_output->text().trimmed();
    const QFileInfo info(output);
    QString problem;
    if (rev.isEmpty())
        problem = tr("Name the revision to build (HEAD, a tag or a commit)");
    else if (m_fab->currentFile().isEmpty())
        problem = tr("Choose a fab profile: the package is made for one fab's machines and prices");
    else if (output.isEmpty())
        problem = tr("Choose where to write the package: a new folder, or a file ending in .zip");
    else if (info.isRelative())
        problem = tr("Give the full path of the package to write, not %1").arg(output);
    else if (!QFileInfo(info.absolutePath()).isDir())
        problem = tr("The folder %1 does not exist: choose an existing folder to write the package in")
                      .arg(info.absolutePath());
    else if (info.exists() &&
             !(info.isDir() && QDir(output).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)))
        problem =
            tr("%1 exists already: choose a new folder or .zip file (a package never overwrites anything)")
                .arg(output);
    if (!problem.isEmpty()) {
        m_job->setStatus(problem, true);
        return false;
    }
    BuildRequest request;
    request.repository = m_repository;
    request.rev = rev.toStdString();
    request.fab = m_fab->currentFile().toStdString();
    request.output = output.toStdString();
    for (const QString& id : m_modules->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts))
        request.modules.push_back(id.toStdString());
    request.repoUrl = m_repoUrl->text().trimmed().toStdString();
    m_job->start<BuildOutcome>(
        tr("Building the package of %1").arg(rev), tr("Cannot build the package"), true,
        [request](const Progress& progress) { return buildPackageAt(request, progress); },
        [this](const JobResult<BuildOutcome>& result) {
            if (!result.value) return;
            const BuildOutcome& b = *result.value;
            m_written = qpath(b.output);
            QString text = tr("Wrote %1: %2 files, %3 fabrication files, BOM %4 lines for %5 (%6)")
                               .arg(m_written)
                               .arg(b.files)
                               .arg(b.fabricationFiles)
                               .arg(b.bomLines)
                               .arg(qs(b.fabName), qs(b.label));
            if (!b.bomOk)
                text += tr(". The BOM has problems: they are listed in bom/bom.csv and bom/bom.html");
            for (const auto& w : b.warnings)
                text += QStringLiteral("\n") + tr("warning: %1").arg(qs(w));
            m_job->setStatus(text, !b.bomOk);
        });
    return true;
}

} // namespace telar::desktop
