// Benchmark: cold analysis (no cache) of a set of CAD files with telar::cad, on all cores.
// Prints one JSON object: files, failures, total volume, wall seconds, peak memory.
//
//   bench_cad_cold [--jobs N] [--repeat K] FILE|DIR…
//
// scripts/bench runs it on the STEP files of ../shared/realdata next to FreeCAD doing the same.

#include "telar/cad/batch.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

bool isStep(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".step" || ext == ".stp";
}

} // namespace

int main(int argc, char** argv) {
    int jobs = 0;
    int repeat = 1;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--jobs" && i + 1 < argc) {
            jobs = std::atoi(argv[++i]);
        } else if (a == "--repeat" && i + 1 < argc) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else if (fs::is_directory(a)) {
            for (const auto& e : fs::recursive_directory_iterator(a))
                if (e.is_regular_file() && isStep(e.path())) files.push_back(e.path());
        } else if (fs::is_regular_file(a)) {
            files.push_back(a);
        } else {
            std::fprintf(stderr, "bench_cad_cold: no such file or folder: %s\n", a.c_str());
            return 2;
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: bench_cad_cold [--jobs N] [--repeat K] FILE|DIR...\n");
        return 2;
    }
    std::sort(files.begin(), files.end());
    std::vector<telar::cad::FileJob> batch;
    for (const auto& f : files) batch.push_back({f.string(), f, std::nullopt});
    telar::cad::BatchOptions options;
    options.jobs = jobs;

    std::vector<double> times;
    double volume = 0;
    int failures = 0;
    for (int r = 0; r < repeat; ++r) {
        auto start = std::chrono::steady_clock::now();
        auto outcomes = telar::cad::analyzeFiles(batch, options);
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        volume = 0;
        failures = 0;
        for (const auto& o : outcomes) {
            if (o.ok())
                volume += o.result->totals.volume;
            else
                ++failures;
        }
    }
    std::sort(times.begin(), times.end());
    rusage self{}, children{};
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    std::printf("{\"files\": %zu, \"failures\": %d, \"total_volume_mm3\": %.1f, \"wall_s_median\": %.3f, "
                "\"peak_rss_self_kib\": %ld, \"peak_rss_worker_kib\": %ld}\n",
                files.size(), failures, volume, times[times.size() / 2], self.ru_maxrss, children.ru_maxrss);
    return failures == 0 ? 0 : 1;
}
