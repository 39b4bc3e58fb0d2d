#pragma once
// What the window shows before a repository is open: buttons to open a repository folder, to
// clone, fork or adopt one (the dialogs are opened by RepositoryActions), and the recent
// repositories (double-click or Enter opens one).

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
    QPushButton* openButton() const { return m_open; }
    QPushButton* cloneButton() const { return m_clone; }
    QPushButton* forkButton() const { return m_fork; }
    QPushButton* adoptButton() const { return m_adopt; }

signals:
    // The user asked to open the repository at path.
    void openRequested(const QString& path);
    // The user asked to choose a folder.
    void browseRequested();
    // The user asked to clone a repository, fork a design, or adopt a folder of CAD files.
    void cloneRequested();
    void forkRequested();
    void adoptRequested();

private:
    QListWidget* m_recent = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_clone = nullptr;
    QPushButton* m_fork = nullptr;
    QPushButton* m_adopt = nullptr;
};

} // namespace telar::desktop
