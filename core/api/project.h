#pragma once
// The project facade: the dataset as a person curates it (core/data/project_file.h keeps the file
// format). A project is made from a scan of dropped folders, edited photo by photo (captions,
// tags, label, exclusion), saved atomically, written back to sidecar captions on request and
// exported for open_clip. The GUI and `phototune-cli dataset` / `caption` use it.

#include "core/api/dataset.h"
#include "core/api/progress.h"
#include "core/api/result.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace phototune {

struct ProjectPhoto {
    std::filesystem::path path;
    std::string relative_path;          // UTF-8, '/' separators, inside its root folder
    std::string label;
    int repeats = 1;
    std::vector<std::string> captions;
    std::vector<std::string> tags;
    bool validation = false;            // held out from training (never when excluded: in neither side)
    bool excluded = false;
    std::string exclusion_reason;
};

struct SidecarReport {
    std::size_t written = 0;
    std::size_t unchanged = 0;
    std::vector<std::filesystem::path> conflicts; // sidecars that say something else: left alone
};

enum class ExportFormat { OpenClipCsv, WebDataset };

struct ExportRequest {
    ExportFormat format = ExportFormat::OpenClipCsv;
    std::filesystem::path out_dir;
    std::size_t shard_size = 1000;      // WebDataset samples per shard
    bool validation = false;            // export the validation split instead of the training split
    bool apply_repeats = true;          // a "10_name" folder's photos are listed 10 times
};

struct ExportResult {
    std::vector<std::filesystem::path> files; // the CSV, or the shards
    std::size_t samples = 0;
};

class PhotoProject {
public:
    // Scans the request's paths (see scan_photos) and splits the included photos, stratified by
    // label (validation_fraction, seed). Exact duplicates are excluded with their reason.
    static Result<PhotoProject> from_scan(const ScanRequest& request, double validation_fraction = 0.2,
                                          std::uint64_t seed = 0, const ProgressCallback& progress = {},
                                          const CancelToken& cancel = {}) noexcept;
    static Result<PhotoProject> open(const std::filesystem::path& file) noexcept;
    Result<void> save(const std::filesystem::path& file) const noexcept;

    PhotoProject(PhotoProject&&) noexcept;
    PhotoProject& operator=(PhotoProject&&) noexcept;
    ~PhotoProject();

    std::size_t size() const noexcept;
    ProjectPhoto photo(std::size_t index) const;          // index < size()
    std::vector<ProjectPhoto> photos() const;
    std::vector<SkippedPhoto> skipped() const;

    // Adds the photos of `other` (e.g. a scan of a folder dropped later) that are not in this
    // project yet; a copy of a photo already here is excluded. This project's edits stay. Returns
    // how many photos were added.
    std::size_t add_photos_from(const PhotoProject& other);

    void set_captions(std::size_t index, std::vector<std::string> captions);
    void set_tags(std::size_t index, std::vector<std::string> tags);
    // Edits of a selection of photos. Each checks every index before it changes anything, and
    // re-splits once: the split is stratified by label and leaves excluded photos out.
    void set_label(const std::vector<std::size_t>& indices, const std::string& label);
    void set_excluded(const std::vector<std::size_t>& indices, bool excluded, const std::string& reason = {});
    // Takes photos out of the project (their files stay on disk; adding their folder again brings
    // them back); the indices of the photos after them shift down.
    void remove_photos(std::vector<std::size_t> indices);

    // Captions into `photo.txt` beside each photo with captions. A sidecar that already says
    // something else is reported and left alone unless `overwrite`.
    Result<SidecarReport> write_caption_sidecars(bool overwrite) const noexcept;

    Result<ExportResult> export_dataset(const ExportRequest& request, const ProgressCallback& progress = {},
                                        const CancelToken& cancel = {}) const noexcept;

    struct Impl;

private:
    explicit PhotoProject(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace phototune
