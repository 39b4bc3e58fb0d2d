// The repository dialogs driven like a user on the offscreen platform: clone (from a git daemon on
// 127.0.0.1) and fork from the start page, adopt a folder of STEP/STL files, the merge assistant
// (a field conflict settled with theirs, licence findings before the commit, abort restoring every
// byte), the release dialog's gates and notes, and the build dialog's package (the same bytes as
// `telar build`); Cancel of a slow clone and of a build leaves nothing behind.
#include "git_servers.h"
#include "gui_fixture.h"

#include "main_window.h"
#include "merge_assistant.h"
#include "release_dialogs.h"
#include "repo_dialogs.h"
#include "start_page.h"

#include "fab_profile_picker.h"
#include "telar/core/catalog.h"
#include "telar/core/git.h"
#include "telar/core/package.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QTreeWidget>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>

namespace fs = std::filesystem;
using namespace telar::desktop;
using telar::test::ExampleCommons;
using telar::test::git;
using telar::test::readFile;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

QString qpath(const fs::path& p) {
    return QString::fromStdString(p.string());
}

// Sets an environment variable for the life of the object (TELAR_HOME, GIT_AUTHOR_*).
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (m_old)
            setenv(m_name, m_old->c_str(), 1);
        else
            unsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

// A main window on the offscreen platform that shows no message boxes.
struct Window {
    struct Application {
        Application() { telar::test::ensureGuiApplication(); }
    } application; // before the window
    MainWindow window{false};
    Window() {
        window.setErrorDialogsEnabled(false);
        window.repositoryActions()->setErrorDialogsEnabled(false);
        window.resize(1100, 760);
        window.show();
    }
    bool open(const fs::path& path) {
        QSignalSpy loaded(&window, &MainWindow::designLoaded);
        QSignalSpy failed(&window, &MainWindow::designLoadFailed);
        window.openRepository(qpath(path));
        for (int i = 0; i < 600 && loaded.isEmpty() && failed.isEmpty(); ++i)
            loaded.wait(100);
        return !loaded.isEmpty();
    }
    // Waits for the design load a dialog started (true when it loaded).
    bool waitLoaded(QSignalSpy& loaded) {
        for (int i = 0; i < 600 && loaded.isEmpty(); ++i)
            loaded.wait(100);
        for (int i = 0; i < 100 && window.isBusy(); ++i)
            QTest::qWait(50);
        return !loaded.isEmpty();
    }
};

// Waits until panel's job has ended (or panel is gone); false after a timeout.
bool waitJob(const QPointer<JobPanel>& panel, int seconds = 180) {
    for (int i = 0; i < seconds * 20 && panel && panel->isRunning(); ++i)
        QTest::qWait(50);
    return !panel || !panel->isRunning();
}

// Every file under dir (but .git) with its bytes, by relative path.
std::map<std::string, std::string> filesUnder(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
        if (it->path().filename() == ".git") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) files[fs::relative(it->path(), dir).string()] = readFile(it->path());
    }
    return files;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
}

const std::string kProject =
    "[project]\nname = \"Test Press\"\nlicense = \"CERN-OHL-S-2.0\"\nproducts = [\"frame\"]\n";
const std::string kFrame =
    "# Frame\n[module]\nname = \"Frame\"\nversion = \"1.0.0\"\nlicense = \"CERN-OHL-S-2.0\"\n\n"
    "[[part]]\nid = \"side-plate\"\nname = \"Side plate\"\nprocess = \"purchased\"\nquantity = 2\n";
const std::string kNcPart =
    "\n[[part]]\nid = \"logo-plate\"\nname = \"Logo plate\"\nprocess = \"purchased\"\n"
    "quantity = 1\nlicense = \"CC-BY-NC-4.0\"\n";

// A design whose branches main and theirs both changed side-plate's quantity (3 and 4); theirs
// also rewrote README.md and adds theirsExtra to frame/module.toml. Commits by a fixed author
// from the repository's own configuration.
fs::path conflictedDesign(const fs::path& root, const std::string& theirsExtra = "") {
    const fs::path repo = root / "design";
    writeFile(repo / "telar.toml", kProject);
    writeFile(repo / "frame/module.toml", kFrame);
    writeFile(repo / "README.md", "# Test press\n");
    git(root, {"init", "-q", "-b", "main", repo.string()});
    git(repo, {"config", "user.name", "Merge Tester"});
    git(repo, {"config", "user.email", "merge@example.org"});
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", "base"});
    git(repo, {"checkout", "-q", "-b", "theirs"});
    writeFile(repo / "frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 4") + theirsExtra);
    writeFile(repo / "README.md", "# Test press\n\nTheirs was here.\n");
    git(repo, {"commit", "-q", "-am", "theirs"});
    git(repo, {"checkout", "-q", "main"});
    writeFile(repo / "frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3"));
    git(repo, {"commit", "-q", "-am", "ours"});
    return repo;
}

MergeAssistant* openMerge(Window& w, const fs::path& repo) {
    REQUIRE(w.open(repo));
    REQUIRE(w.window.repositoryActions()->mergeAction()->isEnabled());
    MergeAssistant* merge = w.window.repositoryActions()->openMerge();
    REQUIRE(merge);
    return merge;
}

