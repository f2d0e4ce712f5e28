#include "core/model/clip_init.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

namespace phototune {
namespace {

void fill_normal(const at::Tensor& t, double std, at::Generator& generator) { t.normal_(0.0, std, generator); }

void init_layer_norm(torch::nn::LayerNorm& norm)
{
    norm->weight.fill_(1.0);
    norm->bias.zero_();
}

void init_linear(LoraLinear& linear, double std, at::Generator& generator)
{
    fill_normal(linear->weight, std, generator);
    if (linear->bias.defined()) linear->bias.zero_();
}

void init_encoder(ClipEncoderImpl& encoder, const ClipTowerConfig& tower, double factor, at::Generator& generator)
{
    const double width = static_cast<double>(tower.hidden_size);
    const double depth_scale = std::pow(2.0 * static_cast<double>(tower.num_hidden_layers), -0.5);
    const double attention_in_std = std::pow(width, -0.5) * depth_scale * factor;
    const double attention_out_std = std::pow(width, -0.5) * factor;
    const double fc1_std = std::pow(2.0 * width, -0.5) * factor;
    const double fc2_std = std::pow(width, -0.5) * depth_scale * factor;
    for (std::size_t i = 0; i < encoder.layers->size(); ++i) {
        ClipEncoderLayer layer = encoder.layer(i);
        init_linear(layer->self_attn->q_proj, attention_in_std, generator);
        init_linear(layer->self_attn->k_proj, attention_in_std, generator);
        init_linear(layer->self_attn->v_proj, attention_in_std, generator);
        init_linear(layer->self_attn->out_proj, attention_out_std, generator);
        init_linear(layer->mlp->fc1, fc1_std, generator);
        init_linear(layer->mlp->fc2, fc2_std, generator);
        init_layer_norm(layer->layer_norm1);
        init_layer_norm(layer->layer_norm2);
    }
}

} // namespace

void init_clip_weights(ClipModelImpl& model, std::uint64_t seed)
{
    at::NoGradGuard no_grad;
    at::Generator generator = at::detail::createCPUGenerator(seed);
    const ClipConfig& config = model.config();
    const double factor = config.initializer_factor;
    const ClipTextConfig& text = config.text_config;
    const ClipVisionConfig& vision = config.vision_config;

    ClipTextEmbeddingsImpl& text_embeddings = *model.text_model->embeddings;
    fill_normal(text_embeddings.token_embedding->weight, 0.02 * factor, generator);
    fill_normal(text_embeddings.position_embedding->weight, 0.02 * factor, generator);
    init_encoder(*model.text_model->encoder, text, factor, generator);
    init_layer_norm(model.text_model->final_layer_norm);

    ClipVisionEmbeddingsImpl& vision_embeddings = *model.vision_model->embeddings;
    fill_normal(vision_embeddings.class_embedding, std::pow(static_cast<double>(vision.hidden_size), -0.5) * factor,
                generator);
    fill_normal(vision_embeddings.patch_embedding->weight, vision.initializer_range * factor, generator);
    fill_normal(vision_embeddings.position_embedding->weight, vision.initializer_range * factor, generator);
    init_layer_norm(model.vision_model->pre_layrnorm);
    init_encoder(*model.vision_model->encoder, vision, factor, generator);
    init_layer_norm(model.vision_model->post_layernorm);

    init_linear(model.visual_projection, std::pow(static_cast<double>(vision.hidden_size), -0.5) * factor, generator);
    init_linear(model.text_projection, std::pow(static_cast<double>(text.hidden_size), -0.5) * factor, generator);
    model.logit_scale.fill_(config.logit_scale_init_value);
}

} // namespace phototune
