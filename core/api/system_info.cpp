#include "core/api/system_info.h"

#include "core/api/version.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace phototune {
namespace {

// The BLAS actually mapped into this process (Debian picks it through alternatives), so a user
// who runs with the slow reference BLAS can see it. Falls back to LibTorch's build setting.
std::string loaded_blas()
{
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) continue;
        const std::string path = line.substr(slash);
        const auto name = std::filesystem::path(path).filename().string();
        if (name.rfind("libblas", 0) == 0 || name.rfind("libopenblas", 0) == 0 || name.rfind("libmkl", 0) == 0) {
            std::error_code ec;
            const auto resolved = std::filesystem::canonical(path, ec);
            const std::string shown = ec ? path : resolved.string();
            if (shown.find("openblas") != std::string::npos)
                return "OpenBLAS (" + shown + ")";
            if (shown.find("mkl") != std::string::npos) return "MKL (" + shown + ")";
            return "reference BLAS (" + shown + ") - slow: install libopenblas0-pthread";
        }
    }
    const std::string config = at::show_config();
    const auto at = config.find("BLAS_INFO=");
    if (at != std::string::npos) return config.substr(at + 10, config.find_first_of(",\n", at) - at - 10);
    return "unknown";
}

} // namespace

BuildInfo build_info() noexcept
{
    BuildInfo info;
    info.studio_version = PHOTOTUNE_VERSION;
    info.libtorch_version = TORCH_VERSION;
#ifdef PHOTOTUNE_WITH_CUDA
    info.cuda_compiled = true;
#endif
    try {
        info.cuda_usable = torch::cuda::is_available();
        info.cuda_device_count = info.cuda_usable ? static_cast<int>(torch::cuda::device_count()) : 0;
        info.blas = loaded_blas();
        info.cpu_threads = at::get_num_threads();
    } catch (...) {
        info.blas = "unknown";
    }
    return info;
}

std::string version_report() noexcept
{
    const auto info = build_info();
    std::ostringstream text;
    text << "PhotoTune Studio " << info.studio_version << '\n'
         << "LibTorch " << info.libtorch_version << ", " << info.cpu_threads << " CPU threads\n"
         << "CUDA: " << (info.cuda_usable ? "usable, " + std::to_string(info.cuda_device_count) + " device(s)"
                                          : std::string("not usable"))
         << (info.cuda_compiled ? "" : " (built without CUDA code paths)") << '\n'
         << "BLAS: " << info.blas;
    return text.str();
}

} // namespace phototune
