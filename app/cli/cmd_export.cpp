// phototune-cli export: a training run's adapter as a peft folder, or merged into a full model.
#include "app/cli/command.h"
#include "core/api/training.h"

#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct ExportArgs {
    std::string run;
    std::string out;
    bool merged = false;
    double strength = 1.0;
};

int run_export(const ExportArgs& args)
{
    auto exported = export_run(args.run, args.out, args.merged, args.strength);
    if (!exported) return report_failure(exported.failure().message);
    std::cerr << "wrote " << (exported->merged ? "merged model" : "adapter") << " from step " << exported->step << " to "
              << exported->folder.string() << '\n';
    return 0;
}

} // namespace

Command add_export_command(CLI::App& app)
{
    auto args = std::make_shared<ExportArgs>();
    auto* sub = app.add_subcommand("export", "Export a training run's LoRA adapter (peft layout) or a merged model");
    sub->add_option("--run", args->run, "Run folder written by `train`")->required()->check(CLI::ExistingDirectory);
    sub->add_option("--out", args->out, "Output folder")->required();
    sub->add_flag("--merged", args->merged, "Write a full Hugging Face model with the adapter folded in");
    sub->add_option("--strength", args->strength, "Scale of the adapter's change (0 = base model, 1 = as trained)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 10.0));
    sub->footer("Example: phototune-cli export --run runs/first --out my-adapter");
    return {sub, [args] { return run_export(*args); }};
}

} // namespace phototune::cli
