#include "core/text/clip_tokenizer.h"

#include "core/text/fix_text.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>
#include <unicode/locid.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>

#include <array>
#include <climits>
#include <functional>
#include <mutex>
#include <queue>
#include <unordered_map>

namespace phototune {
namespace {

constexpr std::string_view kStartOfText = "<|startoftext|>";
constexpr std::string_view kEndOfText = "<|endoftext|>";
constexpr std::string_view kEndOfWord = "</w>";

// CLIPTokenizer reads at most this many merges (49152 tokens less 256 bytes and 2 specials).
constexpr std::size_t kMaxMerges = 49152 - 256 - 2;
// Distinct words kept in the BPE cache before it starts afresh (bounds memory on endless new words).
constexpr std::size_t kMaxCachedWords = 100000;
// Ids beyond this are refused: they would mean a corrupt or hostile vocab.json.
constexpr std::int64_t kMaxTokenId = 1 << 24;

// CLIP's pre-tokeniser. `regex` (which HF uses) compiles it case-insensitively, which only matters
// for the contractions ('ſ folds to 's); [\p{L}] stays letters only. Its \s is White_Space.
constexpr char16_t kSplitPattern[] =
    u"<\\|startoftext\\|>|<\\|endoftext\\|>|(?i:'s|'t|'re|'ve|'m|'ll|'d)|[\\p{L}]+|[\\p{N}]|"
    u"[^\\p{White_Space}\\p{L}\\p{N}]+";

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

std::string to_utf8(const icu::UnicodeString& text)
{
    std::string out;
    text.toUTF8String(out);
    return out;
}

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the others are moved to
// U+0100 and up, so that every byte is a visible character in vocab.json and merges.txt.
std::array<std::string, 256> make_byte_encoder()
{
    std::array<std::string, 256> table;
    int shifted = 0;
    for (int byte = 0; byte < 256; ++byte) {
        const bool printable = (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE);
        table[byte] = to_utf8(icu::UnicodeString(static_cast<UChar32>(printable ? byte : 256 + shifted++)));
    }
    return table;
}

icu::UnicodeString collapse_whitespace(const icu::UnicodeString& text)
{
    icu::UnicodeString out;
    bool pending_space = false;
    for (int32_t i = 0; i < text.length();) {
        const UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)) {
            pending_space = !out.isEmpty();
            continue;
        }
        if (pending_space) out.append(u' ');
        pending_space = false;
        out.append(c);
    }
    return out;
}

std::int64_t required_id(const StringMap<std::int64_t>& encoder, std::string_view token,
                         const std::filesystem::path& vocab_json)
{
    const auto it = encoder.find(token);
    PHOTOTUNE_CHECK(it != encoder.end(), ErrorCategory::InvalidInput,
                    "vocabulary '" + path_for_display(vocab_json) + "' has no '" + std::string(token) +
                        "' token: it is not a CLIP tokenizer vocabulary; use the vocab.json of a CLIP model");
    return it->second;
}

} // namespace

struct ClipTokenizer::State {
    StringMap<std::int64_t> encoder;
    std::unordered_map<std::int64_t, std::string> decoder;
    StringMap<std::int32_t> merge_ranks; // "first second" -> rank
    std::array<std::string, 256> byte_encoder = make_byte_encoder();
    std::int64_t bos = 0;
    std::int64_t eos = 0;
    std::unique_ptr<icu::RegexPattern> split_pattern;

    mutable std::mutex cache_mutex;
    mutable StringMap<std::vector<std::int64_t>> cache;

    void encode_text(std::string_view text, std::vector<std::int64_t>& ids) const;
    void encode_chunk(std::string_view chunk, std::vector<std::int64_t>& ids) const;
    std::vector<std::int64_t> encode_word(const std::string& word) const;
    std::vector<std::int64_t> bpe(const std::string& word) const;
};

// HF first cuts the raw text at literal special tokens (its added-tokens trie), then cleans each piece
// on its own: "x &amp; y<|endoftext|>" is unescaped although the whole text holds a '<'.
void ClipTokenizer::State::encode_text(std::string_view text, std::vector<std::int64_t>& ids) const
{
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t sot = text.find(kStartOfText, start);
        const std::size_t eot = text.find(kEndOfText, start);
        const std::size_t special = std::min(sot, eot);
        encode_chunk(text.substr(start, special == std::string_view::npos ? std::string_view::npos : special - start),
                     ids);
        if (special == std::string_view::npos) break;
        ids.push_back(special == sot ? bos : eos);
        start = special + (special == sot ? kStartOfText.size() : kEndOfText.size());
    }
}

