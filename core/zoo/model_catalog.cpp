#include "core/zoo/model_catalog.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <set>

namespace phototune {

namespace {

using nlohmann::json;

constexpr int kSchemaVersion = 1;

// Reads fields of one JSON object and names the file, the entry and the field when one is wrong.
class FieldReader {
public:
    FieldReader(const json& object, std::string where) : m_object(object), m_where(std::move(where)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& what) const
    {
        throw Error(ErrorCategory::InvalidInput, m_where + ": '" + field + "' " + what);
    }

    const json* optional_field(const std::string& field) const
    {
        const auto it = m_object.find(field);
        if (it == m_object.end() || it->is_null()) return nullptr;
        return &*it;
    }

    const json& required_field(const std::string& field) const
    {
        const json* value = optional_field(field);
        if (!value) fail(field, "is missing");
        return *value;
    }

    std::string string(const std::string& field) const
    {
        const json& value = required_field(field);
        if (!value.is_string() || value.get_ref<const std::string&>().empty()) fail(field, "must be a non-empty string");
        return value.get<std::string>();
    }

    std::optional<std::string> optional_string(const std::string& field) const
    {
        if (!optional_field(field)) return std::nullopt;
        return string(field);
    }

    bool boolean(const std::string& field) const
    {
        const json& value = required_field(field);
        if (!value.is_boolean()) fail(field, "must be true or false");
        return value.get<bool>();
    }

    std::int64_t positive_integer(const std::string& field) const
    {
        const json& value = required_field(field);
        if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) fail(field, "must be a positive integer");
        return value.get<std::int64_t>();
    }

    std::optional<int> optional_positive_int(const std::string& field) const
    {
        if (!optional_field(field)) return std::nullopt;
        const std::int64_t value = positive_integer(field);
        if (value > 1'000'000'000) fail(field, "is implausibly large");
        return static_cast<int>(value);
    }

    int positive_int(const std::string& field) const
    {
        required_field(field);
        return *optional_positive_int(field);
    }

    FieldReader object(const std::string& field) const
    {
        const json& value = required_field(field);
        if (!value.is_object()) fail(field, "must be an object");
        return FieldReader(value, m_where + ", " + field);
    }

    const json& array(const std::string& field) const
    {
        const json& value = required_field(field);
        if (!value.is_array() || value.empty()) fail(field, "must be a non-empty array");
        return value;
    }

    const std::string& where() const { return m_where; }

private:
    const json& m_object;
    std::string m_where;
};

TowerSpec read_tower(const FieldReader& tower, bool must_be_complete)
{
    TowerSpec spec;
    spec.architecture = tower.optional_string("architecture").value_or("transformer");
    spec.width = tower.optional_positive_int("width");
    spec.layers = tower.optional_positive_int("layers");
    spec.heads = tower.optional_positive_int("heads");
    spec.mlp_width = tower.optional_positive_int("mlp_width");
    spec.params = tower.positive_integer("params");
    if (must_be_complete) {
        // A model the core trains needs its full shape: the wizard's memory model uses every field.
        for (const char* field : {"width", "layers", "heads", "mlp_width"}) tower.required_field(field);
        if (*spec.width % *spec.heads != 0) tower.fail("heads", "must divide 'width'");
    }
    return spec;
}

ModelEntry read_entry(const json& value, const std::string& source, std::size_t index)
{
    if (!value.is_object())
        throw Error(ErrorCategory::InvalidInput, source + ": models[" + std::to_string(index) + "] must be an object");
    std::string where = source + ": models[" + std::to_string(index) + "]";
    if (const auto id = value.find("id"); id != value.end() && id->is_string())
        where += " ('" + id->get<std::string>() + "')";
    const FieldReader entry(value, where);

    ModelEntry model;
    model.id = entry.string("id");
    const auto slash = model.id.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == model.id.size() ||
        model.id.find('/', slash + 1) != std::string::npos)
        entry.fail("id", "must be a Hugging Face repository id of the form 'org/name'");
    model.display_name = entry.string("display_name");
    model.publisher = entry.string("publisher");
    model.revision = entry.string("revision");
    model.architecture = entry.string("architecture");
    model.supported = entry.boolean("supported");
    if (!model.supported) model.unsupported_reason = entry.string("unsupported_reason");

