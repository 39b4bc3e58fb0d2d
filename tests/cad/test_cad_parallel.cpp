// Parallel analysis gives exactly the serial results, across units, processes and threads.
#include "cad_test_helpers.h"
#include "stl_fixtures.h"
#include "telar/cad/analyze.h"
#include "telar/cad/batch.h"
#include "telar/cad/serialize.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>

using namespace telar::cad;
using namespace telar::cad::test;

namespace {
const char* const kMixedUnits[] = {"pythonocc-core/test/test_io/as1-oc-214.stp", "OCCT/data/step/trj2_as1-in-203.stp",
                                   "pythonocc-core/test/test_io/as1_pe_203.stp", "pythonocc-core/test/test_io/eight_cyl.stp"};
}

TEST_CASE("the mixed-unit set analysed in parallel many times gives identical totals", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    std::vector<FileJob> jobs;
    std::vector<std::string> serial;
    for (const char* file : kMixedUnits) {
        jobs.push_back({file, root / file, std::nullopt});
        serial.push_back(toJson(analyzeFile(root / file, file)));
    }
    REQUIRE(!findWorkerExecutable().empty());
    for (bool processes : {true, false}) {
        BatchOptions options;
        options.jobs = 2;
        options.useWorkerProcesses = processes;
        for (int run = 0; run < 4; ++run) {
            INFO((processes ? "worker processes" : "threads") << ", run " << run);
            const std::vector<FileOutcome> outcomes = analyzeFiles(jobs, options);
            REQUIRE(outcomes.size() == jobs.size());
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                REQUIRE(outcomes[i].ok());
                CHECK(toJson(*outcomes[i].result) == serial[i]);
            }
            CHECK(nearRel(outcomes[0].result->totals.volume, 764519.8, 1e-4));
            CHECK(nearRel(outcomes[1].result->totals.volume, 765932.1, 1e-4));
            CHECK(nearRel(outcomes[3].result->totals.volume, 1178097.2, 1e-4));
        }
    }
}

TEST_CASE("threads calling analyzeFile at once stay correct", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    std::vector<double> volumes(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i] { volumes[static_cast<std::size_t>(i)] = analyzeFile(root / kMixedUnits[i]).totals.volume; });
    for (auto& t : threads) t.join();
    CHECK(nearRel(volumes[0], 764519.8, 1e-4));
    CHECK(nearRel(volumes[1], 765932.1, 1e-4));
    CHECK(nearRel(volumes[2] / (25.4 * 25.4 * 25.4), 764519.8, 2e-3));
    CHECK(nearRel(volumes[3], 1178097.2, 1e-4));
}

TEST_CASE("a batch reports failures per file and keeps going", "[cad]") {
    std::vector<FileJob> jobs = {
        {"good.stl", {}, binaryStl(boxTriangles(1, 2, 3))},
        {"bad.stl", {}, binaryStl(boxTriangles(1, 2, 3), 99)},
        {"missing.step", "/nonexistent/missing.step", std::nullopt},
        {"empty.stl", {}, std::string()},
    };
    for (bool processes : {true, false}) {
        BatchOptions options;
        options.useWorkerProcesses = processes;
        const auto outcomes = analyzeFiles(jobs, options);
        REQUIRE(outcomes.size() == 4);
        REQUIRE(outcomes[0].ok());
        CHECK(outcomes[0].result->totals.volume == Approx(6.0));
        CHECK_FALSE(outcomes[1].ok());
        CHECK_THAT(outcomes[1].error, Catch::StartsWith("bad.stl: binary STL declares 99 triangles"));
        CHECK_THAT(outcomes[2].error, Catch::StartsWith("missing.step: cannot open"));
        CHECK(outcomes[3].error == "empty.stl: empty file");
    }
    BatchOptions missingWorker;
    missingWorker.workerExecutable = "/nonexistent/telar-cad-worker";
    CHECK(findWorkerExecutable(missingWorker).empty());
    CHECK(analyzeFiles(jobs, missingWorker)[0].ok()); // falls back to threads
}

