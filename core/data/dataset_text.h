#pragma once
// Caption text as hobbyist tools write it: sidecar files in UTF-8 (often with a BOM, CRLF line ends
// and stray spaces), occasionally saved in a legacy code page by an old editor.

#include <string>
#include <string_view>
#include <vector>

namespace phototune {

// Sidecar caption text -> captions: BOM stripped, CRLF handled, one caption per non-empty trimmed line.
std::vector<std::string> parse_caption_text(std::string_view text);

// Removes leading and trailing ASCII whitespace (spaces, tabs, CR, LF).
std::string trim_whitespace(std::string_view text);

// Replaces every invalid UTF-8 sequence with U+FFFD; returns whether anything was replaced.
bool repair_utf8(std::string& text);

} // namespace phototune
