#include "core/model/autocast_scope.h"

#include <ATen/autocast_mode.h>

namespace phototune {
namespace {

void apply(const AutocastState& state)
{
    at::autocast::set_cpu_enabled(state.cpu_enabled);
    at::autocast::set_autocast_cpu_dtype(state.cpu_dtype);
    at::autocast::set_enabled(state.cuda_enabled);
    at::autocast::set_autocast_gpu_dtype(state.cuda_dtype);
}

} // namespace

AutocastState AutocastState::current()
{
    return {at::autocast::is_cpu_enabled(), at::autocast::get_autocast_cpu_dtype(), at::autocast::is_enabled(),
            at::autocast::get_autocast_gpu_dtype()};
}

AutocastScope::AutocastScope(const AutocastState& state) : m_previous(AutocastState::current())
{
    apply(state);
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope()
{
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    apply(m_previous);
}

} // namespace phototune
