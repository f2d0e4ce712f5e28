#include "core/train/train_step.h"

#include "core/lora/lora_targets.h"
#include "core/train/contrastive_loss.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <utility>

namespace phototune {
namespace {

constexpr const char* kSiglipScaleName = "siglip.logit_scale";
constexpr const char* kSiglipBiasName = "siglip.logit_bias";
constexpr const char* kOptimizerPrefix = "optimizer.";

bool any_requires_grad(const torch::nn::Module& module)
{
    for (const auto& p : module.parameters())
        if (p.requires_grad()) return true;
    return false;
}

AutocastState autocast_for(TrainPrecision precision, const at::Device& device)
{
    AutocastState state; // all off: fp32
    if (precision == TrainPrecision::Fp32) return state;
    const at::ScalarType dtype = precision == TrainPrecision::Bf16 ? at::kBFloat16 : at::kHalf;
    if (device.is_cuda()) {
        state.cuda_enabled = true;
        state.cuda_dtype = dtype;
    } else {
        state.cpu_enabled = true;
        state.cpu_dtype = dtype;
    }
    return state;
}

// Row ranges of the K micro-batches: sizes differ by at most one, larger ones first.
std::vector<std::pair<std::int64_t, std::int64_t>> micro_batches(std::int64_t rows, std::int64_t k)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    std::int64_t start = 0;
    for (std::int64_t j = 0; j < k; ++j) {
        const std::int64_t length = rows / k + (j < rows % k ? 1 : 0);
        ranges.emplace_back(start, length);
        start += length;
    }
    return ranges;
}

// parts[0..K) with part `j` replaced by `live`, concatenated along the batch.
at::Tensor assemble(const std::vector<at::Tensor>& parts, std::size_t j, const at::Tensor& live)
{
    if (parts.size() == 1) return live;
    std::vector<at::Tensor> all = parts;
    all[j] = live;
    return at::cat(all, 0);
}

} // namespace

std::string_view train_precision_name(TrainPrecision precision)
{
    switch (precision) {
    case TrainPrecision::Fp32: return "fp32";
    case TrainPrecision::Bf16: return "bf16";
    case TrainPrecision::Fp16: return "fp16";
    }
    return "fp32";
}

TrainPrecision parse_train_precision(std::string_view name)
{
    for (const auto p : {TrainPrecision::Fp32, TrainPrecision::Bf16, TrainPrecision::Fp16})
        if (train_precision_name(p) == name) return p;
    throw Error(ErrorCategory::InvalidInput, "unknown precision '" + std::string(name) + "': use fp32, bf16 or fp16");
}

std::string_view contrastive_loss_name(ContrastiveLossKind kind)
{
    return kind == ContrastiveLossKind::Clip ? "clip" : "siglip";
}

ContrastiveLossKind parse_contrastive_loss(std::string_view name)
{
    for (const auto k : {ContrastiveLossKind::Clip, ContrastiveLossKind::Siglip})
        if (contrastive_loss_name(k) == name) return k;
    throw Error(ErrorCategory::InvalidInput, "unknown loss '" + std::string(name) + "': use clip or siglip");
}

double clip_gradient_norm(const std::vector<at::Tensor>& parameters, double max_norm)
{
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> norms;
    for (const auto& p : parameters)
        if (p.grad().defined()) norms.push_back(p.grad().norm(2));
    if (norms.empty()) return 0.0;
    const double total = at::stack(norms).norm(2).item<double>();
    if (max_norm > 0 && std::isfinite(total)) {
        const double coefficient = max_norm / (total + 1e-6);
        if (coefficient < 1.0)
            for (const auto& p : parameters)
                if (p.grad().defined()) p.grad().mul_(coefficient);
    }
    return total;
}

