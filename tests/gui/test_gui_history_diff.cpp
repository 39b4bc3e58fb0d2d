// The History and Diff tabs: their models over the core's provenance and diff of the example
// commons (and a commit the test adds to it), the panels' jobs, the main window's tabs, and the
// real binary's --screenshot of both views.
#include "gui_fixture.h"

#include "design_jobs.h"
#include "diff_model.h"
#include "diff_panel.h"
#include "history_model.h"
#include "history_panel.h"
#include "main_window.h"

#include "telar/error.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

#include <catch2/catch.hpp>

#include <map>

using namespace telar::desktop;
using telar::test::ExampleCommons;
namespace fs = std::filesystem;

namespace {

QString text(const QAbstractItemModel& model, int row, int column) {
    return model.index(row, column).data().toString();
}

// Commit ids of the repository by summary (ids of the example commons can differ between runs).
std::map<std::string, std::string> commitsBySummary(const fs::path& repo) {
    std::map<std::string, std::string> ids;
    std::string log = telar::test::git(repo, {"log", "--format=%H %s"}) + "\n";
    for (size_t start = 0, end; (end = log.find('\n', start)) != std::string::npos; start = end + 1) {
        const std::string line = log.substr(start, end - start);
        if (line.size() > 41) ids[line.substr(41)] = line.substr(0, 40);
    }
    return ids;
}

// Sets TELAR_HOME to a fresh folder (the per-user store) for the life of the object.
class ScopedHome {
public:
    ScopedHome() { setenv("TELAR_HOME", m_dir.path().c_str(), 1); }
    ~ScopedHome() { unsetenv("TELAR_HOME"); }
    const fs::path& path() const { return m_dir.path(); }

private:
    telar::test::TempDir m_dir{"telar-gui-home"};
};

template <class Panel> bool waitIdle(Panel& panel) {
    for (int i = 0; i < 1200 && panel.isBusy(); ++i)
        QTest::qWait(100);
    return !panel.isBusy();
}

// The texts of a details tree: "Section" for top-level items, "Section / what = value" below.
QStringList detailLines(const QTreeWidget& tree) {
    QStringList lines;
    for (int i = 0; i < tree.topLevelItemCount(); ++i) {
        const QTreeWidgetItem* s = tree.topLevelItem(i);
        lines << s->text(0);
        for (int c = 0; c < s->childCount(); ++c)
            lines << s->text(0) + " / " + s->child(c)->text(0) + " = " + s->child(c)->text(1);
    }
    return lines;
}

// Changes hydraulics in the example commons: its licence CERN-OHL-W-2.0 → CERN-OHL-S-2.0 and the
// hose assembly 4 → 5, committed with a fixed author and date.
void commitHydraulicsChange(const fs::path& repo) {
    const fs::path manifest = repo / "hydraulics" / "module.toml";
    std::string toml = telar::test::readFile(manifest);
    const auto licence = toml.find("license = \"CERN-OHL-W-2.0\"");
    REQUIRE(licence != std::string::npos);
    toml.replace(licence, 26, "license = \"CERN-OHL-S-2.0\"");
    const std::string hose = "quantity = 4\nunit_cost = 14.20";
    const auto q = toml.find(hose);
    REQUIRE(q != std::string::npos);
    toml.replace(q, hose.size(), "quantity = 5\nunit_cost = 14.20");
    telar::test::writeFile(manifest, toml);
    const std::vector<std::string> who = {"GIT_AUTHOR_NAME=Dana Kowalski",
                                          "GIT_AUTHOR_EMAIL=dana@fieldfab.example",
                                          "GIT_AUTHOR_DATE=2026-03-05T10:00:00+01:00",
                                          "GIT_COMMITTER_NAME=Dana Kowalski",
                                          "GIT_COMMITTER_EMAIL=dana@fieldfab.example",
                                          "GIT_COMMITTER_DATE=2026-03-05T10:00:00+01:00"};
    telar::test::git(repo, {"commit", "-q", "-am", "Hydraulics: a fifth hose, and CERN-OHL-S for the unit"},
                     who);
}

} // namespace

