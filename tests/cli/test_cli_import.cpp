// `telar import` through the real binary: a Voron-0 STL into a GPL module with its exact origin
// record and JSON, then `telar provenance` before and after a change; refusals (licence, bad
// SPDX, unknown module, target outside the repository) with exact messages and exit codes and
// nothing written.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using Json = nlohmann::json;
using telar::test::CliFixture;
using telar::test::git;
using telar::test::readFile;
using telar::test::writeFile;

namespace {

const std::string kProject = R"(# Import through the CLI
[project]
name = "Printer parts"
license = "CERN-OHL-S-2.0"
)";

const std::string kFrame = R"([module]
name = "Frame"
version = "1.0.0"
license = "CERN-OHL-P-2.0"   # permissive
)";

const std::string kPrinted = R"(# Printed parts, shared alike with the Voron project
[module]
name = "Printed parts"
version = "0.2.0"
license = "GPL-3.0-only"

[[part]]
id = "spacer"
name = "Spacer"
process = "fdm-print"
material = "petg"
quantity = 6 # three per side
)";

// Middle_Clip_x9.stl of Voron-0 (realdata/SOURCES.md): 48,484 bytes under GPL-3.0.
const std::string kClipSha256 = "6cd5f349c47fa6326749db6dbd35102abbc9b38e5b4d7f7adf9a0c8e9b26148d";

void commitAll(const fs::path& repo, const std::string& message) {
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", message},
        {"GIT_AUTHOR_NAME=Ada Importer", "GIT_AUTHOR_EMAIL=ada@example.org",
         "GIT_AUTHOR_DATE=1767225600 +0000", "GIT_COMMITTER_NAME=Ada Importer",
         "GIT_COMMITTER_EMAIL=ada@example.org", "GIT_COMMITTER_DATE=1767225600 +0000"});
}

// A committed design repository with the frame (CERN-OHL-P-2.0) and printed (GPL-3.0-only) modules.
fs::path makeRepo(const CliFixture& f) {
    fs::path repo = f / "repo";
    fs::create_directories(repo);
    git(repo, {"init", "-q", "-b", "main"});
    writeFile(repo / "telar.toml", kProject);
    writeFile(repo / "frame/module.toml", kFrame);
    writeFile(repo / "printed/module.toml", kPrinted);
    commitAll(repo, "Frame and printed parts");
    return repo;
}

std::string gitStatus(const fs::path& repo) {
    return git(repo, {"status", "--porcelain", "--untracked-files=all"});
}

std::string today() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
    return buf;
}

} // namespace

