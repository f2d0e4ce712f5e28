#include "core/train/train_config.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace phototune {
namespace {

void check(bool condition, const std::string& message)
{
    PHOTOTUNE_CHECK(condition, ErrorCategory::InvalidInput, message);
}

std::int64_t resolve_warmup(double warmup, std::int64_t steps)
{
    if (warmup < 0) return static_cast<std::int64_t>(std::llround(0.05 * static_cast<double>(steps)));
    if (warmup < 1) return static_cast<std::int64_t>(std::llround(warmup * static_cast<double>(steps)));
    return std::min<std::int64_t>(static_cast<std::int64_t>(warmup), steps);
}

ScheduleSegment make_segment(const TrainConfig& config, std::int64_t start, std::int64_t steps)
{
    ScheduleSegment segment;
    segment.start_step = start;
    segment.end_step = start + steps;
    segment.schedule.base_lr = config.lr;
    segment.schedule.total_steps = steps;
    segment.schedule.warmup_steps = resolve_warmup(config.warmup, steps);
    validate_lr_schedule(segment.schedule);
    return segment;
}

std::int64_t steps_for(double epochs, std::int64_t steps_per_epoch)
{
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(epochs * static_cast<double>(steps_per_epoch))));
}

nlohmann::ordered_json config_to_json(const TrainConfig& c)
{
    nlohmann::ordered_json j;
    j["model_dir"] = path_for_display(c.model_dir);
    j["data_dir"] = path_for_display(c.data_dir);
    if (!c.project_file.empty()) j["project_file"] = path_for_display(c.project_file);
    j["rank"] = c.rank;
    j["alpha"] = c.alpha;
    j["dropout"] = c.dropout;
    j["targets"] = c.targets;
    j["towers"] = c.towers;
    j["last_layers"] = c.last_layers;
    j["steps"] = c.steps;
    j["epochs"] = c.epochs;
    j["batch"] = c.batch;
    j["lr"] = c.lr;
    j["warmup"] = c.warmup;
    j["weight_decay"] = c.weight_decay;
    j["max_grad_norm"] = c.max_grad_norm;
    j["accum"] = c.accum;
    j["precision"] = c.precision;
    j["grad_checkpointing"] = c.grad_checkpointing;
    j["loss"] = c.loss;
    j["val_split"] = c.val_split;
    j["seed"] = c.seed;
    j["eval_every"] = c.eval_every;
    j["save_every"] = c.save_every;
    j["save_every_minutes"] = c.save_every_minutes;
    j["keep_checkpoints"] = c.keep_checkpoints;
    j["device"] = c.device;
    j["memory_limit"] = c.memory_limit;
    j["exact_decode"] = c.exact_decode;
    j["augment"] = c.augment;
    j["label_prompts"] = c.label_prompts;
    return j;
}

TrainConfig config_from_json(const nlohmann::json& j)
{
    TrainConfig c;
    c.model_dir = std::filesystem::u8path(j.at("model_dir").get<std::string>());
    c.data_dir = std::filesystem::u8path(j.at("data_dir").get<std::string>());
    c.project_file = std::filesystem::u8path(j.value("project_file", std::string{}));
    j.at("rank").get_to(c.rank);
    j.at("alpha").get_to(c.alpha);
    j.at("dropout").get_to(c.dropout);
    j.at("targets").get_to(c.targets);
    j.at("towers").get_to(c.towers);
    j.at("last_layers").get_to(c.last_layers);
    j.at("steps").get_to(c.steps);
    j.at("epochs").get_to(c.epochs);
    j.at("batch").get_to(c.batch);
    j.at("lr").get_to(c.lr);
    j.at("warmup").get_to(c.warmup);
    j.at("weight_decay").get_to(c.weight_decay);
    j.at("max_grad_norm").get_to(c.max_grad_norm);
    j.at("accum").get_to(c.accum);
    j.at("precision").get_to(c.precision);
    j.at("grad_checkpointing").get_to(c.grad_checkpointing);
    j.at("loss").get_to(c.loss);
    j.at("val_split").get_to(c.val_split);
    j.at("seed").get_to(c.seed);
    j.at("eval_every").get_to(c.eval_every);
    j.at("save_every").get_to(c.save_every);
    j.at("save_every_minutes").get_to(c.save_every_minutes);
    j.at("keep_checkpoints").get_to(c.keep_checkpoints);
    j.at("device").get_to(c.device);
    c.memory_limit = j.value("memory_limit", std::uint64_t{0}); // absent in runs of version 0.1
    c.exact_decode = j.value("exact_decode", true);              // runs of version 0.1 decoded at full size
    c.augment = j.value("augment", false);
    c.label_prompts = j.value("label_prompts", false);
    return c;
}

} // namespace

