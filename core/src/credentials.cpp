// Credentials for transfers (environment, git credential helpers, SSH agent) and the libgit2
// callbacks one transfer shares. See credentials.h.

#include "credentials.h"

#include "telar/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace telar::core::detail {

namespace fs = std::filesystem;

namespace {

// Overwrites a string's bytes before it is released.
void wipe(std::string& s) {
    if (!s.empty()) explicit_bzero(s.data(), s.size());
    s.clear();
}

std::string envOr(const char* name, const std::string& fallback = {}) {
    const char* v = std::getenv(name);
    return (v && *v) ? std::string(v) : fallback;
}

// Writes all of text to fd; false on failure.
bool writeAll(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

std::string humanBytes(size_t bytes) {
    if (bytes >= 1024 * 1024) return fmt::format("{:.1f} MiB", double(bytes) / (1024.0 * 1024.0));
    if (bytes >= 1024) return fmt::format("{:.1f} KiB", double(bytes) / 1024.0);
    return fmt::format("{} B", bytes);
}

} // namespace

UserPass::~UserPass() {
    wipe(username);
    wipe(password);
}

std::optional<std::map<std::string, std::string>>
runGitCredential(const std::string& action, const std::vector<std::pair<std::string, std::string>>& input,
                 const fs::path& cwd, bool allowPrompt) {
    // The request goes into a pipe before the child starts (it is far smaller than a pipe's
    // buffer), so the child can never make us block or raise SIGPIPE.
    std::string request;
    for (const auto& [k, v] : input)
        if (!v.empty()) request += k + "=" + v + "\n";
    request += "\n";
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return std::nullopt;
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return std::nullopt;
    }
    bool wrote = writeAll(in[1], request);
    wipe(request);
    ::close(in[1]);
    if (!wrote) {
        ::close(in[0]);
        ::close(out[0]);
        ::close(out[1]);
        return std::nullopt;
    }

    // Everything the child needs is prepared before fork: only async-signal-safe calls after.
    std::vector<std::string> args{"git"};
    if (!cwd.empty()) {
        args.push_back("-C");
        args.push_back(cwd.string());
    }
    args.push_back("credential");
    args.push_back(action);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envStore;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        if (!allowPrompt &&
            (kv.rfind("GIT_TERMINAL_PROMPT=", 0) == 0 || kv.rfind("GCM_INTERACTIVE=", 0) == 0))
            continue;
        envStore.emplace_back(kv);
    }
    if (!allowPrompt) {
        envStore.emplace_back("GIT_TERMINAL_PROMPT=0");
        envStore.emplace_back("GCM_INTERACTIVE=never");
    }
    std::vector<char*> envp;
    for (auto& e : envStore)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);

    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        // Prompts go to the terminal (/dev/tty) when allowed; git's complaints are not ours to print.
        if (devnull >= 0) ::dup2(devnull, 2);
        ::execvpe("git", argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    if (devnull >= 0) ::close(devnull);
    if (pid < 0) {
        ::close(out[0]);
        return std::nullopt;
    }
    std::string reply;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        reply.append(buf, static_cast<size_t>(n));
    }
    explicit_bzero(buf, sizeof buf);
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        wipe(reply);
        return std::nullopt;
    }
    std::map<std::string, std::string> fields;
    size_t pos = 0;
    while (pos < reply.size()) {
        size_t end = reply.find('\n', pos);
        if (end == std::string::npos) end = reply.size();
        std::string_view line(reply.data() + pos, end - pos);
        if (auto eq = line.find('='); eq != std::string_view::npos)
            fields[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
        pos = end + 1;
    }
    wipe(reply);
    return fields;
}

CredentialProvider::CredentialProvider(const CredentialOptions& options, fs::path cwd)
    : m_options(options), m_cwd(std::move(cwd)) {}

CredentialProvider::~CredentialProvider() = default;

