#include "repo_dialogs.h"

#include "main_window.h"
#include "merge_assistant.h"
#include "release_dialogs.h"
#include "start_page.h"

#include "telar/core/remote.h"
#include "telar/error.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cstdlib>
#include <iostream>

namespace telar::desktop {

namespace fs = std::filesystem;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString qpath(const fs::path& p) {
    return QString::fromStdString(p.string());
}
fs::path fspath(const QString& s) {
    return fs::path(s.toStdString());
}

// A line edit and a button side by side, as one form row.
QWidget* withButton(QLineEdit* edit, QPushButton* button) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return row;
}

QLabel* explanation(const QString& text) {
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

std::string shortId(const std::string& id) {
    return id.substr(0, 7);
}

// "1 module", "3 modules".
QString counted(size_t n, const QString& one, const QString& many) {
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

// True when dir is the working folder of a git repository, false when it is in none. Throws
// UsageError when dir lies inside another repository or is a bare one.
bool isRepositoryRoot(const fs::path& dir) {
    std::optional<core::Repository> repo;
    try {
        repo.emplace(core::Repository::open(dir));
    } catch (const GitError&) {
        return false; // not in a repository: adoption initialises one
    }
    if (repo->isBare())
        throw UsageError(dir.string() +
                         " is a bare git repository (it has no working folder): clone it and adopt "
                         "the clone");
    std::error_code ec;
    if (!fs::equivalent(repo->workdir(), dir, ec))
        throw UsageError(dir.string() + " is inside the git repository " + repo->workdir().string() +
                         ": adopt that repository's folder, or move this folder out of it");
    return true;
}

} // namespace

// ---- shared helpers ---------------------------------------------------------------------------

std::optional<core::Signature> authorFromEnvironment() {
    const char* name = std::getenv("GIT_AUTHOR_NAME");
    const char* email = std::getenv("GIT_AUTHOR_EMAIL");
    if (name && *name && email && *email) return core::Signature{name, email, 0, 0};
    return std::nullopt;
}

core::Signature desktopAuthor(const core::Repository& repo) {
    if (auto env = authorFromEnvironment()) return *env;
    if (auto sig = repo.defaultSignature()) return *sig;
    throw UsageError(
        "no author for the commit: set one with `git config --global user.name \"Your Name\"` and "
        "`git config --global user.email you@example.org` (or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL)");
}

QString folderNameFromUrl(const QString& url) {
    QString s = url.trimmed();
    while (!s.isEmpty() && (s.endsWith(QLatin1Char('/')) || s.endsWith(QLatin1Char('\\'))))
        s.chop(1);
    const int slash = std::max(s.lastIndexOf(QLatin1Char('/')), s.lastIndexOf(QLatin1Char(':')));
    QString name = slash < 0 ? s : s.mid(slash + 1);
    if (name.size() > 4 && name.endsWith(QStringLiteral(".git"))) name.chop(4);
    if (name == QStringLiteral(".") || name == QStringLiteral("..")) return {};
    return name;
}

// ---- JobPanel ---------------------------------------------------------------------------------

JobPanel::JobPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    auto* row = new QHBoxLayout;
    m_bar = new QProgressBar;
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->hide();
    row->addWidget(m_bar, 1);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the work in progress; nothing half-done is left behind"));
    m_cancel->setAutoDefault(false);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &JobPanel::cancel);
    row->addWidget(m_cancel);
    layout->addLayout(row);
    m_timer = new QTimer(this);
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, &JobPanel::poll);
}

JobPanel::~JobPanel() {
    if (m_progress) m_progress->cancel();
    if (m_waitForJob) m_waitForJob(); // the job holds values only; let it end before the panel goes
}

void JobPanel::begin(const QString& label, bool cancellable, std::shared_ptr<JobProgress> progress) {
    m_state = JobState::Running;
    m_error.clear();
    m_progress = std::move(progress);
    setStatus(label + QStringLiteral("…"));
    m_bar->setValue(0);
    m_bar->show();
    m_cancel->setVisible(cancellable);
    m_cancel->setEnabled(cancellable);
    m_timer->start();
    emit runningChanged(true);
}

