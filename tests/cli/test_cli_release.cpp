// `telar release`, `build`, `get`, `okh` and the new `bom --format`s, run as the real binary on
// copies of the generated Open Press commons and on the OKH files in ../shared/realdata.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using telar::test::CliFixture;
using telar::test::exampleCommons;
using telar::test::readFile;
using telar::test::resourceDir;
using telar::test::TempDir;
using telar::test::writeFile;
using Json = nlohmann::json;

namespace {

std::string fab(const std::string& name) {
    return (resourceDir() / "fabs" / name).string();
}

// One store for the process: each CAD file is analysed once across the tests.
std::string sharedStore() {
    static TempDir dir("telar-cli-release-store");
    return (dir / "telar.db").string();
}

// A private copy of the example's open-press repository in the fixture's folder.
std::string copyPress(const CliFixture& f) {
    std::filesystem::copy(exampleCommons() / "open-press", f / "press", std::filesystem::copy_options::recursive);
    return (f / "press").string();
}

} // namespace

TEST_CASE("telar release tags HEAD after its gates pass, a failing gate creates nothing", "[cli][release]") {
    CliFixture f;
    const std::string repo = copyPress(f);
    auto r = f.telar({"--repo", repo, "--store", sharedStore(), "release", "v1.1", "-m", "Open Press 1.1", "--json"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    Json j = Json::parse(r.out);
    CHECK(j["created"] == true);
    CHECK(j["previous_tag"] == "v1.0");
    CHECK(j["gates"].size() == 4);
    auto msg = f.program({"git", "-C", repo, "tag", "-l", "--format=%(taggername) %(taggeremail)|%(contents)", "v1.1"});
    CHECK(msg.out.substr(0, msg.out.find('|')) == "Test Author <author@example.org>");
    CHECK(msg.out.find("|Open Press 1.1\n\nBOM of press: ") != std::string::npos);
    CHECK(msg.out.find("Changes since v1.0:\n") != std::string::npos);

    // Break a CAD file: the cad gate fails, exit 1, no tag.
    writeFile(f / "press/frame/cad/gusset.step", "ISO-10303-21;\nnot really\n");
    auto commit = f.program({"git", "-C", repo, "-c", "user.name=Test Author", "-c", "user.email=author@example.org",
                             "commit", "-qam", "Corrupt the gusset"});
    REQUIRE(commit.exitCode == 0);
    auto bad = f.telar({"--repo", repo, "--store", sharedStore(), "release", "v1.2"});
    CHECK(bad.exitCode == 1);
    CHECK(bad.err == "telar: release v1.2 not created: gate 'cad' failed (every CAD file is analysable is not "
                     "true); nothing was tagged\n");
    CHECK(bad.out.find("cad        every CAD file is analysable     FAILED\n  frame/cad/gusset.step: ") !=
          std::string::npos);
    auto tags = f.program({"git", "-C", repo, "tag", "-l"});
    CHECK(tags.out == "v1.0\nv1.1\n");
    // An existing tag is a usage error.
    CHECK(f.telar({"--repo", repo, "--store", sharedStore(), "release", "v1.0"}).exitCode == 2);
}

TEST_CASE("telar build writes a zip that is byte-identical across builds and a folder whose sums verify",
          "[cli][package]") {
    CliFixture f;
    const std::string repo = (exampleCommons() / "open-press").string();
    auto a = f.telar({"--repo", repo, "--store", sharedStore(), "build", "v1.0", "--fab", fab("community-fablab.toml"),
                      "-o", (f / "a.zip").string()});
    INFO(a.out << a.err);
    REQUIRE(a.exitCode == 0);
    CHECK(a.out == "wrote " + (f / "a.zip").string() +
                     ": 53 files, 40 fabrication files, BOM 64 lines for Community Fab Lab (v1.0)\n");
    auto b = f.telar({"--repo", repo, "--store", sharedStore(), "build", "v1.0", "--fab", fab("community-fablab.toml"),
                      "-o", (f / "b.zip").string()});
    REQUIRE(b.exitCode == 0);
    CHECK(readFile(f / "a.zip") == readFile(f / "b.zip"));
    // A folder holds the same files; sha256sum accepts SHA256SUMS.
    auto d = f.telar({"--repo", repo, "--store", sharedStore(), "build", "v1.0", "--fab", fab("community-fablab.toml"),
                      "-o", (f / "pkg").string()});
    REQUIRE(d.exitCode == 0);
    auto sums = f.program({"sha256sum", "--quiet", "-c", "SHA256SUMS"}, f / "pkg");
    CHECK(sums.exitCode == 0);
    CHECK(sums.out.empty());
    CHECK(readFile(f / "pkg/VERDICT.txt").substr(0, 19) == "Licence verdict for");
    // An existing output is refused.
    auto again = f.telar({"--repo", repo, "--store", sharedStore(), "build", "v1.0", "--fab",
                          fab("community-fablab.toml"), "-o", (f / "a.zip").string()});
    CHECK(again.exitCode == 2);
}

TEST_CASE("telar get builds the same package from a file:// remote without its history", "[cli][package]") {
    CliFixture f;
    const std::string repo = (exampleCommons() / "open-press").string();
    const std::string url = "file://" + repo;
    auto g = f.telar({"--store", sharedStore(), "get", url, "v1.0", "--fab", fab("forprofit-workshop.toml"), "-o",
                      (f / "got.zip").string(), "--repo-url", "https://example.org/open-press.git"});
    INFO(g.out << g.err);
    REQUIRE(g.exitCode == 0);
    CHECK(g.err == "fetched v1.0 of " + url + " without its history (git fetch --depth 1)\n");
    auto b = f.telar({"--repo", repo, "--store", sharedStore(), "build", "v1.0", "--fab", fab("forprofit-workshop.toml"),
                      "-o", (f / "built.zip").string(), "--repo-url", "https://example.org/open-press.git"});
    REQUIRE(b.exitCode == 0);
    CHECK(readFile(f / "got.zip") == readFile(f / "built.zip"));
    auto missing = f.telar({"--store", sharedStore(), "get", url, "v9.9", "--fab", fab("forprofit-workshop.toml"),
                            "-o", (f / "none.zip").string()});
    CHECK(missing.exitCode == 1);
    CHECK(missing.err.rfind("telar: error: cannot fetch tag 'v9.9' from " + url + ": ", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(f / "none.zip"));
}

TEST_CASE("telar okh export and import", "[cli][okh]") {
    CliFixture f;
    const std::string repo = (exampleCommons() / "open-press").string();
    auto e = f.telar({"--repo", repo, "--rev", "v1.0", "--store", sharedStore(), "okh", "export", "--repo-url",
                      "https://example.org/open-press.git"});
    INFO(e.out << e.err);
    REQUIRE(e.exitCode == 0);
    const size_t eol = e.out.find('\n');
    CHECK(e.out.substr(0, eol).rfind("# OKH-LOSH manifest written by Telar from v1.0 (", 0) == 0);
    CHECK(e.out.substr(eol + 1, e.out.find("source = ") - eol - 1) ==
          "okhv = \"OKH-LOSHv1.0\"\n"
          "name = \"Open Press\"\n"
          "repo = \"https://example.org/open-press.git\"\n"
          "version = \"1.0.0\"\n"
          "license = \"CERN-OHL-S-2.0\"\n"
          "licensor = \"Open Press contributors\"\n"
          "function = \"A compressed-earth brick press\"\n");
    CHECK(e.out.find("\n[mass]\nvalue = ") != std::string::npos);
    CHECK(e.out.find("\n[[part]]\nname = \"Side plate\"\ntsdc = \"LAS\"\n") != std::string::npos);

    auto realdata = telar::test::realdataDir();
    if (!realdata) {
        WARN("SKIPPED: ../shared/realdata not found (set TELAR_REALDATA)");
        return;
    }
    const std::string oak = (*realdata / "Oak-Compact-Joystick" / "OKH-Oak-Joystick.yml").string();
    auto strict = f.telar({"okh", "import", oak, "--into", (f / "oak").string()});
    CHECK(strict.exitCode == 1);
    CHECK(strict.err == "telar: error: OKH-Oak-Joystick.yml:3:1: not valid YAML: expected 'key: value'; a continuation "
                        "of 'description' must be indented\n");
    CHECK_FALSE(std::filesystem::exists(f / "oak"));
    auto lenient = f.telar({"okh", "import", oak, "--into", (f / "oak").string(), "--lenient", "--json"});
    REQUIRE(lenient.exitCode == 0);
    Json j = Json::parse(lenient.out);
    CHECK(j["skipped"].size() == 8);
    CHECK(j["module"] == "oak-compact-joystick");
    CHECK(readFile(f / "oak/telar.toml").find("license = \"CERN-OHL-W-2.0\"") != std::string::npos);

    auto plankto = f.telar({"okh", "import", (*realdata / "PlanktoScope" / "okh.toml").string(), "--into",
                            (f / "plankto").string()});
    CHECK(plankto.exitCode == 1); // paths are missing
    CHECK(plankto.out.find("paths named in the manifest that do not exist:\n  /README.md\n") != std::string::npos);
}

TEST_CASE("telar bom writes XLSX, HTML with thumbnails and CycloneDX", "[cli][bom][package]") {
    CliFixture f;
    const std::string repo = (exampleCommons() / "open-press").string();
    auto x = f.telar({"--repo", repo, "--rev", "v1.0", "--store", sharedStore(), "bom", "--format", "xlsx", "-o",
                      (f / "bom.xlsx").string()});
    INFO(x.err);
    REQUIRE(x.exitCode == 0);
    CHECK(readFile(f / "bom.xlsx").substr(0, 2) == "PK");
    auto h = f.telar({"--repo", repo, "--rev", "v1.0", "--store", sharedStore(), "bom", "--format", "html"});
    REQUIRE(h.exitCode == 0);
    CHECK(h.out.rfind("<!DOCTYPE html>\n", 0) == 0);
    size_t svgs = 0;
    for (size_t p = h.out.find("<svg "); p != std::string::npos; p = h.out.find("<svg ", p + 1)) ++svgs;
    CHECK(svgs == 41); // every line with geometry
    auto c = f.telar({"--repo", repo, "--rev", "v1.0", "--store", sharedStore(), "bom", "--format", "cyclonedx"});
    REQUIRE(c.exitCode == 0);
    Json cdx = Json::parse(c.out);
    CHECK(cdx["bomFormat"] == "CycloneDX");
    CHECK(cdx["specVersion"] == "1.5");
    CHECK(cdx["metadata"]["component"]["name"] == "Open Press");
    CHECK(cdx["metadata"]["component"]["licenses"][0]["expression"] == "CERN-OHL-S-2.0");
}

TEST_CASE("CycloneDX of a fork carries its upstream as pedigree", "[cli][bom]") {
    CliFixture f;
    const std::string fork = (exampleCommons() / "open-press-fork").string();
    auto c = f.telar({"--repo", fork, "--store", sharedStore(), "bom", "--format", "cyclonedx"});
    INFO(c.err);
    REQUIRE(c.exitCode == 0);
    Json cdx = Json::parse(c.out);
    const Json& anc = cdx["metadata"]["component"]["pedigree"]["ancestors"][0];
    CHECK(anc["name"] == "Open Press (upstream)");
    CHECK(anc["externalReferences"][0]["url"] == (exampleCommons() / "open-press").string());
    CHECK(anc["version"].get<std::string>().size() == 40);
}