void ClipTokenizer::State::encode_chunk(std::string_view chunk, std::vector<std::int64_t>& ids) const
{
    if (chunk.empty()) return;
    PHOTOTUNE_CHECK(chunk.size() < static_cast<std::size_t>(INT32_MAX / 2), ErrorCategory::InvalidInput,
                    "text of " + std::to_string(chunk.size()) + " bytes is too long to tokenise");
    // Ill-formed UTF-8 becomes U+FFFD, so any bytes give a deterministic result.
    icu::UnicodeString text =
        collapse_whitespace(fix_text(icu::UnicodeString::fromUTF8(icu::StringPiece(chunk.data(), static_cast<int32_t>(chunk.size())))));
    text.toLower(icu::Locale::getRoot()); // full Unicode lowercase with final sigma, as Python's str.lower()

    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> matcher(split_pattern->matcher(text, status));
    std::string word;
    while (U_SUCCESS(status) && matcher->find(status)) {
        const int32_t begin = matcher->start(status);
        const int32_t end = matcher->end(status);
        if (U_FAILURE(status)) break;
        word.clear();
        text.tempSubStringBetween(begin, end).toUTF8String(word);
        const std::vector<std::int64_t> word_ids = encode_word(word);
        ids.insert(ids.end(), word_ids.begin(), word_ids.end());
    }
    PHOTOTUNE_CHECK(U_SUCCESS(status), ErrorCategory::Internal,
                    std::string("splitting text into words failed in ICU: ") + u_errorName(status));
}

std::vector<std::int64_t> ClipTokenizer::State::encode_word(const std::string& word) const
{
    // The pre-tokeniser also matches the special tokens (e.g. after "&lt;|endoftext|&gt;" is unescaped).
    if (word == kStartOfText) return {bos};
    if (word == kEndOfText) return {eos};
    {
        const std::lock_guard lock(cache_mutex);
        const auto it = cache.find(word);
        if (it != cache.end()) return it->second;
    }
    std::vector<std::int64_t> ids = bpe(word);
    const std::lock_guard lock(cache_mutex);
    if (cache.size() >= kMaxCachedWords) cache.clear();
    cache.emplace(word, ids);
    return ids;
}

