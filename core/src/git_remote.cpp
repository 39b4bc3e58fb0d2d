// Repository operations that reach other repositories (clone) and read git's configuration.

#include "git_handles.h"
#include "telar/core/git.h"

namespace telar::core {

namespace fs = std::filesystem;

namespace {

struct TransferState {
    const Progress* progress;
};

int onTransfer(const git_indexer_progress* stats, void* payload) {
    auto* state = static_cast<TransferState*>(payload);
    if (state->progress->isCancelled()) return -1;
    if (stats->total_objects > 0) {
        double fraction = 0.8 * (double(stats->received_objects) + double(stats->indexed_objects)) /
                          (2.0 * double(stats->total_objects));
        state->progress->report(fraction, "receiving objects");
    }
    return 0;
}

void onCheckout(const char* path, size_t done, size_t total, void* payload) {
    auto* state = static_cast<TransferState*>(payload);
    if (total > 0) state->progress->report(0.8 + 0.2 * double(done) / double(total), "checking out files");
}

} // namespace

Repository Repository::clone(const std::string& source, const fs::path& dir, const Progress& progress) {
    auto handle = std::make_shared<detail::GitRepositoryHandle>();
    if (fs::exists(dir) && !fs::is_empty(dir))
        throw GitError("cannot clone into " + dir.string() + ": the folder exists and is not empty");
    TransferState state{&progress};
    git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
    opts.fetch_opts.callbacks.transfer_progress = onTransfer;
    opts.fetch_opts.callbacks.payload = &state;
    opts.checkout_opts.checkout_strategy = GIT_CHECKOUT_SAFE;
    opts.checkout_opts.progress_cb = onCheckout;
    opts.checkout_opts.progress_payload = &state;
    git_repository* raw = nullptr;
    int rc = git_clone(&raw, source.c_str(), dir.c_str(), &opts);
    if (rc < 0) {
        std::string message = gitLastErrorMessage();
        std::error_code ec;
        if (fs::exists(dir)) fs::remove_all(dir, ec); // nothing half-cloned is left behind
        if (progress.isCancelled()) throw Cancelled();
        throw GitError("cannot clone " + source + ": " + message, rc);
    }
    handle->repo.reset(raw);
    progress.report(1.0, "cloned");
    return Repository(std::move(handle));
}

std::optional<Signature> Repository::defaultSignature() const {
    std::lock_guard lock(m_handle->mutex);
    git_signature* raw = nullptr;
    if (git_signature_default(&raw, m_handle->repo.get()) < 0) {
        git_error_clear();
        return std::nullopt;
    }
    GitSignaturePtr sig(raw);
    return Signature{sig->name, sig->email, static_cast<int64_t>(sig->when.time), sig->when.offset};
}

} // namespace telar::core
