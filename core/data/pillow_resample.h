#pragma once
// Pillow's convolution resampler (Resample.c), bit for bit: what Image.resize(size, BICUBIC)
// produces for an RGB image, and therefore what CLIPImageProcessor feeds the model.

#include "core/data/image_decode.h"

namespace phototune {

// Cubic filter with a = -0.5 whose support widens by the downscale factor (so it antialiases),
// separable: a horizontal pass, then a vertical pass, each with 22-bit fixed-point coefficients
// and rounding + clamping to uint8. A pass whose dimension does not change is skipped.
// Throws Error(InvalidInput) for a target size < 1 or an empty image.
RgbImage resize_like_pillow_bicubic(const RgbImage& image, int width, int height);

} // namespace phototune
