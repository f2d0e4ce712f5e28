#include "core/util/files.h"

#include "core/util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <system_error>

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace phototune {

std::string path_for_display(const std::filesystem::path& path)
{
    const auto u8 = path.u8string();
    return std::string(u8.begin(), u8.end());
}

std::filesystem::path user_cache_dir()
{
    const auto from_env = [](const char* name) -> std::filesystem::path {
        const char* value = std::getenv(name);
        return value && *value ? std::filesystem::path(value) : std::filesystem::path();
    };
    if (auto dir = from_env("PHOTOTUNE_CACHE_DIR"); !dir.empty()) return dir;
#ifdef _WIN32
    if (auto local = from_env("LOCALAPPDATA"); !local.empty()) return local / "phototune";
#endif
    if (auto xdg = from_env("XDG_CACHE_HOME"); !xdg.empty()) return xdg / "phototune";
    const auto home = from_env("HOME");
    return (home.empty() ? std::filesystem::temp_directory_path() : home / ".cache") / "phototune";
}

namespace {

std::ifstream open_for_reading(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        throw Error(exists ? ErrorCategory::Io : ErrorCategory::NotFound,
                    "cannot open '" + path_for_display(path) + "': " +
                        (exists ? std::strerror(errno) : "no such file"));
    }
    return in;
}

template <typename Container>
Container read_all(const std::filesystem::path& path)
{
    auto in = open_for_reading(path);
    Container data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw Error(ErrorCategory::Io, "error while reading '" + path_for_display(path) + "'");
    return data;
}

void flush_to_disk(std::FILE* file)
{
#ifdef _WIN32
    _commit(_fileno(file));
#else
    fsync(fileno(file));
#endif
}

} // namespace

std::string read_text_file(const std::filesystem::path& path)
{
    return read_all<std::string>(path);
}

std::vector<std::uint8_t> read_binary_file(const std::filesystem::path& path)
{
    auto text = read_all<std::string>(path);
    return {text.begin(), text.end()};
}

void write_file_atomic(const std::filesystem::path& path, std::span<const std::span<const std::uint8_t>> pieces)
{
    const auto display = path_for_display(path);
    std::random_device random;
    auto temp = path;
    temp += ".tmp-" + std::to_string(random());

#ifdef _WIN32
    std::FILE* file = _wfopen(temp.c_str(), L"wb");
#else
    std::FILE* file = std::fopen(temp.c_str(), "wb");
#endif
    if (!file)
        throw Error(ErrorCategory::Io, "cannot write '" + display + "': " + std::strerror(errno) +
                                           " (check that the folder exists and is writable)");
    bool ok = true;
    for (const auto& piece : pieces) {
        if (!piece.empty() && std::fwrite(piece.data(), 1, piece.size(), file) != piece.size()) {
            ok = false;
            break;
        }
    }
    const int saved_errno = errno;
    ok = ok && std::fflush(file) == 0;
    if (ok) flush_to_disk(file);
    ok = (std::fclose(file) == 0) && ok;
    std::error_code ec;
    if (!ok) {
        std::filesystem::remove(temp, ec);
        throw Error(ErrorCategory::Io, "could not write '" + display + "': " + std::strerror(saved_errno ? saved_errno : errno) +
                                           " (is the disk full?); the previous file was left as it was");
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw Error(ErrorCategory::Io, "could not replace '" + display + "': " + ec.message());
    }
}

void write_file_atomic(const std::filesystem::path& path, std::string_view text)
{
    const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    const std::span<const std::uint8_t> pieces[] = {bytes};
    write_file_atomic(path, pieces);
}

} // namespace phototune
