// The `telar` binary keeps OpenCASCADE out of its start-up: it links no OCCT toolkit and loads
// the CAD engine module (telar-cad-engine.so) only when a command tessellates geometry.

#include "cli_fixture.h"

#include <catch2/catch.hpp>

#include <filesystem>

using telar::test::binaryDir;
using telar::test::CliFixture;
using telar::test::exampleCommons;
using telar::test::resourceDir;
using telar::test::run;

namespace fs = std::filesystem;

TEST_CASE("the telar binary links no OpenCASCADE toolkit", "[cli][engine]") {
    const auto ldd = run({"/usr/bin/ldd", (binaryDir() / "telar").string()});
    REQUIRE(ldd.exitCode == 0);
    CHECK(ldd.out.find("libgit2") != std::string::npos); // the listing is real
    CHECK(ldd.out.find("libTK") == std::string::npos);
    REQUIRE(fs::exists(binaryDir() / "telar-cad-engine.so"));
}

TEST_CASE("a build without the CAD engine names it and leaves those STL files out", "[cli][engine]") {
    CliFixture f;
    const std::string repo = (exampleCommons() / "open-press").string();
    const std::string fab = (resourceDir() / "fabs" / "community-fablab.toml").string();
    const fs::path missing = f / "nowhere" / "telar-cad-engine.so";

    auto without = f.telarEnv({"--repo", repo, "build", "v1.0", "--fab", fab, "-o", (f / "pkg-a").string()},
                              {"TELAR_CAD_ENGINE=" + missing.string()});
    INFO(without.err);
    REQUIRE(without.exitCode == 0);
    CHECK(without.err.find("warning: controller/enclosure-base: cannot tessellate: controller/cad/enclosure.step: "
                           "the CAD engine telar-cad-engine.so was not found (looked in " +
                           missing.string() + "); reinstall Telar or set TELAR_CAD_ENGINE to its path") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(f / "pkg-a" / "parts" / "controller" / "enclosure-base.stl"));

    // The same build with the engine the build tree holds writes them.
    auto with = f.telarEnv({"--repo", repo, "build", "v1.0", "--fab", fab, "-o", (f / "pkg-b").string()},
                           {"TELAR_CAD_ENGINE=" + (binaryDir() / "telar-cad-engine.so").string()});
    INFO(with.err);
    REQUIRE(with.exitCode == 0);
    CHECK(with.err.find("cannot tessellate") == std::string::npos);
    CHECK(fs::file_size(f / "pkg-b" / "parts" / "controller" / "enclosure-base.stl") > 84);
    CHECK(fs::file_size(f / "pkg-b" / "parts" / "controller" / "enclosure-lid.stl") > 84);
}