TEST_CASE("History model of a module lists exactly its commits, authors and co-authors, newest first",
          "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    ScopedHome home;
    const DesignSnapshot snap = loadDesignSnapshot(commons.openPress(), "", {});
    const HistorySnapshot h = computeHistory(snap.repository, snap.rev, snap.tree, "controller", {});
    CHECK(h.provenance.rev == "HEAD");
    auto ids = commitsBySummary(commons.openPress());

    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setHistory(std::make_shared<const HistorySnapshot>(h));
    REQUIRE(model.rowCount() == 3);
    REQUIRE(model.columnCount() == HistoryModel::ColumnCount);
    const char* summaries[] = {"Controller 1.1: a second relay module drives the agitator",
                               "Add pressure and limit sensors to the controller",
                               "Add the controller and its enclosure assembly"};
    const char* dates[] = {"2026-02-05 10:00 +01:00", "2026-01-16 10:00 +01:00", "2026-01-15 10:00 +01:00"};
    for (int r = 0; r < 3; ++r) {
        INFO("row " << r);
        CHECK(text(model, r, HistoryModel::SummaryColumn) == summaries[r]);
        CHECK(text(model, r, HistoryModel::DateColumn) == dates[r]);
        CHECK(text(model, r, HistoryModel::AuthorColumn) == "Chen Wei <chen@openpress.example>");
        const std::string id = ids[summaries[r]];
        REQUIRE(id.size() == 40);
        CHECK(model.index(r, 0).data(HistoryModel::CommitIdRole).toString().toStdString() == id);
        CHECK(text(model, r, HistoryModel::CommitColumn).toStdString() == id.substr(0, 7));
    }
    CHECK(text(model, 0, HistoryModel::CoAuthorsColumn) == "Bruno Silva <bruno@openpress.example>");
    CHECK(text(model, 1, HistoryModel::CoAuthorsColumn) == "");
    CHECK(text(model, 2, HistoryModel::CoAuthorsColumn) == "");
    // The first commit added the manifest and four CAD files.
    CHECK(text(model, 2, HistoryModel::FilesColumn) == "5 files");
    CHECK(model.headerData(HistoryModel::CoAuthorsColumn, Qt::Horizontal).toString() == "Co-authors");

    // The item as the tree and part table name it.
    CHECK(provenanceQuery("controller", {}, {}) == "controller");
    CHECK(provenanceQuery("wheels", "wheel-hub", "wheels/cad/wheel-hub.step") == "wheels:wheel-hub");
    CHECK(provenanceQuery("controller", {}, "controller/cad/enclosure.step") ==
          "controller/cad/enclosure.step");
    CHECK(provenanceQuery({}, "x", {}).isEmpty());
}

