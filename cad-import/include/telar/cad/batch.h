#pragma once
// Analysing many files at once on all cores. OpenCASCADE 7.6 cannot read STEP files in parallel
// threads of one process (its unit factors are process-global), so by default each job runs in a
// `telar-cad-worker` child process fed over stdin/stdout; a worker that crashes or hangs costs one
// file, not the caller. Without a worker executable the jobs run in threads of this process with
// the read step serialised. Either way the results equal a serial analysis.

#include "telar/cad/types.h"
#include "telar/progress.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace telar::cad {

// One file to analyse: from memory when bytes is set, else from path.
struct FileJob {
    std::string displayName;
    std::filesystem::path path;
    std::optional<std::string> bytes;
};

// The outcome of one job: a result, or the error message (a CadError's what()) when it failed.
struct FileOutcome {
    std::string displayName;
    std::optional<AnalysisResult> result;
    std::string error;
    bool ok() const { return result.has_value(); }
};

struct BatchOptions {
    int jobs = 0;                  // parallel jobs; 0 = number of cores
    bool useWorkerProcesses = true;
    std::filesystem::path workerExecutable; // empty: $TELAR_CAD_WORKER, beside this program, build dir
    double timeoutSeconds = 600.0; // per file, worker processes only; a worker over time is killed
    AnalyzeOptions analyze;
};

// Analyses every job; outcomes are in the order of jobs. Failures of single files are reported in
// their outcome, never thrown. Throws telar::Cancelled when progress is cancelled (workers are
// stopped first).
std::vector<FileOutcome> analyzeFiles(const std::vector<FileJob>& jobs, const BatchOptions& options = {},
                                      const Progress& progress = {});

// The worker executable analyzeFiles would use, or an empty path when none is found.
std::filesystem::path findWorkerExecutable(const BatchOptions& options = {});

} // namespace telar::cad
