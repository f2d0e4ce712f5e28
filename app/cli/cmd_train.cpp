// phototune-cli train: LoRA-train a CLIP model on a folder of photos into a run folder.
// Progress goes to stderr; with --events jsonl every event is also one JSON object on stdout.
// Ctrl-C (SIGINT; on Windows also Ctrl-Break) stops at the next step boundary after writing a checkpoint; exit code 130.
#include "app/cli/command.h"
#include "core/api/hardware.h"
#include "core/api/training.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#endif

namespace phototune::cli {
namespace {

struct TrainArgs {
    TrainConfig config;
    std::string targets = "q_proj,v_proj";
    std::string towers = "vision,text";
    std::string events;
    std::string recipe;
    CLI::App* command = nullptr;
};

const CancelToken* g_cancel = nullptr;

#ifdef _WIN32
// Windows delivers Ctrl-C and Ctrl-Break to a handler thread of its own; the store is the same.
BOOL WINAPI on_console_event(DWORD event)
{
    if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT) return FALSE;
    if (g_cancel) g_cancel->request_cancel();
    return TRUE;
}
void catch_interrupt(bool on) { SetConsoleCtrlHandler(on_console_event, on ? TRUE : FALSE); }
#else
extern "C" void on_interrupt(int)
{
    if (g_cancel) g_cancel->request_cancel(); // a lock-free atomic store: safe in a signal handler
}
void catch_interrupt(bool on) { std::signal(SIGINT, on ? on_interrupt : SIG_DFL); }
#endif

std::string duration(double seconds)
{
    const long s = static_cast<long>(seconds + 0.5);
    std::ostringstream out;
    if (s >= 3600) out << s / 3600 << "h" << std::setw(2) << std::setfill('0') << (s / 60) % 60 << "m";
    else if (s >= 60) out << s / 60 << "m" << std::setw(2) << std::setfill('0') << s % 60 << "s";
    else out << s << "s";
    return out.str();
}

std::string percent(double accuracy)
{
    if (accuracy < 0) return "n/a";
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << 100.0 * accuracy << "%";
    return out.str();
}

class CliObserver : public TrainObserver {
public:
    explicit CliObserver(bool jsonl) : m_jsonl(jsonl) {}

    void on_plan(const TrainPlan& p) override
    {
        emit(to_json_line(p));
        m_print_every = std::max<std::int64_t>(1, p.total_steps / 100);
        std::cerr << "photos: " << p.train_photos << " training, " << p.validation_photos << " validation, "
                  << p.skipped_files << " skipped; " << p.labels.size() << " labels\n"
                  << "plan: " << p.total_steps << " steps of " << p.batch << " (" << std::setprecision(3) << p.epochs
                  << " epochs, warm-up " << p.warmup_steps << "), " << p.trainable_parameters << " trainable parameters on "
                  << p.device << (p.start_step > 0 ? ", resuming after step " + std::to_string(p.start_step) : "") << '\n';
        for (const auto& warning : p.warnings) std::cerr << "warning: " << warning << '\n';
    }
    void on_step(const TrainStepEvent& e) override
    {
        emit(to_json_line(e));
        if (e.step % m_print_every != 0 && e.step != e.total_steps) return;
        std::cerr << "step " << e.step << "/" << e.total_steps << "  epoch " << std::fixed << std::setprecision(2) << e.epoch
                  << "  loss " << std::setprecision(4) << e.loss << " (ema " << e.ema_loss << ")  lr " << std::scientific
                  << std::setprecision(2) << e.lr << std::defaultfloat << "  " << std::fixed << std::setprecision(1)
                  << e.images_per_second << " img/s  ETA " << duration(e.eta_seconds) << std::defaultfloat << '\n';
    }
    void on_eval(const TrainEvalEvent& e) override
    {
        emit(to_json_line(e));
        std::cerr << (e.base_model ? "base model" : "eval at step " + std::to_string(e.step)) << ": validation accuracy "
                  << percent(e.val_accuracy) << ", retention " << percent(e.retention_accuracy)
                  << (e.retention_collapsed ? " (collapsed)" : "") << (e.best ? "  [best]" : "") << '\n';
    }
    void on_checkpoint(const TrainCheckpointEvent& e) override
    {
        emit(to_json_line(e));
        std::cerr << "checkpoint " << e.folder.filename().string() << (e.best ? " (best)" : "") << '\n';
    }
    void on_log(TrainLogLevel level, const std::string& message) override
    {
        emit(to_json_line(level, message));
        std::cerr << (level == TrainLogLevel::Warning ? "warning: " : "") << message << '\n';
    }
    void on_finished(const TrainOutcome& o) override
    {
        emit(to_json_line(o));
        std::cerr << train_status_name(o.status) << " after " << o.steps_done << " of " << o.total_steps << " steps in "
                  << duration(o.seconds) << "; validation accuracy " << percent(o.base_val_accuracy) << " -> "
                  << percent(o.final_val_accuracy) << " (best " << percent(o.best_val_accuracy) << " at step " << o.best_step
                  << ")\n";
        if (!o.adapter_dir.empty()) std::cerr << "adapter: " << o.adapter_dir.string() << '\n';
        if (o.peak_step_bytes > 0)
            std::cerr << "measured peak tensor memory of the training steps: " << o.peak_step_bytes << " bytes ("
                      << format_bytes(o.peak_step_bytes) << "); compare with `phototune-cli plan`\n";
    }

private:
    void emit(const std::string& line)
    {
        if (!m_jsonl) return;
        std::cout << line << '\n';
        std::cout.flush();
    }

