// phototune-cli models: the catalogue (list), where a model is in the Hugging Face cache (where),
// and fetching it there (download), so that other tools find it too.
#include "app/cli/command.h"
#include "core/api/hardware.h"

#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct ModelsArgs {
    CLI::App* list = nullptr;
    CLI::App* where = nullptr;
    CLI::App* download = nullptr;
    std::string id;
    bool json = false;
};

const CancelToken* g_cancel = nullptr;

extern "C" void on_download_interrupt(int)
{
    if (g_cancel) g_cancel->request_cancel();
}

int run_list(bool json)
{
    const auto models = list_catalog_models();
    if (!models) return report_failure(models.failure().message);
    if (json) {
        std::cout << to_json(*models) << '\n';
        return 0;
    }
    for (const auto& m : *models) {
        std::cout << m.id << "  " << m.display_name << ", " << m.params / 1000000 << " M parameters, " << m.licence
                  << (m.research_only ? " (research only)" : "") << (m.supported ? "" : "  [not trainable yet]")
                  << (m.local_folder ? "  [downloaded]" : "") << '\n';
    }
    return 0;
}

int run_download(const std::string& id)
{
    CancelToken cancel;
    g_cancel = &cancel;
    std::signal(SIGINT, on_download_interrupt);
    auto last = std::chrono::steady_clock::now();
    const auto progress = [&](std::size_t done, std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last < std::chrono::seconds(1) && done != total) return;
        last = now;
        std::cerr << "downloaded " << format_bytes(done) << " of " << format_bytes(total) << '\n';
    };
    const auto folder = download_catalog_model(id, progress, cancel);
    std::signal(SIGINT, SIG_DFL);
    g_cancel = nullptr;
    if (!folder) return folder.failure().category == ErrorCategory::Cancelled ? 130 : report_failure(folder.failure().message);
    std::cout << folder->string() << '\n';
    return 0;
}

int run_models(const ModelsArgs& args)
{
    if (args.list->parsed()) return run_list(args.json);
    if (args.download->parsed()) return run_download(args.id);
    const auto folder = catalog_model_folder(args.id);
    if (!folder) return report_failure(folder.failure().message);
    std::cout << folder->string() << '\n';
    return 0;
}

} // namespace

Command add_models_command(CLI::App& app)
{
    auto args = std::make_shared<ModelsArgs>();
    auto* sub = app.add_subcommand("models", "The model catalogue: list, where, download");
    sub->require_subcommand(1);
    args->list = sub->add_subcommand("list", "The models the studio offers, and which are downloaded");
    args->list->add_flag("--json", args->json, "One JSON object on stdout");
    args->where = sub->add_subcommand("where", "The folder of a downloaded model in the Hugging Face cache");
    args->where->add_option("id", args->id, "Catalogue id, e.g. openai/clip-vit-base-patch32")->required();
    args->download = sub->add_subcommand("download", "Download a model into the Hugging Face cache (resumable)");
    args->download->add_option("id", args->id, "Catalogue id, e.g. openai/clip-vit-base-patch32")->required();
    return {sub, [args] { return run_models(*args); }};
}

} // namespace phototune::cli
