// Editing manifests in place: byte-exact results that keep comments and order, refusals, and
// atomic writes that never damage the original.
#include "test_support.h"

#include "telar/core/manifest_edit.h"
#include "telar/error.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace telar::core;
namespace fs = std::filesystem;

namespace {

const std::string kFrame = R"(# Frame of the press
[module]
name = "Frame"   # shown in the BOM
version = "1.2.0"
description = "Rahmen für Größe"

# Plates
[[part]]
id = "side-plate"
name = "Side plate"
quantity = 2  # left and right

[[part]]
id = "m8"
name = "Bolt M8"
process = "purchased"
quantity = 16

# Sub-modules
[[use]]
module = "axes/x"
)";

// kFrame with one substring replaced (which must occur exactly once).
std::string replaced(const std::string& from, const std::string& to) {
    std::string s = kFrame;
    auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(s.find(from, at + 1) == std::string::npos);
    return s.replace(at, from.size(), to);
}

const std::string kFile = "frame/module.toml";

} // namespace

TEST_CASE("setField replaces a value in place and keeps everything else", "[core][manifest_edit]") {
    CHECK(setField(kFrame, kFile, "module", "version", std::string("1.3.0")) ==
          replaced("version = \"1.2.0\"", "version = \"1.3.0\""));
    CHECK(setField(kFrame, kFile, "part[side-plate]", "quantity", std::int64_t{4}) ==
          replaced("quantity = 2  # left", "quantity = 4  # left"));
    // a value after non-ASCII text on the same line: columns count characters, not bytes
    CHECK(setField(kFrame, kFile, "module", "description", std::string("Frame, größer")) ==
          replaced("\"Rahmen für Größe\"", "\"Frame, größer\""));
}

TEST_CASE("setField adds a missing key after the table's last line", "[core][manifest_edit]") {
    CHECK(setField(kFrame, kFile, "module", "license", std::string("CERN-OHL-S-2.0")) ==
          replaced("Größe\"\n", "Größe\"\nlicense = \"CERN-OHL-S-2.0\"\n"));
    CHECK(setField(kFrame, kFile, "part[side-plate]", "material", std::string("steel-s235")) ==
          replaced("and right\n", "and right\nmaterial = \"steel-s235\"\n"));
    CHECK(setField(kFrame, kFile, "part[m8]", "unit_cost", 0.12) ==
          replaced("quantity = 16\n", "quantity = 16\nunit_cost = 0.12\n"));
    CHECK(setField(kFrame, kFile, "use[axes/x]", "quantity", std::int64_t{2}) == kFrame + "quantity = 2\n");
}

TEST_CASE("setFields creates a sub-table right after its part", "[core][manifest_edit]") {
    std::string out = setFields(
        kFrame, kFile, "part[side-plate].origin",
        {{"source", std::string("https://example.org/p.step")}, {"license", std::string("CC-BY-4.0")}});
    CHECK(out == replaced("and right\n", "and right\n[part.origin]\nsource = \"https://example.org/p.step\"\n"
                                         "license = \"CC-BY-4.0\"\n"));
    // and a later edit of the new sub-table lands inside it
    CHECK(setField(out, kFile, "part[side-plate].origin", "author", std::string("A. Maker")) ==
          replaced("and right\n", "and right\n[part.origin]\nsource = \"https://example.org/p.step\"\n"
                                  "license = \"CC-BY-4.0\"\nauthor = \"A. Maker\"\n"));
}

TEST_CASE("setField edits inline tables", "[core][manifest_edit]") {
    const std::string text = "[module]\nname = \"M\"\n[[part]]\nid = \"a\"\nname = \"A\"\n"
                             "origin = { source = \"s\", license = \"CC0-1.0\" }  # kept\n";
    CHECK(setField(text, "m/module.toml", "part[a].origin", "author", std::string("X")) ==
          "[module]\nname = \"M\"\n[[part]]\nid = \"a\"\nname = \"A\"\n"
          "origin = { source = \"s\", license = \"CC0-1.0\", author = \"X\" }  # kept\n");
    CHECK(setField(text, "m/module.toml", "part[a].origin", "license", std::string("CC-BY-4.0")) ==
          "[module]\nname = \"M\"\n[[part]]\nid = \"a\"\nname = \"A\"\n"
          "origin = { source = \"s\", license = \"CC-BY-4.0\" }  # kept\n");
}

