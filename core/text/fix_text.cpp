#include "core/text/fix_text.h"

#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string_view>

namespace phototune {
namespace {

// ftfy stops a segment's repair loop when nothing changes; nested entities ("&amp;amp;...") peel one
// level per pass, so hostile input could otherwise take one pass per level.
constexpr int kMaxPasses = 16;
constexpr UChar32 kReplacementCharacter = 0xFFFD;

struct HtmlEntity {
    std::string_view name; // without '&' and ';'
    std::string_view utf8;
};

constexpr HtmlEntity kHtmlEntities[] = {
#include "core/text/html_entities.inc"
};

const icu::Normalizer2& normalizer(UNormalization2Mode mode, const char* name)
{
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getInstance(nullptr, name, mode, status);
    if (U_FAILURE(status) || !instance)
        throw std::runtime_error(std::string("ICU normaliser '") + name + "' is unavailable: " + u_errorName(status));
    return *instance;
}

const icu::Normalizer2& nfc()
{
    static const icu::Normalizer2& instance = normalizer(UNORM2_COMPOSE, "nfc");
    return instance;
}

const icu::Normalizer2& nfkc()
{
    static const icu::Normalizer2& instance = normalizer(UNORM2_COMPOSE, "nfkc");
    return instance;
}

// U+0080..U+009F as the Windows-1252 byte of the same value would decode; the five bytes that
// Windows-1252 leaves undefined keep their C1 character (ftfy's "sloppy" codec does the same).
const std::array<UChar32, 32>& windows_1252_c1()
{
    static const std::array<UChar32, 32> table = [] {
        std::array<UChar32, 32> result{};
        UErrorCode status = U_ZERO_ERROR;
        UConverter* converter = ucnv_open("windows-1252", &status);
        for (int i = 0; i < 32; ++i) {
            const auto byte = static_cast<char>(0x80 + i);
            UChar decoded[4] = {};
            UErrorCode convert_status = U_ZERO_ERROR;
            const int32_t length = converter && U_SUCCESS(status)
                                       ? ucnv_toUChars(converter, decoded, 4, &byte, 1, &convert_status)
                                       : 0;
            const bool defined = U_SUCCESS(convert_status) && length == 1 && decoded[0] != kReplacementCharacter &&
                                 decoded[0] != 0x1A;
            result[i] = defined ? decoded[0] : 0x80 + i;
        }
        if (converter) ucnv_close(converter);
        return result;
    }();
    return table;
}

bool is_ascii_alnum(UChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool is_hex_digit(UChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// Python's html.unescape for "&#...;" (WHATWG rules), given the digits after '#'. Returns false when
// the reference is not a complete numeric one, which ftfy then leaves as it is.
bool decode_numeric_reference(const icu::UnicodeString& body, icu::UnicodeString& out)
{
    const bool hex = body.charAt(0) == u'x' || body.charAt(0) == u'X';
    const int32_t first = hex ? 1 : 0;
    if (first >= body.length()) return false;
    std::uint32_t value = 0;
    for (int32_t i = first; i < body.length(); ++i) {
        const UChar c = body.charAt(i);
        if (hex ? !is_hex_digit(c) : !(c >= u'0' && c <= u'9')) return false;
        const std::uint32_t digit = c <= u'9' ? c - u'0' : (c | 0x20) - u'a' + 10;
        value = std::min<std::uint32_t>(value * (hex ? 16 : 10) + digit, 0x110000); // saturate
    }
    if (value == 0) {
        out = icu::UnicodeString(static_cast<UChar32>(kReplacementCharacter));
    } else if (value == 0x0D) {
        out = icu::UnicodeString(u'\r');
    } else if (value >= 0x80 && value <= 0x9F) {
        out = icu::UnicodeString(windows_1252_c1()[value - 0x80]);
    } else if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
        out = icu::UnicodeString(static_cast<UChar32>(kReplacementCharacter));
    } else if ((value >= 0x01 && value <= 0x08) || value == 0x0B || (value >= 0x0E && value <= 0x1F) ||
               value == 0x7F || (value >= 0xFDD0 && value <= 0xFDEF) || (value & 0xFFFE) == 0xFFFE) {
        out.remove(); // html.unescape drops these
    } else {
        out = icu::UnicodeString(static_cast<UChar32>(value));
    }
    return out.indexOf(u';') < 0; // ftfy keeps the original when the result still holds a ';'
}

bool lookup_named_reference(const icu::UnicodeString& name, icu::UnicodeString& out)
{
    std::string key;
    for (int32_t i = 0; i < name.length(); ++i) key.push_back(static_cast<char>(name.charAt(i))); // ASCII only
    const auto* end = std::end(kHtmlEntities);
    const auto* it = std::lower_bound(std::begin(kHtmlEntities), end, key,
                                      [](const HtmlEntity& e, const std::string& k) { return e.name < k; });
    if (it == end || it->name != key) return false;
    out = icu::UnicodeString::fromUTF8(icu::StringPiece(it->utf8.data(), static_cast<int32_t>(it->utf8.size())));
    return true;
}

// ftfy's pattern is "&#?[0-9A-Za-z]{1,24};"; named references need the ';' (unlike html.unescape).
icu::UnicodeString unescape_html(const icu::UnicodeString& text)
{
    if (text.indexOf(u'&') < 0) return text;
    icu::UnicodeString out;
    const int32_t n = text.length();
    int32_t i = 0;
    while (i < n) {
        const UChar c = text.charAt(i);
        if (c != u'&') {
            out.append(c);
            ++i;
            continue;
        }
        const bool numeric = i + 1 < n && text.charAt(i + 1) == u'#';
        const int32_t body_start = i + 1 + (numeric ? 1 : 0);
        int32_t body_end = body_start;
        while (body_end < n && body_end - body_start <= 24 && is_ascii_alnum(text.charAt(body_end))) ++body_end;
        const int32_t length = body_end - body_start;
        if (length < 1 || length > 24 || body_end >= n || text.charAt(body_end) != u';') {
            out.append(c);
            ++i;
            continue;
        }
        const icu::UnicodeString body(text, body_start, length);
        icu::UnicodeString replacement;
        const bool decoded = numeric ? decode_numeric_reference(body, replacement)
                                     : lookup_named_reference(body, replacement);
        if (decoded)
            out.append(replacement);
        else
            out.append(text, i, body_end + 1 - i);
        i = body_end + 1;
    }
    return out;
}

// Code point by code point replacements; `map` appends the replacement of c to out.
template <typename Map>
icu::UnicodeString map_code_points(const icu::UnicodeString& text, Map map)
{
    icu::UnicodeString out;
    for (int32_t i = 0; i < text.length();) {
        const UChar32 c = text.char32At(i);
        map(c, out);
        i += U16_LENGTH(c);
    }
    return out;
}

void fix_c1_control(UChar32 c, icu::UnicodeString& out)
{
    out.append(c >= 0x80 && c <= 0x9F ? windows_1252_c1()[c - 0x80] : c);
}

// The Latin ligatures ftfy splits (not the typographic ones of other scripts), written out through their
// compatibility decomposition: ﬁ -> fi, Ĳ -> IJ, ǆ -> dž, ﬅ -> ſt.
bool is_latin_ligature(UChar32 c)
{
    return c == 0x0132 || c == 0x0133 || c == 0x0149 || (c >= 0x01C4 && c <= 0x01CC) || (c >= 0x01F1 && c <= 0x01F3) ||
           (c >= 0xFB00 && c <= 0xFB06);
}

void fix_latin_ligature(UChar32 c, icu::UnicodeString& out)
{
    icu::UnicodeString decomposition;
    if (is_latin_ligature(c) && nfkc().getRawDecomposition(c, decomposition))
        out.append(decomposition);
    else
        out.append(c);
}

// ftfy's fix_character_width: the Halfwidth and Fullwidth Forms block and the ideographic space take
// their NFKC form; nothing else is compatibility-normalised.
void fix_character_width(UChar32 c, icu::UnicodeString& out)
{
    if (c == 0x3000) {
        out.append(u' ');
    } else if (c >= 0xFF01 && c <= 0xFFEF) {
        UErrorCode status = U_ZERO_ERROR;
        const icu::UnicodeString normalised = nfkc().normalize(icu::UnicodeString(c), status);
        out.append(U_SUCCESS(status) ? normalised : icu::UnicodeString(c));
    } else {
        out.append(c);
    }
}

void uncurl_quote(UChar32 c, icu::UnicodeString& out)
{
    if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B))
        out.append(u'\'');
    else if (c >= 0x201C && c <= 0x201F)
        out.append(u'"');
    else
        out.append(c);
}

icu::UnicodeString fix_line_breaks(const icu::UnicodeString& text)
{
    icu::UnicodeString out;
    for (int32_t i = 0; i < text.length(); ++i) {
        const UChar c = text.charAt(i);
        if (c == u'\r' && i + 1 < text.length() && text.charAt(i + 1) == u'\n') continue; // "\r\n" -> "\n"
        out.append(c == u'\r' || c == 0x2028 || c == 0x2029 || c == 0x0085 ? u'\n' : c);
    }
    return out;
}

// ESC '[' (digits | ';')* letter: colour codes and cursor moves pasted from a terminal.
icu::UnicodeString remove_terminal_escapes(const icu::UnicodeString& text)
{
    if (text.indexOf(u'\x1b') < 0) return text;
    icu::UnicodeString out;
    const int32_t n = text.length();
    for (int32_t i = 0; i < n;) {
        if (text.charAt(i) == u'\x1b' && i + 1 < n && text.charAt(i + 1) == u'[') {
            int32_t j = i + 2;
            while (j < n && (text.charAt(j) == u';' || u_isdigit(text.char32At(j)))) j += U16_LENGTH(text.char32At(j));
            const UChar last = j < n ? text.charAt(j) : 0;
            if ((last >= u'a' && last <= u'z') || (last >= u'A' && last <= u'Z')) {
                i = j + 1;
                continue;
            }
        }
        out.append(text.charAt(i));
        ++i;
    }
    return out;
}

// Invisible controls ftfy deletes (tab, line feed, form feed and carriage return stay).
bool is_removed_control(UChar32 c)
{
    return (c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F) ||
           c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
}

icu::UnicodeString fix_segment(icu::UnicodeString text, bool unescape)
{
    for (int pass = 0; pass < kMaxPasses; ++pass) {
        const icu::UnicodeString before = text;
        if (unescape) text = unescape_html(text);
        text = map_code_points(text, fix_c1_control);
        text = map_code_points(text, fix_latin_ligature);
        text = map_code_points(text, fix_character_width);
        text = map_code_points(text, uncurl_quote);
        text = fix_line_breaks(text);
        text = remove_terminal_escapes(text);
        text = map_code_points(text, [](UChar32 c, icu::UnicodeString& out) {
            if (!is_removed_control(c)) out.append(c);
        });
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString composed = nfc().normalize(text, status);
        if (U_SUCCESS(status)) text = std::move(composed);
        if (text == before) break;
    }
    return text;
}

} // namespace

icu::UnicodeString fix_text(const icu::UnicodeString& text)
{
    icu::UnicodeString out;
    bool unescape = true;
    for (int32_t start = 0; start < text.length();) {
        const int32_t newline = text.indexOf(u'\n', start);
        const int32_t end = newline < 0 ? text.length() : newline + 1;
        const icu::UnicodeString segment(text, start, end - start);
        if (segment.indexOf(u'<') >= 0) unescape = false; // looks like HTML: its entities are markup
        out.append(fix_segment(segment, unescape));
        start = end;
    }
    return out;
}

} // namespace phototune
