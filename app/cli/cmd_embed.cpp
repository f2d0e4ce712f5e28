// phototune-cli embed: image and text embeddings (projected, L2-normalised) to a safetensors file.
#include "app/cli/command.h"
#include "core/api/clip_engine.h"

#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct EmbedArgs {
    std::string model;
    std::string adapter;
    std::string pixels;
    std::string pixels_key = "pixel_values";
    std::vector<std::string> images;
    std::vector<std::string> texts;
    std::string out;
    int batch = 32;
};

int run_embed(const EmbedArgs& args)
{
    if (args.images.empty() && args.pixels.empty() && args.texts.empty())
        return report_failure("nothing to embed: give --image, --pixels or --text");
    if (!args.images.empty() && !args.pixels.empty())
        return report_failure("give either --image files or --pixels, not both");

    auto engine = ClipEngine::load(args.model, DevicePreference::Auto, args.adapter);
    if (!engine) return report_failure(engine.failure().message);
    BatchOptions options;
    options.batch_size = args.batch;

    std::vector<std::pair<std::string, Matrix>> outputs;
    if (!args.images.empty() || !args.pixels.empty()) {
        auto images = args.pixels.empty()
                          ? (*engine)->embed_image_files({args.images.begin(), args.images.end()}, options)
                          : (*engine)->embed_pixel_file(args.pixels, args.pixels_key, options);
        if (!images) return report_failure(images.failure().message);
        outputs.emplace_back("image_embeds", std::move(*images));
    }
    if (!args.texts.empty()) {
        auto texts = (*engine)->embed_texts(args.texts, options);
        if (!texts) return report_failure(texts.failure().message);
        outputs.emplace_back("text_embeds", std::move(*texts));
    }
    if (outputs.size() == 2) {
        auto logits = (*engine)->logits_per_image(outputs[0].second, outputs[1].second);
        if (!logits) return report_failure(logits.failure().message);
        outputs.emplace_back("logits_per_image", std::move(*logits));
    }
    if (auto saved = save_matrices(args.out, outputs); !saved) return report_failure(saved.failure().message);
    for (const auto& [name, matrix] : outputs)
        std::cerr << name << ": [" << matrix.rows << ", " << matrix.cols << "]\n";
    std::cerr << "wrote " << args.out << '\n';
    return 0;
}

} // namespace

Command add_embed_command(CLI::App& app)
{
    auto args = std::make_shared<EmbedArgs>();
    auto* sub = app.add_subcommand("embed", "Compute image and/or text embeddings and write them to a safetensors file");
    sub->add_option("--model", args->model, "Model folder (Hugging Face CLIP layout)")->required()->check(CLI::ExistingDirectory);
    sub->add_option("--adapter", args->adapter, "A LoRA adapter folder (peft layout) to apply on the model")->check(CLI::ExistingDirectory);
    sub->add_option("--pixels", args->pixels, "Preprocessed pixels: a safetensors file with a [N,3,H,W] float tensor")->check(CLI::ExistingFile);
    sub->add_option("--pixels-key", args->pixels_key, "Name of the pixel tensor in --pixels")->capture_default_str();
    sub->add_option("--image", args->images, "An image file (repeatable)")->check(CLI::ExistingFile);
    sub->add_option("--text", args->texts, "A text (repeatable)");
    sub->add_option("--out", args->out, "Output safetensors file (image_embeds, text_embeds, logits_per_image)")->required();
    sub->add_option("--batch", args->batch, "Batch size")->capture_default_str()->check(CLI::Range(1, 4096));
    sub->footer("Example: phototune-cli embed --model tiny-clip --image cat.jpg --text \"a photo of a cat\" --out e.safetensors");
    return {sub, [args] { return run_embed(*args); }};
}

} // namespace phototune::cli
