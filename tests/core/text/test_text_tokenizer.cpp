// The CLIP tokenizer against HF CLIPTokenizer's golden ids (ftfy path), plus hostile input and errors.
#include "core/text/clip_tokenizer.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "support/fixtures.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <ctime>
#include <optional>
#include <thread>

using namespace phototune;

namespace {

QByteArray describe(const std::vector<std::int64_t>& ids)
{
    QByteArray out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + QByteArray::number(static_cast<qlonglong>(ids[i]));
    return out + "]";
}


} // namespace

class TestTextTokenizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void golden_case_data();
    void golden_case();
    void encode_has_no_special_tokens();
    void shipped_files_are_the_clip_bpe();
    void text_repairs_match_ftfy();
    void html_is_left_alone_next_to_markup();
    void invalid_utf8_is_deterministic();
    void long_text_is_truncated_keeping_eot();
    void long_single_word_is_fast_enough_to_finish();
    void custom_context_length();
    void concurrent_use_gives_the_same_ids();
    void vocab_that_is_not_json_names_the_file();
    void vocab_without_special_tokens_is_refused();
    void missing_merges_names_the_file();
    void speed();

private:
    nlohmann::json m_cases;
    std::optional<ClipTokenizer> m_tokenizer;
};

void TestTextTokenizer::initTestCase()
{
    PHOTOTUNE_REQUIRE_FIXTURE(cases_path, "tokenizer_cases.json");
    PHOTOTUNE_REQUIRE_FIXTURE(model_dir, "tiny-clip");
    m_cases = nlohmann::json::parse(read_text_file(cases_path))["cases"];
    QCOMPARE(m_cases.size(), std::size_t{43});
    m_tokenizer = ClipTokenizer::from_model_dir(model_dir);
    QCOMPARE(m_tokenizer->vocab_size(), std::size_t{49408});
    QCOMPARE(m_tokenizer->bos_id(), std::int64_t{49406});
    QCOMPARE(m_tokenizer->eos_id(), std::int64_t{49407});
}

void TestTextTokenizer::golden_case_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < m_cases.size(); ++i)
        QTest::newRow(m_cases[i]["id"].dump().c_str()) << static_cast<int>(i);
}

void TestTextTokenizer::golden_case()
{
    QFETCH(int, index);
    const nlohmann::json& c = m_cases[static_cast<std::size_t>(index)];
    const std::string text = c["text"].get<std::string>();
    const TokenizedText t = m_tokenizer->tokenize(text);
    const auto expected = c["input_ids"].get<std::vector<std::int64_t>>();
    if (t.input_ids != expected)
        QFAIL(("text " + QByteArray::fromStdString(c["text"].dump()) + "\n got      " + describe(t.input_ids) +
               "\n expected " + describe(expected))
                  .constData());
    QCOMPARE(t.attention_mask, c["attention_mask"].get<std::vector<std::int64_t>>());
    QCOMPARE(t.num_tokens, c["num_tokens"].get<int>());
    QCOMPARE(t.truncated, c["truncated"].get<bool>());
    QCOMPARE(t.untruncated_length, c["untruncated_length"].get<int>());
    // `tokens` spells the unpadded ids: SOT, the BPE strings (truncated), EOT.
    std::vector<std::string> tokens = m_tokenizer->bpe_tokens(text);
    tokens.resize(static_cast<std::size_t>(t.num_tokens - 2));
    tokens.insert(tokens.begin(), "<|startoftext|>");
    tokens.push_back("<|endoftext|>");
    QCOMPARE(tokens, c["tokens"].get<std::vector<std::string>>());
}

void TestTextTokenizer::encode_has_no_special_tokens()
{
    const TokenizedText t = m_tokenizer->tokenize("a photo of a cat");
    const std::vector<std::int64_t> inner(t.input_ids.begin() + 1, t.input_ids.begin() + t.num_tokens - 1);
    QCOMPARE(m_tokenizer->encode("a photo of a cat"), inner);
    QVERIFY(m_tokenizer->encode("").empty());
    QCOMPARE(m_tokenizer->encode("<|endoftext|>"), std::vector<std::int64_t>{49407});
}