void JobPanel::end(JobState state, const QString& errorTitle, const QString& error) {
    m_timer->stop();
    m_bar->hide();
    m_cancel->hide();
    m_progress.reset();
    m_state = state;
    if (state == JobState::Cancelled) {
        setStatus(tr("Cancelled"));
    } else if (state == JobState::Failed) {
        m_error = error;
        std::cerr << "telar-desktop: " << errorTitle.toStdString() << ": " << error.toStdString() << "\n";
        setStatus(errorTitle + QStringLiteral(": ") + error, true);
        if (m_errorDialogs) {
            // After the caller has seen the result: the message box runs its own event loop.
            QTimer::singleShot(
                0, this, [this, errorTitle, error] { QMessageBox::warning(window(), errorTitle, error); });
        }
    } else {
        setStatus(tr("Done"));
    }
    emit runningChanged(false);
}

void JobPanel::poll() {
    if (!m_progress) return;
    m_bar->setValue(int(m_progress->fraction() * 1000));
    const QString label = m_progress->label();
    if (!label.isEmpty() && !m_progress->isCancelled()) setStatus(label + QStringLiteral("…"));
}

void JobPanel::cancel() {
    if (!m_progress || m_progress->isCancelled()) return;
    m_progress->cancel();
    m_cancel->setEnabled(false);
    setStatus(tr("Cancelling…"));
}

QString JobPanel::statusText() const {
    return m_status->text();
}

void JobPanel::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b41e1e;") : QString());
}

JobDialog::JobDialog(QWidget* parent) : QDialog(parent) {
    m_job = new JobPanel(this);
    connect(m_job, &JobPanel::finished, this, [this] {
        if (!m_closeWhenDone) return;
        m_closeWhenDone = false;
        QDialog::reject();
    });
}

void JobDialog::reject() {
    if (m_job->isRunning()) {
        m_closeWhenDone = true;
        m_job->cancel();
        return;
    }
    QDialog::reject();
}

// ---- CloneDialog ------------------------------------------------------------------------------

CloneOutcome cloneOrFork(CloneDialog::Fork fork, const std::string& url, const fs::path& dir,
                         const Progress& progress) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec)))
        throw UsageError(std::string("cannot ") + (fork == CloneDialog::Fork::Yes ? "fork" : "clone") +
                         " into " + dir.string() + ": the folder exists and is not empty");
    CloneOutcome out;
    out.dir = fs::absolute(dir).lexically_normal();
    if (fork == CloneDialog::Fork::Yes) {
        const core::ForkResult r = core::forkRepository(url, dir, authorFromEnvironment(), "", progress);
        out.message =
            QObject::tr("Forked %1 into %2: [upstream] records commit %3; committed as \"Fork of %1\" (%4)")
                .arg(qs(r.url), qpath(out.dir), qs(shortId(r.upstreamCommit)), qs(shortId(r.forkCommit)));
    } else {
        core::Repository repo = core::cloneRepository(url, dir, progress);
        const auto head = repo.resolve("HEAD");
        out.message = QObject::tr("Cloned %1 into %2").arg(qs(core::displayUrl(url)), qpath(out.dir));
        if (head) out.message += QObject::tr(" (%1 at %2)").arg(qs(repo.currentBranch()), qs(shortId(*head)));
    }
    return out;
}

