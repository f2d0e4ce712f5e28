// JSON text of the hardware facade's results (see hardware.h).
#include "core/api/hardware.h"

#include <nlohmann/json.hpp>

namespace phototune {
namespace {

using nlohmann::json;

json memory_json(const MemoryBreakdown& m)
{
    return {{"total_bytes", m.total()},
            {"frozen_weights", m.frozen_weights},
            {"lora_training_state", m.lora_training_state},
            {"autocast_weight_copies", m.autocast_weight_copies},
            {"saved_activations", m.saved_activations},
            {"backward_working_set", m.backward_working_set},
            {"frozen_tower_cache", m.frozen_tower_cache},
            {"batch_inputs", m.batch_inputs},
            {"runtime_overhead", m.runtime_overhead}};
}

json setup_json(const TrainingSetup& s)
{
    return {{"model", s.model.name},
            {"rank", s.rank},
            {"targets", s.targets},
            {"towers", s.towers},
            {"last_layers", s.last_layers},
            {"batch", s.batch},
            {"accumulation", s.accumulation},
            {"precision", s.precision},
            {"gradient_checkpointing", s.gradient_checkpointing},
            {"cache_frozen_towers", s.cache_frozen_towers},
            {"device", s.device},
            {"dataset_images", s.dataset_images},
            {"epochs", s.epochs}};
}

json prediction_json(const TrainingPrediction& p)
{
    return {{"memory", memory_json(p.memory)},
            {"flops", {{"forward", p.flops.forward}, {"backward", p.flops.backward}, {"recompute", p.flops.recompute},
                       {"total", p.flops.total()}}},
            {"throughput", {{"device", p.throughput.device},
                            {"precision", p.throughput.precision},
                            {"description", p.throughput.description},
                            {"gemm_flops_per_second", p.throughput.gemm_flops_per_second},
                            {"memory_bytes_per_second", p.throughput.memory_bytes_per_second},
                            {"seconds_per_operation", p.throughput.seconds_per_operation},
                            {"seconds_per_gemm_call", p.throughput.seconds_per_gemm_call},
                            {"from_cache", p.throughput.from_cache}}},
            {"time", {{"step_seconds", p.time.step_seconds},
                      {"steps_per_epoch", p.time.steps_per_epoch},
                      {"epoch_seconds", p.time.epoch_seconds},
                      {"total_seconds", p.time.total_seconds}}},
            {"trainable_parameters", p.trainable_parameters}};
}

} // namespace

std::string to_json(const DeviceProbe& p)
{
    json gpus = json::array();
    for (const auto& g : p.gpus)
        gpus.push_back({{"index", g.index},
                        {"name", g.name},
                        {"memory_total_bytes", g.memory_total_bytes},
                        {"memory_free_bytes", g.memory_free_bytes},
                        {"compute_capability", std::to_string(g.compute_capability_major) + "." +
                                                   std::to_string(g.compute_capability_minor)}});
    return json{{"cpu_model", p.cpu_model},
                {"cpu_cores", p.cpu_cores},
                {"cpu_logical_threads", p.cpu_logical_threads},
                {"ram_total_bytes", p.ram_total_bytes},
                {"ram_available_bytes", p.ram_available_bytes},
                {"cpu_flags", {{"avx2", p.cpu_flags.avx2},
                               {"avx512f", p.cpu_flags.avx512f},
                               {"avx512_bf16", p.cpu_flags.avx512_bf16},
                               {"amx_bf16", p.cpu_flags.amx_bf16}}},
                {"nvidia_driver_version", p.nvidia_driver_version},
                {"gpus", gpus},
                {"torch_cuda_available", p.torch_cuda_available ? json(*p.torch_cuda_available) : json(nullptr)},
                {"notes", p.notes}}
        .dump();
}

std::string to_json(const TrainingSetup& setup, const TrainingPrediction& prediction)
{
    return json{{"setup", setup_json(setup)}, {"prediction", prediction_json(prediction)}}.dump();
}

std::string to_json(const Recommendation& r)
{
    return json{{"model_id", r.model_id},
                {"setup", setup_json(r.setup)},
                {"prediction", prediction_json(r.prediction)},
                {"budget_bytes", r.budget_bytes},
                {"negatives_per_photo", r.negatives_per_photo},
                {"explanation", r.explanation},
                {"warnings", r.warnings}}
        .dump();
}

std::string to_json(const std::vector<CatalogModel>& models)
{
    json list = json::array();
    for (const auto& m : models)
        list.push_back({{"id", m.id},
                        {"display_name", m.display_name},
                        {"publisher", m.publisher},
                        {"supported", m.supported},
                        {"unsupported_reason", m.unsupported_reason},
                        {"licence", m.licence},
                        {"research_only", m.research_only},
                        {"params", m.params},
                        {"local_folder", m.local_folder ? json(m.local_folder->string()) : json(nullptr)}});
    return json{{"models", list}}.dump();
}

} // namespace phototune
