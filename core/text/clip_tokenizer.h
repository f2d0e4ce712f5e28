#pragma once
// CLIP's byte-level BPE tokenizer, giving the ids of Hugging Face's CLIPTokenizer (the slow one, with
// ftfy installed) and of OpenAI's clip.tokenize: ftfy-style text repair, whitespace collapse,
// lowercase, CLIP's pre-tokeniser regex, GPT-2 byte-to-unicode mapping, BPE by merge rank with "</w>"
// word ends; then SOT + ids + EOT, truncated to the context keeping EOT, padded with EOT.
// Thread-safe: one instance may tokenise from several threads (the BPE cache is locked). Copies are
// cheap and share the vocabulary and the cache.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

struct TokenizedText {
    std::vector<std::int64_t> input_ids;      // context_length ids: SOT, BPE ids, EOT, then EOT padding
    std::vector<std::int64_t> attention_mask; // 1 for SOT..EOT, 0 for the padding
    int num_tokens = 0;                       // SOT..EOT after truncation
    bool truncated = false;
    int untruncated_length = 0;               // SOT + all BPE ids + EOT
};

class ClipTokenizer {
public:
    // vocab.json (token -> id) and merges.txt ("a b" per line, ranked by line) as CLIPTokenizer saves them.
    static ClipTokenizer from_files(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt);
    // A model folder holding vocab.json and merges.txt; SOT/EOT ids come from the vocabulary.
    static ClipTokenizer from_model_dir(const std::filesystem::path& dir);

    std::vector<std::int64_t> encode(std::string_view text) const; // BPE ids, without SOT/EOT
    TokenizedText tokenize(std::string_view text, int context_length = 77) const;
    std::vector<std::string> bpe_tokens(std::string_view text) const; // the vocabulary strings of encode()

    std::int64_t bos_id() const;
    std::int64_t eos_id() const;
    std::size_t vocab_size() const;

private:
    struct State;
    explicit ClipTokenizer(std::shared_ptr<State> state);
    std::shared_ptr<State> m_state;
};

} // namespace phototune