int CredentialProvider::acquire(git_credential** out, const char* url, const char* usernameFromUrl,
                                unsigned int allowed) {
    m_asked = true;
    m_url = displayUrl(url ? url : "");
    m_helperUrl = url ? url : "";
    const std::string urlUser = usernameFromUrl ? usernameFromUrl : "";

    if (allowed & GIT_CREDENTIAL_SSH_KEY) {
        if (m_sshAttempts++ == 0) {
            if (envOr("SSH_AUTH_SOCK").empty()) {
                m_failure =
                    "ssh authentication needed for " + m_url +
                    " but no SSH agent is running (SSH_AUTH_SOCK is not set): start `ssh-agent` and add "
                    "your key with `ssh-add`";
                return GIT_EAUTH;
            }
            std::string user = urlUser.empty() ? envOr("TELAR_USERNAME", "git") : urlUser;
            m_failure.clear();
            return git_credential_ssh_key_from_agent(out, user.c_str());
        }
        m_failure = "ssh authentication failed for " + m_url +
                    ": the SSH agent has no key this server accepts (`ssh-add -l` lists the keys it holds)";
        return GIT_EAUTH;
    }
    if (allowed & GIT_CREDENTIAL_USERNAME) {
        std::string user = urlUser.empty() ? envOr("TELAR_USERNAME", "git") : urlUser;
        return git_credential_username_new(out, user.c_str());
    }
    if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
        // Asked again: the server refused the previous answer.
        if (m_passAttempts > 0 && m_lastSource == "a git credential helper") reject();
        if (!m_triedEnvironment) {
            m_triedEnvironment = true;
            std::string token = envOr("TELAR_TOKEN");
            std::optional<UserPass> answer;
            if (!token.empty()) {
                std::string user = envOr("TELAR_USERNAME", urlUser.empty() ? "x-access-token" : urlUser);
                answer.emplace(user, token);
                m_lastSource = "TELAR_TOKEN";
            } else if (std::string password = envOr("TELAR_PASSWORD"); !password.empty()) {
                std::string user = envOr("TELAR_USERNAME", urlUser);
                if (!user.empty()) {
                    answer.emplace(user, password);
                    m_lastSource = "TELAR_USERNAME/TELAR_PASSWORD";
                }
                wipe(password);
            }
            wipe(token);
            if (answer) {
                ++m_passAttempts;
                m_failure.clear();
                return git_credential_userpass_plaintext_new(out, answer->username.c_str(),
                                                             answer->password.c_str());
            }
        }
        if (!m_triedHelper) {
            m_triedHelper = true;
            auto fields = runGitCredential("fill", {{"url", url ? url : ""}, {"username", urlUser}}, m_cwd,
                                           m_options.allowPrompt);
            if (fields && fields->count("username") && fields->count("password")) {
                m_helperAnswer.emplace((*fields)["username"], (*fields)["password"]);
                for (auto& [k, v] : *fields)
                    wipe(v);
                m_lastSource = "a git credential helper";
                ++m_passAttempts;
                m_failure.clear();
                return git_credential_userpass_plaintext_new(out, m_helperAnswer->username.c_str(),
                                                             m_helperAnswer->password.c_str());
            }
            if (fields)
                for (auto& [k, v] : *fields)
                    wipe(v);
        }
        if (m_passAttempts == 0)
            m_failure = "authentication required by " + m_url +
                        ": no credentials found; set TELAR_USERNAME and TELAR_PASSWORD (or TELAR_TOKEN), or "
                        "configure a git credential helper";
        else
            m_failure = "authentication failed for " + m_url + ": the server refused the credentials from " +
                        m_lastSource;
        return GIT_EAUTH;
    }
    m_failure = "the server at " + m_url + " asks for a kind of authentication Telar does not support";
    return GIT_EAUTH;
}

void CredentialProvider::approve() {
    if (!m_helperAnswer || m_lastSource != "a git credential helper") return;
    runGitCredential("approve",
                     {{"url", m_helperUrl},
                      {"username", m_helperAnswer->username},
                      {"password", m_helperAnswer->password}},
                     m_cwd, false);
}

void CredentialProvider::reject() {
    if (!m_helperAnswer) return;
    runGitCredential("reject",
                     {{"url", m_helperUrl},
                      {"username", m_helperAnswer->username},
                      {"password", m_helperAnswer->password}},
                     m_cwd, false);
    m_helperAnswer.reset();
}

// ---- libgit2 callbacks -------------------------------------------------------------------

