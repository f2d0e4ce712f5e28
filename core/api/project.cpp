#include "core/api/project.h"

#include "core/api/detail/facade_guard.h"
#include "core/api/detail/skipped_photo.h"
#include "core/data/dataset_export.h"
#include "core/data/dataset_scan.h"
#include "core/data/project_file.h"
#include "core/util/error.h"

#include <algorithm>
#include <functional>

namespace phototune {

struct PhotoProject::Impl {
    Project project;

    ProjectItem& item(std::size_t index)
    {
        PHOTOTUNE_CHECK(index < project.items.size(), ErrorCategory::InvalidInput,
                        "photo " + std::to_string(index) + " is not in the project (it has " +
                            std::to_string(project.items.size()) + ")");
        return project.items[index];
    }

    std::vector<ProjectItem*> items(const std::vector<std::size_t>& indices)
    {
        std::vector<ProjectItem*> chosen;
        for (std::size_t index : indices) chosen.push_back(&item(index));
        return chosen;
    }
};

PhotoProject::PhotoProject(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PhotoProject::PhotoProject(PhotoProject&&) noexcept = default;
PhotoProject& PhotoProject::operator=(PhotoProject&&) noexcept = default;
PhotoProject::~PhotoProject() = default;

Result<PhotoProject> PhotoProject::from_scan(const ScanRequest& request, double validation_fraction, std::uint64_t seed,
                                             const ProgressCallback& progress, const CancelToken& cancel) noexcept
{
    auto impl = detail::guarded([&] {
        ScanOptions options;
        options.decode = request.decode;
        const DatasetScan scan = scan_dataset(request.paths, options, progress, &cancel);
        SplitOptions split;
        split.validation_fraction = validation_fraction;
        split.seed = seed;
        return std::make_unique<Impl>(Impl{project_from_scan(scan, split)});
    });
    if (!impl) return impl.failure();
    return PhotoProject(std::move(*impl));
}

Result<PhotoProject> PhotoProject::open(const std::filesystem::path& file) noexcept
{
    auto impl = detail::guarded([&] { return std::make_unique<Impl>(Impl{load_project(file)}); });
    if (!impl) return impl.failure();
    return PhotoProject(std::move(*impl));
}

Result<void> PhotoProject::save(const std::filesystem::path& file) const noexcept
{
    return detail::guarded([&] { save_project(m_impl->project, file); });
}

std::size_t PhotoProject::size() const noexcept
{
    return m_impl->project.items.size();
}

ProjectPhoto PhotoProject::photo(std::size_t index) const
{
    const ProjectItem& item = m_impl->item(index);
    return {item_path(m_impl->project, item), item.relative_path, item.label, item.repeats, item.captions, item.tags,
            !item.excluded && item.split == Split::Validation, item.excluded, item.exclusion_reason};
}

std::vector<ProjectPhoto> PhotoProject::photos() const
{
    std::vector<ProjectPhoto> all;
    for (std::size_t i = 0; i < size(); ++i) all.push_back(photo(i));
    return all;
}

std::vector<SkippedPhoto> PhotoProject::skipped() const
{
    std::vector<SkippedPhoto> all;
    for (const auto& file : m_impl->project.skipped) all.push_back(detail::to_skipped_photo(file));
    return all;
}

std::size_t PhotoProject::add_photos_from(const PhotoProject& other)
{
    return merge_project(m_impl->project, other.m_impl->project);
}

void PhotoProject::set_captions(std::size_t index, std::vector<std::string> captions)
{
    m_impl->item(index).captions = std::move(captions);
}

void PhotoProject::set_tags(std::size_t index, std::vector<std::string> tags)
{
    m_impl->item(index).tags = std::move(tags);
}

void PhotoProject::set_label(const std::vector<std::size_t>& indices, const std::string& label)
{
    for (ProjectItem* item : m_impl->items(indices)) item->label = label;
    assign_project_splits(m_impl->project);
}

void PhotoProject::set_excluded(const std::vector<std::size_t>& indices, bool excluded, const std::string& reason)
{
    for (ProjectItem* item : m_impl->items(indices)) {
        item->excluded = excluded;
        item->exclusion_reason = excluded ? reason : std::string();
    }
    assign_project_splits(m_impl->project);
}

void PhotoProject::remove_photos(std::vector<std::size_t> indices)
{
    m_impl->items(indices); // checks every index before any change
    std::sort(indices.begin(), indices.end(), std::greater<>());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    auto& items = m_impl->project.items;
    for (std::size_t index : indices) items.erase(items.begin() + static_cast<std::ptrdiff_t>(index));
    assign_project_splits(m_impl->project);
}

Result<SidecarReport> PhotoProject::write_caption_sidecars(bool overwrite) const noexcept
{
    return detail::guarded([&] {
        const SidecarWriteReport written = phototune::write_caption_sidecars(m_impl->project, overwrite);
        SidecarReport report{written.written, written.unchanged, {}};
        for (const auto& conflict : written.conflicts) report.conflicts.push_back(conflict.sidecar);
        return report;
    });
}

Result<ExportResult> PhotoProject::export_dataset(const ExportRequest& request, const ProgressCallback& progress,
                                                  const CancelToken& cancel) const noexcept
{
    return detail::guarded([&] {
        const auto samples = export_samples(m_impl->project, request.validation ? Split::Validation : Split::Train,
                                            request.apply_repeats);
        PHOTOTUNE_CHECK(!samples.empty(), ErrorCategory::InvalidInput,
                        "the project has no photo with a caption or label in that split; nothing to export");
        std::filesystem::create_directories(request.out_dir);
        ExportResult result;
        result.samples = samples.size();
        if (request.format == ExportFormat::OpenClipCsv) {
            const auto csv = request.out_dir / (request.validation ? "validation.csv" : "train.csv");
            write_open_clip_csv(samples, csv);
            result.files.push_back(csv);
        } else {
            ShardOptions options;
            options.samples_per_shard = request.shard_size;
            result.files = write_webdataset_shards(samples, request.out_dir, options, progress, &cancel);
        }
        return result;
    });
}

} // namespace phototune
