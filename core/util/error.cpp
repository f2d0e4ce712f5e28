#include "core/util/error.h"

#include <exception>
#include <new>

namespace phototune {

const char* error_category_name(ErrorCategory category) noexcept
{
    switch (category) {
    case ErrorCategory::InvalidInput: return "invalid input";
    case ErrorCategory::NotFound: return "not found";
    case ErrorCategory::Io: return "i/o error";
    case ErrorCategory::Unsupported: return "unsupported";
    case ErrorCategory::OutOfMemory: return "out of memory";
    case ErrorCategory::Cancelled: return "cancelled";
    case ErrorCategory::Internal: return "internal error";
    }
    return "unknown";
}

Failure current_exception_to_failure() noexcept
{
    try {
        throw;
    } catch (const Error& e) {
        return {e.category(), e.what()};
    } catch (const std::bad_alloc&) {
        return {ErrorCategory::OutOfMemory, "out of memory"};
    } catch (const std::exception& e) {
        return {ErrorCategory::Internal, e.what()};
    } catch (...) {
        return {ErrorCategory::Internal, "unknown exception"};
    }
}

} // namespace phototune
