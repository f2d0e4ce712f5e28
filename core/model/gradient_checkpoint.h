#pragma once
// Activation checkpointing (LibTorch C++ has no torch.utils.checkpoint): a block's forward runs
// without recording its activations, only its input is kept, and backward re-runs the block with
// gradients enabled (same autocast setting, same random-number state, so dropout draws the same
// mask) and back-propagates through the recomputed graph. Gradients equal those of the plain
// forward; memory drops from every layer's activations to one layer's plus the layer inputs.

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <functional>

namespace phototune {

class ClipModelImpl;

// Returns fn(input), checkpointed when a graph is being recorded and either `input` or a parameter
// of `module` (the block fn runs) requires a gradient; otherwise it just calls fn. Gradients reach
// the module's parameters (accumulated into .grad, like Python's reentrant checkpoint) and `input`.
// Backward through it must be a plain backward() (not autograd::grad with explicit inputs).
at::Tensor checkpointed_forward(const torch::nn::Module& module, std::function<at::Tensor(const at::Tensor&)> fn,
                                const at::Tensor& input);

// Turns checkpointing per encoder layer on or off in both towers (it acts in training mode only).
void set_gradient_checkpointing(ClipModelImpl& model, bool enabled);

} // namespace phototune