// Types rev into the assistant and clicks Merge; waits for the result.
void mergeFromDialog(MergeAssistant* merge, const QString& rev) {
    merge->revisionBox()->setEditText(rev);
    REQUIRE(merge->mergeButton()->isEnabled());
    QTest::mouseClick(merge->mergeButton(), Qt::LeftButton);
    REQUIRE(waitJob(merge->jobPanel()));
}

} // namespace

TEST_CASE("The start page and the File menu open the clone, fork and adopt dialogs", "[gui]") {
    Window w;
    auto* stack = qobject_cast<QStackedWidget*>(w.window.centralWidget());
    REQUIRE(stack);
    auto* start = qobject_cast<StartPage*>(stack->currentWidget());
    REQUIRE(start);
    // Each button opens its dialog (window-modal: closed before the next click).
    QTest::mouseClick(start->cloneButton(), Qt::LeftButton);
    auto clones = w.window.findChildren<CloneDialog*>();
    REQUIRE(clones.size() == 1);
    CHECK(clones[0]->windowTitle() == "Clone a design repository");
    CHECK_FALSE(clones[0]->isFork());
    CHECK(clones[0]->isVisible());
    CHECK(clones[0]->startButton()->text() == "Clone");
    clones[0]->hide();
    QTest::mouseClick(start->forkButton(), Qt::LeftButton);
    clones = w.window.findChildren<CloneDialog*>();
    REQUIRE(clones.size() == 2);
    CHECK(clones[1]->windowTitle() == "Fork a design");
    CHECK(clones[1]->isFork());
    CHECK(clones[1]->startButton()->text() == "Fork");
    clones[1]->hide();
    QTest::mouseClick(start->adoptButton(), Qt::LeftButton);
    REQUIRE(w.window.findChildren<AdoptDialog*>().size() == 1);
    w.window.findChildren<AdoptDialog*>()[0]->hide();
    // The same dialogs from the File menu; merge, release and build in the Repository menu.
    QStringList entries;
    for (QAction* menu : w.window.menuBar()->actions())
        if (menu->menu())
            for (QAction* entry : menu->menu()->actions())
                entries << menu->text() + " / " + entry->text();
    CHECK(entries.contains("&File / &Clone repository…"));
    CHECK(entries.contains("&File / &Fork design…"));
    CHECK(entries.contains("&File / &Adopt folder…"));
    CHECK(entries.contains("&Repository / &Merge…"));
    CHECK(entries.contains("&Repository / &Release…"));
    CHECK(entries.contains("&Repository / &Build package…"));
    // The folder name follows the URL until it is typed.
    clones[0]->urlEdit()->setText("https://example.org/commons/open-press.git/");
    CHECK(clones[0]->nameEdit()->text() == "open-press");
    CHECK(folderNameFromUrl("git@example.org:press.git") == "press");
    CHECK(folderNameFromUrl("/") == "");
    // Wrong fields are refused before anything starts, with what to do.
    clones[0]->parentEdit()->setText("/no/such/folder");
    CHECK_FALSE(clones[0]->startJob());
    CHECK(clones[0]->jobPanel()->statusText() ==
          "The folder /no/such/folder does not exist: choose an existing folder to create the repository in");
    CHECK(clones[0]->jobPanel()->state() == JobState::Idle);
    // Nothing is open: the Repository menu's entries are off and open nothing.
    CHECK_FALSE(w.window.repositoryActions()->mergeAction()->isEnabled());
    CHECK(w.window.repositoryActions()->openMerge() == nullptr);
    for (auto* d : clones)
        d->close();
}

TEST_CASE("Clone from a git daemon on 127.0.0.1 opens the design with its nine modules", "[gui][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    ExampleCommons commons;
    TempDir tmp("telar-gui-clone");
    fs::create_directories(tmp / "srv");
    git(tmp.path(),
        {"clone", "-q", "--bare", commons.openPress().string(), (tmp / "srv/open-press.git").string()});
    telar::test::GitDaemon daemon(tmp / "srv");
    fs::create_directories(tmp / "work");

    Window w;
    auto* stack = qobject_cast<QStackedWidget*>(w.window.centralWidget());
    QTest::mouseClick(qobject_cast<StartPage*>(stack->currentWidget())->cloneButton(), Qt::LeftButton);
    QPointer<CloneDialog> dialog = w.window.findChild<CloneDialog*>();
    REQUIRE(dialog);
    dialog->urlEdit()->setText(QString::fromStdString(daemon.url("open-press.git")));
    dialog->parentEdit()->setText(qpath(tmp / "work"));
    CHECK(dialog->nameEdit()->text() == "open-press");
    CHECK(dialog->targetPath() == qpath(tmp / "work/open-press"));
    QSignalSpy ready(dialog.data(), &CloneDialog::repositoryReady);
    QSignalSpy loaded(&w.window, &MainWindow::designLoaded);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    REQUIRE(w.waitLoaded(loaded));
    REQUIRE(ready.size() == 1);
    CHECK(ready.first().first().toString() == qpath(tmp / "work/open-press"));
    CHECK(ready.first().at(1).toString().startsWith(
        QString::fromStdString("Cloned " + daemon.url("open-press.git") + " into " +
                               (tmp / "work/open-press").string() + " (main at ")));
    QTest::qWait(50);
    CHECK_FALSE(dialog); // closed and deleted once the repository opened

    const DesignSnapshot* snapshot = w.window.snapshot();
    REQUIRE(snapshot);
    CHECK(snapshot->repository == tmp / "work/open-press");
    CHECK(snapshot->design->modules.size() == 9);
    CHECK(snapshot->design->project.name == "Open Press");
    CHECK(git(tmp / "work/open-press", {"rev-parse", "HEAD"}) ==
          git(commons.openPress(), {"rev-parse", "HEAD"}));
    CHECK(git(tmp / "work/open-press", {"status", "--porcelain"}).empty());
    CHECK(w.window.repositoryActions()->mergeAction()->isEnabled());
}

