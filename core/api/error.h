#pragma once
// What went wrong, in words a person can act on. Plain C++ so that ui/ and app/ can use it.

#include <string>

namespace phototune {

enum class ErrorCategory {
    InvalidInput,    // a file or argument the user gave is malformed (names the file and the fix)
    NotFound,        // a file, key or model that should exist does not
    Io,              // the disk or the operating system refused (permissions, full disk)
    Unsupported,     // valid input the studio cannot handle (yet): says what to do instead
    OutOfMemory,     // a plan that does not fit: says what would
    Cancelled,       // the user asked to stop; not a failure
    Internal,        // a bug: the message says what invariant broke
};

const char* error_category_name(ErrorCategory category) noexcept;

// The facade's failure value (the core throws phototune::Error, see core/util/error.h).
struct Failure {
    ErrorCategory category = ErrorCategory::Internal;
    std::string message;
};

} // namespace phototune
