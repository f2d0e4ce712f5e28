#include "core/train/evaluation.h"

#include "core/util/files.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace phototune {

EvalSet eval_set_of(const std::vector<TrainingPhoto>& photos, const std::vector<std::string>& labels)
{
    EvalSet set;
    for (const auto& photo : photos) {
        if (!std::binary_search(labels.begin(), labels.end(), photo.label)) continue;
        set.crops.push_back(&photo.crop);
        set.names.push_back(photo.relative_path);
        set.files.push_back(path_for_display(photo.path));
        set.truth.push_back(photo.label);
    }
    return set;
}

EvalResult zero_shot_evaluate(ClipModelImpl& model, const EvalSet& set, const std::vector<std::string>& labels,
                              CaptionTokens& tokens, const ClipImageProcessorConfig& processor, int batch)
{
    EvalResult result;
    if (set.crops.empty() || labels.size() < 2) return result;
    at::NoGradGuard no_grad;
    model.eval();
    const auto device = model.logit_scale.device();

    std::vector<std::string> prompts;
    for (const auto& label : labels) prompts.push_back(default_caption(label));
    at::Tensor ids, mask;
    tokens.tokenize_into(prompts, ids, mask);
    const at::Tensor classes = l2_normalize(model.get_text_features(ids.to(device), mask.to(device)).to(at::kFloat));

    std::vector<at::Tensor> parts;
    for (std::size_t first = 0; first < set.crops.size(); first += static_cast<std::size_t>(batch)) {
        const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(batch), set.crops.size() - first);
        const std::vector<const RgbImage*> crops(set.crops.begin() + static_cast<std::ptrdiff_t>(first),
                                                 set.crops.begin() + static_cast<std::ptrdiff_t>(first + count));
        parts.push_back(l2_normalize(model.get_image_features(pixel_values_of(crops, processor).to(device)).to(at::kFloat)));
    }
    const at::Tensor probabilities =
        (at::cat(parts, 0).matmul(classes.t()) * model.logit_scale.exp().to(at::kFloat)).softmax(-1).cpu().contiguous();

    const auto k = static_cast<std::int64_t>(std::min<std::size_t>(3, labels.size()));
    const auto top = probabilities.topk(k, -1);
    const at::Tensor top_values = std::get<0>(top).contiguous();
    const at::Tensor top_indices = std::get<1>(top).contiguous();
    std::size_t correct = 0;
    for (std::size_t i = 0; i < set.crops.size(); ++i) {
        PhotoPrediction prediction;
        prediction.photo = set.names[i];
        if (!set.files.empty()) prediction.file = set.files[i];
        prediction.label = set.truth[i];
        for (std::int64_t j = 0; j < k; ++j) {
            const auto row = static_cast<std::int64_t>(i);
            prediction.top.push_back({labels[static_cast<std::size_t>(top_indices[row][j].item<std::int64_t>())],
                                      top_values[row][j].item<float>()});
        }
        if (prediction.top.front().label == prediction.label) ++correct;
        result.predictions.push_back(std::move(prediction));
    }
    result.accuracy = static_cast<double>(correct) / static_cast<double>(set.crops.size());
    return result;
}

} // namespace phototune
