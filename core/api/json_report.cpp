#include "core/api/json_report.h"

#include "core/util/files.h"

#include <nlohmann/json.hpp>

namespace phototune {

std::string ids_to_json(const std::vector<std::int64_t>& ids)
{
    return nlohmann::json(ids).dump();
}

std::string zero_shot_to_json(const ZeroShotPrediction& prediction, const std::vector<std::string>& labels)
{
    nlohmann::ordered_json probabilities = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < labels.size() && i < prediction.probabilities.size(); ++i)
        probabilities[labels[i]] = prediction.probabilities[i];
    nlohmann::ordered_json out;
    out["file"] = prediction.source;
    out["label"] = prediction.best >= 0 ? labels.at(static_cast<std::size_t>(prediction.best)) : std::string();
    out["probabilities"] = probabilities;
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string model_summary_to_json(const ModelSummary& summary)
{
    nlohmann::ordered_json out;
    out["name"] = summary.name;
    out["folder"] = path_for_display(summary.folder);
    out["untrained"] = summary.untrained;
    out["device"] = summary.device;
    out["image_size"] = summary.image_size;
    out["patch_size"] = summary.patch_size;
    out["context_length"] = summary.context_length;
    out["projection_dim"] = summary.projection_dim;
    out["vision"] = {{"layers", summary.vision_layers}, {"width", summary.vision_width}};
    out["text"] = {{"layers", summary.text_layers}, {"width", summary.text_width}};
    out["parameters"] = summary.parameter_count;
    out["logit_scale"] = summary.logit_scale;
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string caption_report_to_json(const CaptionReport& report, const PhotoProject& project, const SidecarReport* sidecars)
{
    nlohmann::ordered_json photos = nlohmann::ordered_json::array();
    for (const auto& captioned : report.photos) {
        const ProjectPhoto photo = project.photo(captioned.index);
        nlohmann::ordered_json tags = nlohmann::ordered_json::array();
        for (const auto& tag : captioned.tags)
            tags.push_back({{"term", tag.term}, {"group", tag.group}, {"score", tag.score}, {"similarity", tag.similarity}});
        photos.push_back({{"path", path_for_display(photo.path)}, {"label", photo.label}, {"tags", tags},
                          {"captions", captioned.captions}, {"tokens", captioned.token_counts},
                          {"too_long", captioned.too_long}, {"kept_existing_captions", captioned.kept_existing_captions}});
    }
    nlohmann::ordered_json out{{"photos", photos},
                               {"vocabulary_terms", report.vocabulary_terms},
                               {"text_embeddings_from_cache", report.text_embeddings_from_cache},
                               {"too_long", report.too_long}};
    if (sidecars) {
        nlohmann::ordered_json conflicts = nlohmann::ordered_json::array();
        for (const auto& file : sidecars->conflicts) conflicts.push_back(path_for_display(file));
        out["sidecars"] = {{"written", sidecars->written}, {"unchanged", sidecars->unchanged}, {"conflicts", conflicts}};
    }
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace phototune
