#include "core/data/project_file.h"

#include "core/data/dataset_text.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace phototune {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path from_utf8(const std::string& text)
{
    return fs::path(std::u8string(text.begin(), text.end()));
}

// Reads typed fields and names the file and the place of anything wrong.
class Fields {
public:
    Fields(const json& object, std::string where) : m_object(object), m_where(std::move(where))
    {
        if (!object.is_object()) fail("must be a JSON object");
    }

    [[noreturn]] void fail(const std::string& what) const { throw Error(ErrorCategory::InvalidInput, m_where + what); }

    const json* find(const char* key) const
    {
        const auto it = m_object.find(key);
        return it == m_object.end() ? nullptr : &*it;
    }
    const json& required(const char* key) const
    {
        const json* value = find(key);
        if (!value) fail(std::string("has no \"") + key + "\"");
        return *value;
    }
    std::string string(const char* key, bool needed = false) const
    {
        const json* value = needed ? &required(key) : find(key);
        if (!value) return {};
        if (!value->is_string()) fail(std::string("\"") + key + "\" must be a string");
        return value->get<std::string>();
    }
    std::vector<std::string> strings(const char* key) const
    {
        std::vector<std::string> out;
        const json* value = find(key);
        if (!value) return out;
        if (!value->is_array()) fail(std::string("\"") + key + "\" must be a list of strings");
        for (const auto& element : *value) {
            if (!element.is_string()) fail(std::string("\"") + key + "\" must be a list of strings");
            out.push_back(element.get<std::string>());
        }
        return out;
    }
    std::uint64_t unsigned_number(const char* key, std::uint64_t fallback, std::uint64_t max) const
    {
        const json* value = find(key);
        if (!value) return fallback;
        if (!value->is_number_unsigned() || value->get<std::uint64_t>() > max)
            fail(std::string("\"") + key + "\" must be a whole number from 0 to " + std::to_string(max));
        return value->get<std::uint64_t>();
    }
    bool boolean(const char* key) const
    {
        const json* value = find(key);
        if (!value) return false;
        if (!value->is_boolean()) fail(std::string("\"") + key + "\" must be true or false");
        return value->get<bool>();
    }

private:
    const json& m_object;
    std::string m_where;
};

json item_to_json(const ProjectItem& item)
{
    json out = {{"root", item.root},
                {"path", item.relative_path},
                {"label", item.label},
                {"repeats", item.repeats},
                {"captions", item.captions},
                {"tags", item.tags},
                {"split", split_name(item.split)},
                {"excluded", item.excluded}};
    if (item.excluded) out["exclusion_reason"] = item.exclusion_reason;
    if (!item.sha256.empty()) out["sha256"] = item.sha256;
    if (item.width) out["width"] = item.width;
    if (item.height) out["height"] = item.height;
    return out;
}

ProjectItem item_from_json(const json& value, const std::string& where, std::size_t root_count)
{
    const Fields fields(value, where);
    ProjectItem item;
    item.root = fields.unsigned_number("root", 0, root_count ? root_count - 1 : 0);
    item.relative_path = fields.string("path", true);
    if (item.relative_path.empty()) fields.fail("has an empty \"path\"");
    item.label = fields.string("label");
    item.repeats = static_cast<int>(fields.unsigned_number("repeats", 1, 100000));
    item.captions = fields.strings("captions");
    item.tags = fields.strings("tags");
    const std::string split = fields.string("split");
    if (split == "validation")
        item.split = Split::Validation;
    else if (split.empty() || split == "train")
        item.split = Split::Train;
    else
        fields.fail("\"split\" must be \"train\" or \"validation\", not \"" + split + "\"");
    item.excluded = fields.boolean("excluded");
    item.exclusion_reason = fields.string("exclusion_reason");
    item.sha256 = fields.string("sha256");
    item.width = static_cast<std::uint32_t>(fields.unsigned_number("width", 0, UINT32_MAX));
    item.height = static_cast<std::uint32_t>(fields.unsigned_number("height", 0, UINT32_MAX));
    return item;
}

std::string join_lines(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

} // namespace

