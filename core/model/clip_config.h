#pragma once
// The settings of a Hugging Face CLIPModel, with transformers' field names and defaults, so that a
// hub config.json (a full dump or the "only what differs" file save_pretrained writes) reads 1:1.
// Torch-free: the planner and the model catalogue read configs without LibTorch.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace phototune {

// The activations CLIP checkpoints use. HF's `hidden_act` strings map onto these.
enum class ClipActivation {
    QuickGelu, // "quick_gelu": x * sigmoid(1.702 x), OpenAI CLIP
    Gelu,      // "gelu": exact erf GELU (LAION/DataComp models)
    GeluTanh,  // "gelu_new", "gelu_pytorch_tanh": the tanh approximation
};

// Fields shared by the text and the vision tower (one transformer encoder each).
struct ClipTowerConfig {
    std::int64_t hidden_size = 0;
    std::int64_t intermediate_size = 0;
    std::int64_t num_hidden_layers = 0;
    std::int64_t num_attention_heads = 0;
    std::string hidden_act = "quick_gelu";
    double layer_norm_eps = 1e-5;
    double attention_dropout = 0.0;
    double initializer_range = 0.02;
    double initializer_factor = 1.0;

    std::int64_t head_dim() const { return hidden_size / num_attention_heads; }
    ClipActivation activation() const; // hidden_act, validated by the parser
};

struct ClipTextConfig : ClipTowerConfig {
    ClipTextConfig();
    std::int64_t vocab_size = 49408;
    std::int64_t max_position_embeddings = 77;
    std::int64_t bos_token_id = 49406;
    std::int64_t eos_token_id = 49407; // legacy hub configs say 2: HF then pools at argmax(input_ids)
    std::int64_t pad_token_id = 1;
};

struct ClipVisionConfig : ClipTowerConfig {
    ClipVisionConfig();
    std::int64_t num_channels = 3;
    std::int64_t image_size = 224;
    std::int64_t patch_size = 32;

    std::int64_t num_patches() const { return (image_size / patch_size) * (image_size / patch_size); }
    std::int64_t num_positions() const { return num_patches() + 1; } // + CLS
};

struct ClipConfig {
    ClipTextConfig text_config;
    ClipVisionConfig vision_config;
    std::int64_t projection_dim = 512;
    double logit_scale_init_value = 2.6592;
    double initializer_factor = 1.0;
    std::string torch_dtype = "float32";
    std::string name_or_path;         // "_name_or_path"; written only when set
    bool phototune_untrained = false; // marks a randomly initialised model made by the studio
};

std::string_view clip_activation_name(ClipActivation activation);

// Parses config.json text; keys that are absent or null take transformers' defaults. Throws
// Error(InvalidInput) naming `source` for malformed JSON, wrong value types, non-positive sizes or
// hidden_size not divisible by num_attention_heads; Error(Unsupported) for an unknown hidden_act.
ClipConfig parse_clip_config(std::string_view json_text, const std::filesystem::path& source);
ClipConfig load_clip_config(const std::filesystem::path& config_json);

// Throws the parser's errors for a config built in code (presets, tests).
void validate_clip_config(const ClipConfig& config, const std::filesystem::path& source);

// A full config.json (every field, like the hub's openai/* dumps), readable by transformers.
std::string to_json(const ClipConfig& config);

} // namespace phototune
