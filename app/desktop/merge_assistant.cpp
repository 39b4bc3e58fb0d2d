#include "merge_assistant.h"

#include "telar/core/git.h"
#include "telar/error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace telar::desktop {

namespace fs = std::filesystem;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

enum Column { ConflictColumn, BaseColumn, OursColumn, TheirsColumn, ChoiceColumn };

bool isManifest(const std::string& path) {
    return path == "telar.toml" || path == "module.toml" ||
           (path.size() > 12 && path.compare(path.size() - 12, 12, "/module.toml") == 0);
}

// What `telar resolve` is given to settle c (as the CLI names it, always with the module).
std::string targetOf(const core::MergeConflict& c) {
    if ((c.kind == "part" || c.kind == "field" || c.kind == "use") && !c.part.empty())
        return c.module.empty() ? c.part : c.module + "/" + c.part;
    return c.path;
}

// Whether resolveConflict(target) settles c (the core's rule).
bool settles(const std::string& target, const core::MergeConflict& c) {
    if (c.path == target) return true;
    return !c.part.empty() && (c.part == target || c.module + "/" + c.part == target);
}

// Base, ours and theirs as shown: blob ids shortened, values as the core gives them.
QString shown(const std::string& value) {
    const bool blob = value.size() == 40 && std::all_of(value.begin(), value.end(), [](char ch) {
                          return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
                      });
    if (blob) return QObject::tr("blob %1").arg(qs(value.substr(0, 7)));
    return qs(value);
}

QString conflictLabel(const core::MergeConflict& c) {
    if (c.kind == "field") return qs(c.field);
    if (c.kind == "use") return QObject::tr("use of %1").arg(qs(c.part));
    if (c.kind == "part") return QObject::tr("CAD file %1").arg(qs(c.path));
    return QObject::tr("file %1").arg(qs(c.path));
}

MergeOutcome describe(core::Repository& repo, core::MergeResult result) {
    MergeOutcome out;
    out.result = std::move(result);
    out.state = core::mergeInProgress(repo);
    out.branch = repo.currentBranch();
    if (auto head = repo.resolve("HEAD")) out.head = *head;
    return out;
}

} // namespace

std::vector<ConflictGroup> groupConflicts(const std::vector<core::MergeConflict>& conflicts) {
    std::vector<ConflictGroup> groups;
    for (const auto& c : conflicts) {
        const std::string target = targetOf(c);
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const ConflictGroup& g) { return g.target == target; });
        if (it == groups.end()) {
            ConflictGroup g;
            g.target = target;
            g.isPath = target == c.path;
            groups.push_back(g);
            it = groups.end() - 1;
        }
        if (isManifest(c.path)) it->bothAllowed = false;
        it->conflicts.push_back(c);
    }
    return groups;
}

MergeOutcome mergeStateAt(const fs::path& dir) {
    core::Repository repo = core::Repository::open(dir);
    return describe(repo, {});
}

MergeOutcome startMergeAt(const fs::path& dir, const std::string& rev, bool allowLicenceFindings,
                          const Progress& progress) {
    core::Repository repo = core::Repository::open(dir);
    const core::Signature who = desktopAuthor(repo);
    core::MergeOptions options;
    options.allowLicenceFindings = allowLicenceFindings;
    return describe(repo, core::mergeRevision(repo, rev, who, options, progress));
}

MergeOutcome commitMergeAt(const fs::path& dir,
                           const std::vector<std::pair<std::string, core::ResolveChoice>>& choices,
                           bool allowLicenceFindings) {
    core::Repository repo = core::Repository::open(dir);
    if (!core::mergeInProgress(repo)) throw UsageError("no merge is in progress in " + dir.string());
    const core::Signature who = desktopAuthor(repo);
    core::MergeResult result;
    for (const auto& [target, choice] : choices) {
        const auto state = core::mergeInProgress(repo);
        if (!state) break; // the last resolution committed
        const bool open = std::any_of(state->conflicts.begin(), state->conflicts.end(),
                                      [&](const core::MergeConflict& c) { return settles(target, c); });
        if (open) result = core::resolveConflict(repo, target, choice, who);
    }
    if (const auto state = core::mergeInProgress(repo); state && state->conflicts.empty()) {
        core::MergeOptions options;
        options.allowLicenceFindings = allowLicenceFindings;
        result = core::continueMerge(repo, who, options);
    }
    return describe(repo, std::move(result));
}