void TestTextTokenizer::shipped_files_are_the_clip_bpe()
{
    const std::filesystem::path dir = std::filesystem::path(PHOTOTUNE_SOURCE_DIR) / "resources/tokenizer";
    const ClipTokenizer shipped = ClipTokenizer::from_files(dir / "vocab.json", dir / "merges.txt");
    QCOMPARE(shipped.vocab_size(), std::size_t{49408});
    for (const auto& c : m_cases)
        QCOMPARE(shipped.tokenize(c["text"].get<std::string>()).input_ids, c["input_ids"].get<std::vector<std::int64_t>>());
}

// Each pair must tokenise alike: the ftfy repair (or the lowercase) maps the first onto the second.
void TestTextTokenizer::text_repairs_match_ftfy()
{
    const std::pair<const char*, const char*> pairs[] = {
        {"\xEF\xAC\x81ne \xEF\xAC\x82ow", "fine flow"},              // ligatures
        {"\xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xAC\xEF\xBC\xAC", "full"}, // fullwidth
        {"\xEF\xBD\xB6\xEF\xBE\x9E", "\xE3\x82\xAC"},                 // halfwidth katakana + voiced mark -> ガ (NFC)
        {"cafe\xCC\x81", "caf\xC3\xA9"},                              // NFC
        {"\xE2\x80\x9Cquoted\xE2\x80\x9D it\xE2\x80\x99s", "\"quoted\" it's"},
        {"&EACUTE;t&eacute;", "\xC3\x89t\xC3\xA9"},                   // entity names, also upper-cased
        {"&#x41;&#66;&#0067;", "abc"},                                // numeric references
        {"&amp;amp;", "&"},                                           // repaired until nothing changes
        {"&#150; dash", "\xE2\x80\x93 dash"},                         // C1 reference read as Windows-1252
        {"\xC2\x93quoted\xC2\x94", "\"quoted\""},                     // C1 controls read as Windows-1252
        {"\x1B[31mred\x1B[0m alert", "red alert"},                    // terminal escapes
        {"zero\xEF\xBB\xBFwidth\x07", "zerowidth"},                   // BOM and BEL removed
        {"a\xC2\xA0\xE3\x80\x80" "b\xE2\x80\xA8" "c", "a b c"},       // Unicode spaces collapse
        {"\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3", "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82"}, // final sigma
        {"ST\xC3\x84" "DTE", "st\xC3\xA4" "dte"},
    };
    for (const auto& [input, expected] : pairs) {
        const auto got = m_tokenizer->encode(input);
        const auto want = m_tokenizer->encode(expected);
        if (got != want)
            QFAIL(QByteArray("'") + input + "' -> " + describe(got) + ", expected like '" + expected + "' " +
                  describe(want));
    }
    QVERIFY(m_tokenizer->encode("&amp") != m_tokenizer->encode("&")); // no ';': not an entity for ftfy
    // ftfy does not compatibility-normalise everything: superscripts and circled letters stay.
    QVERIFY(m_tokenizer->encode("x\xC2\xB2") != m_tokenizer->encode("x2"));
    QVERIFY(m_tokenizer->encode("\xE2\x93\x90") != m_tokenizer->encode("a"));
}

void TestTextTokenizer::html_is_left_alone_next_to_markup()
{
    // A literal '<' makes ftfy treat the line as HTML and keep its entities...
    const auto tokens = m_tokenizer->bpe_tokens("<b>&amp;</b>");
    QVERIFY(std::find(tokens.begin(), tokens.end(), "amp</w>") != tokens.end());
    // ...but HF cuts literal special tokens off first, so they do not count as markup.
    QCOMPARE(m_tokenizer->encode("tom &amp; jerry<|endoftext|>"), m_tokenizer->encode("tom & jerry<|endoftext|>"));
    // An escaped special token is a special token once unescaped, as in HF and OpenAI.
    QCOMPARE(m_tokenizer->encode("&lt;|endoftext|&gt;"), std::vector<std::int64_t>{49407});
}