// BPE over the word's bytes, the last symbol carrying "</w>". CLIPTokenizer repeatedly takes the
// lowest-ranked adjacent pair and merges all its occurrences left to right; this does the same with
// a heap, one rank per round, in O(n log n) instead of O(n²) (a 100 KB "word" stays fast).
std::vector<std::int64_t> ClipTokenizer::State::bpe(const std::string& word) const
{
    const std::size_t n = word.size();
    std::string encoded;
    std::vector<std::size_t> offset(n + 1);
    for (std::size_t k = 0; k < n; ++k) {
        offset[k] = encoded.size();
        encoded += byte_encoder[static_cast<unsigned char>(word[k])];
    }
    offset[n] = encoded.size();
    const auto append_symbol = [&](std::size_t begin, std::size_t end, std::string& out) {
        out.append(encoded, offset[begin], offset[end] - offset[begin]);
        if (end == n) out += kEndOfWord;
    };

    // Symbols are byte ranges [start, end) named by their start; merged-away ones are dead.
    struct Symbol {
        std::size_t end;
        std::size_t previous;
        bool alive;
    };
    std::vector<Symbol> symbols(n);
    for (std::size_t i = 0; i < n; ++i) symbols[i] = {i + 1, i == 0 ? SIZE_MAX : i - 1, true};

    struct Candidate {
        std::int32_t rank;
        std::size_t start, middle, end;
        bool operator>(const Candidate& other) const
        {
            return rank != other.rank ? rank > other.rank : start > other.start;
        }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
    std::string key;
    const auto consider = [&](std::size_t start, std::size_t middle, std::size_t end) {
        key.clear();
        append_symbol(start, middle, key);
        key += ' ';
        append_symbol(middle, end, key);
        const auto it = merge_ranks.find(key);
        if (it != merge_ranks.end()) heap.push({it->second, start, middle, end});
    };
    for (std::size_t i = 0; i + 1 < n; ++i) consider(i, i + 1, i + 2);

    std::vector<Candidate> round;
    while (!heap.empty()) {
        const std::int32_t rank = heap.top().rank;
        round.clear();
        while (!heap.empty() && heap.top().rank == rank) {
            round.push_back(heap.top());
            heap.pop();
        }
        for (const Candidate& c : round) { // left to right; an occurrence overlapped by a merge is stale
            Symbol& left = symbols[c.start];
            const Symbol& right = symbols[c.middle];
            if (!left.alive || left.end != c.middle || !right.alive || right.end != c.end) continue;
            left.end = c.end;
            symbols[c.middle].alive = false;
            if (c.end < n) symbols[c.end].previous = c.start;
            if (c.start > 0) consider(left.previous, c.start, c.end);
            if (c.end < n) consider(c.start, c.end, symbols[c.end].end);
        }
    }

    std::vector<std::int64_t> ids;
    std::string symbol;
    for (std::size_t start = 0; start < n; start = symbols[start].end) {
        symbol.clear();
        append_symbol(start, symbols[start].end, symbol);
        const auto it = encoder.find(symbol);
        ids.push_back(it != encoder.end() ? it->second : eos); // CLIP's unknown token is EOT
    }
    return ids;
}

ClipTokenizer::ClipTokenizer(std::shared_ptr<State> state) : m_state(std::move(state)) {}

ClipTokenizer ClipTokenizer::from_files(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt)
{
    auto state = std::make_shared<State>();

    const std::string vocab_text = read_text_file(vocab_json);
    nlohmann::json vocab;
    try {
        vocab = nlohmann::json::parse(vocab_text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCategory::InvalidInput, "vocabulary '" + path_for_display(vocab_json) +
                                                     "' is not valid JSON (" + e.what() +
                                                     "); restore the model's vocab.json");
    }
    PHOTOTUNE_CHECK(vocab.is_object() && !vocab.empty(), ErrorCategory::InvalidInput,
                    "vocabulary '" + path_for_display(vocab_json) +
                        "' must be a JSON object mapping tokens to ids; restore the model's vocab.json");
    for (const auto& [token, id] : vocab.items()) {
        PHOTOTUNE_CHECK(id.is_number_integer() && id.get<std::int64_t>() >= 0 && id.get<std::int64_t>() < kMaxTokenId,
                        ErrorCategory::InvalidInput,
                        "vocabulary '" + path_for_display(vocab_json) + "': token '" + token +
                            "' has no valid id (" + id.dump() + "); restore the model's vocab.json");
        state->encoder.emplace(token, id.get<std::int64_t>());
        state->decoder.insert_or_assign(id.get<std::int64_t>(), token); // as HF: a repeated id names its last token
    }
    state->bos = required_id(state->encoder, kStartOfText, vocab_json);
    state->eos = required_id(state->encoder, kEndOfText, vocab_json);

    // As CLIPTokenizer reads it: the first line is the "#version" header, then one "first second" per line.
    const std::string merges_text = read_text_file(merges_txt);
    std::size_t line_start = 0;
    std::size_t line_number = 0;
    std::int32_t rank = 0;
    while (line_start < merges_text.size() && static_cast<std::size_t>(rank) < kMaxMerges) {
        std::size_t line_end = merges_text.find('\n', line_start);
        if (line_end == std::string::npos) line_end = merges_text.size();
        std::string_view line(merges_text.data() + line_start, line_end - line_start);
        line_start = line_end + 1;
        ++line_number;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (line.empty() || (line_number == 1 && line.starts_with("#"))) continue;
        const std::size_t space = line.find(' ');
        PHOTOTUNE_CHECK(space != std::string_view::npos && space > 0 && line.find(' ', space + 1) == std::string_view::npos,
                        ErrorCategory::InvalidInput,
                        "merges file '" + path_for_display(merges_txt) + "' line " + std::to_string(line_number) +
                            " is not two symbols separated by a space; restore the model's merges.txt");
        state->merge_ranks.insert_or_assign(std::string(line), rank++); // a repeated pair takes its later rank, as in HF
    }
    PHOTOTUNE_CHECK(rank > 0, ErrorCategory::InvalidInput,
                    "merges file '" + path_for_display(merges_txt) + "' holds no merges; restore the model's merges.txt");

    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error{};
    state->split_pattern.reset(icu::RegexPattern::compile(icu::UnicodeString(kSplitPattern), 0, parse_error, status));
    PHOTOTUNE_CHECK(U_SUCCESS(status) && state->split_pattern, ErrorCategory::Internal,
                    std::string("ICU could not compile the CLIP word pattern: ") + u_errorName(status));
    return ClipTokenizer(std::move(state));
}

ClipTokenizer ClipTokenizer::from_model_dir(const std::filesystem::path& dir)
{
    return from_files(dir / "vocab.json", dir / "merges.txt");
}

std::vector<std::int64_t> ClipTokenizer::encode(std::string_view text) const
{
    std::vector<std::int64_t> ids;
    m_state->encode_text(text, ids);
    return ids;
}

TokenizedText ClipTokenizer::tokenize(std::string_view text, int context_length) const
{
    PHOTOTUNE_CHECK(context_length >= 2, ErrorCategory::InvalidInput,
                    "context length " + std::to_string(context_length) + " leaves no room for the start and end tokens");
    std::vector<std::int64_t> ids = encode(text);
    TokenizedText out;
    out.untruncated_length = static_cast<int>(std::min<std::size_t>(ids.size() + 2, INT_MAX));
    const auto room = static_cast<std::size_t>(context_length - 2);
    out.truncated = ids.size() > room;
    if (out.truncated) ids.resize(room); // keep EOT: the text tower pools there
    out.num_tokens = static_cast<int>(ids.size()) + 2;

    out.input_ids.reserve(context_length);
    out.input_ids.push_back(m_state->bos);
    out.input_ids.insert(out.input_ids.end(), ids.begin(), ids.end());
    out.input_ids.resize(context_length, m_state->eos); // EOT, then EOT as padding
    out.attention_mask.assign(context_length, 0);
    std::fill_n(out.attention_mask.begin(), out.num_tokens, 1);
    return out;
}

std::vector<std::string> ClipTokenizer::bpe_tokens(std::string_view text) const
{
    std::vector<std::string> tokens;
    for (const std::int64_t id : encode(text)) tokens.push_back(m_state->decoder.at(id));
    return tokens;
}

std::int64_t ClipTokenizer::bos_id() const { return m_state->bos; }
std::int64_t ClipTokenizer::eos_id() const { return m_state->eos; }
std::size_t ClipTokenizer::vocab_size() const { return m_state->encoder.size(); }

} // namespace phototune
