#include "core/api/clip_engine.h"

#include "core/api/detail/facade_guard.h"
#include "core/api/resources.h"
#include "core/data/clip_preprocess.h"
#include "core/data/crop_cache.h"
#include "core/data/image_decode.h"
#include "core/io/safetensors.h"
#include "core/io/tensor_io.h"
#include "core/lora/adapter_io.h"
#include "core/model/clip_checkpoint.h"
#include "core/model/clip_model.h"
#include "core/model/clip_presets.h"
#include "core/model/cpu_runtime.h"
#include "core/text/clip_tokenizer.h"
#include "core/util/files.h"
#include "core/util/parallel.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>
#include <torch/nn/module.h>

#include <algorithm>
#include <random>
#include <cmath>

namespace phototune {

struct ClipEngine::Impl {
    ModelSummary summary;
    ClipModel model{nullptr};
    ClipConfig config;
    std::optional<ClipTokenizer> tokenizer;
    ClipImageProcessorConfig image_processor;
    at::Device device = at::kCPU;

    const ClipTokenizer& require_tokenizer() const
    {
        PHOTOTUNE_CHECK(tokenizer.has_value(), ErrorCategory::NotFound,
                        "the model folder '" + path_for_display(summary.folder) +
                            "' has no vocab.json + merges.txt, so it cannot read text");
        return *tokenizer;
    }
};

namespace {

at::Device choose_device(DevicePreference preference)
{
    const bool cuda = torch::cuda::is_available();
    if (preference == DevicePreference::Cuda)
        PHOTOTUNE_CHECK(cuda, ErrorCategory::Unsupported,
                        "CUDA was requested but this LibTorch cannot use a CUDA device "
                        "(no NVIDIA GPU/driver, or a CPU-only LibTorch build); use the CPU or install a CUDA LibTorch");
    return (cuda && preference != DevicePreference::Cpu) ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
}

void check_not_cancelled(const BatchOptions& options)
{
    if (options.cancel.cancel_requested()) throw Error(ErrorCategory::Cancelled, "cancelled");
}

Matrix to_matrix(const at::Tensor& tensor)
{
    const auto cpu = tensor.detach().to(at::kCPU, at::kFloat).contiguous();
    Matrix matrix;
    matrix.rows = cpu.size(0);
    matrix.cols = cpu.size(1);
    matrix.values.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
    return matrix;
}

at::Tensor from_matrix(const Matrix& matrix)
{
    PHOTOTUNE_CHECK(matrix.values.size() == static_cast<std::size_t>(matrix.rows * matrix.cols), ErrorCategory::InvalidInput,
                    "matrix holds " + std::to_string(matrix.values.size()) + " values, expected rows x cols");
    return at::from_blob(const_cast<float*>(matrix.values.data()), {matrix.rows, matrix.cols}, at::kFloat).clone();
}

// Runs `embed_batch(first, count)` over `total` items in batches, with progress and cancel.
template <typename EmbedBatch>
at::Tensor embed_in_batches(std::size_t total, const BatchOptions& options, EmbedBatch&& embed_batch)
{
    PHOTOTUNE_CHECK(options.batch_size > 0, ErrorCategory::InvalidInput, "batch size must be at least 1");
    std::vector<at::Tensor> parts;
    for (std::size_t first = 0; first < total; first += static_cast<std::size_t>(options.batch_size)) {
        check_not_cancelled(options);
        const std::size_t count = std::min<std::size_t>(options.batch_size, total - first);
        parts.push_back(embed_batch(first, count).to(at::kCPU));
        if (options.progress) options.progress(first + count, total);
    }
    return parts.empty() ? at::empty({0, 0}) : at::cat(parts, 0);
}

} // namespace

std::vector<std::string> single_prompt_template()
{
    return {"a photo of a {}."};
}

std::vector<std::string> ensemble_prompt_templates()
{
    // The 7-template subset OpenAI's "Prompt Engineering for ImageNet" notebook found best.
    return {"itap of a {}.",           "a bad photo of the {}.", "a origami {}.",
            "a photo of the large {}.", "a {} in a video game.", "art of the {}.",
            "a photo of the small {}."};
}

ClipEngine::ClipEngine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ClipEngine::~ClipEngine() = default;

Result<std::shared_ptr<ClipEngine>> ClipEngine::load(const std::filesystem::path& model_dir, DevicePreference device,
                                                     const std::filesystem::path& adapter_dir) noexcept
{
    return detail::guarded([&] {
        auto impl = std::make_unique<Impl>();
        impl->device = choose_device(device);
        if (impl->device.is_cpu()) configure_cpu_runtime();
        impl->model = load_clip_model(model_dir);
        if (!adapter_dir.empty()) load_peft_adapter(*impl->model, adapter_dir);
        impl->config = impl->model->config();
        impl->model->to(impl->device);
        impl->model->eval();
        if (std::filesystem::exists(model_dir / "vocab.json") && std::filesystem::exists(model_dir / "merges.txt"))
            impl->tokenizer = ClipTokenizer::from_model_dir(model_dir);
        if (std::filesystem::exists(model_dir / "preprocessor_config.json"))
            impl->image_processor = load_clip_image_processor_config(model_dir / "preprocessor_config.json");

        auto& s = impl->summary;
        const auto& c = impl->config;
        s.folder = model_dir;
        s.adapter = adapter_dir;
        s.name = c.name_or_path.empty() ? path_for_display(model_dir.filename()) : c.name_or_path;
        s.untrained = c.phototune_untrained;
        s.device = impl->device.str();
        s.image_size = static_cast<int>(c.vision_config.image_size);
        s.patch_size = static_cast<int>(c.vision_config.patch_size);
        s.context_length = static_cast<int>(c.text_config.max_position_embeddings);
        s.projection_dim = static_cast<int>(c.projection_dim);
        s.vision_layers = static_cast<int>(c.vision_config.num_hidden_layers);
        s.vision_width = static_cast<int>(c.vision_config.hidden_size);
        s.text_layers = static_cast<int>(c.text_config.num_hidden_layers);
        s.text_width = static_cast<int>(c.text_config.hidden_size);
        for (const auto& p : impl->model->parameters()) s.parameter_count += p.numel();
        s.logit_scale = std::exp(impl->model->logit_scale.item<float>());
        return std::shared_ptr<ClipEngine>(new ClipEngine(std::move(impl)));
    });
}

const ModelSummary& ClipEngine::summary() const noexcept
{
    return m_impl->summary;
}

Result<std::vector<std::vector<std::int64_t>>> ClipEngine::tokenize(const std::vector<std::string>& texts) const noexcept
{
    return detail::guarded([&] {
        const auto& tokenizer = m_impl->require_tokenizer();
        std::vector<std::vector<std::int64_t>> ids;
        for (const auto& text : texts) ids.push_back(tokenizer.tokenize(text, m_impl->summary.context_length).input_ids);
        return ids;
    });
}

Result<std::vector<int>> ClipEngine::token_counts(const std::vector<std::string>& texts) const noexcept
{
    return detail::guarded([&] {
        const auto& tokenizer = m_impl->require_tokenizer();
        std::vector<int> counts;
        for (const auto& text : texts) counts.push_back(static_cast<int>(tokenizer.encode(text).size()) + 2); // + SOT, EOT
        return counts;
    });
}

Result<Matrix> ClipEngine::embed_image_files(const std::vector<std::filesystem::path>& images,
                                             const BatchOptions& options) noexcept
{
    return detail::guarded([&] {
        at::NoGradGuard no_grad;
        const auto& processor = m_impl->image_processor;
        const auto embeds = embed_in_batches(images.size(), options, [&](std::size_t first, std::size_t count) {
            auto pixels = at::empty({static_cast<std::int64_t>(count), 3, processor.crop_height, processor.crop_width}, at::kFloat);
            float* const values = pixels.data_ptr<float>();
            const std::size_t per_image = std::size_t(3) * processor.crop_height * processor.crop_width;
            const int min_short_side = options.fast_decode ? min_short_side_for(processor) : 0;
            parallel_for(count, [&](std::size_t i) {
                const auto crop = clip_resize_and_crop(decode_image_file(images[first + i], min_short_side), processor);
                normalize_to_chw(crop, processor, values + i * per_image);
            });
            return l2_normalize(m_impl->model->get_image_features(pixels.to(m_impl->device)));
        });
        return to_matrix(embeds);
    });
}

Result<Matrix> ClipEngine::embed_pixel_file(const std::filesystem::path& safetensors_file, const std::string& key,
                                            const BatchOptions& options) noexcept
{
    return detail::guarded([&] {
        at::NoGradGuard no_grad;
        const auto file = SafetensorsFile::open(safetensors_file);
        const auto pixels = tensor_from_view(file.at(key), file.keep_alive()).to(at::kFloat);
        const auto size = m_impl->summary.image_size;
        PHOTOTUNE_CHECK(pixels.dim() == 4 && pixels.size(1) == 3 && pixels.size(2) == size && pixels.size(3) == size,
                        ErrorCategory::InvalidInput,
                        "'" + key + "' in '" + path_for_display(safetensors_file) + "' has shape " +
                            c10::str(pixels.sizes()) + ", expected [N, 3, " + std::to_string(size) + ", " +
                            std::to_string(size) + "] preprocessed pixels");
        const auto embeds = embed_in_batches(static_cast<std::size_t>(pixels.size(0)), options,
                                             [&](std::size_t first, std::size_t count) {
            const auto batch = pixels.narrow(0, static_cast<std::int64_t>(first), static_cast<std::int64_t>(count));
            return l2_normalize(m_impl->model->get_image_features(batch.to(m_impl->device)));
        });
        return to_matrix(embeds);
    });
}

Result<Matrix> ClipEngine::embed_texts(const std::vector<std::string>& texts, const BatchOptions& options) noexcept
{
    return detail::guarded([&] {
        at::NoGradGuard no_grad;
        const auto& tokenizer = m_impl->require_tokenizer();
        const auto length = static_cast<std::int64_t>(m_impl->summary.context_length);
        const auto embeds = embed_in_batches(texts.size(), options, [&](std::size_t first, std::size_t count) {
            auto ids = at::empty({static_cast<std::int64_t>(count), length}, at::kLong);
            auto mask = at::empty({static_cast<std::int64_t>(count), length}, at::kLong);
            for (std::size_t i = 0; i < count; ++i) {
                const auto tokens = tokenizer.tokenize(texts[first + i], static_cast<int>(length));
                std::copy(tokens.input_ids.begin(), tokens.input_ids.end(), ids[static_cast<std::int64_t>(i)].data_ptr<std::int64_t>());
                std::copy(tokens.attention_mask.begin(), tokens.attention_mask.end(),
                          mask[static_cast<std::int64_t>(i)].data_ptr<std::int64_t>());
            }
            return l2_normalize(m_impl->model->get_text_features(ids.to(m_impl->device), mask.to(m_impl->device)));
        });
        return to_matrix(embeds);
    });
}

Result<Matrix> ClipEngine::logits_per_image(const Matrix& image_embeds, const Matrix& text_embeds) const noexcept
{
    return detail::guarded([&] {
        PHOTOTUNE_CHECK(image_embeds.cols == text_embeds.cols, ErrorCategory::InvalidInput,
                        "image and text embeddings differ in width (" + std::to_string(image_embeds.cols) + " vs " +
                            std::to_string(text_embeds.cols) + ")");
        return to_matrix(from_matrix(image_embeds).matmul(from_matrix(text_embeds).t()) * m_impl->summary.logit_scale);
    });
}

Result<std::vector<ZeroShotPrediction>> ClipEngine::zero_shot(const std::vector<std::filesystem::path>& images,
                                                              const std::vector<std::string>& labels,
                                                              const std::vector<std::string>& templates,
                                                              const BatchOptions& options) noexcept
{
    return detail::guarded([&] {
        PHOTOTUNE_CHECK(!labels.empty(), ErrorCategory::InvalidInput, "zero-shot needs at least one label");
        PHOTOTUNE_CHECK(!templates.empty(), ErrorCategory::InvalidInput, "zero-shot needs at least one prompt template");
        std::vector<std::string> prompts;
        for (const auto& label : labels) {
            for (const auto& prompt_template : templates) {
                std::string prompt = prompt_template;
                const auto slot = prompt.find("{}");
                if (slot == std::string::npos) prompt += " " + label;
                else prompt.replace(slot, 2, label);
                prompts.push_back(std::move(prompt));
            }
        }
        BatchOptions quiet = options;
        quiet.progress = nullptr;
        auto prompt_embeds = embed_texts(prompts, quiet);
        if (!prompt_embeds) throw Error(prompt_embeds.failure().category, prompt_embeds.failure().message);
        // One class vector per label: the mean of its prompts' embeddings, renormalised (CLIP's ensembling).
        const auto classes = l2_normalize(from_matrix(*prompt_embeds)
                                              .view({static_cast<std::int64_t>(labels.size()),
                                                     static_cast<std::int64_t>(templates.size()), -1})
                                              .mean(1));
        auto image_embeds = embed_image_files(images, options);
        if (!image_embeds) throw Error(image_embeds.failure().category, image_embeds.failure().message);
        const auto probabilities = (from_matrix(*image_embeds).matmul(classes.t()) * m_impl->summary.logit_scale).softmax(-1);

        std::vector<ZeroShotPrediction> predictions;
        for (std::size_t i = 0; i < images.size(); ++i) {
            ZeroShotPrediction prediction;
            prediction.source = path_for_display(images[i]);
            const auto row = probabilities[static_cast<std::int64_t>(i)].contiguous();
            prediction.probabilities.assign(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
            prediction.best = static_cast<int>(row.argmax().item<std::int64_t>());
            predictions.push_back(std::move(prediction));
        }
        return predictions;
    });
}

Result<void> save_matrices(const std::filesystem::path& path, const std::vector<std::pair<std::string, Matrix>>& matrices) noexcept
{
    return detail::guarded([&] {
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const auto& [name, matrix] : matrices) tensors.emplace_back(name, from_matrix(matrix));
        save_safetensors(path, tensors, {{"format", "pt"}, {"producer", "phototune-cli embed"}});
    });
}

Result<ModelSummary> create_untrained_model(const std::string& preset, const std::filesystem::path& out_dir,
                                            std::uint64_t seed) noexcept
{
    auto written = detail::guarded([&] {
        const auto tokenizer_dir = resources_dir() / "tokenizer";
        PHOTOTUNE_CHECK(!resources_dir().empty(), ErrorCategory::NotFound,
                        "the studio's resources (tokenizer files) were not found; set PHOTOTUNE_RESOURCES to its share/phototune folder");
        write_untrained_model_dir(preset, out_dir, tokenizer_dir, seed);
    });
    if (!written) return written.failure();
    auto engine = ClipEngine::load(out_dir, DevicePreference::Cpu);
    if (!engine) return engine.failure();
    return (*engine)->summary();
}

Result<std::filesystem::path> ensure_demo_model() noexcept
{
    namespace fs = std::filesystem;
    return detail::guarded([] {
        const fs::path folder = user_cache_dir() / "demo-model";
        if (fs::exists(folder / "config.json") && fs::exists(folder / "model.safetensors")) return folder;
        // Made beside its place and renamed, so a studio closed half-way never leaves half a model.
        const fs::path partial = user_cache_dir() / ("demo-model.partial-" + std::to_string(std::random_device{}()));
        std::error_code ignored;
        fs::remove_all(partial, ignored);
        PHOTOTUNE_CHECK(!resources_dir().empty(), ErrorCategory::NotFound,
                        "the studio's resources (tokenizer files) were not found; set PHOTOTUNE_RESOURCES to its share/phototune folder");
        write_untrained_model_dir("small", partial, resources_dir() / "tokenizer", 0);
        fs::remove_all(folder, ignored);
        fs::rename(partial, folder);
        return folder;
    });
}

} // namespace phototune
