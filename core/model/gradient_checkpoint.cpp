#include "core/model/gradient_checkpoint.h"

#include "core/model/clip_model.h"
#include "core/model/autocast_scope.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <ATen/core/ivalue.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>

#include <mutex>
#include <utility>

namespace phototune {
namespace {

// What backward needs to re-run the block: the function and the forward's autocast and RNG state.
struct CheckpointedCall : torch::CustomClassHolder {
    std::function<at::Tensor(const at::Tensor&)> fn;
    AutocastState autocast;
    at::Device device{at::kCPU};
    at::Tensor rng_state;
};

at::Tensor generator_state(const at::Device& device)
{
    at::Generator generator = at::globalContext().defaultGenerator(device);
    std::lock_guard lock(generator.mutex());
    return generator.get_state();
}

void set_generator_state(const at::Device& device, const at::Tensor& state)
{
    at::Generator generator = at::globalContext().defaultGenerator(device);
    std::lock_guard lock(generator.mutex());
    generator.set_state(state);
}

class CheckpointFunction : public torch::autograd::Function<CheckpointFunction> {
public:
    // `anchor` is a 0-element tensor requiring grad when the block has trainable parameters but its
    // input needs no gradient (the first layer after frozen embeddings): it makes the output part of
    // the graph so that backward runs and reaches the parameters.
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& input, const at::Tensor& anchor,
                              c10::intrusive_ptr<CheckpointedCall> call)
    {
        // Function::apply runs this with grad mode off: nothing inside fn is recorded.
        call->autocast = AutocastState::current();
        call->device = input.device();
        call->rng_state = generator_state(call->device);
        at::Tensor output = call->fn(input);
        ctx->save_for_backward({input});
        ctx->saved_data["call"] = at::IValue::make_capsule(std::move(call));
        return output;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grad_outputs)
    {
        const c10::intrusive_ptr<torch::CustomClassHolder> holder = ctx->saved_data["call"].toCapsule();
        const auto* call = static_cast<const CheckpointedCall*>(holder.get());
        const at::Tensor saved = ctx->get_saved_variables().at(0);
        const at::Tensor input = saved.detach().requires_grad_(saved.requires_grad());
        at::Tensor output;
        {
            at::AutoGradMode grad_mode(true);
            AutocastScope autocast(call->autocast);
            const at::Tensor rng_now = generator_state(call->device);
            set_generator_state(call->device, call->rng_state);
            output = call->fn(input);
            set_generator_state(call->device, rng_now);
        }
        torch::autograd::backward({output}, {grad_outputs.at(0)});
        return {input.requires_grad() ? input.grad() : at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

bool any_parameter_requires_grad(const torch::nn::Module& module)
{
    for (const auto& p : module.parameters())
        if (p.requires_grad()) return true;
    return false;
}

} // namespace

at::Tensor checkpointed_forward(const torch::nn::Module& module, std::function<at::Tensor(const at::Tensor&)> fn,
                                const at::Tensor& input)
{
    if (!at::GradMode::is_enabled()) return fn(input);
    const bool trainable = any_parameter_requires_grad(module);
    if (!trainable && !input.requires_grad()) return fn(input);
    // Always a defined tensor: LibTorch 1.13's Function::apply needs a device for every input.
    at::Tensor anchor = at::empty({0}, input.options().dtype(at::kFloat));
    if (!input.requires_grad()) anchor.requires_grad_();
    auto call = c10::make_intrusive<CheckpointedCall>();
    call->fn = std::move(fn);
    return CheckpointFunction::apply(input, anchor, std::move(call));
}

void set_gradient_checkpointing(ClipModelImpl& model, bool enabled)
{
    model.text_model->encoder->set_gradient_checkpointing(enabled);
    model.vision_model->encoder->set_gradient_checkpointing(enabled);
}

} // namespace phototune