double ResolvedRun::lr_at(std::int64_t step) const
{
    for (const auto& segment : segments)
        if (step < segment.end_step) return lr_at_step(segment.schedule, step - segment.start_step);
    return segments.empty() ? 0.0 : lr_at_step(segments.back().schedule, step - segments.back().start_step);
}

void validate_train_config(const TrainConfig& c)
{
    check(!c.model_dir.empty(), "--model is required: a Hugging Face CLIP folder");
    check(!c.data_dir.empty() || !c.project_file.empty(), "--data or --project is required: a folder of photos or a project file");
    check(!c.run_dir.empty(), "--out is required: the run folder");
    check(c.steps >= 0, "--steps must not be negative");
    check(std::isfinite(c.epochs) && c.epochs >= 0, "--epochs must be a positive number");
    check(c.batch >= 0 && c.batch <= 65536, "--batch must be between 1 and 65536");
    check(std::isfinite(c.lr) && c.lr > 0, "--lr must be a positive number, e.g. 2e-4");
    check(std::isfinite(c.warmup), "--warmup must be a number of steps or a fraction below 1");
    check(std::isfinite(c.weight_decay) && c.weight_decay >= 0, "the weight decay must not be negative");
    check(c.accum >= 1, "--accum must be at least 1");
    check(c.batch == 0 || c.accum <= c.batch, "--accum must not exceed --batch (each micro-batch needs a photo)");
    check(c.val_split >= 0 && c.val_split < 1, "--val-split must be in [0, 1), e.g. 0.2");
    check(c.eval_every >= 0 && c.save_every >= 0, "--eval-every and --save-every must not be negative");
    check(std::isfinite(c.save_every_minutes) && c.save_every_minutes >= 0, "the checkpoint interval in minutes must not be negative");
    check(c.keep_checkpoints >= 1, "keep at least one checkpoint");
    check(c.device == "auto" || c.device == "cpu" || c.device == "cuda", "--device must be auto, cpu or cuda");
    check(c.extra_steps >= 0 && std::isfinite(c.extra_epochs) && c.extra_epochs >= 0, "extra steps/epochs must not be negative");
    validate_lora_settings(lora_settings_for(c), "the LoRA settings");
}

LoraSettings lora_settings_for(const TrainConfig& c)
{
    LoraSettings settings;
    settings.r = c.rank;
    settings.lora_alpha = c.alpha;
    settings.lora_dropout = c.dropout;
    settings.target_modules = c.targets;
    settings.towers = parse_lora_towers(c.towers);
    settings.last_n_layers = c.last_layers;
    settings.base_model_name_or_path = path_for_display(c.model_dir);
    return settings;
}

double default_epochs(std::size_t train_photos)
{
    const double n = static_cast<double>(std::max<std::size_t>(train_photos, 1));
    return std::clamp(std::round(3000.0 / n), 5.0, 30.0);
}

