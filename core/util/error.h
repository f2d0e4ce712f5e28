#pragma once
// The one exception type of the core. The facade (core/api/*.cpp) turns it into a Failure.

#include "core/api/error.h"

#include <stdexcept>
#include <string>

namespace phototune {

class Error : public std::runtime_error {
public:
    Error(ErrorCategory category, const std::string& message)
        : std::runtime_error(message), m_category(category) {}
    ErrorCategory category() const noexcept { return m_category; }

private:
    ErrorCategory m_category;
};

// Throws Error(category, message) when the condition is false.
#define PHOTOTUNE_CHECK(condition, category, message)                                     \
    do {                                                                                  \
        if (!(condition)) throw ::phototune::Error((category), (message));               \
    } while (false)

// Converts whatever is in flight (call inside a catch block) into a Failure.
Failure current_exception_to_failure() noexcept;

} // namespace phototune
