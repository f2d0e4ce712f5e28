#include "core/zoo/downloader.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace phototune {

namespace {

constexpr const char* kDefaultEndpoint = "https://huggingface.co";
constexpr int kMaxRelativeRedirects = 5;

std::string env_or(const std::string& explicit_value, const char* name, const char* fallback)
{
    if (!explicit_value.empty()) return explicit_value;
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : std::string(fallback);
}

std::string to_lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return std::string(text);
}

// ETag: W/"abc" -> abc
std::string normalize_etag(std::string etag)
{
    if (etag.starts_with("W/")) etag.erase(0, 2);
    etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
    return etag;
}

bool is_sha256_hex(std::string_view text)
{
    return text.size() == 64 &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string human_bytes(std::uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / 1e9);
    return bytes >= 100'000'000 ? text : std::to_string(bytes) + " bytes";
}

std::FILE* open_file(const std::filesystem::path& path, const char* mode)
{
#ifdef _WIN32
    const std::wstring wide_mode(mode, mode + std::strlen(mode));
    return _wfopen(path.c_str(), wide_mode.c_str());
#else
    return std::fopen(path.c_str(), mode);
#endif
}

void ensure_curl_initialised()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
    void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// Response headers of the last response (a new status line starts a new set).
struct Headers {
    std::map<std::string, std::string> values; // lower-case names
    std::string get(const std::string& name) const
    {
        const auto it = values.find(name);
        return it == values.end() ? std::string() : it->second;
    }
};

size_t collect_header(char* data, size_t size, size_t count, void* user)
{
    auto* headers = static_cast<Headers*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        headers->values.clear();
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        headers->values[to_lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    return size * count;
}

// Where a request goes and what identifies it in messages.
struct Request {
    const std::string& endpoint;
    const std::string& token;
    const std::string& repo;
    const std::string& revision;
    const std::string& file;
    const DownloadOptions& options;

    std::string what() const { return "'" + file + "' of '" + repo + "' (revision '" + revision + "')"; }
};

CurlHandle new_handle(const Request& request, const std::string& url, HeaderList& headers)
{
    CurlHandle curl(curl_easy_init());
    PHOTOTUNE_CHECK(curl, ErrorCategory::Internal, "libcurl could not create a transfer");
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    // Only http(s), also after redirects: a hostile mirror must not send us to file:// or others.
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, request.options.connect_timeout_s);
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, request.options.stall_timeout_s);
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "phototune-studio");
    headers.reset(curl_slist_append(nullptr, "Accept-Encoding: identity"));
    // The token goes to the hub only, never to the storage a download is redirected to (curl also
    // drops it on redirects to another host).
    if (!request.token.empty() && url.starts_with(request.endpoint + "/"))
        headers.reset(curl_slist_append(headers.release(), ("Authorization: Bearer " + request.token).c_str()));
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    return curl;
}

[[noreturn]] void throw_http_error(const Request& request, long status, const Headers& headers)
{
    const std::string code = headers.get("x-error-code");
    const std::string where = " on " + request.endpoint;
    if (status == 401 || status == 403) {
        if (code == "GatedRepo")
            throw Error(ErrorCategory::InvalidInput,
                        "'" + request.repo + "' is a gated model: accept its terms on its Hugging Face page, then "
                        "set HF_TOKEN to a token of that account");
        if (code == "RepoNotFound")
            throw Error(ErrorCategory::NotFound, "'" + request.repo + "' was not found" + where +
                                                     ", or it is private and this model needs a Hugging Face token: "
                                                     "check the name, or set HF_TOKEN");
        throw Error(ErrorCategory::InvalidInput,
                    request.token.empty()
                        ? "this model needs a Hugging Face token: set HF_TOKEN (downloading " + request.what() + ")"
                        : "the Hugging Face token in HF_TOKEN was refused for " + request.what() +
                              ": check that it is valid and may read this model");
    }
    if (status == 404) {
        if (code == "RepoNotFound")
            throw Error(ErrorCategory::NotFound, "the repository '" + request.repo + "' does not exist" + where +
                                                     " (looking for " + request.what() + ")");
        if (code == "RevisionNotFound")
            throw Error(ErrorCategory::NotFound, "the revision '" + request.revision + "' of '" + request.repo +
                                                     "' does not exist" + where + " (looking for '" + request.file + "')");
        throw Error(ErrorCategory::NotFound, "not found" + where + ": " + request.what());
    }
    throw Error(ErrorCategory::Io, "the server answered HTTP " + std::to_string(status) + " for " + request.what() +
                                       where + "; try again later");
}