TEST_CASE_METHOD(CliFixture, "import a Voron-0 STL, then provenance says original, then modified",
                 "[cli][import][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    const fs::path clip = realdata / "Voron-0/STLs/Panel_Mounting/Middle_Clip_x9.stl";
    const fs::path repo = makeRepo(*this);

    auto r = telar({"import",      clip.string(),
                    "--module",    "printed",
                    "--source",    "https://github.com/VoronDesign/Voron-0",
                    "--license",   "GPL-3.0",
                    "--author",    "Voron Design",
                    "--retrieved", "2026-01-15",
                    "--quantity",  "9",
                    "--process",   "fdm-print",
                    "--material",  "petg",
                    "--to",        "printed/stl/",
                    "--json"},
                   repo);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(Json::parse(r.out) ==
          Json{{"module", "printed"},
               {"manifest", "printed/module.toml"},
               {"part",
                {{"id", "middle-clip-x9"},
                 {"name", "Middle_Clip_x9"},
                 {"file", "stl/Middle_Clip_x9.stl"},
                 {"path", "printed/stl/Middle_Clip_x9.stl"},
                 {"quantity", 9},
                 {"material", "petg"},
                 {"process", "fdm-print"}}},
               {"origin",
                {{"source", "https://github.com/VoronDesign/Voron-0"},
                 {"license", "GPL-3.0-only"},
                 {"author", "Voron Design"},
                 {"retrieved", "2026-01-15"},
                 {"sha256", kClipSha256}}},
               {"size", 48484},
               {"module_license", "GPL-3.0-only"},
               {"effects", Json::array()}}); // the module's own licence: nothing new to honour
    CHECK(readFile(repo / "printed/module.toml") == kPrinted + R"(
[[part]]
id = "middle-clip-x9"
name = "Middle_Clip_x9"
file = "stl/Middle_Clip_x9.stl"
material = "petg"
process = "fdm-print"
quantity = 9
[part.origin]
source = "https://github.com/VoronDesign/Voron-0"
license = "GPL-3.0-only"
author = "Voron Design"
retrieved = "2026-01-15"
sha256 = ")" + kClipSha256 + "\"\n");
    CHECK(readFile(repo / "printed/stl/Middle_Clip_x9.stl") == readFile(clip));
    CHECK(gitStatus(repo) == " M printed/module.toml\n?? printed/stl/Middle_Clip_x9.stl");

    auto check = telar({"check"}, repo);
    CHECK(check.exitCode == 0);
    CHECK(check.out == "working tree: 2 modules, 2 parts — ok\n");

    commitAll(repo, "Import the middle clip from Voron-0");
    auto prov = telar({"provenance", "middle-clip-x9"}, repo);
    INFO(prov.err);
    REQUIRE(prov.exitCode == 0);
    CHECK(prov.out.find(
              "Imported geometry:\n"
              "  printed:middle-clip-x9  printed/stl/Middle_Clip_x9.stl\n"
              "    from https://github.com/VoronDesign/Voron-0 by Voron Design (GPL-3.0-only, retrieved "
              "2026-01-15)\n"
              "    still the imported original (sha256 matches)\n") != std::string::npos);
    auto provJson = Json::parse(telar({"provenance", "printed:middle-clip-x9", "--json"}, repo).out);
    REQUIRE(provJson["origins"].size() == 1);
    CHECK(provJson["origins"][0]["recorded_sha256"] == kClipSha256);
    CHECK(provJson["origins"][0]["actual_sha256"] == kClipSha256);
    CHECK(provJson["origins"][0]["modified"] == false);

    // Scale the clip: the file is no longer the imported original.
    std::string changed = readFile(clip);
    changed.replace(0, 5, "SOLID");
    writeFile(repo / "printed/stl/Middle_Clip_x9.stl", changed);
    commitAll(repo, "Middle clip: thicker tab");
    prov = telar({"provenance", "middle-clip-x9"}, repo);
    REQUIRE(prov.exitCode == 0);
    CHECK(prov.out.find("    modified since it was imported\n") != std::string::npos);
    CHECK(prov.out.find("still the imported original") == std::string::npos);
    provJson = Json::parse(telar({"provenance", "middle-clip-x9", "--json"}, repo).out);
    CHECK(provJson["origins"][0]["modified"] == true);
    CHECK(provJson["commits"].size() == 2);

    // The same GPL geometry cannot go into the permissive frame.
    auto refused = telar({"import", clip.string(), "--module", "frame", "--source",
                          "https://github.com/VoronDesign/Voron-0", "--license", "GPL-3.0-only", "--author",
                          "Voron Design"},
                         repo);
    CHECK(refused.exitCode == 1);
    CHECK(refused.err ==
          "telar: error: cannot import Middle_Clip_x9.stl into module 'frame': its licence CERN-OHL-P-2.0 "
          "cannot "
          "honour the origin licence GPL-3.0-only: GPL-3.0-only requires adaptations to be shared under "
          "GPL-3.0-only, and CERN-OHL-P-2.0 is not one of them (it is permissive and would let others close "
          "the "
          "design). Import it into a module whose licence can include GPL-3.0-only, or obtain the geometry "
          "under "
          "a licence CERN-OHL-P-2.0 can include.\n");
    CHECK(readFile(repo / "frame/module.toml") == kFrame);
    CHECK_FALSE(fs::exists(repo / "frame/Middle_Clip_x9.stl"));
    CHECK(gitStatus(repo).empty());
}

