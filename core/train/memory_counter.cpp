#include "core/train/memory_counter.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <c10/util/Exception.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <string>
#include <unordered_map>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <psapi.h>
#endif

namespace phototune {
namespace {

// c10's CPU allocator with byte accounting. The DataPtr's context equals its data pointer because
// some kernels free through raw_deleter() with the data pointer alone.
class CountingAllocator final : public c10::Allocator {
public:
    c10::DataPtr allocate(std::size_t bytes) const override
    {
        {
            // Refused before allocating, with the error LibTorch raises when a device runs out.
            std::lock_guard lock(mutex);
            TORCH_CHECK_WITH(OutOfMemoryError, limit == 0 || current + bytes <= limit,
                             "CPU out of memory: tried to allocate ", bytes >> 20, " MiB with ", current >> 20,
                             " MiB in use, over the memory limit of ", limit >> 20, " MiB");
        }
        void* data = c10::alloc_cpu(bytes);
        {
            std::lock_guard lock(mutex);
            sizes[data] = bytes;
            current += bytes;
            if (current > peak) peak = current;
        }
        return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
    }

    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    // Pure virtual in LibTorch 2.3 and later, absent in 1.13 (hence no `override`).
    void copy_data(void* dest, const void* src, std::size_t count) const { std::memcpy(dest, src, count); }

    static void release(void* data)
    {
        if (!data) return;
        {
            std::lock_guard lock(mutex);
            const auto it = sizes.find(data);
            if (it != sizes.end()) {
                current -= it->second;
                sizes.erase(it);
            }
        }
        c10::free_cpu(data);
    }

    static inline std::mutex mutex;
    static inline std::unordered_map<void*, std::size_t> sizes;
    static inline std::size_t current = 0;
    static inline std::size_t peak = 0;
    static inline std::size_t limit = 0;
};

CountingAllocator& counting_allocator()
{
    static CountingAllocator allocator;
    return allocator;
}

} // namespace

CpuMemoryCounter& CpuMemoryCounter::install()
{
    static CpuMemoryCounter counter;
    static std::once_flag once;
    std::call_once(once, [] { c10::SetCPUAllocator(&counting_allocator(), /*priority=*/10); });
    return counter;
}

std::size_t CpuMemoryCounter::current_bytes() const
{
    std::lock_guard lock(CountingAllocator::mutex);
    return CountingAllocator::current;
}

std::size_t CpuMemoryCounter::peak_bytes() const
{
    std::lock_guard lock(CountingAllocator::mutex);
    return CountingAllocator::peak;
}

void CpuMemoryCounter::reset_peak()
{
    std::lock_guard lock(CountingAllocator::mutex);
    CountingAllocator::peak = CountingAllocator::current;
}

void CpuMemoryCounter::set_limit(std::size_t bytes)
{
    std::lock_guard lock(CountingAllocator::mutex);
    CountingAllocator::limit = bytes;
}

namespace {

#ifdef _WIN32
// The working set is Windows' counterpart of the resident set (K32* is in kernel32: no psapi.lib).
PROCESS_MEMORY_COUNTERS process_memory()
{
    PROCESS_MEMORY_COUNTERS counters{};
    counters.cb = sizeof counters;
    if (!K32GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters)) return {};
    return counters;
}
#else
// A "Vm...:  123 kB" line of /proc/self/status, in bytes.
std::size_t proc_status_bytes(const std::string& field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field, 0) == 0) return std::stoull(line.substr(field.size())) * 1024;
    return 0;
}
#endif

} // namespace

std::size_t peak_rss_bytes()
{
#ifdef _WIN32
    return process_memory().PeakWorkingSetSize;
#else
    return proc_status_bytes("VmHWM:");
#endif
}

std::size_t rss_bytes()
{
#ifdef _WIN32
    return process_memory().WorkingSetSize;
#else
    return proc_status_bytes("VmRSS:");
#endif
}

} // namespace phototune
