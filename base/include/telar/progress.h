#pragma once
// Progress and cancellation for long work, without Qt. A Progress is a cheap handle on a shared
// state: a sink that draws (CLI bar, desktop progress bar) and an atomic cancel flag. Work splits
// its range into nested sub-ranges with child(); reports are fractions of the caller's range.

#include "telar/error.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace telar {

// Receives progress reports. Called from worker threads: implementations must be thread-safe.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    // fraction in [0,1] of the whole job; label says what is being done now.
    virtual void update(double fraction, std::string_view label) = 0;
};

class Progress {
public:
    // A progress that reports nowhere and is never cancelled.
    Progress() : m_state(std::make_shared<State>()) {}
    // A progress that reports to sink (not owned; must outlive the work).
    explicit Progress(ProgressSink* sink) : m_state(std::make_shared<State>()) { m_state->sink = sink; }

    // A sub-range [from, to] (fractions of this range) for a nested step.
    Progress child(double from, double to) const {
        Progress p(*this);
        p.m_begin = m_begin + (m_end - m_begin) * from;
        p.m_end = m_begin + (m_end - m_begin) * to;
        return p;
    }
    // Reports that fraction (of this range) is done.
    void report(double fraction, std::string_view label = {}) const {
        if (!m_state->sink) return;
        if (fraction < 0) fraction = 0;
        if (fraction > 1) fraction = 1;
        std::lock_guard lock(m_state->mutex);
        m_state->sink->update(m_begin + (m_end - m_begin) * fraction, label);
    }
    // Asks the work to stop; safe from any thread.
    void cancel() const { m_state->cancelled.store(true); }
    bool isCancelled() const { return m_state->cancelled.load(); }
    // Throws telar::Cancelled when cancel() was called.
    void throwIfCancelled() const {
        if (isCancelled()) throw Cancelled();
    }

private:
    struct State {
        ProgressSink* sink = nullptr;
        std::atomic<bool> cancelled{false};
        std::mutex mutex;
    };
    std::shared_ptr<State> m_state;
    double m_begin = 0.0;
    double m_end = 1.0;
};

} // namespace telar