TEST_CASE("Fork of a local repository records its upstream and opens", "[gui]") {
    ExampleCommons commons;
    TempDir tmp("telar-gui-fork");
    ScopedEnv name("GIT_AUTHOR_NAME", "Fork Maker");
    ScopedEnv email("GIT_AUTHOR_EMAIL", "fork@example.org");
    Window w;
    CloneDialog* dialog = w.window.repositoryActions()->openFork();
    dialog->urlEdit()->setText(qpath(commons.openPress()));
    dialog->parentEdit()->setText(qpath(tmp.path()));
    dialog->nameEdit()->setText("my-press");
    QSignalSpy loaded(&w.window, &MainWindow::designLoaded);
    REQUIRE(dialog->startJob());
    REQUIRE(w.waitLoaded(loaded));
    const fs::path fork = tmp / "my-press";
    CHECK(w.window.snapshot()->repository == fork);
    CHECK(w.window.snapshot()->design->modules.size() == 9);
    const std::string toml = readFile(fork / "telar.toml");
    CHECK(toml.find("[upstream]\nurl = \"" + commons.openPress().string() + "\"\ncommit = \"" +
                    git(commons.openPress(), {"rev-parse", "HEAD"}) + "\"\n") != std::string::npos);
    CHECK(git(fork, {"log", "-1", "--format=%s|%an <%ae>"}) ==
          "Fork of " + commons.openPress().string() + "|Fork Maker <fork@example.org>");
    // The source is untouched; a second fork into the same folder is refused before it starts.
    CHECK(git(commons.openPress(), {"status", "--porcelain"}).empty());
    CloneDialog* again = w.window.repositoryActions()->openFork();
    again->urlEdit()->setText(qpath(commons.openPress()));
    again->parentEdit()->setText(qpath(tmp.path()));
    again->nameEdit()->setText("my-press");
    REQUIRE(again->startJob());
    REQUIRE(waitJob(again->jobPanel()));
    CHECK(again->jobPanel()->state() == JobState::Failed);
    CHECK(again->jobPanel()->error() == QString::fromStdString("cannot fork into " + fork.string() +
                                                               ": the folder exists and is not empty"));
    again->close();
}

TEST_CASE("Adopt proposes modules and parts for a folder of STEP and STL files and opens it", "[gui]") {
    ExampleCommons commons;
    TempDir tmp("telar-gui-adopt");
    const fs::path folder = tmp / "bench-vise";
    fs::create_directories(folder / "CAD/Frame");
    fs::create_directories(folder / "STLs");
    fs::copy_file(commons.openPress() / "frame/cad/side-plate.step", folder / "CAD/Frame/Side Plate.step");
    fs::copy_file(commons.openPress() / "frame/cad/corner-cap.stl", folder / "STLs/[a]_Corner_Cap_x4.stl");
    fs::copy_file(commons.openPress() / "frame/cad/foot-pad.stl", folder / "STLs/Foot_Pad_x2.stl");

    Window w;
    AdoptDialog* dialog = w.window.repositoryActions()->openAdopt();
    CHECK_FALSE(dialog->adoptButton()->isEnabled());
    dialog->folderEdit()->setText(qpath(folder));
    QTest::mouseClick(dialog->proposeButton(), Qt::LeftButton);
    REQUIRE(waitJob(dialog->jobPanel()));
    REQUIRE(dialog->jobPanel()->state() == JobState::Done);
    CHECK(dialog->jobPanel()->statusText() == "Proposed 2 modules with 3 parts; 2 things left for you to "
                                              "decide (listed above). Adopt writes the manifests.");
    QTreeWidget* tree = dialog->proposalTree();
    REQUIRE(tree->topLevelItemCount() == 2);
    CHECK(tree->topLevelItem(0)->text(0) == "CAD/Frame");
    REQUIRE(tree->topLevelItem(0)->childCount() == 1);
    CHECK(tree->topLevelItem(0)->child(0)->text(0) == "side-plate");
    CHECK(tree->topLevelItem(0)->child(0)->text(1) == "Side Plate.step");
    CHECK(tree->topLevelItem(0)->child(0)->text(3) == "");
    CHECK(tree->topLevelItem(1)->text(0) == "STLs");
    REQUIRE(tree->topLevelItem(1)->childCount() == 2);
    CHECK(tree->topLevelItem(1)->child(0)->text(0) == "foot_pad");
    CHECK(tree->topLevelItem(1)->child(0)->text(2) == "2");
    CHECK(tree->topLevelItem(1)->child(1)->text(0) == "corner_cap");
    CHECK(tree->topLevelItem(1)->child(1)->text(2) == "4");
    CHECK(tree->topLevelItem(1)->child(1)->text(3) == "fdm-print");
    const QString notes = dialog->notesView()->toPlainText();
    CHECK(notes.contains("Undecided (2):\n  process: 'CAD/Frame/Side Plate.step' is a STEP file"));
    CHECK(notes.contains("  license: no licence found"));
    CHECK_FALSE(fs::exists(folder / "telar.toml")); // proposing writes nothing

    REQUIRE(dialog->adoptButton()->isEnabled());
    QSignalSpy loaded(&w.window, &MainWindow::designLoaded);
    QTest::mouseClick(dialog->adoptButton(), Qt::LeftButton);
    REQUIRE(w.waitLoaded(loaded));
    const DesignSnapshot* snapshot = w.window.snapshot();
    REQUIRE(snapshot);
    CHECK(snapshot->repository == folder);
    CHECK(fs::is_directory(folder / ".git"));
    const auto& modules = snapshot->design->modules;
    REQUIRE(modules.size() == 2);
    const auto& stls = modules.at("STLs");
    REQUIRE(stls.parts.size() == 2);
    CHECK(stls.parts[0].id == "foot_pad");
    CHECK(stls.parts[0].quantity == 2);
    CHECK(stls.parts[1].id == "corner_cap");
    CHECK(stls.parts[1].quantity == 4);
    CHECK(stls.parts[1].process == "fdm-print");
    CHECK(modules.at("CAD/Frame").parts.at(0).file == "Side Plate.step");
    CHECK(snapshot->design->project.products == std::vector<std::string>{"CAD/Frame", "STLs"});

    // A folder that is already a design is refused with the core's reason.
    AdoptDialog* again = w.window.repositoryActions()->openAdopt();
    again->folderEdit()->setText(qpath(folder));
    REQUIRE(again->startProposal());
    REQUIRE(waitJob(again->jobPanel()));
    CHECK(again->jobPanel()->state() == JobState::Failed);
    CHECK(again->jobPanel()->error() ==
          QString::fromStdString(
              (folder / "telar.toml").string() +
              " already exists: the folder is already a Telar design (open it with Open repository…)"));
    CHECK_FALSE(again->adoptButton()->isEnabled());
    again->close();
}

