#include "occt_support.h"

#include <Interface_Static.hxx>
#include <Message.hxx>
#include <Message_Messenger.hxx>
#include <Message_ProgressScope.hxx>

namespace telar::cad::detail {

void silenceOcct() {
    static std::once_flag once;
    std::call_once(once, [] {
        const Handle(Message_Messenger)& messenger = Message::DefaultMessenger();
        messenger->ChangePrinters().Clear();
    });
}

std::mutex& readerMutex() {
    static std::mutex mutex;
    return mutex;
}

StaticSettingsGuard::~StaticSettingsGuard() {
    // Restore in reverse order so a parameter set twice gets its original value back.
    for (auto it = m_saved.rbegin(); it != m_saved.rend(); ++it) {
        if (it->isInteger)
            Interface_Static::SetIVal(it->name.c_str(), it->integer);
        else
            Interface_Static::SetCVal(it->name.c_str(), it->text.c_str());
    }
}

void StaticSettingsGuard::setInteger(const char* name, int value) {
    if (!Interface_Static::IsPresent(name)) return;
    m_saved.push_back({name, true, Interface_Static::IVal(name), {}});
    Interface_Static::SetIVal(name, value);
}

void StaticSettingsGuard::setString(const char* name, const std::string& value) {
    if (!Interface_Static::IsPresent(name)) return;
    const char* old = Interface_Static::CVal(name);
    m_saved.push_back({name, false, 0, old ? old : ""});
    Interface_Static::SetCVal(name, value.c_str());
}

void ProgressBridge::Show(const Message_ProgressScope& scope, const Standard_Boolean force) {
    const double position = GetPosition();
    if (!force && position - m_last < 0.01) return;
    m_last = position;
    std::string label = m_label;
    if (scope.Name() != nullptr && *scope.Name() != '\0') label += std::string(": ") + scope.Name();
    m_progress.report(position, label);
}

std::string toUtf8(const TCollection_ExtendedString& text) {
    if (text.Length() == 0) return {};
    std::string out(static_cast<std::size_t>(text.LengthOfCString()) + 1, '\0');
    char* buffer = out.data();
    const int n = text.ToUTF8CString(buffer);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string toUtf8(const Handle(TCollection_HAsciiString)& text) {
    if (text.IsNull()) return {};
    return text->ToCString();
}

std::string describe(const Standard_Failure& failure) {
    std::string s = failure.DynamicType()->Name();
    const char* message = failure.GetMessageString();
    if (message != nullptr && *message != '\0') s += std::string(": ") + message;
    return s;
}

} // namespace telar::cad::detail
