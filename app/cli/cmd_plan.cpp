// phototune-cli plan: the predicted peak memory of a training plan, component by component, and its
// step and epoch time; with --probe, a few real steps at rising batch sizes correct the prediction.
// `phototune-cli train --measure-memory` prints the measured peak to compare with.
#include "app/cli/command.h"
#include "core/api/hardware.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct PlanArgs {
    TrainingSetup setup;
    std::string model;
    std::string targets = "q_proj,v_proj";
    std::string towers = "vision,text";
    bool no_cache = false;
    bool probe = false;
    bool json = false;
};

void print_prediction(const TrainingPrediction& p, bool time_known)
{
    const auto& m = p.memory;
    const auto row = [](const char* name, std::uint64_t bytes) {
        std::cout << "  " << std::left << std::setw(24) << name << std::right << std::setw(14) << bytes << " bytes  "
                  << format_bytes(bytes) << '\n';
    };
    std::cout << "predicted peak memory: " << m.total() << " bytes (" << format_bytes(m.total()) << ")\n";
    row("frozen weights", m.frozen_weights);
    row("LoRA + grads + AdamW", m.lora_training_state);
    row("autocast weight copies", m.autocast_weight_copies);
    row("saved activations", m.saved_activations);
    row("backward working set", m.backward_working_set);
    row("frozen-tower cache", m.frozen_tower_cache);
    row("batch inputs", m.batch_inputs);
    row("runtime overhead", m.runtime_overhead);
    std::cout << "trainable parameters: " << p.trainable_parameters << "\n"
              << std::fixed << std::setprecision(2) << "FLOPs per step: " << p.flops.total() / 1e9
              << " GFLOP (forward " << p.flops.forward / 1e9 << ", backward " << p.flops.backward / 1e9
              << ", recompute " << p.flops.recompute / 1e9 << ")\n";
    if (!time_known) return;
    std::cout << std::setprecision(3) << "predicted step time: " << p.time.step_seconds << " s on "
              << p.throughput.description << " (" << p.throughput.precision << ", GEMM " << std::setprecision(1)
              << p.throughput.gemm_flops_per_second / 1e9 << " GFLOP/s)\n";
    if (p.time.steps_per_epoch > 0)
        std::cout << "epoch: " << p.time.steps_per_epoch << " steps, " << format_duration(p.time.epoch_seconds)
                  << "; all epochs " << format_duration(p.time.total_seconds) << '\n';
}

int run_plan(PlanArgs& args)
{
    auto& setup = args.setup;
    const auto shape = resolve_model_shape(args.model);
    if (!shape) return report_failure(shape.failure().message);
    setup.model = *shape;
    setup.targets = split_list(args.targets);
    const auto towers = split_list(args.towers);
    const bool vision = std::find(towers.begin(), towers.end(), "vision") != towers.end();
    const bool text = std::find(towers.begin(), towers.end(), "text") != towers.end();
    if (towers.empty() || towers.size() != static_cast<std::size_t>(vision) + static_cast<std::size_t>(text))
        return report_failure("--towers takes vision, text or vision,text");
    setup.towers = vision && text ? "both" : (vision ? "vision" : "text");
    setup.cache_frozen_towers = !args.no_cache;

    // The time needs this device's rates; a plan for another device still gets its memory.
    const auto probe = probe_hardware();
    const bool device_here = setup.device == "cpu" || (probe && probe->torch_cuda_available.value_or(false));
    DeviceThroughput rates;
    if (device_here) {
        const auto measured = device_throughput(setup.device, setup.precision);
        if (!measured) return report_failure(measured.failure().message);
        rates = *measured;
    }
    auto prediction = predict_training(setup, rates);
    if (!prediction) return report_failure(prediction.failure().message);
    if (args.probe) {
        const auto report = probe_run(setup, rates);
        if (!report) return report_failure(report.failure().message);
        for (const auto& step : report->steps)
            std::cerr << "probe batch " << step.batch << ": measured " << format_bytes(step.measured_peak_bytes)
                      << " (predicted " << format_bytes(step.predicted_peak_bytes) << "), " << std::fixed
                      << std::setprecision(3) << step.measured_step_seconds << " s per step (predicted "
                      << step.predicted_step_seconds << " s)\n";
        std::cerr << std::setprecision(3) << "correction: memory x" << report->memory_correction << ", time x"
                  << report->time_correction << '\n';
        prediction = report->corrected;
    }
    if (args.json) std::cout << to_json(setup, *prediction) << '\n';
    else print_prediction(*prediction, device_here);
    if (!device_here) std::cerr << "note: no usable " << setup.device << " device here: time not predicted\n";
    return 0;
}

} // namespace

Command add_plan_command(CLI::App& app)
{
    auto args = std::make_shared<PlanArgs>();
    auto& s = args->setup;
    auto* sub = app.add_subcommand("plan", "Predict the peak memory and time of a training plan");
    sub->add_option("--model", args->model, "Catalogue id, Hugging Face CLIP folder, or preset (tiny, small, vit-b-32)")
        ->required();
    sub->add_option("--rank", s.rank, "LoRA rank r")->capture_default_str();
    sub->add_option("--targets", args->targets, "Comma-separated module name suffixes")->capture_default_str();
    sub->add_option("--towers", args->towers, "vision, text or vision,text (the others are frozen)")->capture_default_str();
    sub->add_option("--last-layers", s.last_layers, "Only each tower's last N encoder layers (0: all)")->capture_default_str();
    sub->add_option("--batch", s.batch, "Photos per step")->capture_default_str();
    sub->add_option("--accum", s.accumulation, "Micro-batches per step")->capture_default_str();
    sub->add_option("--precision", s.precision, "fp32, bf16 or fp16")
        ->check(CLI::IsMember({"fp32", "bf16", "fp16"}))
        ->capture_default_str();
    sub->add_flag("--grad-checkpointing", s.gradient_checkpointing, "Recompute activations in backward");
    sub->add_flag("--no-cache", args->no_cache, "Run a frozen tower every step instead of caching its embeddings");
    sub->add_option("--dropout", s.lora_dropout, "LoRA dropout")->capture_default_str();
    sub->add_option("--device", s.device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}))->capture_default_str();
    sub->add_option("--images", s.dataset_images, "Photos in the dataset (epoch time, frozen-tower cache)");
    sub->add_option("--epochs", s.epochs, "Epochs (total time)")->capture_default_str();
    sub->add_flag("--probe", args->probe, "Run real steps at batch 2, 4, 8 and correct the prediction (CPU)");
    sub->add_flag("--json", args->json, "One JSON object on stdout");
    sub->footer("Example: phototune-cli plan --model openai/clip-vit-base-patch32 --batch 32 --precision bf16");
    return {sub, [args] { return run_plan(*args); }};
}

} // namespace phototune::cli
