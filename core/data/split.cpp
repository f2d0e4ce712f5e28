#include "core/data/split.h"

#include "core/util/error.h"

#include <map>

namespace phototune {

const char* split_name(Split split) noexcept
{
    return split == Split::Validation ? "validation" : "train";
}

double split_draw(std::uint64_t seed, std::string_view relative_path) noexcept
{
    // FNV-1a over the path, seeded, then the splitmix64 finaliser to spread the bits; the same on
    // every platform and every run (std::hash is neither).
    std::uint64_t hash = 0xcbf29ce484222325ull ^ seed;
    for (const char c : relative_path) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ull;
    }
    hash += 0x9e3779b97f4a7c15ull;
    hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ull;
    hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebull;
    hash ^= hash >> 31;
    return static_cast<double>(hash >> 11) * 0x1.0p-53;
}

std::vector<Split> assign_splits(std::span<const SplitKey> keys, const SplitOptions& options)
{
    PHOTOTUNE_CHECK(options.validation_fraction >= 0.0 && options.validation_fraction < 1.0, ErrorCategory::InvalidInput,
                    "the validation fraction must be at least 0 and below 1 (for example 0.2 for 20 %), not " +
                        std::to_string(options.validation_fraction));
    std::vector<Split> splits(keys.size(), Split::Train);
    std::vector<double> draws(keys.size());
    std::map<std::string, std::vector<std::size_t>> by_label;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        draws[i] = split_draw(options.seed, keys[i].relative_path);
        if (draws[i] < options.validation_fraction) splits[i] = Split::Validation;
        by_label[keys[i].label].push_back(i);
    }
    if (options.validation_fraction == 0.0) return splits;  // no validation asked for: no fix-ups either
    for (const auto& [label, members] : by_label) {
        if (members.size() < 2) {
            for (const std::size_t i : members) splits[i] = Split::Train;
            continue;
        }
        std::size_t lowest = members.front();
        std::size_t highest = members.front();
        std::size_t validation = 0;
        for (const std::size_t i : members) {
            if (draws[i] < draws[lowest]) lowest = i;
            if (draws[i] > draws[highest]) highest = i;
            validation += splits[i] == Split::Validation;
        }
        if (validation == 0) splits[lowest] = Split::Validation;
        if (validation == members.size()) splits[highest] = Split::Train;
    }
    return splits;
}

} // namespace phototune
