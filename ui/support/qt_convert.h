#pragma once
// Paths between the facade (std::filesystem) and Qt, without mangling non-UTF-8 file names.

#include <QString>

#include <filesystem>

namespace phototune::ui {

QString toQString(const std::filesystem::path& path);
std::filesystem::path toPath(const QString& path);

} // namespace phototune::ui
