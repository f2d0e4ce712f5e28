// phototune-cli diagnostics: one zip to attach to a bug report (versions, hardware, the runs'
// configurations and logs, crash reports; never photos or weights).
#include "app/cli/command.h"
#include "core/api/diagnostics.h"

#include <iostream>
#include <memory>

namespace phototune::cli {

Command add_diagnostics_command(CLI::App& app)
{
    auto request = std::make_shared<DiagnosticsRequest>();
    auto* sub = app.add_subcommand(
        "diagnostics", "Write a zip for a bug report: versions, hardware, run configs and logs, crash reports");
    sub->add_option("--out", request->output, "The .zip to write")->required();
    sub->add_option("--runs", request->runs_dir,
                    "A run folder, or a folder of runs: their run.json, metrics.jsonl and *.log only")
        ->check(CLI::ExistingDirectory);
    sub->footer("Photos, model weights, checkpoints and adapters are never included; manifest.txt in the zip "
                "lists what is.");
    return {sub, [request] {
                const auto written = write_diagnostics(*request);
                if (!written) return report_failure(written.failure().message);
                std::cout << "wrote " << written->string() << '\n';
                return 0;
            }};
}

} // namespace phototune::cli
