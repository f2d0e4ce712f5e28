#pragma once
// What this machine offers for training: the processor, memory and NVIDIA GPUs (through NVML,
// loaded at run time so that the studio starts on machines without an NVIDIA driver). Used by
// the hardware wizard and printed for bug reports.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace phototune {

struct CpuFlags {
    bool avx2 = false;
    bool avx512f = false;
    bool avx512_bf16 = false;
    bool amx_bf16 = false;
};

struct GpuInfo {
    int index = 0;
    std::string name;
    std::uint64_t memory_total_bytes = 0;
    std::uint64_t memory_free_bytes = 0;
    int compute_capability_major = 0; // 0 when the driver did not say
    int compute_capability_minor = 0;
};

struct DeviceProbe {
    std::string cpu_model;
    int cpu_cores = 0;           // physical cores
    int cpu_logical_threads = 0;
    std::uint64_t ram_total_bytes = 0;
    std::uint64_t ram_available_bytes = 0;
    CpuFlags cpu_flags;

    std::string nvidia_driver_version; // empty without NVML
    std::vector<GpuInfo> gpus;
    // Whether this LibTorch can run on CUDA; the probe cannot tell, the torch side fills it in.
    std::optional<bool> torch_cuda_available;

    std::vector<std::string> notes; // normal but noteworthy answers, e.g. "no NVIDIA driver found"
};

// Never throws: what cannot be read is left at its default and explained in notes.
DeviceProbe probe_devices() noexcept;

// Parsers of the Linux /proc files, exposed for tests (they read whatever text they are given).
void parse_proc_cpuinfo(const std::string& text, DeviceProbe& probe);
void parse_proc_meminfo(const std::string& text, DeviceProbe& probe);

// A few lines for people: "CPU: ... (8 cores, 16 threads; AVX2, AVX-512F)\nRAM: ...\nGPU 0: ...".
std::string describe(const DeviceProbe& probe);

} // namespace phototune