namespace {

TransferSession& sessionOf(void* payload) {
    return *static_cast<TransferSession*>(payload);
}

int onCredentials(git_credential** out, const char* url, const char* user, unsigned int allowed,
                  void* payload) {
    auto& s = sessionOf(payload);
    if (s.progress.isCancelled()) return GIT_EUSER;
    return s.credentials.acquire(out, url, user, allowed);
}

int onSideband(const char* text, int len, void* payload) {
    auto& s = sessionOf(payload);
    if (s.progress.isCancelled()) return -1;
    std::string line(text, static_cast<size_t>(len));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
    if (auto cr = line.rfind('\r'); cr != std::string::npos) line = line.substr(cr + 1);
    if (!line.empty()) s.serverMessage = line;
    return 0;
}

int onTransfer(const git_indexer_progress* stats, void* payload) {
    auto& s = sessionOf(payload);
    if (s.progress.isCancelled()) return -1;
    if (stats->total_objects == 0) return 0;
    double done =
        double(stats->received_objects) + double(stats->indexed_objects) + double(stats->indexed_deltas);
    double total = 2.0 * double(stats->total_objects) + double(stats->total_deltas);
    std::string label =
        stats->received_objects < stats->total_objects
            ? fmt::format("receiving objects {}/{}, {}", stats->received_objects, stats->total_objects,
                          humanBytes(stats->received_bytes))
            : fmt::format("resolving deltas {}/{}", stats->indexed_deltas, stats->total_deltas);
    s.progress.report(done / total, label);
    return 0;
}

int onUpdateTips(const char* refname, const git_oid* a, const git_oid* b, void* payload) {
    auto& s = sessionOf(payload);
    RefUpdate u;
    u.name = refname;
    if (!git_oid_is_zero(a)) u.oldId = gitOidString(a);
    if (!git_oid_is_zero(b)) u.newId = gitOidString(b);
    s.fetched.push_back(std::move(u));
    return 0;
}

int onPackProgress(int stage, uint32_t current, uint32_t total, void* payload) {
    auto& s = sessionOf(payload);
    if (s.progress.isCancelled()) return -1;
    if (total > 0)
        s.progress.report(0.2 * double(current) / double(total), stage == GIT_PACKBUILDER_ADDING_OBJECTS
                                                                     ? "counting objects"
                                                                     : "compressing objects");
    return 0;
}

int onPushTransfer(unsigned int current, unsigned int total, size_t bytes, void* payload) {
    auto& s = sessionOf(payload);
    if (s.progress.isCancelled()) return -1;
    if (total > 0)
        s.progress.report(0.2 + 0.8 * double(current) / double(total),
                          fmt::format("sending objects {}/{}, {}", current, total, humanBytes(bytes)));
    return 0;
}

int onPushNegotiation(const git_push_update** updates, size_t len, void* payload) {
    auto& s = sessionOf(payload);
    if (s.progress.isCancelled()) return -1;
    for (size_t i = 0; i < len; ++i) {
        RefUpdate u;
        u.name = updates[i]->dst_refname;
        if (!git_oid_is_zero(&updates[i]->src)) u.oldId = gitOidString(&updates[i]->src);
        if (!git_oid_is_zero(&updates[i]->dst)) u.newId = gitOidString(&updates[i]->dst);
        s.negotiated.push_back(std::move(u));
    }
    return 0;
}

int onPushUpdateReference(const char* refname, const char* status, void* payload) {
    auto& s = sessionOf(payload);
    if (status) s.refused.emplace_back(refname, status);
    return 0;
}

} // namespace

void TransferSession::install(git_remote_callbacks& cb) {
    cb.credentials = onCredentials;
    cb.sideband_progress = onSideband;
    cb.transfer_progress = onTransfer;
    cb.update_tips = onUpdateTips;
    cb.pack_progress = onPackProgress;
    cb.push_transfer_progress = onPushTransfer;
    cb.push_negotiation = onPushNegotiation;
    cb.push_update_reference = onPushUpdateReference;
    cb.payload = this;
}

void TransferSession::fail(int rc, const std::string& context) const {
    std::string message = gitLastErrorMessage();
    if (progress.isCancelled()) throw Cancelled();
    if (!credentials.failureMessage().empty()) throw GitError(credentials.failureMessage(), GIT_EAUTH);
    throw GitError(context + ": " + message, rc);
}

} // namespace telar::core::detail
