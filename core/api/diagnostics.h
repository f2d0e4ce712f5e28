#pragma once
// A diagnostics zip for bug reports: versions, the hardware probe, the runs' configurations and
// logs, and the last crash reports; never photos or weights. `phototune-cli diagnostics` and the
// GUI's Help menu write it. Plain C++, never throws.

#include "core/api/result.h"

#include <filesystem>

namespace phototune {

struct DiagnosticsRequest {
    std::filesystem::path output;            // the .zip to write (replaced atomically)
    std::filesystem::path runs_dir;          // a run folder, or a folder of run folders; empty: none
    int max_crash_reports = 5;               // the newest ones from crash_reports_dir()
};

// Writes one zip holding:
//   manifest.txt                 what is inside, and what was left out and why
//   versions.txt                 version_report()
//   hardware.json                to_json(probe_hardware()) (hardware.txt with the reason if it failed)
//   runs/<run>/<file>            of each run folder (one holding run.json) only run.json,
//                                metrics.jsonl and *.log: an allow-list, so photos, checkpoints,
//                                adapters and anything else never leave the machine
//   crash-reports/<report>       the newest crash reports (core/api/crash_report.h)
// Returns the zip's path.
Result<std::filesystem::path> write_diagnostics(const DiagnosticsRequest& request) noexcept;

} // namespace phototune
