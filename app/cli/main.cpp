// phototune-cli: everything the studio does, headless. Each verb lives in its own cmd_*.cpp.
#include "app/cli/command.h"
#include "core/api/system_info.h"

#include <iostream>
#include <sstream>
#include <vector>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#endif

namespace phototune::cli {

int report_failure(const std::string& message)
{
    std::cerr << "phototune-cli: error: " << message << '\n';
    return kExitFailure;
}

std::vector<std::string> split_list(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
        const auto first = item.find_first_not_of(" \t");
        const auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
    }
    return items;
}

std::string join_list(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
    return text;
}

} // namespace phototune::cli

int main(int argc, char** argv)
{
    using namespace phototune::cli;
#ifdef _WIN32
    SetConsoleOutputCP(CP_UTF8); // paths and labels are printed as UTF-8 (see app/windows/phototune.manifest.in)
#endif
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
        add_caption_command(app),
        add_dataset_command(app),
        add_hw_command(app),
        add_plan_command(app),
        add_recommend_command(app),
        add_models_command(app),
        add_diagnostics_command(app),
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
