#pragma once
// The inference facade: load a CLIP model folder (Hugging Face layout) and compute embeddings,
// logits and zero-shot predictions. Plain C++; every function returns a Result and never throws.

#include "core/api/progress.h"
#include "core/api/result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace phototune {

enum class DevicePreference { Auto, Cpu, Cuda };

// Row-major [rows, cols] float32 matrix, as the facade hands tensors to plain C++ code.
struct Matrix {
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::vector<float> values;
    float at(std::int64_t row, std::int64_t col) const { return values[static_cast<std::size_t>(row * cols + col)]; }
};

struct ModelSummary {
    std::string name;            // _name_or_path, or the folder name
    std::filesystem::path folder;
    std::filesystem::path adapter; // the LoRA adapter applied, if any
    bool untrained = false;      // created by `init-model`: random weights, not a pretrained CLIP
    std::string device;          // "cpu" or "cuda:0"
    int image_size = 0;
    int patch_size = 0;
    int context_length = 0;
    int projection_dim = 0;
    int vision_layers = 0, vision_width = 0;
    int text_layers = 0, text_width = 0;
    std::int64_t parameter_count = 0;
    float logit_scale = 0.0f;    // exp(logit_scale parameter)
};

struct BatchOptions {
    int batch_size = 32;
    // Large JPEGs decoded at 1/2..1/8 size before the exact resize: several times faster for camera
    // photos, pixels within a few levels of full-size decoding (docs/benchmarks.md). Off: Pillow's pixels.
    bool fast_decode = false;
    ProgressCallback progress;   // (items done, items total)
    CancelToken cancel;
};

// One image's zero-shot answer: probabilities over the labels (softmax of the logits).
struct ZeroShotPrediction {
    std::string source;          // the image path (or "pixels[i]")
    std::vector<float> probabilities;
    int best = -1;               // index into the labels
};

// Prompt templates: "{}" is replaced by the label.
std::vector<std::string> single_prompt_template();     // {"a photo of a {}."}
std::vector<std::string> ensemble_prompt_templates();  // a small ensemble after OpenAI's CLIP notebook

class ClipEngine {
public:
    // With `adapter_dir`, a peft LoRA adapter (adapter_config.json + adapter_model.safetensors, e.g.
    // a training run's adapter/ or `export` output) is applied on top of the model.
    static Result<std::shared_ptr<ClipEngine>> load(const std::filesystem::path& model_dir,
                                                    DevicePreference device = DevicePreference::Auto,
                                                    const std::filesystem::path& adapter_dir = {}) noexcept;
    ~ClipEngine();
    ClipEngine(const ClipEngine&) = delete;
    ClipEngine& operator=(const ClipEngine&) = delete;

    const ModelSummary& summary() const noexcept;

    // Token ids, padded to the model's context length (SOT ... EOT, EOT padding).
    Result<std::vector<std::vector<std::int64_t>>> tokenize(const std::vector<std::string>& texts) const noexcept;

    // How many tokens each text takes, start and end tokens included, before any truncation: a
    // text over summary().context_length is cut when encoded.
    Result<std::vector<int>> token_counts(const std::vector<std::string>& texts) const noexcept;

    // Projected and L2-normalised embeddings, one row per input.
    Result<Matrix> embed_image_files(const std::vector<std::filesystem::path>& images, const BatchOptions& options = {}) noexcept;
    // Already preprocessed pixels: a [N,3,H,W] tensor named `key` in a safetensors file.
    Result<Matrix> embed_pixel_file(const std::filesystem::path& safetensors_file, const std::string& key,
                                    const BatchOptions& options = {}) noexcept;
    Result<Matrix> embed_texts(const std::vector<std::string>& texts, const BatchOptions& options = {}) noexcept;

    // exp(logit_scale) * image_embeds @ text_embeds^T : [images, texts].
    Result<Matrix> logits_per_image(const Matrix& image_embeds, const Matrix& text_embeds) const noexcept;

    // Embeds one class vector per label (mean over templates, renormalised) and classifies each image.
    Result<std::vector<ZeroShotPrediction>> zero_shot(const std::vector<std::filesystem::path>& images,
                                                      const std::vector<std::string>& labels,
                                                      const std::vector<std::string>& templates,
                                                      const BatchOptions& options = {}) noexcept;

    struct Impl;

private:
    explicit ClipEngine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Writes float32 matrices to a safetensors file (atomically), e.g. the CLI's embed output.
Result<void> save_matrices(const std::filesystem::path& path,
                           const std::vector<std::pair<std::string, Matrix>>& matrices) noexcept;

// Creates a randomly initialised model folder in Hugging Face layout ("tiny", "small", "vit-b-32").
// The folder is marked as untrained everywhere it can be (config, weights metadata, summary).
Result<ModelSummary> create_untrained_model(const std::string& preset, const std::filesystem::path& out_dir,
                                            std::uint64_t seed) noexcept;

// The built-in demo's model: the "small" untrained preset (seed 0), made once (a few seconds) in
// <user cache>/demo-model and reused after. Not a pretrained CLIP, and marked so.
Result<std::filesystem::path> ensure_demo_model() noexcept;

} // namespace phototune