TEST_CASE("appendPart and appendUse insert next to their kind", "[core][manifest_edit]") {
    Part nut;
    nut.id = "nut";
    nut.name = "Nut M8";
    nut.process = "purchased";
    nut.quantity = 16;
    nut.unitCost = 0.05;
    nut.currency = "EUR";
    CHECK(appendPart(kFrame, kFile, nut) ==
          replaced("quantity = 16\n",
                   "quantity = 16\n\n[[part]]\nid = \"nut\"\nname = \"Nut M8\"\n"
                   "process = \"purchased\"\nquantity = 16\nunit_cost = 0.05\ncurrency = \"EUR\"\n"));
    Use y{"axes/y", 2, {}};
    CHECK(appendUse(kFrame, kFile, y) == kFrame + "\n[[use]]\nmodule = \"axes/y\"\nquantity = 2\n");

    // into a manifest without parts or uses: at the end, after a blank line
    const std::string bare = "[module]\nname = \"Bare\"  # no newline at the end";
    Part p;
    p.id = "p";
    p.name = "P";
    p.file = "cad/p.stl";
    p.origin = Origin{"https://example.org/p.stl", "CC-BY-4.0", "", "2026-11-01", "", {}};
    CHECK(
        appendPart(bare, "bare/module.toml", p) ==
        bare +
            "\n\n[[part]]\nid = \"p\"\nname = \"P\"\nfile = \"cad/p.stl\"\nquantity = 1\n[part.origin]\n"
            "source = \"https://example.org/p.stl\"\nlicense = \"CC-BY-4.0\"\nretrieved = \"2026-11-01\"\n");
}

TEST_CASE("edits that would make a manifest invalid are refused", "[core][manifest_edit]") {
    Part dup;
    dup.id = "m8";
    dup.name = "Another bolt";
    try {
        appendPart(kFrame, kFile, dup);
        FAIL("no error");
    } catch (const telar::ManifestError& e) {
        CHECK(std::string(e.what()) ==
              "frame/module.toml:20:6: part[3].id: duplicate part id 'm8' (first defined at line 13)");
    }
    Part bad;
    bad.id = "x";
    bad.name = "X";
    bad.file = "../../../etc/passwd";
    CHECK_THROWS_AS(appendPart(kFrame, kFile, bad), telar::ManifestError);
    CHECK_THROWS_AS(setField(kFrame, kFile, "part[m8]", "quantity", std::int64_t{0}), telar::ManifestError);
    CHECK_THROWS_AS(setField(kFrame, kFile, "module", "name", std::int64_t{1}), telar::ManifestError);
    CHECK_THROWS_AS(setField(kFrame, kFile, "part[nope]", "quantity", std::int64_t{1}), telar::UsageError);
    CHECK_THROWS_AS(setField(kFrame, kFile, "upstream", "url", std::string("x")), telar::UsageError);
    // a [part.origin] needs a licence: setting its source alone is refused
    CHECK_THROWS_AS(setField(kFrame, kFile, "part[m8].origin", "source", std::string("s")),
                    telar::ManifestError);
}

TEST_CASE("a manifest that already has errors is never rewritten", "[core][manifest_edit]") {
    const std::string broken = replaced("quantity = 16", "quantity = 0");
    try {
        setField(broken, kFile, "module", "version", std::string("1.3.0"));
        FAIL("no error");
    } catch (const telar::ManifestError& e) {
        CHECK(std::string(e.what()) ==
              "frame/module.toml:17:12: part[2].quantity: must be a positive integer, got 0");
    }
    CHECK_THROWS_AS(appendUse("[module\nname = 1", kFile, Use{"a", 1, {}}), telar::ManifestError);
}

TEST_CASE("telar.toml edits: products and a new [upstream]", "[core][manifest_edit]") {
    const std::string text =
        "# Open Press\n[project]\nname = \"Open Press\"\nproducts = [\"press\"]  # what fabs build\n";
    CHECK(setField(text, "telar.toml", "project", "products", std::vector<std::string>{"press", "tools"}) ==
          "# Open Press\n[project]\nname = \"Open Press\"\nproducts = [\"press\", \"tools\"]  # what fabs "
          "build\n");
    const std::string commit(40, 'a');
    CHECK(setFields(text, "telar.toml", "upstream",
                    {{"url", std::string("https://example.org/p.git")}, {"commit", commit}}) ==
          text + "\n[upstream]\nurl = \"https://example.org/p.git\"\ncommit = \"" + commit + "\"\n");
}

