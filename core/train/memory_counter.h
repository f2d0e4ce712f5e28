#pragma once
// Measuring memory on the CPU: a counting allocator that LibTorch uses for every CPU tensor once
// installed (current and peak bytes held by tensors), and the process's peak resident set size.
// The hardware wizard and the benchmarks use it to measure what a training step really needs.

#include <cstddef>

namespace phototune {

class CpuMemoryCounter {
public:
    // Installs the counter as LibTorch's CPU allocator (once; later calls return the same one).
    // Install it before the tensors you want counted are created: tensors that already exist keep
    // their allocator and are never counted.
    static CpuMemoryCounter& install();

    std::size_t current_bytes() const;
    std::size_t peak_bytes() const;
    // Starts a new peak at the current level: measure a phase as peak_bytes() - level at reset.
    void reset_peak();
    // Refuses allocations (c10::OutOfMemoryError, as a device that is full does) once tensors would
    // hold more than `bytes`; 0 lifts the limit. What `train --memory-limit` keeps a run within.
    void set_limit(std::size_t bytes);

private:
    CpuMemoryCounter() = default;
};

// The process's peak resident set size (VmHWM) in bytes, 0 when the platform does not say.
std::size_t peak_rss_bytes();
// The process's resident set size now (VmRSS; the working set on Windows), 0 when unknown.
std::size_t rss_bytes();

} // namespace phototune