    bool m_jsonl;
    std::int64_t m_print_every = 1;
};

int run_train(TrainArgs& args)
{
    auto& config = args.config;
    if (!config.resume && (config.model_dir.empty() || (config.data_dir.empty() && config.project_file.empty())))
        return report_failure("--model and --data (or --project) are required (except with --resume)");
    if (!args.recipe.empty()) {
        // The recipe fills in the LoRA settings that were not given as flags.
        TrainConfig recipe;
        if (!apply_lora_recipe(recipe, args.recipe)) return report_failure("unknown --recipe '" + args.recipe + "'");
        if (args.command->count("--rank") == 0) config.rank = recipe.rank;
        if (args.command->count("--alpha") == 0) config.alpha = recipe.alpha;
        if (args.command->count("--targets") == 0) args.targets = join_list(recipe.targets);
        if (args.command->count("--towers") == 0) args.towers = recipe.towers == "both" ? "vision,text" : recipe.towers;
    }
    config.targets = split_list(args.targets);
    const auto towers = split_list(args.towers);
    const bool vision = std::find(towers.begin(), towers.end(), "vision") != towers.end();
    const bool text = std::find(towers.begin(), towers.end(), "text") != towers.end();
    if (towers.empty() || towers.size() != static_cast<std::size_t>(vision) + static_cast<std::size_t>(text))
        return report_failure("--towers takes vision, text or vision,text");
    config.towers = vision && text ? "both" : (vision ? "vision" : "text");
    if (config.resume) {
        // On a resumed run the length flags extend it: "continue for N more epochs/steps".
        config.extra_steps = config.steps;
        config.extra_epochs = config.epochs;
    }

    CancelToken cancel;
    g_cancel = &cancel;
    catch_interrupt(true);
    CliObserver observer(args.events == "jsonl");
    const TrainOutcome outcome = run_training(config, observer, cancel);
    catch_interrupt(false);
    g_cancel = nullptr;
    switch (outcome.status) {
    case TrainStatus::Finished: return 0;
    case TrainStatus::Cancelled: return 130;
    case TrainStatus::Diverged:
    case TrainStatus::Failed: return report_failure(outcome.failure.message);
    }
    return kExitFailure;
}

} // namespace