[[noreturn]] void throw_network_error(const Request& request, CURLcode code, const char* detail, const std::string& tail)
{
    throw Error(ErrorCategory::Io, "downloading " + request.what() + " from " + request.endpoint + " failed: " +
                                       (detail && *detail ? std::string(detail) : curl_easy_strerror(code)) + tail);
}

struct FileMetadata {
    std::string commit;
    std::string etag;
    std::uint64_t size = 0;
    std::string url; // where the bytes are (the hub itself, or the storage it redirects to)
};

// "https://host:port/some/path" -> "https://host:port"
std::string origin_of(const std::string& url)
{
    const auto host = url.find("://");
    const auto path = url.find('/', host == std::string::npos ? 0 : host + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

std::string resolve_url(const Request& request)
{
    // A revision such as "refs/pr/1" is one path segment for the hub.
    std::string revision;
    for (char c : request.revision) revision += c == '/' ? std::string("%2F") : std::string(1, c);
    return request.endpoint + "/" + request.repo + "/resolve/" + revision + "/" + request.file;
}

// Like huggingface_hub's get_hf_file_metadata: HEAD without following redirects to the storage,
// because the hub's headers (commit, linked etag and size) are on the redirect itself.
FileMetadata fetch_metadata(const Request& request)
{
    std::string url = resolve_url(request);
    for (int hop = 0;; ++hop) {
        HeaderList header_list;
        CurlHandle curl = new_handle(request, url, header_list);
        Headers headers;
        char error[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
        curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, collect_header);
        curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &headers);
        curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
        const CURLcode code = curl_easy_perform(curl.get());
        if (code != CURLE_OK) throw_network_error(request, code, error, "; check the connection and run again");
        long status = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
        if (status >= 400) throw_http_error(request, status, headers);

        const std::string location = headers.get("location");
        const bool redirect = status >= 300 && status < 400;
        FileMetadata meta;
        meta.commit = headers.get("x-repo-commit");
        // Relative redirects stay on the hub (a renamed repository, the hub's resolve cache) and are
        // followed, as huggingface_hub does; the absolute one to the storage carries the metadata.
        if (redirect && location.starts_with("/") && hop < kMaxRelativeRedirects) {
            url = origin_of(request.endpoint) + location;
            continue;
        }
        meta.etag = normalize_etag(!headers.get("x-linked-etag").empty() ? headers.get("x-linked-etag") : headers.get("etag"));
        const std::string size = !headers.get("x-linked-size").empty() ? headers.get("x-linked-size") : headers.get("content-length");
        char* end = nullptr;
        meta.size = std::strtoull(size.c_str(), &end, 10);
        if (meta.commit.empty() || meta.etag.empty() || size.empty() || *end != '\0')
            throw Error(ErrorCategory::Io, "the server at " + request.endpoint + " did not say which commit, etag and size " +
                                               request.what() + " has; is HF_ENDPOINT a Hugging Face hub or mirror?");
        PHOTOTUNE_CHECK(is_commit_hash(meta.commit), ErrorCategory::Io,
                        "the server at " + request.endpoint + " sent a malformed commit hash for " + request.what());
        check_etag(meta.etag);
        if (!redirect) {
            meta.url = url;
        } else {
            PHOTOTUNE_CHECK(location.starts_with("https://") || location.starts_with("http://"), ErrorCategory::Io,
                            "the server redirected " + request.what() + " to a place that is not http(s): '" + location + "'");
            meta.url = location;
        }
        return meta;
    }
}

struct Sha256 {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    void reset() { EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr); }
    void update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx.get(), data, size); }
    std::string hex()
    {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(ctx.get(), digest, &length);
        static const char* digits = "0123456789abcdef";
        std::string text;
        for (unsigned int i = 0; i < length; ++i) {
            text += digits[digest[i] >> 4];
            text += digits[digest[i] & 15];
        }
        return text;
    }
};

// The state of one blob download, shared with curl's callbacks.
struct Transfer {
    const DownloadOptions* options = nullptr;
    CURL* curl = nullptr;
    std::FILE* file = nullptr;
    std::filesystem::path partial;
    Sha256* hash = nullptr;          // null when the etag is not a sha256
    std::uint64_t have = 0;          // bytes in the partial file
    std::uint64_t resumed_from = 0;  // the Range we asked for
    std::uint64_t done_before = 0;   // bytes of earlier files in this call
    std::uint64_t total_all = 0;
    bool checked_status = false;
    int write_errno = 0;
};

