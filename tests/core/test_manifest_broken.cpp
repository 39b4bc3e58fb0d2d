// A table of broken design repositories: each must yield exactly one precise error naming file,
// line, column, field and what is wrong — and nothing else.
#include "memory_tree.h"
#include "test_support.h"

#include "telar/core/catalog.h"
#include "telar/core/design.h"

#include <catch2/catch.hpp>

#include <map>

using namespace telar::core;
using telar::test::MemoryTree;

namespace {

const char* kProject = R"([project]
name = "Open Press"
license = "CERN-OHL-S-2.0"
products = ["press"]
)";

const char* kPress = R"([module]
name = "Press"
)";

struct BrokenCase {
    const char* what;
    std::map<std::string, std::string> files;    // added to (or replacing) the valid base
    std::map<std::string, std::string> symlinks; // path -> target
    std::string expected;                        // the one error, as Diagnostic::str()
};

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

std::vector<std::string> errorsOf(const BrokenCase& c) {
    MemoryTree tree;
    std::map<std::string, std::string> files = {{"telar.toml", kProject}, {"press/module.toml", kPress}};
    for (const auto& [path, text] : c.files)
        files[path] = text;
    for (const auto& [path, text] : files)
        if (text != "<absent>") tree.file(path, text);
    for (const auto& [path, target] : c.symlinks)
        tree.symlink(path, target);
    Design d = loadDesign(tree, catalog());
    std::vector<std::string> out;
    for (const auto& diag : d.diagnostics)
        if (diag.severity == Severity::Error) out.push_back(diag.str());
    return out;
}

