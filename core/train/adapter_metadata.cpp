#include "core/train/adapter_metadata.h"

#include "core/api/resources.h"
#include "core/api/training.h"
#include "core/api/version.h"
#include "core/data/image_hash.h"
#include "core/model/clip_config.h"
#include "core/train/training_data.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/zoo/model_catalog.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <set>

namespace phototune {
namespace {

constexpr const char* kMetadataFile = "adapter_metadata.json";

bool is_sha256_hex(const std::string& text)
{
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string file_sha256(const std::filesystem::path& file)
{
    std::error_code error;
    if (std::filesystem::is_symlink(file, error)) {
        const std::string blob = std::filesystem::read_symlink(file, error).filename().string();
        if (!error && is_sha256_hex(blob)) return blob;
    }
    return to_hex(sha256_of_file(file));
}

std::string licence_of(const ClipConfig& model)
{
    if (model.phototune_untrained) return "none: an untrained model made by PhotoTune Studio";
    try {
        const auto catalog = ModelCatalog::load(resources_dir() / "models.json");
        if (const ModelEntry* entry = catalog.find(model.name_or_path))
            return entry->licence.id + (entry->licence.research_only ? " (research use only)" : "");
    } catch (const Error&) {
        // No catalogue: said below, like a model that is not in it.
    }
    return "unknown: not in the studio's model catalogue; see the base model's card";
}

std::string utc_now_iso8601()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &now);
#else
    gmtime_r(&now, &utc);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

} // namespace

std::string model_weights_sha256(const std::filesystem::path& model_dir)
{
    const auto single = model_dir / "model.safetensors";
    std::error_code error;
    if (std::filesystem::exists(single, error)) return file_sha256(single);
    const auto index_path = model_dir / "model.safetensors.index.json";
    const auto index = nlohmann::json::parse(read_text_file(index_path), nullptr, false);
    PHOTOTUNE_CHECK(index.is_object() && index.contains("weight_map") && index["weight_map"].is_object(),
                    ErrorCategory::InvalidInput, "'" + path_for_display(index_path) + "' has no weight_map");
    std::set<std::string> shards;
    for (const auto& [key, shard] : index["weight_map"].items())
        if (shard.is_string()) shards.insert(shard.get<std::string>());
    std::string lines;
    for (const auto& shard : shards) lines += shard + " " + file_sha256(model_dir / shard) + "\n";
    return to_hex(sha256({reinterpret_cast<const std::uint8_t*>(lines.data()), lines.size()}));
}

AdapterMetadata adapter_metadata(const TrainConfig& config, const ClipConfig& model, const TrainingData& data,
                                 const std::filesystem::path& run_dir)
{
    nlohmann::ordered_json label_counts = nlohmann::ordered_json::object();
    for (const auto* part : {&data.train, &data.validation})
        for (const auto& photo : *part)
            if (!photo.label.empty()) label_counts[photo.label] = label_counts.value(photo.label, 0) + 1;
    return {{"base_model", model.name_or_path.empty() ? path_for_display(config.model_dir) : model.name_or_path},
            {"base_model_path", path_for_display(config.model_dir)},
            {"base_model_sha256", model_weights_sha256(config.model_dir)},
            {"base_model_licence", licence_of(model)},
            {"dataset_photos", std::to_string(data.train.size() + data.validation.size())},
            {"dataset_labels", label_counts.dump()},
            {"phototune_version", PHOTOTUNE_VERSION},
            {"phototune_date", utc_now_iso8601()},
            {"phototune_seed", std::to_string(config.seed)},
            {"phototune_run", path_for_display(run_dir)}};
}

void write_adapter_metadata(const std::filesystem::path& run_dir, const AdapterMetadata& metadata)
{
    write_file_atomic(run_dir / kMetadataFile, nlohmann::ordered_json(metadata).dump(2) + "\n");
}

AdapterMetadata read_adapter_metadata(const std::filesystem::path& run_dir)
{
    std::error_code error;
    const auto file = run_dir / kMetadataFile;
    if (!std::filesystem::exists(file, error)) return {};
    const auto json = nlohmann::json::parse(read_text_file(file), nullptr, false);
    PHOTOTUNE_CHECK(json.is_object(), ErrorCategory::InvalidInput,
                    "'" + path_for_display(file) + "' is damaged; delete it and export again (the metadata is rebuilt by a resumed run)");
    AdapterMetadata metadata;
    for (const auto& [key, value] : json.items())
        if (value.is_string()) metadata[key] = value.get<std::string>();
    return metadata;
}

} // namespace phototune
