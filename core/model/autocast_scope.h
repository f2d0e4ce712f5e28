#pragma once
// Mixed-precision autocast as a scoped, thread-local setting (the C++ counterpart of Python's
// `with torch.autocast(...)`), plus a snapshot of the current setting so that gradient
// checkpointing can re-run a layer in backward under the precision its forward ran with.

#include <c10/core/ScalarType.h>

namespace phototune {

struct AutocastState {
    bool cpu_enabled = false;
    c10::ScalarType cpu_dtype = c10::kBFloat16;
    bool cuda_enabled = false;
    c10::ScalarType cuda_dtype = c10::kHalf;

    static AutocastState current();
};

// Applies `state` for its lifetime and restores the previous one; like Python, the cache of
// weights cast to low precision is cleared when the outermost scope ends.
class AutocastScope {
public:
    explicit AutocastScope(const AutocastState& state);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    AutocastState m_previous;
};

} // namespace phototune
