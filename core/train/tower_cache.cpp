#include "core/train/tower_cache.h"

#include "core/util/error.h"

#include <ATen/ATen.h>

#include <unordered_set>

namespace phototune {
namespace {

// The bytes of row `i` of a contiguous int64 CPU tensor [B, L].
std::string row_bytes(const at::Tensor& t, std::int64_t i)
{
    const auto* data = t.data_ptr<std::int64_t>() + i * t.size(1);
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(t.size(1)) * sizeof(std::int64_t));
}

} // namespace

at::Tensor FrozenTowerCache::text_features(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                                           const ComputeRows& compute)
{
    PHOTOTUNE_CHECK(input_ids.dim() == 2, ErrorCategory::Internal, "text cache: input_ids must be [B, L]");
    const at::Tensor ids = input_ids.to(at::kCPU, at::kLong).contiguous();
    const at::Tensor mask = attention_mask.defined() ? attention_mask.to(at::kCPU, at::kLong).contiguous()
                                                     : at::ones_like(ids);
    std::vector<std::string> keys;
    keys.reserve(static_cast<std::size_t>(ids.size(0)));
    for (std::int64_t i = 0; i < ids.size(0); ++i) keys.push_back(row_bytes(ids, i) + row_bytes(mask, i));
    return lookup(m_text, keys, compute);
}

at::Tensor FrozenTowerCache::image_features(const std::vector<std::int64_t>& photo_ids, const ComputeRows& compute)
{
    std::vector<std::string> keys;
    keys.reserve(photo_ids.size());
    for (const std::int64_t id : photo_ids) keys.push_back(std::to_string(id));
    return lookup(m_image, keys, compute);
}

at::Tensor FrozenTowerCache::lookup(Store& store, const std::vector<std::string>& keys, const ComputeRows& compute)
{
    std::vector<std::int64_t> missing;
    std::unordered_set<std::string> pending;
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (!store.count(keys[i]) && pending.insert(keys[i]).second) missing.push_back(static_cast<std::int64_t>(i));
    if (!missing.empty()) {
        const at::Tensor computed = compute(at::tensor(missing, at::kLong)).detach(); // [n, P]
        PHOTOTUNE_CHECK(computed.dim() == 2 && computed.size(0) == static_cast<std::int64_t>(missing.size()),
                        ErrorCategory::Internal, "tower cache: compute returned the wrong number of rows");
        for (std::size_t k = 0; k < missing.size(); ++k)
            store[keys[static_cast<std::size_t>(missing[k])]] = computed[static_cast<std::int64_t>(k)].clone();
        m_rows_computed += missing.size();
    }
    std::vector<at::Tensor> rows;
    rows.reserve(keys.size());
    for (const auto& key : keys) rows.push_back(store.at(key));
    return at::stack(rows); // [B, P]
}

void FrozenTowerCache::clear()
{
    m_text.clear();
    m_image.clear();
    m_rows_computed = 0;
}

} // namespace phototune