size_t write_body(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const size_t bytes = size * count;
    if (!t->checked_status) {
        t->checked_status = true;
        long status = 0;
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
        if (t->resumed_from > 0 && status != 206) {
            // The server ignored the Range: start the file again.
            std::fclose(t->file);
            t->file = open_file(t->partial, "wb");
            if (!t->file) {
                t->write_errno = errno;
                return 0;
            }
            t->have = 0;
            if (t->hash) t->hash->reset();
        }
    }
    if (std::fwrite(data, 1, bytes, t->file) != bytes) {
        t->write_errno = errno ? errno : EIO;
        return 0;
    }
    if (t->hash) t->hash->update(data, bytes);
    t->have += bytes;
    return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* t = static_cast<Transfer*>(user);
    if (t->options->cancel.cancel_requested()) return 1; // curl aborts with CURLE_ABORTED_BY_CALLBACK
    if (t->options->progress) t->options->progress(t->done_before + t->have, t->total_all);
    return 0;
}

void remove_quietly(const std::filesystem::path& path)
{
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

std::uint64_t hash_existing(const std::filesystem::path& path, Sha256& hash)
{
    std::unique_ptr<std::FILE, decltype(&std::fclose)> in(open_file(path, "rb"), &std::fclose);
    std::uint64_t total = 0;
    if (!in) return 0;
    std::vector<char> buffer(1 << 20);
    while (const size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get())) {
        hash.update(buffer.data(), n);
        total += n;
    }
    return total;
}

void close_and_flush(Transfer& t, const Request& request)
{
    if (!t.file) return;
    const bool flushed = std::fflush(t.file) == 0;
    const int flush_errno = errno;
#ifdef _WIN32
    _commit(_fileno(t.file));
#else
    fsync(fileno(t.file));
#endif
    const bool closed = std::fclose(t.file) == 0;
    t.file = nullptr;
    if (!flushed || !closed)
        throw Error(ErrorCategory::Io, "cannot write '" + path_for_display(t.partial) + "' (downloading " +
                                           request.what() + "): " + std::strerror(flushed ? errno : flush_errno));
}

// Fetches one blob into the cache (resuming blobs/{etag}.incomplete) and renames it into place.
void download_blob(const Request& request, const FileMetadata& meta, const std::filesystem::path& blob,
                   std::uint64_t done_before, std::uint64_t total_all)
{
    auto partial = blob;
    partial += ".incomplete";
    std::error_code ec;
    std::filesystem::create_directories(blob.parent_path(), ec);
    PHOTOTUNE_CHECK(!ec, ErrorCategory::Io,
                    "cannot create the folder '" + path_for_display(blob.parent_path()) + "': " + ec.message());

    Sha256 hash;
    hash.reset();
    const bool verify_hash = is_sha256_hex(meta.etag);
    Transfer t;
    t.options = &request.options;
    t.partial = partial;
    t.hash = verify_hash ? &hash : nullptr;
    t.done_before = done_before;
    t.total_all = total_all;
    t.have = std::filesystem::exists(partial, ec) ? std::filesystem::file_size(partial, ec) : 0;
    if (ec || t.have > meta.size) {
        remove_quietly(partial);
        t.have = 0;
    }
    if (verify_hash && t.have > 0) t.have = hash_existing(partial, hash);

    const auto space = std::filesystem::space(blob.parent_path(), ec);
    if (!ec && space.available < meta.size - t.have)
        throw Error(ErrorCategory::Io, "not enough free space for " + request.what() + ": it needs " +
                                           human_bytes(meta.size - t.have) + " more, '" +
                                           path_for_display(blob.parent_path()) + "' has " + human_bytes(space.available) +
                                           " free; free some space or set HF_HOME to a larger disk");

    if (t.have < meta.size) {
        t.file = open_file(partial, "ab");
        PHOTOTUNE_CHECK(t.file, ErrorCategory::Io,
                        "cannot write '" + path_for_display(partial) + "': " + std::strerror(errno));
        HeaderList header_list;
        CurlHandle curl = new_handle(request, meta.url, header_list);
        char error[CURL_ERROR_SIZE] = {};
        t.curl = curl.get();
        t.resumed_from = t.have;
        const std::string range = std::to_string(t.have) + "-";
        if (t.have > 0) curl_easy_setopt(curl.get(), CURLOPT_RANGE, range.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_body);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &t);
        curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
        const CURLcode code = curl_easy_perform(curl.get());
        close_and_flush(t, request);

        const std::string kept = " (" + std::to_string(t.have) + " of " + std::to_string(meta.size) + " bytes kept)";
        if (code == CURLE_ABORTED_BY_CALLBACK)
            throw Error(ErrorCategory::Cancelled, "download of " + request.what() + " cancelled; run again to resume" + kept);
        if (code == CURLE_WRITE_ERROR && t.write_errno != 0)
            throw Error(ErrorCategory::Io, "cannot write '" + path_for_display(partial) + "' (downloading " +
                                               request.what() + "): " + std::strerror(t.write_errno) +
                                               (t.write_errno == ENOSPC ? "; the disk is full, free some space and run again"
                                                                        : "; run again to resume"));
        if (code == CURLE_HTTP_RETURNED_ERROR) {
            long status = 0;
            curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
            if (status == 416) remove_quietly(partial); // our partial file does not match the server's
            throw_http_error(request, status, Headers{});
        }
        if (code != CURLE_OK) throw_network_error(request, code, error, "; run again to resume" + kept);
    }

    const std::uint64_t size = std::filesystem::file_size(partial, ec);
    if (!ec && size < meta.size)
        throw Error(ErrorCategory::Io, "the download of " + request.what() + " ended early (" + std::to_string(size) +
                                           " of " + std::to_string(meta.size) + " bytes); run again to resume");
    if (ec || size != meta.size || (verify_hash && hash.hex() != meta.etag)) {
        remove_quietly(partial);
        throw Error(ErrorCategory::Io, "the download of " + request.what() +
                                           " was corrupted (its size or sha256 does not match what the server "
                                           "announced); it was deleted, run again");
    }
    std::filesystem::rename(partial, blob, ec);
    PHOTOTUNE_CHECK(!ec, ErrorCategory::Io,
                    "cannot move '" + path_for_display(partial) + "' into place: " + ec.message());
}

} // namespace

