#include "core/train/contrastive_loss.h"

#include "core/util/error.h"

#include <ATen/ATen.h>

namespace phototune {
namespace {

void check_pair(const at::Tensor& image_embeds, const at::Tensor& text_embeds, const at::Tensor& group_ids)
{
    PHOTOTUNE_CHECK(image_embeds.dim() == 2 && text_embeds.dim() == 2 && image_embeds.sizes() == text_embeds.sizes(),
                    ErrorCategory::Internal, "contrastive loss: image and text embeddings must both be [B, P]");
    PHOTOTUNE_CHECK(group_ids.dim() == 1 && group_ids.size(0) == image_embeds.size(0), ErrorCategory::Internal,
                    "contrastive loss: group_ids must be [B]");
}

} // namespace

at::Tensor same_group_matrix(const at::Tensor& group_ids, at::ScalarType dtype)
{
    return group_ids.unsqueeze(1).eq(group_ids.unsqueeze(0)).to(dtype); // [B, B]
}

at::Tensor clip_contrastive_loss(const at::Tensor& image_embeds, const at::Tensor& text_embeds,
                                 const at::Tensor& logit_scale, const at::Tensor& group_ids)
{
    check_pair(image_embeds, text_embeds, group_ids);
    const at::Tensor logits_per_text = at::matmul(text_embeds, image_embeds.t()) * logit_scale.exp(); // [B, B]
    const at::Tensor logits_per_image = logits_per_text.t();
    const at::Tensor same = same_group_matrix(group_ids.to(logits_per_text.device()), logits_per_text.scalar_type());
    const at::Tensor targets = same / same.sum(1, /*keepdim=*/true); // symmetric, rows sum to 1
    const auto soft_cross_entropy = [&](const at::Tensor& logits) {
        return -(targets * at::log_softmax(logits, 1)).sum(1).mean();
    };
    return (soft_cross_entropy(logits_per_image) + soft_cross_entropy(logits_per_text)) / 2;
}

at::Tensor siglip_loss(const at::Tensor& image_embeds, const at::Tensor& text_embeds, const at::Tensor& logit_scale,
                       const at::Tensor& logit_bias, const at::Tensor& group_ids)
{
    check_pair(image_embeds, text_embeds, group_ids);
    const at::Tensor logits =
        at::matmul(text_embeds, image_embeds.t()) * logit_scale.exp() + logit_bias; // [B_txt, B_img]
    const at::Tensor signs = same_group_matrix(group_ids.to(logits.device()), logits.scalar_type()) * 2 - 1;
    return -at::log_sigmoid(signs * logits).sum(-1).mean();
}

} // namespace phototune
