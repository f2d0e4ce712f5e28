#pragma once
// Embeddings of a frozen tower, computed once and reused. When a tower has no trainable parameter
// its projected features depend only on its input, so the text tower runs once per distinct
// caption (keyed by token ids + attention mask) and the vision tower once per photo (keyed by the
// photo's id, valid only while the photo's pixels never change, i.e. without augmentation).

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace phototune {

class FrozenTowerCache {
public:
    // compute(rows): the features [rows.size(0), P] of the batch rows `rows` (int64 indices).
    using ComputeRows = std::function<at::Tensor(const at::Tensor& rows)>;

    // [B, P] features for input_ids/attention_mask [B, L]; calls `compute` once, for the rows whose
    // caption is not cached yet (each distinct one once).
    at::Tensor text_features(const at::Tensor& input_ids, const at::Tensor& attention_mask, const ComputeRows& compute);

    // [B, P] features for the photos `photo_ids` (one per batch row).
    at::Tensor image_features(const std::vector<std::int64_t>& photo_ids, const ComputeRows& compute);

    std::size_t text_entries() const { return m_text.size(); }
    std::size_t image_entries() const { return m_image.size(); }
    std::size_t rows_computed() const { return m_rows_computed; } // tower rows actually run
    void clear();

private:
    using Store = std::unordered_map<std::string, at::Tensor>;
    at::Tensor lookup(Store& store, const std::vector<std::string>& keys, const ComputeRows& compute);

    Store m_text;
    Store m_image;
    std::size_t m_rows_computed = 0;
};

} // namespace phototune
