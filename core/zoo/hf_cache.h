#pragma once
// The Hugging Face hub cache, laid out exactly as huggingface_hub lays it out, so that models
// fetched by Python tools are found here and models fetched here are found by them:
//
//   <hub>/models--{org}--{name}/refs/{revision}          the commit hash the revision points at
//   <hub>/models--{org}--{name}/blobs/{etag}             file contents, named by their etag
//   <hub>/models--{org}--{name}/snapshots/{commit}/{file} links to ../../blobs/{etag}
//
// Where symbolic links cannot be made (Windows without developer mode) the snapshot holds a hard
// link or, failing that, a copy.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

// $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
// ~/.cache/huggingface/hub (the same order huggingface_hub uses).
std::filesystem::path default_hf_hub_cache_dir();

// Refuse names that could escape the cache (they come from users, catalogues and servers).
void check_repo_id(std::string_view repo);         // "org/name"
void check_revision(std::string_view revision);    // branch, tag or commit
void check_repo_file(std::string_view file);       // relative path inside the repository
void check_etag(std::string_view etag);            // a blob file name
bool is_commit_hash(std::string_view text) noexcept; // 40 lower-case hex digits

class HfCache {
public:
    explicit HfCache(std::filesystem::path hub_dir = default_hf_hub_cache_dir());

    const std::filesystem::path& hub_dir() const noexcept { return m_hub; }
    std::filesystem::path repo_dir(std::string_view repo) const;
    std::filesystem::path blob_path(std::string_view repo, std::string_view etag) const;
    std::filesystem::path snapshot_dir(std::string_view repo, std::string_view commit) const;

    // The commit a revision resolves to: the revision itself if it is a commit hash, else the
    // content of refs/{revision}; nullopt if the cache does not know the revision.
    std::optional<std::string> resolve_revision(std::string_view repo, std::string_view revision) const;
    void write_ref(std::string_view repo, std::string_view revision, std::string_view commit) const;

    // Makes snapshots/{commit}/{file} point at blobs/{etag} (replacing what was there).
    void link_snapshot_file(std::string_view repo, std::string_view commit, std::string_view file,
                            std::string_view etag) const;

    // The snapshot folder if every file of the revision is in the cache, else nullopt.
    std::optional<std::filesystem::path> find_cached_model(std::string_view repo, std::string_view revision,
                                                           const std::vector<std::string>& files) const;

private:
    std::filesystem::path m_hub;
};

} // namespace phototune
