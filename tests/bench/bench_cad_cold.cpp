// Benchmark: cold analysis (no cache) of a set of CAD files with telar::cad, on all cores.
// Prints one JSON object: files, failures, total volume, wall seconds, CPU seconds (this process
// and its workers: what a busy machine does not inflate), peak memory.
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

// User + system CPU seconds of this process and of its children that have been waited for.
double cpuSeconds() {
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
    rusage self{}, children{};
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    return seconds(self.ru_utime) + seconds(self.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime);
}

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

    std::vector<double> times, cpuTimes;
    double volume = 0;
    int failures = 0;
    for (int r = 0; r < repeat; ++r) {
        const double cpuBefore = cpuSeconds();
        auto start = std::chrono::steady_clock::now();
        auto outcomes = telar::cad::analyzeFiles(batch, options);
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        cpuTimes.push_back(cpuSeconds() - cpuBefore); // workers are reaped when analyzeFiles returns
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
    std::sort(cpuTimes.begin(), cpuTimes.end());
    rusage self{}, children{};
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    std::printf("{\"files\": %zu, \"failures\": %d, \"total_volume_mm3\": %.1f, \"wall_s_median\": %.3f, "
                "\"cpu_s_median\": %.3f, \"peak_rss_self_kib\": %ld, \"peak_rss_worker_kib\": %ld}\n",
                files.size(), failures, volume, times[times.size() / 2], cpuTimes[cpuTimes.size() / 2], self.ru_maxrss,
                children.ru_maxrss);
    return failures == 0 ? 0 : 1;
}
