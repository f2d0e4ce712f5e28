#include "core/model/clip_model.h"

#include <ATen/ATen.h>

#include <utility>

namespace phototune {
namespace {

ClipConfig validated(ClipConfig config)
{
    validate_clip_config(config, "config.json");
    return config;
}

} // namespace

at::Tensor l2_normalize(const at::Tensor& x)
{
    return x / x.norm(2, {-1}, /*keepdim=*/true);
}

ClipModelImpl::ClipModelImpl(ClipConfig config) : m_config(validated(std::move(config)))
{
    text_model = register_module("text_model", ClipTextTransformer(m_config.text_config));
    vision_model = register_module("vision_model", ClipVisionTransformer(m_config.vision_config));
    visual_projection = register_module(
        "visual_projection", LoraLinear(m_config.vision_config.hidden_size, m_config.projection_dim, false));
    text_projection = register_module(
        "text_projection", LoraLinear(m_config.text_config.hidden_size, m_config.projection_dim, false));
    logit_scale = register_parameter("logit_scale", at::scalar_tensor(m_config.logit_scale_init_value, at::kFloat));
}

ClipOutput ClipModelImpl::forward(const at::Tensor& pixel_values, const at::Tensor& input_ids,
                                  const at::Tensor& attention_mask, bool output_hidden_states)
{
    ClipOutput out;
    ClipTowerOutput vision = vision_model->forward(pixel_values, output_hidden_states);
    ClipTowerOutput text = text_model->forward(input_ids, attention_mask, output_hidden_states);
    out.image_embeds_unnormalized = visual_projection->forward(vision.pooled_output); // [B_img, P]
    out.text_embeds_unnormalized = text_projection->forward(text.pooled_output);      // [B_txt, P]
    out.image_embeds = l2_normalize(out.image_embeds_unnormalized);
    out.text_embeds = l2_normalize(out.text_embeds_unnormalized);
    out.logits_per_text = at::matmul(out.text_embeds, out.image_embeds.t()) * logit_scale.exp(); // [B_txt, B_img]
    out.logits_per_image = out.logits_per_text.t();                                             // [B_img, B_txt]
    out.vision_pooled_output = std::move(vision.pooled_output);
    out.text_pooled_output = std::move(text.pooled_output);
    out.vision_last_hidden_state = std::move(vision.last_hidden_state);
    out.text_last_hidden_state = std::move(text.last_hidden_state);
    out.vision_hidden_states = std::move(vision.hidden_states);
    out.text_hidden_states = std::move(text.hidden_states);
    return out;
}

at::Tensor ClipModelImpl::get_image_features(const at::Tensor& pixel_values)
{
    return visual_projection->forward(vision_model->forward(pixel_values).pooled_output);
}

at::Tensor ClipModelImpl::get_text_features(const at::Tensor& input_ids, const at::Tensor& attention_mask)
{
    return text_projection->forward(text_model->forward(input_ids, attention_mask).pooled_output);
}

} // namespace phototune
