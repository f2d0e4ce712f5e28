// phototune-cli dataset: make a project file from folders, and export a curated dataset in the
// formats open_clip trains from (CSV, WebDataset shards) for a bigger machine.
#include "app/cli/command.h"
#include "core/api/project.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace phototune::cli {
namespace {

struct DatasetArgs {
    std::vector<std::string> data;
    std::string project;
    std::string out;
    std::string format = "csv";
    std::size_t shard_size = 1000;
    std::string split = "train";
    double val_split = 0.2;
    std::uint64_t seed = 0;
};

Result<PhotoProject> open_dataset(const DatasetArgs& args)
{
    if (!args.project.empty()) return PhotoProject::open(args.project);
    ScanRequest request;
    request.paths.assign(args.data.begin(), args.data.end());
    return PhotoProject::from_scan(request, args.val_split, args.seed);
}

int run_init(const DatasetArgs& args)
{
    auto project = open_dataset(args);
    if (!project) return report_failure(project.failure().message);
    if (auto saved = project->save(args.out); !saved) return report_failure(saved.failure().message);
    std::size_t validation = 0, excluded = 0;
    for (const auto& photo : project->photos()) {
        validation += photo.validation;
        excluded += photo.excluded;
    }
    std::cout << "wrote " << args.out << ": " << project->size() - excluded << " photos (" << validation
              << " for validation), " << excluded << " excluded, " << project->skipped().size() << " files skipped\n";
    return 0;
}

int run_export(const DatasetArgs& args)
{
    auto project = open_dataset(args);
    if (!project) return report_failure(project.failure().message);
    ExportRequest request;
    request.format = args.format == "csv" ? ExportFormat::OpenClipCsv : ExportFormat::WebDataset;
    request.out_dir = args.out;
    request.shard_size = args.shard_size;
    request.validation = args.split == "validation";
    const auto exported = project->export_dataset(request, [](std::size_t done, std::size_t total) {
        std::cerr << "exported " << done << " of " << total << " samples\n";
    });
    if (!exported) return report_failure(exported.failure().message);
    std::cout << exported->samples << " samples written to " << exported->files.size() << " file(s):\n";
    for (const auto& file : exported->files) std::cout << "  " << file.string() << '\n';
    if (request.format == ExportFormat::WebDataset && !exported->files.empty()) {
        char last[16];
        std::snprintf(last, sizeof last, "%06zu", exported->files.size() - 1);
        std::cout << "train with: open_clip_train --dataset-type webdataset --train-data '"
                  << (std::filesystem::path(args.out) / ("{000000.." + std::string(last) + "}.tar")).string()
                  << "' --train-num-samples " << exported->samples << '\n';
    }
    return 0;
}

void add_source_options(CLI::App* sub, DatasetArgs& args)
{
    auto* data = sub->add_option("--data", args.data, "Folders and photos (scanned now)")->check(CLI::ExistingPath);
    auto* project = sub->add_option("--project", args.project, "A project file")->check(CLI::ExistingFile);
    data->excludes(project);
    sub->add_option("--val-split", args.val_split, "With --data: fraction held out for validation")->capture_default_str();
    sub->add_option("--seed", args.seed, "With --data: seed of the split")->capture_default_str();
}

} // namespace

Command add_dataset_command(CLI::App& app)
{
    auto args = std::make_shared<DatasetArgs>();
    auto* sub = app.add_subcommand("dataset", "Make a project file from folders, or export a dataset for open_clip");
    sub->require_subcommand(1);

    auto* init = sub->add_subcommand("init", "Scan folders into a project file (labels, captions, split, exclusions)");
    init->add_option("--data", args->data, "Folders and photos")->required()->check(CLI::ExistingPath);
    init->add_option("--out", args->out, "The project file to write")->required();
    init->add_option("--val-split", args->val_split, "Fraction held out for validation")->capture_default_str();
    init->add_option("--seed", args->seed, "Seed of the split")->capture_default_str();

    auto* exporter = sub->add_subcommand("export", "Write an open_clip CSV or WebDataset tar shards");
    add_source_options(exporter, *args);
    exporter->add_option("--format", args->format, "csv or webdataset")->capture_default_str()->check(CLI::IsMember({"csv", "webdataset"}));
    exporter->add_option("--out", args->out, "Folder to write into")->required();
    exporter->add_option("--shard-size", args->shard_size, "WebDataset samples per shard")->capture_default_str()->check(CLI::Range(1, 1000000));
    exporter->add_option("--split", args->split, "train or validation")->capture_default_str()->check(CLI::IsMember({"train", "validation"}));
    sub->footer("Examples:\n  phototune-cli dataset init --data my-photos --out my.phototune.json\n"
                "  phototune-cli dataset export --project my.phototune.json --format webdataset --out shards --shard-size 500");
    return {sub, [args, init] {
                if (init->parsed()) return run_init(*args);
                if (args->data.empty() && args->project.empty()) return report_failure("give --data or --project");
                return run_export(*args);
            }};
}

} // namespace phototune::cli
