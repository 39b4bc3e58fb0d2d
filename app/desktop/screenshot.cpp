#include "screenshot.h"

#include "main_window.h"
#include "mesh_view.h"

#include <QPainter>
#include <QTimer>

#include <iostream>

namespace telar::desktop {

QImage grabWindow(MainWindow& window) {
    QImage image = window.grab().toImage().convertToFormat(QImage::Format_RGB32);
    // Paint the OpenGL view's own framebuffer over its place: what the window's backing store
    // holds for a QOpenGLWidget depends on the platform plugin.
    if (MeshView* view = window.meshView(); view && view->isVisible() && view->context()) {
        const QRect rect = window.meshViewRect();
        QImage frame = view->grabFramebuffer();
        if (!frame.isNull() && !rect.isEmpty()) {
            QPainter painter(&image);
            painter.drawImage(rect, frame);
        }
    }
    return image;
}

ScreenshotDriver::ScreenshotDriver(MainWindow& window, AppOptions options, int timeLimitMs)
    : QObject(&window), m_window(window), m_options(std::move(options)) {
    m_timer = new QTimer(this);
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, &ScreenshotDriver::poll);
    m_limit = new QTimer(this);
    m_limit->setSingleShot(true);
    m_limit->setInterval(timeLimitMs);
    connect(m_limit, &QTimer::timeout, this, [this] {
        std::cerr << "telar-desktop: --screenshot: gave up waiting for the repository to load\n";
        finish(4);
    });
    connect(&m_window, &MainWindow::designLoaded, this, [this] { m_loaded = true; });
    connect(&m_window, &MainWindow::designLoadFailed, this, [this](const QString& message) {
        if (m_loaded) return;
        std::cerr << "telar-desktop: --screenshot: " << message.toStdString() << "\n";
        finish(1);
    });
}

void ScreenshotDriver::start() {
    if (m_options.repo.isEmpty()) m_loaded = true; // the start page
    m_timer->start();
    m_limit->start();
}

void ScreenshotDriver::poll() {
    if (m_done || !m_loaded || m_window.isBusy()) {
        m_idleTicks = 0;
        return;
    }
    if (m_options.view == View::ThreeD && !m_options.repo.isEmpty()) {
        MeshView* view = m_window.meshView();
        if (view && view->hasMesh() && view->framesWithMesh() == 0) {
            view->update();
            return;
        }
    }
    // A few idle ticks let layouts settle and pending paints happen.
    if (++m_idleTicks < 3) return;
    capture();
}

void ScreenshotDriver::capture() {
    const QImage image = grabWindow(m_window);
    if (!image.save(m_options.screenshot, "PNG")) {
        std::cerr << "telar-desktop: cannot write " << m_options.screenshot.toStdString() << "\n";
        finish(3);
        return;
    }
    std::cout << "telar-desktop: wrote " << m_options.screenshot.toStdString() << " (" << image.width() << "x"
              << image.height() << ")\n";
    const QRect rect = m_window.meshViewRect();
    if (!rect.isEmpty() && m_options.view == View::ThreeD)
        std::cout << "telar-desktop: 3d view at " << rect.x() << "," << rect.y() << " " << rect.width() << "x"
                  << rect.height() << "\n";
    std::cout.flush();
    finish(0);
}

void ScreenshotDriver::finish(int exitCode) {
    if (m_done) return;
    m_done = true;
    m_timer->stop();
    m_limit->stop();
    emit finished(exitCode);
}

} // namespace telar::desktop
