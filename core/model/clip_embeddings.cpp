#include "core/model/clip_embeddings.h"

#include "core/util/error.h"

#include <ATen/ATen.h>

#include <sstream>

namespace phototune {
namespace {

std::string shape_text(const at::Tensor& t)
{
    std::ostringstream out;
    out << t.sizes();
    return out.str();
}

} // namespace

ClipTextEmbeddingsImpl::ClipTextEmbeddingsImpl(const ClipTextConfig& config)
{
    token_embedding = register_module(
        "token_embedding", torch::nn::Embedding(torch::nn::EmbeddingOptions(config.vocab_size, config.hidden_size)));
    position_embedding = register_module(
        "position_embedding",
        torch::nn::Embedding(torch::nn::EmbeddingOptions(config.max_position_embeddings, config.hidden_size)));
}

at::Tensor ClipTextEmbeddingsImpl::forward(const at::Tensor& input_ids)
{
    const std::int64_t max_positions = position_embedding->weight.size(0);
    const std::int64_t vocab = token_embedding->weight.size(0);
    PHOTOTUNE_CHECK(input_ids.dim() == 2 && input_ids.size(1) >= 1 && input_ids.size(1) <= max_positions &&
                        !at::isFloatingType(input_ids.scalar_type()),
                    ErrorCategory::InvalidInput,
                    "text input must be integer token ids [batch, 1.." + std::to_string(max_positions) + "], not " +
                        shape_text(input_ids));
    if (input_ids.numel() > 0) {
        const auto [low, high] = at::aminmax(input_ids);
        PHOTOTUNE_CHECK(low.item<std::int64_t>() >= 0 && high.item<std::int64_t>() < vocab,
                        ErrorCategory::InvalidInput,
                        "a token id lies outside the model's vocabulary of " + std::to_string(vocab) +
                            "; the tokenizer does not belong to this model");
    }
    const std::int64_t seq = input_ids.size(1);
    const at::Tensor tokens = token_embedding->forward(input_ids.to(at::kLong));            // [B, S, D]
    const at::Tensor positions = position_embedding->weight.narrow(0, 0, seq).unsqueeze(0); // [1, S, D]
    return tokens + positions;
}

ClipVisionEmbeddingsImpl::ClipVisionEmbeddingsImpl(const ClipVisionConfig& config)
    : m_num_channels(config.num_channels), m_image_size(config.image_size)
{
    class_embedding = register_parameter("class_embedding", at::randn({config.hidden_size}));
    patch_embedding = register_module(
        "patch_embedding",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(config.num_channels, config.hidden_size, config.patch_size)
                              .stride(config.patch_size)
                              .bias(false)));
    position_embedding = register_module(
        "position_embedding",
        torch::nn::Embedding(torch::nn::EmbeddingOptions(config.num_positions(), config.hidden_size)));
}

at::Tensor ClipVisionEmbeddingsImpl::forward(const at::Tensor& pixel_values)
{
    PHOTOTUNE_CHECK(pixel_values.dim() == 4 && pixel_values.size(1) == m_num_channels &&
                        pixel_values.size(2) == m_image_size && pixel_values.size(3) == m_image_size,
                    ErrorCategory::InvalidInput,
                    "pixel values must be [batch, " + std::to_string(m_num_channels) + ", " +
                        std::to_string(m_image_size) + ", " + std::to_string(m_image_size) + "], not " +
                        shape_text(pixel_values));
    const std::int64_t batch = pixel_values.size(0);
    const at::Tensor patches = patch_embedding->forward(pixel_values.to(patch_embedding->weight.scalar_type())) // [B, D, g, g]
                                   .flatten(2)
                                   .transpose(1, 2);                             // [B, g*g, D]
    const at::Tensor cls = class_embedding.expand({batch, 1, -1});              // [B, 1, D]
    return at::cat({cls, patches}, 1) + position_embedding->weight.unsqueeze(0); // [B, 1 + g*g, D]
}

} // namespace phototune
