#include "core/hw/model_shape.h"

#include "core/util/error.h"

namespace phototune {
namespace {

// Weights and biases of one pre-LN encoder layer: q, k, v, out (D x D + D), fc1, fc2, two LayerNorms.
std::int64_t encoder_layer_params(std::int64_t width, std::int64_t mlp_width)
{
    return 4 * (width * width + width) + 2 * width * mlp_width + mlp_width + width + 2 * 2 * width;
}

TowerShape tower_shape(const ClipTowerConfig& tower, int tokens)
{
    TowerShape shape;
    shape.layers = static_cast<int>(tower.num_hidden_layers);
    shape.width = static_cast<int>(tower.hidden_size);
    shape.heads = static_cast<int>(tower.num_attention_heads);
    shape.mlp_width = static_cast<int>(tower.intermediate_size);
    shape.tokens = tokens;
    return shape;
}

TowerShape catalog_tower(const TowerSpec& spec, int tokens, const std::string& id, const char* which)
{
    PHOTOTUNE_CHECK(spec.width && spec.layers && spec.heads && spec.mlp_width, ErrorCategory::Unsupported,
                    id + ": the " + which + " tower (" + spec.architecture +
                        ") is not a plain transformer; the memory model covers CLIP ViT models only");
    TowerShape shape;
    shape.layers = *spec.layers;
    shape.width = *spec.width;
    shape.heads = *spec.heads;
    shape.mlp_width = *spec.mlp_width;
    shape.tokens = tokens;
    shape.params = spec.params;
    return shape;
}

} // namespace

ModelShape model_shape_from_config(const ClipConfig& config, const std::string& name)
{
    const auto& v = config.vision_config;
    const auto& t = config.text_config;
    ModelShape shape;
    shape.name = name;
    shape.image_size = static_cast<int>(v.image_size);
    shape.patch_size = static_cast<int>(v.patch_size);
    shape.projection_dim = static_cast<int>(config.projection_dim);
    shape.quick_gelu = v.activation() == ClipActivation::QuickGelu || t.activation() == ClipActivation::QuickGelu;
    shape.vision = tower_shape(v, static_cast<int>(v.num_positions()));
    shape.text = tower_shape(t, static_cast<int>(t.max_position_embeddings));
    const std::int64_t vd = v.hidden_size;
    const std::int64_t td = t.hidden_size;
    shape.vision.params = v.num_channels * v.patch_size * v.patch_size * vd // patch embedding (no bias)
                          + vd + v.num_positions() * vd                     // class + position embeddings
                          + 2 * 2 * vd                                      // pre and post LayerNorm
                          + v.num_hidden_layers * encoder_layer_params(vd, v.intermediate_size) +
                          vd * config.projection_dim;
    shape.text.params = (t.vocab_size + t.max_position_embeddings) * td + 2 * td +
                        t.num_hidden_layers * encoder_layer_params(td, t.intermediate_size) +
                        td * config.projection_dim;
    return shape;
}

ModelShape model_shape_from_catalog(const ModelEntry& entry)
{
    PHOTOTUNE_CHECK(entry.patch_size.has_value(), ErrorCategory::Unsupported,
                    entry.id + " has no patch size: the memory model covers CLIP ViT models only");
    ModelShape shape;
    shape.name = entry.id;
    shape.image_size = entry.image_size;
    shape.patch_size = *entry.patch_size;
    shape.projection_dim = entry.projection_dim;
    shape.quick_gelu = entry.hidden_act.value_or("quick_gelu") == "quick_gelu";
    const int patches = (entry.image_size / *entry.patch_size) * (entry.image_size / *entry.patch_size);
    shape.vision = catalog_tower(entry.vision, patches + 1, entry.id, "vision");
    shape.text = catalog_tower(entry.text, entry.context_length, entry.id, "text");
    return shape;
}

ClipConfig clip_config_for_shape(const ModelShape& shape)
{
    ClipConfig config;
    const auto set = [&](ClipTowerConfig& tower, const TowerShape& s) {
        tower.hidden_size = s.width;
        tower.num_hidden_layers = s.layers;
        tower.num_attention_heads = s.heads;
        tower.intermediate_size = s.mlp_width;
        tower.hidden_act = shape.quick_gelu ? "quick_gelu" : "gelu";
    };
    set(config.vision_config, shape.vision);
    set(config.text_config, shape.text);
    config.vision_config.image_size = shape.image_size;
    config.vision_config.patch_size = shape.patch_size;
    config.text_config.max_position_embeddings = shape.text.tokens;
    config.projection_dim = shape.projection_dim;
    config.name_or_path = shape.name;
    config.phototune_untrained = true;
    validate_clip_config(config, "shape of " + shape.name);
    return config;
}

} // namespace phototune
