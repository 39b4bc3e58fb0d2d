#pragma once
// The command line of telar-desktop:
//   telar-desktop [--repo DIR] [--rev REV] [--module ID] [--part ID]
//                 [--screenshot OUT.png] [--view tree|parts|bom|3d|history|diff] [--size WxH]

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

namespace telar::desktop {

// Which part of the main window is brought forward.
enum class View { Tree, Parts, Bom, Licences, ThreeD, History, Diff };

struct AppOptions {
    QString repo;        // empty: the start page
    QString rev;         // empty: the working tree (HEAD for a bare repository)
    QString module;      // module to select once loaded; empty: the first product
    QString part;        // part to select in that module; empty: see MainWindow::applySelection
    QString screenshot;  // PNG to write once loaded, then exit
    View view = View::Tree;
    QSize size;          // window size; invalid: remembered or default
    bool exitWhenReady = false; // print the launch time once the view asked for is shown, then exit
    bool help = false;
    bool version = false;
};

// Parses arguments (arguments[0] is the program). Qt's own options (-platform NAME, -style NAME,
// -reverse, …) are skipped: QApplication takes them. nullopt with error set when invalid.
std::optional<AppOptions> parseAppOptions(const QStringList& arguments, QString* error);
// The --help text.
QString appUsage();

} // namespace telar::desktop