    const FieldReader licence = entry.object("licence");
    model.licence.id = licence.string("id");
    model.licence.name = licence.string("name");
    model.licence.research_only = licence.boolean("research_only");
    model.licence.note = licence.optional_string("note").value_or("");

    std::set<std::string> seen;
    for (const json& file : entry.array("files")) {
        if (!file.is_object()) entry.fail("files", "must hold objects with 'name' and 'size_bytes'");
        const FieldReader reader(file, where + ", files");
        CatalogFile item;
        item.name = reader.string("name");
        if (item.name.front() == '/' || item.name.find("..") != std::string::npos || item.name.find('\\') != std::string::npos)
            reader.fail("name", "must be a relative path inside the repository: '" + item.name + "'");
        if (reader.optional_field("size_bytes")) item.size_bytes = static_cast<std::uint64_t>(reader.positive_integer("size_bytes"));
        if (!seen.insert(item.name).second) reader.fail("name", "lists '" + item.name + "' twice");
        model.files.push_back(std::move(item));
    }

    model.image_size = entry.positive_int("image_size");
    model.patch_size = entry.optional_positive_int("patch_size");
    model.context_length = entry.positive_int("context_length");
    model.projection_dim = entry.positive_int("projection_dim");
    model.hidden_act = entry.optional_string("hidden_act");
    model.vision = read_tower(entry.object("vision"), model.supported);
    const FieldReader text = entry.object("text");
    model.text = read_tower(text, model.supported);
    model.text_vocab_size = text.optional_positive_int("vocab_size");

    if (model.supported) {
        if (!model.patch_size) entry.fail("patch_size", "is missing");
        if (model.image_size % *model.patch_size != 0) entry.fail("image_size", "must be a multiple of 'patch_size'");
        if (!model.hidden_act) entry.fail("hidden_act", "is missing");
        if (!model.text_vocab_size) entry.fail("text.vocab_size", "is missing");
        for (const char* required : {"config.json", "model.safetensors"})
            if (!seen.contains(required)) entry.fail("files", std::string("must list '") + required + "'");
    }
    return model;
}

} // namespace

std::vector<std::string> ModelEntry::file_names() const
{
    std::vector<std::string> names;
    names.reserve(files.size());
    for (const auto& file : files) names.push_back(file.name);
    return names;
}

ModelCatalog ModelCatalog::load(const std::filesystem::path& path)
{
    return parse(read_text_file(path), "'" + path_for_display(path) + "'");
}

ModelCatalog ModelCatalog::parse(std::string_view json_text, const std::string& source)
{
    json document;
    try {
        document = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(ErrorCategory::InvalidInput, "the model catalogue " + source + " is not valid JSON: " + e.what());
    }
    if (!document.is_object())
        throw Error(ErrorCategory::InvalidInput, "the model catalogue " + source + " must be a JSON object");
    const FieldReader root(document, "the model catalogue " + source);
    if (root.positive_integer("schema_version") != kSchemaVersion)
        root.fail("schema_version", "is " + root.required_field("schema_version").dump() +
                                        "; this studio reads version " + std::to_string(kSchemaVersion) +
                                        " (update the studio, or use the catalogue it ships)");

    ModelCatalog catalog;
    std::set<std::string> ids;
    const json& models = root.array("models");
    for (std::size_t i = 0; i < models.size(); ++i) {
        ModelEntry entry = read_entry(models[i], "the model catalogue " + source, i);
        if (!ids.insert(entry.id).second)
            root.fail("models", "lists '" + entry.id + "' twice");
        catalog.m_models.push_back(std::move(entry));
    }
    return catalog;
}

const ModelEntry* ModelCatalog::find(std::string_view id) const noexcept
{
    for (const auto& model : m_models)
        if (model.id == id) return &model;
    return nullptr;
}

const ModelEntry& ModelCatalog::get(std::string_view id) const
{
    if (const ModelEntry* model = find(id)) return *model;
    std::string known;
    for (const auto& model : m_models) known += (known.empty() ? "" : ", ") + model.id;
    throw Error(ErrorCategory::NotFound, "the model catalogue has no model '" + std::string(id) + "'; known: " + known);
}

} // namespace phototune
