#pragma once
// Getting a design repository onto this machine, from the start page or the File menu: clone one,
// fork one (as `telar fork` does: its [upstream] recorded in telar.toml) or adopt a folder of CAD
// files (as `telar adopt --write` does). Each dialog runs the core's work off the GUI thread with a
// progress bar and Cancel, shows the core's message when it fails, and hands the repository it
// made to MainWindow::openRepository.
//
// Shared with the merge assistant and the release and build dialogs: JobPanel (one worker job
// shown inside a dialog), JobDialog (a dialog around one) and RepositoryActions (the menu entries
// and start-page buttons that open all of them).

#include "design_jobs.h"
#include "job_progress.h"

#include "telar/core/adopt.h"
#include "telar/core/git.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QWidget>
#include <QtConcurrent/QtConcurrentRun>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace telar::desktop {

class BuildDialog;
class MainWindow;
class MergeAssistant;
class ReleaseDialog;
class StartPage;

// ---- shared helpers ---------------------------------------------------------------------------

// The author of commits and tags made from the desktop app, as the CLI chooses it without
// --author: GIT_AUTHOR_NAME + GIT_AUTHOR_EMAIL, else user.name + user.email from git's
// configuration of repo. Throws UsageError saying how to set one when there is none.
core::Signature desktopAuthor(const core::Repository& repo);
// GIT_AUTHOR_NAME + GIT_AUTHOR_EMAIL when both are set, else nullopt.
std::optional<core::Signature> authorFromEnvironment();

// The folder `telar clone URL` would create: the URL's last path segment without ".git"; empty
// when the URL gives none ("", "/", "host:").
QString folderNameFromUrl(const QString& url);

// ---- one worker job inside a dialog -----------------------------------------------------------

// How the last job of a JobPanel ended (Idle before the first one).
enum class JobState { Idle, Running, Done, Failed, Cancelled };

// A status line, a progress bar and a Cancel button for one worker job at a time. The job gets
// values only (never widgets) and a Progress whose cancel flag the Cancel button sets; its result
// comes back to the GUI thread in the done callback. Destroying the panel while a job runs
// cancels it and waits for it to end.
class JobPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobPanel(QWidget* parent = nullptr);
    ~JobPanel() override;

    // Runs work(const Progress&) -> T on a worker thread, then done(const JobResult<T>&) on the
    // GUI thread. label is shown while it runs; a failure is shown under errorTitle (status line,
    // and a message box unless error dialogs are off). cancellable: whether Cancel is offered.
    // One job at a time: call only when !isRunning().
    template <class T, class Work, class Done>
    void start(const QString& label, const QString& errorTitle, bool cancellable, Work work, Done done);

    JobState state() const { return m_state; }
    bool isRunning() const { return m_state == JobState::Running; }
    // Asks the running job to stop; it ends as JobState::Cancelled when the core honours it.
    void cancel();
    // What the job is doing, or how it ended ("Cancelled", the core's message, an outcome).
    QString statusText() const;
    // Replaces the status line after a job (e.g. with what a successful job did).
    void setStatus(const QString& text, bool error = false);
    // The message of the last failed job (empty otherwise).
    const QString& error() const { return m_error; }

    QProgressBar* progressBar() const { return m_bar; }
    QPushButton* cancelButton() const { return m_cancel; }
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

signals:
    // The job's result was handled (after done); state() says how it ended.
    void finished();
    // A job started or ended (isRunning() changed).
    void runningChanged(bool running);

private:
    void begin(const QString& label, bool cancellable, std::shared_ptr<JobProgress> progress);
    void end(JobState state, const QString& errorTitle, const QString& error);
    void poll();

    JobState m_state = JobState::Idle;
    bool m_errorDialogs = true;
    QString m_error;
    std::shared_ptr<JobProgress> m_progress;
    std::function<void()> m_waitForJob; // blocks until the running job has returned
    QLabel* m_status = nullptr;
    QProgressBar* m_bar = nullptr;
    QPushButton* m_cancel = nullptr;
    QTimer* m_timer = nullptr;
};

