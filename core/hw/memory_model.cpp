#include "core/hw/memory_model.h"

#include "core/util/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace phototune {
namespace {

// The six linears of an encoder layer, by the dotted suffix peft targets them with.
enum LayerLinear { Q, K, V, Out, Fc1, Fc2, kLayerLinears };
constexpr std::array<std::string_view, kLayerLinears> kLinearNames = {
    "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj", "mlp.fc1", "mlp.fc2"};

constexpr double kFloatBytes = 4.0;
constexpr double kHalfBytes = 2.0;
constexpr double kLayerNormStatsBytes = 8.0;       // mean + rstd, fp32, per row of the norm
constexpr double kLoraStateCopies = 4.0;           // weight, gradient, AdamW exp_avg and exp_avg_sq
constexpr std::uint64_t kCudaContextBytes = 512ull << 20; // context + cuBLAS workspaces, lazy loading
constexpr double kCudaAllocatorSlack = 0.10;       // caching allocator rounding and fragmentation

// peft's suffix rule: a target hits a module named exactly so or ending in "." + target.
bool target_hits(const std::vector<std::string>& targets, std::string_view module)
{
    for (const auto& t : targets) {
        if (module == t) return true;
        if (module.size() > t.size() && module.substr(module.size() - t.size()) == t &&
            module[module.size() - t.size() - 1] == '.')
            return true;
    }
    return false;
}

// How LoRA sits on one tower.
struct TowerPlan {
    TowerShape shape;
    bool vision = false;
    std::array<bool, kLayerLinears> adapted{};
    int adapted_layers = 0;          // the top N layers carry LoRA; the ones below keep nothing
    bool projection_adapted = false;