TEST_CASE("Merge assistant shows the one field conflict and commits theirs", "[gui]") {
    TempDir tmp("telar-gui-merge");
    const fs::path repo = conflictedDesign(tmp.path());
    const std::string ours = git(repo, {"rev-parse", "HEAD"});
    const std::string theirs = git(repo, {"rev-parse", "theirs"});
    Window w;
    MergeAssistant* merge = openMerge(w, repo);
    CHECK(merge->commitButton()->isEnabled() == false);
    CHECK(merge->abortButton()->isEnabled() == false);
    mergeFromDialog(merge, "theirs");
    REQUIRE(merge->jobPanel()->state() == JobState::Done);
    CHECK(merge->inProgress());
    CHECK(merge->summary() ==
          "1 conflict to settle: choose ours, theirs or both for each, then Commit — or Abort "
          "merge to put everything back.");
    REQUIRE(merge->groupCount() == 1);
    CHECK(merge->group(0).target == "frame/side-plate");
    QTreeWidget* tree = merge->conflictTree();
    REQUIRE(tree->topLevelItemCount() == 1);
    QTreeWidgetItem* top = tree->topLevelItem(0);
    CHECK(top->text(0) == "frame/side-plate");
    REQUIRE(top->childCount() == 1);
    CHECK(top->child(0)->text(0) == "quantity");
    CHECK(top->child(0)->text(1) == "2");
    CHECK(top->child(0)->text(2) == "3");
    CHECK(top->child(0)->text(3) == "4");
    CHECK(top->child(0)->toolTip(0) ==
          "frame/module.toml: part side-plate: quantity changed on both sides (base 2, ours 3, theirs 4)");
    // A field takes ours or theirs; both is for files.
    QComboBox* choice = merge->choiceBox(0);
    REQUIRE(choice);
    REQUIRE(choice->count() == 3);
    CHECK(choice->itemText(1) == "Ours");
    CHECK(choice->itemText(2) == "Theirs");
    CHECK_FALSE(merge->commitButton()->isEnabled());
    CHECK(merge->abortButton()->isEnabled());
    REQUIRE(merge->findingsList()->count() == 1);
    CHECK(merge->findingsList()->item(0)->text() == "No new licence findings were reported for this merge.");

    choice->setCurrentIndex(2);
    REQUIRE(merge->commitButton()->isEnabled());
    QSignalSpy loaded(&w.window, &MainWindow::designLoaded);
    QTest::mouseClick(merge->commitButton(), Qt::LeftButton);
    REQUIRE(waitJob(merge->jobPanel()));
    REQUIRE(merge->jobPanel()->state() == JobState::Done);
    CHECK_FALSE(merge->inProgress());
    const std::string head = git(repo, {"rev-parse", "HEAD"});
    CHECK(merge->summary() == QString::fromStdString("Merged theirs into main: " + head.substr(0, 7) + "."));
    CHECK(readFile(repo / "frame/module.toml") == replaced(kFrame, "quantity = 2", "quantity = 4"));
    CHECK(readFile(repo / "telar.toml") == kProject);
    CHECK(readFile(repo / "README.md") == "# Test press\n\nTheirs was here.\n");
    CHECK(git(repo, {"log", "-1", "--format=%P|%s|%an"}) ==
          ours + " " + theirs + "|Merge theirs into main|Merge Tester");
    CHECK(git(repo, {"status", "--porcelain"}).empty());
    CHECK(merge->groupCount() == 0);
    CHECK_FALSE(merge->commitButton()->isEnabled());
    // The window reloads the design it shows.
    REQUIRE(w.waitLoaded(loaded));
    CHECK(w.window.snapshot()->design->modules.at("frame").parts.at(0).quantity == 4);
    merge->close();
}

