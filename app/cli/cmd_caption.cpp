// phototune-cli caption: tags each photo with CLIP zero-shot against the vocabulary and proposes a
// caption from its label and tags; optionally stores them in a project or in sidecar files.
#include "app/cli/command.h"
#include "core/api/captioning.h"
#include "core/api/clip_engine.h"
#include "core/api/json_report.h"
#include "core/api/project.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

namespace phototune::cli {
namespace {

struct CaptionArgs {
    std::string model;
    std::vector<std::string> data;
    std::string project;
    std::string vocab;
    std::string caption_template = default_caption_template;
    int top_k = 5;
    double min_score = 3.0;
    int batch = 32;
    bool replace_captions = false;
    bool write_sidecars = false;
    bool json = false;
};

Result<PhotoProject> open_photos(const CaptionArgs& args)
{
    if (!args.project.empty()) return PhotoProject::open(args.project);
    ScanRequest request;
    request.paths.assign(args.data.begin(), args.data.end());
    request.decode = false; // tagging decodes each photo anyway and reports the ones that fail
    return PhotoProject::from_scan(request);
}

int run_caption(const CaptionArgs& args)
{
    auto engine = ClipEngine::load(args.model);
    if (!engine) return report_failure(engine.failure().message);
    auto vocabulary = builtin_vocabulary();
    if (!vocabulary) return report_failure(vocabulary.failure().message);
    if (!args.vocab.empty())
        if (auto merged = merge_user_terms(*vocabulary, args.vocab); !merged) return report_failure(merged.failure().message);
    auto project = open_photos(args);
    if (!project) return report_failure(project.failure().message);

    CaptionOptions options;
    options.caption_template = args.caption_template;
    options.replace_captions = args.replace_captions;
    options.tagging.top_k = args.top_k;
    options.tagging.min_score = args.min_score;
    options.tagging.batch.batch_size = args.batch;
    options.tagging.batch.fast_decode = true;
    if (!args.json)
        options.tagging.batch.progress = [](std::size_t done, std::size_t total) {
            std::cerr << "tagged " << done << " of " << total << " photos\n";
        };
    const auto report = caption_project(**engine, *project, *vocabulary, options);
    if (!report) return report_failure(report.failure().message);

    if (!args.project.empty())
        if (auto saved = project->save(args.project); !saved) return report_failure(saved.failure().message);
    std::optional<SidecarReport> sidecars;
    if (args.write_sidecars) {
        auto written = project->write_caption_sidecars(false);
        if (!written) return report_failure(written.failure().message);
        sidecars = std::move(*written);
    }

    if (args.json) {
        std::cout << caption_report_to_json(*report, *project, sidecars ? &*sidecars : nullptr) << '\n';
        return 0;
    }
    for (const auto& captioned : report->photos) {
        std::cout << project->photo(captioned.index).relative_path << ": " << captioned.captions.front();
        if (captioned.too_long)
            std::cout << "  [too long: " << *std::max_element(captioned.token_counts.begin(), captioned.token_counts.end())
                      << " tokens > " << report->context_length << ']';
        std::cout << "\n    tags:";
        for (const auto& tag : captioned.tags) std::cout << ' ' << tag.term << " (" << std::fixed << std::setprecision(1) << tag.score << ')';
        std::cout << (captioned.kept_existing_captions ? "\n    (kept its existing caption)\n" : "\n");
    }
    std::cout << report->photos.size() << " photos tagged against " << report->vocabulary_terms << " terms"
              << (report->text_embeddings_from_cache ? " (vocabulary embeddings from the cache)" : "") << "; "
              << report->kept_existing << " kept their existing captions; " << report->too_long
              << " captions are longer than " << report->context_length << " tokens and will be cut\n";
    if (sidecars) {
        std::cout << sidecars->written << " sidecar files written, " << sidecars->unchanged << " already up to date\n";
        for (const auto& file : sidecars->conflicts)
            std::cout << "not overwritten (it says something else): " << file.string() << '\n';
    }
    return 0;
}

} // namespace

Command add_caption_command(CLI::App& app)
{
    auto args = std::make_shared<CaptionArgs>();
    auto* sub = app.add_subcommand("caption", "Tag photos with CLIP zero-shot and propose captions from label and tags");
    sub->add_option("--model", args->model, "Hugging Face CLIP folder")->required()->check(CLI::ExistingDirectory);
    auto* data = sub->add_option("--data", args->data, "Folders and photos to caption")->check(CLI::ExistingPath);
    auto* project = sub->add_option("--project", args->project, "A project file: tags and captions are saved into it")
                        ->check(CLI::ExistingFile);
    data->excludes(project);
    sub->add_option("--vocab", args->vocab, "Your own terms, one per line, added to the built-in vocabulary")
        ->check(CLI::ExistingFile);
    sub->add_option("--template", args->caption_template, "Caption template with {label} and {tags}")->capture_default_str();
    sub->add_option("--top-k", args->top_k, "At most this many tags per photo")->capture_default_str()->check(CLI::Range(0, 100));
    sub->add_option("--min-score", args->min_score, "Calibrated score a tag needs (standard deviations above the photo's mean)")
        ->capture_default_str();
    sub->add_option("--batch", args->batch, "Photos per forward pass")->capture_default_str()->check(CLI::Range(1, 4096));
    sub->add_flag("--replace-captions", args->replace_captions, "Replace captions the photos already have");
    sub->add_flag("--write-sidecars", args->write_sidecars, "Write each caption to photo.txt (never over a different one)");
    sub->add_flag("--json", args->json, "One JSON object: photos with tags, captions and token counts");
    sub->footer("Example: phototune-cli caption --model clip-vit-b-32 --data my-photos --template \"a photo of {label}, {tags}\"");
    return {sub, [args, data, project] {
                if (data->count() == 0 && project->count() == 0) return report_failure("give --data or --project");
                return run_caption(*args);
            }};
}

} // namespace phototune::cli
