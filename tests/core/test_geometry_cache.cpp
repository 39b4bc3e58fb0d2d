// The geometry cache: one analysis per blob whatever the revision, counted by the store counter
// "geometry.analysed"; damaged entries recomputed; failures cached and marked; missing files.
#include "test_support.h"

#include "telar/cad/types.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/store.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>

using namespace telar::core;
using telar::test::TempDir;

namespace {

const Signature kBob{"Bob Builder", "bob@example.org", 1700003600, -300};

std::string cubeStl(float s) {
    const float v[8][3] = {{0, 0, 0}, {s, 0, 0}, {s, s, 0}, {0, s, 0}, {0, 0, s}, {s, 0, s}, {s, s, s}, {0, s, s}};
    const int f[12][3] = {{0, 2, 1}, {0, 3, 2}, {4, 5, 6}, {4, 6, 7}, {0, 1, 5}, {0, 5, 4},
                          {1, 2, 6}, {1, 6, 5}, {2, 3, 7}, {2, 7, 6}, {3, 0, 4}, {3, 4, 7}};
    std::string out(80, ' ');
    auto put = [&](const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); };
    std::uint32_t count = 12;
    put(&count, 4);
    for (const auto& t : f) {
        float normal[3] = {0, 0, 0};
        put(normal, 12);
        for (int k : t) put(v[k], 12);
        std::uint16_t attr = 0;
        put(&attr, 2);
    }
    return out;
}

void writeBinary(const std::filesystem::path& p, const std::string& bytes) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

struct CacheRepo {
    TempDir dir{"telar-geocache"};
    Repository repo = Repository::init(dir.path());
    std::unique_ptr<Store> store = Store::open(dir / "store.db");

    CacheRepo() {
        writeBinary(dir / "a.stl", cubeStl(10));
        writeBinary(dir / "b.stl", cubeStl(20));
        writeBinary(dir / "copy-of-a.stl", cubeStl(10));
        writeBinary(dir / "bad.stl", std::string(301, 'G'));
        repo.commitAll("Four files", kBob);
    }
    std::int64_t analysed() { return store->counter(GeometryCache::kAnalysedCounter); }
};

} // namespace

TEST_CASE("geometry cache analyses each blob once, across revisions and trees", "[core][bom][cache]") {
    CacheRepo r;
    GeometryCache cache(r.store.get());
    const std::vector<std::string> paths = {"a.stl", "b.stl", "copy-of-a.stl", "gone.stl"};
    auto first = cache.analyze(*r.repo.treeAt("HEAD"), paths);
    REQUIRE(first.size() == 4);
    CHECK(r.analysed() == 2); // a and its copy share one blob
    CHECK(cache.lastStats().analysed == 2);
    CHECK(cache.lastStats().missing == 1);
    REQUIRE(first[0].ok());
    CHECK(first[0].result->totals.volume == 1000.0);
    CHECK(first[0].result->name == "a.stl");
    CHECK(first[2].result->name == "copy-of-a.stl");
    CHECK(first[1].result->totals.volume == 8000.0);
    CHECK_FALSE(first[0].fromCache);
    CHECK(first[0].blobId == hashBlob(cubeStl(10)));
    CHECK_FALSE(first[3].ok());
    CHECK(first[3].error == "gone.stl: file is missing in HEAD (" + r.repo.resolve("HEAD")->substr(0, 7) + ")");

    // Same files from the working tree, and through another cache object: nothing analysed.
    GeometryCache other(r.store.get());
    auto second = other.analyze(*r.repo.workingTree(), {"a.stl", "b.stl"});
    CHECK(r.analysed() == 2);
    CHECK(other.lastStats().cacheHits == 2);
    CHECK(second[0].fromCache);
    CHECK(second[0].result == first[0].result);

    // One file changes: exactly one analysis.
    writeBinary(r.dir / "b.stl", cubeStl(30));
    r.repo.commitAll("Bigger b", kBob);
    auto third = cache.analyze(*r.repo.treeAt("HEAD"), {"a.stl", "b.stl"});
    CHECK(r.analysed() == 3);
    CHECK(third[1].result->totals.volume == 27000.0);
    // The old revision is still served from the cache.
    auto old = cache.analyze(*r.repo.treeAt("HEAD~1"), {"b.stl"});
    CHECK(r.analysed() == 3);
    CHECK(old[0].result->totals.volume == 8000.0);
}

TEST_CASE("geometry cache recomputes a damaged entry", "[core][bom][cache]") {
    CacheRepo r;
    GeometryCache cache(r.store.get());
    cache.analyze(*r.repo.treeAt("HEAD"), {"a.stl"});
    CHECK(r.analysed() == 1);
    const std::string key = cache.cacheKey(hashBlob(cubeStl(10)));
    CHECK(key == hashBlob(cubeStl(10)) + "/a" + std::to_string(telar::cad::kAnalyserVersion) + "/" +
                     telar::cad::optionsKey({}));
    for (const std::string& damaged : {std::string("telar-geometry ok\n{\"truncated"), std::string("garbage")}) {
        r.store->cachePut(GeometryCache::kCacheKind, key, damaged);
        auto out = cache.analyze(*r.repo.treeAt("HEAD"), {"a.stl"});
        REQUIRE(out[0].ok());
        CHECK(out[0].result->totals.volume == 1000.0);
        CHECK_FALSE(out[0].fromCache);
    }
    CHECK(r.analysed() == 3);
    cache.analyze(*r.repo.treeAt("HEAD"), {"a.stl"}); // repaired entry is used
    CHECK(r.analysed() == 3);
}

TEST_CASE("geometry cache keeps failures, marked, and the options in the key", "[core][bom][cache]") {
    CacheRepo r;
    GeometryCache cache(r.store.get());
    auto first = cache.analyze(*r.repo.treeAt("HEAD"), {"bad.stl"});
    REQUIRE_FALSE(first[0].ok());
    CHECK(first[0].error.rfind("bad.stl: ", 0) == 0);
    CHECK_FALSE(first[0].cachedFailure);
    CHECK(r.analysed() == 1);
    auto second = cache.analyze(*r.repo.treeAt("HEAD"), {"bad.stl"});
    CHECK(second[0].error == first[0].error);
    CHECK(second[0].cachedFailure);
    CHECK(second[0].fromCache);
    CHECK(r.analysed() == 1);

    telar::cad::BatchOptions noObb;
    noObb.analyze.orientedBox = false;
    GeometryCache other(r.store.get(), noObb);
    CHECK(other.cacheKey("x") != cache.cacheKey("x"));
    other.analyze(*r.repo.treeAt("HEAD"), {"a.stl"});
    CHECK(r.analysed() == 2);

    GeometryCache uncached(nullptr);
    auto u = uncached.analyze(*r.repo.treeAt("HEAD"), {"a.stl"});
    CHECK(u[0].result->totals.volume == 1000.0);
    CHECK(uncached.lastStats().analysed == 1);
    CHECK(r.analysed() == 2); // no store, no counter
}
