#pragma once
// One optimizer step of contrastive LoRA training on a batch: forward, loss, backward, gradient
// clipping, AdamW, with gradient accumulation that keeps every negative of the full batch,
// bf16/fp16 autocast with a dynamic loss scaler, a cache for frozen towers and NaN/Inf detection.
// It runs in the calling thread and knows nothing of epochs, data or files (see the trainer).

#include "core/model/clip_model.h"
#include "core/model/autocast_scope.h"
#include "core/train/loss_scaler.h"
#include "core/train/optimizer.h"
#include "core/train/tower_cache.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

enum class TrainPrecision { Fp32, Bf16, Fp16 };
std::string_view train_precision_name(TrainPrecision precision); // "fp32", "bf16", "fp16"
TrainPrecision parse_train_precision(std::string_view name);     // throws Error(InvalidInput)

enum class ContrastiveLossKind { Clip, Siglip };
std::string_view contrastive_loss_name(ContrastiveLossKind kind); // "clip", "siglip"
ContrastiveLossKind parse_contrastive_loss(std::string_view name); // throws Error(InvalidInput)

struct TrainBatch {
    at::Tensor pixel_values;             // [B, 3, H, W] float
    at::Tensor input_ids;                // [B, L] int64
    at::Tensor attention_mask;           // [B, L] int64 (1 = token)
    at::Tensor group_ids;                // [B] int64: rows sharing an id (caption/label) are all positives
    std::vector<std::int64_t> photo_ids; // [B] or empty: keys of the frozen vision-tower cache
};

struct TrainStepOptions {
    AdamWOptions optimizer;
    // Micro-batches per step (open_clip's accum-freq): the batch is embedded without gradients,
    // then each micro-batch is re-run with gradients against the cached features of the others,
    // so the loss and gradients are those of the whole batch at 1/K of its activation memory.
    std::int64_t accumulation_steps = 1;
    TrainPrecision precision = TrainPrecision::Fp32; // Fp16 needs CUDA and turns loss scaling on
    ContrastiveLossKind loss = ContrastiveLossKind::Clip;
    double max_grad_norm = 1.0;     // total L2 norm clip; <= 0 disables clipping (the norm is still reported)
    bool cache_frozen_towers = true;
    // A caption repeated in a batch goes through the text tower once (batches of folder labels
    // repeat a handful of captions). Same loss and gradients; the text tower's dropout masks are
    // then shared by the repeats.
    bool encode_repeated_captions_once = true;
    bool augmentation = false;      // random augmentation changes pixels: never cache the vision tower then
    bool loss_scaling = false;      // dynamic loss scaling also without fp16 (for tests and experiments)
    LossScalerOptions scaler;
};

struct TrainStepResult {
    double loss = 0.0;       // the batch loss before the update
    double grad_norm = 0.0;  // total L2 norm of the unscaled gradients before clipping
    bool skipped = false;    // no update was made (non_finite or overflow)
    bool non_finite = false; // the loss or the gradients were NaN/Inf: stop and go back to a good checkpoint
    bool overflow = false;   // fp16 loss scaling overflowed: the scale was reduced, training goes on
    double loss_scale = 1.0; // the scale after this step (1 without loss scaling)
};

// The sigmoid loss's temperature and bias for CLIP models, which have no logit_bias: learnable, and
// initialised as SigLIP does (scale log 10, bias -10) rather than from CLIP's softmax temperature,
// whose exp(logit_scale) of ~100 would put every negative pair far above the sigmoid's midpoint.
// They are trained with the LoRA weights ("siglip.logit_scale", "siglip.logit_bias").
inline constexpr double kSiglipInitLogitScale = 2.302585092994046; // log(10)
inline constexpr double kSiglipInitLogitBias = -10.0;

class TrainStepper {
public:
    // `model`'s trainable parameters (those requiring grad, e.g. after apply_lora) are optimized.
    // Throws Error(InvalidInput) when nothing is trainable or an option is out of range, and
    // Error(Unsupported) for fp16 off CUDA.
    TrainStepper(ClipModel model, TrainStepOptions options);

    // One optimizer step (puts the model in training mode). The batch may live on any device.
    // Throws Error(InvalidInput) for inconsistent batch shapes or fewer rows than micro-batches.
    TrainStepResult step(const TrainBatch& batch);

    // The loss of `batch` with the current weights, without gradients or update.
    double loss(const TrainBatch& batch);

    AdamW& optimizer() { return *m_optimizer; }
    const std::optional<LossScaler>& loss_scaler() const { return m_scaler; }
    FrozenTowerCache& tower_cache() { return m_cache; }
    const TrainStepOptions& options() const { return m_options; }
    bool vision_trainable() const { return m_vision_trainable; }
    bool text_trainable() const { return m_text_trainable; }

    // What a checkpoint needs besides the LoRA weights: "optimizer.*" (AdamW::state_dict), the loss
    // scaler's state and the SigLIP head. load_training_state checks everything before changing
    // anything and names `source` in its Error(InvalidInput).
    std::map<std::string, at::Tensor> training_state() const;
    void load_training_state(const std::map<std::string, at::Tensor>& state, const std::filesystem::path& source);

private:
    struct Features {
        at::Tensor image; // [B, P] float32, unnormalised
        at::Tensor text;
    };

    TrainBatch on_device(const TrainBatch& batch) const;
    at::Tensor image_features(const at::Tensor& pixel_values);
    at::Tensor text_features(const at::Tensor& input_ids, const at::Tensor& attention_mask);
    at::Tensor frozen_image_features(const TrainBatch& batch);
    at::Tensor frozen_text_features(const TrainBatch& batch);
    at::Tensor contrastive_loss(const Features& features, const at::Tensor& group_ids, bool temperature_grad);

    ClipModel m_model;
    TrainStepOptions m_options;
    AutocastState m_autocast;
    at::Device m_device{at::kCPU};
    bool m_vision_trainable = false;
    bool m_text_trainable = false;
    at::Tensor m_siglip_logit_scale; // defined only for the sigmoid loss
    at::Tensor m_siglip_logit_bias;
    std::unique_ptr<AdamW> m_optimizer;
    std::optional<LossScaler> m_scaler;
    FrozenTowerCache m_cache;
};

// Total L2 norm of the parameters' gradients; when above max_norm (> 0) the gradients are scaled
// by max_norm / (norm + 1e-6), as torch.nn.utils.clip_grad_norm_ does.
double clip_gradient_norm(const std::vector<at::Tensor>& parameters, double max_norm);

} // namespace phototune