template <class T, class Work, class Done>
void JobPanel::start(const QString& label, const QString& errorTitle, bool cancellable, Work work,
                     Done done) {
    auto progress = std::make_shared<JobProgress>();
    auto* watcher = new QFutureWatcher<JobResult<T>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, errorTitle, done]() {
        const JobResult<T> result = watcher->result();
        watcher->deleteLater();
        m_waitForJob = nullptr;
        end(result.cancelled ? JobState::Cancelled
            : result.value   ? JobState::Done
                             : JobState::Failed,
            errorTitle, result.error);
        done(result);
        emit finished();
    });
    m_waitForJob = [watcher] { watcher->waitForFinished(); };
    begin(label, cancellable, progress);
    watcher->setFuture(QtConcurrent::run(
        [work, progress]() { return runJob<T>([&] { return work(progress->progress()); }); }));
}

// A dialog whose work runs in a JobPanel. Closing it (Esc, the window's close button) while a
// job runs cancels the job and closes once the job has ended.
class JobDialog : public QDialog {
    Q_OBJECT
public:
    JobPanel* jobPanel() const { return m_job; }
    void setErrorDialogsEnabled(bool enabled) { m_job->setErrorDialogsEnabled(enabled); }
    void reject() override;

protected:
    explicit JobDialog(QWidget* parent);
    JobPanel* m_job = nullptr;

private:
    bool m_closeWhenDone = false;
};

// ---- clone and fork ---------------------------------------------------------------------------

// Clone… (Fork::No) and Fork… (Fork::Yes): a URL (or a local repository), the folder to create
// it in and the new folder's name (default: from the URL). Clone runs cloneRepository, fork runs
// forkRepository with the author from desktopAuthor's environment variables or git's
// configuration. An existing folder that is not empty is refused before anything starts; a
// cancelled or failed transfer leaves no folder behind (the core removes it).
class CloneDialog : public JobDialog {
    Q_OBJECT
public:
    enum class Fork { No, Yes };
    // parentFolder: where the new folder goes by default.
    CloneDialog(Fork fork, const QString& parentFolder, QWidget* parent = nullptr);

    bool isFork() const { return m_fork == Fork::Yes; }
    QLineEdit* urlEdit() const { return m_url; }
    QLineEdit* parentEdit() const { return m_parent; }
    QLineEdit* nameEdit() const { return m_name; }
    QPushButton* startButton() const { return m_start; }
    // The folder the job creates: parent folder / name.
    QString targetPath() const;
    // The repository made by the last successful job (empty before).
    const QString& resultPath() const { return m_result; }

    // Checks the fields and starts the job; false (with the reason in the status line) when a
    // field is wrong.
    bool startJob();

signals:
    // A repository was cloned or forked into path (a message says what happened).
    void repositoryReady(const QString& path, const QString& message);

private:
    void onUrlEdited();
    void browseUrl();
    void browseParent();
    void updateTarget();

    Fork m_fork;
    bool m_nameEdited = false;
    QString m_result;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_parent = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_target = nullptr;
    QPushButton* m_start = nullptr;
};

// What cloning or forking made.
struct CloneOutcome {
    std::filesystem::path dir; // the new repository's working folder (absolute)
    QString message;           // "Cloned URL into DIR (main at 1a2b3c4)"
};
// The worker of CloneDialog. Throws UsageError when dir exists and is not empty, and what
// cloneRepository / forkRepository throw (GitError, telar::Cancelled).
CloneOutcome cloneOrFork(CloneDialog::Fork fork, const std::string& url, const std::filesystem::path& dir,
                         const Progress& progress);

// ---- adopt ------------------------------------------------------------------------------------

// Adopt folder…: proposes Telar manifests for a folder of CAD files or a git repository without
// Telar files (proposeAdoption: modules, parts, licences, what could not be decided), then
// writes them (writeAdoption) and opens the folder. A folder that is not yet a git repository
// becomes one (git init, nothing committed), so the design can be opened and committed; a folder
// inside another git repository is refused.
class AdoptDialog : public JobDialog {
    Q_OBJECT
public:
    explicit AdoptDialog(const QString& folder = {}, QWidget* parent = nullptr);

