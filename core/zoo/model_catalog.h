#pragma once
// The catalogue of models the studio offers (resources/models.json): where each lives on the
// Hugging Face Hub, its shape and size for the hardware wizard, its licence, and whether the
// core can train it yet.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

struct CatalogFile {
    std::string name;                       // path inside the repository, e.g. "model.safetensors"
    std::optional<std::uint64_t> size_bytes; // absent where not verified
};

struct TowerSpec {
    std::string architecture;     // "transformer" for CLIP ViT towers, else e.g. "fastvit_mci0"
    std::optional<int> width;     // absent for towers that are not plain transformers
    std::optional<int> layers;
    std::optional<int> heads;
    std::optional<int> mlp_width;
    std::int64_t params = 0;      // including the tower's projection
};

struct Licence {
    std::string id;               // SPDX id or the Hub's licence name, e.g. "MIT", "apple-amlr"
    std::string name;
    bool research_only = false;
    std::string note;
};

struct ModelEntry {
    std::string id;               // Hugging Face repository id, "org/name"
    std::string display_name;
    std::string publisher;
    std::string revision;         // branch, tag or commit to download
    std::string architecture;     // "clip-vit", "mobileclip"
    bool supported = false;       // the core can load and train it
    std::string unsupported_reason;
    Licence licence;
    std::vector<CatalogFile> files;
    int image_size = 0;
    std::optional<int> patch_size;
    int context_length = 0;
    int projection_dim = 0;
    std::optional<std::string> hidden_act; // "quick_gelu" (OpenAI) or "gelu" (OpenCLIP)
    TowerSpec vision;
    std::optional<int> text_vocab_size;
    TowerSpec text;

    std::int64_t params_total() const noexcept { return vision.params + text.params; }
    std::vector<std::string> file_names() const;
};

class ModelCatalog {
public:
    // Reads and validates a catalogue; errors name the file and the entry at fault.
    static ModelCatalog load(const std::filesystem::path& path);
    // Same, from text; `source` names it in messages.
    static ModelCatalog parse(std::string_view json_text, const std::string& source);

    const std::vector<ModelEntry>& models() const noexcept { return m_models; }
    const ModelEntry* find(std::string_view id) const noexcept;
    // Like find, but throws NotFound listing the known ids.
    const ModelEntry& get(std::string_view id) const;

private:
    std::vector<ModelEntry> m_models;
};

} // namespace phototune