fs::path item_path(const Project& project, const ProjectItem& item)
{
    PHOTOTUNE_CHECK(item.root < project.roots.size(), ErrorCategory::Internal, "project item refers to a missing root");
    const fs::path& root = project.roots[item.root];
    // A dropped single file is its own root, and its relative path is its file name.
    const fs::path relative = from_utf8(item.relative_path);
    std::error_code ec;
    if (relative == root.filename() && !fs::is_directory(root, ec)) return root;
    return root / relative;
}

Project project_from_scan(const DatasetScan& scan, const SplitOptions& split)
{
    Project project;
    project.roots = scan.roots;
    project.split = split;
    project.skipped = scan.skipped;
    for (const auto& scanned : scan.items) {
        ProjectItem item;
        item.root = scanned.root;
        item.relative_path = scanned.relative_path;
        item.label = scanned.label;
        item.repeats = scanned.repeats;
        item.captions = scanned.captions;
        item.sha256 = to_hex(scanned.sha256);
        item.width = scanned.width;
        item.height = scanned.height;
        project.items.push_back(std::move(item));
    }
    for (const auto& duplicate : scan.duplicates) {
        auto& item = project.items[duplicate.item];
        const auto& original = scan.items[duplicate.original].relative_path;
        item.excluded = true;
        item.exclusion_reason = duplicate.kind == DuplicateKind::Exact
                                    ? "exact copy of " + original
                                    : "looks the same as " + original + " (near duplicate)";
    }
    assign_project_splits(project);
    return project;
}

std::size_t merge_project(Project& project, const Project& other)
{
    const auto normal = [](const fs::path& path) { return fs::absolute(path).lexically_normal(); };
    std::set<fs::path> files;
    std::map<std::string, std::string> content; // sha256 -> relative path of the photo holding it
    for (const auto& item : project.items) {
        files.insert(normal(item_path(project, item)));
        if (!item.excluded && !item.sha256.empty()) content.emplace(item.sha256, item.relative_path);
    }
    std::vector<std::size_t> root_of(other.roots.size());
    for (std::size_t r = 0; r < other.roots.size(); ++r) {
        const auto found = std::find_if(project.roots.begin(), project.roots.end(),
                                        [&](const fs::path& root) { return normal(root) == normal(other.roots[r]); });
        root_of[r] = static_cast<std::size_t>(found - project.roots.begin());
        if (found == project.roots.end()) project.roots.push_back(other.roots[r]);
    }
    std::size_t added = 0;
    for (const auto& incoming : other.items) {
        if (!files.insert(normal(item_path(other, incoming))).second) continue;
        ProjectItem item = incoming;
        item.root = root_of[incoming.root];
        if (const auto copy = content.find(item.sha256); !item.excluded && copy != content.end()) {
            item.excluded = true;
            item.exclusion_reason = "exact copy of " + copy->second;
        } else if (!item.excluded && !item.sha256.empty()) {
            content.emplace(item.sha256, item.relative_path);
        }
        project.items.push_back(std::move(item));
        ++added;
    }
    std::set<fs::path> skipped;
    for (const auto& file : project.skipped) skipped.insert(normal(file.path));
    for (const auto& file : other.skipped)
        if (skipped.insert(normal(file.path)).second) project.skipped.push_back(file);
    assign_project_splits(project);
    return added;
}

void assign_project_splits(Project& project)
{
    std::vector<SplitKey> keys;
    std::vector<std::size_t> included;
    for (std::size_t i = 0; i < project.items.size(); ++i) {
        if (project.items[i].excluded) continue;
        keys.push_back({project.items[i].label, project.items[i].relative_path});
        included.push_back(i);
    }
    const auto splits = assign_splits(keys, project.split);
    for (std::size_t k = 0; k < included.size(); ++k) project.items[included[k]].split = splits[k];
}