TEST_CASE_METHOD(CliFixture, "import refusals name the problem and write nothing", "[cli][import]") {
    const fs::path repo = makeRepo(*this);
    const fs::path file = *this / "downloads/bracket.stl";
    writeFile(file, "solid bracket\nendsolid bracket\n");
    auto import = [&](std::vector<std::string> extra, const fs::path& cwd) {
        std::vector<std::string> args{"import", file.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return telar(args, cwd);
    };

    auto nc = import({"--module", "frame", "--source", "https://cad.example.org/bracket", "--license",
                      "CC-BY-NC-4.0", "--author", "Bea Maker"},
                     repo);
    CHECK(nc.exitCode == 1);
    CHECK(nc.out.empty());
    CHECK(nc.err ==
          "telar: error: cannot import bracket.stl into module 'frame': its licence CERN-OHL-P-2.0 cannot "
          "honour "
          "the origin licence CC-BY-NC-4.0: CC-BY-NC-4.0 forbids commercial use, so a work including it "
          "becomes "
          "non-commercial, which CERN-OHL-P-2.0 does not allow (license the work non-commercially or replace "
          "the "
          "material). Import it into a module whose licence can include CC-BY-NC-4.0, or obtain the geometry "
          "under a licence CERN-OHL-P-2.0 can include.\n");

    auto spdx = import(
        {"--module", "frame", "--source", "x", "--license", "CERN-OHL-P-2.0 AND", "--author", "B"}, repo);
    CHECK(spdx.exitCode == 2);
    CHECK(spdx.err ==
          "telar: origin licence 'CERN-OHL-P-2.0 AND' is not a valid SPDX expression: unexpected end "
          "of expression at column 19\n");

    auto unknown = import({"--module", "frames", "--source", "x", "--license", "MIT", "--author", "B"}, repo);
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err ==
          "telar: no module 'frames' (did you mean 'frame'?): frames/module.toml does not exist; "
          "name an existing module, or add it with `telar module add frames`\n");

    auto outside = import({"--module", "frame", "--source", "x", "--license", "MIT", "--author", "B", "--to",
                           "../../bracket.stl"},
                          repo / "frame");
    CHECK(outside.exitCode == 2);
    CHECK(outside.err == "telar: target " + (dir() / "bracket.stl").string() + " is outside the repository " +
                             repo.string() + ": give a path inside it, e.g. frame/bracket.stl\n");

    auto missing = telar({"import", (*this / "downloads/none.step").string(), "--module", "frame", "--source",
                          "x", "--license", "MIT", "--author", "B"},
                         repo);
    CHECK(missing.exitCode == 2);
    CHECK(missing.err ==
          "telar: file to import not found: " + (*this / "downloads/none.step").string() + "\n");

    auto noAuthor = import({"--module", "frame", "--source", "x", "--license", "MIT"}, repo);
    CHECK(noAuthor.exitCode == 2);
    CHECK(noAuthor.err.find("--author is required") != std::string::npos);

    CHECK(readFile(repo / "telar.toml") == kProject);
    CHECK(readFile(repo / "frame/module.toml") == kFrame);
    CHECK(gitStatus(repo).empty());

    // From inside the module's folder --to is read from there; the date defaults to today.
    auto ok = import({"--module", "frame", "--source", "https://cad.example.org/bracket", "--license",
                      "CC-BY-4.0", "--author", "Bea Maker", "--to", "cad/", "--id", "bracket"},
                     repo / "frame");
    INFO(ok.err);
    REQUIRE(ok.exitCode == 0);
    CHECK(ok.out ==
          "Imported bracket.stl as part bracket of frame (frame/cad/bracket.stl, 31 bytes)\n"
          "  origin: CC-BY-4.0 by Bea Maker, from https://cad.example.org/bracket, retrieved " +
              today() +
              "\n"
              "  sha256: a40a9de9a77239bfd3e4cb0d29bfc4e659d59bd8af4009ccc160018afa2ca472\n"
              "  CERN-OHL-P-2.0 can include CC-BY-4.0 as imported\n"
              "    keep the notices of the CC-BY-4.0 material and credit its authors\n"
              "Recorded in frame/module.toml; commit both files to keep the origin with the design.\n");
    CHECK(readFile(repo / "frame/cad/bracket.stl") == readFile(file));
    CHECK(gitStatus(repo) == " M frame/module.toml\n?? frame/cad/bracket.stl");
}
