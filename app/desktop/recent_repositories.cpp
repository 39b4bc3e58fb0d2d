#include "recent_repositories.h"

#include <QDir>
#include <QFileInfo>

namespace telar::desktop {

namespace {
const QString kKey = QStringLiteral("recentRepositories");
QString normalised(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }
} // namespace

QStringList RecentRepositories::list() const { return m_settings.value(kKey).toStringList(); }

void RecentRepositories::add(const QString& path) {
    QStringList paths = list();
    const QString p = normalised(path);
    paths.removeAll(p);
    paths.prepend(p);
    while (paths.size() > kMax) paths.removeLast();
    m_settings.setValue(kKey, paths);
}

void RecentRepositories::remove(const QString& path) {
    QStringList paths = list();
    paths.removeAll(normalised(path));
    m_settings.setValue(kKey, paths);
}

void RecentRepositories::clear() { m_settings.remove(kKey); }

} // namespace telar::desktop
