// Auto-captioning: the shipped vocabulary parses and is broad, user terms merge, captions compose
// from the template, and tagging on the fixture model runs end to end with output that does not
// depend on the run, the batch size or whether the vocabulary's embeddings came from the cache.
#include "core/api/captioning.h"

#include "../train/shapes_dataset.h"
#include "support/fixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <set>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> terms_of(const PhotoTags& tagged)
{
    std::vector<std::string> terms;
    for (const auto& tag : tagged.tags) terms.push_back(tag.term);
    return terms;
}

} // namespace

class CaptioningTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void builtinVocabularyCoversPhotoConcepts()
    {
        const auto vocabulary = builtin_vocabulary();
        QVERIFY2(vocabulary, vocabulary ? "" : vocabulary.failure().message.c_str());
        QVERIFY(vocabulary->term_count() >= 300);
        std::set<std::string> groups;
        std::set<std::string> terms;
        for (const auto& group : vocabulary->groups) {
            groups.insert(group.name);
            QVERIFY(!group.templates.empty());
            for (const auto& term : group.terms) QVERIFY2(terms.insert(term).second, term.c_str()); // no repeats
        }
        for (const char* expected : {"people", "animals", "objects", "scenes", "weather", "time of day", "lighting", "style", "colours"})
            QVERIFY2(groups.count(expected), expected);
        for (const auto& group : vocabulary->groups)
            if (group.name == "time of day" || group.name == "weather") QVERIFY(group.at_most_one);
    }

    void userTermsMergeWithoutRepeats()
    {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "mine.txt";
        std::ofstream(file) << "# my cats\nMochi the cat\nDog\n\nmochi THE cat\n  Namsan Tower  \n";
        auto vocabulary = builtin_vocabulary();
        QVERIFY(vocabulary);
        const std::size_t before = vocabulary->term_count();
        QVERIFY(merge_user_terms(*vocabulary, file));
        QCOMPARE(vocabulary->term_count(), before + 2); // "Dog" is already there, the repeat is dropped
        QCOMPARE(vocabulary->groups.back().name, std::string("user"));
        QCOMPARE(vocabulary->groups.back().terms, (std::vector<std::string>{"Mochi the cat", "Namsan Tower"}));
    }

    void badVocabularyFilesNameTheLine()
    {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "bad.txt";
        std::ofstream(file) << "## things\n@templates a photo of a thing.\ncat\n";
        const auto loaded = load_vocabulary(file);
        QVERIFY(!loaded);
        QVERIFY(loaded.failure().message.find("line 2") != std::string::npos);
        QVERIFY(loaded.failure().message.find("{}") != std::string::npos);
    }

    void captionsComposeFromTheTemplate()
    {
        const std::string t = default_caption_template;
        QCOMPARE(compose_caption(t, "cat", {"sofa", "indoor"}), std::string("a photo of cat, sofa, indoor"));
        QCOMPARE(compose_caption(t, "cat", {}), std::string("a photo of cat"));
        QCOMPARE(compose_caption(t, "", {"beach", "sunset"}), std::string("a photo of beach, sunset"));
        QCOMPARE(compose_caption(t, "", {}), std::string("a photo of"));
        QCOMPARE(compose_caption("{tags} | {label}", "dog", {"grass"}), std::string("grass | dog"));
    }

    void taggingOnTheFixtureModelIsStable()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(model_dir, "tiny-clip");
        PHOTOTUNE_REQUIRE_FIXTURE(images_dir, "images");
        auto engine = ClipEngine::load(model_dir, DevicePreference::Cpu);
        QVERIFY2(engine, engine ? "" : engine.failure().message.c_str());
        auto vocabulary = builtin_vocabulary();
        QVERIFY(vocabulary);
        std::vector<fs::path> photos;
        for (const char* name : {"img_640x480.jpg", "img_200x300.png", "img_gray_257x191.jpg", "img_rgba_333x222.png"})
            photos.push_back(images_dir / name);

        QTemporaryDir cache;
        TagOptions options;
        options.top_k = 4;
        options.min_score = 1.0;
        options.text_cache_dir = cache.path().toStdString();
        options.batch.batch_size = 4;
        std::vector<std::size_t> progress;
        options.batch.progress = [&](std::size_t done, std::size_t) { progress.push_back(done); };
        const auto first = tag_photos(**engine, photos, *vocabulary, options);
        QVERIFY2(first, first ? "" : first.failure().message.c_str());
        QVERIFY(!first->text_embeddings_from_cache);
        QCOMPARE(first->photos.size(), photos.size());
        QVERIFY(!progress.empty() && progress.back() == photos.size());

        options.batch.batch_size = 1;
        options.batch.progress = nullptr;
        const auto second = tag_photos(**engine, photos, *vocabulary, options);
        QVERIFY(second);
        QVERIFY(second->text_embeddings_from_cache);
        for (std::size_t i = 0; i < photos.size(); ++i) {
            const auto& tags = first->photos[i].tags;
            QVERIFY(!tags.empty() && tags.size() <= 4);
            QCOMPARE(terms_of(second->photos[i]), terms_of(first->photos[i]));
            std::set<std::string> single_groups;
            for (std::size_t k = 0; k < tags.size(); ++k) {
                QVERIFY(tags[k].score >= 1.0f);
                if (k > 0) QVERIFY(tags[k - 1].similarity >= tags[k].similarity);
                if (tags[k].group == "time of day" || tags[k].group == "weather" || tags[k].group == "season")
                    QVERIFY2(single_groups.insert(tags[k].group).second, "two terms of a one-term group");
            }
        }

        // A damaged cache file is embedded again, with the same result.
        for (const auto& entry : fs::directory_iterator(options.text_cache_dir)) fs::resize_file(entry.path(), 10);
        const auto third = tag_photos(**engine, photos, *vocabulary, options);
        QVERIFY(third);
        QVERIFY(!third->text_embeddings_from_cache);
        QCOMPARE(terms_of(third->photos[0]), terms_of(first->photos[0]));
    }

    void captioningAProjectKeepsWhatThePersonWrote()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(model_dir, "tiny-clip");
        auto engine = ClipEngine::load(model_dir, DevicePreference::Cpu);
        QVERIFY(engine);
        auto vocabulary = builtin_vocabulary();
        QVERIFY(vocabulary);
        QTemporaryDir dir;
        const fs::path data = fs::path(dir.path().toStdString()) / "shapes";
        test::write_shapes_dataset(data, 1, 4);
        for (const auto& entry : fs::directory_iterator(data / "red circle"))
            if (entry.path().extension() == ".txt") fs::remove(entry.path()); // this photo has no caption yet
        auto project = PhotoProject::from_scan(ScanRequest{{data}, false});
        QVERIFY2(project, project ? "" : project.failure().message.c_str());
        std::size_t red_circle = project->size(), excluded = project->size();
        for (std::size_t i = 0; i < project->size(); ++i) {
            if (project->photo(i).label == "red circle") red_circle = i;
            if (project->photo(i).label == "blue square") excluded = i;
        }
        QVERIFY(red_circle < project->size() && excluded < project->size());
        project->set_excluded({excluded}, true, "blurry");
        project->set_tags(red_circle, {"my own tag"});

        CaptionOptions options;
        options.tagging.min_score = 1.0;
        options.tagging.top_k = 2;
        options.tagging.text_cache_dir = fs::path(dir.path().toStdString()) / "cache";
        const auto report = caption_project(**engine, *project, *vocabulary, options);
        QVERIFY2(report, report ? "" : report.failure().message.c_str());
        QCOMPARE(report->photos.size(), project->size() - 1); // the excluded photo is left alone
        QCOMPARE(report->kept_existing, project->size() - 2);  // all but the red circle had captions
        QVERIFY(project->photo(excluded).tags.empty());
        for (const auto& captioned : report->photos) {
            const ProjectPhoto photo = project->photo(captioned.index);
            QCOMPARE(photo.captions, captioned.captions);
            QCOMPARE(photo.tags.size(), captioned.tags.size() + (captioned.index == red_circle ? 1 : 0));
            if (captioned.index == red_circle) QCOMPARE(photo.tags.front(), std::string("my own tag")); // kept, first
            QCOMPARE(captioned.token_counts.size(), captioned.captions.size());
            QVERIFY(!captioned.too_long);
            if (captioned.index == red_circle) {
                QVERIFY(!captioned.kept_existing_captions);
                QVERIFY(captioned.captions.front().rfind("a photo of red circle", 0) == 0);
            } else {
                QCOMPARE(captioned.captions.size(), std::size_t{2}); // the sidecar's two lines
            }
        }

        options.replace_captions = true;
        options.caption_template = "{label}";
        const auto replaced = caption_project(**engine, *project, *vocabulary, options);
        QVERIFY(replaced);
        QCOMPARE(replaced->kept_existing, std::size_t{0});
        const auto tags = project->photo(red_circle).tags;
        QVERIFY(std::find(tags.begin(), tags.end(), "my own tag") == tags.end()); // replaced as well
        for (const auto& captioned : replaced->photos)
            QCOMPARE(project->photo(captioned.index).captions, std::vector<std::string>{project->photo(captioned.index).label});
    }

    void tokenCountsFlagLongCaptions()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(model_dir, "tiny-clip");
        auto engine = ClipEngine::load(model_dir, DevicePreference::Cpu);
        QVERIFY(engine);
        std::string long_caption = "a photo of";
        for (int i = 0; i < 100; ++i) long_caption += " cat";
        const auto counts = (*engine)->token_counts({"a photo of a cat", long_caption});
        QVERIFY(counts);
        QCOMPARE((*counts)[0], 7); // SOT a photo of a cat EOT
        QCOMPARE((*counts)[1], 105);
    }
};

QTEST_GUILESS_MAIN(CaptioningTest)
#include "test_captioning.moc"
