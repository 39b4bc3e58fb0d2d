// A table of broken designs through the real binary: `telar check` names file, line, column and
// field with exit code 1, and `telar part add` refuses to touch a broken manifest.

#include "cli_fixture.h"

#include <catch2/catch.hpp>

#include <filesystem>

using telar::test::CliFixture;
using telar::test::readFile;
using telar::test::writeFile;

namespace {

const char* kProject = R"([project]
name = "Test"
license = "CERN-OHL-S-2.0"
products = ["frame"]
)";

const char* kModule = R"([module]
name = "Frame"

[[part]]
id = "plate"
name = "Plate"
file = "cad/plate.stl"
material = "steel-s235"
process = "laser-cut"
quantity = 2
)";

// kModule with the line `from` replaced by `to`.
std::string moduleWith(const std::string& from, const std::string& to) {
    std::string s = kModule;
    auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    return s.replace(pos, from.size(), to);
}

std::string projectWith(const std::string& extra) { return std::string(kProject) + extra; }

struct Case {
    const char* name;
    std::string project;
    std::string module;
    std::string expected; // one full diagnostic line of `telar check`
};

} // namespace

TEST_CASE("every broken design yields its precise diagnostic and exit code 1", "[cli]") {
    const std::string plate = "file = \"cad/plate.stl\"";
    const std::vector<Case> cases = {
        {"TOML syntax", kProject, "[module\nname = \"Frame\"\n",
         "error: frame/module.toml:1:8: invalid TOML in table header: expected ']', saw '\\n'"},
        {"unknown field with suggestion", kProject, moduleWith("name = \"Frame\"", "nmae = \"Frame\""),
         "error: frame/module.toml:2:1: module.nmae: unknown field 'nmae' (did you mean 'name'?)"},
        {"duplicate part id", kProject,
         std::string(kModule) + "\n[[part]]\nid = \"plate\"\nname = \"Other plate\"\nprocess = \"purchased\"\n",
         "error: frame/module.toml:13:6: part[2].id: duplicate part id 'plate' (first defined at line 4)"},
        {"quantity zero", kProject, moduleWith("quantity = 2", "quantity = 0"),
         "error: frame/module.toml:10:12: part[1].quantity: must be a positive integer, got 0"},
        {"quantity negative", kProject, moduleWith("quantity = 2", "quantity = -1"),
         "error: frame/module.toml:10:12: part[1].quantity: must be a positive integer, got -1"},
        {"quantity fractional", kProject, moduleWith("quantity = 2", "quantity = 2.5"),
         "error: frame/module.toml:10:12: part[1].quantity: must be a positive integer, got 2.5"},
        {"quantity as a string", kProject, moduleWith("quantity = 2", "quantity = \"2\""),
         "error: frame/module.toml:10:12: part[1].quantity: must be a positive integer, got the string \"2\""},
        {"part without a name", kProject, moduleWith("name = \"Plate\"\n", ""),
         "error: frame/module.toml:4:1: part[1].name: required field is missing"},
        {"invalid licence id", kProject, moduleWith("name = \"Frame\"", "name = \"Frame\"\nlicense = \"CERN-OHL-S-2\""),
         "error: frame/module.toml:3:11: module.license: invalid licence expression: unknown licence id 'CERN-OHL-S-2' at column 1 (did you mean 'CERN-OHL-S-2.0'?)"},
        {"file escaping the repository", kProject, moduleWith(plate, "file = \"../../etc/passwd\""),
         "error: frame/module.toml:7:8: part[1].file: must stay inside the repository, got \"../../etc/passwd\""},
        {"absolute file", kProject, moduleWith(plate, "file = \"/etc/passwd\""),
         "error: frame/module.toml:7:8: part[1].file: must be relative to the module folder, got the absolute path \"/etc/passwd\""},
        {"missing file", kProject, moduleWith(plate, "file = \"cad/missing.step\""),
         "error: frame/module.toml:7:8: part[1].file: file not found: frame/cad/missing.step"},
        {"unknown material", kProject, moduleWith("material = \"steel-s235\"", "material = \"steel-s325\""),
         "error: frame/module.toml:8:12: part[1].material: unknown material 'steel-s325' (did you mean 'steel-s235'?)"},
        {"unknown process", kProject, moduleWith("process = \"laser-cut\"", "process = \"laser-cutting\""),
         "error: frame/module.toml:9:11: part[1].process: unknown process 'laser-cutting' (did you mean 'laser-cut'?)"},
        {"use of a missing module", kProject, std::string(kModule) + "\n[[use]]\nmodule = \"axes/x\"\n",
         "error: frame/module.toml:13:10: use[1].module: unknown module 'axes/x'"},
        {"self cycle", kProject, std::string(kModule) + "\n[[use]]\nmodule = \"frame\"\n",
         "error: frame/module.toml:13:10: use[1].module: cycle in use: frame -> frame"},
        {"bad origin sha256", kProject,
         std::string(kModule) + "[part.origin]\nsource = \"https://example.org/p.stl\"\nlicense = \"CC-BY-4.0\"\nsha256 = \"abc\"\n",
         "error: frame/module.toml:14:10: part[1].origin.sha256: must be 64 hexadecimal digits, got \"abc\""},
        {"bad currency", kProject, moduleWith("quantity = 2", "quantity = 2\nunit_cost = 1.5\ncurrency = \"usd\""),
         "error: frame/module.toml:12:12: part[1].currency: must be a 3-letter ISO 4217 code in upper case, got \"usd\""},
        {"negative unit cost", kProject, moduleWith("quantity = 2", "quantity = 2\nunit_cost = -1.0\ncurrency = \"EUR\""),
         "error: frame/module.toml:11:13: part[1].unit_cost: must not be negative, got -1"},
        {"bad upstream commit", projectWith("\n[upstream]\nurl = \"https://example.org/x.git\"\ncommit = \"1234\"\n"), kModule,
         "error: telar.toml:8:10: upstream.commit: must be a full commit id of 40 hexadecimal digits, got \"1234\""},
        {"product naming a missing module", projectWith("").replace(std::string(kProject).find("[\"frame\"]"), 9, "[\"press\"]"), kModule,
         "error: telar.toml:4:13: project.products[1]: unknown module 'press'"},
        {"undeclared LicenseRef", kProject, moduleWith("name = \"Frame\"", "name = \"Frame\"\nlicense = \"LicenseRef-Mine\""),
         "error: frame/module.toml:3:11: module.license: licence 'LicenseRef-Mine' is not declared in telar.toml"},
        {"unknown field in telar.toml", projectWith("licence = \"MIT\"\n"), kModule,
         "error: telar.toml:5:1: project.licence: unknown field 'licence' (did you mean 'license'?)"},
    };
    REQUIRE(cases.size() >= 20);
    for (const auto& c : cases) {
        SECTION(c.name) {
            CliFixture f;
            REQUIRE(f.program({"git", "init", "-q", "design"}).exitCode == 0);
            writeFile(f / "design/telar.toml", c.project);
            writeFile(f / "design/frame/module.toml", c.module);
            writeFile(f / "design/frame/cad/plate.stl", "solid p\nendsolid p\n");
            auto r = f.telar({"--repo", (f / "design").string(), "check"});
            INFO(r.out << r.err);
            CHECK(r.exitCode == 1);
            CHECK(r.out.find(c.expected + "\n") != std::string::npos);
            // A write command refuses to edit a broken manifest and leaves every byte as it was.
            auto add = f.telar({"--repo", (f / "design").string(), "part", "add", "frame", "extra", "--process", "purchased"});
            bool moduleBroken = c.expected.find("frame/module.toml") != std::string::npos &&
                                c.expected.find("file not found") == std::string::npos &&
                                c.expected.find("unknown module") == std::string::npos &&
                                c.expected.find("cycle") == std::string::npos &&
                                c.expected.find("steel-s325") == std::string::npos &&
                                c.expected.find("laser-cutting") == std::string::npos &&
                                c.expected.find("inside the repository") == std::string::npos;
            if (moduleBroken) CHECK(add.exitCode != 0);
            if (add.exitCode != 0) {
                CHECK(readFile(f / "design/frame/module.toml") == c.module);
                CHECK(!add.err.empty());
            }
            CHECK(readFile(f / "design/telar.toml") == c.project);
        }
    }
}

