#pragma once
// Whether an adapter changes a model's outputs: one prompt's text embedding through the core, with
// and without the adapter, and the largest difference between two embeddings.

#include "core/api/clip_engine.h"

#include <QString>
#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <vector>

namespace phototune::test {

// The text embedding of one prompt, by the model folder with or without an adapter; empty (and a
// warning) when the model or adapter does not load.
inline std::vector<float> promptEmbedding(const QString& model, const QString& adapter = {})
{
    auto engine = ClipEngine::load(model.toStdString(), DevicePreference::Cpu, adapter.toStdString());
    if (!engine) {
        qWarning("%s", engine.failure().message.c_str());
        return {};
    }
    auto embeds = (*engine)->embed_texts({"a photo of a red circle."});
    return embeds ? embeds->values : std::vector<float>{};
}

inline float largestDifference(const std::vector<float>& a, const std::vector<float>& b)
{
    float largest = 0.0f;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
    return largest;
}

} // namespace phototune::test
