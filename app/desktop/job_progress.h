#pragma once
// The bridge between core progress reports (from worker threads) and the GUI thread: a
// thread-safe ProgressSink the GUI polls with a timer. A JobProgress is shared (std::shared_ptr)
// between the job that reports into it and the window that shows it, so neither outlives it.

#include "telar/progress.h"

#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace telar::desktop {

class JobProgress : public ProgressSink {
public:
    JobProgress();

    // The Progress the job reports through (shares this sink and one cancel flag).
    const Progress& progress() const { return m_progress; }
    // Asks the job to stop (from any thread); the job then throws telar::Cancelled.
    void cancel() const { m_progress.cancel(); }
    bool isCancelled() const { return m_progress.isCancelled(); }

    // Last reported fraction of the whole job in [0,1] and what it was doing.
    double fraction() const { return m_fraction.load(); }
    QString label() const;

    void update(double fraction, std::string_view label) override;

private:
    Progress m_progress;
    std::atomic<double> m_fraction{0.0};
    mutable std::mutex m_mutex;
    std::string m_label;
};

} // namespace telar::desktop