void save_project(const Project& project, const fs::path& file)
{
    const fs::path folder = fs::absolute(file).parent_path().lexically_normal();
    json roots = json::array();
    for (const auto& root : project.roots) {
        const fs::path absolute = fs::absolute(root).lexically_normal();
        const fs::path relative = absolute.lexically_relative(folder);
        const bool inside = !relative.empty() && *relative.begin() != "..";
        roots.push_back(path_for_display((inside ? relative : absolute).generic_u8string()));
    }
    json items = json::array();
    for (const auto& item : project.items) items.push_back(item_to_json(item));
    json skipped = json::array();
    for (const auto& file_skipped : project.skipped)
        skipped.push_back({{"path", path_for_display(file_skipped.path)},
                           {"reason", skip_reason_name(file_skipped.reason)},
                           {"message", file_skipped.message}});
    const json document = {{"schema_version", project_schema_version},
                           {"roots", roots},
                           {"split", {{"validation_fraction", project.split.validation_fraction}, {"seed", project.split.seed}}},
                           {"items", items},
                           {"skipped", skipped}};
    write_file_atomic(file, document.dump(1, '\t', false, json::error_handler_t::replace) + "\n");
}

Project load_project(const fs::path& file)
{
    const std::string name = "'" + path_for_display(file) + "'";
    json document;
    try {
        document = json::parse(read_text_file(file));
    } catch (const json::exception& e) {
        throw Error(ErrorCategory::InvalidInput, name + " is not a PhotoTune project: it is not valid JSON (" + e.what() + ")");
    }
    const Fields top(document, name + " ");
    const json& version = top.required("schema_version");
    if (!version.is_number_integer()) top.fail("has a \"schema_version\" that is not a whole number");
    if (version.get<std::int64_t>() > project_schema_version)
        throw Error(ErrorCategory::Unsupported, name + " was written by a newer PhotoTune Studio (project schema " +
                                                    std::to_string(version.get<std::int64_t>()) + "; this version reads " +
                                                    std::to_string(project_schema_version) + "): update the studio to open it");
    if (version.get<std::int64_t>() < 1) top.fail("has an invalid \"schema_version\" (" + version.dump() + ")");

    Project project;
    const fs::path folder = fs::absolute(file).parent_path();
    for (const auto& root : top.strings("roots")) {
        const fs::path path = from_utf8(root);
        project.roots.push_back(path.is_absolute() ? path : (folder / path).lexically_normal());
    }
    if (const json* split = top.find("split")) {
        const Fields fields(*split, name + " \"split\" ");
        if (const json* fraction = fields.find("validation_fraction")) {
            if (!fraction->is_number() || fraction->get<double>() < 0.0 || fraction->get<double>() >= 1.0)
                fields.fail("\"validation_fraction\" must be a number from 0 to below 1");
            project.split.validation_fraction = fraction->get<double>();
        }
        project.split.seed = fields.unsigned_number("seed", 0, UINT64_MAX);
    }
    if (const json* items = top.find("items")) {
        if (!items->is_array()) top.fail("\"items\" must be a list");
        if (!items->empty() && project.roots.empty()) top.fail("has items but no \"roots\"");
        for (std::size_t i = 0; i < items->size(); ++i)
            project.items.push_back(item_from_json((*items)[i], name + " item " + std::to_string(i) + " ", project.roots.size()));
    }
    if (const json* skipped = top.find("skipped")) {
        if (!skipped->is_array()) top.fail("\"skipped\" must be a list");
        for (std::size_t i = 0; i < skipped->size(); ++i) {
            const Fields fields((*skipped)[i], name + " skipped file " + std::to_string(i) + " ");
            const auto reason = skip_reason_from_name(fields.string("reason", true));
            if (!reason) fields.fail("has an unknown \"reason\"");
            project.skipped.push_back({from_utf8(fields.string("path", true)), *reason, fields.string("message")});
        }
    }
    return project;
}

SidecarWriteReport write_caption_sidecars(const Project& project, bool overwrite)
{
    SidecarWriteReport report;
    for (const auto& item : project.items) {
        if (item.captions.empty()) continue;
        fs::path sidecar = item_path(project, item);
        sidecar.replace_extension(".txt");
        std::error_code ec;
        if (fs::exists(sidecar, ec)) {
            const auto on_disk = parse_caption_text(read_text_file(sidecar));
            if (on_disk == item.captions) {
                ++report.unchanged;
                continue;
            }
            if (!overwrite) {
                report.conflicts.push_back({sidecar, on_disk, item.captions});
                continue;
            }
        }
        write_file_atomic(sidecar, join_lines(item.captions));
        ++report.written;
    }
    return report;
}

} // namespace phototune