    bool trained() const { return adapted_layers > 0 || projection_adapted; }
    std::int64_t linear_in(int m) const { return m == Fc2 ? shape.mlp_width : shape.width; }
    std::int64_t linear_out(int m) const { return m == Fc1 ? shape.mlp_width : shape.width; }
};

TowerPlan plan_tower(const TrainingSetup& setup, bool vision)
{
    TowerPlan plan;
    plan.shape = vision ? setup.model.vision : setup.model.text;
    plan.vision = vision;
    const bool in_scope = setup.towers == "both" || setup.towers == (vision ? "vision" : "text");
    if (!in_scope) return plan;
    bool any = false;
    for (int m = 0; m < kLayerLinears; ++m) any |= plan.adapted[m] = target_hits(setup.targets, kLinearNames[m]);
    plan.adapted_layers = !any ? 0 : setup.last_layers > 0 ? std::min(setup.last_layers, plan.shape.layers) : plan.shape.layers;
    plan.projection_adapted =
        setup.last_layers == 0 && target_hits(setup.targets, vision ? "visual_projection" : "text_projection");
    return plan;
}

struct Numerics {
    double activation = kFloatBytes; // matmul outputs and what LoRA-A saves (autocast: half)
    bool half = false;
    bool cuda = false;
};

Numerics numerics_of(const TrainingSetup& setup)
{
    Numerics n;
    n.half = setup.precision != "fp32";
    n.activation = n.half ? kHalfBytes : kFloatBytes;
    n.cuda = setup.device == "cuda";
    return n;
}

// Bytes one attention probability takes in the saved set: fp32 as computed, and under autocast the
// softmax output (fp32 where softmax runs in fp32: CUDA's autocast policy, or the text tower whose
// fp32 mask promotes the scores) plus the half copy that the probabilities x V product keeps.
double probability_bytes(const TowerPlan& tower, const Numerics& n, bool softmax_saves, bool matmul_saves)
{
    if (!n.half) return softmax_saves || matmul_saves ? kFloatBytes : 0.0;
    const bool fp32_softmax = n.cuda || !tower.vision;
    if (!fp32_softmax) return softmax_saves || matmul_saves ? kHalfBytes : 0.0;
    return (softmax_saves ? kFloatBytes : 0.0) + (matmul_saves ? kHalfBytes : 0.0);
}

// Bytes an adapted layer keeps for backward, per sample. `first`: the lowest adapted layer, whose
// input needs no gradient (frozen embeddings or frozen layers below), so its LayerNorm and the
// frozen q/k/v paths record nothing.
double layer_saved_bytes(const TowerPlan& tower, bool first, const TrainingSetup& setup, const Numerics& n)
{
    const double S = tower.shape.tokens, D = tower.shape.width, H = tower.shape.heads, M = tower.shape.mlp_width;
    const double e = n.activation;
    const auto& a = tower.adapted;
    const bool input_grad = !first;
    double bytes = 0.0;
    const auto layer_norm = [&] { bytes += kFloatBytes * S * D + kLayerNormStatsBytes * S; }; // input + stats

    if (input_grad) layer_norm();                                   // LN1 input (the residual stream)
    if (a[Q] || a[K] || a[V]) bytes += e * S * D;                    // LN1 output: LoRA-A's input, shared
    const bool q_grad = input_grad || a[Q], k_grad = input_grad || a[K], v_grad = input_grad || a[V];
    if (k_grad) bytes += e * S * D;                                  // Q (contiguous copy) for d/dK of Q K^T
    if (q_grad) bytes += e * S * D;                                  // K^T copy for d/dQ
    const bool scores_grad = q_grad || k_grad;
    bytes += probability_bytes(tower, n, scores_grad, v_grad) * H * S * S;
    if (scores_grad) bytes += e * S * D;                             // V copy for d/dP of P V
    const bool context_grad = scores_grad || v_grad;
    if (a[Out]) bytes += e * S * D;                                  // context: out_proj's LoRA-A input
    const bool hidden_grad = input_grad || context_grad || a[Out];
    if (hidden_grad) layer_norm();                                   // LN2 input
    if (a[Fc1]) bytes += e * S * D;                                  // LN2 output: fc1's LoRA-A input
    const bool fc1_grad = hidden_grad || a[Fc1];
    if (fc1_grad) bytes += (setup.model.quick_gelu ? 2.0 : 1.0) * e * S * M; // GELU input (+ QuickGELU's sigmoid)
    if (a[Fc2]) bytes += e * S * M;                                  // activation output: fc2's LoRA-A input

    for (int m = 0; m < kLayerLinears; ++m) {
        if (!a[m]) continue;
        bytes += e * S * setup.rank;                                 // LoRA-A output: LoRA-B's input
        if (setup.lora_dropout > 0.0) bytes += 2.0 * e * S * tower.linear_in(m); // mask + dropped copy
    }
    return bytes;
}

// Bytes per sample a trained tower keeps besides its layers: the final LayerNorm's input (the vision
// tower pools one token, but that view keeps the whole last hidden state alive) and the projection.
double tower_edge_bytes(const TowerPlan& tower, const Numerics& n)
{
    const double S = tower.shape.tokens, D = tower.shape.width;
    double bytes = 0.0;
    if (tower.adapted_layers > 0) bytes += kFloatBytes * S * D + kLayerNormStatsBytes * (tower.vision ? 1.0 : S);
    if (tower.projection_adapted) bytes += n.activation * D; // pooled output: the projection's LoRA-A input
    return bytes;
}

// What is alive besides the saved set while the top layer is differentiated: its output gradient and
// the temporaries of the MLP backward (the activation's gradient and its two product terms) or of
// the attention backward (the probabilities' gradient and softmax's), per sample.
double backward_working_bytes(const TowerPlan& tower, const Numerics& n)
{
    const double S = tower.shape.tokens, D = tower.shape.width, H = tower.shape.heads, M = tower.shape.mlp_width;
    const double mlp = 3.0 * n.activation * S * M;
    const double attention = 2.0 * (n.half ? kFloatBytes + kHalfBytes : kFloatBytes) * H * S * S;
    return 2.0 * kFloatBytes * S * D + std::max(mlp, attention);
}

// The largest moment of a forward without gradients (a frozen tower, or the feature pass of
// gradient accumulation): residual, normed input, Q/K/V and scores, or the MLP's three wide tensors.
double no_grad_forward_bytes(const TowerPlan& tower, const Numerics& n)
{
    const double S = tower.shape.tokens, D = tower.shape.width, H = tower.shape.heads, M = tower.shape.mlp_width;
    const double attention = 3.0 * n.activation * S * D + 3.0 * kFloatBytes * H * S * S;
    const double mlp = 3.0 * n.activation * S * M;
    return 3.0 * kFloatBytes * S * D + std::max(attention, mlp);
}

double layer_params(const TowerShape& s)
{
    return 4.0 * s.width * s.width + 2.0 * s.width * s.mlp_width;
}

// Half copies of frozen weights that autocast makes and autograd keeps (the input-gradient GEMM needs
// them): every frozen linear whose input carries a gradient, i.e. the adapted layers except the
// lowest one's q/k/v, plus the projection.
double autocast_copy_bytes(const TowerPlan& tower, bool checkpointing, double projection_dim)
{
    if (tower.adapted_layers == 0) return 0.0;
    const double D = tower.shape.width;
    const double per_layer = layer_params(tower.shape);
    const double layers =
        checkpointing ? per_layer : (tower.adapted_layers - 1) * per_layer + (per_layer - 3.0 * D * D);
    return kHalfBytes * (layers + D * projection_dim);
}

std::int64_t tower_lora_params(const TowerPlan& tower, const TrainingSetup& setup)
{
    std::int64_t per_layer = 0;
    for (int m = 0; m < kLayerLinears; ++m)
        if (tower.adapted[m]) per_layer += setup.rank * (tower.linear_in(m) + tower.linear_out(m));
    std::int64_t params = per_layer * tower.adapted_layers;
    if (tower.projection_adapted) params += setup.rank * (tower.shape.width + setup.model.projection_dim);
    return params;
}

// Forward FLOPs of `layers` encoder layers of a tower for one sample, LoRA included.
double layer_forward_flops(const TowerPlan& tower, const TrainingSetup& setup, int layers, bool with_lora)
{
    const double S = tower.shape.tokens, D = tower.shape.width;
    double per_layer = 2.0 * S * layer_params(tower.shape) + 2.0 * 2.0 * S * S * D;
    if (with_lora)
        for (int m = 0; m < kLayerLinears; ++m)
            if (tower.adapted[m]) per_layer += 2.0 * S * setup.rank * (tower.linear_in(m) + tower.linear_out(m));
    return per_layer * layers;
}

double tower_forward_flops(const TowerPlan& tower, const TrainingSetup& setup)
{
    const double D = tower.shape.width;
    double flops = layer_forward_flops(tower, setup, tower.shape.layers, true);
    if (tower.vision) {
        const double patch = static_cast<double>(setup.model.patch_size);
        flops += 2.0 * (tower.shape.tokens - 1) * 3.0 * patch * patch * D;
    }
    flops += 2.0 * D * setup.model.projection_dim;
    return flops;
}

// Backward of a trained tower: through the adapted layers, every frozen GEMM once (input gradient),
// the two attention products twice (both operands need gradients), LoRA twice (input and weight).
double tower_backward_flops(const TowerPlan& tower, const TrainingSetup& setup)
{
    const double S = tower.shape.tokens, D = tower.shape.width;
    const int n = tower.adapted_layers;
    const double frozen = 2.0 * S * layer_params(tower.shape) * n;
    const double attention = 2.0 * 2.0 * 2.0 * S * S * D * n;
    const double lora = 2.0 * (layer_forward_flops(tower, setup, n, true) - layer_forward_flops(tower, setup, n, false));
    double projection = 2.0 * D * setup.model.projection_dim;
    if (tower.projection_adapted) projection += 2.0 * 2.0 * setup.rank * (D + setup.model.projection_dim);
    return frozen + attention + lora + projection;
}

std::uint64_t to_bytes(double bytes)
{
    return static_cast<std::uint64_t>(std::llround(std::max(0.0, bytes)));
}

} // namespace