TEST_CASE("Merge assistant Abort restores HEAD, the index and every file byte for byte", "[gui]") {
    TempDir tmp("telar-gui-abort");
    const fs::path repo = conflictedDesign(tmp.path(), kNcPart);
    const std::string head = git(repo, {"rev-parse", "HEAD"});
    const auto before = filesUnder(repo);
    const std::string index = readFile(repo / ".git/index");
    Window w;
    MergeAssistant* merge = openMerge(w, repo);
    mergeFromDialog(merge, "theirs");
    REQUIRE(merge->inProgress());
    // The merge wrote theirs' README and recorded itself.
    CHECK(readFile(repo / "README.md") == "# Test press\n\nTheirs was here.\n");
    CHECK(fs::exists(repo / ".git/MERGE_HEAD"));
    REQUIRE(merge->groupCount() == 1);
    // The NC part theirs brings in is reported before anything is committed.
    REQUIRE(merge->findingsList()->count() == 1);
    CHECK(merge->findingsList()->item(0)->text().startsWith("error: frame/module.toml:"));
    CHECK(merge->findingsList()->item(0)->text().contains("part[2].license: "));

    QTest::mouseClick(merge->abortButton(), Qt::LeftButton);
    REQUIRE(waitJob(merge->jobPanel()));
    REQUIRE(merge->jobPanel()->state() == JobState::Done);
    CHECK_FALSE(merge->inProgress());
    CHECK(merge->summary() == QString::fromStdString("Merge aborted: back at " + head.substr(0, 7) +
                                                     ", every file as it was before."));
    CHECK(git(repo, {"rev-parse", "HEAD"}) == head);
    CHECK(filesUnder(repo) == before);
    CHECK(readFile(repo / ".git/index") == index);
    CHECK_FALSE(fs::exists(repo / ".git/MERGE_HEAD"));
    CHECK_FALSE(fs::exists(repo / ".git/TELAR_MERGE"));
    CHECK(git(repo, {"status", "--porcelain"}).empty());
    CHECK(merge->mergeButton()->isEnabled());
    merge->close();
}

TEST_CASE("Conflicts are grouped by what one resolution settles, paths after parts", "[gui]") {
    auto conflict = [](const char* kind, const char* module, const char* part, const char* field,
                       const char* path) {
        telar::core::MergeConflict c;
        c.kind = kind;
        c.module = module;
        c.part = part;
        c.field = field;
        c.path = path;
        return c;
    };
    const auto groups = groupConflicts({conflict("part", "frame", "plate", "", "frame/cad/plate.stl"),
                                        conflict("field", "frame", "plate", "material", "frame/module.toml"),
                                        conflict("field", "frame", "", "module.version", "frame/module.toml"),
                                        conflict("part", "frame", "gusset", "", "frame/cad/gusset.step"),
                                        conflict("file", "", "", "", "README.md")});
    REQUIRE(groups.size() == 4);
    CHECK(groups[0].target == "frame/plate");
    CHECK(groups[0].conflicts.size() == 2);
    CHECK_FALSE(groups[0].isPath);
    CHECK_FALSE(groups[0].bothAllowed); // a field cannot be kept twice
    CHECK(groups[1].target == "frame/module.toml");
    CHECK(groups[1].isPath);
    CHECK_FALSE(groups[1].bothAllowed);
    CHECK(groups[2].target == "frame/gusset");
    CHECK(groups[2].bothAllowed);
    CHECK(groups[3].target == "README.md");
    CHECK(groups[3].isPath);
    CHECK(groups[3].bothAllowed);
}

TEST_CASE("Merge assistant keeps both versions of a CAD file changed on both sides", "[gui]") {
    TempDir tmp("telar-gui-both");
    const fs::path repo = tmp / "design";
    const std::string frame =
        "[module]\nname = \"Frame\"\nlicense = \"CERN-OHL-S-2.0\"\n\n[[part]]\nid = \"plate\"\n"
        "name = \"Plate\"\nfile = \"cad/plate.stl\"\nprocess = \"fdm-print\"\nquantity = 1\n";
    const std::string base("solid base\0\1\2", 13), ours("solid ours\0\3\4", 13),
        theirs("solid theirs\0\5", 15);
    writeFile(repo / "telar.toml", kProject);
    writeFile(repo / "frame/module.toml", frame);
    writeFile(repo / "frame/cad/plate.stl", base);
    git(tmp.path(), {"init", "-q", "-b", "main", repo.string()});
    git(repo, {"config", "user.name", "Merge Tester"});
    git(repo, {"config", "user.email", "merge@example.org"});
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", "base"});
    git(repo, {"checkout", "-q", "-b", "theirs"});
    writeFile(repo / "frame/cad/plate.stl", theirs);
    git(repo, {"commit", "-q", "-am", "theirs"});
    git(repo, {"checkout", "-q", "main"});
    writeFile(repo / "frame/cad/plate.stl", ours);
    git(repo, {"commit", "-q", "-am", "ours"});

    Window w;
    MergeAssistant* merge = openMerge(w, repo);
    mergeFromDialog(merge, "theirs");
    REQUIRE(merge->groupCount() == 1);
    CHECK(merge->group(0).target == "frame/plate");
    QTreeWidgetItem* row = merge->conflictTree()->topLevelItem(0)->child(0);
    CHECK(row->text(0) == "CAD file frame/cad/plate.stl");
    CHECK(row->text(1) == QString::fromStdString("blob " + telar::core::hashBlob(base).substr(0, 7)));
    CHECK(row->text(2) == QString::fromStdString("blob " + telar::core::hashBlob(ours).substr(0, 7)));
    CHECK(row->text(3) == QString::fromStdString("blob " + telar::core::hashBlob(theirs).substr(0, 7)));
    QComboBox* choice = merge->choiceBox(0);
    REQUIRE(choice->count() == 4);
    CHECK(choice->itemText(3) == "Both");
    choice->setCurrentIndex(3);
    QTest::mouseClick(merge->commitButton(), Qt::LeftButton);
    REQUIRE(waitJob(merge->jobPanel()));
    REQUIRE(merge->jobPanel()->state() == JobState::Done);
    CHECK_FALSE(merge->inProgress());
    CHECK(readFile(repo / "frame/cad/plate.stl") == ours);
    CHECK(readFile(repo / "frame/cad/plate-theirs.stl") == theirs);
    const std::string merged = readFile(repo / "frame/module.toml");
    CHECK(merged.find("id = \"plate-theirs\"") != std::string::npos);
    CHECK(merged.find("file = \"cad/plate-theirs.stl\"") != std::string::npos);
    CHECK(git(repo, {"log", "-1", "--format=%s"}) == "Merge theirs into main");
    CHECK(git(repo, {"status", "--porcelain"}).empty());
    merge->close();
}

