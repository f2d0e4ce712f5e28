// phototune-cli init-model: a randomly initialised (untrained) CLIP folder for tests, benchmarks and the demo.
#include "app/cli/command.h"
#include "core/api/clip_engine.h"
#include "core/api/json_report.h"

#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct InitModelArgs {
    std::string preset = "tiny";
    std::string out;
    std::uint64_t seed = 0;
};

int run_init_model(const InitModelArgs& args)
{
    auto summary = create_untrained_model(args.preset, args.out, args.seed);
    if (!summary) return report_failure(summary.failure().message);
    std::cout << model_summary_to_json(*summary) << '\n';
    std::cerr << "wrote an UNTRAINED " << args.preset << " model (random weights, not a pretrained CLIP) to "
              << args.out << '\n';
    return 0;
}

} // namespace

Command add_init_model_command(CLI::App& app)
{
    auto args = std::make_shared<InitModelArgs>();
    auto* sub = app.add_subcommand("init-model", "Create a randomly initialised (untrained) CLIP model folder");
    sub->add_option("--preset", args->preset, "Model shape")->check(CLI::IsMember({"tiny", "small", "vit-b-32"}))->capture_default_str();
    sub->add_option("--out", args->out, "Output folder (created)")->required();
    sub->add_option("--seed", args->seed, "Random seed")->capture_default_str();
    sub->footer("Example: phototune-cli init-model --preset small --out ./untrained-small --seed 1");
    return {sub, [args] { return run_init_model(*args); }};
}

} // namespace phototune::cli
