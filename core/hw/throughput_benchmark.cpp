#include "core/hw/throughput_benchmark.h"

#include "core/hw/device_probe.h"
#include "core/model/cpu_runtime.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>

namespace phototune {
namespace {

using Clock = std::chrono::steady_clock;

// Repeats `run` for at least `seconds` (after one warm-up call); returns seconds per call. A CPU
// runs each call synchronously; a GPU's queue is waited for every few calls and at the end.
template <typename Run>
double seconds_per_call(double seconds, const at::Tensor& sync, Run&& run)
{
    const auto wait = [&] {
        if (!sync.is_cpu()) (void)sync.sum().item<double>();
    };
    run();
    wait();
    const auto start = Clock::now();
    std::int64_t calls = 0;
    double elapsed = 0.0;
    do {
        run();
        if (++calls % 4 == 0) wait();
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    wait();
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    return elapsed / static_cast<double>(calls);
}

at::ScalarType dtype_of(const std::string& precision)
{
    if (precision == "fp32") return at::kFloat;
    if (precision == "bf16") return at::kBFloat16;
    if (precision == "fp16") return at::kHalf;
    throw Error(ErrorCategory::InvalidInput, "unknown precision '" + precision + "': use fp32, bf16 or fp16");
}

std::string describe_device(const std::string& device)
{
    if (device == "cuda") return "CUDA device 0";
    const DeviceProbe probe = probe_devices();
    const std::string blas = loaded_blas().description;
    return (probe.cpu_model.empty() ? std::string("CPU") : probe.cpu_model) + ", " + blas.substr(0, blas.find(" ("));
}

std::string cache_key(const DeviceThroughput& t)
{
    return t.device + "|" + t.precision + "|" + t.description;
}

} // namespace

DeviceThroughput measure_device_throughput(const std::string& device, const std::string& precision, double seconds)
{
    PHOTOTUNE_CHECK(device == "cpu" || device == "cuda", ErrorCategory::InvalidInput,
                    "unknown device '" + device + "': use cpu or cuda");
    PHOTOTUNE_CHECK(device == "cpu" || torch::cuda::is_available(), ErrorCategory::Unsupported,
                    "this LibTorch has no usable CUDA device");
    PHOTOTUNE_CHECK(device == "cuda" || precision != "fp16", ErrorCategory::Unsupported,
                    "fp16 training needs a CUDA GPU; on the CPU use bf16 or fp32");
    const auto options = at::TensorOptions().dtype(dtype_of(precision)).device(device == "cuda" ? at::kCUDA : at::kCPU);
    at::NoGradGuard no_grad;
    DeviceThroughput t;
    t.device = device;
    t.precision = precision;
    t.description = describe_device(device);

    // A frozen ViT-B MLP linear at batch 32 (1600 tokens x 768 -> 3072), forward and input gradient,
    // as a LoRA step runs most of its FLOPs.
    const std::int64_t m = 1600, k = 768, n = 3072;
    const at::Tensor input = at::randn({m, k}, options).requires_grad_();
    const at::Tensor weight = at::randn({n, k}, options);
    const at::Tensor output_grad = at::randn({m, n}, options);
    {
        at::AutoGradMode grad(true);
        t.gemm_flops_per_second = 2.0 * 2.0 * m * k * n / seconds_per_call(0.45 * seconds, weight, [&] {
            at::linear(input, weight).backward(output_grad);
            input.mutable_grad().reset();
        });
    }

    // A small product (a tiny model's layer at batch 4): what it takes beyond its FLOPs at that rate
    // is the fixed cost every GEMM call pays.
    const std::int64_t sm = 200, sk = 64, sn = 256;
    const at::Tensor sa = at::randn({sm, sk}, options), sb = at::randn({sk, sn}, options);
    at::Tensor sc = at::mm(sa, sb);
    const double small = seconds_per_call(0.15 * seconds, sc, [&] { at::mm_out(sc, sa, sb); });
    t.seconds_per_gemm_call = std::max(0.0, small - 2.0 * sm * sk * sn / t.gemm_flops_per_second);

    // Elementwise traffic: x + y into z over 8 M elements (three tensors read or written).
    const at::Tensor x = at::randn({8 << 20}, options), y = at::randn({8 << 20}, options);
    at::Tensor z = x + y;
    t.memory_bytes_per_second =
        3.0 * static_cast<double>(x.nbytes()) / seconds_per_call(0.3 * seconds, z, [&] { at::add_out(z, x, y); });

    // Small operations recorded by autograd and differentiated (three forward, three backward and a
    // gradient accumulation): what an operation costs regardless of its size.
    const at::Tensor s = at::randn({64}, options.dtype(at::kFloat)).requires_grad_();
    {
        at::AutoGradMode grad(true);
        constexpr double kOperations = 7.0;
        t.seconds_per_operation =
            seconds_per_call(0.1 * seconds, s, [&] { s.mul(2.0).add(1.0).sum().backward(); }) / kOperations;
    }
    return t;
}

std::filesystem::path throughput_cache_path()
{
    return user_cache_dir() / "throughput.json";
}

DeviceThroughput device_throughput_cached(const std::string& device, const std::string& precision, bool remeasure)
{
    const auto path = throughput_cache_path();
    nlohmann::json cache = nlohmann::json::object();
    try {
        std::ifstream in(path);
        if (in) cache = nlohmann::json::parse(in);
        if (!cache.is_object()) cache = nlohmann::json::object();
    } catch (const std::exception&) {
        cache = nlohmann::json::object(); // a damaged cache is measured again
    }
    DeviceThroughput wanted;
    wanted.device = device;
    wanted.precision = precision;
    wanted.description = describe_device(device);
    const std::string key = cache_key(wanted);
    if (!remeasure && cache.contains(key)) {
        try {
            const auto& j = cache.at(key);
            wanted.gemm_flops_per_second = j.at("gemm_flops_per_second").get<double>();
            wanted.memory_bytes_per_second = j.at("memory_bytes_per_second").get<double>();
            wanted.seconds_per_operation = j.at("seconds_per_operation").get<double>();
            wanted.seconds_per_gemm_call = j.at("seconds_per_gemm_call").get<double>();
            wanted.from_cache = true;
            if (wanted.gemm_flops_per_second > 0) return wanted;
        } catch (const std::exception&) {
        }
    }
    DeviceThroughput measured = measure_device_throughput(device, precision);
    cache[key] = {{"gemm_flops_per_second", measured.gemm_flops_per_second},
                  {"memory_bytes_per_second", measured.memory_bytes_per_second},
                  {"seconds_per_operation", measured.seconds_per_operation},
                  {"seconds_per_gemm_call", measured.seconds_per_gemm_call}};
    try {
        std::filesystem::create_directories(path.parent_path());
        write_file_atomic(path, cache.dump(2) + "\n");
    } catch (const std::exception&) {
        // a read-only cache directory only costs the next run two seconds
    }
    return measured;
}

} // namespace phototune
