#pragma once
// The one background job a panel runs at a time (history, diff, licences): work on Qt's thread
// pool with a JobProgress of its own, the result handed back on the GUI thread, the result of a
// job that a newer start() or a stop() superseded dropped, and the running job cancelled and
// waited for when the panel goes.

#include "design_jobs.h"
#include "job_progress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>

#include <functional>
#include <memory>
#include <utility>

namespace telar::desktop {

template <class T>
class PanelJob {
public:
    // owner receives the results (its thread) and owns the watcher.
    explicit PanelJob(QObject* owner) : m_owner(owner), m_watcher(new QFutureWatcher<JobResult<T>>(owner)) {}
    ~PanelJob() {
        cancel();
        m_watcher->waitForFinished();
    }
    PanelJob(const PanelJob&) = delete;
    PanelJob& operator=(const PanelJob&) = delete;

    // Cancels the running job and starts work(progress) on the thread pool; done(result) runs on
    // the owner's thread when it ends, unless another start() or stop() came first. work must
    // capture only values (paths, names, shared immutable snapshots), never widgets.
    void start(std::function<T(const Progress&)> work, std::function<void(const JobResult<T>&)> done) {
        cancel();
        const int generation = ++m_generation;
        auto progress = std::make_shared<JobProgress>();
        m_progress = progress;
        m_watcher->disconnect(m_owner);
        QObject::connect(m_watcher, &QFutureWatcherBase::finished, m_owner, [this, generation, done] {
            if (generation != m_generation) return;
            m_busy = false;
            done(m_watcher->result());
        });
        m_busy = true;
        m_watcher->setFuture(QtConcurrent::run([work = std::move(work), progress] {
            return runJob<T>([&] { return work(progress->progress()); });
        }));
    }

    // Cancels the running job and drops its result.
    void stop() {
        cancel();
        ++m_generation;
        m_busy = false;
    }
    // Asks the running job to stop; its result (cancelled) still arrives.
    void cancel() {
        if (m_progress) m_progress->cancel();
    }
    // From start() until the result is handed over (or stop()).
    bool busy() const { return m_busy; }
    // The progress of the last job started (null before the first).
    std::shared_ptr<JobProgress> progress() const { return m_progress; }

private:
    QObject* m_owner;
    QFutureWatcher<JobResult<T>>* m_watcher;
    int m_generation = 0;
    bool m_busy = false;
    std::shared_ptr<JobProgress> m_progress;
};

} // namespace telar::desktop