TrainStepper::TrainStepper(ClipModel model, TrainStepOptions options)
    : m_model(std::move(model)), m_options(std::move(options))
{
    PHOTOTUNE_CHECK(m_options.accumulation_steps >= 1, ErrorCategory::InvalidInput,
                    "gradient accumulation needs at least 1 micro-batch per step");
    PHOTOTUNE_CHECK(std::isfinite(m_options.max_grad_norm), ErrorCategory::InvalidInput,
                    "the gradient-clipping norm must be a number (0 turns clipping off)");
    m_device = m_model->logit_scale.device();
    PHOTOTUNE_CHECK(m_options.precision != TrainPrecision::Fp16 || m_device.is_cuda(), ErrorCategory::Unsupported,
                    "fp16 training needs a CUDA GPU; on the CPU use bf16 (fast with AVX-512 BF16/AMX) or fp32");
    m_autocast = autocast_for(m_options.precision, m_device);
    m_vision_trainable = any_requires_grad(*m_model->vision_model) || any_requires_grad(*m_model->visual_projection);
    m_text_trainable = any_requires_grad(*m_model->text_model) || any_requires_grad(*m_model->text_projection);

    NamedTensors parameters = trainable_parameters(*m_model);
    PHOTOTUNE_CHECK(!parameters.empty(), ErrorCategory::InvalidInput,
                    "the model has no trainable parameter: apply a LoRA adapter (or load one as trainable) first");
    if (m_options.loss == ContrastiveLossKind::Siglip) {
        const auto options = at::TensorOptions().dtype(at::kFloat).device(m_device);
        m_siglip_logit_scale = at::full({}, kSiglipInitLogitScale, options).requires_grad_();
        m_siglip_logit_bias = at::full({}, kSiglipInitLogitBias, options).requires_grad_();
        parameters.emplace_back(kSiglipScaleName, m_siglip_logit_scale);
        parameters.emplace_back(kSiglipBiasName, m_siglip_logit_bias);
    }
    m_optimizer = std::make_unique<AdamW>(std::move(parameters), m_options.optimizer);
    if (m_options.loss_scaling || m_options.precision == TrainPrecision::Fp16) m_scaler.emplace(m_options.scaler);
}

TrainBatch TrainStepper::on_device(const TrainBatch& batch) const
{
    const std::int64_t rows = batch.pixel_values.defined() ? batch.pixel_values.size(0) : -1;
    PHOTOTUNE_CHECK(batch.pixel_values.dim() == 4 && batch.input_ids.dim() == 2 && batch.group_ids.dim() == 1 &&
                        batch.input_ids.size(0) == rows && batch.group_ids.size(0) == rows &&
                        (!batch.attention_mask.defined() || batch.attention_mask.sizes() == batch.input_ids.sizes()) &&
                        (batch.photo_ids.empty() || static_cast<std::int64_t>(batch.photo_ids.size()) == rows),
                    ErrorCategory::InvalidInput,
                    "training batch: pixel_values [B,3,H,W], input_ids/attention_mask [B,L], group_ids [B] and "
                    "photo_ids (B or none) must agree on B");
    PHOTOTUNE_CHECK(rows >= m_options.accumulation_steps, ErrorCategory::InvalidInput,
                    "the batch has fewer photos than gradient-accumulation micro-batches; lower --accum or raise --batch");
    TrainBatch out;
    out.pixel_values = batch.pixel_values.to(m_device, at::kFloat);
    out.input_ids = batch.input_ids.to(m_device, at::kLong);
    if (batch.attention_mask.defined()) out.attention_mask = batch.attention_mask.to(m_device, at::kLong);
    out.group_ids = batch.group_ids.to(m_device, at::kLong);
    out.photo_ids = batch.photo_ids;
    return out;
}

at::Tensor TrainStepper::image_features(const at::Tensor& pixel_values)
{
    AutocastScope autocast(m_autocast);
    return m_model->get_image_features(pixel_values).to(at::kFloat);
}

