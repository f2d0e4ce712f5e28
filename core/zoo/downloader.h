#pragma once
// Downloads model files from the Hugging Face Hub (or a mirror) into the hub cache, the way
// huggingface_hub does: a metadata request that does not follow redirects (commit, etag, size),
// then the download to blobs/{etag}.incomplete, resumed with Range after an interruption, checked
// against the size and, for LFS files whose etag is their sha256, the hash, and renamed into place.

#include "core/api/progress.h"
#include "core/zoo/hf_cache.h"

#include <filesystem>
#include <string>
#include <vector>

namespace phototune {

struct DownloadOptions {
    std::string endpoint;       // empty: $HF_ENDPOINT, else https://huggingface.co
    std::string token;          // empty: $HF_TOKEN; sent only to the endpoint, as a Bearer token
    ProgressCallback progress;  // (bytes done, bytes total) over the files still to fetch
    CancelToken cancel;         // checked while bytes flow; a cancelled download resumes next time
    long connect_timeout_s = 30;
    long stall_timeout_s = 60;  // give up when no byte arrives for this long
};

// Makes sure every file of repo@revision is in the cache and returns the snapshot folder holding
// them. Makes no network request when the cache already has them all (whoever downloaded them).
// Throws Error: NotFound (repo, revision or file), InvalidInput (token needed or refused),
// Io (network, disk), Cancelled.
std::filesystem::path download_model(const HfCache& cache, const std::string& repo, const std::string& revision,
                                     const std::vector<std::string>& files, const DownloadOptions& options = {});

} // namespace phototune