TEST_CASE("a crashing or hanging worker costs one file", "[cad]") {
    // A stand-in worker that dies on every request: each file fails with the reason, none hangs.
    telar::test::TempDir dir;
    const auto fake = dir / "crashing-worker";
    telar::test::writeFile(fake, "#!/bin/sh\nread line\nkill -SEGV $$\n");
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
    BatchOptions options;
    options.workerExecutable = fake;
    options.jobs = 1;
    const auto outcomes = analyzeFiles({{"a.stl", {}, binaryStl(boxTriangles(1, 1, 1))}, {"b.stl", {}, "x"}}, options);
    CHECK(outcomes[0].error == "a.stl: the analyser process crashed (signal 11)");
    CHECK(outcomes[1].error == "b.stl: the analyser process crashed (signal 11)");

    const auto slow = dir / "slow-worker";
    telar::test::writeFile(slow, "#!/bin/sh\nsleep 30\n");
    std::filesystem::permissions(slow, std::filesystem::perms::owner_all);
    options.workerExecutable = slow;
    options.timeoutSeconds = 0.5;
    const auto start = std::chrono::steady_clock::now();
    const auto timedOut = analyzeFiles({{"c.stl", {}, binaryStl(boxTriangles(1, 1, 1))}}, options);
    CHECK_THAT(timedOut[0].error, Catch::Contains("c.stl: analysis took longer than"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("workers run with OpenCASCADE's TBB allocator unless MMGT_OPT says otherwise", "[cad]") {
    // A stand-in worker that writes the MMGT_OPT it was started with next to itself and exits.
    telar::test::TempDir dir;
    const auto fake = dir / "env-worker";
    telar::test::writeFile(fake, "#!/bin/sh\nprintf '%s' \"${MMGT_OPT-unset}\" > \"$0.mmgt\"\nexit 3\n");
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
    BatchOptions options;
    options.workerExecutable = fake;
    options.jobs = 1;
    const std::vector<FileJob> job = {{"a.stl", {}, binaryStl(boxTriangles(1, 1, 1))}};
    const char* before = std::getenv("MMGT_OPT");
    const std::string saved = before ? before : "";
    ::unsetenv("MMGT_OPT");
    CHECK(analyzeFiles(job, options)[0].error == "a.stl: the analyser process exited with status 3");
    CHECK(telar::test::readFile(dir / "env-worker.mmgt") == "2");
    ::setenv("MMGT_OPT", "0", 1); // the user's choice is kept
    CHECK(analyzeFiles(job, options)[0].error == "a.stl: the analyser process exited with status 3");
    CHECK(telar::test::readFile(dir / "env-worker.mmgt") == "0");
    if (before) ::setenv("MMGT_OPT", saved.c_str(), 1);
    else ::unsetenv("MMGT_OPT");
}

TEST_CASE("cancelling a batch stops its workers and throws Cancelled", "[cad]") {
    struct CancelOnFirstReport : telar::ProgressSink {
        telar::Progress* progress = nullptr;
        int reports = 0;
        void update(double, std::string_view) override {
            ++reports;
            progress->cancel();
        }
    } sink;
    telar::Progress progress(&sink);
    sink.progress = &progress;
    std::vector<FileJob> jobs;
    for (int i = 0; i < 6; ++i) jobs.push_back({"box" + std::to_string(i) + ".stl", {}, binaryStl(boxTriangles(1, 1, 1))});
    BatchOptions options;
    options.jobs = 1;
    CHECK_THROWS_AS(analyzeFiles(jobs, options, progress), telar::Cancelled);
    CHECK(sink.reports == 1); // the first finished file reported; no job started after the cancel
}

TEST_CASE("a file that crashes OpenCASCADE costs only itself in a batch", "[cad]") {
    // Found by fuzz_cad: this IGES file passes OCCT's parser checks and then makes OCCT 7.6's
    // translator dereference null. In-process that would kill the caller; in a worker it is one
    // failed file. (If a newer OCCT stops crashing, move the file to corpus/ with its error.)
    const auto crasher = std::filesystem::path(TELAR_CAD_TEST_DIR) / "crashers" / "iges_occt_segfault.igs";
    REQUIRE(std::filesystem::exists(crasher));
    REQUIRE_FALSE(findWorkerExecutable().empty());
    BatchOptions options;
    options.jobs = 1;
    const auto outcomes = analyzeFiles({{"crasher.igs", crasher, std::nullopt},
                                        {"good.stl", {}, binaryStl(boxTriangles(2, 3, 4))},
                                        {"good2.stl", {}, asciiStl(boxTriangles(1, 1, 1))}},
                                       options);
    CHECK_FALSE(outcomes[0].ok());
    CHECK_THAT(outcomes[0].error, Catch::StartsWith("crasher.igs: the analyser process crashed (signal 11)"));
    REQUIRE(outcomes[1].ok());
    CHECK(outcomes[1].result->totals.volume == Approx(24.0));
    REQUIRE(outcomes[2].ok());
    CHECK(outcomes[2].result->totals.volume == Approx(1.0));
}