TEST_CASE("new manifests are created complete and valid", "[core][manifest_edit]") {
    telar::test::TempDir dir;
    ProjectManifest p;
    p.name = "Open Press";
    p.license = "CERN-OHL-S-2.0";
    p.products = {"press"};
    createProjectManifest(dir.path(), p);
    CHECK(telar::test::readFile(dir / "telar.toml") ==
          "# Telar project manifest: see docs/manifest-format.md\n[project]\nname = \"Open Press\"\n"
          "license = \"CERN-OHL-S-2.0\"\nproducts = [\"press\"]\n");
    CHECK_THROWS_AS(createProjectManifest(dir.path(), p), telar::UsageError);

    ModuleManifest m;
    m.id = "axes/x";
    m.name = "X axis";
    m.version = "0.1.0";
    m.uses.push_back({"fasteners", 4, {}});
    createModuleManifest(dir.path(), m);
    CHECK(telar::test::readFile(dir / "axes/x/module.toml") ==
          "# Telar module manifest: see docs/manifest-format.md\n[module]\nname = \"X axis\"\nversion = "
          "\"0.1.0\"\n"
          "\n[[use]]\nmodule = \"fasteners\"\nquantity = 4\n");
    CHECK_THROWS_AS(createModuleManifest(dir.path(), m), telar::UsageError);

    ModuleManifest nameless;
    nameless.id = "frame";
    CHECK_THROWS_AS(createModuleManifest(dir.path(), nameless), telar::ManifestError);
    CHECK_FALSE(fs::exists(dir / "frame/module.toml"));
    ModuleManifest escaping;
    escaping.id = "../outside";
    escaping.name = "Out";
    CHECK_THROWS_AS(createModuleManifest(dir.path(), escaping), telar::UsageError);
    CHECK_FALSE(fs::exists(dir.path().parent_path() / "outside"));
}

TEST_CASE("writeFileAtomically replaces a file and keeps its permissions", "[core][manifest_edit]") {
    telar::test::TempDir dir;
    const fs::path target = dir / "module.toml";
    writeFileAtomically(target, "first\n");
    CHECK(telar::test::readFile(target) == "first\n");
    ::chmod(target.c_str(), 0640);
    writeFileAtomically(target, "second\n");
    CHECK(telar::test::readFile(target) == "second\n");
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path()))
        ++entries;
    CHECK(entries == 1); // no temporary file left behind
}

TEST_CASE("a failed atomic write leaves the original untouched", "[core][manifest_edit]") {
    telar::test::TempDir dir;
    auto countEntries = [&](const fs::path& p) {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(p))
            ++n;
        return n;
    };

    SECTION("the target is a folder") {
        fs::create_directory(dir / "module.toml");
        telar::test::writeFile(dir / "module.toml" / "keep", "kept");
        CHECK_THROWS_AS(writeFileAtomically(dir / "module.toml", "new"), telar::Error);
        CHECK(fs::is_directory(dir / "module.toml"));
        CHECK(telar::test::readFile(dir / "module.toml" / "keep") == "kept");
        CHECK(countEntries(dir.path()) == 1);
    }
    SECTION("the folder does not exist") {
        CHECK_THROWS_AS(writeFileAtomically(dir / "missing" / "module.toml", "new"), telar::Error);
        CHECK_FALSE(fs::exists(dir / "missing"));
    }
    SECTION("the name leaves no room for a temporary file") {
        const fs::path target = dir / std::string(250, 'm');
        telar::test::writeFile(target, "original");
        try {
            writeFileAtomically(target, "new");
            FAIL("no error");
        } catch (const telar::Error& e) {
            CHECK(std::string(e.what()).find("File name too long") != std::string::npos);
        }
        CHECK(telar::test::readFile(target) == "original");
        CHECK(countEntries(dir.path()) == 1);
    }
    SECTION("the folder is read-only") {
        const fs::path target = dir / "module.toml";
        telar::test::writeFile(target, "original");
        ::chmod(dir.path().c_str(), 0555);
        if (::geteuid() == 0) {
            // Root may write anywhere: try as an unprivileged user in a child process instead.
            pid_t pid = ::fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
                if (::access(target.c_str(), R_OK) != 0) ::_exit(4); // the folder is not reachable at all
                try {
                    writeFileAtomically(target, "new");
                } catch (const telar::Error&) {
                    ::_exit(0); // refused, as it must be
                }
                ::_exit(1);
            }
            int status = 0;
            ::waitpid(pid, &status, 0);
            REQUIRE(WIFEXITED(status));
            if (WEXITSTATUS(status) == 3 || WEXITSTATUS(status) == 4)
                WARN("SKIPPED: cannot act as an unprivileged user on the temporary folder");
            else
                CHECK(WEXITSTATUS(status) == 0);
        } else {
            CHECK_THROWS_AS(writeFileAtomically(target, "new"), telar::Error);
        }
        ::chmod(dir.path().c_str(), 0755);
        CHECK(telar::test::readFile(target) == "original");
        CHECK(countEntries(dir.path()) == 1);
    }
}
