#include "core/io/tensor_io.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <bit>
#include <cstring>

namespace phototune {

// safetensors is little-endian; on such a host its bytes are the tensor's memory as is.
static_assert(std::endian::native == std::endian::little, "tensor_io assumes a little-endian host");

namespace {

constexpr std::pair<DType, at::ScalarType> kScalarTypes[] = {
    {DType::F64, at::kDouble}, {DType::F32, at::kFloat}, {DType::F16, at::kHalf}, {DType::BF16, at::kBFloat16},
    {DType::I64, at::kLong},   {DType::I32, at::kInt},   {DType::I16, at::kShort}, {DType::I8, at::kChar},
    {DType::U8, at::kByte},    {DType::BOOL, at::kBool},
};

} // namespace

at::ScalarType to_scalar_type(DType dtype)
{
    for (const auto& [ours, theirs] : kScalarTypes)
        if (ours == dtype) return theirs;
    throw Error(ErrorCategory::Internal, std::string("no LibTorch type for dtype ") + dtype_name(dtype));
}

std::optional<DType> dtype_from_scalar_type(at::ScalarType type)
{
    for (const auto& [ours, theirs] : kScalarTypes)
        if (theirs == type) return ours;
    return std::nullopt;
}

at::Tensor tensor_from_view(const TensorView& view, std::shared_ptr<const void> keep_alive)
{
    const auto options = at::TensorOptions().dtype(to_scalar_type(view.dtype)).device(at::kCPU);
    if (view.bytes.empty()) return at::empty(view.shape, options);
    auto* data = const_cast<std::uint8_t*>(view.bytes.data()); // the mapping is copy-on-write, see the header
    if (reinterpret_cast<std::uintptr_t>(data) % dtype_size(view.dtype) == 0)
        return at::from_blob(
            data, view.shape, [owner = std::move(keep_alive)](void*) { /* dropping `owner` releases the mapping */ },
            options);
    // Misaligned (a foreign writer packed the data): kernels need aligned elements, so copy.
    auto copy = at::empty(view.shape, options);
    std::memcpy(copy.data_ptr(), data, view.bytes.size());
    return copy;
}

std::map<std::string, at::Tensor> load_safetensors(const std::filesystem::path& path)
{
    const auto file = SafetensorsFile::open(path);
    std::map<std::string, at::Tensor> tensors;
    for (const auto& view : file.tensors()) tensors.emplace(view.name, tensor_from_view(view, file.keep_alive()));
    return tensors;
}

void save_safetensors(const std::filesystem::path& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata)
{
    std::vector<at::Tensor> contiguous; // owns the bytes the spans below point to
    std::vector<TensorToWrite> to_write;
    contiguous.reserve(tensors.size());
    to_write.reserve(tensors.size());
    for (const auto& [name, tensor] : tensors) {
        const auto dtype = dtype_from_scalar_type(tensor.scalar_type());
        if (!dtype)
            throw Error(ErrorCategory::Unsupported, "cannot write '" + path_for_display(path) + "': tensor '" + name +
                                                        "' has dtype " + c10::toString(tensor.scalar_type()) +
                                                        ", which safetensors files written by PhotoTune cannot hold");
        contiguous.push_back(tensor.cpu().contiguous());
        const auto& stored = contiguous.back();
        to_write.push_back({name, *dtype, std::vector<std::int64_t>(stored.sizes().begin(), stored.sizes().end()),
                            {static_cast<const std::uint8_t*>(stored.data_ptr()), stored.nbytes()}});
    }
    write_safetensors(path, to_write, metadata);
}

} // namespace phototune
