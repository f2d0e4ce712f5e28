#include "core/api/dataset.h"

#include "core/api/detail/facade_guard.h"
#include "core/api/detail/skipped_photo.h"
#include "core/data/dataset_scan.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <map>

namespace phototune {

Result<DatasetReport> scan_photos(const ScanRequest& request, const ProgressCallback& progress,
                                  const CancelToken& cancel) noexcept
{
    return detail::guarded([&] {
        ScanOptions options;
        options.decode = request.decode;
        const DatasetScan scan = scan_dataset(request.paths, options, progress, &cancel);
        DatasetReport report;
        std::map<std::string, std::size_t> counts;
        for (const DatasetItem& item : scan.items) {
            report.photos.push_back({item.path, item.relative_path, item.label, item.repeats, item.captions,
                                     image_format_name(item.format), item.width, item.height});
            ++counts[item.label];
        }
        report.label_counts.assign(counts.begin(), counts.end());
        for (const SkippedFile& file : scan.skipped)
            report.skipped.push_back(detail::to_skipped_photo(file));
        for (const Duplicate& duplicate : scan.duplicates)
            report.duplicates.push_back({scan.items[duplicate.item].path, scan.items[duplicate.original].path,
                                         duplicate.kind == DuplicateKind::Exact, duplicate.distance});
        report.warnings = scan.warnings;
        report.ignored_files = scan.ignored_files;
        return report;
    });
}

std::string dataset_report_to_json(const DatasetReport& report)
{
    nlohmann::ordered_json json;
    json["items"] = nlohmann::ordered_json::array();
    for (const ScannedPhoto& photo : report.photos)
        json["items"].push_back({{"path", path_for_display(photo.path)}, {"relative_path", photo.relative_path},
                                 {"label", photo.label}, {"repeats", photo.repeats}, {"captions", photo.captions},
                                 {"format", photo.format}, {"width", photo.width}, {"height", photo.height}});
    json["skipped"] = nlohmann::ordered_json::array();
    for (const SkippedPhoto& file : report.skipped)
        json["skipped"].push_back({{"path", path_for_display(file.path)}, {"reason", file.reason}, {"message", file.message}});
    json["duplicates"] = nlohmann::ordered_json::array();
    for (const DuplicatePhoto& duplicate : report.duplicates)
        json["duplicates"].push_back({{"path", path_for_display(duplicate.path)},
                                      {"original", path_for_display(duplicate.original)},
                                      {"kind", duplicate.exact ? "exact" : "near"}, {"distance", duplicate.distance}});
    json["labels"] = nlohmann::ordered_json::object();
    for (const auto& [label, count] : report.label_counts) json["labels"][label] = count;
    json["warnings"] = report.warnings;
    json["ignored_files"] = report.ignored_files;
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace phototune