TEST_CASE("History panel shows an imported part's origin and releases, and a fork's upstream chain",
          "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    ScopedHome home;
    const fs::path fork = commons.openPress().parent_path() / "open-press-fork";
    auto snap = std::make_shared<const DesignSnapshot>(loadDesignSnapshot(fork, "", {}));
    const std::string upstream = telar::test::git(commons.openPress(), {"rev-parse", "HEAD"});
    const std::string v1 = telar::test::git(commons.openPress(), {"rev-parse", "v1.0^{commit}"});

    HistoryPanel panel;
    panel.resize(900, 700);
    panel.setSnapshot(snap);
    panel.setSelection("wheels", "wheel-hub", "wheels/cad/wheel-hub.step");
    CHECK_FALSE(panel.isBusy()); // not shown: nothing computed
    QSignalSpy finished(&panel, &HistoryPanel::jobFinished);
    panel.setActive(true);
    CHECK(panel.isBusy());
    REQUIRE(waitIdle(panel));
    REQUIRE(finished.size() == 1);
    CHECK(finished.front().front().toString() == "");
    CHECK(panel.shownQuery() == "wheels:wheel-hub");
    CHECK(panel.titleText() == "History of wheels:wheel-hub (part of wheels) at HEAD: 2 commits");

    HistoryModel& model = *panel.model();
    REQUIRE(model.rowCount() == 2);
    CHECK(text(model, 0, HistoryModel::SummaryColumn) == "Wider wheels for soft ground");
    CHECK(text(model, 0, HistoryModel::AuthorColumn) == "Dana Kowalski <dana@fieldfab.example>");
    CHECK_FALSE(model.index(0, 0).data(HistoryModel::InheritedRole).toBool());
    CHECK(text(model, 1, HistoryModel::SummaryColumn) ==
          "Add wheels with the hub imported from the Field Cart project  [upstream]");
    CHECK(model.index(1, 0).data(HistoryModel::InheritedRole).toBool());

    const QStringList lines = detailLines(*panel.details());
    INFO(lines.join("\n").toStdString());
    const QString origin = "Imported geometry (1) / wheels:wheel-hub  wheels/cad/wheel-hub.step = "
                           "still the imported original (sha256 matches)";
    CHECK(lines.contains(origin));
    CHECK(lines.contains(QString::fromStdString("Releases containing it (1) / v1.0 (" + v1.substr(0, 7) +
                                                ") = as wheels/cad/wheel-hub.step, differs from HEAD")));
    CHECK(lines.contains("Contributors (2) / Chen Wei <chen@openpress.example> = 1 commit"));
    CHECK(lines.contains("Contributors (2) / Dana Kowalski <dana@fieldfab.example> = 1 commit"));
    CHECK(lines.contains(QString::fromStdString("Fork of (1) / 1. " + commons.openPress().string() + " at " +
                                                upstream.substr(0, 7) +
                                                " (forked 2026-03-01T10:00:00Z) = "
                                                "present locally; 2 commit(s) ahead, 0 behind")));
    CHECK(lines.indexOf(
              QRegularExpression("^First change / 2026-01-22 [0-9a-f]{7} = Chen Wei — Add wheels.*")) >= 0);
    CHECK(lines.indexOf(QRegularExpression(
              "^Last change / 2026-03-03 [0-9a-f]{7} = Dana Kowalski — Wider wheels.*")) >= 0);

    // Another selection is computed while shown; going back comes from the cache, at once.
    panel.setSelection("frame", "side-plate");
    REQUIRE(waitIdle(panel));
    REQUIRE(model.rowCount() == 2);
    CHECK(text(model, 0, HistoryModel::SummaryColumn) ==
          "Thicken the frame side plates to 8 mm after load testing  [upstream]");
    CHECK(text(model, 1, HistoryModel::AuthorColumn) == "Amara Okafor <amara@openpress.example>");
    panel.setSelection("wheels", "wheel-hub");
    CHECK_FALSE(panel.isBusy());
    CHECK(panel.shownQuery() == "wheels:wheel-hub");

    // Something that names nothing: the core's message, no rows.
    panel.setSelection("no-such-module");
    REQUIRE(waitIdle(panel));
    CHECK(model.rowCount() == 0);
    CHECK(panel.titleText().startsWith("No history: "));
    CHECK(finished.back().front().toString().contains("no-such-module"));
}

