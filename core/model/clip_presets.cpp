#include "core/model/clip_presets.h"

#include "core/model/clip_checkpoint.h"
#include "core/model/clip_init.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace phototune {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void set_tower(ClipTowerConfig& tower, std::int64_t width, std::int64_t layers, std::int64_t heads,
               std::int64_t intermediate)
{
    tower.hidden_size = width;
    tower.num_hidden_layers = layers;
    tower.num_attention_heads = heads;
    tower.intermediate_size = intermediate;
}

// CLIPImageProcessor's defaults (OpenAI CLIP's preprocessing) for the model's input size.
std::string preprocessor_config_json(std::int64_t image_size)
{
    const json config{{"crop_size", {{"height", image_size}, {"width", image_size}}},
                      {"do_center_crop", true},
                      {"do_convert_rgb", true},
                      {"do_normalize", true},
                      {"do_rescale", true},
                      {"do_resize", true},
                      {"image_mean", {0.48145466, 0.4578275, 0.40821073}},
                      {"image_processor_type", "CLIPImageProcessor"},
                      {"image_std", {0.26862954, 0.26130258, 0.27577711}},
                      {"resample", 3},
                      {"rescale_factor", 1.0 / 255.0},
                      {"size", {{"shortest_edge", image_size}}}};
    return config.dump(2) + "\n";
}

json special_token(const char* content)
{
    return json{{"content", content}, {"lstrip", false}, {"normalized", true}, {"rstrip", false}, {"single_word", false}};
}

// What CLIPTokenizer.save_pretrained writes, so that the folder's tokenizer is the OpenAI one with
// a 77-token context.
std::string tokenizer_config_json(std::int64_t context_length)
{
    json added = json::object();
    json bos = special_token("<|startoftext|>");
    json eos = special_token("<|endoftext|>");
    bos["special"] = true;
    eos["special"] = true;
    added["49406"] = bos;
    added["49407"] = eos;
    const json config{{"added_tokens_decoder", added},
                      {"bos_token", "<|startoftext|>"},
                      {"clean_up_tokenization_spaces", true},
                      {"eos_token", "<|endoftext|>"},
                      {"errors", "replace"},
                      {"model_max_length", context_length},
                      {"pad_token", "<|endoftext|>"},
                      {"tokenizer_class", "CLIPTokenizer"},
                      {"unk_token", "<|endoftext|>"}};
    return config.dump(2) + "\n";
}

std::string special_tokens_map_json()
{
    const json map{{"bos_token", special_token("<|startoftext|>")},
                   {"eos_token", special_token("<|endoftext|>")},
                   {"pad_token", "<|endoftext|>"},
                   {"unk_token", special_token("<|endoftext|>")}};
    return map.dump(2) + "\n";
}

void copy_file_atomic(const fs::path& from, const fs::path& to)
{
    const std::vector<std::uint8_t> bytes = read_binary_file(from);
    const std::span<const std::uint8_t> piece(bytes);
    write_file_atomic(to, std::span<const std::span<const std::uint8_t>>(&piece, 1));
}

} // namespace

std::vector<std::string> clip_preset_names() { return {"tiny", "small", "vit-b-32"}; }

ClipConfig clip_preset_config(std::string_view preset)
{
    ClipConfig config; // transformers' defaults: the ViT-B/32 text tower, vocab and image size
    if (preset == "tiny") {
        set_tower(config.text_config, 64, 2, 4, 128);
        set_tower(config.vision_config, 64, 2, 4, 128);
        config.projection_dim = 32;
    } else if (preset == "small") {
        set_tower(config.text_config, 256, 4, 4, 1024);
        set_tower(config.vision_config, 256, 4, 4, 1024);
        config.projection_dim = 128;
    } else if (preset == "vit-b-32") {
        set_tower(config.text_config, 512, 12, 8, 2048);
        set_tower(config.vision_config, 768, 12, 12, 3072);
        config.projection_dim = 512;
    } else {
        throw Error(ErrorCategory::InvalidInput,
                    "unknown model preset \"" + std::string(preset) + "\"; choose tiny, small or vit-b-32");
    }
    config.name_or_path = "phototune-untrained-" + std::string(preset);
    config.phototune_untrained = true;
    return config;
}

ClipModel create_untrained_clip(std::string_view preset, std::uint64_t seed)
{
    ClipModel model(clip_preset_config(preset));
    init_clip_weights(*model, seed);
    return model;
}

void write_untrained_model_dir(std::string_view preset, const fs::path& out_dir, const fs::path& tokenizer_dir,
                               std::uint64_t seed)
{
    const fs::path vocab = tokenizer_dir / "vocab.json";
    const fs::path merges = tokenizer_dir / "merges.txt";
    for (const fs::path& file : {vocab, merges}) {
        PHOTOTUNE_CHECK(fs::is_regular_file(file), ErrorCategory::NotFound,
                        "the tokenizer file " + path_for_display(file) +
                            " is missing; the studio's resources/tokenizer/ folder is incomplete");
    }
    ClipModel model = create_untrained_clip(preset, seed);
    save_clip_model(*model, out_dir, at::kFloat,
                    {{"phototune_untrained", "true"},
                     {"phototune_preset", std::string(preset)},
                     {"phototune_seed", std::to_string(seed)}});
    copy_file_atomic(vocab, out_dir / "vocab.json");
    copy_file_atomic(merges, out_dir / "merges.txt");
    const ClipConfig& config = model->config();
    write_file_atomic(out_dir / "tokenizer_config.json",
                      tokenizer_config_json(config.text_config.max_position_embeddings));
    write_file_atomic(out_dir / "special_tokens_map.json", special_tokens_map_json());
    write_file_atomic(out_dir / "preprocessor_config.json", preprocessor_config_json(config.vision_config.image_size));
}

} // namespace phototune
