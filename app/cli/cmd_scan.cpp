// phototune-cli scan: which photos of the given folders and files the studio would use, with their
// labels, and every file it would not, with the reason.
#include "app/cli/command.h"
#include "core/api/dataset.h"

#include <chrono>
#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct ScanArgs {
    std::vector<std::string> paths;
    bool json = false;
    bool no_decode = false;
};

void print_report(const DatasetReport& report)
{
    std::cout << report.photos.size() << " photos to use, " << report.skipped.size() << " skipped, "
              << report.duplicates.size() << " duplicates, " << report.ignored_files << " other files ignored\n";
    for (const auto& [label, count] : report.label_counts)
        std::cout << "  " << (label.empty() ? "(no label)" : label) << ": " << count << '\n';
    for (const SkippedPhoto& file : report.skipped)
        std::cout << "skipped " << file.path.string() << " [" << file.reason << "]: " << file.message << '\n';
    for (const DuplicatePhoto& duplicate : report.duplicates)
        std::cout << "duplicate " << duplicate.path.string() << " of " << duplicate.original.string()
                  << (duplicate.exact ? " (same bytes)" : " (the same picture, re-saved)") << '\n';
    for (const std::string& warning : report.warnings) std::cout << "warning: " << warning << '\n';
}

int run_scan(const ScanArgs& args)
{
    ScanRequest request;
    request.paths.assign(args.paths.begin(), args.paths.end());
    request.decode = !args.no_decode;
    auto last_report = std::chrono::steady_clock::now();
    const auto progress = [&](std::size_t done, std::size_t found) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_report < std::chrono::seconds(1)) return;
        last_report = now;
        std::cerr << "scanned " << done << " of " << found << " files\n";
    };
    const auto report = scan_photos(request, progress);
    if (!report) return report_failure(report.failure().message);
    if (args.json) std::cout << dataset_report_to_json(*report) << '\n';
    else print_report(*report);
    return 0;
}

} // namespace

Command add_scan_command(CLI::App& app)
{
    auto args = std::make_shared<ScanArgs>();
    auto* sub = app.add_subcommand("scan", "List the photos a folder gives, their labels, and every skipped file with why");
    sub->add_option("paths", args->paths, "Folders (scanned recursively) and photo files")->required()->check(CLI::ExistingPath);
    sub->add_flag("--json", args->json, "One JSON object: items, skipped, duplicates, labels");
    sub->add_flag("--no-decode", args->no_decode, "Read only headers: faster, but damaged photos and near duplicates go unnoticed");
    sub->footer("Example: phototune-cli scan ~/Pictures/dogs ~/Pictures/cats --json");
    return {sub, [args] { return run_scan(*args); }};
}

} // namespace phototune::cli
