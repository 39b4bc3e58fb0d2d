// SPDX expression parsing, printing, normalisation and the manifest check.
#include "telar/error.h"
#include "telar/license/catalog.h"
#include "telar/license/expression.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace telar::license;

namespace {

struct NormalizeCase {
    const char* input;
    const char* normalized;
};

struct SyntaxErrorCase {
    const char* input;
    const char* message;
    int position;
};

struct CheckCase {
    const char* input;
    std::vector<std::string> extraIds;
    std::optional<std::string> message;
};

} // namespace

TEST_CASE("valid expressions normalise to their canonical form", "[license]") {
    const std::vector<NormalizeCase> cases = {
        {"MIT", "MIT"},
        {"mit", "MIT"},
        {"  CERN-OHL-S-2.0  ", "CERN-OHL-S-2.0"},
        {"cern-ohl-w-2.0 or cc-by-sa-4.0", "CERN-OHL-W-2.0 OR CC-BY-SA-4.0"},
        {"MIT and Apache-2.0", "MIT AND Apache-2.0"},
        {"MIT AND (BSD-2-Clause OR Apache-2.0)", "MIT AND (BSD-2-Clause OR Apache-2.0)"},
        {"(MIT AND BSD-2-Clause) OR Apache-2.0", "MIT AND BSD-2-Clause OR Apache-2.0"},
        {"((MIT))", "MIT"},
        {"MIT AND (BSD-2-Clause AND Apache-2.0)", "MIT AND BSD-2-Clause AND Apache-2.0"},
        {"MIT OR BSD-2-Clause AND Apache-2.0", "MIT OR BSD-2-Clause AND Apache-2.0"},
        {"GPL-2.0", "GPL-2.0-only"},
        {"GPL-3.0", "GPL-3.0-only"},
        {"GPL-2.0+", "GPL-2.0-or-later"},
        {"GPL-3.0+", "GPL-3.0-or-later"},
        {"gpl-3.0-only+", "GPL-3.0-or-later"},
        {"GPL-2.0-or-later+", "GPL-2.0-or-later"},
        {"LGPL-2.1+", "LGPL-2.1-or-later"},
        {"Apache-2.0+", "Apache-2.0+"},
        {"GPL-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"},
        {"LGPL-2.1-only WITH OCCT-exception-1.0", "LGPL-2.1-only WITH OCCT-exception-1.0"},
        {"Apache-2.0 WITH LLVM-exception OR MIT", "Apache-2.0 WITH LLVM-exception OR MIT"},
        {"licenseref-cbrl-1.0", "LicenseRef-CBRL-1.0"},
        {"LicenseRef-my-press", "LicenseRef-my-press"},
        {"licenseref-my-press", "LicenseRef-my-press"},
        {"documentref-spdx-tool:licenseref-foo", "DocumentRef-spdx-tool:LicenseRef-foo"},
        {"(PPL OR LicenseRef-CBRL-1.0) AND CC-BY-4.0", "(PPL OR LicenseRef-CBRL-1.0) AND CC-BY-4.0"},
        {"MIT\tAND\nMIT", "MIT AND MIT"},
    };
    for (const auto& c : cases) {
        INFO(c.input);
        CHECK(normalizeExpression(c.input) == c.normalized);
        // The canonical form is a fixed point.
        CHECK(normalizeExpression(c.normalized) == c.normalized);
    }
}

TEST_CASE("syntax errors name the problem and its 0-based column", "[license]") {
    const std::vector<SyntaxErrorCase> cases = {
        {"", "empty licence expression", 0},
        {"   ", "empty licence expression", 0},
        {"MIT OR )", "unexpected ')' at column 8", 7},
        {")", "unexpected ')' at column 1", 0},
        {"(MIT", "missing ')' for '(' at column 1", 0},
        {"MIT AND (GPL-2.0-only OR (MIT)", "missing ')' for '(' at column 9", 8},
        {"MIT AND", "unexpected end of expression at column 8", 7},
        {"AND MIT", "unexpected 'AND' at column 1", 0},
        {"MIT OR OR MIT", "unexpected 'OR' at column 8", 7},
        {"MIT Apache-2.0", "unexpected 'Apache-2.0' at column 5 (expected AND, OR or WITH)", 4},
        {"MIT/BSD-2-Clause", "invalid character '/' at column 4", 3},
        {"MIT, Apache-2.0", "invalid character ',' at column 4", 3},
        {"MIT WITH", "expected an exception id after WITH, found end of expression at column 9", 8},
        {"MIT WITH AND", "expected an exception id after WITH, found 'AND' at column 10", 9},
        {"(MIT OR Apache-2.0) WITH LLVM-exception", "unexpected 'WITH' at column 21 (WITH must follow a single licence id)", 20},
        {"GPL-2.0-only WITH a WITH b", "unexpected 'WITH' at column 21 (only one exception per licence)", 20},
        {"MIT +", "unexpected '+' at column 5 ('+' must follow a licence id directly)", 4},
        {"MIT++", "unexpected '+' at column 5", 4},
        {"LicenseRef-foo+", "'+' cannot follow 'LicenseRef-foo' at column 15", 14},
        {"LicenseRef-", "empty LicenseRef id at column 1", 0},
        {"MIT OR DocumentRef-x", "malformed DocumentRef 'DocumentRef-x' at column 8 (expected DocumentRef-…:LicenseRef-…)", 7},
        {"foo:bar", "invalid character ':' at column 4", 3},
        {"()", "unexpected ')' at column 2", 1},
        {"MIT\x01", "invalid character '\\x01' at column 4", 3},
    };
    for (const auto& c : cases) {
        INFO(c.input);
        try {
            parseExpression(c.input);
            FAIL("no error for: " << c.input);
        } catch (const telar::LicenseError& error) {
            CHECK(std::string(error.what()) == c.message);
            CHECK(error.position() == c.position);
        }
    }
}

