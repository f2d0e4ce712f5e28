#pragma once
// Internal to core/api/*.cpp: the facade's view of a file the scan skipped.

#include "core/api/dataset.h"
#include "core/data/dataset_scan.h"

namespace phototune::detail {

inline SkippedPhoto to_skipped_photo(const SkippedFile& file)
{
    return {file.path, skip_reason_name(file.reason), file.message};
}

} // namespace phototune::detail