TEST_CASE("Diff models between two known revisions show the licence change and the BOM quantity change",
          "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    ScopedHome home;
    commitHydraulicsChange(commons.openPress());

    DiffRequest request;
    request.repository = commons.openPress();
    request.base = "HEAD~1";
    request.target = "HEAD";
    auto diff = std::make_shared<const DiffSnapshot>(computeDiff(request, {}));
    CHECK(diff->base == "HEAD~1");
    CHECK_FALSE(diff->baseAutomatic);

    LicenceChangeModel licences;
    QAbstractItemModelTester t1(&licences, QAbstractItemModelTester::FailureReportingMode::Warning);
    licences.setDiff(diff);
    REQUIRE(licences.rowCount() == 1);
    CHECK(text(licences, 0, LicenceChangeModel::ScopeColumn) == "module");
    CHECK(text(licences, 0, LicenceChangeModel::WhereColumn) == "hydraulics");
    CHECK(text(licences, 0, LicenceChangeModel::BeforeColumn) == "CERN-OHL-W-2.0");
    CHECK(text(licences, 0, LicenceChangeModel::AfterColumn) == "CERN-OHL-S-2.0");
    CHECK(text(licences, 0, LicenceChangeModel::MessageColumn) ==
          "module hydraulics: CERN-OHL-W-2.0 → CERN-OHL-S-2.0");

    // The manifest lines behind both: the module's licence and the hose's quantity.
    ManifestChangeModel manifests;
    QAbstractItemModelTester t0(&manifests, QAbstractItemModelTester::FailureReportingMode::Warning);
    manifests.setDiff(diff);
    REQUIRE(manifests.rowCount() == 2);
    CHECK(text(manifests, 0, ManifestChangeModel::WhereColumn) == "hydraulics");
    CHECK(text(manifests, 0, ManifestChangeModel::FieldColumn) == "license");
    CHECK(text(manifests, 0, ManifestChangeModel::BeforeColumn) == "CERN-OHL-W-2.0");
    CHECK(text(manifests, 0, ManifestChangeModel::AfterColumn) == "CERN-OHL-S-2.0");
    CHECK(text(manifests, 1, ManifestChangeModel::WhereColumn) == "hydraulics:hose-assembly");
    CHECK(text(manifests, 1, ManifestChangeModel::FieldColumn) == "quantity");
    CHECK(text(manifests, 1, ManifestChangeModel::BeforeColumn) == "4");
    CHECK(text(manifests, 1, ManifestChangeModel::AfterColumn) == "5");

    BomDiffModel bom;
    QAbstractItemModelTester t2(&bom, QAbstractItemModelTester::FailureReportingMode::Warning);
    bom.setDiff(diff);
    // Every hydraulics line changed licence; the hose also its quantity and cost.
    REQUIRE(bom.rowCount() == 8);
    int hose = -1;
    for (int r = 0; r < bom.rowCount(); ++r) {
        CHECK(text(bom, r, BomDiffModel::ModuleColumn) == "hydraulics");
        CHECK(text(bom, r, BomDiffModel::ChangeColumn) == "changed");
        if (text(bom, r, BomDiffModel::PartColumn) == "hose-assembly")
            hose = r;
        else
            CHECK(text(bom, r, BomDiffModel::ChangesColumn) == "licence");
    }
    REQUIRE(hose >= 0);
    CHECK(text(bom, hose, BomDiffModel::QuantityColumn) == "4 → 5");
    CHECK(bom.index(hose, 0).data(BomDiffModel::QuantityBeforeRole).toLongLong() == 4);
    CHECK(bom.index(hose, 0).data(BomDiffModel::QuantityAfterRole).toLongLong() == 5);
    CHECK(text(bom, hose, BomDiffModel::UnitCostColumn) == "14.20");
    CHECK(text(bom, hose, BomDiffModel::LineCostColumn) == "56.80 → 71.00");
    CHECK(text(bom, hose, BomDiffModel::CostDeltaColumn) == "+14.20");
    CHECK(text(bom, hose, BomDiffModel::ChangesColumn) == "quantity, cost, licence");
    CHECK(bom.index(hose, 0).data(BomDiffModel::KeyRole).toString() == "hydraulics/hose-assembly");
    CHECK(bom.headerData(BomDiffModel::LineCostColumn, Qt::Horizontal).toString() == "Line cost (USD)");
    CHECK(bom.totalsText().startsWith("Lines 64 → 64 · pieces 292 → 293 · cost "));
    CHECK(bom.totalsText().contains(" USD (+14.20) · mass "));

    GeometryDiffModel geometry;
    geometry.setDiff(diff);
    CHECK(geometry.rowCount() == 0); // no CAD file changed
    CHECK(diff->thumbnails.empty());
}

