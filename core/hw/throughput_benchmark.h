#pragma once
// The device rates of the time model, measured in about two seconds: a training-sized matrix
// product (the LoRA step's frozen GEMMs) and a small one (the fixed cost of a GEMM call), a large
// elementwise add (LayerNorm/GELU/softmax traffic), and a differentiated chain of tiny ops (the
// fixed cost of dispatching one operation). The answer is cached per machine in
// $XDG_CACHE_HOME/phototune/throughput.json (else ~/.cache/phototune/), keyed by the device's
// description, the precision and the thread count, so later plans start instantly.

#include "core/api/hardware.h"

#include <filesystem>
#include <string>

namespace phototune {

// Throws Error(Unsupported) for CUDA without a usable CUDA device, fp16 on the CPU, or an unknown name.
DeviceThroughput measure_device_throughput(const std::string& device, const std::string& precision,
                                           double seconds = 2.0);

std::filesystem::path throughput_cache_path();

// The cached rates for this machine, or a fresh measurement (then cached) when absent or `remeasure`.
// A cache that cannot be read or written is ignored.
DeviceThroughput device_throughput_cached(const std::string& device, const std::string& precision, bool remeasure);

} // namespace phototune
