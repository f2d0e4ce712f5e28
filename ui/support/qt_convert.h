#pragma once
// Paths from the facade (std::filesystem) to Qt, without mangling non-UTF-8 file names.

#include <QString>

#include <filesystem>

namespace phototune::ui {

QString toQString(const std::filesystem::path& path);

} // namespace phototune::ui