std::filesystem::path download_model(const HfCache& cache, const std::string& repo, const std::string& revision,
                                     const std::vector<std::string>& files, const DownloadOptions& options)
{
    check_repo_id(repo);
    check_revision(revision);
    for (const auto& file : files) check_repo_file(file);
    if (auto cached = cache.find_cached_model(repo, revision, files)) return *cached;

    const char* offline = std::getenv("HF_HUB_OFFLINE");
    PHOTOTUNE_CHECK(!(offline && *offline && std::string(offline) != "0"), ErrorCategory::NotFound,
                    "'" + repo + "' (revision '" + revision + "') is not in the Hugging Face cache '" +
                        path_for_display(cache.hub_dir()) + "' and HF_HUB_OFFLINE is set; unset it to download");

    std::string endpoint = env_or(options.endpoint, "HF_ENDPOINT", kDefaultEndpoint);
    while (endpoint.ends_with("/")) endpoint.pop_back();
    PHOTOTUNE_CHECK(endpoint.starts_with("https://") || endpoint.starts_with("http://"), ErrorCategory::InvalidInput,
                    "the Hugging Face endpoint '" + endpoint + "' (HF_ENDPOINT) must start with https:// or http://");
    const std::string token = env_or(options.token, "HF_TOKEN", "");
    ensure_curl_initialised();

    // First every file's metadata, so that progress can report one total for the whole model.
    struct Pending {
        std::string file;
        FileMetadata meta;
        std::filesystem::path blob;
    };
    std::vector<Pending> pending;
    std::string commit;
    std::uint64_t total = 0;
    for (const auto& file : files) {
        const Request request{endpoint, token, repo, revision, file, options};
        PHOTOTUNE_CHECK(!options.cancel.cancel_requested(), ErrorCategory::Cancelled, "download of '" + repo + "' cancelled");
        FileMetadata meta = fetch_metadata(request);
        if (commit.empty()) commit = meta.commit;
        PHOTOTUNE_CHECK(meta.commit == commit, ErrorCategory::Io,
                        "revision '" + revision + "' of '" + repo + "' changed while downloading; run again");
        const auto blob = cache.blob_path(repo, meta.etag);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(blob, ec)) total += meta.size;
        pending.push_back({file, std::move(meta), blob});
    }

    std::uint64_t done = 0;
    for (const auto& item : pending) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(item.blob, ec)) {
            const Request request{endpoint, token, repo, revision, item.file, options};
            download_blob(request, item.meta, item.blob, done, total);
            done += item.meta.size;
        }
        cache.link_snapshot_file(repo, commit, item.file, item.meta.etag);
    }
    if (options.progress) options.progress(done, total);
    cache.write_ref(repo, revision, commit);
    return cache.snapshot_dir(repo, commit);
}

} // namespace phototune
