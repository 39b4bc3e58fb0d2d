// patchToml: a re-rendered TOML file saved over a hand-written one keeps the person's comments,
// blank lines and layout wherever the data did not change.
#include "telar/core/fab_profile.h"
#include "telar/core/toml_patch.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using telar::core::patchToml;

namespace {

// A fab profile as a person writes it, with comments everywhere.
const std::string kHandWritten = R"(# Fab profile of the Lisbon lab — ask Rui before changing rates.
[fab]
name = "FabLab Lisboa"   # shown on quotes
currency = "EUR"
usd_rate = 0.92
labour_rate = 30.0

[organisation]
kind = "nonprofit"
purpose = "non-commercial" # we do not sell

# A printer and a cutter.
[[machine]]
process = "fdm-print"
name = "Prusa MK4"
hourly_rate = 1.5 # electricity + wear

[[machine]]
process = "laser-cut"
name = "Trotec"
hourly_rate = 12.0

[materials]
# per kg
pla = 22.0
petg = 25.0
)";

// The same data as an editor renders it: no comments, its own spacing.
const std::string kRendered = R"([fab]
name = "FabLab Lisboa"
currency = "EUR"
usd_rate = 0.92
labour_rate = 30.0

[organisation]
kind = "nonprofit"
purpose = "non-commercial"

[[machine]]
process = "fdm-print"
name = "Prusa MK4"
hourly_rate = 1.5

[[machine]]
process = "laser-cut"
name = "Trotec"
hourly_rate = 12.0

[materials]
pla = 22.0
petg = 25.0
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("patchToml keeps a hand-written file as it is when the data did not change", "[core][toml]") {
    auto out = patchToml(kHandWritten, kRendered);
    REQUIRE(out);
    CHECK(*out == kHandWritten);
}

TEST_CASE("patchToml changes values in place and keeps every comment", "[core][toml]") {
    std::string wanted = replaced(kRendered, "labour_rate = 30.0", "labour_rate = 32.5");
    wanted = replaced(wanted, "hourly_rate = 12.0", "hourly_rate = 14");
    wanted = replaced(wanted, "pla = 22.0", "pla = 19.9");
    auto out = patchToml(kHandWritten, wanted);
    REQUIRE(out);
    std::string expected = replaced(kHandWritten, "labour_rate = 30.0", "labour_rate = 32.5");
    expected = replaced(expected, "hourly_rate = 12.0", "hourly_rate = 14");
    expected = replaced(expected, "pla = 22.0", "pla = 19.9");
    CHECK(*out == expected);
}

TEST_CASE("patchToml adds and removes keys and machines line by line", "[core][toml]") {
    // A new key in [organisation], petg dropped, the second machine's name removed, a third
    // machine.
    std::string wanted = replaced(kRendered, "kind = \"nonprofit\"\n", "kind = \"nonprofit\"\ncontributes = true\n");
    wanted = replaced(wanted, "petg = 25.0\n", "");
    wanted = replaced(wanted, "name = \"Trotec\"\n", "");
    wanted = replaced(wanted, "[materials]", "[[machine]]\nprocess = \"cnc-mill\"\nhourly_rate = 20.0\n\n[materials]");
    auto out = patchToml(kHandWritten, wanted);
    REQUIRE(out);
    CHECK(*out == R"(# Fab profile of the Lisbon lab — ask Rui before changing rates.
[fab]
name = "FabLab Lisboa"   # shown on quotes
currency = "EUR"
usd_rate = 0.92
labour_rate = 30.0

[organisation]
kind = "nonprofit"
purpose = "non-commercial" # we do not sell
contributes = true

# A printer and a cutter.
[[machine]]
process = "fdm-print"
name = "Prusa MK4"
hourly_rate = 1.5 # electricity + wear

[[machine]]
process = "laser-cut"
hourly_rate = 12.0

[[machine]]
process = "cnc-mill"
hourly_rate = 20.0

[materials]
# per kg
pla = 22.0
)");
}

TEST_CASE("patchToml removes a machine and a whole table with its lines, and adds a table at the end",
          "[core][toml]") {
    std::string wanted =
        replaced(kRendered, "[[machine]]\nprocess = \"laser-cut\"\nname = \"Trotec\"\nhourly_rate = 12.0\n\n", "");
    wanted = replaced(wanted, "[materials]\npla = 22.0\npetg = 25.0\n", "");
    auto out = patchToml(kHandWritten, wanted);
    REQUIRE(out);
    const std::string without = R"(# Fab profile of the Lisbon lab — ask Rui before changing rates.
[fab]
name = "FabLab Lisboa"   # shown on quotes
currency = "EUR"
usd_rate = 0.92
labour_rate = 30.0

[organisation]
kind = "nonprofit"
purpose = "non-commercial" # we do not sell

# A printer and a cutter.
[[machine]]
process = "fdm-print"
name = "Prusa MK4"
hourly_rate = 1.5 # electricity + wear

)";
    CHECK(*out == without);

    // And back: the prices come as a new table at the end.
    auto again = patchToml(without, wanted + "\n[materials]\npla = 21.0\n");
    REQUIRE(again);
    CHECK(*again == without + "[materials]\npla = 21.0\n");
}

TEST_CASE("patchToml compares numbers by value, so 20 does not replace 20.0", "[core][toml]") {
    std::string wanted = replaced(kRendered, "labour_rate = 30.0", "labour_rate = 30");
    wanted = replaced(wanted, "hourly_rate = 12.0", "hourly_rate = 12.5");
    auto out = patchToml(kHandWritten, wanted);
    REQUIRE(out);
    CHECK(*out == replaced(kHandWritten, "hourly_rate = 12.0", "hourly_rate = 12.5"));
}

TEST_CASE("patchToml gives up on layouts it cannot keep and on texts that do not parse", "[core][toml]") {
    // Dotted keys in the original.
    CHECK_FALSE(patchToml("fab.name = \"A\"\n", "[fab]\nname = \"B\"\n"));
    // A value that becomes a table.
    CHECK_FALSE(patchToml("[fab]\nname = \"A\"\n", "[fab]\n[fab.name]\nfirst = \"A\"\n"));
    // Syntax errors on either side.
    CHECK_FALSE(patchToml("[fab\nname = 1\n", "[fab]\nname = 1\n"));
    CHECK_FALSE(patchToml("[fab]\nname = 1\n", "[fab]\nname = \n"));
}

TEST_CASE("patchToml results parse to the fab profile the editor meant", "[core][toml]") {
    std::string wanted = replaced(kRendered, "hourly_rate = 1.5", "hourly_rate = 2.25");
    wanted = replaced(wanted, "purpose = \"non-commercial\"", "purpose = \"commercial\"");
    auto out = patchToml(kHandWritten, wanted);
    REQUIRE(out);
    std::vector<telar::core::Diagnostic> diags;
    auto profile = telar::core::parseFabProfile(*out, "fab.toml", diags);
    CHECK(diags.empty());
    REQUIRE(profile.machines.size() == 2);
    CHECK(profile.machines[0].hourlyRate == Approx(2.25));
    CHECK(out->find("purpose = \"commercial\" # we do not sell") != std::string::npos);
    CHECK(out->find("# electricity + wear") != std::string::npos);
}
