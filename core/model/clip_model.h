#pragma once
// HF CLIPModel: both towers, the two projections (no bias) and the learned temperature.
// Parameter names equal the Hugging Face state-dict keys ("text_model.encoder.layers.0.self_attn.
// q_proj.weight", "vision_model.pre_layrnorm.bias", "logit_scale", ...).

#include "core/lora/lora_linear.h"
#include "core/model/clip_config.h"
#include "core/model/clip_transformers.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace phototune {

// Everything CLIPModel(..., output_hidden_states=True) returns, under the fixture's names.
struct ClipOutput {
    at::Tensor logits_per_image;            // [B_img, B_txt] = logits_per_text^T
    at::Tensor logits_per_text;             // [B_txt, B_img] = exp(logit_scale) * text_embeds @ image_embeds^T
    at::Tensor image_embeds;                // [B_img, P] L2-normalised
    at::Tensor text_embeds;                 // [B_txt, P] L2-normalised
    at::Tensor image_embeds_unnormalized;   // [B_img, P] visual_projection(vision_pooled_output)
    at::Tensor text_embeds_unnormalized;    // [B_txt, P] text_projection(text_pooled_output)
    at::Tensor vision_pooled_output;        // [B_img, Dv] post_layernorm(CLS)
    at::Tensor text_pooled_output;          // [B_txt, Dt] final_layer_norm output at EOT
    at::Tensor vision_last_hidden_state;    // [B_img, 1 + patches, Dv]
    at::Tensor text_last_hidden_state;      // [B_txt, S, Dt]
    std::vector<at::Tensor> vision_hidden_states; // layers + 1, when asked for
    std::vector<at::Tensor> text_hidden_states;   // layers + 1, when asked for
};

// x / ||x||_2 along the last dimension, as HF does it (no epsilon).
at::Tensor l2_normalize(const at::Tensor& x);

class ClipModelImpl : public torch::nn::Module {
public:
    // Builds the tree with placeholder values; load weights with load_clip_model or initialise them
    // with create_untrained_clip. Throws validate_clip_config's errors.
    explicit ClipModelImpl(ClipConfig config);

    // pixel_values [B_img, C, H, W]; input_ids, attention_mask [B_txt, S] (mask may be undefined).
    ClipOutput forward(const at::Tensor& pixel_values, const at::Tensor& input_ids, const at::Tensor& attention_mask,
                       bool output_hidden_states = false);

    // HF get_image_features / get_text_features: projected, not normalised. -> [B, P]
    at::Tensor get_image_features(const at::Tensor& pixel_values);
    at::Tensor get_text_features(const at::Tensor& input_ids, const at::Tensor& attention_mask);

    const ClipConfig& config() const { return m_config; }

    ClipTextTransformer text_model{nullptr};
    ClipVisionTransformer vision_model{nullptr};
    LoraLinear visual_projection{nullptr}; // [P, Dv], no bias
    LoraLinear text_projection{nullptr};   // [P, Dt], no bias
    at::Tensor logit_scale;                // 0-dim, log of the inverse temperature

private:
    ClipConfig m_config;
};

TORCH_MODULE(ClipModel);

} // namespace phototune
