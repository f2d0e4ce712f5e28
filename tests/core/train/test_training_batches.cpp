// Training batches: from the crop cache they are bit for bit the batches of decoding; the
// background prefetcher gives the schedule's batches in any order of asking; augmentation is a
// pure function of (seed, step), differs from the plain crops and never reads the cache. A project
// file's edits (exclusions, captions, sides) are what training sees.
#include "core/data/project_file.h"
#include "core/train/training_data.h"

#include "shapes_dataset.h"

#include <ATen/ATen.h>

#include <algorithm>

#include <QTemporaryDir>
#include <QtTest>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

ClipTokenizer tokenizer()
{
    return ClipTokenizer::from_model_dir(resources_dir() / "tokenizer");
}

bool same_batch(const TrainBatch& a, const TrainBatch& b)
{
    return at::equal(a.pixel_values, b.pixel_values) && at::equal(a.input_ids, b.input_ids) &&
           at::equal(a.group_ids, b.group_ids) && a.photo_ids == b.photo_ids;
}

} // namespace

class TrainingBatchesTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_data;
    ClipImageProcessorConfig m_processor;

private Q_SLOTS:
    void initTestCase()
    {
        m_data = fs::path(m_dir.path().toStdString()) / "shapes";
        test::write_shapes_dataset(m_data, 4, 7);
        m_processor.shortest_edge = m_processor.crop_width = m_processor.crop_height = 64;
    }

    void cachedBatchesEqualDecodedBatches()
    {
        CropCache uncached({}, m_processor, true);
        CropCache cache(fs::path(m_dir.path().toStdString()) / "cache", m_processor, true);
        const TrainingData decoded = load_training_data(m_data, uncached, 0.25, 3);
        const TrainingData filling = load_training_data(m_data, cache, 0.25, 3);
        QCOMPARE(cache.stats().hits, std::size_t{0});
        const TrainingData cached = load_training_data(m_data, cache, 0.25, 3);
        QCOMPARE(cache.stats().hits, decoded.train.size() + decoded.validation.size());

        CaptionTokens tokens(tokenizer(), 77);
        const auto steps_per_epoch = static_cast<std::int64_t>(decoded.train.size() / 8);
        BatchSchedule from_decoding(decoded, 3, 8, steps_per_epoch);
        BatchSchedule from_cache(cached, 3, 8, steps_per_epoch);
        for (std::int64_t step = 0; step < 6; ++step)
            QVERIFY(same_batch(from_decoding.batch_for_step(step, m_processor, tokens),
                               from_cache.batch_for_step(step, m_processor, tokens)));
        QVERIFY(filling.train.size() == cached.train.size());
    }

    void prefetchedBatchesAreTheScheduleBatches()
    {
        CropCache uncached({}, m_processor, true);
        const TrainingData data = load_training_data(m_data, uncached, 0.25, 5);
        CaptionTokens tokens(tokenizer(), 77);
        const auto steps_per_epoch = static_cast<std::int64_t>(data.train.size() / 6);
        BatchSchedule reference(data, 5, 6, steps_per_epoch);
        BatchPrefetcher prefetcher(BatchSchedule(data, 5, 6, steps_per_epoch), m_processor, CaptionTokens(tokenizer(), 77), 20);
        // In order (each one prefetched), then a jump back and a jump ahead (built on the spot).
        for (const std::int64_t step : {0, 1, 2, 3, 1, 7, 8, 19})
            QVERIFY(same_batch(prefetcher.batch_for_step(step), reference.batch_for_step(step, m_processor, tokens)));
    }

    void augmentationIsDeterministicAndBypassesTheCache()
    {
        CropCache cache(fs::path(m_dir.path().toStdString()) / "augment-cache", m_processor, true);
        const TrainingData data = load_training_data(m_data, cache, 0.25, 9);
        const std::size_t entries_before = cache.stats().misses;
        AugmentOptions augment;
        augment.enabled = true;
        augment.min_area = 0.5;
        CaptionTokens tokens(tokenizer(), 77);
        const auto steps_per_epoch = static_cast<std::int64_t>(data.train.size() / 8);
        BatchSchedule plain(data, 9, 8, steps_per_epoch);
        BatchSchedule first(data, 9, 8, steps_per_epoch, augment);
        BatchSchedule second(data, 9, 8, steps_per_epoch, augment);
        for (std::int64_t step = 0; step < 2 * steps_per_epoch + 1; ++step) {
            const TrainBatch a = first.batch_for_step(step, m_processor, tokens);
            QVERIFY(same_batch(a, second.batch_for_step(step, m_processor, tokens)));
            const TrainBatch p = plain.batch_for_step(step, m_processor, tokens);
            QCOMPARE(a.photo_ids, p.photo_ids);                  // the same photos ...
            QVERIFY(!at::equal(a.pixel_values, p.pixel_values)); // ... seen differently
        }
        // Epochs differ: the same photo gets another crop in the next epoch.
        const TrainBatch epoch0 = first.batch_for_step(0, m_processor, tokens);
        const TrainBatch epoch1 = first.batch_for_step(steps_per_epoch, m_processor, tokens);
        QVERIFY(!at::equal(epoch0.pixel_values, epoch1.pixel_values));
        QCOMPARE(cache.stats().misses, entries_before); // augmented crops are never stored
        QCOMPARE(cache.stats().hits, std::size_t{0});
    }

    void projectEditsAreWhatTrainingSees()
    {
        ScanOptions options;
        options.decode = false;
        Project project = project_from_scan(scan_dataset({m_data}, options), {0.25, 3});
        QVERIFY(project.items.size() >= 4);
        project.items[0].excluded = true;
        project.items[1].captions = {"an edited caption"};
        project.items[2].split = Split::Validation;
        project.items[3].split = Split::Train;
        const fs::path file = fs::path(m_dir.path().toStdString()) / "shapes.phototune.json";
        save_project(project, file);

        CropCache uncached({}, m_processor, true);
        const TrainingData data = load_training_data_from_project(file, uncached);
        QCOMPARE(data.train.size() + data.validation.size(), project.items.size() - 1);
        const auto find = [&](const std::vector<TrainingPhoto>& side, const std::string& relative) {
            return std::find_if(side.begin(), side.end(), [&](const TrainingPhoto& p) { return p.relative_path == relative; });
        };
        const auto& excluded = project.items[0].relative_path;
        QVERIFY(find(data.train, excluded) == data.train.end() && find(data.validation, excluded) == data.validation.end());
        QVERIFY(find(data.validation, project.items[2].relative_path) != data.validation.end());
        QVERIFY(find(data.train, project.items[3].relative_path) != data.train.end());
        const auto& edited = project.items[1];
        const auto& side = edited.split == Split::Train ? data.train : data.validation;
        const auto photo = find(side, edited.relative_path);
        QVERIFY(photo != side.end());
        QCOMPARE(photo->captions, std::vector<std::string>{"an edited caption"});
        QCOMPARE(data.skipped_files, std::size_t{1});
    }

    void augmentedCropsHaveTheCropSize()
    {
        RgbImage photo{300, 120, std::vector<std::uint8_t>(300 * 120 * 3, 90)};
        AugmentOptions augment;
        augment.enabled = true;
        for (std::uint64_t draw = 0; draw < 50; ++draw) {
            const RgbImage crop = augmented_crop(photo, m_processor, augment, draw);
            QCOMPARE(crop.width, 64);
            QCOMPARE(crop.height, 64);
        }
    }
};

QTEST_GUILESS_MAIN(TrainingBatchesTest)
#include "test_training_batches.moc"
