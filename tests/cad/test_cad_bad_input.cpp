// Bad input never crashes and never hangs: it gives a CadError naming the file and the reason.
#include "stl_fixtures.h"
#include "telar/cad/analyze.h"
#include "telar/cad/batch.h"
#include "telar/cad/serialize.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

using namespace telar::cad;
using namespace telar::cad::test;

namespace {

// The CadError message for bytes, or "" when they were analysed.
std::string errorOf(const std::string& bytes, const std::string& name) {
    try {
        analyzeBytes(bytes, name);
    } catch (const telar::CadError& e) {
        CHECK(e.file() == name);
        return e.what();
    }
    return {};
}

const std::filesystem::path kCorpus = std::filesystem::path(TELAR_CAD_TEST_DIR) / "corpus";

} // namespace

TEST_CASE("bad input table", "[cad]") {
    const auto box = boxTriangles(1, 2, 3);
    const std::string good = binaryStl(box);
    struct Row {
        std::string name;
        std::string bytes;
        std::string reason;
    };
    const std::vector<Row> rows = {
        {"empty.step", "", "empty.step: empty file"},
        {"garbage.stl", std::string(83, '\x07'), "garbage.stl: content is not STL"},
        {"noise.bin", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(200, 'x'), "noise.bin: unrecognised content"},
        {"lying.stl", binaryStl(box, 7), "lying.stl: binary STL declares 7 triangles (434 bytes) but the file has 684 bytes"},
        {"huge_count.stl", binaryStl(box, 0xFFFFFFFFu), "declares 4294967295 triangles"},
        {"cut.stl", good.substr(0, 300), "binary STL declares 12 triangles"},
        {"cut_ascii.stl", asciiStl(box).substr(0, 200), "ASCII STL is truncated"},
        {"bad_number.stl", "solid x\nfacet normal 0 0 0\nouter loop\nvertex 1 2 zz\n", "bad vertex coordinate 'zz'"},
        {"short_facet.stl", "solid x\nfacet normal 0 0 0\nouter loop\nvertex 1 2 3\nendloop\nendfacet\nendsolid x\n",
         "facet with 1 vertices"},
        {"nothing.stl", "solid x\nendsolid x\n", "STL without triangles"},
        {"zero.stl", binaryStl({}, 0), "STL without triangles"},
        {"png.step", std::string("\x89PNG\r\n\x1a\n", 8), "png.step: content is not STEP"},
        {"half.step", "ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\n#1=CARTESIAN_POINT('',(0.,0.", "truncated"},
        {"nodata.step", "ISO-10303-21;\nHEADER;\nENDSEC;\nEND-ISO-10303-21;\n", "no DATA section"},
    };
    for (const Row& row : rows) {
        INFO(row.name);
        const auto start = std::chrono::steady_clock::now();
        const std::string message = errorOf(row.bytes, row.name);
        CHECK_THAT(message, Catch::Contains(row.reason));
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    }
}

TEST_CASE("content decides the format, a wrong extension is only a warning", "[cad]") {
    const std::string stl = binaryStl(boxTriangles(2, 2, 2));
    const AnalysisResult r = analyzeBytes(stl, "actually_a_mesh.step");
    CHECK(r.format == Format::StlBinary);
    CHECK(r.parts[0].volume == Approx(8.0));
    REQUIRE_FALSE(r.warnings.empty());
    CHECK(r.warnings[0] == "the content is STL (binary) although the name ends in .step");
    CHECK(detectFormat(stl, "x.stl") == Format::StlBinary);
    CHECK(detectFormat("  ISO-10303-21;\nHEADER;", "x.txt") == Format::Step);
    CHECK(detectFormat("solid a\n facet normal 0 0 1\n", "") == Format::StlAscii);
    CHECK(detectFormat("PK\x03\x04 3D/3dmodel.model", "x.3mf") == Format::ThreeMf);
    CHECK(detectFormat("hello", "x.igs") == Format::Unknown);
}

