#include "core/data/pillow_resample.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace phototune {
namespace {

// Pillow keeps 8 bits for the sample and 2 bits of headroom for the sum: 32 - 8 - 2.
constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr double kBicubicSupport = 2.0;

double bicubic(double x)
{
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}

// For each output sample along one axis: the first input sample it reads, how many it reads,
// and their fixed-point weights (ksize slots per output, unused slots are zero).
struct AxisCoefficients {
    int ksize = 0;
    std::vector<int> first;
    std::vector<int> count;
    std::vector<std::int32_t> weights;
};

AxisCoefficients precompute(int in_size, int out_size)
{
    // The same double arithmetic as Pillow's precompute_coeffs, for a box covering the whole input.
    const double scale = static_cast<double>(in_size) / out_size;
    const double filter_scale = scale < 1.0 ? 1.0 : scale;
    const double support = kBicubicSupport * filter_scale;

    AxisCoefficients axis;
    axis.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
    axis.first.resize(out_size);
    axis.count.resize(out_size);
    axis.weights.assign(static_cast<std::size_t>(out_size) * axis.ksize, 0);

    std::vector<double> k(axis.ksize);
    for (int xx = 0; xx < out_size; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double inverse_scale = 1.0 / filter_scale;
        // (int) truncation, as in C, then clamped to the image.
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > in_size) xmax = in_size;
        xmax -= xmin;

        double sum = 0.0;
        for (int x = 0; x < xmax; ++x) {
            k[x] = bicubic((x + xmin - center + 0.5) * inverse_scale);
            sum += k[x];
        }
        std::int32_t* w = &axis.weights[static_cast<std::size_t>(xx) * axis.ksize];
        for (int x = 0; x < xmax; ++x) {
            const double normalized = sum != 0.0 ? k[x] / sum : k[x];
            const double scaled = normalized * (1 << kPrecisionBits);
            w[x] = static_cast<std::int32_t>(normalized < 0 ? scaled - 0.5 : scaled + 0.5);
        }
        axis.first[xx] = xmin;
        axis.count[xx] = xmax;
    }
    return axis;
}

std::uint8_t clip8(std::int32_t value)
{
    if (value >= (1 << kPrecisionBits << 8)) return 255;
    if (value <= 0) return 0;
    return static_cast<std::uint8_t>(value >> kPrecisionBits);
}

constexpr std::int32_t kRoundingHalf = 1 << (kPrecisionBits - 1);

// Resamples rows [row_begin, row_begin + out.height) of `in` horizontally into `out`.
void horizontal_pass(const RgbImage& in, int row_begin, const AxisCoefficients& axis, RgbImage& out)
{
    for (int y = 0; y < out.height; ++y) {
        const std::uint8_t* src = &in.pixels[static_cast<std::size_t>(row_begin + y) * in.width * 3];
        std::uint8_t* dst = &out.pixels[static_cast<std::size_t>(y) * out.width * 3];
        for (int xx = 0; xx < out.width; ++xx) {
            const std::int32_t* w = &axis.weights[static_cast<std::size_t>(xx) * axis.ksize];
            const std::uint8_t* s = src + static_cast<std::size_t>(axis.first[xx]) * 3;
            std::int32_t r = kRoundingHalf, g = kRoundingHalf, b = kRoundingHalf;
            for (int x = 0; x < axis.count[xx]; ++x) {
                r += s[x * 3 + 0] * w[x];
                g += s[x * 3 + 1] * w[x];
                b += s[x * 3 + 2] * w[x];
            }
            dst[xx * 3 + 0] = clip8(r);
            dst[xx * 3 + 1] = clip8(g);
            dst[xx * 3 + 2] = clip8(b);
        }
    }
}

// Resamples `in` vertically; `row_offset` is the input row that axis.first counts from. Whole rows
// are accumulated at a time (integer sums, so the order does not change the result).
void vertical_pass(const RgbImage& in, int row_offset, const AxisCoefficients& axis, RgbImage& out)
{
    const std::size_t stride = static_cast<std::size_t>(in.width) * 3;
    std::vector<std::int32_t> sums(stride);
    for (int yy = 0; yy < out.height; ++yy) {
        const std::int32_t* w = &axis.weights[static_cast<std::size_t>(yy) * axis.ksize];
        const std::uint8_t* src = &in.pixels[static_cast<std::size_t>(axis.first[yy] - row_offset) * stride];
        std::fill(sums.begin(), sums.end(), kRoundingHalf);
        for (int y = 0; y < axis.count[yy]; ++y) {
            const std::uint8_t* row = src + y * stride;
            const std::int32_t weight = w[y];
            for (std::size_t i = 0; i < stride; ++i) sums[i] += row[i] * weight;
        }
        std::uint8_t* dst = &out.pixels[static_cast<std::size_t>(yy) * stride];
        for (std::size_t i = 0; i < stride; ++i) dst[i] = clip8(sums[i]);
    }
}

RgbImage blank(int width, int height)
{
    RgbImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(static_cast<std::size_t>(width) * height * 3);
    return image;
}

} // namespace

RgbImage resize_like_pillow_bicubic(const RgbImage& image, int width, int height)
{
    PHOTOTUNE_CHECK(width > 0 && height > 0, ErrorCategory::InvalidInput,
                    "cannot resize to " + std::to_string(width) + "x" + std::to_string(height) +
                        ": both sides must be at least 1 pixel");
    PHOTOTUNE_CHECK(image.width > 0 && image.height > 0 &&
                        image.pixels.size() == static_cast<std::size_t>(image.width) * image.height * 3,
                    ErrorCategory::InvalidInput,
                    "cannot resize an empty or inconsistent image (" + std::to_string(image.width) + "x" +
                        std::to_string(image.height) + ", " + std::to_string(image.pixels.size()) + " bytes)");

    const bool need_horizontal = width != image.width;
    const bool need_vertical = height != image.height;
    if (!need_horizontal && !need_vertical) return image;

    const AxisCoefficients vertical = precompute(image.height, height);
    if (!need_horizontal) {
        RgbImage out = blank(width, height);
        vertical_pass(image, 0, vertical, out);
        return out;
    }

    // Like Pillow, the horizontal pass only produces the rows the vertical pass will read.
    const AxisCoefficients horizontal = precompute(image.width, width);
    int first_row = 0;
    int end_row = image.height;
    if (need_vertical) {
        first_row = vertical.first.front();
        end_row = vertical.first.back() + vertical.count.back();
    }
    RgbImage temp = blank(width, end_row - first_row);
    horizontal_pass(image, first_row, horizontal, temp);
    if (!need_vertical) return temp;

    RgbImage out = blank(width, height);
    vertical_pass(temp, first_row, vertical, out);
    return out;
}

} // namespace phototune
