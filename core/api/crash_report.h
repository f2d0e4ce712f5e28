#pragma once
// Crash reports and the interrupted training run. install_crash_handler() makes a fatal signal
// (SIGSEGV, SIGABRT, SIGFPE, SIGILL; an unhandled SEH exception on Windows) leave a short report in
// crash_reports_dir(); set_active_run() / clear_active_run() keep a marker naming the run in
// progress, so that the next start can offer to resume it (pending_crash()). Plain C++, never
// throws; the GUI's adapter is ui/support/crash_handler.h, and write_diagnostics() packs the reports.
//
// Files in crash_reports_dir():
//   crash-<unix seconds>-<pid>.txt       a report not yet offered to the user
//   crash-<unix seconds>-<pid>.seen.txt  one that was (dismiss_pending_crash renames it)
//   active-run                           the folder of the run in progress (UTF-8), if any

#include "core/api/result.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace phototune {

// <user cache dir>/crash-reports ($PHOTOTUNE_CACHE_DIR, XDG or %LOCALAPPDATA%; see docs/formats.md).
std::filesystem::path crash_reports_dir() noexcept;

// The reports in crash_reports_dir(), seen or not, newest first, at most `limit`.
std::vector<std::filesystem::path> recent_crash_reports(std::size_t limit) noexcept;

// Creates crash_reports_dir() and installs the handler for this process. The report's path prefix
// and text are prepared here, because the handler may only make async-signal-safe calls. After
// writing the report the handler lets the signal kill the process as it would have (core dumps
// and the exit status are unchanged).
Result<void> install_crash_handler() noexcept;

// Call when a training run starts (or resumes) and when it ends (finished, stopped or failed),
// so that only a run the studio did not end itself is offered for resuming.
Result<void> set_active_run(const std::filesystem::path& run_dir) noexcept;
void clear_active_run() noexcept;

struct PendingCrash {
    std::filesystem::path report;           // empty when the studio ended without one (e.g. killed)
    std::string report_text;
    std::filesystem::path interrupted_run;  // empty when no run was active
};

// The newest report not yet offered and/or the run that was active when the studio last ended;
// nullopt when the last session ended cleanly. Only meaningful before this session starts a run.
std::optional<PendingCrash> pending_crash() noexcept;

// Marks the reports as offered and forgets the interrupted run (resuming it calls
// set_active_run again).
void dismiss_pending_crash() noexcept;

} // namespace phototune