void validate_training_setup(const TrainingSetup& s)
{
    const auto check_tower = [](const TowerShape& t, const char* which) {
        PHOTOTUNE_CHECK(t.layers > 0 && t.width > 0 && t.heads > 0 && t.mlp_width > 0 && t.tokens > 0 &&
                            t.width % t.heads == 0,
                        ErrorCategory::InvalidInput, std::string("the ") + which + " tower's shape is incomplete");
    };
    check_tower(s.model.vision, "vision");
    check_tower(s.model.text, "text");
    PHOTOTUNE_CHECK(s.rank >= 1, ErrorCategory::InvalidInput, "--rank must be at least 1");
    PHOTOTUNE_CHECK(s.batch >= 1, ErrorCategory::InvalidInput, "--batch must be at least 1");
    PHOTOTUNE_CHECK(s.accumulation >= 1 && s.accumulation <= s.batch, ErrorCategory::InvalidInput,
                    "--accum must be between 1 and the batch size");
    PHOTOTUNE_CHECK(s.precision == "fp32" || s.precision == "bf16" || s.precision == "fp16", ErrorCategory::InvalidInput,
                    "unknown precision '" + s.precision + "': use fp32, bf16 or fp16");
    PHOTOTUNE_CHECK(s.device == "cpu" || s.device == "cuda", ErrorCategory::InvalidInput,
                    "unknown device '" + s.device + "': use cpu or cuda");
    PHOTOTUNE_CHECK(s.towers == "both" || s.towers == "vision" || s.towers == "text", ErrorCategory::InvalidInput,
                    "--towers takes vision, text or vision,text");
    PHOTOTUNE_CHECK(s.last_layers >= 0 && s.lora_dropout >= 0.0 && s.lora_dropout < 1.0, ErrorCategory::InvalidInput,
                    "--last-layers must be >= 0 and the LoRA dropout in [0, 1)");
    PHOTOTUNE_CHECK(plan_tower(s, true).trained() || plan_tower(s, false).trained(), ErrorCategory::InvalidInput,
                    "the LoRA targets select no layer of the chosen towers: nothing would be trained");
}

