#pragma once
// The list of recently opened repositories, most recent first, kept in QSettings
// ("recentRepositories"). Paths are stored absolute and cleaned; at most kMax are kept.

#include <QSettings>
#include <QString>
#include <QStringList>

namespace telar::desktop {

class RecentRepositories {
public:
    static constexpr int kMax = 10;

    // settings is borrowed; it must outlive this object.
    explicit RecentRepositories(QSettings& settings) : m_settings(settings) {}

    QStringList list() const;
    // Moves path to the front (adding it when new) and drops the oldest beyond kMax.
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

private:
    QSettings& m_settings;
};

} // namespace telar::desktop
