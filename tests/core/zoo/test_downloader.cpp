// The Hugging Face downloader against a local fake hub: cache layout, resume, checksums, errors,
// cancel, HF_ENDPOINT, and no request at all when the cache already has the model.
#include "local_http_server.h"

#include "core/util/error.h"
#include "core/util/files.h"
#include "core/zoo/downloader.h"
#include "core/zoo/hf_cache.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <map>

using namespace phototune;
using phototune::test::HttpRequest;
using phototune::test::HttpResponse;
using phototune::test::LocalHttpServer;

namespace {

const std::string kRepo = "studio-test/tiny-clip";
const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

std::string sha256_hex(const std::string& data)
{
    return QCryptographicHash::hash(QByteArray::fromStdString(data), QCryptographicHash::Sha256).toHex().toStdString();
}

// Serves files the way huggingface.co does: small files directly (git etag), LFS files through a
// redirect whose headers carry X-Linked-Etag / X-Linked-Size, bytes from a "CDN" path with Range.
struct FakeHub {
    struct File {
        std::string content;
        bool lfs = false;
        std::string etag; // defaults: sha256 for LFS, a 40-hex git-style id otherwise
    };
    std::map<std::string, File> files;
    int status_override = 0;
    std::string error_code;
    std::size_t cut_first_download_at = std::string::npos; // close the first LFS body early
    int lfs_downloads = 0;
    std::string cdn_base; // absolute URL prefix of the "CDN"

    std::string etag_of(const std::string& name) const
    {
        const File& file = files.at(name);
        if (!file.etag.empty()) return file.etag;
        return file.lfs ? sha256_hex(file.content) : std::string(40, 'a' + static_cast<char>(name.size() % 6));
    }

    HttpResponse operator()(const HttpRequest& request)
    {
        HttpResponse response;
        if (status_override) {
            response.status = status_override;
            if (!error_code.empty()) response.headers.push_back({"X-Error-Code", error_code});
            return response;
        }
        if (request.path.starts_with("/studio-test/old-name/resolve/main/")) { // a renamed repository
            response.status = 307;
            response.headers.push_back({"Location", "/" + kRepo + request.path.substr(std::strlen("/studio-test/old-name"))});
            return response;
        }
        const std::string resolve = "/" + kRepo + "/resolve/main/";
        if (request.path.starts_with(resolve)) {
            const std::string name = request.path.substr(resolve.size());
            if (!files.contains(name)) {
                response.status = 404;
                response.headers.push_back({"X-Error-Code", "EntryNotFound"});
                return response;
            }
            const File& file = files.at(name);
            response.headers.push_back({"X-Repo-Commit", kCommit});
            if (file.lfs) {
                response.status = 302;
                response.headers.push_back({"Location", cdn_base + "/cdn/" + name});
                response.headers.push_back({"X-Linked-Etag", "\"" + etag_of(name) + "\""});
                response.headers.push_back({"X-Linked-Size", std::to_string(file.content.size())});
            } else {
                response.headers.push_back({"ETag", "\"" + etag_of(name) + "\""});
                response.body = file.content;
            }
            return response;
        }
        if (request.path.starts_with("/cdn/")) {
            const File& file = files.at(request.path.substr(5));
            std::size_t from = 0;
            if (const auto range = request.headers.find("range"); range != request.headers.end()) {
                from = std::stoull(range->second.substr(range->second.find('=') + 1));
                response.status = 206;
                response.headers.push_back({"Content-Range", "bytes " + std::to_string(from) + "-" +
                                                                 std::to_string(file.content.size() - 1) + "/" +
                                                                 std::to_string(file.content.size())});
            }
            response.body = file.content.substr(from);
            if (lfs_downloads++ == 0) response.send_bytes = cut_first_download_at;
            return response;
        }
        response.status = 404;
        return response;
    }
};

std::string pattern(std::size_t size)
{
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 131 + i / 977) & 0xff);
    return data;
}

template <typename Function>
Error expect_error(Function&& function)
{
    try {
        function();
    } catch (const Error& e) {
        return e;
    }
    throw std::runtime_error("expected a phototune::Error");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

class TestDownloader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void downloads_into_hub_cache_layout();
    void cached_model_needs_no_request();
    void finds_model_cached_by_python_tools();
    void interrupted_download_resumes_with_range();
    void corrupted_download_is_refused_and_removed();
    void missing_file_names_repo_file_and_revision();
    void unauthorized_asks_for_token();
    void cancel_stops_and_keeps_partial_file();
    void hf_endpoint_is_honoured();
    void follows_relative_redirect_of_renamed_repo();
    void hostile_names_are_refused();
    void cache_dir_follows_environment();

private:
    FakeHub m_hub;
    std::unique_ptr<QTemporaryDir> m_home;
    std::filesystem::path hub_dir() const { return std::filesystem::path(m_home->path().toStdString()) / "hub"; }
};

