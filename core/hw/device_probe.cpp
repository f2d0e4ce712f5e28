#include "core/hw/device_probe.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <intrin.h>
#include <immintrin.h>
#else
#include <dlfcn.h>
#include <unistd.h>
#endif

namespace phototune {

namespace {

std::string trim(const std::string& text)
{
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return {};
    return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string gib(std::uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return text;
}

// NVML, declared here rather than through nvml.h so that building needs no CUDA toolkit.
// Signatures as in NVML's public API (all return nvmlReturn_t, 0 = NVML_SUCCESS).
using NvmlReturn = int;
using NvmlDevice = void*;
struct NvmlMemory {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
constexpr NvmlReturn kNvmlSuccess = 0;

struct Nvml {
    NvmlReturn (*init)() = nullptr;
    NvmlReturn (*shutdown)() = nullptr;
    NvmlReturn (*device_count)(unsigned int*) = nullptr;
    NvmlReturn (*handle_by_index)(unsigned int, NvmlDevice*) = nullptr;
    NvmlReturn (*name)(NvmlDevice, char*, unsigned int) = nullptr;
    NvmlReturn (*memory_info)(NvmlDevice, NvmlMemory*) = nullptr;
    NvmlReturn (*driver_version)(char*, unsigned int) = nullptr;
    NvmlReturn (*compute_capability)(NvmlDevice, int*, int*) = nullptr;
};

#ifdef _WIN32
constexpr const char* kNvmlLibrary = "nvml.dll";
void* open_library() { return reinterpret_cast<void*>(LoadLibraryA(kNvmlLibrary)); }
void* symbol(void* library, const char* name)
{
    return reinterpret_cast<void*>(GetProcAddress(static_cast<HMODULE>(library), name));
}
void close_library(void* library) { FreeLibrary(static_cast<HMODULE>(library)); }
#else
constexpr const char* kNvmlLibrary = "libnvidia-ml.so.1";
void* open_library() { return dlopen(kNvmlLibrary, RTLD_NOW | RTLD_LOCAL); }
void* symbol(void* library, const char* name) { return dlsym(library, name); }
void close_library(void* library) { dlclose(library); }
#endif

template <typename Function>
bool resolve(void* library, const char* name, Function& function)
{
    function = reinterpret_cast<Function>(symbol(library, name));
    return function != nullptr;
}

void probe_nvidia(DeviceProbe& probe)
{
    void* library = open_library();
    if (!library) {
        probe.notes.push_back(std::string("no NVIDIA driver found (") + kNvmlLibrary +
                              " is not installed): training runs on the CPU");
        return;
    }
    Nvml nvml;
    const bool complete = resolve(library, "nvmlInit_v2", nvml.init) && resolve(library, "nvmlShutdown", nvml.shutdown) &&
                          resolve(library, "nvmlDeviceGetCount_v2", nvml.device_count) &&
                          resolve(library, "nvmlDeviceGetHandleByIndex_v2", nvml.handle_by_index) &&
                          resolve(library, "nvmlDeviceGetName", nvml.name) &&
                          resolve(library, "nvmlDeviceGetMemoryInfo", nvml.memory_info) &&
                          resolve(library, "nvmlSystemGetDriverVersion", nvml.driver_version);
    resolve(library, "nvmlDeviceGetCudaComputeCapability", nvml.compute_capability); // older drivers lack it
    if (!complete) {
        probe.notes.push_back(std::string(kNvmlLibrary) + " is too old to report GPUs; update the NVIDIA driver");
        close_library(library);
        return;
    }
    if (const NvmlReturn status = nvml.init(); status != kNvmlSuccess) {
        probe.notes.push_back("the NVIDIA driver is installed but did not start (NVML error " + std::to_string(status) +
                              "); is a GPU present and the driver loaded?");
        close_library(library);
        return;
    }
    char version[96] = {};
    if (nvml.driver_version(version, sizeof version) == kNvmlSuccess) probe.nvidia_driver_version = version;
    unsigned int count = 0;
    if (nvml.device_count(&count) != kNvmlSuccess) count = 0;
    for (unsigned int i = 0; i < count; ++i) {
        NvmlDevice device = nullptr;
        if (nvml.handle_by_index(i, &device) != kNvmlSuccess) {
            probe.notes.push_back("GPU " + std::to_string(i) + " could not be queried (no permission?)");
            continue;
        }
        GpuInfo gpu;
        gpu.index = static_cast<int>(i);
        char name[96] = {};
        if (nvml.name(device, name, sizeof name) == kNvmlSuccess) gpu.name = name;
        NvmlMemory memory{};
        if (nvml.memory_info(device, &memory) == kNvmlSuccess) {
            gpu.memory_total_bytes = memory.total;
            gpu.memory_free_bytes = memory.free;
        }
        if (nvml.compute_capability)
            nvml.compute_capability(device, &gpu.compute_capability_major, &gpu.compute_capability_minor);
        probe.gpus.push_back(std::move(gpu));
    }
    if (probe.gpus.empty()) probe.notes.push_back("the NVIDIA driver reports no GPU: training runs on the CPU");
    nvml.shutdown();
    close_library(library);
}

#ifdef _WIN32
void probe_cpu_and_memory(DeviceProbe& probe)
{
    int regs[4] = {};
    __cpuid(regs, 0x80000000);
    if (static_cast<unsigned>(regs[0]) >= 0x80000004u) {
        char brand[49] = {};
        for (int leaf = 0; leaf < 3; ++leaf) {
            __cpuid(regs, 0x80000002 + leaf);
            std::memcpy(brand + 16 * leaf, regs, 16);
        }
        probe.cpu_model = trim(brand);
    }
    __cpuid(regs, 0);
    const int max_leaf = regs[0];
    __cpuid(regs, 1);
    const bool osxsave = (regs[2] >> 27) & 1;
    // The processor having an extension is not enough: the OS must save its registers (XCR0).
    const unsigned long long xcr0 = osxsave ? _xgetbv(0) : 0;
    const bool os_avx = (xcr0 & 0x6) == 0x6;
    const bool os_avx512 = os_avx && (xcr0 & 0xE0) == 0xE0;
    const bool os_amx = (xcr0 & 0x60000) == 0x60000;
    if (max_leaf >= 7) {
        __cpuidex(regs, 7, 0);
        probe.cpu_flags.avx2 = os_avx && ((regs[1] >> 5) & 1);
        probe.cpu_flags.avx512f = os_avx512 && ((regs[1] >> 16) & 1);
        probe.cpu_flags.amx_bf16 = os_amx && ((regs[3] >> 22) & 1);
        __cpuidex(regs, 7, 1);
        probe.cpu_flags.avx512_bf16 = os_avx512 && ((regs[0] >> 5) & 1);
    }

    DWORD length = 0;
    GetLogicalProcessorInformation(nullptr, &length);
    std::vector<SYSTEM_LOGICAL_PROCESSOR_INFORMATION> info(length / sizeof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION) + 1);
    if (GetLogicalProcessorInformation(info.data(), &length)) {
        info.resize(length / sizeof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION));
        for (const auto& entry : info) {
            if (entry.Relationship != RelationProcessorCore) continue;
            ++probe.cpu_cores;
            for (ULONG_PTR mask = entry.ProcessorMask; mask; mask &= mask - 1) ++probe.cpu_logical_threads;
        }
    }
    MEMORYSTATUSEX memory{};
    memory.dwLength = sizeof memory;
    if (GlobalMemoryStatusEx(&memory)) {
        probe.ram_total_bytes = memory.ullTotalPhys;
        probe.ram_available_bytes = memory.ullAvailPhys;
    }
}
#else
std::string read_proc(const char* path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void probe_cpu_and_memory(DeviceProbe& probe)
{
    parse_proc_cpuinfo(read_proc("/proc/cpuinfo"), probe);
    parse_proc_meminfo(read_proc("/proc/meminfo"), probe);
    if (const long online = sysconf(_SC_NPROCESSORS_ONLN); online > 0) probe.cpu_logical_threads = static_cast<int>(online);
}
#endif

} // namespace

void parse_proc_cpuinfo(const std::string& text, DeviceProbe& probe)
{
    std::istringstream in(text);
    std::string line;
    std::set<std::pair<std::string, std::string>> cores; // (physical id, core id)
    std::string physical_id;
    int processors = 0;
    bool flags_read = false; // every processor lists the same flags; read the first list
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = trim(line.substr(0, colon));
        const std::string value = trim(line.substr(colon + 1));
        if (key == "processor") {
            ++processors;
        } else if (key == "model name" && probe.cpu_model.empty()) {
            probe.cpu_model = value;
        } else if (key == "physical id") {
            physical_id = value;
        } else if (key == "core id") {
            cores.insert({physical_id, value});
        } else if (key == "flags" && !flags_read) {
            flags_read = true;
            std::istringstream flags(value);
            for (std::string flag; flags >> flag;) {
                if (flag == "avx2") probe.cpu_flags.avx2 = true;
                else if (flag == "avx512f") probe.cpu_flags.avx512f = true;
                else if (flag == "avx512_bf16") probe.cpu_flags.avx512_bf16 = true;
                else if (flag == "amx_bf16") probe.cpu_flags.amx_bf16 = true;
            }
        }
    }
    probe.cpu_logical_threads = processors;
    // Without topology lines (some VMs, ARM) count each logical processor as a core.
    probe.cpu_cores = cores.empty() ? processors : static_cast<int>(cores.size());
}

void parse_proc_meminfo(const std::string& text, DeviceProbe& probe)
{
    std::istringstream in(text);
    std::string key;
    unsigned long long kib = 0;
    std::string unit;
    std::uint64_t free_kib = 0;
    bool has_available = false;
    while (in >> key >> kib) {
        std::getline(in, unit); // " kB" or nothing
        if (key == "MemTotal:") probe.ram_total_bytes = kib * 1024;
        else if (key == "MemAvailable:") {
            probe.ram_available_bytes = kib * 1024;
            has_available = true;
        } else if (key == "MemFree:") free_kib = kib;
    }
    if (!has_available) probe.ram_available_bytes = free_kib * 1024; // kernels before 3.14
}

DeviceProbe probe_devices() noexcept
{
    DeviceProbe probe;
    try {
        probe_cpu_and_memory(probe);
        if (probe.cpu_logical_threads <= 0) probe.cpu_logical_threads = static_cast<int>(std::thread::hardware_concurrency());
        if (probe.cpu_cores <= 0) probe.cpu_cores = probe.cpu_logical_threads;
        if (probe.cpu_model.empty()) probe.notes.push_back("the processor did not report its name");
        if (probe.ram_total_bytes == 0) probe.notes.push_back("the amount of memory could not be read");
        probe_nvidia(probe);
    } catch (const std::exception& e) {
        probe.notes.push_back(std::string("the hardware probe stopped early: ") + e.what());
    }
    return probe;
}

std::string describe(const DeviceProbe& probe)
{
    std::string text = "CPU: " + (probe.cpu_model.empty() ? std::string("unknown") : probe.cpu_model) + " (" +
                       std::to_string(probe.cpu_cores) + " cores, " + std::to_string(probe.cpu_logical_threads) + " threads";
    std::string flags;
    const std::pair<bool, const char*> named[] = {{probe.cpu_flags.avx2, "AVX2"},
                                                  {probe.cpu_flags.avx512f, "AVX-512F"},
                                                  {probe.cpu_flags.avx512_bf16, "AVX-512 BF16"},
                                                  {probe.cpu_flags.amx_bf16, "AMX BF16"}};
    for (const auto& [present, name] : named)
        if (present) flags += std::string(flags.empty() ? "" : ", ") + name;
    text += (flags.empty() ? "" : "; " + flags) + ")\n";
    text += "RAM: " + gib(probe.ram_total_bytes) + " (" + gib(probe.ram_available_bytes) + " available)\n";
    for (const auto& gpu : probe.gpus) {
        text += "GPU " + std::to_string(gpu.index) + ": " + gpu.name + ", " + gib(gpu.memory_total_bytes) + " (" +
                gib(gpu.memory_free_bytes) + " free)";
        if (gpu.compute_capability_major > 0)
            text += ", compute capability " + std::to_string(gpu.compute_capability_major) + "." +
                    std::to_string(gpu.compute_capability_minor);
        text += "\n";
    }
    if (!probe.nvidia_driver_version.empty()) text += "NVIDIA driver: " + probe.nvidia_driver_version + "\n";
    if (probe.torch_cuda_available)
        text += std::string("LibTorch CUDA: ") + (*probe.torch_cuda_available ? "available" : "not available") + "\n";
    for (const auto& note : probe.notes) text += "Note: " + note + "\n";
    return text;
}

} // namespace phototune