std::int64_t lora_parameter_count(const TrainingSetup& setup)
{
    return tower_lora_params(plan_tower(setup, true), setup) + tower_lora_params(plan_tower(setup, false), setup);
}

MemoryBreakdown predict_memory(const TrainingSetup& setup)
{
    validate_training_setup(setup);
    const Numerics n = numerics_of(setup);
    const std::array<TowerPlan, 2> towers = {plan_tower(setup, true), plan_tower(setup, false)};
    // Gradient accumulation trains one micro-batch at a time (the largest has ceil(B / K) rows).
    const double rows = std::ceil(static_cast<double>(setup.batch) / setup.accumulation);

    MemoryBreakdown m;
    m.frozen_weights = to_bytes(kFloatBytes * static_cast<double>(setup.model.params_total()));
    m.lora_training_state = to_bytes(kLoraStateCopies * kFloatBytes * static_cast<double>(lora_parameter_count(setup)));

    double saved = 0.0, working = 0.0, copies = 0.0, no_grad_forward = 0.0;
    for (const auto& tower : towers) {
        if (!tower.trained()) {
            // A frozen tower runs on the whole batch without gradients (and, cached, only on photos
            // or captions it has not seen).
            no_grad_forward = std::max(no_grad_forward, setup.batch * no_grad_forward_bytes(tower, n));
            continue;
        }
        if (setup.accumulation > 1) // the feature pass over every micro-batch, without gradients
            no_grad_forward = std::max(no_grad_forward, rows * no_grad_forward_bytes(tower, n));
        const int adapted = tower.adapted_layers;
        const double first = adapted > 0 ? layer_saved_bytes(tower, true, setup, n) : 0.0;
        const double upper = adapted > 1 ? layer_saved_bytes(tower, false, setup, n) : 0.0;
        double tower_working = backward_working_bytes(tower, n);
        if (setup.gradient_checkpointing && adapted > 0) {
            // Each checkpointed layer keeps its input; backward re-runs one layer at a time.
            saved += rows * (adapted * kFloatBytes * tower.shape.tokens * tower.shape.width + tower_edge_bytes(tower, n));
            tower_working += std::max(first, upper);
        } else {
            saved += rows * (first + (adapted - 1 > 0 ? adapted - 1 : 0) * upper + tower_edge_bytes(tower, n));
        }
        working = std::max(working, rows * tower_working);
        if (n.half) copies += autocast_copy_bytes(tower, setup.gradient_checkpointing, setup.model.projection_dim);
    }
    if (n.half) copies += kHalfBytes * static_cast<double>(lora_parameter_count(setup)); // autocast's cache
    m.saved_activations = to_bytes(saved);
    m.autocast_weight_copies = to_bytes(copies);
    // The step's peak is either the backward (saved set + working set) or, when that is small, the
    // forward of a frozen tower; both are reported as the working set on top of what is saved.
    m.backward_working_set = to_bytes(std::max(working, no_grad_forward - saved));

    const double P = setup.model.projection_dim;
    const double cached_entries = static_cast<double>(std::max<std::int64_t>(setup.dataset_images, setup.batch));
    for (const auto& tower : towers)
        if (!tower.trained() && setup.cache_frozen_towers) m.frozen_tower_cache += to_bytes(kFloatBytes * P * cached_entries);

    const double image_bytes = 3.0 * setup.model.image_size * setup.model.image_size * kFloatBytes;
    const double token_bytes = 2.0 * setup.model.text.tokens * 8.0 + 8.0; // ids + mask (int64) + group id
    // The batch being trained and the next one, prefetched meanwhile (BatchPrefetcher).
    m.batch_inputs = to_bytes(2.0 * setup.batch * (image_bytes + token_bytes));

    if (n.cuda)
        m.runtime_overhead = kCudaContextBytes + to_bytes(kCudaAllocatorSlack * (saved + working + copies));
    return m;
}

