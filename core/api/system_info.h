#pragma once
// What this build and machine can do, for --version, the About dialog and bug reports.

#include <string>

namespace phototune {

struct BuildInfo {
    std::string studio_version;
    std::string libtorch_version;
    bool cuda_compiled = false;   // built with PHOTOTUNE_WITH_CUDA
    bool cuda_usable = false;     // this LibTorch can run on a CUDA device right now
    int cuda_device_count = 0;
    std::string blas;             // the BLAS library LibTorch multiplies with (e.g. OpenBLAS pthread)
    int cpu_threads = 0;          // LibTorch intra-op threads
};

BuildInfo build_info() noexcept;

// Multi-line text: "phototune-cli 0.1.0\nLibTorch 1.13.1 ...".
std::string version_report() noexcept;

} // namespace phototune
