// Runs the fuzz entry point over the seed corpus, so the fuzz target is exercised by every
// compiler (libFuzzer itself is only built with clang).
#include "test_support.h"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

TEST_CASE("the expression fuzz target survives its seed corpus", "[license]") {
    const std::filesystem::path corpus = TELAR_LICENSE_CORPUS_DIR;
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
        if (!entry.is_regular_file()) continue;
        const std::string bytes = telar::test::readFile(entry.path());
        INFO(entry.path().filename().string());
        CHECK(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == 0);
        ++count;
    }
    CHECK(count >= 12);
}
