#pragma once
// --screenshot: waits until the window has loaded the repository, selected what was asked and
// (for the 3D view) drawn the geometry, then writes the window to a PNG and reports an exit code.

#include "app_options.h"

#include <QImage>
#include <QObject>
#include <QRect>

class QTimer;

namespace telar::desktop {

class MainWindow;

// Renders window (with its OpenGL view) to an image of the window's size.
QImage grabWindow(MainWindow& window);

class ScreenshotDriver : public QObject {
    Q_OBJECT
public:
    // window is borrowed and must outlive the driver. Time limit in milliseconds.
    ScreenshotDriver(MainWindow& window, AppOptions options, int timeLimitMs = 300000);

    // Starts waiting; call after the window is shown and the repository load has started.
    void start();

signals:
    // 0: written; 1: loading failed; 3: could not write the file; 4: time limit reached.
    void finished(int exitCode);

private:
    void poll();
    void capture();
    void finish(int exitCode);

    MainWindow& m_window;
    AppOptions m_options;
    QTimer* m_timer = nullptr;
    QTimer* m_limit = nullptr;
    bool m_loaded = false;
    bool m_done = false;
    int m_idleTicks = 0;
};

} // namespace telar::desktop
