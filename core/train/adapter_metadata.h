#pragma once
// What an exported adapter says about where it came from: safetensors metadata (string to string,
// next to peft's {"format": "pt"}) and the model card. Written once per run into the run folder
// (adapter_metadata.json), so that exporting a checkpoint later says the same.
//
// Keys: base_model, base_model_path, base_model_sha256, base_model_licence, dataset_photos,
// dataset_labels (a JSON object label -> photos), phototune_version, phototune_date (UTC, ISO 8601),
// phototune_seed, phototune_run, and phototune_steps when the adapter is written.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace phototune {

struct ClipConfig;
struct TrainConfig;
struct TrainingData;

using AdapterMetadata = std::map<std::string, std::string>;

AdapterMetadata adapter_metadata(const TrainConfig& config, const ClipConfig& model, const TrainingData& data,
                                 const std::filesystem::path& run_dir);

// The base model's weights as one SHA-256 (hex): of model.safetensors, or for a sharded model of
// the lines "<shard> <sha256>" of its shards in name order. Read from the Hugging Face cache's blob
// name when the file is a link into it (the Hub names blobs by their SHA-256), hashed otherwise.
std::string model_weights_sha256(const std::filesystem::path& model_dir);

void write_adapter_metadata(const std::filesystem::path& run_dir, const AdapterMetadata& metadata);
// Empty when the run has none (runs of version 0.1).
AdapterMetadata read_adapter_metadata(const std::filesystem::path& run_dir);

} // namespace phototune