TEST_CASE("Merge assistant stops at licence errors and commits them only when told to", "[gui]") {
    TempDir tmp("telar-gui-licence");
    const fs::path repo = conflictedDesign(tmp.path(), kNcPart);
    Window w;
    MergeAssistant* merge = openMerge(w, repo);
    mergeFromDialog(merge, "theirs");
    REQUIRE(merge->groupCount() == 1);
    merge->choiceBox(0)->setCurrentIndex(2); // theirs
    QTest::mouseClick(merge->commitButton(), Qt::LeftButton);
    REQUIRE(waitJob(merge->jobPanel()));
    // Settled, but the NC part stops the commit: still in progress, nothing committed.
    CHECK(merge->inProgress());
    CHECK(merge->groupCount() == 0);
    CHECK(merge->summary().startsWith("Not committed: the merge brings in licence errors"));
    REQUIRE(merge->findingsList()->count() == 1);
    CHECK(merge->findingsList()->item(0)->text().startsWith("error: frame/module.toml:"));
    CHECK(git(repo, {"log", "-1", "--format=%s"}) == "ours");
    REQUIRE(merge->commitButton()->isEnabled());

    merge->allowLicenceBox()->setChecked(true);
    QTest::mouseClick(merge->commitButton(), Qt::LeftButton);
    REQUIRE(waitJob(merge->jobPanel()));
    CHECK_FALSE(merge->inProgress());
    CHECK(merge->summary().startsWith("Merged theirs into main: "));
    CHECK(git(repo, {"log", "-1", "--format=%s"}) == "Merge theirs into main");
    CHECK(readFile(repo / "frame/module.toml") == replaced(kFrame, "quantity = 2", "quantity = 4") + kNcPart);
    merge->close();
}

TEST_CASE("Release dialog shows the gates and notes and tags when they pass", "[gui]") {
    ExampleCommons commons;
    TempDir home("telar-gui-release-home");
    ScopedEnv telarHome("TELAR_HOME", home.path().string());
    ScopedEnv name("GIT_AUTHOR_NAME", "Release Maker");
    ScopedEnv email("GIT_AUTHOR_EMAIL", "release@example.org");
    Window w;
    REQUIRE(w.open(commons.openPress()));
    ReleaseDialog* dialog = w.window.repositoryActions()->openRelease();
    REQUIRE(dialog);
    CHECK(dialog->revisionEdit()->text() == "HEAD");
    REQUIRE(waitJob(dialog->jobPanel())); // the check starts at once
    REQUIRE(dialog->jobPanel()->state() == JobState::Done);
    REQUIRE(dialog->checkPassed());
    QTreeWidget* gates = dialog->gateTree();
    REQUIRE(gates->topLevelItemCount() == 4);
    CHECK(gates->topLevelItem(0)->text(0) == "manifests");
    CHECK(gates->topLevelItem(1)->text(0) == "licences");
    CHECK(gates->topLevelItem(2)->text(0) == "cad");
    CHECK(gates->topLevelItem(3)->text(0) == "bom");
    for (int i = 0; i < 4; ++i)
        CHECK(gates->topLevelItem(i)->text(2) == "passes");
    CHECK(dialog->verdict() == "Every gate passes. Enter the tag name to create.");
    CHECK_FALSE(dialog->createButton()->isEnabled());

    // An existing tag is refused before anything starts.
    dialog->tagEdit()->setText("v1.0");
    CHECK(dialog->verdict() == "Tag v1.0 exists already: choose another name.");
    CHECK_FALSE(dialog->createButton()->isEnabled());
    dialog->tagEdit()->setText("v1.1");
    dialog->messageEdit()->setText("Taller hopper walls");
    const QString notes = dialog->notesView()->toPlainText();
    CHECK(notes.startsWith("Taller hopper walls\n\nBOM of press: 64 lines, 292 pieces"));
    CHECK(notes.contains("Changes since v1.0:"));
    CHECK(notes.contains("hopper-wall"));
    REQUIRE(dialog->createButton()->isEnabled());
    QSignalSpy released(dialog, &ReleaseDialog::released);
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    REQUIRE(waitJob(dialog->jobPanel()));
    REQUIRE(released.size() == 1);
    const std::string head = git(commons.openPress(), {"rev-parse", "HEAD"});
    CHECK(dialog->jobPanel()->statusText() ==
          QString::fromStdString("Tagged v1.1 at " + head.substr(0, 7) + " (previous release v1.0)"));
    CHECK(git(commons.openPress(), {"rev-parse", "v1.1^{commit}"}) == head);
    const std::string message = git(commons.openPress(), {"tag", "-l", "--format=%(contents)", "v1.1"});
    CHECK(message + "\n" == notes.toStdString());
    CHECK(git(commons.openPress(), {"tag", "-l", "--format=%(taggername) %(taggeremail)", "v1.1"}) ==
          "Release Maker <release@example.org>");
    dialog->close();
}