const std::vector<BrokenCase>& cases() {
    static const std::vector<BrokenCase> table = {
        {"TOML syntax error (unterminated string)",
         {{"press/module.toml", "[module]\nname = \"Press\n"}},
         {},
         "press/module.toml:2:14: invalid TOML in string: unescaped control characters other than TAB "
         "(U+0009) "
         "are explicitly prohibited"},
        {"table header that does not start with a key",
         {{"press/module.toml", "[module]\nname = \"Press\"\n\n[[ .part]]\nid = \"a\"\n"}},
         {},
         "press/module.toml:4:4: invalid TOML in table header: expected a key name, saw '.'"},
        {"unknown field with a did-you-mean",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n\n[[part]]\nid = \"a\"\nname = \"A\"\nquantiy = 2\n"}},
         {},
         "press/module.toml:7:1: part[1].quantiy: unknown field 'quantiy' (did you mean 'quantity'?)"},
        {"unknown table in telar.toml",
         {{"telar.toml", std::string(kProject) + "\n[upstrem]\nurl = \"x\"\n"}},
         {},
         "telar.toml:6:2: upstrem: unknown field 'upstrem' (did you mean 'upstream'?)"},
        {"duplicate part id",
         {{"press/module.toml", "[module]\nname = \"Press\"\n\n[[part]]\nid = \"m8\"\nname = "
                                "\"Bolt\"\n\n[[part]]\nid = \"m8\"\nname = \"Nut\"\n"}},
         {},
         "press/module.toml:9:6: part[2].id: duplicate part id 'm8' (first defined at line 4)"},
        {"quantity 0",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nquantity = 0\n"}},
         {},
         "press/module.toml:6:12: part[1].quantity: must be a positive integer, got 0"},
        {"quantity -1",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nquantity = -1\n"}},
         {},
         "press/module.toml:6:12: part[1].quantity: must be a positive integer, got -1"},
        {"quantity 2.5",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nquantity = 2.5\n"}},
         {},
         "press/module.toml:6:12: part[1].quantity: must be a positive integer, got 2.5"},
        {"quantity \"2\"",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nquantity = \"2\"\n"}},
         {},
         "press/module.toml:6:12: part[1].quantity: must be a positive integer, got the string \"2\""},
        {"use quantity 0",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[[use]]\nmodule = \"frame\"\nquantity = 0\n"},
          {"frame/module.toml", "[module]\nname = \"Frame\"\n"}},
         {},
         "press/module.toml:5:12: use[1].quantity: must be a positive integer, got 0"},
        {"missing module name",
         {{"press/module.toml", "[module]\nversion = \"1.0.0\"\n"}},
         {},
         "press/module.toml:1:1: module.name: required field is missing"},
        {"missing project name",
         {{"telar.toml", "[project]\nlicense = \"MIT\"\n"}},
         {},
         "telar.toml:1:1: project.name: required field is missing"},
        {"missing [module] table",
         {{"press/module.toml", "[[part]]\nid = \"a\"\nname = \"A\"\n"}},
         {},
         "press/module.toml: module: required table [module] is missing"},
        {"part without id",
         {{"press/module.toml", "[module]\nname = \"Press\"\n\n[[part]]\nname = \"A\"\n"}},
         {},
         "press/module.toml:4:1: part[1].id: required field is missing"},
        {"invalid part id",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[[part]]\nid = \"Side Plate\"\nname = \"A\"\n"}},
         {},
         "press/module.toml:4:6: part[1].id: invalid id \"Side Plate\": use lower-case letters, digits, '.', "
         "'_' and '-', starting with a letter or digit"},
        {"name of the wrong type",
         {{"press/module.toml", "[module]\nname = 1\n"}},
         {},
         "press/module.toml:2:8: module.name: must be a string, got 1"},
        {"[part] written as a table",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[part]\nid = \"a\"\n"}},
         {},
         "press/module.toml:3:1: part: must be an array of tables ([[part]]), got a table"},
        {"bad licence expression",
         {{"press/module.toml", "[module]\nname = \"Press\"\nlicense = \"MIT AND\"\n"}},
         {},
         "press/module.toml:3:11: module.license: invalid licence expression: unexpected end of expression "
         "at "
         "column 8"},
        {"unknown licence id",
         {{"press/module.toml", "[module]\nname = \"Press\"\nlicense = \"CERN-OHL-S-2\"\n"}},
         {},
         "press/module.toml:3:11: module.license: invalid licence expression: unknown licence id "
         "'CERN-OHL-S-2' at column 1 (did you mean 'CERN-OHL-S-2.0'?)"},
        {"LicenseRef not declared",
         {{"press/module.toml", "[module]\nname = \"Press\"\nlicense = \"LicenseRef-Garage-1.0\"\n"}},
         {},
         "press/module.toml:3:11: module.license: licence 'LicenseRef-Garage-1.0' is not declared in "
         "telar.toml"},
        {"declared licence without the LicenseRef- prefix",
         {{"telar.toml", std::string(kProject) + "\n[[license]]\nid = \"Garage-1.0\"\nname = \"Garage\"\n"}},
         {},
         "telar.toml:7:6: license[1].id: must be LicenseRef- followed by letters, digits, '.' or '-', got "
         "\"Garage-1.0\""},
        {"declared licence with a bad share_alike",
         {{"telar.toml",
           std::string(kProject) +
               "\n[[license]]\nid = \"LicenseRef-G\"\nname = \"G\"\nshare_alike = \"desing\"\n"}},
         {},
         "telar.toml:9:15: license[1].share_alike: must be one of none, file, design, got \"desing\" (did "
         "you "
         "mean 'design'?)"},
        {"file escaping the repository",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = \"../../x.step\"\n"}},
         {},
         "press/module.toml:6:8: part[1].file: must stay inside the repository, got \"../../x.step\""},
        {"absolute file",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = \"/etc/passwd\"\n"}},
         {},
         "press/module.toml:6:8: part[1].file: must be relative to the module folder, got the absolute path "
         "\"/etc/passwd\""},
        {"file with backslashes",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = 'cad\\plate.step'\n"}},
         {},
         "press/module.toml:6:8: part[1].file: must use '/' between folders, got \"cad\\\\plate.step\""},
        {"symlink leading out of the repository",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = \"cad/x.step\"\n"}},
         {{"press/cad", "../../../home"}},
         "press/module.toml:6:8: part[1].file: leads outside the repository through the symbolic link "
         "press/cad "
         "-> ../../../home"},
        {"absolute symlink",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = \"x.step\"\n"}},
         {{"press/x.step", "/etc/passwd"}},
         "press/module.toml:6:8: part[1].file: leads outside the repository through the symbolic link "
         "press/x.step -> /etc/passwd"},
        {"symlink loop",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = \"a.step\"\n"}},
         {{"press/a.step", "b.step"}, {"press/b.step", "a.step"}},
         "press/module.toml:6:8: part[1].file: too many levels of symbolic links (more than 8) at "
         "press/a.step"},
        {"missing file",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = \"cad/x.step\"\n"}},
         {},
         "press/module.toml:6:8: part[1].file: file not found: press/cad/x.step"},
        {"file that is a folder",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nfile = \"cad\"\n"},
          {"press/cad/x.step", "solid"}},
         {},
         "press/module.toml:6:8: part[1].file: not a regular file: press/cad"},
        {"assembly without file",
         {{"press/module.toml", "[module]\nname = \"Press\"\n\n[[assembly]]\nprocess = \"cnc-mill\"\n"}},
         {},
         "press/module.toml:4:1: assembly[1].file: required field is missing"},
        {"unknown material with a suggestion",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nmaterial = \"steel-s253\"\n"}},
         {},
         "press/module.toml:6:12: part[1].material: unknown material 'steel-s253' (did you mean "
         "'steel-s235'?)"},
        {"unknown process",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\nprocess = \"laser-cutt\"\n"}},
         {},
         "press/module.toml:6:11: part[1].process: unknown process 'laser-cutt' (did you mean 'laser-cut'?)"},
        {"unknown process in an assembly rule",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[assembly]]\nfile = \"g.step\"\n[[assembly.rule]]\n"
           "match = \"*Bolt*\"\nprocess = \"bought\"\n"},
          {"press/g.step", "solid"}},
         {},
         "press/module.toml:7:11: assembly[1].rule[1].process: unknown process 'bought'"},
        {"use of a missing module",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[[use]]\nmodule = \"axes/z\"\n"},
          {"axes/x/module.toml", "[module]\nname = \"X axis\"\n"}},
         {},
         "press/module.toml:4:10: use[1].module: unknown module 'axes/z' (did you mean 'axes/x'?)"},
        {"use without module",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[[use]]\nquantity = 2\n"}},
         {},
         "press/module.toml:3:1: use[1].module: required field is missing"},
        {"the same module used twice",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[use]]\nmodule = \"frame\"\n[[use]]\nmodule = \"frame\"\n"},
          {"frame/module.toml", "[module]\nname = \"Frame\"\n"}},
         {},
         "press/module.toml:6:10: use[2].module: module 'frame' is already used at line 3"},
        {"2-cycle in use",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[[use]]\nmodule = \"a\"\n"},
          {"a/module.toml", "[module]\nname = \"A\"\n[[use]]\nmodule = \"b\"\n"},
          {"b/module.toml", "[module]\nname = \"B\"\n[[use]]\nmodule = \"a\"\n"}},
         {},
         "b/module.toml:4:10: use[1].module: cycle in use: a -> b -> a"},
        {"3-cycle in use",
         {{"a/module.toml", "[module]\nname = \"A\"\n[[use]]\nmodule = \"b\"\n"},
          {"b/module.toml", "[module]\nname = \"B\"\n[[use]]\nmodule = \"c\"\nquantity = 2\n"},
          {"c/module.toml", "[module]\nname = \"C\"\n\n[[use]]\nmodule = \"a\"\n"}},
         {},
         "c/module.toml:5:10: use[1].module: cycle in use: a -> b -> c -> a"},
        {"module using itself",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[[use]]\nmodule = \"press\"\n"}},
         {},
         "press/module.toml:4:10: use[1].module: cycle in use: press -> press"},
        {"bad sha256",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\n[part.origin]\n"
           "source = \"https://example.org/a.step\"\nlicense = \"CC-BY-4.0\"\nsha256 = \"abc123\"\n"}},
         {},
         "press/module.toml:9:10: part[1].origin.sha256: must be 64 hexadecimal digits, got \"abc123\""},
        {"origin without licence",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\n[part.origin]\n"
           "source = \"https://example.org/a.step\"\n"}},
         {},
         "press/module.toml:6:1: part[1].origin.license: required field is missing"},
        {"retrieved date not ISO 8601",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"a\"\nname = \"A\"\n[part.origin]\n"
           "source = \"s\"\nlicense = \"CC0-1.0\"\nretrieved = \"01/11/2026\"\n"}},
         {},
         "press/module.toml:9:13: part[1].origin.retrieved: must be an ISO 8601 date, got the string "
         "\"01/11/2026\""},
        {"bad currency",
         {{"press/module.toml", "[module]\nname = \"Press\"\n[[part]]\nid = \"m8\"\nname = \"Bolt\"\n"
                                "process = \"purchased\"\nunit_cost = 0.12\ncurrency = \"usd\"\n"}},
         {},
         "press/module.toml:8:12: part[1].currency: must be a 3-letter ISO 4217 code in upper case, got "
         "\"usd\""},
        {"negative unit cost",
         {{"press/module.toml",
           "[module]\nname = \"Press\"\n[[part]]\nid = \"m8\"\nname = \"Bolt\"\nunit_cost = -0.5\n"}},
         {},
         "press/module.toml:6:13: part[1].unit_cost: must not be negative, got -0.5"},
        {"bad upstream commit",
         {{"telar.toml", std::string(kProject) +
                             "\n[upstream]\nurl = \"https://example.org/p.git\"\ncommit = \"0123abc\"\n"}},
         {},
         "telar.toml:8:10: upstream.commit: must be a full commit id of 40 hexadecimal digits, got "
         "\"0123abc\""},
        {"bad forked date",
         {{"telar.toml", std::string(kProject) + "\n[upstream]\nurl = \"u\"\ncommit = \"" +
                             std::string(40, 'a') + "\"\nforked = \"2026-13-01\"\n"}},
         {},
         "telar.toml:9:10: upstream.forked: must be an ISO 8601 date, got the string \"2026-13-01\""},
        {"product naming a missing module",
         {{"telar.toml", "[project]\nname = \"Open Press\"\nproducts = [\"press\", \"pres\"]\n"}},
         {},
         "telar.toml:3:22: project.products[2]: unknown module 'pres' (did you mean 'press'?)"},
        {"no telar.toml",
         {{"telar.toml", "<absent>"}},
         {},
         "telar.toml: telar.toml is missing: memory tree is not a Telar design repository"},
        {"module.toml at the root",
         {{"module.toml", "[module]\nname = \"Root\"\n"}},
         {},
         "module.toml: module.toml at the repository root is not a module"},
    };
    return table;
}

} // namespace

TEST_CASE("every broken manifest yields its one precise error", "[core][manifest]") {
    REQUIRE(cases().size() >= 25);
    for (const auto& c : cases()) {
        INFO(c.what);
        CHECK(errorsOf(c) == std::vector<std::string>{c.expected});
    }
}

TEST_CASE("the valid base of the broken-manifest table has no diagnostics", "[core][manifest]") {
    BrokenCase base{"base", {}, {}, ""};
    CHECK(errorsOf(base).empty());
}
