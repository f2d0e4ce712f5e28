#pragma once
// What this machine offers for training: the processor, memory and NVIDIA GPUs (through NVML,
// loaded at run time so that the studio starts on machines without an NVIDIA driver). Used by
// the hardware wizard and printed for bug reports.

#include "core/api/hardware.h" // CpuFlags, GpuInfo, DeviceProbe: the facade's types

#include <string>

namespace phototune {

// Never throws: what cannot be read is left at its default and explained in notes.
DeviceProbe probe_devices() noexcept;

// Parsers of the Linux /proc files, exposed for tests (they read whatever text they are given).
void parse_proc_cpuinfo(const std::string& text, DeviceProbe& probe);
void parse_proc_meminfo(const std::string& text, DeviceProbe& probe);

// A few lines for people: "CPU: ... (8 cores, 16 threads; AVX2, AVX-512F)\nRAM: ...\nGPU 0: ...".
std::string describe(const DeviceProbe& probe);

} // namespace phototune
