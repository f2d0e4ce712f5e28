#pragma once
// Captions from other tools' dataset files, so a dataset prepared for open_clip, Hugging Face
// datasets or COCO keeps its captions when it is dropped into the studio.

#include "core/data/dataset_scan.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace phototune {

// Captions from other tools' dataset files, keyed by the image's absolute, normalised path.
using CaptionTable = std::map<std::filesystem::path, std::vector<std::string>>;

// open_clip CSV: a header naming the columns (default `filepath` and `title`), tab-separated;
// relative paths are relative to the CSV's folder.
CaptionTable import_open_clip_csv(const std::filesystem::path& csv, const std::string& path_column = "filepath",
                                  const std::string& caption_column = "title");
// Hugging Face imagefolder `metadata.jsonl`: `file_name` plus the first of `text`, `caption`,
// `captions` (string or list), `title`; paths relative to the file's folder.
CaptionTable import_imagefolder_metadata(const std::filesystem::path& jsonl);
// COCO captions (`captions_train2017.json`): images {id, file_name} and annotations {image_id, caption};
// several captions per image. `images_dir` defaults to the JSON's folder.
CaptionTable import_coco_captions(const std::filesystem::path& json, const std::filesystem::path& images_dir = {});

// Adds imported captions to the scanned items they name (skipping captions an item already has).
// Returns the table's paths that match no item, so the caller can tell the user.
std::vector<std::filesystem::path> apply_captions(DatasetScan& scan, const CaptionTable& captions);

} // namespace phototune
