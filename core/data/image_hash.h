#pragma once
// Fingerprints for finding duplicate photos: SHA-256 of the file's bytes (exact copies) and a
// 64-bit difference hash of the pixels (the same photo re-saved, resized or recompressed).

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace phototune {

using Sha256 = std::array<std::uint8_t, 32>;

Sha256 sha256(std::span<const std::uint8_t> bytes);
// A file's SHA-256, read in blocks; throws Error(Io) naming the file when it cannot be read.
Sha256 sha256_of_file(const std::filesystem::path& file);
std::string to_hex(const Sha256& digest);

// dHash: the image shrunk to 9x8 grey pixels; bit i says whether a pixel is brighter than its
// right neighbour. `rgb` is tightly packed 8-bit RGB, width*height*3 bytes. Robust to resizing and
// recompression, not to crops or rotation.
std::uint64_t difference_hash(std::span<const std::uint8_t> rgb, int width, int height);

int hamming_distance(std::uint64_t a, std::uint64_t b) noexcept;

} // namespace phototune
