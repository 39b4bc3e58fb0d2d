// The geometry cache: Store entries keyed by blob id + analyser version + options.
#include "telar/core/geometry_cache.h"

#include "telar/cad/serialize.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <map>

namespace telar::core {

namespace {

constexpr std::string_view kOkHeader = "telar-geometry ok\n";
constexpr std::string_view kErrorHeader = "telar-geometry error\n";

// A decoded cache value: a result or a recorded failure reason.
struct CachedValue {
    std::optional<cad::AnalysisResult> result;
    std::string failure;
};

// nullopt when the value is damaged or from another format (then it is analysed again).
std::optional<CachedValue> decode(std::string_view value) {
    if (value.substr(0, kOkHeader.size()) == kOkHeader) {
        try {
            CachedValue v;
            v.result = cad::fromJson(value.substr(kOkHeader.size()));
            if (v.result->analyserVersion != cad::kAnalyserVersion) return std::nullopt;
            return v;
        } catch (const CadError&) {
            return std::nullopt; // unreadable: recomputed by the caller
        }
    }
    if (value.substr(0, kErrorHeader.size()) == kErrorHeader) {
        CachedValue v;
        v.failure = std::string(value.substr(kErrorHeader.size()));
        if (v.failure.empty()) return std::nullopt;
        return v;
    }
    return std::nullopt;
}

// The reason of an analyser error without the "displayName: " prefix CadError puts in front.
std::string reasonOf(const std::string& error, const std::string& displayName) {
    const std::string prefix = displayName + ": ";
    if (error.compare(0, prefix.size(), prefix) == 0) return error.substr(prefix.size());
    return error;
}

// Failures that depend on the machine's state rather than the file's bytes are not cached.
bool isTransient(const std::string& reason) {
    return reason.find("analysis took longer than") != std::string::npos ||
           reason.find("bad reply from the analyser process") != std::string::npos;
}

} // namespace

GeometryCache::GeometryCache(Store* store, cad::BatchOptions options)
    : m_store(store), m_options(std::move(options)) {}

std::string GeometryCache::cacheKey(std::string_view blobId) const {
    return std::string(blobId) + "/a" + std::to_string(cad::kAnalyserVersion) + "/" + cad::optionsKey(m_options.analyze);
}

std::vector<GeometryOutcome> GeometryCache::analyze(const Tree& tree, const std::vector<std::string>& paths,
                                                    const Progress& progress) {
    m_stats = GeometryStats{};
    m_stats.requested = static_cast<int>(paths.size());
    std::vector<GeometryOutcome> outcomes(paths.size());

    // Blob ids first; then one lookup per distinct blob.
    std::map<std::string, std::vector<std::size_t>> byBlob; // blob → outcome indices
    std::vector<std::string> blobOrder;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        progress.throwIfCancelled();
        outcomes[i].path = paths[i];
        auto blob = tree.blobId(paths[i]);
        if (!blob) {
            outcomes[i].error = paths[i] + ": file is missing in " + tree.describe();
            ++m_stats.missing;
            continue;
        }
        outcomes[i].blobId = *blob;
        auto& list = byBlob[*blob];
        if (list.empty()) blobOrder.push_back(*blob);
        list.push_back(i);
    }

    auto deliver = [&](const std::string& blob, const CachedValue& value, bool fromCache) {
        for (std::size_t i : byBlob[blob]) {
            GeometryOutcome& o = outcomes[i];
            o.fromCache = fromCache;
            if (value.result) {
                o.result = value.result;
                o.result->name = o.path;
            } else {
                o.error = o.path + ": " + value.failure;
                o.cachedFailure = fromCache;
            }
        }
    };

    std::vector<std::string> misses;
    for (const auto& blob : blobOrder) {
        std::optional<CachedValue> cached;
        if (m_store)
            if (auto value = m_store->cacheGet(kCacheKind, cacheKey(blob))) cached = decode(*value);
        if (cached) {
            deliver(blob, *cached, true);
            ++m_stats.cacheHits;
        } else {
            misses.push_back(blob);
        }
    }
    progress.report(0.05, "geometry cache");
    if (misses.empty()) {
        progress.report(1.0);
        return outcomes;
    }

    std::vector<cad::FileJob> jobs;
    jobs.reserve(misses.size());
    for (const auto& blob : misses) {
        const std::string& path = paths[byBlob[blob].front()];
        cad::FileJob job;
        job.displayName = path;
        job.bytes = tree.readFile(path);
        if (!job.bytes) job.bytes = std::string(); // vanished between blobId and read: fails as empty
        jobs.push_back(std::move(job));
    }
    std::vector<cad::FileOutcome> results = cad::analyzeFiles(jobs, m_options, progress.child(0.05, 1.0));
    for (std::size_t k = 0; k < misses.size(); ++k) {
        const std::string& blob = misses[k];
        CachedValue value;
        std::string stored;
        if (results[k].ok()) {
            value.result = std::move(results[k].result);
            stored = std::string(kOkHeader) + cad::toJson(*value.result);
        } else {
            value.failure = reasonOf(results[k].error, jobs[k].displayName);
            if (value.failure.empty()) value.failure = "analysis failed without a message";
            if (!isTransient(value.failure)) stored = std::string(kErrorHeader) + value.failure;
        }
        ++m_stats.analysed;
        if (m_store) {
            m_store->bumpCounter(kAnalysedCounter);
            if (!stored.empty()) m_store->cachePut(kCacheKind, cacheKey(blob), stored);
        }
        deliver(blob, value, false);
    }
    return outcomes;
}

} // namespace telar::core