ResolvedRun resolve_run(const TrainConfig& c, std::size_t train_photos)
{
    PHOTOTUNE_CHECK(train_photos >= 2, ErrorCategory::InvalidInput,
                    "training needs at least 2 training photos (contrastive learning compares photos with each other); "
                    "add photos or lower --val-split");
    ResolvedRun run;
    run.batch = static_cast<int>(std::min<std::size_t>(c.batch > 0 ? static_cast<std::size_t>(c.batch) : 32, train_photos));
    PHOTOTUNE_CHECK(c.accum <= run.batch, ErrorCategory::InvalidInput,
                    "--accum " + std::to_string(c.accum) + " exceeds the batch of " + std::to_string(run.batch) + " photos");
    // The last partial batch of an epoch is dropped (open_clip does too): every step sees a full batch.
    run.steps_per_epoch = std::max<std::int64_t>(1, static_cast<std::int64_t>(train_photos) / run.batch);
    const std::int64_t steps = c.steps > 0 ? c.steps
                                           : steps_for(c.epochs > 0 ? c.epochs : default_epochs(train_photos), run.steps_per_epoch);
    run.segments.push_back(make_segment(c, 0, steps));
    run.eval_every = c.eval_every > 0 ? c.eval_every : std::max<std::int64_t>(1, (steps + 7) / 8);
    run.save_every = c.save_every > 0 ? c.save_every : std::max<std::int64_t>(1, (steps + 4) / 5);
    return run;
}

void extend_run(ResolvedRun& run, const TrainConfig& c, std::int64_t extra_steps, double extra_epochs)
{
    const std::int64_t steps = extra_steps > 0 ? extra_steps : steps_for(extra_epochs, run.steps_per_epoch);
    run.segments.push_back(make_segment(c, run.total_steps(), steps));
}

std::string run_json_text(const TrainConfig& config, const ResolvedRun& run)
{
    nlohmann::ordered_json plan;
    plan["batch"] = run.batch;
    plan["steps_per_epoch"] = run.steps_per_epoch;
    plan["total_steps"] = run.total_steps();
    plan["eval_every"] = run.eval_every;
    plan["save_every"] = run.save_every;
    plan["schedule"] = nlohmann::ordered_json::array();
    for (const auto& s : run.segments)
        plan["schedule"].push_back({{"start_step", s.start_step},
                                    {"end_step", s.end_step},
                                    {"base_lr", s.schedule.base_lr},
                                    {"warmup_steps", s.schedule.warmup_steps},
                                    {"min_lr_ratio", s.schedule.min_lr_ratio}});
    nlohmann::ordered_json j;
    j["schema_version"] = kRunSchemaVersion;
    j["producer"] = "phototune";
    j["config"] = config_to_json(config);
    j["plan"] = plan;
    return j.dump(2) + "\n";
}

RunRecord parse_run_json(std::string_view text, const std::filesystem::path& source)
{
    const std::string where = "'" + path_for_display(source) + "'";
    try {
        const auto j = nlohmann::json::parse(text);
        const int version = j.at("schema_version").get<int>();
        PHOTOTUNE_CHECK(version <= kRunSchemaVersion, ErrorCategory::Unsupported,
                        where + " was written by a newer PhotoTune (schema " + std::to_string(version) + "); update PhotoTune");
        RunRecord record;
        record.config = config_from_json(j.at("config"));
        const auto& plan = j.at("plan");
        plan.at("batch").get_to(record.run.batch);
        plan.at("steps_per_epoch").get_to(record.run.steps_per_epoch);
        plan.at("eval_every").get_to(record.run.eval_every);
        plan.at("save_every").get_to(record.run.save_every);
        for (const auto& s : plan.at("schedule")) {
            ScheduleSegment segment;
            s.at("start_step").get_to(segment.start_step);
            s.at("end_step").get_to(segment.end_step);
            s.at("base_lr").get_to(segment.schedule.base_lr);
            s.at("warmup_steps").get_to(segment.schedule.warmup_steps);
            s.at("min_lr_ratio").get_to(segment.schedule.min_lr_ratio);
            segment.schedule.total_steps = segment.end_step - segment.start_step;
            validate_lr_schedule(segment.schedule);
            record.run.segments.push_back(segment);
        }
        PHOTOTUNE_CHECK(!record.run.segments.empty() && record.run.batch >= 1 && record.run.steps_per_epoch >= 1,
                        ErrorCategory::InvalidInput, where + " has an empty or invalid plan");
        return record;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCategory::InvalidInput,
                    where + " is not a valid run.json (" + e.what() + "); it may be damaged: start a new run");
    }
}

} // namespace phototune
