#pragma once
// HF CLIPTextEmbeddings and CLIPVisionEmbeddings. HF's `position_ids` buffers are non-persistent
// and are not registered here: positions are computed on the fly (older checkpoints that still
// carry them are handled by the checkpoint loader).

#include "core/model/clip_config.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

namespace phototune {

class ClipTextEmbeddingsImpl : public torch::nn::Module {
public:
    explicit ClipTextEmbeddingsImpl(const ClipTextConfig& config);

    // input_ids [B, S] (int64, S <= max_position_embeddings) -> [B, S, D]. Throws
    // Error(InvalidInput) for a wrong shape or a token id outside the vocabulary.
    at::Tensor forward(const at::Tensor& input_ids);

    torch::nn::Embedding token_embedding{nullptr};
    torch::nn::Embedding position_embedding{nullptr};
};

TORCH_MODULE(ClipTextEmbeddings);

class ClipVisionEmbeddingsImpl : public torch::nn::Module {
public:
    explicit ClipVisionEmbeddingsImpl(const ClipVisionConfig& config);

    // pixel_values [B, C, image_size, image_size] -> [B, 1 + num_patches, D] (CLS first). Throws
    // Error(InvalidInput) for any other shape.
    at::Tensor forward(const at::Tensor& pixel_values);

    at::Tensor class_embedding; // [D]
    torch::nn::Conv2d patch_embedding{nullptr};
    torch::nn::Embedding position_embedding{nullptr};

private:
    std::int64_t m_num_channels;
    std::int64_t m_image_size;
};

TORCH_MODULE(ClipVisionEmbeddings);

} // namespace phototune
