#include "job_progress.h"

namespace telar::desktop {

JobProgress::JobProgress() : m_progress(this) {}

QString JobProgress::label() const {
    std::lock_guard lock(m_mutex);
    return QString::fromStdString(m_label);
}

void JobProgress::update(double fraction, std::string_view label) {
    m_fraction.store(fraction);
    if (!label.empty()) {
        std::lock_guard lock(m_mutex);
        m_label.assign(label);
    }
}

} // namespace telar::desktop
