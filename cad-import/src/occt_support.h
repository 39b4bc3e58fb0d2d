#pragma once
// Private helpers at the OpenCASCADE boundary: a quiet messenger, the process-wide reader lock,
// a scoped guard for Interface_Static settings, a progress bridge, and string conversions.

#include "telar/progress.h"

#include <Message_ProgressIndicator.hxx>
#include <Standard_Failure.hxx>
#include <TCollection_ExtendedString.hxx>
#include <TCollection_HAsciiString.hxx>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace telar::cad::detail {

// Removes every printer from OCCT's default messenger, once per process, so OCCT never writes to
// stdout/stderr (the worker protocol uses stdout). Cheap after the first call.
void silenceOcct();

// Held while a STEP/IGES file is read and transferred: OCCT 7.6 keeps unit factors and static
// settings in process-global state during a transfer.
std::mutex& readerMutex();

// Sets Interface_Static parameters for a scope and restores the previous values on destruction.
// Must be used while holding readerMutex().
class StaticSettingsGuard {
public:
    StaticSettingsGuard() = default;
    ~StaticSettingsGuard();
    StaticSettingsGuard(const StaticSettingsGuard&) = delete;
    StaticSettingsGuard& operator=(const StaticSettingsGuard&) = delete;
    void setInteger(const char* name, int value);
    void setString(const char* name, const std::string& value);

private:
    struct Saved {
        std::string name;
        bool isInteger;
        int integer;
        std::string text;
    };
    std::vector<Saved> m_saved;
};

// Forwards OCCT progress to a telar::Progress, and asks OCCT to stop when it is cancelled.
class ProgressBridge : public Message_ProgressIndicator {
public:
    ProgressBridge(const Progress& progress, std::string label)
        : m_progress(progress), m_label(std::move(label)) {}
    Standard_Boolean UserBreak() override { return m_progress.isCancelled(); }
    void Show(const Message_ProgressScope& scope, const Standard_Boolean force) override;

private:
    Progress m_progress;
    std::string m_label;
    double m_last = -1.0;
};

// UTF-8 of an OCCT extended string / ASCII handle ("" for null).
std::string toUtf8(const TCollection_ExtendedString& text);
std::string toUtf8(const Handle(TCollection_HAsciiString)& text);

// "Standard_DomainError: message" for logging a caught OCCT exception.
std::string describe(const Standard_Failure& failure);

} // namespace telar::cad::detail
