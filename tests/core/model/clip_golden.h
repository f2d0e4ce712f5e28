#pragma once
// Compares a ClipOutput with the "output.*" tensors of a golden file (forward_golden.safetensors
// and tests/data/model/*/golden.safetensors share the key names). The pass rule is the fixtures
// README's: max|a - b| <= tolerance * max(1, max|golden|), per tensor.

#include "core/model/clip_model.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace phototune::test {

inline std::map<std::string, at::Tensor> output_tensors(const ClipOutput& out, const at::Tensor& logit_scale)
{
    std::map<std::string, at::Tensor> named{
        {"logits_per_image", out.logits_per_image},
        {"logits_per_text", out.logits_per_text},
        {"image_embeds", out.image_embeds},
        {"text_embeds", out.text_embeds},
        {"image_embeds_unnormalized", out.image_embeds_unnormalized},
        {"text_embeds_unnormalized", out.text_embeds_unnormalized},
        {"vision_pooled_output", out.vision_pooled_output},
        {"text_pooled_output", out.text_pooled_output},
        {"vision_last_hidden_state", out.vision_last_hidden_state},
        {"text_last_hidden_state", out.text_last_hidden_state},
        {"logit_scale", logit_scale},
    };
    for (std::size_t i = 0; i < out.vision_hidden_states.size(); ++i)
        named["vision_hidden_states." + std::to_string(i)] = out.vision_hidden_states[i];
    for (std::size_t i = 0; i < out.text_hidden_states.size(); ++i)
        named["text_hidden_states." + std::to_string(i)] = out.text_hidden_states[i];
    return named;
}

struct GoldenComparison {
    std::vector<std::string> failures; // empty when every golden output matched
    std::size_t compared = 0;
    double worst_relative = 0.0; // max over tensors of max|a-b| / max(1, max|golden|)
};

inline GoldenComparison compare_with_golden(const ClipOutput& out, const at::Tensor& logit_scale,
                                            const std::map<std::string, at::Tensor>& golden, double tolerance)
{
    GoldenComparison result;
    const auto mine = output_tensors(out, logit_scale);
    for (const auto& [key, expected] : golden) {
        if (key.rfind("output.", 0) != 0) continue;
        const std::string name = key.substr(7);
        const auto found = mine.find(name);
        if (found == mine.end() || !found->second.defined()) {
            result.failures.push_back(name + ": not produced");
            continue;
        }
        const at::Tensor actual = found->second.detach().to(at::kDouble);
        if (actual.sizes() != expected.sizes()) {
            result.failures.push_back(name + ": shape differs");
            continue;
        }
        const at::Tensor reference = expected.to(at::kDouble);
        const double scale = std::max(1.0, reference.numel() ? reference.abs().max().item<double>() : 0.0);
        const double diff = reference.numel() ? (actual - reference).abs().max().item<double>() : 0.0;
        result.worst_relative = std::max(result.worst_relative, diff / scale);
        if (!(diff <= tolerance * scale))
            result.failures.push_back(name + ": max|diff| " + std::to_string(diff) + " > " +
                                      std::to_string(tolerance * scale));
        ++result.compared;
    }
    return result;
}

inline std::string joined(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

} // namespace phototune::test
