#pragma once
// Train/validation split that is stratified by label, reproducible from a seed, and stable when
// photos are added to the dataset.
//
// The rule: each photo gets a number u in [0, 1) from a hash of (seed, its relative path); it goes
// to validation when u < validation_fraction. Adding or removing other photos never changes u, so
// a photo keeps its side. Then, per label with at least 2 photos:
//   - if no photo landed in validation, the one with the smallest u moves there;
//   - if every photo landed in validation, the one with the largest u moves to training.
// Only these fixed-up photos can change side when the dataset changes, at most one per label.
// A label with a single photo keeps it in training.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace phototune {

enum class Split { Train, Validation };

const char* split_name(Split split) noexcept;  // "train" / "validation"

struct SplitOptions {
    double validation_fraction = 0.2;
    std::uint64_t seed = 0;
};

struct SplitKey {
    std::string label;
    std::string relative_path;  // the identity of the photo; must not depend on where the dataset lives
};

// The number in [0, 1) the rule above draws for one photo.
double split_draw(std::uint64_t seed, std::string_view relative_path) noexcept;

// One Split per key, in the keys' order. Throws Error(InvalidInput) for a fraction outside [0, 1).
std::vector<Split> assign_splits(std::span<const SplitKey> keys, const SplitOptions& options);

} // namespace phototune
