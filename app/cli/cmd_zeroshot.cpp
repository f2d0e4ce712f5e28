// phototune-cli zeroshot: classify images against labels; one JSON object per image.
#include "app/cli/command.h"
#include "core/api/clip_engine.h"
#include "core/api/json_report.h"

#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct ZeroShotArgs {
    std::string model;
    std::string adapter;
    std::string labels;
    std::vector<std::string> images;
    bool ensemble = false;
};

int run_zeroshot(const ZeroShotArgs& args)
{
    const auto labels = split_list(args.labels);
    if (labels.size() < 2) return report_failure("--labels needs at least two comma-separated labels");
    auto engine = ClipEngine::load(args.model, DevicePreference::Auto, args.adapter);
    if (!engine) return report_failure(engine.failure().message);
    const auto templates = args.ensemble ? ensemble_prompt_templates() : single_prompt_template();
    auto predictions = (*engine)->zero_shot({args.images.begin(), args.images.end()}, labels, templates);
    if (!predictions) return report_failure(predictions.failure().message);
    for (const auto& prediction : *predictions) std::cout << zero_shot_to_json(prediction, labels) << '\n';
    return 0;
}

} // namespace

Command add_zeroshot_command(CLI::App& app)
{
    auto args = std::make_shared<ZeroShotArgs>();
    auto* sub = app.add_subcommand("zeroshot", "Zero-shot classify images against a list of labels");
    sub->add_option("--model", args->model, "Model folder (Hugging Face CLIP layout)")->required()->check(CLI::ExistingDirectory);
    sub->add_option("--adapter", args->adapter, "A LoRA adapter folder (peft layout) to apply on the model")->check(CLI::ExistingDirectory);
    sub->add_option("--labels", args->labels, "Comma-separated labels, e.g. cat,dog,bird")->required();
    sub->add_flag("--ensemble", args->ensemble, "Average several prompt templates instead of \"a photo of a {}.\"");
    sub->add_option("images", args->images, "Image files")->required()->check(CLI::ExistingFile);
    sub->footer("Example: phototune-cli zeroshot --model tiny-clip --labels cat,dog photo1.jpg photo2.png");
    return {sub, [args] { return run_zeroshot(*args); }};
}

} // namespace phototune::cli