void TestTextTokenizer::invalid_utf8_is_deterministic()
{
    using namespace std::string_literals;
    const std::string hostile = "caf\xC3 \xFF\xFE\x80 ok \xED\xA0\x80 \xF4\x90\x80\x80 end\0zero"s;
    const TokenizedText first = m_tokenizer->tokenize(hostile);
    const TokenizedText second = ClipTokenizer::from_model_dir(PHOTOTUNE_SOURCE_DIR "/resources/tokenizer").tokenize(hostile);
    QCOMPARE(first.input_ids, second.input_ids);
    QCOMPARE(first.input_ids.front(), std::int64_t{49406});
    QCOMPARE(first.input_ids[first.num_tokens - 1], std::int64_t{49407});
    // Ill-formed bytes read as U+FFFD, as Python's errors="replace" would give.
    QCOMPARE(m_tokenizer->encode("a\xFF" "b"), m_tokenizer->encode("a\xEF\xBF\xBD" "b"));
}

void TestTextTokenizer::long_text_is_truncated_keeping_eot()
{
    std::string text;
    while (text.size() < 100 * 1024) text += "A photo of my dog Rex, 35mm, golden hour; caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC! ";
    const TokenizedText t = m_tokenizer->tokenize(text);
    QVERIFY(t.truncated);
    QCOMPARE(t.num_tokens, 77);
    QVERIFY(t.untruncated_length > 20000);
    QCOMPARE(t.input_ids.size(), std::size_t{77});
    QCOMPARE(t.input_ids[76], std::int64_t{49407});
    QCOMPARE(t.attention_mask, std::vector<std::int64_t>(77, 1));
    const auto all = m_tokenizer->encode(text);
    QCOMPARE(static_cast<int>(all.size()) + 2, t.untruncated_length);
    QCOMPARE(std::vector<std::int64_t>(t.input_ids.begin() + 1, t.input_ids.begin() + 76),
             std::vector<std::int64_t>(all.begin(), all.begin() + 75));
}

void TestTextTokenizer::long_single_word_is_fast_enough_to_finish()
{
    std::string word;
    while (word.size() < 100 * 1024) word += "supercalifragilistic";
    const auto ids = m_tokenizer->encode(word);
    QVERIFY(ids.size() > 1000);
    QCOMPARE(m_tokenizer->encode(word), ids); // now from the cache
}

void TestTextTokenizer::custom_context_length()
{
    const TokenizedText t = m_tokenizer->tokenize("one two three four five six seven eight nine", 6);
    QCOMPARE(t.input_ids.size(), std::size_t{6});
    QVERIFY(t.truncated);
    QCOMPARE(t.untruncated_length, 11);
    QCOMPARE(t.input_ids.back(), std::int64_t{49407});
    QVERIFY_THROWS_EXCEPTION(Error, m_tokenizer->tokenize("x", 1));
}

void TestTextTokenizer::concurrent_use_gives_the_same_ids()
{
    const ClipTokenizer fresh = ClipTokenizer::from_model_dir(PHOTOTUNE_SOURCE_DIR "/resources/tokenizer");
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 3; ++round)
                for (const auto& c : m_cases)
                    if (fresh.tokenize(c["text"].get<std::string>()).input_ids != c["input_ids"].get<std::vector<std::int64_t>>())
                        ++mismatches[t];
        });
    for (auto& thread : threads) thread.join();
    QCOMPARE(mismatches, std::vector<int>(4, 0));
}

