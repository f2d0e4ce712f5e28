// phototune-cli recommend: the training plan the hardware wizard would choose for a memory budget
// (this machine's, a given one, or a preset card's), a dataset size and a goal.
#include "app/cli/command.h"
#include "core/api/hardware.h"

#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct RecommendArgs {
    std::uint64_t budget = 0;
    std::string preset;
    std::string goal = "balanced";
    std::string device;
    std::string model;
    std::int64_t images = 0;
    double epochs = 0.0;
    bool json = false;
};

void print_recommendation(const Recommendation& r)
{
    std::cout << r.explanation << '\n';
    for (const auto& warning : r.warnings) std::cout << "warning: " << warning << '\n';
}

int recommend_one(RecommendRequest request, const DeviceThroughput& rates, const std::string& label, bool json)
{
    const auto r = recommend_training(request, rates);
    if (!r) return report_failure((label.empty() ? "" : label + ": ") + r.failure().message);
    if (json) {
        std::cout << to_json(*r) << '\n';
        return 0;
    }
    if (!label.empty()) std::cout << label << ": ";
    print_recommendation(*r);
    return 0;
}

int run_recommend(const RecommendArgs& args)
{
    const auto goal = parse_plan_goal(args.goal);
    if (!goal) return report_failure("--goal takes fastest, balanced or best");
    if (!args.preset.empty()) {
        int status = 0;
        bool found = false;
        for (const auto& preset : hardware_presets()) {
            if (args.preset != "all" && args.preset != preset.name) continue;
            found = true;
            RecommendRequest request = request_for_preset(preset, *goal, args.images);
            request.epochs = args.epochs;
            request.model = args.model;
            status |= recommend_one(request, preset.throughput, args.preset == "all" ? preset.description : "", args.json);
        }
        return found ? status : report_failure("unknown --preset '" + args.preset + "'");
    }
    auto request = request_for_this_machine(*goal, args.images);
    if (!request) return report_failure(request.failure().message);
    if (!args.device.empty()) request->device = args.device;
    if (args.budget > 0) {
        request->budget_bytes = args.budget;
        if (request->device == "cuda" && request->dedicated_vram_bytes == 0) request->dedicated_vram_bytes = args.budget;
    }
    request->epochs = args.epochs;
    request->model = args.model;
    // Time on this machine's device; a CUDA budget without a GPU here borrows the nearest preset card's rates.
    DeviceThroughput rates;
    const std::string precision = request->device == "cuda" ? (request->fast_bf16 ? "bf16" : "fp16")
                                                            : (request->fast_bf16 ? "bf16" : "fp32");
    const auto measured = device_throughput(request->device, precision);
    if (measured) {
        rates = *measured;
    } else {
        for (const auto& preset : hardware_presets())
            if (preset.device == request->device && (rates.gemm_flops_per_second == 0 || preset.memory_bytes <= request->budget_bytes))
                rates = preset.throughput;
    }
    return recommend_one(*request, rates, "", args.json);
}

} // namespace

Command add_recommend_command(CLI::App& app)
{
    auto args = std::make_shared<RecommendArgs>();
    auto* sub = app.add_subcommand("recommend", "The training plan that fits a memory budget (the hardware wizard)");
    sub->add_option("--budget", args->budget, "Memory the run may use, e.g. 8GiB (default: this machine's free memory)")
        ->transform(CLI::AsSizeValue(false));
    std::vector<std::string> presets{"all"};
    for (const auto& preset : hardware_presets()) presets.push_back(preset.name);
    sub->add_option("--preset", args->preset, "A typical machine: " + join_list(presets))->check(CLI::IsMember(presets));
    sub->add_option("--goal", args->goal, "fastest, balanced or best")
        ->check(CLI::IsMember({"fastest", "balanced", "best"}))
        ->capture_default_str();
    sub->add_option("--device", args->device, "cpu or cuda (default: CUDA when a GPU is usable)")
        ->check(CLI::IsMember({"cpu", "cuda"}));
    sub->add_option("--model", args->model, "Plan for this model only: catalogue id, model folder or preset");
    sub->add_option("--images", args->images, "Photos in the dataset (default 500)");
    sub->add_option("--epochs", args->epochs, "Epochs (default 10)");
    sub->add_flag("--json", args->json, "One JSON object on stdout");
    sub->footer("Example: phototune-cli recommend --budget 8GiB --device cuda --goal balanced --images 2000");
    return {sub, [args] { return run_recommend(*args); }};
}

} // namespace phototune::cli
