#include "core/train/optimizer.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>

#include <cmath>
#include <set>

namespace phototune {
namespace {

bool in_unit_interval(double x) { return x >= 0.0 && x < 1.0; }

} // namespace

AdamW::AdamW(NamedTensors parameters, AdamWOptions options)
    : m_parameters(std::move(parameters)), m_options(options)
{
    PHOTOTUNE_CHECK(std::isfinite(options.lr) && options.lr >= 0, ErrorCategory::InvalidInput,
                    "AdamW: the learning rate must be a non-negative number");
    PHOTOTUNE_CHECK(in_unit_interval(options.beta1) && in_unit_interval(options.beta2), ErrorCategory::InvalidInput,
                    "AdamW: betas must lie in [0, 1)");
    PHOTOTUNE_CHECK(options.eps >= 0 && options.weight_decay >= 0, ErrorCategory::InvalidInput,
                    "AdamW: eps and weight decay must not be negative");
    std::set<std::string> names;
    for (const auto& [name, tensor] : m_parameters) {
        PHOTOTUNE_CHECK(names.insert(name).second, ErrorCategory::InvalidInput,
                        "AdamW: parameter '" + name + "' is listed twice");
        PHOTOTUNE_CHECK(tensor.defined() && tensor.is_floating_point(), ErrorCategory::InvalidInput,
                        "AdamW: parameter '" + name + "' is not a floating-point tensor");
    }
}

void AdamW::zero_grad()
{
    for (auto& [name, p] : m_parameters) p.mutable_grad() = at::Tensor();
}

void AdamW::step()
{
    at::NoGradGuard no_grad;
    const double lr = m_options.lr;
    const double b1 = m_options.beta1;
    const double b2 = m_options.beta2;
    for (auto& [name, p] : m_parameters) {
        const at::Tensor& grad = p.grad();
        if (!grad.defined()) continue;
        if (m_options.weight_decay != 0) p.mul_(1 - lr * m_options.weight_decay);
        Moments& state = m_state[name];
        if (!state.exp_avg.defined()) {
            state.exp_avg = at::zeros_like(p, at::MemoryFormat::Preserve);
            state.exp_avg_sq = at::zeros_like(p, at::MemoryFormat::Preserve);
        }
        state.step += 1;
        state.exp_avg.mul_(b1).add_(grad, 1 - b1);
        state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, 1 - b2);
        const double t = static_cast<double>(state.step);
        const double bias_correction1 = 1 - std::pow(b1, t);
        const double bias_correction2_sqrt = std::sqrt(1 - std::pow(b2, t));
        const at::Tensor denom = (state.exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(m_options.eps);
        p.addcdiv_(state.exp_avg, denom, -lr / bias_correction1);
    }
}

std::int64_t AdamW::step_count(const std::string& name) const
{
    const auto it = m_state.find(name);
    return it == m_state.end() ? 0 : it->second.step;
}

std::map<std::string, at::Tensor> AdamW::state_dict() const
{
    std::map<std::string, at::Tensor> out;
    for (const auto& [name, state] : m_state) {
        out["exp_avg." + name] = state.exp_avg.detach().clone();
        out["exp_avg_sq." + name] = state.exp_avg_sq.detach().clone();
        out["step." + name] = at::scalar_tensor(state.step, at::kLong);
    }
    return out;
}

void AdamW::load_state_dict(const std::map<std::string, at::Tensor>& state, const std::filesystem::path& source)
{
    std::map<std::string, const at::Tensor*> params;
    for (const auto& [name, p] : m_parameters) params[name] = &p;

    std::vector<std::string> problems;
    std::map<std::string, Moments> loaded;
    const std::vector<std::string> kinds = {"exp_avg.", "exp_avg_sq.", "step."};
    for (const auto& [key, tensor] : state) {
        std::string kind;
        for (const auto& k : kinds)
            if (key.rfind(k, 0) == 0 && kind.size() < k.size()) kind = k;
        const std::string name = key.substr(kind.size());
        if (kind.empty() || !params.count(name)) {
            problems.push_back("unexpected tensor '" + key + "'");
            continue;
        }
        const at::Tensor& p = *params[name];
        Moments& m = loaded[name];
        if (kind == "step.") {
            if (tensor.numel() != 1 || tensor.is_floating_point() || tensor.item<std::int64_t>() < 0) {
                problems.push_back("'" + key + "' must be one non-negative integer");
                continue;
            }
            m.step = tensor.item<std::int64_t>();
        } else if (tensor.sizes() != p.sizes() || tensor.scalar_type() != p.scalar_type()) {
            problems.push_back("'" + key + "' has the wrong shape or dtype for its parameter");
        } else {
            (kind == "exp_avg." ? m.exp_avg : m.exp_avg_sq) = tensor.to(p.device()).clone();
        }
    }
    for (const auto& [name, m] : loaded)
        if (!m.exp_avg.defined() || !m.exp_avg_sq.defined() || m.step == 0)
            problems.push_back("'" + name + "' lacks one of exp_avg, exp_avg_sq or a positive step");
    if (!problems.empty()) {
        std::string message = "optimizer state in " + path_for_display(source) + " does not fit this run:";
        for (const auto& problem : problems) message += "\n  " + problem;
        message += "\nResume from a checkpoint of the same run, or start a new run.";
        throw Error(ErrorCategory::InvalidInput, message);
    }
    m_state = std::move(loaded);
}

} // namespace phototune
