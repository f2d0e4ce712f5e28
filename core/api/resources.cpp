#include "core/api/resources.h"

#include <cstdlib>
#include <system_error>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#endif

namespace phototune {
namespace {

std::filesystem::path executable_dir()
{
#ifdef _WIN32
    wchar_t buffer[MAX_PATH * 4];
    const DWORD length = GetModuleFileNameW(nullptr, buffer, static_cast<DWORD>(std::size(buffer)));
    return length ? std::filesystem::path(std::wstring(buffer, length)).parent_path() : std::filesystem::path();
#else
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
#endif
}

} // namespace

std::filesystem::path resources_dir() noexcept
{
    try {
        std::vector<std::filesystem::path> candidates;
        if (const char* env = std::getenv("PHOTOTUNE_RESOURCES"); env && *env) candidates.emplace_back(env);
        if (const auto exe = executable_dir(); !exe.empty()) {
            candidates.push_back(exe.parent_path() / "share" / "phototune");
            candidates.push_back(exe / "resources");  // Windows: next to the executable
        }
        candidates.emplace_back(PHOTOTUNE_SOURCE_RESOURCES_DIR);
        for (const auto& candidate : candidates) {
            std::error_code ec;
            if (std::filesystem::is_directory(candidate / "demo", ec)) return candidate;
        }
    } catch (...) {
    }
    return {};
}

std::filesystem::path demo_photos_dir() noexcept
{
    const auto root = resources_dir();
    return root.empty() ? root : root / "demo";
}

} // namespace phototune
