#pragma once
// Locating the golden fixtures (../shared/fixtures by default; see PHOTOTUNE_FIXTURES_DIR).
// Without them a test is skipped on a developer machine and FAILS when the CI variable is set.

#include <QtTest>

#include <cstdlib>
#include <filesystem>

namespace phototune::test {

inline std::filesystem::path fixtures_dir()
{
    const char* env = std::getenv("PHOTOTUNE_FIXTURES_DIR");
    return std::filesystem::path(env ? env : PHOTOTUNE_DEFAULT_FIXTURES_DIR);
}

inline bool running_in_ci()
{
    const char* ci = std::getenv("CI");
    return ci && *ci && std::string(ci) != "0" && std::string(ci) != "false";
}

} // namespace phototune::test

// Use at the start of a test function: yields the fixture path or skips / fails.
#define PHOTOTUNE_REQUIRE_FIXTURE(var, relative)                                                   \
    const std::filesystem::path var = ::phototune::test::fixtures_dir() / (relative);              \
    do {                                                                                           \
        if (!std::filesystem::exists(var)) {                                                       \
            const QByteArray message = "fixture missing: " + QByteArray(var.string().c_str()) +   \
                                       " (set -DPHOTOTUNE_FIXTURES_DIR=... to shared/fixtures)"; \
            if (::phototune::test::running_in_ci()) QFAIL(message.constData());                    \
            QSKIP(message.constData());                                                            \
        }                                                                                          \
    } while (false)
