#pragma once
// Contrastive losses over a batch of paired image/text embeddings, with multi-positive targets:
// items that share a group id (the same caption or label) are all positives for each other, so two
// photos of the same label in one batch are not pushed apart as false negatives.

#include <ATen/core/Tensor.h>

namespace phototune {

// [B] int64 -> [B, B] float: 1 where group_ids[i] == group_ids[j], else 0.
at::Tensor same_group_matrix(const at::Tensor& group_ids, at::ScalarType dtype);

// CLIP's symmetric cross-entropy with soft targets.
//   logits_per_text = exp(logit_scale) * text_embeds @ image_embeds^T   (as HF computes it)
//   targets         = same_group_matrix / row sum (each row a distribution over the positives)
//   loss = (CE(logits_per_image, targets) + CE(logits_per_text, targets)) / 2,  CE = mean_i -sum_j t_ij log_softmax_ij
// With all-distinct groups this is HF's clip_loss (cross-entropy against arange(B)).
// image_embeds, text_embeds: [B, P] L2-normalised; logit_scale: 0-dim log inverse temperature;
// group_ids: [B] int64. Returns a 0-dim loss in the embeddings' dtype.
at::Tensor clip_contrastive_loss(const at::Tensor& image_embeds, const at::Tensor& text_embeds,
                                 const at::Tensor& logit_scale, const at::Tensor& group_ids);

// SigLIP's pairwise sigmoid loss, as later transformers releases compute it for SiglipModel:
//   logits = exp(logit_scale) * text_embeds @ image_embeds^T + logit_bias
//   z_ij   = +1 when items i and j share a group, else -1
//   loss   = -(1/B) sum_ij log sigmoid(z_ij * logits_ij)       (a sum over B^2 pairs divided by B)
// logit_scale and logit_bias are 0-dim or [1]. See SiglipHead in train_step.h for the values the
// trainer uses with CLIP models.
at::Tensor siglip_loss(const at::Tensor& image_embeds, const at::Tensor& text_embeds, const at::Tensor& logit_scale,
                       const at::Tensor& logit_bias, const at::Tensor& group_ids);

} // namespace phototune