TEST_CASE("deep nesting is refused rather than overflowing the stack", "[license]") {
    std::string deep(5000, '(');
    deep += "MIT";
    deep += std::string(5000, ')');
    CHECK_THROWS_WITH(parseExpression(deep), "expression nested too deeply at column 101");
    std::string fine(50, '(');
    fine += "MIT" + std::string(50, ')');
    CHECK(parseExpression(fine).toString() == "MIT");
}

TEST_CASE("parse trees keep operators, precedence and positions", "[license]") {
    const Expression e = parseExpression("MIT OR GPL-2.0+ AND Apache-2.0 WITH LLVM-exception");
    REQUIRE(e.kind == Expression::Kind::Or);
    REQUIRE(e.operands.size() == 2);
    CHECK(e.operands[0].term.id == "MIT");
    const Expression& conjunction = e.operands[1];
    REQUIRE(conjunction.kind == Expression::Kind::And);
    CHECK(conjunction.operands[0].term.id == "GPL-2.0");
    CHECK(conjunction.operands[0].term.orLater);
    CHECK(conjunction.operands[0].term.position == 7);
    CHECK(conjunction.operands[1].term.exception == "LLVM-exception");
    CHECK(conjunction.operands[1].term.exceptionPosition == 36);

    const auto terms = e.terms();
    REQUIRE(terms.size() == 3);
    CHECK(terms[2].toString() == "Apache-2.0 WITH LLVM-exception");
}

TEST_CASE("options expand an expression into its alternatives", "[license]") {
    const auto options = parseExpression("(MIT OR Apache-2.0) AND (CC-BY-4.0 OR CC0-1.0)").options();
    REQUIRE(options.size() == 4);
    CHECK(options[0][0].id == "MIT");
    CHECK(options[0][1].id == "CC-BY-4.0");
    CHECK(options[3][0].id == "Apache-2.0");
    CHECK(options[3][1].id == "CC0-1.0");

    std::string huge = "(A OR B)";
    for (int i = 0; i < 11; ++i) huge += " AND (A" + std::to_string(i) + " OR B" + std::to_string(i) + ")";
    CHECK_THROWS_WITH(parseExpression(huge).options(), "licence expression too complex (more than 1024 alternatives)");
}

TEST_CASE("checkExpression: nullopt when valid and known, one line otherwise", "[license]") {
    const std::vector<CheckCase> cases = {
        {"CERN-OHL-S-2.0", {}, std::nullopt},
        {"CERN-OHL-S-2.0 OR LicenseRef-CBRL-1.0", {}, std::nullopt},
        {"gpl-3.0+ WITH GCC-exception-3.1", {}, std::nullopt},
        {"GPL-2.0", {}, std::nullopt},
        {"CERN-OHL-S-2", {}, "unknown licence id 'CERN-OHL-S-2' at column 1 (did you mean 'CERN-OHL-S-2.0'?)"},
        {"MIT AND CERN-OHL-S-2", {}, "unknown licence id 'CERN-OHL-S-2' at column 9 (did you mean 'CERN-OHL-S-2.0'?)"},
        {"MTI", {}, "unknown licence id 'MTI' at column 1 (did you mean 'MIT'?)"},
        {"GPLv3", {}, "unknown licence id 'GPLv3' at column 1 (did you mean 'GPL-3.0-only'?)"},
        {"Frobnicator-License", {}, "unknown licence id 'Frobnicator-License' at column 1"},
        {"LicenseRef-my-press", {}, "unknown licence id 'LicenseRef-my-press' at column 1"},
        {"LicenseRef-my-press", {"LicenseRef-my-press"}, std::nullopt},
        {"LicenseRef-My-Press OR MIT", {"LicenseRef-my-press"}, std::nullopt},
        {"LicenseRef-my-pres", {"LicenseRef-my-press"},
         "unknown licence id 'LicenseRef-my-pres' at column 1 (did you mean 'LicenseRef-my-press'?)"},
        {"MIT WITH Classpath-exception-2", {},
         "unknown licence exception 'Classpath-exception-2' at column 10 (did you mean 'Classpath-exception-2.0'?)"},
        {"MIT OR )", {}, "unexpected ')' at column 8"},
        {"", {}, "empty licence expression"},
    };
    for (const auto& c : cases) {
        INFO(c.input);
        CHECK(checkExpression(c.input, c.extraIds) == c.message);
    }
}

TEST_CASE("findUnknownId reports the position of the unknown id", "[license]") {
    int position = -1;
    const auto message = findUnknownId(parseExpression("MIT OR (CC-BY-4.0 AND Foo-1)"), Catalog::builtin(), {}, &position);
    REQUIRE(message);
    CHECK(position == 22);
}
