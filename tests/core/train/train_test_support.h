#pragma once
// Shared by the training tests: small LoRA models, synthetic batches and tensor comparisons.

#include "core/lora/lora_config.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_presets.h"
#include "core/train/train_step.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace phototune::test {

// The tiny preset with LoRA on `targets` of `towers`; lora_B is drawn at random (peft's zero init
// would leave lora_A without a gradient on the first step). Uses the global generator.
inline ClipModel tiny_lora_model(std::uint64_t seed, LoraTowers towers = LoraTowers::Both, double dropout = 0.0,
                                 bool train_logit_scale = false)
{
    at::manual_seed(seed);
    ClipModel model = create_untrained_clip("tiny", seed);
    LoraSettings settings;
    settings.r = 4;
    settings.lora_alpha = 8;
    settings.lora_dropout = dropout;
    settings.target_modules = {"q_proj", "v_proj", "fc1"};
    settings.towers = towers;
    settings.train_logit_scale = train_logit_scale;
    apply_lora(*model, settings);
    at::NoGradGuard no_grad;
    for (const auto& layer : lora_capable_layers(*model, /*with_adapter_only=*/true))
        layer.layer->lora_B->weight.normal_(0.0, 0.05);
    return model;
}

// B rows of random pixels and captions of different lengths (SOT, random words, EOT, padding).
inline TrainBatch random_batch(std::int64_t rows, std::vector<std::int64_t> groups, std::uint64_t seed)
{
    at::manual_seed(seed);
    constexpr std::int64_t kLength = 77;
    TrainBatch batch;
    batch.pixel_values = at::randn({rows, 3, 224, 224});
    batch.input_ids = at::full({rows, kLength}, 49407, at::kLong);
    batch.attention_mask = at::zeros({rows, kLength}, at::kLong);
    for (std::int64_t i = 0; i < rows; ++i) {
        const std::int64_t words = 2 + (i * 3) % 7;
        batch.input_ids[i][0] = 49406;
        batch.input_ids[i].slice(0, 1, 1 + words).copy_(at::randint(300, 40000, {words}, at::kLong));
        batch.attention_mask[i].slice(0, 0, words + 2).fill_(1);
    }
    batch.group_ids = at::tensor(groups, at::kLong);
    for (std::int64_t i = 0; i < rows; ++i) batch.photo_ids.push_back(1000 + i);
    return batch;
}

inline std::vector<std::int64_t> distinct_groups(std::int64_t rows)
{
    std::vector<std::int64_t> g(static_cast<std::size_t>(rows));
    for (std::int64_t i = 0; i < rows; ++i) g[static_cast<std::size_t>(i)] = i;
    return g;
}

inline double max_abs_diff(const at::Tensor& a, const at::Tensor& b)
{
    return (a.detach().to(at::kDouble) - b.detach().to(at::kDouble)).abs().max().item<double>();
}

// The largest gradient difference between two optimizers' parameters (same names, same order).
inline double max_grad_diff(const AdamW& a, const AdamW& b)
{
    double worst = 0.0;
    for (std::size_t i = 0; i < a.parameters().size(); ++i)
        worst = std::max(worst, max_abs_diff(a.parameters()[i].second.grad(), b.parameters()[i].second.grad()));
    return worst;
}

} // namespace phototune::test