TEST_CASE("Diff defaults to the previous tag and shows geometry deltas and thumbnails of changed parts",
          "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    ScopedHome home;
    const telar::core::Repository repo = telar::core::Repository::open(commons.openPress());
    CHECK(defaultBaseRevision(repo, "") == "v1.0");
    CHECK(defaultBaseRevision(repo, "HEAD") == "v1.0");
    CHECK(defaultBaseRevision(repo, "v1.0") == "v1.0~1");
    const std::string root = telar::test::git(commons.openPress(), {"rev-list", "--max-parents=0", "HEAD"});
    CHECK_THROWS_WITH(
        defaultBaseRevision(repo, root),
        root + " is the first commit: there is no earlier revision to compare it with; pick a base");
    CHECK_THROWS_AS(defaultBaseRevision(repo, "no-such-tag"), telar::GitError);

    auto snap = std::make_shared<const DesignSnapshot>(loadDesignSnapshot(commons.openPress(), "", {}));
    DiffPanel panel;
    panel.resize(1100, 800);
    panel.setSnapshot(snap);
    CHECK(panel.targetPicker()->currentText() == "Working tree");
    CHECK(panel.basePicker()->currentText() == "Automatic (previous tag, else the commit before)");
    panel.setActive(true);
    REQUIRE(waitIdle(panel));
    REQUIRE(panel.shownDiff());
    const DiffSnapshot& d = *panel.shownDiff();
    CHECK(d.base == "v1.0");
    CHECK(d.baseAutomatic);
    CHECK(d.target == "");
    CHECK(panel.basePicker()->currentText() == "Automatic: v1.0");
    CHECK(panel.licenceText() == "Licences: unchanged");
    CHECK(panel.licenceModel()->rowCount() == 0);
    // Since v1.0 the hopper's walls grew (its CAD files) and its version went up.
    CHECK(panel.manifestText() == QString("Manifests: %1 change%2")
                                      .arg(panel.manifestModel()->rowCount())
                                      .arg(panel.manifestModel()->rowCount() == 1 ? "" : "s"));
    bool hopperVersion = false;
    for (int r = 0; r < panel.manifestModel()->rowCount(); ++r)
        hopperVersion = hopperVersion || (text(*panel.manifestModel(), r, ManifestChangeModel::WhereColumn) == "hopper" &&
                                          text(*panel.manifestModel(), r, ManifestChangeModel::FieldColumn) == "version" &&
                                          text(*panel.manifestModel(), r, ManifestChangeModel::BeforeColumn) == "1.0.0" &&
                                          text(*panel.manifestModel(), r, ManifestChangeModel::AfterColumn) == "1.1.0");
    CHECK(hopperVersion);

    // The hopper's walls grew: both CAD files changed, each bigger than before.
    GeometryDiffModel& g = *panel.geometryModel();
    REQUIRE(g.rowCount() == 2);
    QStringList keys;
    for (int r = 0; r < 2; ++r) {
        keys << g.index(r, 0).data(GeometryDiffModel::KeyRole).toString();
        const QVariant before = g.index(r, 0).data(GeometryDiffModel::VolumeBeforeRole);
        const QVariant after = g.index(r, 0).data(GeometryDiffModel::VolumeAfterRole);
        REQUIRE(before.isValid());
        REQUIRE(after.isValid());
        CHECK(after.toDouble() > before.toDouble());
        CHECK(text(g, r, GeometryDiffModel::VolumeColumn).contains(" → "));
        CHECK(text(g, r, GeometryDiffModel::VolumeColumn).contains(" (+"));
    }
    keys.sort();
    CHECK(keys == QStringList{"hopper/hopper-end", "hopper/hopper-wall"});

    // The BOM lines of those parts changed geometry; both are drawn before and after.
    BomDiffModel& bom = *panel.bomModel();
    REQUIRE(bom.rowCount() == 2);
    for (int r = 0; r < 2; ++r) {
        CHECK(text(bom, r, BomDiffModel::ChangeColumn) == "changed");
        CHECK(text(bom, r, BomDiffModel::ChangesColumn).startsWith("geometry, volume"));
        CHECK(text(bom, r, BomDiffModel::QuantityColumn) == "2");
    }
    REQUIRE(d.thumbnails.size() == 2);
    for (const auto& [key, t] : d.thumbnails) {
        INFO(key);
        CHECK(keys.contains(QString::fromStdString(key)));
        REQUIRE_FALSE(t.before.isNull());
        REQUIRE_FALSE(t.after.isNull());
        CHECK(t.before.size() == QSize(kThumbnailSize, kThumbnailSize));
        CHECK(t.before != t.after);
        // Drawn: many opaque pixels, transparent corners.
        CHECK(qAlpha(t.after.pixel(0, 0)) == 0);
        long opaque = 0;
        for (int y = 0; y < t.after.height(); ++y)
            for (int x = 0; x < t.after.width(); ++x)
                opaque += qAlpha(t.after.pixel(x, y)) == 255;
        CHECK(opaque > kThumbnailSize * kThumbnailSize / 10);
    }
    CHECK(panel.thumbnailKey() == bom.index(0, 0).data(BomDiffModel::KeyRole).toString());

    // Another base: computed again; the first pair comes back from the cache.
    panel.compare("v1.0~1", "");
    REQUIRE(waitIdle(panel));
    CHECK(panel.shownDiff()->base == "v1.0~1");
    CHECK(panel.basePicker()->currentText() == "v1.0~1");
    panel.compare("", "");
    CHECK_FALSE(panel.isBusy());
    CHECK(panel.shownDiff()->base == "v1.0");

    // A base with nothing before it: the core's message.
    panel.compare("", QString::fromStdString(root));
    REQUIRE(waitIdle(panel));
    CHECK(panel.titleText().toStdString() ==
          "No comparison: " + root +
              " is the first commit: there is no earlier revision to compare it with; pick a base");
    CHECK(panel.bomModel()->rowCount() == 0);
}

TEST_CASE("thumbnailImage draws the core's SVG thumbnails and rejects other text", "[gui]") {
    const std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\" viewBox=\"0 0 20 20\">"
        "<path d=\"M0.0 0.0L20.0 0.0L0.0 20.0Z\" fill=\"#4673aa\" stroke=\"#4673aa\" "
        "stroke-width=\"0.3\"/></svg>";
    const QImage image = thumbnailImage(svg);
    REQUIRE(image.size() == QSize(20, 20));
    CHECK(QColor(image.pixel(3, 3)) == QColor(0x46, 0x73, 0xaa));
    CHECK(qAlpha(image.pixel(18, 18)) == 0);
    CHECK(thumbnailImage("").isNull());
    CHECK(thumbnailImage("<svg width=\"20\" height=\"20\"></svg>").isNull());
}

