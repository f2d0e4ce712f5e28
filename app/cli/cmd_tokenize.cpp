// phototune-cli tokenize: the model's token ids for each text, one JSON array per line.
#include "app/cli/command.h"
#include "core/api/clip_engine.h"
#include "core/api/json_report.h"

#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct TokenizeArgs {
    std::string model;
    std::vector<std::string> texts;
};

int run_tokenize(const TokenizeArgs& args)
{
    auto engine = ClipEngine::load(args.model, DevicePreference::Cpu);
    if (!engine) return report_failure(engine.failure().message);
    auto ids = (*engine)->tokenize(args.texts);
    if (!ids) return report_failure(ids.failure().message);
    for (const auto& row : *ids) std::cout << ids_to_json(row) << '\n';
    return 0;
}

} // namespace

Command add_tokenize_command(CLI::App& app)
{
    auto args = std::make_shared<TokenizeArgs>();
    auto* sub = app.add_subcommand("tokenize", "Print the token ids of each text (padded to the context length)");
    sub->add_option("--model", args->model, "Model folder (vocab.json + merges.txt)")->required()->check(CLI::ExistingDirectory);
    sub->add_option("texts", args->texts, "Texts to tokenize; put -- before texts that start with '-'")->required();
    sub->footer("Example: phototune-cli tokenize --model tiny-clip -- \"a photo of a cat\" \"-\"");
    return {sub, [args] { return run_tokenize(*args); }};
}

} // namespace phototune::cli