    QLineEdit* folderEdit() const { return m_folder; }
    QPushButton* proposeButton() const { return m_propose; }
    QPushButton* adoptButton() const { return m_adopt; }
    // Modules (top level) and their parts (id, file, quantity, process) of the proposal shown.
    QTreeWidget* proposalTree() const { return m_tree; }
    // Project, licences, decisions and what is left undecided, as text.
    QPlainTextEdit* notesView() const { return m_notes; }
    // The proposal shown (nullptr before one was made for the folder in the field).
    const core::AdoptProposal* proposal() const { return m_proposal.get(); }
    const QString& resultPath() const { return m_result; }

    // Starts proposing for the folder in the field; false when the field is empty.
    bool startProposal();
    // Starts writing the proposal shown; false when there is none for the folder in the field.
    bool startAdoption();

signals:
    // The manifests were written in path (now a git repository).
    void repositoryReady(const QString& path, const QString& message);

private:
    void browse();
    void showProposal();

    std::shared_ptr<const core::AdoptProposal> m_proposal;
    QString m_proposalFolder; // the folder m_proposal is for
    QString m_result;
    QLineEdit* m_folder = nullptr;
    QPushButton* m_propose = nullptr;
    QPushButton* m_adopt = nullptr;
    QTreeWidget* m_tree = nullptr;
    QPlainTextEdit* m_notes = nullptr;
};

// The workers of AdoptDialog. proposeForFolder throws UsageError when dir is not a folder, already
// has a telar.toml, or lies inside another git repository. adoptFolder writes proposal's
// manifests and initialises a git repository in dir when it has none; returns dir (absolute).
// Throws what writeAdoption throws (UsageError, ManifestError) and GitError.
core::AdoptProposal proposeForFolder(const std::filesystem::path& dir);
std::filesystem::path adoptFolder(const std::filesystem::path& dir, const core::AdoptProposal& proposal,
                                  const Progress& progress);

// ---- menu entries -----------------------------------------------------------------------------

// The entries that open the dialogs of this file, the merge assistant and the release and build
// dialogs: File → Clone… / Fork… / Adopt folder… (and the start page's buttons), and the
// Repository menu (Merge…, Release…, Build package…; enabled while a repository is open).
// Dialogs are window-modal, deleted when closed; a repository they make is opened in window,
// and one they change (merge, release) is reloaded at the revision shown.
class RepositoryActions : public QObject {
    Q_OBJECT
public:
    RepositoryActions(MainWindow* window, StartPage* startPage);

    // Adds Clone…, Fork… and Adopt folder… to file.
    void addFileActions(QMenu* file);
    // The Repository menu (owned by the window).
    QMenu* repositoryMenu() const { return m_menu; }
    // Whether the dialogs show failures in message boxes too (off in tests and screenshots).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

    CloneDialog* openClone();
    CloneDialog* openFork();
    AdoptDialog* openAdopt();
    // nullptr when no repository is open.
    MergeAssistant* openMerge();
    ReleaseDialog* openRelease();
    BuildDialog* openBuild();

    QAction* mergeAction() const { return m_merge; }
    QAction* releaseAction() const { return m_release; }
    QAction* buildAction() const { return m_build; }

private:
    void updateEnabled();
    QString defaultParentFolder() const;
    void prepare(JobDialog* dialog);
    void onRepositoryReady(const QString& path, const QString& message);
    void reloadShown();

    MainWindow* m_window;
    bool m_errorDialogs = true;
    QMenu* m_menu = nullptr;
    QAction* m_clone = nullptr;
    QAction* m_fork = nullptr;
    QAction* m_adopt = nullptr;
    QAction* m_merge = nullptr;
    QAction* m_release = nullptr;
    QAction* m_build = nullptr;
};

} // namespace telar::desktop
