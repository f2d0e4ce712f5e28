#pragma once
// Internal to core/api/*.cpp: runs core code and turns any exception into a Failure, so that
// nothing thrown inside the core ever crosses the facade.

#include "core/api/result.h"
#include "core/util/error.h"

#include <c10/util/Exception.h>

#include <string>
#include <type_traits>

namespace phototune::detail {

inline Failure failure_from_current_exception() noexcept
{
    try {
        throw;
    } catch (const Error& e) {
        return {e.category(), e.what()};
    } catch (const c10::Error& e) {
        // LibTorch's own text is for developers; keep the first line, without the C++ backtrace.
        const std::string text = e.what_without_backtrace();
        const bool oom = text.find("out of memory") != std::string::npos ||
                         text.find("DefaultCPUAllocator: can't allocate") != std::string::npos;
        return {oom ? ErrorCategory::OutOfMemory : ErrorCategory::Internal,
                (oom ? "not enough memory: " : "LibTorch error: ") + text.substr(0, text.find('\n'))};
    } catch (...) {
        return current_exception_to_failure();
    }
}

// guarded([&] { return value; }) -> Result<decltype(value)>
template <typename Function>
auto guarded(Function&& function) noexcept -> Result<std::invoke_result_t<Function>>
{
    try {
        if constexpr (std::is_void_v<std::invoke_result_t<Function>>) {
            function();
            return {};
        } else {
            return function();
        }
    } catch (...) {
        return failure_from_current_exception();
    }
}

} // namespace phototune::detail
