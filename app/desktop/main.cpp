// telar-desktop: the Qt front end of Telar. See docs/desktop.md.

#include "app_icon.h"
#include "app_options.h"
#include "launch_probe.h"
#include "main_window.h"
#include "screenshot.h"

#include <QApplication>
#include <QSurfaceFormat>

#include <iostream>

int main(int argc, char** argv) {
    using namespace telar::desktop;
    markLaunchStart();
    QSurfaceFormat format;
    format.setDepthBufferSize(24);
    format.setSamples(4);
    QSurfaceFormat::setDefaultFormat(format);

    // Arguments are checked before Qt starts, so mistakes are reported without platform noise.
    QStringList arguments;
    for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
    QString error;
    const auto options = parseAppOptions(arguments, &error);
    if (!options) {
        std::cerr << "telar-desktop: " << error.toStdString() << "\n";
        return 2;
    }
    if (options->help) {
        std::cout << appUsage().toStdString();
        return 0;
    }
    if (options->version) {
        std::cout << "telar-desktop " << TELAR_VERSION << "\n";
        return 0;
    }

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Telar"));
    QApplication::setApplicationName(QStringLiteral("telar-desktop"));
    QApplication::setApplicationDisplayName(QStringLiteral("Telar"));
    QApplication::setApplicationVersion(QStringLiteral(TELAR_VERSION));
    QApplication::setWindowIcon(appIcon());

    const bool screenshot = !options->screenshot.isEmpty();
    const bool probe = options->exitWhenReady;
    MainWindow window(/*persistent=*/!screenshot && !probe);
    if (options->size.isValid()) window.resize(options->size);
    window.setInitialSelection(options->module, options->part, options->view);

    int exitCode = 0;
    ScreenshotDriver* driver = nullptr;
    if (screenshot) {
        window.setErrorDialogsEnabled(false);
        driver = new ScreenshotDriver(window, *options);
        QObject::connect(driver, &ScreenshotDriver::finished, &app, [&](int code) {
            exitCode = code;
            QApplication::exit(code);
        });
    }
    ReadyProbe* readyProbe = nullptr;
    if (probe) {
        window.setErrorDialogsEnabled(false);
        readyProbe = new ReadyProbe(window);
        QObject::connect(readyProbe, &ReadyProbe::finished, &app, [&](int code) {
            exitCode = code;
            QApplication::exit(code);
        });
    }
    window.show();
    if (!options->repo.isEmpty()) window.openRepository(options->repo, options->rev);
    if (driver) driver->start();
    if (readyProbe) readyProbe->start();
    const int rc = app.exec();
    return screenshot || probe ? exitCode : rc;
}
