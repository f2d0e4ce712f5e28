// phototune-cli: everything the studio does, headless. Each verb lives in its own cmd_*.cpp.
#include "app/cli/command.h"
#include "core/api/system_info.h"

#include <iostream>
#include <vector>

namespace phototune::cli {

int report_failure(const std::string& message)
{
    std::cerr << "phototune-cli: error: " << message << '\n';
    return kExitFailure;
}

} // namespace phototune::cli

int main(int argc, char** argv)
{
    using namespace phototune::cli;
    CLI::App app{"PhotoTune Studio command line: fine-tune CLIP on your own photos with LoRA"};
    app.name("phototune-cli");
    app.require_subcommand(1);
    app.set_version_flag("--version", [] { return phototune::version_report(); });

    const std::vector<Command> commands = {
        add_embed_command(app),
        add_tokenize_command(app),
        add_zeroshot_command(app),
        add_init_model_command(app),
        add_train_command(app),
        add_export_command(app),
        add_scan_command(app),
    };
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    for (const auto& command : commands)
        if (command.subcommand->parsed()) return command.run();
    return 2;
}
