// phototune-cli hw: what this machine offers for training (processor, memory, NVIDIA GPUs), and
// with --benchmark the rates the time model uses (measured in ~2 s, then cached).
#include "app/cli/command.h"
#include "core/api/hardware.h"

#include <iomanip>
#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct HwArgs {
    bool json = false;
    bool benchmark = false;
    std::string precision = "fp32";
};

int run_hw(const HwArgs& args)
{
    const auto probe = probe_hardware();
    if (!probe) return report_failure(probe.failure().message);
    if (args.json) std::cout << to_json(*probe) << '\n';
    else std::cout << describe_hardware(*probe) << '\n';
    if (!args.benchmark) return 0;
    const std::string device = probe->torch_cuda_available.value_or(false) ? "cuda" : "cpu";
    const auto rates = device_throughput(device, args.precision);
    if (!rates) return report_failure(rates.failure().message);
    std::cerr << std::fixed << std::setprecision(1) << "throughput (" << rates->description << ", " << rates->precision
              << (rates->from_cache ? ", cached" : "") << "): GEMM " << rates->gemm_flops_per_second / 1e9
              << " GFLOP/s, memory " << rates->memory_bytes_per_second / 1e9 << " GB/s, "
              << rates->seconds_per_operation * 1e6 << " us per operation, " << rates->seconds_per_gemm_call * 1e6
              << " us per GEMM call\n";
    return 0;
}

} // namespace

Command add_hw_command(CLI::App& app)
{
    auto args = std::make_shared<HwArgs>();
    auto* sub = app.add_subcommand("hw", "What this machine offers for training: CPU, RAM, GPUs");
    sub->add_flag("--json", args->json, "One JSON object on stdout");
    sub->add_flag("--benchmark", args->benchmark, "Also measure (or read the cached) GEMM and memory rates");
    sub->add_option("--precision", args->precision, "Precision of the benchmark: fp32, bf16 or fp16")
        ->check(CLI::IsMember({"fp32", "bf16", "fp16"}))
        ->capture_default_str();
    return {sub, [args] { return run_hw(*args); }};
}

} // namespace phototune::cli