void TestTextTokenizer::vocab_that_is_not_json_names_the_file()
{
    QTemporaryDir dir;
    const std::filesystem::path vocab = dir.path().toStdString() + "/vocab.json";
    write_file_atomic(vocab, "{\"a\": 1, oops");
    try {
        ClipTokenizer::from_files(vocab, PHOTOTUNE_SOURCE_DIR "/resources/tokenizer/merges.txt");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::InvalidInput);
        QVERIFY2(std::string(e.what()).find(path_for_display(vocab)) != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("not valid JSON") != std::string::npos, e.what());
    }
}

void TestTextTokenizer::vocab_without_special_tokens_is_refused()
{
    QTemporaryDir dir;
    const std::filesystem::path vocab = dir.path().toStdString() + "/vocab.json";
    write_file_atomic(vocab, "{\"a</w>\": 0, \"b</w>\": 1}");
    QVERIFY_THROWS_EXCEPTION(Error, ClipTokenizer::from_files(vocab, PHOTOTUNE_SOURCE_DIR "/resources/tokenizer/merges.txt"));
    write_file_atomic(vocab, "[1, 2]");
    QVERIFY_THROWS_EXCEPTION(Error, ClipTokenizer::from_files(vocab, PHOTOTUNE_SOURCE_DIR "/resources/tokenizer/merges.txt"));
    write_file_atomic(vocab, "{\"<|startoftext|>\": -3, \"<|endoftext|>\": 1}");
    QVERIFY_THROWS_EXCEPTION(Error, ClipTokenizer::from_files(vocab, PHOTOTUNE_SOURCE_DIR "/resources/tokenizer/merges.txt"));
}

void TestTextTokenizer::missing_merges_names_the_file()
{
    QTemporaryDir dir;
    std::filesystem::copy_file(PHOTOTUNE_SOURCE_DIR "/resources/tokenizer/vocab.json", dir.path().toStdString() + "/vocab.json");
    try {
        ClipTokenizer::from_model_dir(dir.path().toStdString());
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY2(std::string(e.what()).find("merges.txt") != std::string::npos, e.what());
    }
    const std::filesystem::path merges = dir.path().toStdString() + "/merges.txt";
    write_file_atomic(merges, "#version: 0.2\ni n\nthree symbols here\n");
    try {
        ClipTokenizer::from_model_dir(dir.path().toStdString());
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::InvalidInput);
        QVERIFY2(std::string(e.what()).find("line 3") != std::string::npos, e.what());
    }
}

// Prints figures only; timing never decides the outcome. CPU time, so that a busy machine does not
// distort the figure.
void TestTextTokenizer::speed()
{
    std::vector<std::string> texts;
    for (const auto& c : m_cases) texts.push_back(c["text"].get<std::string>());
    std::string essay;
    while (essay.size() < 10 * 1024) essay += "A hobbyist's photo of a dog, 35mm, golden hour. ";
    const auto measure = [&](const ClipTokenizer& tokenizer, const std::vector<std::string>& inputs, int rounds) {
        const std::clock_t start = std::clock();
        for (int r = 0; r < rounds; ++r)
            for (const auto& text : inputs) tokenizer.tokenize(text);
        const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
        return rounds * inputs.size() / std::max(seconds, 1e-9);
    };
    const ClipTokenizer cold = ClipTokenizer::from_model_dir(PHOTOTUNE_SOURCE_DIR "/resources/tokenizer");
    const double first = measure(cold, texts, 1);
    const double warm = measure(cold, texts, 200);
    const double essays = measure(cold, {essay}, 20);
    qInfo("tokenize, CPU time: %.0f texts/s with an empty BPE cache, %.0f texts/s warm (the 43 golden texts); "
          "%.0f texts/s for 10 KB texts",
          first, warm, essays);
}

QTEST_GUILESS_MAIN(TestTextTokenizer)
#include "test_text_tokenizer.moc"