TEST_CASE("Main window: the History tab follows the selection and the Diff tab computes only when shown",
          "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    ScopedHome home;
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.resize(1200, 800);
    window.setInitialSelection("controller", {}, View::History);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::designLoaded);
    window.openRepository(QString::fromStdString(commons.openPress().string()));
    for (int i = 0; i < 600 && loaded.isEmpty(); ++i)
        loaded.wait(100);
    REQUIRE(loaded.size() == 1);
    for (int i = 0; i < 1200 && window.isBusy(); ++i)
        QTest::qWait(100);
    REQUIRE_FALSE(window.isBusy());
    CHECK(window.historyPanel()->shownQuery() == "controller");
    CHECK(window.historyPanel()->model()->rowCount() == 3);
    CHECK_FALSE(window.diffPanel()->shownDiff()); // never shown: never computed

    // A part selected in the table: its own history.
    REQUIRE(window.selectModule("frame"));
    REQUIRE(window.selectPart("side-plate"));
    for (int i = 0; i < 600 && window.isBusy(); ++i)
        QTest::qWait(100);
    CHECK(window.historyPanel()->shownQuery() == "frame:side-plate");
    REQUIRE(window.historyPanel()->model()->rowCount() == 2);
    CHECK(text(*window.historyPanel()->model(), 1, HistoryModel::SummaryColumn) ==
          "Start the Open Press commons with the frame");

    window.showView(View::Diff);
    CHECK(window.isBusy());
    for (int i = 0; i < 1200 && window.isBusy(); ++i)
        QTest::qWait(100);
    REQUIRE(window.diffPanel()->shownDiff());
    CHECK(window.diffPanel()->shownDiff()->base == "v1.0");
    CHECK(window.diffPanel()->bomModel()->rowCount() == 2);

    // Another revision shown: the target follows it, the base is automatic again.
    QSignalSpy reloaded(&window, &MainWindow::designLoaded);
    window.loadRevision("v1.0");
    for (int i = 0; i < 600 && reloaded.isEmpty(); ++i)
        reloaded.wait(100);
    REQUIRE(reloaded.size() == 1);
    CHECK(window.diffPanel()->targetPicker()->currentText() == "tag v1.0");
    for (int i = 0; i < 1200 && window.isBusy(); ++i)
        QTest::qWait(100);
    REQUIRE(window.diffPanel()->shownDiff());
    CHECK(window.diffPanel()->shownDiff()->base == "v1.0~1");
    CHECK(window.diffPanel()->shownDiff()->target == "v1.0");
}

TEST_CASE("telar-desktop --screenshot renders the history and diff views offscreen", "[gui]") {
    ExampleCommons commons;
    telar::test::TempDir out;
    const std::string binary = (telar::test::binaryDir() / "telar-desktop").string();
    for (const char* view : {"history", "diff"}) {
        INFO("view " << view);
        const fs::path png = out / (std::string(view) + ".png");
        auto r = telar::test::run({binary, "--repo", commons.openPress().string(), "--module", "wheels",
                                   "--part", "wheel-hub", "--view", view, "--size", "1100x700",
                                   "--screenshot", png.string()},
                                  {}, {"QT_QPA_PLATFORM=offscreen", "TELAR_HOME=" + (out / "home").string()});
        INFO(r.out << r.err);
        REQUIRE(r.exitCode == 0);
        CHECK(r.out.find("wrote " + png.string() + " (1100x700)") != std::string::npos);
        QImage image(QString::fromStdString(png.string()));
        REQUIRE_FALSE(image.isNull());
        CHECK(image.size() == QSize(1100, 700));
        CHECK(telar::test::luminanceStdDev(image) > 15.0);
    }
}

TEST_CASE("History and diff panels never make the window wider than asked", "[gui]") {
    telar::test::ensureGuiApplication();
    // A tab page wider than the others widens the window beyond --size (the start page's
    // 800x600 screenshot must stay 800 wide).
    HistoryPanel history;
    DiffPanel diff;
    CHECK(history.minimumSizeHint().width() <= 300);
    CHECK(diff.minimumSizeHint().width() <= 300);
}
