#include "core/model/cpu_runtime.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>

#include <filesystem>
#include <fstream>
#include <thread>

#if defined(__GLIBC__)
#include <dlfcn.h>
#include <malloc.h>
#elif defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#endif

namespace phototune {

BlasLibrary loaded_blas()
{
#if defined(__linux__)
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) continue;
        const std::string path = line.substr(slash);
        const auto name = std::filesystem::path(path).filename().string();
        if (name.rfind("libblas", 0) != 0 && name.rfind("libopenblas", 0) != 0 && name.rfind("libmkl", 0) != 0) continue;
        std::error_code error;
        const auto resolved = std::filesystem::canonical(path, error);
        const std::string shown = error ? path : resolved.string();
        if (shown.find("openblas") != std::string::npos) {
            if (shown.find("openmp") != std::string::npos) return {BlasKind::OpenBlasOpenMp, "OpenBLAS, OpenMP threads (" + shown + ")"};
            return {BlasKind::OpenBlasThreads, "OpenBLAS, own threads (" + shown + ")"};
        }
        if (shown.find("mkl") != std::string::npos) return {BlasKind::Mkl, "MKL (" + shown + ")"};
        return {BlasKind::Reference, "reference BLAS (" + shown + ") - slow: install libopenblas0-pthread"};
    }
#elif defined(_WIN32)
    // No /proc: a LibTorch built against OpenBLAS has loaded its DLL by now (OpenBLAS's Windows
    // builds use their own threads).
    if (GetModuleHandleA("libopenblas.dll")) return {BlasKind::OpenBlasThreads, "OpenBLAS, own threads (libopenblas.dll)"};
#endif
    // Not a separate library (Windows, a static build): what LibTorch was built with.
    const std::string config = at::show_config();
    const auto at = config.find("BLAS_INFO=");
    if (at == std::string::npos) return {};
    const std::string info = config.substr(at + 10, config.find_first_of(",\n", at) - at - 10);
    return {info.find("mkl") != std::string::npos ? BlasKind::Mkl : BlasKind::Unknown, info};
}

void configure_cpu_runtime(int threads)
{
    const int cores = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (loaded_blas().kind == BlasKind::OpenBlasThreads) {
        at::set_num_threads(1);
#if defined(__GLIBC__)
        // OpenBLAS's own setter, looked up at run time: only present when OpenBLAS is the BLAS.
        using SetThreads = void (*)(int);
        if (const auto set_blas_threads = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
            set_blas_threads(cores);
#elif defined(_WIN32)
        // A LibTorch built against OpenBLAS (the official builds link MKL in and never get here).
        using SetThreads = void (*)(int);
        if (const HMODULE openblas = GetModuleHandleA("libopenblas.dll"))
            if (const auto set_blas_threads =
                    reinterpret_cast<SetThreads>(GetProcAddress(openblas, "openblas_set_num_threads")))
                set_blas_threads(cores);
#endif
    } else {
        at::set_num_threads(cores);
    }
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#else
    // Windows' heap and other C libraries have no such knobs: nothing to tune.
#endif
}

void release_cpu_memory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#else
    // No glibc arena to trim elsewhere (on Windows the heap decommits on its own).
#endif
}

} // namespace phototune