Command add_train_command(CLI::App& app)
{
    auto args = std::make_shared<TrainArgs>();
    auto& c = args->config;
    auto* sub = app.add_subcommand("train", "LoRA-train a CLIP model on a folder of photos");
    sub->add_option("--model", c.model_dir, "Base model folder (Hugging Face CLIP layout)")->check(CLI::ExistingDirectory);
    sub->add_option("--data", c.data_dir, "Photos: label sub-folders and/or sidecar .txt captions")->check(CLI::ExistingDirectory);
    sub->add_option("--project", c.project_file,
                    "A project file (dataset init, the studio): its labels, captions, split and exclusions")
        ->check(CLI::ExistingFile);
    sub->add_option("--out", c.run_dir, "Run folder (run.json, metrics.jsonl, checkpoints/, adapter/)")->required();
    sub->add_option("--rank", c.rank, "LoRA rank r")->capture_default_str();
    sub->add_option("--alpha", c.alpha, "LoRA alpha (scaling alpha/r)")->capture_default_str();
    sub->add_option("--dropout", c.dropout, "LoRA dropout")->capture_default_str();
    sub->add_option("--recipe", args->recipe, "LoRA starting point: default (r 8, alpha 16, q,v) or clip-lora (r 2, alpha 1, q,k,v); flags given win")
        ->check(CLI::IsMember(lora_recipe_names()));
    sub->add_option("--targets", args->targets, "Comma-separated module name suffixes")->capture_default_str();
    sub->add_option("--towers", args->towers, "vision, text or vision,text")->capture_default_str();
    sub->add_option("--last-layers", c.last_layers, "Only each tower's last N encoder layers (0: all)")->capture_default_str();
    auto* steps = sub->add_option("--steps", c.steps, "Optimizer steps (with --resume: this many more)");
    auto* epochs = sub->add_option("--epochs", c.epochs, "Epochs; default scaled to the dataset (with --resume: this many more)");
    steps->excludes(epochs);
    sub->add_option("--batch", c.batch, "Photos per step (default 32, fewer for small sets)");
    sub->add_option("--lr", c.lr, "Peak learning rate")->capture_default_str();
    sub->add_option("--warmup", c.warmup, "Warm-up: steps (>= 1) or a fraction of the steps (< 1); default 5%");
    sub->add_option("--accum", c.accum, "Micro-batches per step (same negatives, less memory)")->capture_default_str();
    sub->add_option("--precision", c.precision, "fp32, bf16 or fp16 (CUDA)")->capture_default_str();
    sub->add_flag("--grad-checkpointing", c.grad_checkpointing, "Recompute activations in backward (less memory)");
    sub->add_option("--loss", c.loss, "clip or siglip")->capture_default_str();
    sub->add_option("--val-split", c.val_split, "Fraction of photos held out for validation")->capture_default_str();
    sub->add_option("--seed", c.seed, "Seed of the split, shuffling and initialisation")->capture_default_str();
    sub->add_option("--eval-every", c.eval_every, "Evaluate every N steps (default: about 8 times)");
    sub->add_option("--save-every", c.save_every, "Checkpoint every N steps (default: about 5 times; also every 10 minutes)");
    sub->add_option("--memory-limit", c.memory_limit, "CPU: stop with advice rather than hold more tensor memory (e.g. 6GiB)")
        ->transform(CLI::AsSizeValue(false));
    sub->add_flag("--augment", c.augment, "Random resized crops and flips each epoch (photos are decoded every step)");
    sub->add_flag("--label-prompts", c.label_prompts,
                  "Train labelled photos on \"a photo of a {label}.\" instead of their captions");
    sub->add_flag("--exact-decode", c.exact_decode, "Decode large JPEGs at full size (slower; the pixels Pillow gives)");
    sub->add_flag("!--no-image-cache", c.image_cache, "Decode every photo every run instead of keeping crops on disk");
    sub->add_option("--image-cache", c.image_cache_dir, "Folder of the crop cache (default: ~/.cache/phototune/crops)");
    sub->add_flag("--measure-memory", c.measure_memory,
                  "CPU: count tensor memory and print the training steps' peak bytes (compare with `plan`)");
    sub->add_flag("--resume", c.resume, "Resume the run in --out from its newest checkpoint");
    sub->add_option("--events", args->events, "jsonl: one JSON object per event on stdout")->check(CLI::IsMember({"jsonl"}));
    sub->footer("Example: phototune-cli train --model clip-vit-b-32 --data my-photos --out runs/first --epochs 10");
    args->command = sub;
    return {sub, [args] { return run_train(*args); }};
}

} // namespace phototune::cli
