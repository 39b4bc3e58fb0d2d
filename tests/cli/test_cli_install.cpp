// `cmake --install` gives a self-contained Telar: the installed telar reads the installed
// catalogue (share/telar) and finds its CAD worker and engine module beside it.

#include "cli_fixture.h"

#include <catch2/catch.hpp>

#include <filesystem>

using telar::test::binaryDir;
using telar::test::CliFixture;
using telar::test::readFile;
using telar::test::writeFile;

namespace fs = std::filesystem;

TEST_CASE("an installed telar reads the installed catalogue", "[cli][install]") {
    CliFixture f;
    const fs::path prefix = f / "prefix";
    auto install = f.program({"cmake", "--install", binaryDir().parent_path().string(), "--prefix", prefix.string()});
    INFO(install.out << install.err);
    REQUIRE(install.exitCode == 0);
    const fs::path telar = prefix / "bin" / "telar";
    REQUIRE(fs::exists(telar));
    CHECK(fs::exists(prefix / "bin" / "telar-cad-worker"));
    REQUIRE(fs::exists(prefix / "share" / "telar" / "materials.toml"));
    CHECK(fs::exists(prefix / "share" / "telar" / "fabs" / "community-fablab.toml"));

    // A material only the installed catalogue knows.
    const fs::path materials = prefix / "share" / "telar" / "materials.toml";
    writeFile(materials, readFile(materials) +
                             "\n[[material]]\nid = \"installed-only\"\nname = \"Installed only\"\nkind = \"sheet\"\n"
                             "density = 1.5\nprice_per_kg = 3\n");
    auto init = f.program({telar.string(), "init", "d", "--name", "D", "--license", "CERN-OHL-S-2.0"});
    REQUIRE(init.exitCode == 0);
    REQUIRE(f.program({telar.string(), "module", "add", "frame", "--name", "Frame"}, f / "d").exitCode == 0);
    auto part = f.program({telar.string(), "part", "add", "frame", "plate", "--name", "Plate", "--material",
                           "installed-only", "--process", "purchased"},
                          f / "d");
    INFO(part.err);
    CHECK(part.exitCode == 0);
    auto check = f.program({telar.string(), "check"}, f / "d");
    INFO(check.out << check.err);
    CHECK(check.out.find("installed-only") == std::string::npos);
    CHECK(check.err.find("installed-only") == std::string::npos);

    // The build tree's telar does not know it: the installed one really read share/telar.
    auto buildTree = f.telar({"check"}, f / "d");
    CHECK((buildTree.out + buildTree.err).find("installed-only") != std::string::npos);
}
