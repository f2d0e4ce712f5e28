#pragma once
// The text repairs that ftfy.fix_text (6.1, default settings) makes before CLIP tokenisation, done with
// ICU. HF's CLIPTokenizer runs ftfy first, so the same ids need the same cleanup.
//
// What it does, per line (ftfy fixes text line by line), repeated until nothing changes:
//   HTML entities (named HTML5 and numeric; skipped from the first line holding a literal '<', which
//   ftfy takes for real HTML), C1 controls read as Windows-1252, Latin ligatures split (ﬁ -> fi),
//   fullwidth/halfwidth forms to their normal width, curly quotes straightened, line breaks to '\n',
//   ANSI terminal escapes and invisible control characters removed, then NFC.
// What it does not: ftfy's mojibake repair (fix_encoding: "cafÃ©" -> "café"), a guess driven by
// statistics of mis-decoded text. Such text is tokenised as it is.

#include <unicode/unistr.h>

namespace phototune {

icu::UnicodeString fix_text(const icu::UnicodeString& text);

} // namespace phototune