MergeOutcome abortMergeAt(const fs::path& dir) {
    core::Repository repo = core::Repository::open(dir);
    core::abortMerge(repo);
    return describe(repo, {});
}

MergeAssistant::MergeAssistant(const QString& repository, const std::vector<RevisionEntry>& revisions,
                               QWidget* parent)
    : JobDialog(parent), m_repository(repository.toStdString()) {
    setWindowTitle(tr("Merge"));
    auto* layout = new QVBoxLayout(this);
    m_into = new QLabel;
    m_into->setTextFormat(Qt::PlainText);
    m_into->setWordWrap(true);
    layout->addWidget(m_into);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Merge:")));
    m_revision = new QComboBox;
    m_revision->setEditable(true);
    m_revision->setInsertPolicy(QComboBox::NoInsert);
    m_revision->setMinimumContentsLength(24);
    m_revision->lineEdit()->setPlaceholderText(tr("branch, tag or commit (e.g. feature, origin/main, v1.0)"));
    for (const auto& entry : revisions)
        if (entry.kind == RevisionEntry::Kind::Tag || entry.kind == RevisionEntry::Kind::Branch ||
            entry.kind == RevisionEntry::Kind::RemoteBranch)
            m_revision->addItem(qs(entry.rev));
    m_revision->setCurrentIndex(-1);
    m_revision->setEditText(QString());
    row->addWidget(m_revision, 1);
    m_mergeButton = new QPushButton(tr("Merge"));
    m_mergeButton->setToolTip(
        tr("Three-way merge into the current branch; manifests merge part by part, field by field"));
    connect(m_mergeButton, &QPushButton::clicked, this, [this] { startMerge(); });
    row->addWidget(m_mergeButton);
    layout->addLayout(row);

    m_summary = new QLabel;
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    m_tree = new QTreeWidget;
    m_tree->setHeaderLabels({tr("Conflict"), tr("Base"), tr("Ours"), tr("Theirs"), tr("Choice")});
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ConflictColumn, QHeaderView::Stretch);
    layout->addWidget(m_tree, 3);

    m_findingsLabel = new QLabel(tr("Licence findings the merge brings in (checked before committing):"));
    layout->addWidget(m_findingsLabel);
    m_findings = new QListWidget;
    m_findings->setMaximumHeight(110);
    layout->addWidget(m_findings, 1);
    m_allowLicence = new QCheckBox(tr("Commit despite licence errors"));
    m_allowLicence->setToolTip(
        tr("Commit even when the merge brings in licence errors (--allow-licence-findings)"));
    layout->addWidget(m_allowLicence);
    layout->addWidget(m_job);

    auto* buttons = new QDialogButtonBox;
    m_commitButton = buttons->addButton(tr("Commit"), QDialogButtonBox::ActionRole);
    m_commitButton->setToolTip(tr("Apply the choices and commit the merge (telar merge --continue)"));
    m_abortButton = buttons->addButton(tr("Abort merge"), QDialogButtonBox::ActionRole);
    m_abortButton->setToolTip(tr("Put HEAD, the index and every file back as they were before the merge"));
    buttons->addButton(QDialogButtonBox::Close);
    connect(m_commitButton, &QPushButton::clicked, this, [this] { startCommit(); });
    connect(m_abortButton, &QPushButton::clicked, this, [this] { startAbort(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &MergeAssistant::reject);
    layout->addWidget(buttons);
    connect(m_job, &JobPanel::runningChanged, this, [this] { updateButtons(); });
    connect(m_revision, &QComboBox::editTextChanged, this, [this] { updateButtons(); });

    // Where the repository stands now (a merge may be in progress from an earlier session).
    try {
        const MergeOutcome now = mergeStateAt(m_repository);
        m_branch = now.branch;
        m_state = now.state;
        if (m_state) {
            m_what = qs(m_state->theirs);
            m_groups = groupConflicts(m_state->conflicts);
            m_summary->setText(m_state->licenceBlocked
                                   ? tr("A merge of %1 is in progress: its conflicts are settled, but it "
                                        "brings in licence errors. "
                                        "Commit (tick the box to accept them) or abort it.")
                                         .arg(m_what)
                                   : tr("A merge of %1 is in progress: choose ours, theirs or both for each "
                                        "conflict, then Commit — "
                                        "or Abort merge to put everything back.")
                                         .arg(m_what));
        }
    } catch (const std::exception& e) {
        m_job->setStatus(qs(e.what()), true);
    }
    fillConflicts();
    resize(820, 600);
}

QString MergeAssistant::summary() const {
    return m_summary->text();
}

QComboBox* MergeAssistant::choiceBox(int index) const {
    QTreeWidgetItem* item = m_tree->topLevelItem(index);
    return item ? qobject_cast<QComboBox*>(m_tree->itemWidget(item, ChoiceColumn)) : nullptr;
}

void MergeAssistant::fillConflicts() {
    m_tree->clear();
    for (size_t g = 0; g < m_groups.size(); ++g) {
        const ConflictGroup& group = m_groups[g];
        auto* top = new QTreeWidgetItem(m_tree, {qs(group.target)});
        QFont bold = top->font(ConflictColumn);
        bold.setBold(true);
        top->setFont(ConflictColumn, bold);
        QStringList messages;
        for (const auto& c : group.conflicts) {
            auto* child =
                new QTreeWidgetItem(top, {conflictLabel(c), shown(c.base), shown(c.ours), shown(c.theirs)});
            for (int col = ConflictColumn; col <= TheirsColumn; ++col)
                child->setToolTip(col, qs(c.message));
            messages << qs(c.message);
        }
        top->setToolTip(ConflictColumn, messages.join(QLatin1Char('\n')));
        auto* choice = new QComboBox;
        choice->addItem(tr("Choose…"), -1);
        choice->addItem(tr("Ours"), int(core::ResolveChoice::Ours));
        choice->addItem(tr("Theirs"), int(core::ResolveChoice::Theirs));
        if (group.bothAllowed) choice->addItem(tr("Both"), int(core::ResolveChoice::Both));
        choice->setToolTip(
            group.bothAllowed
                ? tr("Ours keeps our version, Theirs takes theirs, Both keeps theirs beside ours as "
                     "<name>-theirs with a part <id>-theirs")
                : tr("Ours keeps our values, Theirs takes theirs"));
        connect(choice, &QComboBox::currentIndexChanged, this, [this] { updateButtons(); });
        m_tree->setItemWidget(top, ChoiceColumn, choice);
    }
    m_tree->expandAll();
    for (int col = BaseColumn; col <= ChoiceColumn; ++col)
        m_tree->resizeColumnToContents(col);

    m_findings->clear();
    for (const auto& f : m_findingsShown) {
        auto* item = new QListWidgetItem(qs(f), m_findings);
        if (f.rfind("error", 0) == 0)
            item->setForeground(QColor(180, 30, 30));
        else if (f.rfind("warning", 0) == 0)
            item->setForeground(QColor(160, 110, 0));
    }
    const bool blocked = m_state && m_state->licenceBlocked;
    if (m_findingsShown.empty() && !blocked)
        new QListWidgetItem(m_state ? tr("No new licence findings were reported for this merge.")
                                    : tr("Run the merge to see the licence findings it brings in."),
                            m_findings);
    updateButtons();
}

void MergeAssistant::updateButtons() {
    const bool running = m_job->isRunning();
    QString into = m_branch.empty() ? tr("Merging into the detached HEAD")
                                    : tr("Merging into branch %1").arg(qs(m_branch));
    if (m_state)
        into =
            tr("Merge of %1 into %2 in progress").arg(m_what, m_branch.empty() ? tr("HEAD") : qs(m_branch));
    m_into->setText(into);
    m_revision->setEnabled(!running && !m_state);
    m_mergeButton->setEnabled(!running && !m_state && !m_revision->currentText().trimmed().isEmpty());
    bool chosen = true;
    for (int g = 0; g < groupCount(); ++g) {
        QComboBox* box = choiceBox(g);
        if (box) box->setEnabled(!running);
        if (!box || box->currentData().toInt() < 0) chosen = false;
    }
    m_commitButton->setEnabled(!running && m_state && chosen);
    m_abortButton->setEnabled(!running && m_state);
}

bool MergeAssistant::startMerge() {
    if (m_job->isRunning()) return false;
    if (m_state) {
        m_job->setStatus(tr("A merge is already in progress: commit or abort it first"), true);
        return false;
    }
    const QString rev = m_revision->currentText().trimmed();
    if (rev.isEmpty()) {
        m_job->setStatus(tr("Name the branch, tag or commit to merge"), true);
        return false;
    }
    m_what = rev;
    const fs::path dir = m_repository;
    const std::string what = rev.toStdString();
    const bool allow = m_allowLicence->isChecked();
    m_job->start<MergeOutcome>(
        tr("Merging %1").arg(rev), tr("Cannot merge %1").arg(rev), true,
        [dir, what, allow](const Progress& progress) { return startMergeAt(dir, what, allow, progress); },
        [this](const JobResult<MergeOutcome>& result) {
            if (result.value) applyOutcome(*result.value, true);
        });
    return true;
}

bool MergeAssistant::startCommit() {
    if (m_job->isRunning()) return false;
    if (!m_state) {
        m_job->setStatus(tr("No merge is in progress"), true);
        return false;
    }
    // Part and module groups first: a path group settles whatever is still open in its file.
    std::vector<std::pair<std::string, core::ResolveChoice>> choices;
    for (int pass = 0; pass < 2; ++pass)
        for (int g = 0; g < groupCount(); ++g) {
            if (group(g).isPath != (pass == 1)) continue;
            const int data = choiceBox(g) ? choiceBox(g)->currentData().toInt() : -1;
            if (data < 0) {
                m_job->setStatus(tr("Choose ours, theirs or both for %1 first").arg(qs(group(g).target)),
                                 true);
                return false;
            }
            choices.emplace_back(group(g).target, core::ResolveChoice(data));
        }
    const fs::path dir = m_repository;
    const bool allow = m_allowLicence->isChecked();
    m_job->start<MergeOutcome>(
        tr("Committing the merge of %1").arg(m_what), tr("Cannot commit the merge"), false,
        [dir, choices, allow](const Progress&) { return commitMergeAt(dir, choices, allow); },
        [this](const JobResult<MergeOutcome>& result) {
            if (result.value) applyOutcome(*result.value, false);
        });
    return true;
}

bool MergeAssistant::startAbort() {
    if (m_job->isRunning()) return false;
    if (!m_state) {
        m_job->setStatus(tr("No merge is in progress"), true);
        return false;
    }
    const fs::path dir = m_repository;
    const std::string oursId = m_state->oursId;
    m_job->start<MergeOutcome>(
        tr("Aborting the merge of %1").arg(m_what), tr("Cannot abort the merge"), false,
        [dir](const Progress&) { return abortMergeAt(dir); },
        [this, oursId](const JobResult<MergeOutcome>& result) {
            if (!result.value) return;
            m_state.reset();
            m_groups.clear();
            m_findingsShown.clear();
            m_branch = result.value->branch;
            m_summary->setText(
                tr("Merge aborted: back at %1, every file as it was before.").arg(qs(oursId.substr(0, 7))));
            m_job->setStatus(tr("Aborted"));
            fillConflicts();
            emit repositoryChanged();
        });
    return true;
}

void MergeAssistant::applyOutcome(const MergeOutcome& outcome, bool merged) {
    const core::MergeResult& r = outcome.result;
    m_state = outcome.state;
    m_branch = outcome.branch;
    if (merged || !r.licenceFindings.empty()) m_findingsShown = r.licenceFindings;
    m_groups = m_state ? groupConflicts(m_state->conflicts) : std::vector<ConflictGroup>{};
    const QString into = m_branch.empty() ? tr("HEAD") : qs(m_branch);
    QString text;
    if (r.upToDate) {
        text = tr("Already up to date: %1 is contained in %2.").arg(m_what, into);
    } else if (r.fastForward) {
        text = tr("Fast-forward: %1 moved to %2 (%3); no merge commit was needed.")
                   .arg(into, m_what, qs(r.commitId.substr(0, 7)));
    } else if (r.committed) {
        text = tr("Merged %1 into %2: %3.").arg(m_what, into, qs(r.commitId.substr(0, 7)));
    } else if (m_state && !m_state->conflicts.empty()) {
        text = tr("%1 to settle: choose ours, theirs or both for each, then Commit — or Abort merge to put "
                  "everything back.")
                   .arg(m_state->conflicts.size() == 1 ? tr("1 conflict")
                                                       : tr("%1 conflicts").arg(m_state->conflicts.size()));
    } else if (m_state) {
        text =
            tr("Not committed: the merge brings in licence errors (listed below). Fix them and Commit, tick "
               "\"Commit despite licence errors\" and Commit, or Abort merge.");
    } else {
        text = tr("Nothing was merged: the merge would bring in licence errors (listed below). Tick \"Commit "
                  "despite "
                  "licence errors\" and Merge again to merge anyway.");
    }
    m_summary->setText(text);
    m_job->setStatus(r.committed || r.fastForward || r.upToDate ? tr("Done")
                                                                : tr("Waiting for your choices"));
    fillConflicts();
    emit repositoryChanged();
}

} // namespace telar::desktop
