// The shared progress/cancel interface: nested ranges map to the right fractions of the whole
// job, and cancellation is seen by every copy from any thread.

#include "telar/error.h"
#include "telar/progress.h"

#include <catch2/catch.hpp>

#include <mutex>
#include <thread>
#include <vector>

namespace {

class RecordingSink : public telar::ProgressSink {
public:
    void update(double fraction, std::string_view label) override {
        std::lock_guard lock(m_mutex);
        fractions.push_back(fraction);
        labels.emplace_back(label);
    }
    std::vector<double> fractions;
    std::vector<std::string> labels;

private:
    std::mutex m_mutex;
};

} // namespace

TEST_CASE("nested progress ranges report fractions of the whole job", "[base]") {
    RecordingSink sink;
    telar::Progress root(&sink);
    auto second = root.child(0.5, 1.0);
    auto inner = second.child(0.5, 1.0); // 0.75 .. 1.0 of the whole
    root.report(0.25, "reading");
    second.report(0.5, "analysing");
    inner.report(0.5, "measuring");
    inner.report(2.0, "clamped");
    REQUIRE(sink.fractions.size() == 4);
    CHECK(sink.fractions[0] == Approx(0.25));
    CHECK(sink.fractions[1] == Approx(0.75));
    CHECK(sink.fractions[2] == Approx(0.875));
    CHECK(sink.fractions[3] == Approx(1.0));
    CHECK(sink.labels[2] == "measuring");
}

TEST_CASE("cancel is seen by every copy and child, from another thread", "[base]") {
    telar::Progress root;
    auto child = root.child(0.0, 0.5);
    CHECK_FALSE(child.isCancelled());
    std::thread([root] { root.cancel(); }).join();
    CHECK(child.isCancelled());
    CHECK_THROWS_AS(child.throwIfCancelled(), telar::Cancelled);
    CHECK_THROWS_WITH(child.throwIfCancelled(), "cancelled");
}

TEST_CASE("a progress without a sink reports nowhere and is not cancelled", "[base]") {
    telar::Progress p;
    p.report(0.5, "nothing listens");
    CHECK_FALSE(p.isCancelled());
    CHECK_NOTHROW(p.throwIfCancelled());
}

TEST_CASE("ManifestError formats file, line, column and field", "[base]") {
    telar::ManifestError e("frame/module.toml", 12, 3, "part[2].quantity", "must be a positive integer, got 0");
    CHECK(std::string(e.what()) == "frame/module.toml:12:3: part[2].quantity: must be a positive integer, got 0");
    telar::ManifestError noPos("telar.toml", 0, 0, "", "file is empty");
    CHECK(std::string(noPos.what()) == "telar.toml: file is empty");
}
