// `telar adopt` through the real binary: the proposal, --json, --write then `telar check`.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using telar::test::CliFixture;
using telar::test::TempDir;

TEST_CASE_METHOD(CliFixture, "adopt Voron-0 then check it", "[cli][adopt][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    TempDir tmp;
    fs::path repo = tmp.path() / "Voron-0";
    fs::copy(realdata / "Voron-0", repo, fs::copy_options::recursive);
    REQUIRE(telar::test::run({"git", "init", "-q", repo.string()}).exitCode == 0);

    auto dry = telar({"adopt", repo.string()});
    INFO(dry.out << dry.err);
    REQUIRE(dry.exitCode == 0);
    CHECK(dry.out.find("# STLs/Panel_Mounting/module.toml") != std::string::npos);
    CHECK(dry.out.find("license = \"GPL-3.0-only\"") != std::string::npos);
    CHECK(dry.out.find("GPL-3.0-or-later") != std::string::npos);
    CHECK_FALSE(fs::exists(repo / "telar.toml"));

    auto js = telar({"adopt", repo.string(), "--json"});
    REQUIRE(js.exitCode == 0);
    auto j = nlohmann::json::parse(js.out);
    CHECK(j["project"]["license"] == "GPL-3.0-only");
    CHECK(j["written"] == false);
    bool found = false;
    for (const auto& m : j["modules"])
        if (m["id"] == "STLs/Tophat") {
            found = true;
            CHECK(m["parts"].size() == 2);
            for (const auto& p : m["parts"]) CHECK(p["quantity"] == 4);
        }
    CHECK(found);
    CHECK(j["undecided"].size() > 0);

    auto wrote = telar({"adopt", repo.string(), "--write"});
    INFO(wrote.out << wrote.err);
    REQUIRE(wrote.exitCode == 0);
    CHECK(fs::exists(repo / "telar.toml"));
    CHECK(fs::exists(repo / "CAD/Electronics Mounts/module.toml"));

    auto check = telar({"--repo", repo.string(), "check"});
    INFO(check.out << check.err);
    CHECK(check.exitCode == 0);
    CHECK(check.out.find("error:") == std::string::npos);

    auto again = telar({"adopt", repo.string(), "--write"});
    CHECK(again.exitCode == 2);
    CHECK(again.err.find("already exists") != std::string::npos);
}

TEST_CASE_METHOD(CliFixture, "adopt Oak-Compact-Joystick picks the hardware licence", "[cli][adopt][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    TempDir tmp;
    fs::path repo = tmp.path() / "Oak";
    fs::copy(realdata / "Oak-Compact-Joystick", repo, fs::copy_options::recursive);
    REQUIRE(telar::test::run({"git", "init", "-q", repo.string()}).exitCode == 0);
    auto r = telar({"adopt", repo.string(), "--write", "--json"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["project"]["license"] == "CERN-OHL-W-2.0");
    CHECK(j["written"] == true);
    auto check = telar({"--repo", repo.string(), "check"});
    INFO(check.out << check.err);
    CHECK(check.exitCode == 0);
}
