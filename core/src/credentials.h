#pragma once
// Private to telar::core: credentials and the libgit2 callbacks of one transfer (clone, fetch,
// push). Credentials come, in this order, from TELAR_TOKEN, from TELAR_USERNAME +
// TELAR_PASSWORD, from git's credential helpers (`git credential fill` through a pipe), and for
// ssh URLs from the SSH agent. Nothing is written to disk by us; secrets are wiped from memory
// when the session ends.

#include "git_handles.h"
#include "telar/core/remote.h"
#include "telar/progress.h"

#include <git2.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace telar::core::detail {

// A user name and a secret, wiped from memory on destruction.
struct UserPass {
    std::string username;
    std::string password;
    UserPass() = default;
    UserPass(std::string u, std::string p) : username(std::move(u)), password(std::move(p)) {}
    UserPass(const UserPass&) = default;
    UserPass& operator=(const UserPass&) = default;
    ~UserPass();
};

// Runs `git credential fill|approve|reject` with the given input (key=value lines), from
// folder cwd (so the repository's own credential.helper applies) when not empty. Returns the
// fields git printed (fill), or nullopt when git failed or is absent. Secrets travel through
// pipes only.
std::optional<std::map<std::string, std::string>>
runGitCredential(const std::string& action, const std::vector<std::pair<std::string, std::string>>& input,
                 const std::filesystem::path& cwd, bool allowPrompt);

// Answers libgit2's credential requests for one transfer and remembers what it tried, so a
// refusal becomes a message that says what to do.
class CredentialProvider {
public:
    CredentialProvider(const CredentialOptions& options, std::filesystem::path cwd);
    ~CredentialProvider();
    CredentialProvider(const CredentialProvider&) = delete;
    CredentialProvider& operator=(const CredentialProvider&) = delete;

    // The libgit2 credential callback body. Returns 0 with *out set, or a negative value when
    // there is nothing (more) to offer.
    int acquire(git_credential** out, const char* url, const char* usernameFromUrl, unsigned int allowed);
    // True when libgit2 asked for credentials at least once.
    bool wasAsked() const { return m_asked; }
    // The message for a transfer that failed while credentials were involved; empty when the
    // failure had nothing to do with them.
    std::string failureMessage() const { return m_failure; }
    // Tells the credential helper that its answer worked (after a successful transfer) or did not.
    void approve();
    void reject();

private:
    CredentialOptions m_options;
    std::filesystem::path m_cwd;
    bool m_asked = false;
    int m_passAttempts = 0; // user/password answers given
    int m_sshAttempts = 0;  // SSH agent answers given
    bool m_triedEnvironment = false;
    bool m_triedHelper = false;
    std::optional<UserPass> m_helperAnswer; // what `git credential fill` gave, for approve/reject
    std::string m_url;                      // for messages: any password replaced by ***
    std::string m_helperUrl;                // as libgit2 gave it, for git credential approve/reject
    std::string m_lastSource; // "TELAR_TOKEN", "TELAR_USERNAME/TELAR_PASSWORD", "git credential helper"
    std::string m_failure;
};

// Everything the libgit2 callbacks of one transfer share: progress and cancel, credentials,
// and what the remote said about each reference.
struct TransferSession {
    TransferSession(const Progress& p, const CredentialOptions& options, std::filesystem::path cwd)
        : progress(p), credentials(options, std::move(cwd)) {}

    Progress progress;
    CredentialProvider credentials;
    std::vector<RefUpdate> fetched;                           // update_tips
    std::vector<RefUpdate> negotiated;                        // push_negotiation
    std::vector<std::pair<std::string, std::string>> refused; // push_update_reference: ref, reason
    std::string serverMessage;                                // last sideband line

    // Points the callbacks of cb at this session.
    void install(git_remote_callbacks& cb);
    // Turns a failed libgit2 call into the right exception: telar::Cancelled when cancelled,
    // GitError with the credential message when authentication failed, else GitError
    // "CONTEXT: libgit2 message". Never returns.
    [[noreturn]] void fail(int rc, const std::string& context) const;
};

} // namespace telar::core::detail
