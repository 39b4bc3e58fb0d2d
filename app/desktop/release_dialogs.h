#pragma once
// Repository → Release… and Repository → Build package…, over core/release.h and core/package.h.
//
// The release dialog checks a revision against the four release gates off the GUI thread
// (checkRelease), shows each gate with the reasons it fails, previews the tag message (the
// core's release notes: BOM summary and the BOM changes since the previous release) and, when
// every gate passes, creates the annotated tag (createRelease, which checks again).
//
// The build dialog writes the fabrication package of a revision for a fab profile (buildPackage
// + writePackage, as `telar build` does, byte for byte) into a new folder or a .zip, off the GUI
// thread with progress and Cancel. A cancelled or failed build writes nothing: the output is
// written only after the package is complete, atomically.

#include "design_jobs.h"
#include "repo_dialogs.h"

#include "telar/core/release.h"

#include <QString>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace telar::desktop {

class FabProfilePicker;

// ---- release ----------------------------------------------------------------------------------

// A release check with the repository's tags (to refuse an existing tag name before starting).
struct ReleaseCheckOutcome {
    core::ReleaseCheck check;
    std::vector<std::string> tags;
};

// The workers of ReleaseDialog: the check of rev, and the release itself (tagger from
// desktopAuthor). They use the default catalogue and the per-user geometry cache
// (Store::defaultPath(); analysed without it when it cannot be opened). Throw what
// checkRelease / createRelease throw (GitError for an unknown revision, UsageError for an
// existing or invalid tag, telar::Cancelled).
ReleaseCheckOutcome checkReleaseAt(const std::filesystem::path& dir, const std::string& rev,
                                   const Progress& progress);
ReleaseCheckOutcome createReleaseAt(const std::filesystem::path& dir, const std::string& tag,
                                    const std::string& rev, const std::string& message,
                                    const Progress& progress);

// The tag message createRelease writes: (message or "Release TAG"), a blank line, the notes.
QString releaseMessagePreview(const QString& tag, const QString& message, const std::string& notes);

class ReleaseDialog : public JobDialog {
    Q_OBJECT
public:
    // repository: the working folder; rev: the revision to release (default HEAD). Starts the
    // check of rev at once.
    ReleaseDialog(const QString& repository, const std::string& rev, QWidget* parent = nullptr);

    QLineEdit* tagEdit() const { return m_tag; }
    QLineEdit* messageEdit() const { return m_message; }
    QLineEdit* revisionEdit() const { return m_rev; }
    QPushButton* checkButton() const { return m_checkButton; }
    QPushButton* createButton() const { return m_createButton; }
    // One row per gate (id, title, "passes" / "FAILS"), its reasons as children.
    QTreeWidget* gateTree() const { return m_gates; }
    // The tag message as it will be written.
    QPlainTextEdit* notesView() const { return m_notes; }
    // Why Create is not available (empty when it is), or what the release did.
    QString verdict() const;
    // True when the last check (for the revision in the field) passed every gate.
    bool checkPassed() const;

    // Start checking the revision in the field, and creating the tag; false (with the reason in
    // the status line) when they cannot start now.
    bool startCheck();
    bool startCreate();

signals:
    // Tag tag was created (the repository changed).
    void released(const QString& tag);

private:
    void showCheck();
    void updateState();

    std::filesystem::path m_repository;
    bool m_hasCheck = false;
    ReleaseCheckOutcome m_check;
    QString m_checkedRev;
    QString m_created; // the tag created by this dialog
    QLineEdit* m_tag = nullptr;
    QLineEdit* m_message = nullptr;
    QLineEdit* m_rev = nullptr;
    QPushButton* m_checkButton = nullptr;
    QPushButton* m_createButton = nullptr;
    QLabel* m_verdict = nullptr;
    QTreeWidget* m_gates = nullptr;
    QPlainTextEdit* m_notes = nullptr;
};

// ---- build ------------------------------------------------------------------------------------

// What to build.
struct BuildRequest {
    std::filesystem::path repository;
    std::string rev = "HEAD";
    std::filesystem::path fab;    // fab profile file
    std::filesystem::path output; // a new folder, or FILE.zip
    std::vector<std::string> modules; // modules to build; empty: the project's products (--module)
    std::string repoUrl;              // the repository's public URL for okh.toml (--repo-url)
};

// What a build wrote.
struct BuildOutcome {
    std::filesystem::path output;
    std::string label;     // the version named in README and okh.toml ("v1.0", or a short id)
    std::string fabName;   // the profile's name (its file when it has none)
    std::size_t files = 0; // in the package, SHA256SUMS included
    std::size_t fabricationFiles = 0;
    std::size_t bomLines = 0;
    bool bomOk = true;
    std::vector<std::string> warnings;
};

// The worker of BuildDialog: reads rev from git objects, builds the package for the fab profile
// (version label and fixed timestamps as `telar build`, so the bytes are the CLI's) and writes it
// to output. Throws UsageError (output exists, unknown revision), ManifestError (fab profile),
// telar::Cancelled (nothing is written then) and what buildPackage and writePackage throw.
BuildOutcome buildPackageAt(const BuildRequest& request, const Progress& progress);

class BuildDialog : public JobDialog {
    Q_OBJECT
public:
    // revisions: the picker's entries (HEAD and tags are offered; any revision can be typed).
    BuildDialog(const QString& repository, const std::vector<RevisionEntry>& revisions,
                const std::string& rev, QWidget* parent = nullptr);

    QComboBox* revisionBox() const { return m_rev; }
    FabProfilePicker* fabPicker() const { return m_fab; }
    QLineEdit* outputEdit() const { return m_output; }
    // Module ids separated by spaces or commas (empty: the products), and the URL for okh.toml.
    QLineEdit* modulesEdit() const { return m_modules; }
    QLineEdit* repoUrlEdit() const { return m_repoUrl; }
    QPushButton* buildButton() const { return m_buildButton; }
    // The package written by the last successful build (empty before).
    const QString& writtenPath() const { return m_written; }

    // Checks the fields and starts the build; false (with the reason in the status line) when a
    // field is wrong.
    bool startBuild();

private:
    void browseFolder();
    void browseZip();

    std::filesystem::path m_repository;
    QString m_written;
    QComboBox* m_rev = nullptr;
    FabProfilePicker* m_fab = nullptr;
    QLineEdit* m_output = nullptr;
    QLineEdit* m_modules = nullptr;
    QLineEdit* m_repoUrl = nullptr;
    QPushButton* m_buildButton = nullptr;
};

} // namespace telar::desktop