StepFlops predict_step_flops(const TrainingSetup& setup)
{
    validate_training_setup(setup);
    StepFlops f;
    const double B = setup.batch;
    for (const bool vision : {true, false}) {
        const TowerPlan tower = plan_tower(setup, vision);
        if (!tower.trained()) {
            if (!setup.cache_frozen_towers) f.forward += B * tower_forward_flops(tower, setup);
            continue;
        }
        // With accumulation, every micro-batch's features are first computed without gradients.
        const double passes = setup.accumulation > 1 ? 2.0 : 1.0;
        f.forward += passes * B * tower_forward_flops(tower, setup);
        f.backward += B * tower_backward_flops(tower, setup);
        if (setup.gradient_checkpointing) f.recompute += B * layer_forward_flops(tower, setup, tower.adapted_layers, true);
    }
    return f;
}

std::vector<TowerActivity> tower_activity(const TrainingSetup& setup)
{
    validate_training_setup(setup);
    std::vector<TowerActivity> activity;
    for (const bool vision : {true, false}) {
        const TowerPlan tower = plan_tower(setup, vision);
        TowerActivity a;
        a.shape = tower.shape;
        if (tower.trained()) {
            a.forward_rows = (setup.accumulation > 1 ? 2.0 : 1.0) * setup.batch;
            a.backward_rows = setup.batch;
            a.backward_layers = tower.adapted_layers;
            a.adapted_linears = static_cast<int>(std::count(tower.adapted.begin(), tower.adapted.end(), true));
        } else if (!setup.cache_frozen_towers) {
            a.forward_rows = setup.batch;
        }
        activity.push_back(a);
    }
    return activity;
}

} // namespace phototune
