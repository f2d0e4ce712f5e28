#pragma once
// The project file: a JSON document ("schema_version": 1) holding the dataset as the person curated
// it (roots, photos with label, captions, tags, split, exclusion) and the files the scan skipped.
// Saved atomically. Roots inside the project's folder are stored relative to it, so a project
// folder that holds its photos can be moved or copied as a whole.

#include "core/data/dataset_scan.h"
#include "core/data/split.h"

#include <filesystem>
#include <string>
#include <vector>

namespace phototune {

inline constexpr int project_schema_version = 1;

struct ProjectItem {
    std::size_t root = 0;                 // index into Project::roots
    std::string relative_path;            // UTF-8, '/' separators
    std::string label;
    int repeats = 1;
    std::vector<std::string> captions;
    std::vector<std::string> tags;
    Split split = Split::Train;
    bool excluded = false;
    std::string exclusion_reason;         // for a person, e.g. "exact copy of cats/a.jpg"
    std::string sha256;                   // hex; tells whether the file changed since the scan
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

struct Project {
    std::vector<std::filesystem::path> roots;
    SplitOptions split;
    std::vector<ProjectItem> items;
    std::vector<SkippedFile> skipped;
};

std::filesystem::path item_path(const Project& project, const ProjectItem& item);

// Items from a scan: duplicates excluded (the first copy is kept), splits assigned with `split`
// over the included photos.
Project project_from_scan(const DatasetScan& scan, const SplitOptions& split);

// Adds `other`'s photos that `project` does not hold yet (the same file counts once), with their
// roots, and the files it skipped; a photo whose content `project` already holds is excluded as
// its copy. Edits already in `project` stay; splits are recomputed with `project`'s options.
// Returns how many photos were added.
std::size_t merge_project(Project& project, const Project& other);

// Recomputes every included item's split with the project's options (see split.h for the rule).
void assign_project_splits(Project& project);

void save_project(const Project& project, const std::filesystem::path& file);

// Throws Error(NotFound) for a missing file, Error(InvalidInput) for a damaged one (naming the
// field), Error(Unsupported) for a file written by a newer version of the studio.
Project load_project(const std::filesystem::path& file);

// Writing captions back to sidecar `photo.txt` files, one caption per line, for the photos that
// have captions. An existing sidecar with other captions is a conflict: it is left alone and
// reported, unless `overwrite` is set. Sidecars that already say the same are left untouched.
struct SidecarConflict {
    std::filesystem::path sidecar;
    std::vector<std::string> on_disk;
    std::vector<std::string> in_project;
};

struct SidecarWriteReport {
    std::size_t written = 0;
    std::size_t unchanged = 0;
    std::vector<SidecarConflict> conflicts;
};

SidecarWriteReport write_caption_sidecars(const Project& project, bool overwrite);

} // namespace phototune