TEST_CASE("Build dialog writes the package telar build writes, and Cancel writes nothing", "[gui]") {
    ExampleCommons commons;
    TempDir home("telar-gui-build-home");
    ScopedEnv telarHome("TELAR_HOME", home.path().string());
    TempDir out("telar-gui-build");
    Window w;
    REQUIRE(w.open(commons.openPress()));
    const fs::path fab = telar::core::Catalog::resourceDir() / "fabs/community-fablab.toml";

    // Cancel right after the start: the geometry cache is empty, so the build takes seconds.
    BuildDialog* dialog = w.window.repositoryActions()->openBuild();
    REQUIRE(dialog);
    CHECK(dialog->revisionBox()->currentText() == "HEAD");
    CHECK(dialog->fabPicker()->currentFile() == QString::fromStdString(fs::canonical(fab).string()));
    dialog->outputEdit()->setText(qpath(out / "cancelled"));
    QTest::mouseClick(dialog->buildButton(), Qt::LeftButton);
    REQUIRE(dialog->jobPanel()->isRunning());
    REQUIRE(dialog->jobPanel()->cancelButton()->isVisible());
    QTest::mouseClick(dialog->jobPanel()->cancelButton(), Qt::LeftButton);
    REQUIRE(waitJob(dialog->jobPanel()));
    CHECK(dialog->jobPanel()->state() == JobState::Cancelled);
    CHECK(dialog->jobPanel()->statusText() == "Cancelled");
    CHECK(dialog->writtenPath().isEmpty());
    CHECK(fs::is_empty(out.path())); // no package, no temporary sibling

    // The same dialog builds the package.
    dialog->outputEdit()->setText(qpath(out / "pkg"));
    QTest::mouseClick(dialog->buildButton(), Qt::LeftButton);
    REQUIRE(waitJob(dialog->jobPanel()));
    REQUIRE(dialog->jobPanel()->state() == JobState::Done);
    const std::string head = git(commons.openPress(), {"rev-parse", "HEAD"});
    CHECK(dialog->writtenPath() == qpath(out / "pkg"));
    CHECK(dialog->jobPanel()->statusText() ==
          QString::fromStdString("Wrote " + (out / "pkg").string() +
                                 ": 53 files, 40 fabrication files, BOM 64 lines for Community Fab Lab (" +
                                 head.substr(0, 7) + ")"));
    const std::string sums = readFile(out / "pkg/SHA256SUMS");
    std::vector<std::string> listed;
    for (size_t p = 0; p < sums.size();) {
        const size_t eol = sums.find('\n', p);
        listed.push_back(sums.substr(p + 66, eol - p - 66)); // "<64 hex>  <path>"
        p = eol + 1;
    }
    REQUIRE(listed.size() == 52); // every file but SHA256SUMS itself
    CHECK(listed.front() == "LICENSES.txt");
    CHECK(listed[11] == "okh.toml");
    CHECK(std::count_if(listed.begin(), listed.end(),
                        [](const std::string& p) { return p.rfind("parts/", 0) == 0; }) == 40);
    for (const char* expected : {"README.txt", "VERDICT.json", "bom/bom.csv", "bom/bom.xlsx",
                                 "parts/frame/side-plate.step", "parts/controller/enclosure-base.stl"})
        CHECK(std::find(listed.begin(), listed.end(), expected) != listed.end());
    // Byte for byte what `telar build` writes for the same revision and fab.
    auto cli = telar::test::run({(telar::test::binaryDir() / "telar").string(), "--repo",
                                 commons.openPress().string(), "--quiet", "build", "--fab", fab.string(),
                                 "-o", (out / "cli").string()},
                                {}, {"TELAR_HOME=" + home.path().string()});
    INFO(cli.err);
    REQUIRE(cli.exitCode == 0);
    CHECK(readFile(out / "cli/SHA256SUMS") == sums);

    // A zip of a tag; an existing output is refused before anything starts.
    dialog->revisionBox()->setEditText("v1.0");
    dialog->outputEdit()->setText(qpath(out / "pkg"));
    CHECK_FALSE(dialog->startBuild());
    CHECK(dialog->jobPanel()->statusText() ==
          QString::fromStdString(
              (out / "pkg").string() +
              " exists already: choose a new folder or .zip file (a package never overwrites anything)"));
    dialog->outputEdit()->setText(qpath(out / "press-v1.0.zip"));
    REQUIRE(dialog->startBuild());
    REQUIRE(waitJob(dialog->jobPanel()));
    REQUIRE(dialog->jobPanel()->state() == JobState::Done);
    const auto entries = telar::core::readZip(out / "press-v1.0.zip");
    REQUIRE(entries.size() == 53);
    CHECK(entries.back().path == "parts/wheels/wheel-hub.step");

    // Chosen modules and the repository's URL, as `telar build --module … --repo-url …`.
    dialog->revisionBox()->setEditText("HEAD");
    dialog->modulesEdit()->setText("frame, hopper");
    dialog->repoUrlEdit()->setText("https://git.example.org/open-press");
    dialog->outputEdit()->setText(qpath(out / "two"));
    REQUIRE(dialog->startBuild());
    REQUIRE(waitJob(dialog->jobPanel()));
    REQUIRE(dialog->jobPanel()->state() == JobState::Done);
    CHECK(readFile(out / "two/okh.toml").find("repo = \"https://git.example.org/open-press\"") != std::string::npos);
    auto two = telar::test::run({(telar::test::binaryDir() / "telar").string(), "--repo",
                                 commons.openPress().string(), "--quiet", "build", "--fab", fab.string(),
                                 "--module", "frame", "--module", "hopper", "--repo-url",
                                 "https://git.example.org/open-press", "-o", (out / "cli-two").string()},
                                {}, {"TELAR_HOME=" + home.path().string()});
    INFO(two.err);
    REQUIRE(two.exitCode == 0);
    CHECK(readFile(out / "cli-two/SHA256SUMS") == readFile(out / "two/SHA256SUMS"));
    CHECK(readFile(out / "two/SHA256SUMS") != sums); // not the products' package
    // A module that does not exist: the core's message, nothing written.
    dialog->modulesEdit()->setText("no-such-module");
    dialog->outputEdit()->setText(qpath(out / "none"));
    REQUIRE(dialog->startBuild());
    REQUIRE(waitJob(dialog->jobPanel()));
    CHECK(dialog->jobPanel()->state() == JobState::Failed);
    CHECK(dialog->jobPanel()->statusText().contains("no-such-module"));
    CHECK_FALSE(fs::exists(out / "none"));
    dialog->close();
}

