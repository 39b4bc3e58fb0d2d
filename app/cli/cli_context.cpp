#include "cli_context.h"

#include "telar/core/store.h"
#include "telar/error.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <unistd.h>

namespace telar::cli {

namespace fs = std::filesystem;

namespace {

// Draws a one-line progress bar on stderr, at most ten times a second.
class TerminalProgress : public ProgressSink {
public:
    ~TerminalProgress() override {
        if (m_drawn) std::fprintf(stderr, "\r\033[K");
    }
    void update(double fraction, std::string_view label) override {
        auto now = std::chrono::steady_clock::now();
        if (fraction < 1.0 && m_drawn && now - m_last < std::chrono::milliseconds(100)) return;
        m_last = now;
        m_drawn = true;
        const int width = 30;
        int filled = static_cast<int>(fraction * width + 0.5);
        std::string bar(filled, '#');
        bar.resize(width, '-');
        std::string text(label.substr(0, 40));
        std::fprintf(stderr, "\r\033[K[%s] %3d%% %s", bar.c_str(), static_cast<int>(fraction * 100 + 0.5), text.c_str());
        std::fflush(stderr);
    }

private:
    std::chrono::steady_clock::time_point m_last{};
    bool m_drawn = false;
};

} // namespace

Context::Context() = default;
Context::~Context() {
    // A context lives as long as the process. Its repository handle is left to the operating
    // system, which takes the memory back at once at exit: freeing the handle's object caches
    // one allocation at a time (thousands of commits and trees after a history walk) costs more
    // than 10 ms.
    if (m_repo) (void)new core::Repository(std::move(*m_repo));
}

core::Repository& Context::repository() {
    if (m_repo) return *m_repo;
    fs::path start = globals.repo.empty() ? fs::current_path() : fs::path(globals.repo);
    if (!fs::exists(start)) throw UsageError("repository folder not found: " + start.string());
    try {
        m_repo.emplace(core::Repository::open(start));
    } catch (const GitError&) {
        throw UsageError("not a Telar design repository: " + start.string() +
                         " (run `telar init` there, or pass --repo DIR)");
    }
    return *m_repo;
}

std::unique_ptr<core::Tree> Context::tree() { return treeAt(globals.rev); }

std::unique_ptr<core::Tree> Context::treeAt(const std::string& rev) {
    auto& repo = repository();
    if (rev.empty()) return repo.workingTree();
    if (!repo.resolve(rev)) throw UsageError("unknown revision '" + rev + "' (try a tag, a branch or a commit id)");
    return repo.treeAt(rev);
}

core::Store& Context::store() {
    if (!m_store) {
        fs::path file = globals.store.empty() ? core::Store::defaultPath() : fs::path(globals.store);
        m_store = core::Store::open(file, [this](const std::string& text) { notice(text); });
    }
    return *m_store;
}

namespace {

// The progress Ctrl-C cancels (set once by Context::progress(); read by the handler) and whether
// Ctrl-C came, also before that progress existed.
std::atomic<Progress*> g_interruptProgress{nullptr};
volatile std::sig_atomic_t g_interrupted = 0;

void onInterrupt(int) {
    if (g_interrupted) {
        // Second Ctrl-C: the default action, now.
        std::signal(SIGINT, SIG_DFL);
        std::raise(SIGINT);
        return;
    }
    g_interrupted = 1;
    static const char text[] = "\ntelar: cancelling (Ctrl-C again to stop at once)\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, text, sizeof text - 1);
    if (Progress* p = g_interruptProgress.load()) p->cancel(); // a lock-free atomic store
}

} // namespace

Progress Context::progress() {
    if (!m_progress) {
        if (!globals.quiet && ::isatty(STDERR_FILENO)) {
            m_sink = std::make_unique<TerminalProgress>();
            m_progress.emplace(m_sink.get());
        } else {
            m_progress.emplace();
        }
        g_interruptProgress.store(&*m_progress);
        if (g_interrupted) m_progress->cancel();
    }
    return *m_progress;
}

void installInterruptHandler() {
    static_assert(std::atomic<Progress*>::is_always_lock_free);
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
}

bool interrupted() { return g_interrupted != 0; }

void Context::notice(const std::string& text) const {
    if (!globals.quiet) std::cerr << text << "\n";
}

void printJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

core::Signature parseSignature(const std::string& text) {
    auto lt = text.find('<');
    auto gt = text.rfind('>');
    if (lt == std::string::npos || gt == std::string::npos || gt < lt)
        throw UsageError("author must look like 'Name <email>', got '" + text + "'");
    std::string name = text.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    std::string email = text.substr(lt + 1, gt - lt - 1);
    if (name.empty() || email.empty()) throw UsageError("author must look like 'Name <email>', got '" + text + "'");
    return core::Signature{name, email, 0, 0};
}

core::Signature commitAuthor(core::Repository& repo, const std::string& option) {
    if (!option.empty()) return parseSignature(option);
    const char* name = std::getenv("GIT_AUTHOR_NAME");
    const char* email = std::getenv("GIT_AUTHOR_EMAIL");
    if (name && *name && email && *email) return core::Signature{name, email, 0, 0};
    if (auto sig = repo.defaultSignature()) return *sig;
    throw UsageError("no author for the commit: pass --author 'Name <email>', or set it with "
                     "`git config user.name` and `git config user.email`");
}

} // namespace telar::cli
