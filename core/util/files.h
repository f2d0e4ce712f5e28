#pragma once
// File helpers: whole-file reads with errors that name the file, and atomic writes
// (temporary file in the same folder, flushed, then renamed over the target).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

std::string read_text_file(const std::filesystem::path& path);
std::vector<std::uint8_t> read_binary_file(const std::filesystem::path& path);

// Writes the pieces in order to `path` atomically: readers see the old file or the new one.
void write_file_atomic(const std::filesystem::path& path, std::span<const std::span<const std::uint8_t>> pieces);
void write_file_atomic(const std::filesystem::path& path, std::string_view text);

// UTF-8 for messages, whatever the platform's native path encoding is.
std::string path_for_display(const std::filesystem::path& path);

} // namespace phototune