at::Tensor TrainStepper::text_features(const at::Tensor& input_ids, const at::Tensor& attention_mask)
{
    AutocastScope autocast(m_autocast);
    if (m_options.encode_repeated_captions_once) {
        // Distinct (ids, mask) rows, and for each row which one it is; index_select's backward sums
        // the repeats' gradients into their shared row, as the separate rows would have summed.
        const std::int64_t length = input_ids.size(1);
        const at::Tensor key = attention_mask.defined() ? at::cat({input_ids, attention_mask.to(at::kLong)}, 1) : input_ids;
        const auto [distinct, which, counts] = at::unique_dim(key, 0, /*sorted=*/true, /*return_inverse=*/true);
        if (distinct.size(0) < input_ids.size(0)) {
            const at::Tensor mask = attention_mask.defined() ? distinct.narrow(1, length, length).contiguous() : at::Tensor();
            return m_model->get_text_features(distinct.narrow(1, 0, length).contiguous(), mask)
                .to(at::kFloat)
                .index_select(0, which);
        }
    }
    return m_model->get_text_features(input_ids, attention_mask).to(at::kFloat);
}

at::Tensor TrainStepper::frozen_image_features(const TrainBatch& batch)
{
    at::NoGradGuard no_grad;
    if (!m_options.cache_frozen_towers || m_options.augmentation || batch.photo_ids.empty())
        return image_features(batch.pixel_values);
    return m_cache.image_features(batch.photo_ids, [&](const at::Tensor& rows) {
        return image_features(batch.pixel_values.index_select(0, rows.to(m_device)));
    });
}

at::Tensor TrainStepper::frozen_text_features(const TrainBatch& batch)
{
    at::NoGradGuard no_grad;
    if (!m_options.cache_frozen_towers) return text_features(batch.input_ids, batch.attention_mask);
    return m_cache.text_features(batch.input_ids, batch.attention_mask, [&](const at::Tensor& rows) {
        const at::Tensor r = rows.to(m_device);
        return text_features(batch.input_ids.index_select(0, r),
                             batch.attention_mask.defined() ? batch.attention_mask.index_select(0, r) : at::Tensor());
    });
}

// `temperature_grad` false detaches the logit scale (and the SigLIP bias): with accumulation they
// get their gradient from one micro-batch only, as they would from one pass over the whole batch.
at::Tensor TrainStepper::contrastive_loss(const Features& f, const at::Tensor& group_ids, bool temperature_grad)
{
    const auto maybe_detach = [&](const at::Tensor& t) { return temperature_grad ? t : t.detach(); };
    const at::Tensor image_embeds = l2_normalize(f.image);
    const at::Tensor text_embeds = l2_normalize(f.text);
    if (m_options.loss == ContrastiveLossKind::Siglip)
        return siglip_loss(image_embeds, text_embeds, maybe_detach(m_siglip_logit_scale),
                           maybe_detach(m_siglip_logit_bias), group_ids);
    return clip_contrastive_loss(image_embeds, text_embeds, maybe_detach(m_model->logit_scale), group_ids);
}