TEST_CASE("deeply nested and cyclic STEP structures are refused before OpenCASCADE sees them", "[cad]") {
    auto nested = [](int depth) {
        std::string s = "ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\n";
        for (int i = 0; i < depth; ++i)
            s += "#" + std::to_string(i + 1) + "=NEXT_ASSEMBLY_USAGE_OCCURRENCE('" + std::to_string(i) +
                 "','it''s, (nested)','',#" + std::to_string(5000 + i) + ",#" + std::to_string(5001 + i) + ",$);\n";
        return s + "ENDSEC;\nEND-ISO-10303-21;\n";
    };
    const auto start = std::chrono::steady_clock::now();
    CHECK_THAT(errorOf(nested(100000), "deep.step"), Catch::Contains("deep.step: STEP assembly is nested more than 64 levels deep"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    // Within the limit the structure check passes (and OCCT then finds no shapes).
    CHECK_THAT(errorOf(nested(10), "ok_depth.step"), !Catch::Contains("nested"));
    AnalyzeOptions strict;
    strict.maxAssemblyDepth = 5;
    CHECK_THROWS_WITH(analyzeBytes(nested(10), "strict.step", strict), Catch::Contains("nested more than 5 levels deep"));
}

TEST_CASE("missing files and cancellation", "[cad]") {
    CHECK_THROWS_WITH(analyzeFile("/nonexistent/part.step"), Catch::StartsWith("/nonexistent/part.step: cannot open"));
    telar::Progress progress;
    progress.cancel();
    CHECK_THROWS_AS(analyzeBytes(binaryStl(boxTriangles(1, 1, 1)), "c.stl", {}, progress), telar::Cancelled);
}

TEST_CASE("seed corpus replays with its recorded outcomes", "[cad]") {
    std::ifstream in(std::filesystem::path(TELAR_CAD_TEST_DIR) / "corpus_expected.txt");
    REQUIRE(in);
    std::string line;
    int seeds = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string file, outcome;
        fields >> file >> outcome;
        std::string rest;
        std::getline(fields, rest);
        rest.erase(0, rest.find_first_not_of(' '));
        INFO(file);
        std::ifstream seed(kCorpus / file, std::ios::binary);
        REQUIRE(seed);
        const std::string bytes((std::istreambuf_iterator<char>(seed)), std::istreambuf_iterator<char>());
        if (outcome == "volume") {
            const AnalysisResult r = analyzeBytes(bytes, file);
            CHECK(r.totals.volume == Approx(std::stod(rest)).epsilon(1e-6));
        } else {
            REQUIRE(outcome == "error");
            CHECK_THAT(errorOf(bytes, file), Catch::Contains(rest));
        }
        ++seeds;
    }
    CHECK(seeds == 19);
}

TEST_CASE("progress of a STEP read climbs to 1 and a cancel during the read stops it", "[cad]") {
    struct Recorder : telar::ProgressSink {
        std::vector<double> fractions;
        telar::Progress* cancelAt = nullptr;
        void update(double fraction, std::string_view) override {
            fractions.push_back(fraction);
            if (cancelAt && fraction > 0.2) cancelAt->cancel();
        }
    };
    std::ifstream in(kCorpus / "box.step", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Recorder recorder;
    analyzeBytes(bytes, "box.step", {}, telar::Progress(&recorder));
    REQUIRE(recorder.fractions.size() >= 3);
    CHECK(std::is_sorted(recorder.fractions.begin(), recorder.fractions.end()));
    CHECK(recorder.fractions.back() == Approx(1.0));

    Recorder canceller;
    telar::Progress progress(&canceller);
    canceller.cancelAt = &progress;
    CHECK_THROWS_AS(analyzeBytes(bytes, "box.step", {}, progress), telar::Cancelled);
    CHECK(canceller.fractions.back() < 1.0);
}

TEST_CASE("clean part names strip occurrence suffixes only", "[cad]") {
    const std::vector<std::pair<std::string, std::string>> table = {
        {"M2x6 SHCS:2", "M2x6 SHCS"},
        {"M2x6 SHCS:2:1", "M2x6 SHCS"},
        {"adxl_screw_spacer:1 (2)", "adxl_screw_spacer"},
        {"DIN EN ISO 7049 - ST2.2 x 6.5 - F - Z:1 (2) (1)", "DIN EN ISO 7049 - ST2.2 x 6.5 - F - Z"},
        {"Bolt (3)", "Bolt"},
        {"CT-6EP10k_(103)", "CT-6EP10k_(103)"},
        {"nut_8", "nut_8"},
        {"Oak_Wrench v7", "Oak_Wrench v7"},
        {":3", ":3"},
        {"  plate  ", "plate"},
    };
    for (const auto& [raw, clean] : table) {
        INFO(raw);
        CHECK(cleanPartName(raw) == clean);
    }
}

TEST_CASE("the worker program prints nothing but its results on stdout", "[cad]") {
    const auto worker = findWorkerExecutable();
    REQUIRE_FALSE(worker.empty());
    const auto result = telar::test::run({worker.string(), (kCorpus / "box.step").string(), (kCorpus / "garbage.bin").string()});
    CHECK(result.exitCode == 1);
    const auto newline = result.out.find('\n');
    REQUIRE(newline != std::string::npos);
    const AnalysisResult box = fromJson(result.out.substr(0, newline));
    CHECK(box.totals.volume == Approx(6000.0));
    CHECK_THAT(result.out.substr(newline + 1), Catch::Contains("garbage.bin: unrecognised content"));
    CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 2);
}
