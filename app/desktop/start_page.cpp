#include "start_page.h"

#include "app_icon.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace telar::desktop {

StartPage::StartPage(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->addStretch(1);

    auto* column = new QVBoxLayout;
    auto* titleRow = new QHBoxLayout;
    auto* icon = new QLabel;
    icon->setPixmap(appIcon().pixmap(64, 64));
    titleRow->addWidget(icon);
    auto* title =
        new QLabel(tr("<h1>Telar</h1><p>Open hardware designs: modules, parts, licences, geometry.</p>"));
    titleRow->addWidget(title, 1);
    column->addLayout(titleRow);

    m_open = new QPushButton(tr("Open repository…"));
    m_open->setToolTip(tr("Open a folder holding a Telar design repository (Ctrl+O)"));
    connect(m_open, &QPushButton::clicked, this, &StartPage::browseRequested);
    m_clone = new QPushButton(tr("Clone…"));
    m_clone->setToolTip(tr("Copy a design repository and its history from a URL or a folder"));
    connect(m_clone, &QPushButton::clicked, this, &StartPage::cloneRequested);
    m_fork = new QPushButton(tr("Fork…"));
    m_fork->setToolTip(tr("Clone a design as your own fork, recording where it came from in telar.toml"));
    connect(m_fork, &QPushButton::clicked, this, &StartPage::forkRequested);
    m_adopt = new QPushButton(tr("Adopt folder…"));
    m_adopt->setToolTip(
        tr("Make a folder of CAD files (or a git repository without Telar files) a Telar design"));
    connect(m_adopt, &QPushButton::clicked, this, &StartPage::adoptRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_clone);
    buttons->addWidget(m_fork);
    buttons->addWidget(m_adopt);
    buttons->addStretch(1);
    column->addLayout(buttons);

    column->addWidget(new QLabel(tr("<b>Recent repositories</b>")));
    m_recent = new QListWidget;
    m_recent->setMinimumHeight(160);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit openRequested(item->data(Qt::UserRole).toString()); });
    column->addWidget(m_recent);

    auto* centred = new QHBoxLayout;
    centred->addStretch(1);
    auto* box = new QWidget;
    box->setLayout(column);
    box->setMaximumWidth(640);
    box->setMinimumWidth(360);
    centred->addWidget(box, 4);
    centred->addStretch(1);
    outer->addLayout(centred);
    outer->addStretch(2);
    setRecent({});
}

void StartPage::setRecent(const QStringList& paths) {
    m_recent->clear();
    for (const QString& path : paths) {
        auto* item = new QListWidgetItem(
            QStringLiteral("%1\n%2").arg(QFileInfo(path).fileName(), QDir::toNativeSeparators(path)));
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        m_recent->addItem(item);
    }
    if (paths.isEmpty()) {
        auto* item = new QListWidgetItem(tr("No repository opened yet"));
        item->setFlags(Qt::NoItemFlags);
        m_recent->addItem(item);
    } else {
        m_recent->setCurrentRow(0);
    }
}

} // namespace telar::desktop