TEST_CASE("a symlink that leaves the repository is reported, never followed", "[cli]") {
    CliFixture f;
    REQUIRE(f.program({"git", "init", "-q", "design"}).exitCode == 0);
    writeFile(f / "design/telar.toml", kProject);
    writeFile(f / "design/frame/module.toml", kModule);
    std::filesystem::create_directories(f / "design/frame/cad");
    std::filesystem::create_symlink("/etc/passwd", f / "design/frame/cad/plate.stl");
    auto r = f.telar({"--repo", (f / "design").string(), "check"});
    INFO(r.out << r.err);
    CHECK(r.exitCode == 1);
    CHECK(r.out.find("error: frame/module.toml:7:8: part[1].file: ") != std::string::npos);
    CHECK(r.out.find("leads outside the repository through the symbolic link frame/cad/plate.stl -> /etc/passwd\n") != std::string::npos);
}

TEST_CASE("a folder without telar.toml is not a design", "[cli]") {
    CliFixture f;
    REQUIRE(f.program({"git", "init", "-q", "design"}).exitCode == 0);
    auto r = f.telar({"--repo", (f / "design").string(), "check"});
    CHECK(r.exitCode == 1);
    CHECK(r.out.find("telar.toml") != std::string::npos);
    CHECK(r.out.find("telar init") != std::string::npos);
}