TEST_CASE("Cancel of a slow clone ends Cancelled and leaves no folder", "[gui][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    TempDir tmp("telar-gui-slow");
    // 3.2 MB that do not compress, served at 256 KiB/s: the clone would take over 12 s.
    const fs::path source = tmp / "scans";
    std::mt19937 rng(11);
    for (int i = 0; i < 200; ++i) {
        std::string bytes(16 * 1024, '\0');
        for (auto& c : bytes)
            c = static_cast<char>(rng() & 0xff);
        writeFile(source / "scans" / ("scan-" + std::to_string(i) + ".bin"), bytes);
    }
    writeFile(source / "telar.toml", kProject);
    git(tmp.path(), {"init", "-q", "-b", "main", source.string()});
    git(source, {"add", "-A"});
    git(source,
        {"-c", "user.name=Scanner", "-c", "user.email=scanner@example.org", "commit", "-q", "-m", "Scans"});
    fs::create_directories(tmp / "srv");
    git(tmp.path(), {"clone", "-q", "--bare", source.string(), (tmp / "srv/scans.git").string()});
    telar::test::GitHttpServer::Options slow;
    slow.rateLimit = 256 * 1024;
    telar::test::GitHttpServer server(tmp / "srv", slow);
    fs::create_directories(tmp / "work");

    Window w;
    QPointer<CloneDialog> dialog = w.window.repositoryActions()->openClone();
    dialog->urlEdit()->setText(QString::fromStdString(server.url("scans.git")));
    dialog->parentEdit()->setText(qpath(tmp / "work"));
    REQUIRE(dialog->startJob());
    // Cancel once objects are arriving.
    for (int i = 0;
         i < 400 && dialog->jobPanel()->isRunning() && dialog->jobPanel()->progressBar()->value() == 0; ++i)
        QTest::qWait(50);
    REQUIRE(dialog->jobPanel()->isRunning());
    CHECK(dialog->jobPanel()->progressBar()->value() > 0);
    CHECK(fs::exists(tmp / "work/scans")); // being written
    QTest::mouseClick(dialog->jobPanel()->cancelButton(), Qt::LeftButton);
    REQUIRE(waitJob(dialog->jobPanel(), 30));
    REQUIRE(dialog);
    CHECK(dialog->jobPanel()->state() == JobState::Cancelled);
    CHECK(dialog->jobPanel()->statusText() == "Cancelled");
    CHECK(dialog->resultPath().isEmpty());
    CHECK_FALSE(fs::exists(tmp / "work/scans"));
    CHECK(fs::is_empty(tmp / "work"));
    CHECK(w.window.snapshot() == nullptr);
    // Closing while a clone runs cancels it and closes once it has stopped.
    REQUIRE(dialog->startJob());
    for (int i = 0; i < 400 && dialog->jobPanel()->progressBar()->value() == 0; ++i)
        QTest::qWait(50);
    dialog->reject();
    for (int i = 0; i < 600 && dialog; ++i)
        QTest::qWait(50);
    CHECK_FALSE(dialog);
    CHECK(fs::is_empty(tmp / "work"));
}
