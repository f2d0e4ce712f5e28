#pragma once
// The safetensors format, without LibTorch: an 8-byte little-endian header length N, N bytes of
// JSON ({"name": {"dtype", "shape", "data_offsets"}, ..., "__metadata__": {string: string}}),
// then the tensor bytes, contiguous, offsets relative to the end of the header.
// The reader maps the file and validates every field before handing out a byte; the writer lays
// the data out like the reference writer (largest dtype first, then by name, header padded with
// spaces to 8 bytes) so that every tensor is aligned for its dtype.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

std::size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype); // the safetensors spelling: "F32", "BF16", "BOOL", ...
std::optional<DType> dtype_from_name(std::string_view name);

// One tensor inside a mapped file. `bytes` stays valid as long as the SafetensorsFile (or a copy of
// its keep_alive()) lives. Values are little-endian, row-major.
struct TensorView {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape; // empty for a 0-dim tensor
    std::span<const std::uint8_t> bytes;

    std::int64_t numel() const;
};

// A validated, memory-mapped safetensors file. The mapping is private copy-on-write: writing
// through a pointer obtained from it never changes the file on disk, but it does change what this
// file's views show, so clone before modifying if the original values are still needed.
class SafetensorsFile {
public:
    // Maps and validates the whole file. Throws Error (NotFound, Io, InvalidInput or Unsupported)
    // whose message names the file and the problem.
    static SafetensorsFile open(const std::filesystem::path& path);

    SafetensorsFile(SafetensorsFile&&) noexcept = default;
    SafetensorsFile& operator=(SafetensorsFile&&) noexcept = default;

    const std::vector<TensorView>& tensors() const { return m_tensors; } // ordered by data offset
    const TensorView* find(std::string_view name) const;                // nullptr when absent
    const TensorView& at(std::string_view name) const;                  // throws NotFound
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    const std::filesystem::path& path() const { return m_path; }

    // Owner of the mapping: hold it to keep TensorView::bytes valid after this object is gone.
    std::shared_ptr<const void> keep_alive() const { return m_mapping; }

private:
    SafetensorsFile() = default;

    std::filesystem::path m_path;
    std::shared_ptr<const void> m_mapping;
    std::vector<TensorView> m_tensors;
    std::map<std::string, std::size_t, std::less<>> m_index; // name -> position in m_tensors
    std::map<std::string, std::string> m_metadata;
};

struct TensorToWrite {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::span<const std::uint8_t> bytes; // little-endian, row-major, numel * dtype_size bytes
};

// Writes atomically (the old file stays intact on failure). Throws InvalidInput for a tensor whose
// byte count does not match its shape, a negative dimension, a duplicate or reserved name.
void write_safetensors(const std::filesystem::path& path, std::span<const TensorToWrite> tensors,
                       const std::map<std::string, std::string>& metadata = {});

} // namespace phototune
