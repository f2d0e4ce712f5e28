#pragma once
// Zero-shot evaluation during training: each photo is classified against one prompt per label
// ("a photo of a {label}.", the captions' default) and scored top-1; the top 3 labels with their
// probabilities are kept per photo for the preview gallery.

#include "core/api/training.h"
#include "core/data/clip_preprocess.h"
#include "core/model/clip_model.h"
#include "core/train/training_data.h"

#include <string>
#include <vector>

namespace phototune {

struct EvalSet {
    std::vector<const RgbImage*> crops;
    std::vector<std::string> names;  // shown in predictions
    std::vector<std::string> files;  // UTF-8, for showing the photos; empty where they are not shown
    std::vector<std::string> truth;  // each one of the labels
};

// The photos of `photos` whose label is one of `labels` (the others cannot be scored).
EvalSet eval_set_of(const std::vector<TrainingPhoto>& photos, const std::vector<std::string>& labels);

struct EvalResult {
    double accuracy = -1.0;          // < 0: nothing to score (no photos or fewer than 2 labels)
    std::vector<PhotoPrediction> predictions;
};

// Puts the model in eval mode (no dropout) and runs without gradients, `batch` photos at a time.
EvalResult zero_shot_evaluate(ClipModelImpl& model, const EvalSet& set, const std::vector<std::string>& labels,
                              CaptionTokens& tokens, const ClipImageProcessorConfig& processor, int batch);

} // namespace phototune
