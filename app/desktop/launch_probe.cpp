#include "launch_probe.h"

#include "bom_panel.h"
#include "bom_table_model.h"
#include "main_window.h"
#include "module_tree_model.h"

#include <QTimer>

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace telar::desktop {

namespace {

std::chrono::steady_clock::time_point& launchStart() {
    static std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    return start;
}

} // namespace

void markLaunchStart() {
    launchStart() = std::chrono::steady_clock::now();
}

double msSinceLaunchStart() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - launchStart())
        .count();
}

std::optional<double> msSinceProcessStart() {
    // Field 22 of /proc/self/stat is the start time in clock ticks since boot; CLOCK_BOOTTIME
    // counts from the same moment. The command name (field 2) may hold spaces: skip past its ')'.
    std::ifstream in("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i != 22) continue;
        const long ticks = sysconf(_SC_CLK_TCK);
        timespec now{};
        if (ticks <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0) return std::nullopt;
        const double startMs = std::stod(field) * 1000.0 / double(ticks);
        return double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6 - startMs;
    }
    return std::nullopt;
}

ReadyProbe::ReadyProbe(MainWindow& window, int timeLimitMs) : QObject(&window), m_window(window) {
    m_limit = new QTimer(this);
    m_limit->setSingleShot(true);
    m_limit->setInterval(timeLimitMs);
    connect(m_limit, &QTimer::timeout, this, [this] {
        std::cerr << "telar-desktop: --exit-when-ready: gave up waiting for the repository to load\n";
        finish(4);
    });
    connect(&m_window, &MainWindow::designLoaded, this, [this] {
        if (m_loaded) return;
        m_loaded = true;
        m_loadedMs = msSinceLaunchStart();
        check();
    });
    connect(&m_window, &MainWindow::designLoadFailed, this, [this](const QString& message) {
        if (m_loaded) return;
        std::cerr << "telar-desktop: --exit-when-ready: " << message.toStdString() << "\n";
        finish(1);
    });
}

void ReadyProbe::start() {
    m_limit->start();
}

void ReadyProbe::check() {
    if (m_done) return;
    // The jobs the view asked for (the BOM, the 3D geometry) start while the design is applied;
    // poll briefly until they have all been shown.
    if (m_window.isBusy()) {
        QTimer::singleShot(2, this, &ReadyProbe::check);
        return;
    }
    m_window.repaint(); // what was computed is on screen, not just in the models
    const double readyMs = msSinceLaunchStart();
    std::cout << "telar-desktop: ready " << qRound(readyMs) << " ms after main()";
    if (const auto process = msSinceProcessStart())
        std::cout << ", " << qRound(*process) << " ms after the process started";
    std::cout << "; design shown " << qRound(m_loadedMs) << " ms after main()\n";
    // What was shown, so a run that failed quietly is not mistaken for a fast one.
    std::cout << "telar-desktop: tree: " << m_window.treeModel()->rowCount() << " top-level rows";
    if (m_window.bomPanel()->model()->rowCount() > 0)
        std::cout << "; BOM: " << m_window.bomPanel()->totalsText().toStdString();
    if (!m_window.lastError().isEmpty()) std::cout << "; error: " << m_window.lastError().toStdString();
    std::cout << "\n";
    std::cout.flush();
    finish(0);
}

void ReadyProbe::finish(int exitCode) {
    if (m_done) return;
    m_done = true;
    m_limit->stop();
    emit finished(exitCode);
}

} // namespace telar::desktop
