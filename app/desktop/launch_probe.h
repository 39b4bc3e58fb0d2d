#pragma once
// --exit-when-ready: measures how long the app takes from launch until the window shows what was
// asked (the module tree, and the BOM, parts or 3D view brought forward by --view), prints the
// times on stdout and exits. Used by the launch benchmark (tests/bench/bench_desktop.sh).

#include <QObject>

#include <chrono>
#include <optional>

class QTimer;

namespace telar::desktop {

class MainWindow;

// Records the moment main() started; call first thing in main().
void markLaunchStart();
// Milliseconds since markLaunchStart() (since the first call when it was never called).
double msSinceLaunchStart();
// Milliseconds since the kernel started this process (includes loading the shared libraries
// before main()); nullopt where /proc is not available. Resolution: one clock tick (10 ms).
std::optional<double> msSinceProcessStart();

class ReadyProbe : public QObject {
    Q_OBJECT
public:
    // window is borrowed and must outlive the probe. Time limit in milliseconds.
    explicit ReadyProbe(MainWindow& window, int timeLimitMs = 300000);

    // Starts watching; call after the window is shown and the repository load has started.
    void start();

signals:
    // 0: ready (times printed); 1: loading failed; 4: time limit reached.
    void finished(int exitCode);

private:
    void check();
    void finish(int exitCode);

    MainWindow& m_window;
    QTimer* m_limit = nullptr;
    bool m_loaded = false;
    bool m_done = false;
    double m_loadedMs = 0;
};

} // namespace telar::desktop
