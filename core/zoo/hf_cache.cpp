#include "core/zoo/hf_cache.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <system_error>

namespace phototune {

namespace {

std::filesystem::path env_path(const char* name)
{
    const char* value = std::getenv(name);
    if (!value || !*value) return {};
    std::string text = value;
    if (text == "~" || text.starts_with("~/")) {
#ifdef _WIN32
        const char* home = std::getenv("USERPROFILE");
#else
        const char* home = std::getenv("HOME");
#endif
        if (home) text = std::string(home) + text.substr(1);
    }
    return std::filesystem::path(text);
}

bool is_name_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
}

// Each '/'-separated part is non-empty, made of name characters, and neither "." nor "..".
bool is_safe_relative_path(std::string_view text, bool allow_slash) noexcept
{
    if (text.empty() || text.size() > 1024) return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find('/', start);
        const std::string_view part = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (part.empty() || part == "." || part == ".." || !std::all_of(part.begin(), part.end(), is_name_char))
            return false;
        if (end == std::string_view::npos) return true;
        if (!allow_slash) return false;
        start = end + 1;
    }
}

void check(bool ok, const std::string& what, std::string_view value)
{
    PHOTOTUNE_CHECK(ok, ErrorCategory::InvalidInput, "'" + std::string(value) + "' is not a valid " + what);
}

} // namespace

std::filesystem::path default_hf_hub_cache_dir()
{
    if (auto hub = env_path("HF_HUB_CACHE"); !hub.empty()) return hub;
    if (auto home = env_path("HF_HOME"); !home.empty()) return home / "hub";
    if (auto xdg = env_path("XDG_CACHE_HOME"); !xdg.empty()) return xdg / "huggingface" / "hub";
#ifdef _WIN32
    const char* home = std::getenv("USERPROFILE");
#else
    const char* home = std::getenv("HOME");
#endif
    return std::filesystem::path(home ? home : ".") / ".cache" / "huggingface" / "hub";
}

void check_repo_id(std::string_view repo)
{
    const auto slash = repo.find('/');
    check(slash != std::string_view::npos && is_safe_relative_path(repo, true) &&
              repo.find('/', slash + 1) == std::string_view::npos,
          "Hugging Face repository id (expected 'org/name')", repo);
}

void check_revision(std::string_view revision)
{
    check(is_safe_relative_path(revision, true), "revision (a branch, tag or commit)", revision);
}

void check_repo_file(std::string_view file)
{
    check(is_safe_relative_path(file, true), "file name inside a repository", file);
}

void check_etag(std::string_view etag)
{
    check(etag.size() <= 128 && is_safe_relative_path(etag, false), "file etag from the server", etag);
}

bool is_commit_hash(std::string_view text) noexcept
{
    return text.size() == 40 &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

HfCache::HfCache(std::filesystem::path hub_dir) : m_hub(std::move(hub_dir)) {}

std::filesystem::path HfCache::repo_dir(std::string_view repo) const
{
    check_repo_id(repo);
    std::string folder = "models--" + std::string(repo);
    folder.replace(folder.find('/'), 1, "--");
    return m_hub / folder;
}

std::filesystem::path HfCache::blob_path(std::string_view repo, std::string_view etag) const
{
    check_etag(etag);
    return repo_dir(repo) / "blobs" / std::string(etag);
}

std::filesystem::path HfCache::snapshot_dir(std::string_view repo, std::string_view commit) const
{
    check(is_commit_hash(commit), "commit hash", commit);
    return repo_dir(repo) / "snapshots" / std::string(commit);
}

std::optional<std::string> HfCache::resolve_revision(std::string_view repo, std::string_view revision) const
{
    check_revision(revision);
    if (is_commit_hash(revision)) return std::string(revision);
    const auto ref = repo_dir(repo) / "refs" / std::string(revision);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(ref, ec)) return std::nullopt;
    std::string commit = read_text_file(ref);
    while (!commit.empty() && std::isspace(static_cast<unsigned char>(commit.back()))) commit.pop_back();
    if (!is_commit_hash(commit)) return std::nullopt; // a damaged ref: treat the revision as unknown
    return commit;
}

void HfCache::write_ref(std::string_view repo, std::string_view revision, std::string_view commit) const
{
    check_revision(revision);
    check(is_commit_hash(commit), "commit hash", commit);
    if (revision == commit) return; // huggingface_hub keeps no ref for a pinned commit
    const auto ref = repo_dir(repo) / "refs" / std::string(revision);
    std::error_code ec;
    std::filesystem::create_directories(ref.parent_path(), ec);
    write_file_atomic(ref, commit);
}

void HfCache::link_snapshot_file(std::string_view repo, std::string_view commit, std::string_view file,
                                 std::string_view etag) const
{
    check_repo_file(file);
    const auto blob = blob_path(repo, etag);
    const auto target = snapshot_dir(repo, commit) / std::filesystem::path(std::string(file));
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    PHOTOTUNE_CHECK(!ec, ErrorCategory::Io,
                    "cannot create the folder '" + path_for_display(target.parent_path()) + "': " + ec.message());
    std::filesystem::remove(target, ec);

    // Relative, as huggingface_hub makes them, so the cache can be moved as a whole.
    std::filesystem::create_symlink(std::filesystem::relative(blob, target.parent_path()), target, ec);
    if (!ec) return;
    std::filesystem::create_hard_link(blob, target, ec);
    if (!ec) return;
    std::filesystem::copy_file(blob, target, std::filesystem::copy_options::overwrite_existing, ec);
    PHOTOTUNE_CHECK(!ec, ErrorCategory::Io,
                    "cannot place '" + path_for_display(target) + "' in the Hugging Face cache: " + ec.message() +
                        " (check the free space and permissions of '" + path_for_display(m_hub) + "')");
}

std::optional<std::filesystem::path> HfCache::find_cached_model(std::string_view repo, std::string_view revision,
                                                                const std::vector<std::string>& files) const
{
    const auto commit = resolve_revision(repo, revision);
    if (!commit) return std::nullopt;
    const auto snapshot = snapshot_dir(repo, *commit);
    for (const auto& file : files) {
        check_repo_file(file);
        std::error_code ec;
        // is_regular_file follows the link: a dangling link to a deleted blob is not a cached file.
        if (!std::filesystem::is_regular_file(snapshot / std::filesystem::path(file), ec)) return std::nullopt;
    }
    return snapshot;
}

} // namespace phototune
