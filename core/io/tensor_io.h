#pragma once
// safetensors <-> LibTorch. Loaded tensors share the file's memory mapping when their bytes are
// aligned for their dtype (always, for files written by write_safetensors or the reference writer)
// and keep the mapping alive for as long as they exist.
//
// The mapping is private copy-on-write: an in-place op on a loaded tensor never changes the file, but
// every tensor viewing the same bytes sees it. Clone a loaded tensor before modifying it in place.

#include "core/io/safetensors.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace phototune {

at::ScalarType to_scalar_type(DType dtype);
std::optional<DType> dtype_from_scalar_type(at::ScalarType type); // nullopt for complex, quantized, ...

// A CPU tensor over `view`'s bytes without copying when they are aligned for the dtype, otherwise a
// copy. `keep_alive` (SafetensorsFile::keep_alive()) is held by the tensor's storage.
at::Tensor tensor_from_view(const TensorView& view, std::shared_ptr<const void> keep_alive);

// Every tensor of a safetensors file by name (see SafetensorsFile::open for the errors).
std::map<std::string, at::Tensor> load_safetensors(const std::filesystem::path& path);

// Writes CPU-contiguous copies of the tensors (any device, any layout) atomically. Throws Unsupported
// for a dtype safetensors cannot hold here, InvalidInput for duplicate names.
void save_safetensors(const std::filesystem::path& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace phototune
