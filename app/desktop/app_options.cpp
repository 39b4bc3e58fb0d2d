#include "app_options.h"

#include <QRegularExpression>

namespace telar::desktop {

QString appUsage() {
    return QStringLiteral(
        "Usage: telar-desktop [options]\n"
        "Browse a Telar design repository: module tree, parts, properties, 3D view.\n\n"
        "Options:\n"
        "  --repo DIR          open the design repository in DIR (else the start page)\n"
        "  --rev REV           read the design at REV (branch, tag, commit; default: working tree)\n"
        "  --module ID         select this module once loaded (default: the first product)\n"
        "  --part ID           select this part of the selected module\n"
        "  --view VIEW         tree, parts, bom, licences, 3d, history or diff: what to bring\n"
        "                      forward\n"
        "                      (default: tree)\n"
        "  --screenshot FILE   render the window to a PNG once everything is loaded, then exit\n"
        "  --size WxH          window size in pixels (e.g. 1280x800)\n"
        "  --exit-when-ready   once the tree and the view asked for are shown, print the time\n"
        "                      since launch and exit (the launch benchmark)\n"
        "  -h, --help          show this help\n"
        "  --version           show the version\n");
}

std::optional<AppOptions> parseAppOptions(const QStringList& arguments, QString* error) {
    AppOptions o;
    auto fail = [&](const QString& message) -> std::optional<AppOptions> {
        if (error) *error = message;
        return std::nullopt;
    };
    for (int i = 1; i < arguments.size(); ++i) {
        QString arg = arguments[i];
        QString value;
        bool hasInlineValue = false;
        if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
            value = arg.section(QLatin1Char('='), 1);
            arg = arg.section(QLatin1Char('='), 0, 0);
            hasInlineValue = true;
        }
        auto takeValue = [&](QString* out) -> bool {
            if (hasInlineValue) {
                *out = value;
                return true;
            }
            if (i + 1 >= arguments.size()) return false;
            *out = arguments[++i];
            return true;
        };
        // Qt's own options are left to QApplication.
        static const QStringList qtWithValue = {"-platform", "-platformpluginpath", "-platformtheme", "-plugin",
                                                "-style", "-stylesheet", "-display", "-session",
                                                "-qwindowgeometry", "-qwindowtitle", "-qwindowicon"};
        static const QStringList qtFlags = {"-reverse", "-nograb", "-dograb", "-sync", "-widgetcount"};
        if (qtWithValue.contains(arg)) {
            ++i;
            continue;
        }
        if (qtFlags.contains(arg)) continue;
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            o.help = true;
        } else if (arg == QLatin1String("--version")) {
            o.version = true;
        } else if (arg == QLatin1String("--exit-when-ready")) {
            o.exitWhenReady = true;
        } else if (arg == QLatin1String("--repo") || arg == QLatin1String("--rev") ||
                   arg == QLatin1String("--module") || arg == QLatin1String("--part") ||
                   arg == QLatin1String("--screenshot") || arg == QLatin1String("--view") ||
                   arg == QLatin1String("--size")) {
            QString v;
            if (!takeValue(&v) || v.isEmpty()) return fail(QStringLiteral("%1 needs a value").arg(arg));
            if (arg == QLatin1String("--repo")) o.repo = v;
            else if (arg == QLatin1String("--rev")) o.rev = v;
            else if (arg == QLatin1String("--module")) o.module = v;
            else if (arg == QLatin1String("--part")) o.part = v;
            else if (arg == QLatin1String("--screenshot")) o.screenshot = v;
            else if (arg == QLatin1String("--view")) {
                if (v == QLatin1String("tree")) o.view = View::Tree;
                else if (v == QLatin1String("parts")) o.view = View::Parts;
                else if (v == QLatin1String("bom")) o.view = View::Bom;
                else if (v == QLatin1String("3d")) o.view = View::ThreeD;
                else if (v == QLatin1String("licences") || v == QLatin1String("licenses")) o.view = View::Licences;
                else if (v == QLatin1String("history")) o.view = View::History;
                else if (v == QLatin1String("diff")) o.view = View::Diff;
                else return fail(QStringLiteral("--view must be tree, parts, bom, licences, 3d, history or diff, not '%1'").arg(v));
            } else {
                static const QRegularExpression re(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
                auto m = re.match(v);
                if (!m.hasMatch()) return fail(QStringLiteral("--size must be WIDTHxHEIGHT, e.g. 1280x800, not '%1'").arg(v));
                const int w = m.captured(1).toInt();
                const int h = m.captured(2).toInt();
                if (w < 320 || h < 240 || w > 8192 || h > 8192)
                    return fail(QStringLiteral("--size must be between 320x240 and 8192x8192, not '%1'").arg(v));
                o.size = QSize(w, h);
            }
        } else {
            return fail(QStringLiteral("unknown argument '%1' (see --help)").arg(arguments[i]));
        }
    }
    if (o.exitWhenReady && !o.screenshot.isEmpty())
        return fail(QStringLiteral("--exit-when-ready and --screenshot cannot be used together"));
    if (o.exitWhenReady && o.repo.isEmpty() && !o.help && !o.version)
        return fail(QStringLiteral("--exit-when-ready needs --repo DIR"));
    return o;
}

} // namespace telar::desktop