TrainStepResult TrainStepper::step(const TrainBatch& input)
{
    const TrainBatch batch = on_device(input);
    m_model->train();
    m_optimizer->zero_grad();
    TrainStepResult result;

    Features frozen;
    if (!m_vision_trainable) frozen.image = frozen_image_features(batch);
    if (!m_text_trainable) frozen.text = frozen_text_features(batch);

    const auto ranges = micro_batches(batch.pixel_values.size(0), m_options.accumulation_steps);
    const auto slice = [&](const at::Tensor& t, std::size_t j) {
        return t.defined() ? t.narrow(0, ranges[j].first, ranges[j].second) : t;
    };
    // The features of every micro-batch without gradients: the negatives the others train against.
    std::vector<at::Tensor> image_parts(ranges.size()), text_parts(ranges.size());
    if (ranges.size() > 1) {
        at::NoGradGuard no_grad;
        for (std::size_t j = 0; j < ranges.size(); ++j) {
            if (m_vision_trainable) image_parts[j] = image_features(slice(batch.pixel_values, j));
            if (m_text_trainable)
                text_parts[j] = text_features(slice(batch.input_ids, j), slice(batch.attention_mask, j));
        }
    }

    // d loss / d theta is the sum over micro-batches of the gradient through that micro-batch's
    // features (the others are constants), so backward on each full-batch loss adds up exactly.
    for (std::size_t j = 0; j < ranges.size(); ++j) {
        Features features = frozen;
        if (m_vision_trainable)
            features.image = assemble(image_parts, j, image_features(slice(batch.pixel_values, j)));
        if (m_text_trainable)
            features.text =
                assemble(text_parts, j, text_features(slice(batch.input_ids, j), slice(batch.attention_mask, j)));
        const at::Tensor loss = contrastive_loss(features, batch.group_ids, /*temperature_grad=*/j == 0);
        result.loss = loss.item<double>();
        if (!std::isfinite(result.loss)) break;
        (m_scaler ? m_scaler->scale(loss) : loss).backward();
    }

    std::vector<at::Tensor> parameters;
    for (const auto& [name, p] : m_optimizer->parameters()) parameters.push_back(p);
    const auto skip = [&](bool non_finite, bool overflow) {
        m_optimizer->zero_grad();
        result.skipped = true;
        result.non_finite = non_finite;
        result.overflow = overflow;
        result.loss_scale = m_scaler ? m_scaler->current_scale() : 1.0;
        return result;
    };
    if (!std::isfinite(result.loss)) return skip(true, false);
    if (m_scaler && !m_scaler->unscale_and_check(parameters)) {
        m_scaler->update(/*found_inf=*/true);
        return skip(false, true);
    }
    result.grad_norm = clip_gradient_norm(parameters, m_options.max_grad_norm);
    if (!std::isfinite(result.grad_norm)) return skip(true, false);
    m_optimizer->step();
    if (m_scaler) m_scaler->update(/*found_inf=*/false);
    result.loss_scale = m_scaler ? m_scaler->current_scale() : 1.0;
    return result;
}

double TrainStepper::loss(const TrainBatch& input)
{
    const TrainBatch batch = on_device(input);
    at::NoGradGuard no_grad;
    Features features;
    features.image = m_vision_trainable ? image_features(batch.pixel_values) : frozen_image_features(batch);
    features.text = m_text_trainable ? text_features(batch.input_ids, batch.attention_mask) : frozen_text_features(batch);
    return contrastive_loss(features, batch.group_ids, true).item<double>();
}

std::map<std::string, at::Tensor> TrainStepper::training_state() const
{
    std::map<std::string, at::Tensor> state;
    for (auto& [key, tensor] : m_optimizer->state_dict()) state[kOptimizerPrefix + key] = tensor;
    if (m_scaler) state.merge(m_scaler->state_dict());
    if (m_siglip_logit_scale.defined()) {
        state[kSiglipScaleName] = m_siglip_logit_scale.detach().clone();
        state[kSiglipBiasName] = m_siglip_logit_bias.detach().clone();
    }
    return state;
}

void TrainStepper::load_training_state(const std::map<std::string, at::Tensor>& state,
                                       const std::filesystem::path& source)
{
    std::map<std::string, at::Tensor> optimizer_state;
    for (const auto& [key, tensor] : state)
        if (key.rfind(kOptimizerPrefix, 0) == 0) optimizer_state[key.substr(std::string(kOptimizerPrefix).size())] = tensor;
    const bool siglip = m_siglip_logit_scale.defined();
    const auto head_ok = [&](const char* name) {
        const auto it = state.find(name);
        return it != state.end() && it->second.numel() == 1 && it->second.is_floating_point();
    };
    PHOTOTUNE_CHECK(!siglip || (head_ok(kSiglipScaleName) && head_ok(kSiglipBiasName)), ErrorCategory::InvalidInput,
                    path_for_display(source) + " lacks the SigLIP loss's logit scale and bias; resume with the loss "
                                               "the run was started with");
    std::optional<LossScaler> scaler = m_scaler;
    if (scaler) scaler->load_state_dict(state);
    m_optimizer->load_state_dict(optimizer_state, source); // checks everything before it changes anything
    m_scaler = std::move(scaler);
    if (siglip) {
        at::NoGradGuard no_grad;
        m_siglip_logit_scale.copy_(state.at(kSiglipScaleName).reshape({}));
        m_siglip_logit_bias.copy_(state.at(kSiglipBiasName).reshape({}));
    }
}

} // namespace phototune
