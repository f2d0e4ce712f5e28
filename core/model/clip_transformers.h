#pragma once
// The two towers of HF CLIP: CLIPTextTransformer and CLIPVisionTransformer.

#include "core/model/clip_config.h"
#include "core/model/clip_embeddings.h"
#include "core/model/clip_encoder.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <vector>

namespace phototune {

struct ClipTowerOutput {
    at::Tensor last_hidden_state;          // [B, S, D]
    at::Tensor pooled_output;              // [B, D]
    std::vector<at::Tensor> hidden_states; // num_hidden_layers + 1 of [B, S, D] when asked for, else empty
};

// The additive text mask HF 4.40 builds: causal (finfo.min above the diagonal) plus padding
// (finfo.min on the columns of padded keys), added together so that both give -inf.
// attention_mask [B, S] of 0/1 or undefined -> [B or 1, 1, S, S] in `dtype`.
at::Tensor clip_text_attention_mask(const at::Tensor& attention_mask, std::int64_t seq, at::ScalarType dtype);

// The position the text is pooled at, per row: argmax(input_ids) for legacy configs whose
// eos_token_id is 2, else the first position holding eos_token_id (0 when there is none).
at::Tensor clip_text_pool_positions(const at::Tensor& input_ids, std::int64_t eos_token_id); // [B, S] -> [B]

class ClipTextTransformerImpl : public torch::nn::Module {
public:
    explicit ClipTextTransformerImpl(const ClipTextConfig& config);

    // input_ids [B, S], attention_mask [B, S] (1 = token, 0 = padding) or undefined.
    // last_hidden_state = final_layer_norm(encoder output) [B, S, D]; pooled at the EOT position [B, D].
    ClipTowerOutput forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                            bool output_hidden_states = false);

    ClipTextEmbeddings embeddings{nullptr};
    ClipEncoder encoder{nullptr};
    torch::nn::LayerNorm final_layer_norm{nullptr};

private:
    std::int64_t m_eos_token_id;
};

TORCH_MODULE(ClipTextTransformer);

class ClipVisionTransformerImpl : public torch::nn::Module {
public:
    explicit ClipVisionTransformerImpl(const ClipVisionConfig& config);

    // pixel_values [B, C, H, W] -> last_hidden_state = encoder output [B, 1 + P, D] (no
    // post_layernorm); pooled = post_layernorm(CLS) [B, D].
    ClipTowerOutput forward(const at::Tensor& pixel_values, bool output_hidden_states = false);

    ClipVisionEmbeddings embeddings{nullptr};
    torch::nn::LayerNorm pre_layrnorm{nullptr}; // sic: HF's key spelling
    ClipEncoder encoder{nullptr};
    torch::nn::LayerNorm post_layernorm{nullptr};
};

TORCH_MODULE(ClipVisionTransformer);

} // namespace phototune
