#include "core/model/clip_checkpoint.h"

#include "core/io/tensor_io.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>
#include <utility>
#include <vector>

namespace phototune {
namespace {

namespace fs = std::filesystem;

bool is_adapter_parameter(const std::string& name)
{
    return name.find(".lora_A.") != std::string::npos || name.find(".lora_B.") != std::string::npos;
}

bool ends_with(const std::string& text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shape_text(at::IntArrayRef sizes)
{
    std::ostringstream out;
    out << sizes;
    return out.str();
}

// "a, b, c and 12 more": long enough to recognise a wrong model, short enough to read.
std::string list_text(const std::vector<std::string>& items)
{
    constexpr std::size_t shown = 8;
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < shown; ++i) text += (i ? ", " : "") + items[i];
    if (items.size() > shown) text += " and " + std::to_string(items.size() - shown) + " more";
    return text;
}

// The weights of a sharded checkpoint: every file that model.safetensors.index.json's weight_map
// names, which must sit next to it.
std::map<std::string, at::Tensor> load_sharded(const fs::path& index_path)
{
    nlohmann::json index;
    try {
        index = nlohmann::json::parse(read_text_file(index_path));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCategory::InvalidInput,
                    path_for_display(index_path) + " is not valid JSON (" + e.what() + "); re-download the model");
    }
    const auto map = index.find("weight_map");
    PHOTOTUNE_CHECK(index.is_object() && map != index.end() && map->is_object(), ErrorCategory::InvalidInput,
                    path_for_display(index_path) + " has no \"weight_map\" object; re-download the model");
    std::set<std::string> shards;
    for (const auto& [key, file] : map->items()) {
        PHOTOTUNE_CHECK(file.is_string(), ErrorCategory::InvalidInput,
                        path_for_display(index_path) + ": the shard of \"" + key + "\" is not a file name");
        const std::string name = file.get<std::string>();
        PHOTOTUNE_CHECK(!name.empty() && fs::path(name).filename() == fs::path(name) && name != ".." && name != ".",
                        ErrorCategory::InvalidInput,
                        path_for_display(index_path) + " names a shard outside its folder: \"" + name + "\"");
        shards.insert(name);
    }
    std::map<std::string, at::Tensor> tensors;
    for (const std::string& shard : shards) tensors.merge(load_safetensors(index_path.parent_path() / shard));
    return tensors;
}

std::pair<std::map<std::string, at::Tensor>, fs::path> load_weights(const fs::path& model_dir)
{
    const fs::path single = model_dir / "model.safetensors";
    if (fs::exists(single)) return {load_safetensors(single), single};
    const fs::path index = model_dir / "model.safetensors.index.json";
    if (fs::exists(index)) return {load_sharded(index), index};
    PHOTOTUNE_CHECK(!fs::exists(model_dir / "pytorch_model.bin"), ErrorCategory::Unsupported,
                    path_for_display(model_dir) +
                        " holds only pytorch_model.bin (a pickle, which the studio never loads); download the "
                        "model's model.safetensors or convert it with transformers' save_pretrained");
    throw Error(ErrorCategory::NotFound, path_for_display(single) + " does not exist; the folder " +
                                             path_for_display(model_dir) + " is not a complete CLIP model");
}

std::string torch_dtype_name(at::ScalarType dtype)
{
    switch (dtype) {
    case at::kFloat: return "float32";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    default:
        throw Error(ErrorCategory::InvalidInput,
                    std::string("a CLIP model is saved as float32, float16 or bfloat16, not ") + c10::toString(dtype));
    }
}

} // namespace

void load_clip_weights(ClipModelImpl& model, const std::map<std::string, at::Tensor>& tensors, const fs::path& source)
{
    std::vector<std::string> missing, unexpected, mis_shaped;
    std::vector<std::pair<at::Tensor, at::Tensor>> copies; // (parameter, value)
    std::set<std::string> known;
    for (const auto& item : model.named_parameters(/*recurse=*/true)) {
        const std::string& name = item.key();
        if (is_adapter_parameter(name)) continue;
        known.insert(name);
        const auto found = tensors.find(name);
        if (found == tensors.end()) {
            missing.push_back(name);
        } else if (!at::isFloatingType(found->second.scalar_type())) {
            mis_shaped.push_back(name + " is " + c10::toString(found->second.scalar_type()) + ", not a float type");
        } else if (found->second.sizes() != item.value().sizes()) {
            mis_shaped.push_back(name + " is " + shape_text(found->second.sizes()) + ", config.json needs " +
                                 shape_text(item.value().sizes()));
        } else {
            copies.emplace_back(item.value(), found->second);
        }
    }
    for (const auto& [name, tensor] : tensors) {
        // Buffers that checkpoints saved before transformers 4.31 still carry.
        if (!known.count(name) && !ends_with(name, ".position_ids")) unexpected.push_back(name);
    }
    if (!missing.empty() || !unexpected.empty() || !mis_shaped.empty()) {
        std::string message = path_for_display(source) + " does not fit its config.json:";
        if (!missing.empty()) message += " " + std::to_string(missing.size()) + " missing (" + list_text(missing) + ");";
        if (!unexpected.empty())
            message += " " + std::to_string(unexpected.size()) + " unexpected (" + list_text(unexpected) + ");";
        if (!mis_shaped.empty())
            message += " " + std::to_string(mis_shaped.size()) + " mis-shaped (" + list_text(mis_shaped) + ");";
        message += " the weights belong to another model or the download is damaged; re-download the model folder";
        throw Error(ErrorCategory::InvalidInput, message);
    }
    at::NoGradGuard no_grad;
    for (auto& [parameter, value] : copies) parameter.copy_(value); // converts F16/BF16/F64 to the parameter's dtype
}

ClipModel load_clip_model(const fs::path& model_dir)
{
    PHOTOTUNE_CHECK(fs::is_directory(model_dir), ErrorCategory::NotFound,
                    "the model folder " + path_for_display(model_dir) + " does not exist");
    ClipModel model(load_clip_config(model_dir / "config.json"));
    auto [tensors, source] = load_weights(model_dir);
    load_clip_weights(*model, tensors, source);
    model->eval();
    return model;
}

void save_clip_model(ClipModelImpl& model, const fs::path& model_dir, at::ScalarType dtype,
                     const std::map<std::string, std::string>& metadata)
{
    ClipConfig config = model.config();
    config.torch_dtype = torch_dtype_name(dtype);
    std::error_code error;
    fs::create_directories(model_dir, error);
    PHOTOTUNE_CHECK(!error, ErrorCategory::Io,
                    "cannot create the folder " + path_for_display(model_dir) + ": " + error.message());

    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& item : model.named_parameters(/*recurse=*/true)) {
        if (!is_adapter_parameter(item.key())) tensors.emplace_back(item.key(), item.value().detach().to(dtype));
    }
    std::map<std::string, std::string> file_metadata = metadata;
    file_metadata.emplace("format", "pt");
    save_safetensors(model_dir / "model.safetensors", tensors, file_metadata);
    write_file_atomic(model_dir / "config.json", to_json(config));
}

} // namespace phototune
