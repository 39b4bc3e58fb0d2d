#pragma once
// What the window shows before a repository is open: a button to open a repository folder and
// the recent repositories (double-click or Enter opens one).

#include <QStringList>
#include <QWidget>

class QListWidget;
class QPushButton;

namespace telar::desktop {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);

    // Replaces the list of recent repositories (most recent first).
    void setRecent(const QStringList& paths);
    QListWidget* recentList() const { return m_recent; }

signals:
    // The user asked to open the repository at path.
    void openRequested(const QString& path);
    // The user asked to choose a folder.
    void browseRequested();

private:
    QListWidget* m_recent = nullptr;
    QPushButton* m_open = nullptr;
};

} // namespace telar::desktop