CloneDialog::CloneDialog(Fork fork, const QString& parentFolder, QWidget* parent)
    : JobDialog(parent), m_fork(fork) {
    setWindowTitle(isFork() ? tr("Fork a design") : tr("Clone a design repository"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(
        explanation(isFork() ? tr("A fork is a copy of a design that you develop on your own. Telar clones "
                                  "it, records where it came "
                                  "from in telar.toml ([upstream]: the URL and the commit) and commits that "
                                  "as \"Fork of URL\". "
                                  "Add a remote of your own to publish it; `telar sync` brings in the "
                                  "upstream's later changes.")
                             : tr("Copies a design repository and its whole history to this computer.")));

    auto* form = new QFormLayout;
    m_url = new QLineEdit;
    m_url->setPlaceholderText(tr("https://…, git://…, ssh://… or a local folder"));
    auto* browseUrl = new QPushButton(tr("Local…"));
    browseUrl->setToolTip(tr("Choose a repository folder on this computer"));
    browseUrl->setAutoDefault(false);
    connect(browseUrl, &QPushButton::clicked, this, &CloneDialog::browseUrl);
    form->addRow(isFork() ? tr("Design to fork:") : tr("Repository URL:"), withButton(m_url, browseUrl));
    m_parent = new QLineEdit(parentFolder);
    auto* browseParent = new QPushButton(tr("Browse…"));
    browseParent->setAutoDefault(false);
    connect(browseParent, &QPushButton::clicked, this, &CloneDialog::browseParent);
    form->addRow(tr("Create in:"), withButton(m_parent, browseParent));
    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("name of the new folder"));
    form->addRow(isFork() ? tr("Fork name:") : tr("Folder name:"), m_name);
    m_target = new QLabel;
    m_target->setTextFormat(Qt::PlainText);
    m_target->setWordWrap(true);
    form->addRow(QString(), m_target);
    layout->addLayout(form);
    layout->addWidget(m_job);
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox;
    m_start = buttons->addButton(isFork() ? tr("Fork") : tr("Clone"), QDialogButtonBox::ActionRole);
    m_start->setDefault(true);
    buttons->addButton(QDialogButtonBox::Close);
    connect(m_start, &QPushButton::clicked, this, [this] { startJob(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &CloneDialog::reject);
    layout->addWidget(buttons);

    connect(m_url, &QLineEdit::textChanged, this, &CloneDialog::onUrlEdited);
    connect(m_name, &QLineEdit::textEdited, this,
            [this](const QString& text) { m_nameEdited = !text.isEmpty(); });
    connect(m_name, &QLineEdit::textChanged, this, &CloneDialog::updateTarget);
    connect(m_parent, &QLineEdit::textChanged, this, &CloneDialog::updateTarget);
    connect(m_job, &JobPanel::runningChanged, this, [this, browseUrl, browseParent](bool running) {
        for (QWidget* w : {static_cast<QWidget*>(m_url), static_cast<QWidget*>(m_parent),
                           static_cast<QWidget*>(m_name), static_cast<QWidget*>(browseUrl),
                           static_cast<QWidget*>(browseParent), static_cast<QWidget*>(m_start)})
            w->setEnabled(!running);
    });
    updateTarget();
    resize(620, sizeHint().height());
}

void CloneDialog::onUrlEdited() {
    if (!m_nameEdited) m_name->setText(folderNameFromUrl(m_url->text()));
}

void CloneDialog::browseUrl() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Choose a repository folder"), m_parent->text());
    if (!dir.isEmpty()) m_url->setText(dir);
}

void CloneDialog::browseParent() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Create the repository in"), m_parent->text());
    if (!dir.isEmpty()) m_parent->setText(dir);
}

QString CloneDialog::targetPath() const {
    const QString parent = m_parent->text().trimmed();
    const QString name = m_name->text().trimmed();
    if (parent.isEmpty() || name.isEmpty()) return {};
    return QDir::cleanPath(QDir(parent).filePath(name));
}

void CloneDialog::updateTarget() {
    const QString target = targetPath();
    m_target->setText(target.isEmpty() ? QString() : tr("Creates %1").arg(QDir::toNativeSeparators(target)));
}

bool CloneDialog::startJob() {
    if (m_job->isRunning()) return false;
    const QString url = m_url->text().trimmed();
    const QString parent = m_parent->text().trimmed();
    const QString name = m_name->text().trimmed();
    QString problem;
    if (url.isEmpty())
        problem = isFork() ? tr("Enter the URL of the design to fork, or choose a local repository")
                           : tr("Enter the URL of the repository to clone, or choose a local repository");
    else if (parent.isEmpty())
        problem = tr("Choose the folder to create the repository in");
    else if (!QFileInfo(parent).isDir())
        problem = tr("The folder %1 does not exist: choose an existing folder to create the repository in")
                      .arg(parent);
    else if (name.isEmpty())
        problem = tr("Enter a name for the new folder");
    else if (name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')) ||
             name == QStringLiteral(".") || name == QStringLiteral(".."))
        problem = tr("The folder name \"%1\" must be one folder name, without / or \\").arg(name);
    if (!problem.isEmpty()) {
        m_job->setStatus(problem, true);
        return false;
    }
    const Fork fork = m_fork;
    const std::string source = url.toStdString();
    const fs::path dir = fspath(targetPath());
    m_job->start<CloneOutcome>(
        (isFork() ? tr("Forking %1") : tr("Cloning %1")).arg(qs(core::displayUrl(source))),
        isFork() ? tr("Cannot fork") : tr("Cannot clone"), true,
        [fork, source, dir](const Progress& progress) { return cloneOrFork(fork, source, dir, progress); },
        [this](const JobResult<CloneOutcome>& result) {
            if (!result.value) return;
            m_result = qpath(result.value->dir);
            m_job->setStatus(result.value->message);
            emit repositoryReady(m_result, result.value->message);
            accept();
        });
    return true;
}

// ---- AdoptDialog ------------------------------------------------------------------------------

core::AdoptProposal proposeForFolder(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw UsageError("not a folder: " + dir.string());
    if (fs::exists(dir / "telar.toml", ec))
        throw UsageError(
            (dir / "telar.toml").string() +
            " already exists: the folder is already a Telar design (open it with Open repository…)");
    isRepositoryRoot(dir);
    return core::proposeAdoption(dir);
}

fs::path adoptFolder(const fs::path& dir, const core::AdoptProposal& proposal, const Progress& progress) {
    progress.report(0.0, "Writing the manifests");
    const bool repository = isRepositoryRoot(dir);
    progress.throwIfCancelled(); // nothing is written after this
    core::writeAdoption(dir, proposal);
    if (!repository) {
        progress.report(0.8, "Creating a git repository");
        core::Repository::init(dir);
    }
    progress.report(1.0, "Adopted");
    return fs::absolute(dir).lexically_normal();
}

AdoptDialog::AdoptDialog(const QString& folder, QWidget* parent) : JobDialog(parent) {
    setWindowTitle(tr("Adopt a folder as a Telar design"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(
        explanation(tr("Proposes a telar.toml and one module.toml per folder holding CAD files (STEP, IGES, "
                       "STL, 3MF), with a part "
                       "per file and the licences found. Nothing is moved or edited; review the proposal, "
                       "then Adopt writes the "
                       "manifests (and makes the folder a git repository when it is not one yet).")));
    auto* form = new QFormLayout;
    m_folder = new QLineEdit(folder);
    m_folder->setPlaceholderText(tr("a folder of CAD files, or a git repository without Telar files"));
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setAutoDefault(false);
    connect(browse, &QPushButton::clicked, this, &AdoptDialog::browse);
    form->addRow(tr("Folder:"), withButton(m_folder, browse));
    layout->addLayout(form);

    m_tree = new QTreeWidget;
    m_tree->setHeaderLabels({tr("Module / part"), tr("File"), tr("Quantity"), tr("Process")});
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    m_notes = new QPlainTextEdit;
    m_notes->setReadOnly(true);
    m_notes->setPlaceholderText(tr("Licences, decisions and what is left for you to decide appear here"));
    layout->addWidget(m_tree, 3);
    layout->addWidget(m_notes, 2);
    layout->addWidget(m_job);

    auto* buttons = new QDialogButtonBox;
    m_propose = buttons->addButton(tr("Propose"), QDialogButtonBox::ActionRole);
    m_adopt = buttons->addButton(tr("Adopt"), QDialogButtonBox::ActionRole);
    m_adopt->setToolTip(tr("Write telar.toml and the module.toml files proposed, then open the design"));
    m_adopt->setEnabled(false);
    m_propose->setDefault(true);
    buttons->addButton(QDialogButtonBox::Close);
    connect(m_propose, &QPushButton::clicked, this, [this] { startProposal(); });
    connect(m_adopt, &QPushButton::clicked, this, [this] { startAdoption(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &AdoptDialog::reject);
    layout->addWidget(buttons);

    connect(m_folder, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.trimmed() == m_proposalFolder) return;
        m_proposal.reset();
        m_proposalFolder.clear();
        showProposal();
    });
    connect(m_job, &JobPanel::runningChanged, this, [this, browse](bool running) {
        m_folder->setEnabled(!running);
        browse->setEnabled(!running);
        m_propose->setEnabled(!running);
        m_adopt->setEnabled(!running && m_proposal);
    });
    resize(760, 620);
}

void AdoptDialog::browse() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Choose the folder to adopt"), m_folder->text());
    if (dir.isEmpty()) return;
    m_folder->setText(dir);
    startProposal();
}

bool AdoptDialog::startProposal() {
    if (m_job->isRunning()) return false;
    const QString folder = m_folder->text().trimmed();
    if (folder.isEmpty()) {
        m_job->setStatus(tr("Choose the folder to adopt"), true);
        return false;
    }
    const fs::path dir = fspath(folder);
    m_job->start<core::AdoptProposal>(
        tr("Reading %1").arg(folder), tr("Cannot adopt %1").arg(folder), true,
        [dir](const Progress& progress) {
            progress.report(0.0, "Reading " + dir.string());
            core::AdoptProposal proposal = proposeForFolder(dir);
            progress.throwIfCancelled();
            return proposal;
        },
        [this, folder](const JobResult<core::AdoptProposal>& result) {
            if (!result.value) return;
            m_proposal = result.value;
            m_proposalFolder = folder;
            showProposal();
            size_t parts = 0;
            for (const auto& m : m_proposal->modules)
                parts += m.parts.size();
            QString text = tr("Proposed %1 with %2")
                               .arg(counted(m_proposal->modules.size(), tr("module"), tr("modules")),
                                    counted(parts, tr("part"), tr("parts")));
            text += m_proposal->undecided.empty()
                        ? tr("; nothing left undecided.")
                        : tr("; %1 left for you to decide (listed above).")
                              .arg(counted(m_proposal->undecided.size(), tr("thing"), tr("things")));
            m_job->setStatus(text + tr(" Adopt writes the manifests."));
            m_adopt->setEnabled(true);
        });
    return true;
}

void AdoptDialog::showProposal() {
    m_tree->clear();
    m_notes->clear();
    m_adopt->setEnabled(m_proposal && !m_job->isRunning());
    if (!m_proposal) return;
    const core::AdoptProposal& p = *m_proposal;
    for (const auto& module : p.modules) {
        auto* item = new QTreeWidgetItem(m_tree, {qs(module.id), qs(module.id + "/module.toml")});
        if (!module.license.empty()) item->setToolTip(0, tr("Licence %1").arg(qs(module.license)));
        for (const auto& part : module.parts)
            new QTreeWidgetItem(
                item, {qs(part.id), qs(part.file), QString::number(part.quantity), qs(part.process)});
    }
    m_tree->expandAll();
    for (int c = 0; c < 3; ++c)
        m_tree->resizeColumnToContents(c);

    QStringList lines;
    QStringList products;
    for (const auto& id : p.project.products)
        products << qs(id);
    lines << tr("Project: %1, licence %2, products: %3")
                 .arg(qs(p.project.name), p.project.license.empty() ? tr("none") : qs(p.project.license),
                      products.isEmpty() ? tr("none") : products.join(QStringLiteral(", ")));
    if (!p.licenses.empty()) {
        lines << QString() << tr("Licences found:");
        for (const auto& l : p.licenses) {
            QString line =
                QStringLiteral("  %1: %2").arg(qs(l.file), l.id.empty() ? tr("not recognised") : qs(l.id));
            if (!l.ambiguity.empty()) line += QStringLiteral(" (%1)").arg(qs(l.ambiguity));
            lines << line;
        }
    }
    if (!p.decisions.empty()) {
        lines << QString() << tr("Decided:");
        for (const auto& d : p.decisions)
            lines << QStringLiteral("  ") + qs(d);
    }
    lines << QString();
    if (p.undecided.empty()) {
        lines << tr("Nothing left undecided.");
    } else {
        lines << tr("Undecided (%1):").arg(p.undecided.size());
        for (const auto& u : p.undecided)
            lines << QStringLiteral("  %1: %2").arg(qs(u.kind), qs(u.message));
    }
    m_notes->setPlainText(lines.join(QLatin1Char('\n')));
}

bool AdoptDialog::startAdoption() {
    if (m_job->isRunning()) return false;
    const QString folder = m_folder->text().trimmed();
    if (!m_proposal || folder != m_proposalFolder) {
        m_job->setStatus(tr("Propose first: Adopt writes the proposal shown for this folder"), true);
        return false;
    }
    const fs::path dir = fspath(folder);
    const std::shared_ptr<const core::AdoptProposal> proposal = m_proposal;
    m_job->start<fs::path>(
        tr("Writing the manifests in %1").arg(folder), tr("Cannot adopt %1").arg(folder), true,
        [dir, proposal](const Progress& progress) { return adoptFolder(dir, *proposal, progress); },
        [this, proposal](const JobResult<fs::path>& result) {
            if (!result.value) return;
            m_result = qpath(*result.value);
            const QString message =
                tr("Adopted %1: wrote telar.toml and %2")
                    .arg(m_result,
                         counted(proposal->modules.size(), tr("module.toml file"), tr("module.toml files")));
            m_job->setStatus(message);
            emit repositoryReady(m_result, message);
            accept();
        });
    return true;
}

// ---- RepositoryActions ------------------------------------------------------------------------

RepositoryActions::RepositoryActions(MainWindow* window, StartPage* startPage)
    : QObject(window), m_window(window) {
    m_clone = new QAction(tr("&Clone repository…"), this);
    m_clone->setToolTip(tr("Copy a design repository and its history from a URL"));
    connect(m_clone, &QAction::triggered, this, [this] { openClone(); });
    m_fork = new QAction(tr("&Fork design…"), this);
    m_fork->setToolTip(tr("Clone a design as your own fork, recording where it came from"));
    connect(m_fork, &QAction::triggered, this, [this] { openFork(); });
    m_adopt = new QAction(tr("&Adopt folder…"), this);
    m_adopt->setToolTip(tr("Propose and write Telar manifests for a folder of CAD files"));
    connect(m_adopt, &QAction::triggered, this, [this] { openAdopt(); });

    m_menu = new QMenu(tr("&Repository"), window);
    m_merge = m_menu->addAction(tr("&Merge…"), this, [this] { openMerge(); });
    m_merge->setToolTip(
        tr("Merge a branch or revision into the current branch, settling conflicts per part and field"));
    m_release = m_menu->addAction(tr("&Release…"), this, [this] { openRelease(); });
    m_release->setToolTip(tr("Tag a release once its gates pass, with the BOM changes as notes"));
    m_build = m_menu->addAction(tr("&Build package…"), this, [this] { openBuild(); });
    m_build->setToolTip(tr("Write the fabrication package of a revision for a fab"));
    connect(m_menu, &QMenu::aboutToShow, this, &RepositoryActions::updateEnabled);
    connect(window, &MainWindow::designLoaded, this, &RepositoryActions::updateEnabled);

    if (startPage) {
        connect(startPage, &StartPage::cloneRequested, this, [this] { openClone(); });
        connect(startPage, &StartPage::forkRequested, this, [this] { openFork(); });
        connect(startPage, &StartPage::adoptRequested, this, [this] { openAdopt(); });
    }
    updateEnabled();
}

void RepositoryActions::addFileActions(QMenu* file) {
    file->addAction(m_clone);
    file->addAction(m_fork);
    file->addAction(m_adopt);
}

void RepositoryActions::updateEnabled() {
    const DesignSnapshot* snapshot = m_window->snapshot();
    const bool open = snapshot != nullptr;
    m_merge->setEnabled(open);
    m_release->setEnabled(open);
    m_build->setEnabled(open);
}

QString RepositoryActions::defaultParentFolder() const {
    if (const DesignSnapshot* snapshot = m_window->snapshot())
        return qpath(snapshot->repository.parent_path());
    return QDir::homePath();
}

void RepositoryActions::prepare(JobDialog* dialog) {
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setErrorDialogsEnabled(m_errorDialogs);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
}

void RepositoryActions::onRepositoryReady(const QString& path, const QString& message) {
    m_window->openRepository(path);
    m_window->statusBar()->showMessage(message, 10000);
}

void RepositoryActions::reloadShown() {
    if (const DesignSnapshot* snapshot = m_window->snapshot()) m_window->loadRevision(snapshot->rev);
}

CloneDialog* RepositoryActions::openClone() {
    auto* dialog = new CloneDialog(CloneDialog::Fork::No, defaultParentFolder(), m_window);
    connect(dialog, &CloneDialog::repositoryReady, this, &RepositoryActions::onRepositoryReady);
    prepare(dialog);
    return dialog;
}

CloneDialog* RepositoryActions::openFork() {
    auto* dialog = new CloneDialog(CloneDialog::Fork::Yes, defaultParentFolder(), m_window);
    connect(dialog, &CloneDialog::repositoryReady, this, &RepositoryActions::onRepositoryReady);
    prepare(dialog);
    return dialog;
}

AdoptDialog* RepositoryActions::openAdopt() {
    auto* dialog = new AdoptDialog({}, m_window);
    connect(dialog, &AdoptDialog::repositoryReady, this, &RepositoryActions::onRepositoryReady);
    prepare(dialog);
    return dialog;
}

MergeAssistant* RepositoryActions::openMerge() {
    const DesignSnapshot* snapshot = m_window->snapshot();
    if (!snapshot) return nullptr;
    auto* dialog = new MergeAssistant(qpath(snapshot->repository), snapshot->revisions, m_window);
    connect(dialog, &MergeAssistant::repositoryChanged, this, &RepositoryActions::reloadShown);
    prepare(dialog);
    return dialog;
}

ReleaseDialog* RepositoryActions::openRelease() {
    const DesignSnapshot* snapshot = m_window->snapshot();
    if (!snapshot) return nullptr;
    auto* dialog = new ReleaseDialog(qpath(snapshot->repository),
                                     snapshot->rev.empty() ? "HEAD" : snapshot->rev, m_window);
    connect(dialog, &ReleaseDialog::released, this, &RepositoryActions::reloadShown);
    prepare(dialog);
    return dialog;
}

BuildDialog* RepositoryActions::openBuild() {
    const DesignSnapshot* snapshot = m_window->snapshot();
    if (!snapshot) return nullptr;
    auto* dialog = new BuildDialog(qpath(snapshot->repository), snapshot->revisions,
                                   snapshot->rev.empty() ? "HEAD" : snapshot->rev, m_window);
    prepare(dialog);
    return dialog;
}

} // namespace telar::desktop
