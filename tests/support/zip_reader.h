#pragma once
// Reading a zip back in a test: member name -> contents (libarchive; link LibArchive::LibArchive).

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <map>
#include <string>

namespace phototune::test {

// Empty when the file is not a readable zip.
inline std::map<std::string, std::string> zip_contents(const std::filesystem::path& zip)
{
    std::map<std::string, std::string> members;
    archive* reader = archive_read_new();
    archive_read_support_format_zip(reader);
    if (archive_read_open_filename(reader, zip.string().c_str(), 10240) == ARCHIVE_OK) {
        archive_entry* entry = nullptr;
        while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
            std::string data;
            char buffer[8192];
            for (la_ssize_t n; (n = archive_read_data(reader, buffer, sizeof buffer)) > 0;) data.append(buffer, static_cast<std::size_t>(n));
            members[archive_entry_pathname(entry)] = data;
        }
    }
    archive_read_free(reader);
    return members;
}

} // namespace phototune::test