void TestDownloader::init()
{
    m_hub = FakeHub{};
    m_hub.files["config.json"] = {R"({"model_type": "clip"})", false, ""};
    m_hub.files["model.safetensors"] = {pattern(300'000), true, ""};
    m_home = std::make_unique<QTemporaryDir>();
    qunsetenv("HF_ENDPOINT");
    qunsetenv("HF_TOKEN");
    qunsetenv("HF_HUB_OFFLINE");
}

void TestDownloader::downloads_into_hub_cache_layout()
{
    LocalHttpServer server(std::ref(m_hub));
    m_hub.cdn_base = server.url();
    const HfCache cache(hub_dir());
    DownloadOptions options;
    options.endpoint = server.url();
    options.token = "hf_secret";
    std::size_t last_done = 0, last_total = 0;
    options.progress = [&](std::size_t done, std::size_t total) {
        QVERIFY(done >= last_done);
        last_done = done;
        last_total = total;
    };
    const auto snapshot = download_model(cache, kRepo, "main", {"config.json", "model.safetensors"}, options);

    const auto repo_dir = hub_dir() / "models--studio-test--tiny-clip";
    QCOMPARE(snapshot, repo_dir / "snapshots" / kCommit);
    QCOMPARE(read_text_file(repo_dir / "refs" / "main"), kCommit);
    QCOMPARE(read_text_file(snapshot / "config.json"), m_hub.files["config.json"].content);
    QVERIFY(read_text_file(snapshot / "model.safetensors") == m_hub.files["model.safetensors"].content);
    const std::string lfs_etag = m_hub.etag_of("model.safetensors");
    QVERIFY(std::filesystem::is_symlink(snapshot / "model.safetensors"));
    QCOMPARE(std::filesystem::read_symlink(snapshot / "model.safetensors"), std::filesystem::path("../../blobs") / lfs_etag);
    QVERIFY(std::filesystem::is_regular_file(repo_dir / "blobs" / m_hub.etag_of("config.json")));
    for (const auto& entry : std::filesystem::directory_iterator(repo_dir / "blobs"))
        QVERIFY2(entry.path().extension() != ".incomplete", entry.path().c_str());
    QCOMPARE(last_total, std::size_t{300'000 + m_hub.files["config.json"].content.size()});
    QCOMPARE(last_done, last_total);

    // The token went to the hub, as a Bearer token.
    const auto requests = server.requests();
    QCOMPARE(requests.front().method, std::string("HEAD"));
    QCOMPARE(requests.front().headers.at("authorization"), std::string("Bearer hf_secret"));
}

void TestDownloader::cached_model_needs_no_request()
{
    LocalHttpServer server(std::ref(m_hub));
    m_hub.cdn_base = server.url();
    const HfCache cache(hub_dir());
    DownloadOptions options;
    options.endpoint = server.url();
    const auto first = download_model(cache, kRepo, "main", {"config.json", "model.safetensors"}, options);
    const auto count = server.requests().size();
    const auto second = download_model(cache, kRepo, "main", {"config.json", "model.safetensors"}, options);
    QCOMPARE(second, first);
    QCOMPARE(server.requests().size(), count);
    QCOMPARE(cache.find_cached_model(kRepo, "main", {"config.json"}).value(), first);
    QVERIFY(!cache.find_cached_model(kRepo, "main", {"vocab.json"}));
    QVERIFY(!cache.find_cached_model(kRepo, "v2", {"config.json"}));
}

void TestDownloader::finds_model_cached_by_python_tools()
{
    // The layout huggingface_hub writes: relative symlinks from snapshots into blobs, refs/main.
    const auto repo_dir = hub_dir() / "models--openai--clip-vit-base-patch32";
    const std::string commit(40, 'c');
    std::filesystem::create_directories(repo_dir / "blobs");
    std::filesystem::create_directories(repo_dir / "snapshots" / commit);
    std::filesystem::create_directories(repo_dir / "refs");
    write_file_atomic(repo_dir / "blobs" / std::string(64, 'e'), "weights");
    write_file_atomic(repo_dir / "refs" / "main", commit);
    std::filesystem::create_symlink(std::filesystem::path("../../blobs") / std::string(64, 'e'),
                                    repo_dir / "snapshots" / commit / "model.safetensors");

    LocalHttpServer server(std::ref(m_hub));
    DownloadOptions options;
    options.endpoint = server.url();
    const auto snapshot = download_model(HfCache(hub_dir()), "openai/clip-vit-base-patch32", "main",
                                         {"model.safetensors"}, options);
    QCOMPARE(snapshot, repo_dir / "snapshots" / commit);
    QCOMPARE(server.requests().size(), std::size_t{0});
    // Pinning the commit itself needs no ref; a dangling link is not a cached file.
    QVERIFY(HfCache(hub_dir()).find_cached_model("openai/clip-vit-base-patch32", commit, {"model.safetensors"}));
    std::filesystem::remove(repo_dir / "blobs" / std::string(64, 'e'));
    QVERIFY(!HfCache(hub_dir()).find_cached_model("openai/clip-vit-base-patch32", "main", {"model.safetensors"}));
}

void TestDownloader::interrupted_download_resumes_with_range()
{
    m_hub.cut_first_download_at = 120'000;
    LocalHttpServer server(std::ref(m_hub));
    m_hub.cdn_base = server.url();
    const HfCache cache(hub_dir());
    DownloadOptions options;
    options.endpoint = server.url();
    const Error error = expect_error([&] { download_model(cache, kRepo, "main", {"model.safetensors"}, options); });
    QCOMPARE(error.category(), ErrorCategory::Io);
    QVERIFY2(contains(error.what(), "run again to resume"), error.what());
    const auto partial = cache.blob_path(kRepo, m_hub.etag_of("model.safetensors")).string() + ".incomplete";
    QCOMPARE(std::filesystem::file_size(partial), std::uintmax_t{120'000});

    const auto snapshot = download_model(cache, kRepo, "main", {"model.safetensors"}, options);
    QVERIFY(read_text_file(snapshot / "model.safetensors") == m_hub.files["model.safetensors"].content);
    QVERIFY(!std::filesystem::exists(partial));
    const auto requests = server.requests();
    QCOMPARE(requests.back().path, std::string("/cdn/model.safetensors"));
    QCOMPARE(requests.back().headers.at("range"), std::string("bytes=120000-"));
}

void TestDownloader::corrupted_download_is_refused_and_removed()
{
    m_hub.files["model.safetensors"].etag = sha256_hex("something else entirely");
    LocalHttpServer server(std::ref(m_hub));
    m_hub.cdn_base = server.url();
    const HfCache cache(hub_dir());
    DownloadOptions options;
    options.endpoint = server.url();
    const Error error = expect_error([&] { download_model(cache, kRepo, "main", {"model.safetensors"}, options); });
    QCOMPARE(error.category(), ErrorCategory::Io);
    QVERIFY2(contains(error.what(), "corrupted") && contains(error.what(), "deleted, run again"), error.what());
    const auto blob = cache.blob_path(kRepo, m_hub.files["model.safetensors"].etag);
    QVERIFY(!std::filesystem::exists(blob));
    QVERIFY(!std::filesystem::exists(blob.string() + ".incomplete"));
    QVERIFY(!cache.find_cached_model(kRepo, "main", {"model.safetensors"}));
}

void TestDownloader::missing_file_names_repo_file_and_revision()
{
    LocalHttpServer server(std::ref(m_hub));
    DownloadOptions options;
    options.endpoint = server.url();
    const Error error = expect_error([&] { download_model(HfCache(hub_dir()), kRepo, "main", {"vocab.json"}, options); });
    QCOMPARE(error.category(), ErrorCategory::NotFound);
    QVERIFY2(contains(error.what(), "vocab.json") && contains(error.what(), kRepo) && contains(error.what(), "'main'"),
             error.what());
}

void TestDownloader::unauthorized_asks_for_token()
{
    m_hub.status_override = 401;
    LocalHttpServer server(std::ref(m_hub));
    DownloadOptions options;
    options.endpoint = server.url();
    const Error error = expect_error([&] { download_model(HfCache(hub_dir()), kRepo, "main", {"config.json"}, options); });
    QCOMPARE(error.category(), ErrorCategory::InvalidInput);
    QVERIFY2(contains(error.what(), "needs a Hugging Face token: set HF_TOKEN"), error.what());

    m_hub.status_override = 403;
    m_hub.error_code = "GatedRepo";
    const Error gated = expect_error([&] { download_model(HfCache(hub_dir()), kRepo, "main", {"config.json"}, options); });
    QVERIFY2(contains(gated.what(), "gated") && contains(gated.what(), "HF_TOKEN"), gated.what());
}

void TestDownloader::cancel_stops_and_keeps_partial_file()
{
    m_hub.files["model.safetensors"].content = pattern(4 << 20);
    LocalHttpServer server(std::ref(m_hub));
    m_hub.cdn_base = server.url();
    const HfCache cache(hub_dir());
    DownloadOptions options;
    options.endpoint = server.url();
    options.progress = [&](std::size_t done, std::size_t) {
        if (done > 0) options.cancel.request_cancel();
    };
    const Error error = expect_error([&] { download_model(cache, kRepo, "main", {"model.safetensors"}, options); });
    QCOMPARE(error.category(), ErrorCategory::Cancelled);
    const auto blob = cache.blob_path(kRepo, m_hub.etag_of("model.safetensors"));
    QVERIFY(!std::filesystem::exists(blob));
    QVERIFY(std::filesystem::file_size(blob.string() + ".incomplete") < (4u << 20));
}

void TestDownloader::hf_endpoint_is_honoured()
{
    LocalHttpServer server(std::ref(m_hub));
    m_hub.cdn_base = server.url();
    qputenv("HF_ENDPOINT", QByteArray::fromStdString(server.url() + "/"));
    qputenv("HF_TOKEN", "hf_from_env");
    const auto snapshot = download_model(HfCache(hub_dir()), kRepo, "main", {"config.json"});
    qunsetenv("HF_ENDPOINT");
    qunsetenv("HF_TOKEN");
    QVERIFY(std::filesystem::exists(snapshot / "config.json"));
    const auto requests = server.requests();
    QVERIFY(!requests.empty());
    QCOMPARE(requests.front().path, "/" + kRepo + "/resolve/main/config.json");
    QCOMPARE(requests.front().headers.at("authorization"), std::string("Bearer hf_from_env"));
}

void TestDownloader::follows_relative_redirect_of_renamed_repo()
{
    LocalHttpServer server(std::ref(m_hub));
    m_hub.cdn_base = server.url();
    DownloadOptions options;
    options.endpoint = server.url();
    const auto snapshot = download_model(HfCache(hub_dir()), "studio-test/old-name", "main",
                                         {"config.json", "model.safetensors"}, options);
    QVERIFY(read_text_file(snapshot / "model.safetensors") == m_hub.files["model.safetensors"].content);
    QVERIFY(snapshot.string().find("models--studio-test--old-name") != std::string::npos);
}

void TestDownloader::hostile_names_are_refused()
{
    LocalHttpServer server(std::ref(m_hub));
    DownloadOptions options;
    options.endpoint = server.url();
    const HfCache cache(hub_dir());
    for (const auto& [repo, file] : std::vector<std::pair<std::string, std::string>>{
             {"../evil", "config.json"}, {"org/name/extra", "config.json"}, {kRepo, "../../../etc/passwd"},
             {kRepo, "/etc/passwd"}, {kRepo, "a//b"}, {"", "config.json"}}) {
        const Error error = expect_error([&] { download_model(cache, repo, "main", {file}, options); });
        QCOMPARE(error.category(), ErrorCategory::InvalidInput);
    }
    options.endpoint = "file:///etc";
    QCOMPARE(expect_error([&] { download_model(cache, kRepo, "main", {"config.json"}, options); }).category(),
             ErrorCategory::InvalidInput);
    QCOMPARE(server.requests().size(), std::size_t{0});
}

void TestDownloader::cache_dir_follows_environment()
{
    qunsetenv("HF_HUB_CACHE");
    qputenv("HF_HOME", "/tmp/some-hf-home");
    QCOMPARE(default_hf_hub_cache_dir(), std::filesystem::path("/tmp/some-hf-home/hub"));
    qputenv("HF_HUB_CACHE", "/tmp/explicit-hub");
    QCOMPARE(default_hf_hub_cache_dir(), std::filesystem::path("/tmp/explicit-hub"));
    qunsetenv("HF_HUB_CACHE");
    qunsetenv("HF_HOME");
    qunsetenv("XDG_CACHE_HOME");
    qputenv("HOME", "/home/someone");
    QCOMPARE(default_hf_hub_cache_dir(), std::filesystem::path("/home/someone/.cache/huggingface/hub"));
}

QTEST_GUILESS_MAIN(TestDownloader)
#include "test_downloader.moc"
