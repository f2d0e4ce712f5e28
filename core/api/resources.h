#pragma once
// Where the studio's shipped data lives (demo photos, tokenizer files, catalogues).

#include <filesystem>

namespace phototune {

// The first of: $PHOTOTUNE_RESOURCES; <executable>/../share/phototune (an installed studio);
// the source tree's resources/ (running from a build folder). Empty if none has demo/.
std::filesystem::path resources_dir() noexcept;

// resources_dir()/demo: the built-in demo photos (7 labelled folders with captions).
std::filesystem::path demo_photos_dir() noexcept;

} // namespace phototune
