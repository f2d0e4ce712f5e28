#include "core/data/dataset_import.h"

#include "core/data/dataset_text.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace phototune {

namespace {

namespace fs = std::filesystem;

std::string utf8(const fs::path& path)
{
    return path_for_display(path);
}

fs::path normalised_absolute(const fs::path& path)
{
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    return (ec ? path : absolute).lexically_normal();
}

std::vector<std::string> split_tsv_row(std::string_view line)
{
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        const char c = i < line.size() ? line[i] : '\t';
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && field.empty()) {
            quoted = true;
        } else if (c == '\t') {
            fields.push_back(std::move(field));
            field.clear();
        } else {
            field += c;
        }
    }
    return fields;
}

void add_caption(CaptionTable& table, const fs::path& base, const std::string& file, const std::string& caption)
{
    auto& captions = table[normalised_absolute(base / fs::path(std::u8string(file.begin(), file.end())))];
    std::string text = trim_whitespace(caption);
    if (!text.empty() && std::find(captions.begin(), captions.end(), text) == captions.end())
        captions.push_back(std::move(text));
}

std::string text_without_bom(const fs::path& path)
{
    std::string text = read_text_file(path);
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    return text;
}

nlohmann::json parse_json(std::string_view text, const fs::path& path, const std::string& where)
{
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCategory::InvalidInput, "'" + utf8(path) + "'" + where + " is not valid JSON: " + e.what());
    }
}

} // namespace

CaptionTable import_open_clip_csv(const fs::path& csv, const std::string& path_column, const std::string& caption_column)
{
    const std::string text = text_without_bom(csv);
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (!line.empty()) lines.push_back(line);
        start = end + 1;
    }
    PHOTOTUNE_CHECK(!lines.empty(), ErrorCategory::InvalidInput, "'" + utf8(csv) + "' is empty");
    const auto header = split_tsv_row(lines[0]);
    const auto column = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end())
            throw Error(ErrorCategory::InvalidInput, "'" + utf8(csv) + "' has no '" + name + "' column; open_clip CSVs are " +
                                                         "tab-separated with a header line such as 'filepath<TAB>title'");
        return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t path_index = column(path_column);
    const std::size_t caption_index = column(caption_column);
    CaptionTable table;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto fields = split_tsv_row(lines[i]);
        if (fields.size() <= std::max(path_index, caption_index))
            throw Error(ErrorCategory::InvalidInput, "'" + utf8(csv) + "' line " + std::to_string(i + 1) + " has " +
                                                         std::to_string(fields.size()) + " columns, the header has " +
                                                         std::to_string(header.size()) + " (columns are separated by tabs)");
        add_caption(table, csv.parent_path(), fields[path_index], fields[caption_index]);
    }
    return table;
}

CaptionTable import_imagefolder_metadata(const fs::path& jsonl)
{
    const std::string text = text_without_bom(jsonl);
    CaptionTable table;
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = trim_whitespace(std::string_view(text).substr(start, end - start));
        start = end + 1;
        ++line_number;
        if (line.empty()) continue;
        const auto where = " line " + std::to_string(line_number);
        const auto row = parse_json(line, jsonl, where);
        if (!row.is_object() || !row.contains("file_name") || !row["file_name"].is_string())
            throw Error(ErrorCategory::InvalidInput, "'" + utf8(jsonl) + "'" + where + " has no \"file_name\" string");
        const std::string file = row["file_name"].get<std::string>();
        table[normalised_absolute(jsonl.parent_path() / fs::path(std::u8string(file.begin(), file.end())))];
        for (const char* key : {"text", "caption", "captions", "title"}) {
            if (!row.contains(key)) continue;
            const auto& value = row[key];
            if (value.is_string()) add_caption(table, jsonl.parent_path(), file, value.get<std::string>());
            if (value.is_array())
                for (const auto& caption : value)
                    if (caption.is_string()) add_caption(table, jsonl.parent_path(), file, caption.get<std::string>());
            break;
        }
    }
    return table;
}

CaptionTable import_coco_captions(const fs::path& json, const fs::path& images_dir)
{
    const auto root = parse_json(text_without_bom(json), json, "");
    const auto invalid = [&](const std::string& what) {
        return Error(ErrorCategory::InvalidInput,
                     "'" + utf8(json) + "' is not a COCO captions file: " + what +
                         " (expected \"images\": [{\"id\", \"file_name\"}] and \"annotations\": [{\"image_id\", \"caption\"}])");
    };
    if (!root.is_object() || !root.contains("images") || !root["images"].is_array()) throw invalid("no \"images\" list");
    if (!root.contains("annotations") || !root["annotations"].is_array()) throw invalid("no \"annotations\" list");
    const fs::path base = images_dir.empty() ? json.parent_path() : images_dir;
    std::unordered_map<std::int64_t, std::string> files;
    CaptionTable table;
    for (const auto& image : root["images"]) {
        if (!image.is_object() || !image.contains("id") || !image["id"].is_number_integer() ||
            !image.contains("file_name") || !image["file_name"].is_string())
            throw invalid("an image without an integer \"id\" and a \"file_name\"");
        const std::string file = image["file_name"].get<std::string>();
        files[image["id"].get<std::int64_t>()] = file;
        table[normalised_absolute(base / fs::path(std::u8string(file.begin(), file.end())))];
    }
    for (const auto& annotation : root["annotations"]) {
        if (!annotation.is_object() || !annotation.contains("image_id") || !annotation["image_id"].is_number_integer() ||
            !annotation.contains("caption") || !annotation["caption"].is_string())
            throw invalid("an annotation without an integer \"image_id\" and a \"caption\"");
        const auto it = files.find(annotation["image_id"].get<std::int64_t>());
        if (it == files.end())
            throw invalid("annotation for image_id " + std::to_string(annotation["image_id"].get<std::int64_t>()) +
                          ", which is not in \"images\"");
        add_caption(table, base, it->second, annotation["caption"].get<std::string>());
    }
    return table;
}

std::vector<fs::path> apply_captions(DatasetScan& scan, const CaptionTable& captions)
{
    std::map<fs::path, DatasetItem*> by_path;
    for (auto& item : scan.items) by_path[normalised_absolute(item.path)] = &item;
    std::vector<fs::path> unmatched;
    for (const auto& [path, texts] : captions) {
        const auto it = by_path.find(path);
        if (it == by_path.end()) {
            unmatched.push_back(path);
            continue;
        }
        auto& existing = it->second->captions;
        for (const auto& text : texts)
            if (std::find(existing.begin(), existing.end(), text) == existing.end()) existing.push_back(text);
    }
    return unmatched;
}

} // namespace phototune
