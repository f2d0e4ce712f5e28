#pragma once
// One file per verb: each adds its subcommand to the CLI11 app and says how to run it.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace phototune::cli {

struct Command {
    CLI::App* subcommand = nullptr;
    std::function<int()> run;   // returns the process exit code
};

Command add_embed_command(CLI::App& app);
Command add_tokenize_command(CLI::App& app);
Command add_zeroshot_command(CLI::App& app);
Command add_init_model_command(CLI::App& app);
Command add_train_command(CLI::App& app);
Command add_export_command(CLI::App& app);
Command add_scan_command(CLI::App& app);
Command add_caption_command(CLI::App& app);
Command add_dataset_command(CLI::App& app);
Command add_hw_command(CLI::App& app);
Command add_plan_command(CLI::App& app);
Command add_recommend_command(CLI::App& app);
Command add_models_command(CLI::App& app);
Command add_diagnostics_command(CLI::App& app);

// Exit codes: 0 success, 1 the work failed, 2 bad usage (CLI11's own), 130 cancelled.
constexpr int kExitFailure = 1;

// Prints "phototune-cli: error: <message>" to stderr and returns kExitFailure.
int report_failure(const std::string& message);

// "a, b,c" -> {"a", "b", "c"} (items trimmed, empty ones dropped), and back with ",".
std::vector<std::string> split_list(const std::string& text);
std::string join_list(const std::vector<std::string>& items);

} // namespace phototune::cli
