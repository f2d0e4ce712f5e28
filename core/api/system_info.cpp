#include "core/api/system_info.h"

#include "core/api/resources.h"
#include "core/api/version.h"
#include "core/model/cpu_runtime.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <sstream>

namespace phototune {

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
        info.blas = loaded_blas().description;
        info.cpu_threads = at::get_num_threads();
    } catch (...) {
        info.blas = "unknown";
    }
    return info;
}

std::string version_report() noexcept
{
    const auto info = build_info();
    const auto resources = resources_dir();
    std::ostringstream text;
    text << "PhotoTune Studio " << info.studio_version << '\n'
         << "LibTorch " << info.libtorch_version << ", " << info.cpu_threads << " CPU threads\n"
         << "CUDA: " << (info.cuda_usable ? "usable, " + std::to_string(info.cuda_device_count) + " device(s)"
                                          : std::string("not usable"))
         << (info.cuda_compiled ? "" : " (built without CUDA code paths)") << '\n'
         << "BLAS: " << info.blas << '\n'
         // Where the demo photos and tokenizer were found: tells an installed studio from a build tree.
         << "Resources: " << (resources.empty() ? std::string("not found (set PHOTOTUNE_RESOURCES)")
                                                 : reinterpret_cast<const char*>(resources.u8string().c_str()));
    return text.str();
}

} // namespace phototune
