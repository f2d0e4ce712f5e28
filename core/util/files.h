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

// Where the studio keeps what it can rebuild (decoded crops, vocabulary embeddings, measured
// throughput): $PHOTOTUNE_CACHE_DIR, else $XDG_CACHE_HOME/phototune, else ~/.cache/phototune
// (%LOCALAPPDATA%\phototune on Windows). Not created here.
std::filesystem::path user_cache_dir();

// UTF-8 for messages, whatever the platform's native path encoding is.
std::string path_for_display(const std::filesystem::path& path);

} // namespace phototune
