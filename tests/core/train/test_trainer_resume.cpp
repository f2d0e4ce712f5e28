// Run folders, resume and failures: a run stopped after k steps and resumed computes bit for bit
// the losses of an uninterrupted one (also after `phototune-cli train` is killed with SIGKILL),
// NaN stops with the last good checkpoint, cancel and pause act between steps, run.json and
// metrics.jsonl hold what they promise, and a failing checkpoint write leaves the previous one.
#include "core/api/training.h"
#include "core/data/image_hash.h"
#include "core/io/safetensors.h"
#include "core/io/tensor_io.h"
#include "core/train/memory_counter.h"

#include "shapes_dataset.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

using namespace phototune;

namespace {

struct Recorder : TrainObserver {
    std::vector<TrainStepEvent> steps;
    std::vector<TrainEvalEvent> evals;
    std::vector<TrainCheckpointEvent> checkpoints;
    std::vector<std::string> logs;
    std::function<void(const TrainStepEvent&)> after_step;
    std::function<void(const TrainCheckpointEvent&)> after_checkpoint;
    std::function<void(const std::string&)> after_log;
    void on_step(const TrainStepEvent& e) override
    {
        steps.push_back(e);
        if (after_step) after_step(e);
    }
    void on_eval(const TrainEvalEvent& e) override { evals.push_back(e); }
    void on_checkpoint(const TrainCheckpointEvent& e) override
    {
        checkpoints.push_back(e);
        if (after_checkpoint) after_checkpoint(e);
    }
    void on_log(TrainLogLevel, const std::string& message) override
    {
        logs.push_back(message);
        if (after_log) after_log(message);
    }
};

std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& file)
{
    std::vector<nlohmann::json> lines;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

// step -> loss from metrics.jsonl; every step must appear exactly once.
std::vector<double> losses_of(const std::filesystem::path& run)
{
    std::vector<double> losses;
    for (const auto& line : read_jsonl(run / "metrics.jsonl")) {
        if (line["event"] != "step") continue;
        const auto step = line["step"].get<std::size_t>();
        if (step != losses.size() + 1) return {}; // a gap or a repeat
        losses.push_back(line["loss"].get<double>());
    }
    return losses;
}

QString str(const std::filesystem::path& path)
{
    return QString::fromStdString(path.string());
}

} // namespace

class TestTrainerResume : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void resume_equals_uninterrupted();
    void run_folder_contents();
    void run_history_reads_the_folder();
    void continue_for_more_epochs();
    void sigkill_then_resume_equals_uninterrupted();
    void nan_stops_and_keeps_last_good_checkpoint();
    void cancel_and_pause_between_steps();
    void failed_checkpoint_write_keeps_previous();
    void unwritable_run_folder_is_a_clear_error();
    void out_of_memory_says_what_fits();

private:
    TrainConfig base_config(const std::string& run_name) const;

    QTemporaryDir m_tmp;
    std::filesystem::path m_root;
    std::filesystem::path m_uninterrupted;
};

void TestTrainerResume::initTestCase()
{
    m_root = m_tmp.path().toStdString();
    test::write_shapes_dataset(m_root / "data", 4, 3);
    test::write_untrained_model(m_root / "model", "tiny", 2);
}

TrainConfig TestTrainerResume::base_config(const std::string& run_name) const
{
    TrainConfig c;
    c.model_dir = m_root / "model";
    c.data_dir = m_root / "data";
    c.run_dir = m_root / run_name;
    c.rank = 4;
    c.alpha = 8;
    c.dropout = 0.1; // draws random numbers every step: resume must reproduce them
    c.steps = 12;
    c.batch = 8;
    c.lr = 1e-3;
    c.warmup = 3;
    c.seed = 7;
    c.eval_every = 5;
    c.save_every = 4;
    return c;
}

void TestTrainerResume::resume_equals_uninterrupted()
{
    Recorder full;
    const auto whole = run_training(base_config("whole"), full);
    QVERIFY2(whole.status == TrainStatus::Finished, whole.failure.message.c_str());
    m_uninterrupted = m_root / "whole";

    // Stop after step 5 (a cancel writes a checkpoint of step 5), then resume.
    CancelToken cancel;
    Recorder first;
    first.after_step = [&](const TrainStepEvent& e) {
        if (e.step == 5) cancel.request_cancel();
    };
    const auto stopped = run_training(base_config("parts"), first, cancel);
    QCOMPARE(stopped.status, TrainStatus::Cancelled);
    QCOMPARE(stopped.steps_done, std::int64_t{5});
    QVERIFY(std::filesystem::exists(m_root / "parts/checkpoints/step-000005/trainer_state.json"));

    auto config = base_config("parts");
    config.resume = true;
    config.model_dir.clear(); // run.json supplies everything
    config.data_dir.clear();
    Recorder second;
    const auto resumed = run_training(config, second);
    QVERIFY2(resumed.status == TrainStatus::Finished, resumed.failure.message.c_str());
    QCOMPARE(second.steps.front().step, std::int64_t{6});

    std::vector<double> expected, actual;
    for (const auto& e : full.steps) expected.push_back(e.loss);
    for (const auto& e : first.steps) actual.push_back(e.loss);
    for (const auto& e : second.steps) actual.push_back(e.loss);
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(actual[i] == expected[i], qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(actual[i], 0, 'g', 17).arg(expected[i], 0, 'g', 17)));
    QCOMPARE(losses_of(m_root / "parts"), losses_of(m_root / "whole")); // the metrics file too, without repeats
    QCOMPARE(second.steps.back().ema_loss, full.steps.back().ema_loss);

    const auto a = load_safetensors(m_root / "whole/adapter/adapter_model.safetensors");
    const auto b = load_safetensors(m_root / "parts/adapter/adapter_model.safetensors");
    QCOMPARE(a.size(), b.size());
    for (const auto& [name, tensor] : a) QVERIFY2(at::equal(tensor, b.at(name)), name.c_str());
}

void TestTrainerResume::run_folder_contents()
{
    QVERIFY(!m_uninterrupted.empty());
    const auto run = nlohmann::json::parse(std::ifstream(m_uninterrupted / "run.json"));
    QCOMPARE(run["schema_version"].get<int>(), 1);
    QCOMPARE(run["config"]["rank"].get<int>(), 4);
    QCOMPARE(run["config"]["seed"].get<int>(), 7);
    QCOMPARE(run["config"]["targets"], nlohmann::json({"q_proj", "v_proj"}));
    QCOMPARE(run["plan"]["total_steps"].get<int>(), 12);
    QCOMPARE(run["plan"]["schedule"][0]["warmup_steps"].get<int>(), 3);

    const auto lines = read_jsonl(m_uninterrupted / "metrics.jsonl");
    int steps = 0, evals = 0;
    for (const auto& line : lines) {
        if (line["event"] == "step") {
            ++steps;
            QVERIFY(line.contains("loss") && line.contains("ema_loss") && line.contains("lr") && line.contains("images_per_second"));
        } else {
            QCOMPARE(line["event"].get<std::string>(), std::string("eval"));
            ++evals;
            QVERIFY(line["val_accuracy"].get<double>() >= 0.0);
            QVERIFY(line["retention_accuracy"].get<double>() >= 0.0); // resources/retention is found
        }
    }
    QCOMPARE(steps, 12);
    QCOMPARE(evals, 4); // base model, steps 5, 10, 12
    QVERIFY(lines.front()["event"] == "eval" && lines.front()["base_model"] == true);

    // The newest 2 checkpoints (the best one is kept besides), each complete.
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(m_uninterrupted / "checkpoints"))
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    QVERIFY2(names.size() >= 2 && names.size() <= 3, qPrintable(QString::number(names.size())));
    QCOMPARE(names.back(), std::string("step-000012"));
    for (const auto& name : names) {
        const auto folder = m_uninterrupted / "checkpoints" / name;
        QVERIFY(!name.starts_with(".partial"));
        QVERIFY(std::filesystem::exists(folder / "lora.safetensors"));
        QVERIFY(load_safetensors(folder / "optimizer.safetensors").count(
            "optimizer.exp_avg.base_model.model.vision_model.encoder.layers.0.self_attn.q_proj.lora_A.weight"));
        const auto state = nlohmann::json::parse(std::ifstream(folder / "trainer_state.json"));
        QCOMPARE("step-" + QString::number(state["step"].get<int>()).rightJustified(6, '0').toStdString(), name);
    }
    QVERIFY(std::filesystem::exists(m_uninterrupted / "adapter/adapter_config.json"));

    // Where the adapter came from, in its safetensors metadata (and the same on export).
    const auto metadata = SafetensorsFile::open(m_uninterrupted / "adapter/adapter_model.safetensors").metadata();
    QCOMPARE(metadata.at("format"), std::string("pt"));
    QCOMPARE(metadata.at("phototune_steps"), std::string("12"));
    QCOMPARE(metadata.at("phototune_seed"), std::string("7"));
    QCOMPARE(metadata.at("base_model_sha256"), to_hex(sha256_of_file(m_root / "model/model.safetensors")));
    QVERIFY(metadata.at("base_model_licence").starts_with("none: an untrained model"));
    const auto labels = nlohmann::json::parse(metadata.at("dataset_labels"));
    QCOMPARE(labels.size(), std::size_t{12}); // 4 colours x 3 shapes, 4 photos each
    int photos = 0;
    for (const auto& [label, count] : labels.items()) photos += count.get<int>();
    QCOMPARE(photos, 48);
    QCOMPARE(metadata.at("dataset_photos"), std::string("48"));
    QVERIFY(!metadata.at("phototune_version").empty());
    QVERIFY(metadata.at("phototune_date").ends_with("Z"));
    const auto exported = export_run(m_uninterrupted, m_root / "exported-metadata");
    QVERIFY(exported.ok());
    const auto again = SafetensorsFile::open(m_root / "exported-metadata/adapter_model.safetensors").metadata();
    for (const char* key : {"base_model_sha256", "dataset_labels", "phototune_date", "phototune_steps"}) {
        QCOMPARE(again.at(key), metadata.at(key));
        QCOMPARE(exported->metadata.at(key), metadata.at(key)); // what the Export step shows
    }
    // The loading snippet names the exported folder and the base model's folder (not in the Hugging
    // Face cache, so not by a Hub id that would not load).
    QVERIFY(exported->python_snippet.find("PeftModel.from_pretrained(base, \"" +
                                          (m_root / "exported-metadata").string() + "\")") != std::string::npos);
    QVERIFY(exported->python_snippet.find("CLIPModel.from_pretrained(\"" + (m_root / "model").string() + "\")") !=
            std::string::npos);
}

void TestTrainerResume::run_history_reads_the_folder()
{
    QVERIFY(!m_uninterrupted.empty());
    const auto whole = read_run_history(m_uninterrupted);
    if (!whole.ok()) QFAIL(whole.failure().message.c_str());
    QCOMPARE(whole->config.rank, 4);
    QCOMPARE(whole->config.seed, std::uint64_t{7});
    QCOMPARE(whole->total_steps, std::int64_t{12});
    QCOMPARE(whole->steps.size(), std::size_t{12});
    for (std::size_t i = 0; i < whole->steps.size(); ++i) QCOMPARE(whole->steps[i].step, std::int64_t(i + 1));
    QCOMPARE(whole->evaluations.size(), std::size_t{4});
    QVERIFY(whole->evaluations.front().base_model);
    QVERIFY(!whole->evaluations.back().predictions.empty());
    QVERIFY(!whole->evaluations.back().predictions.front().top.empty());
    QCOMPARE(whole->latest_checkpoint_step, std::int64_t{12});
    // A best checkpoint is marked exactly when an evaluation after training started was the best so far.
    const auto best_eval = std::find_if(whole->evaluations.begin(), whole->evaluations.end(),
                                        [](const TrainEvalEvent& e) { return e.best && !e.base_model; });
    QCOMPARE(whole->best_step > 0, best_eval != whole->evaluations.end());
    QVERIFY(whole->finished);

    // The stopped-and-resumed run tells the same story (the resumed part does not repeat steps).
    const auto parts = read_run_history(m_root / "parts");
    if (!parts.ok()) QFAIL(parts.failure().message.c_str());
    QCOMPARE(parts->steps.size(), whole->steps.size());
    for (std::size_t i = 0; i < parts->steps.size(); ++i) QCOMPARE(parts->steps[i].loss, whole->steps[i].loss);

    // A killed run's half-written last line is not an error; a folder without a run is.
    const auto metrics = m_root / "parts/metrics.jsonl";
    std::ofstream(metrics, std::ios::app) << R"({"event":"step","step":13,"lo)";
    QVERIFY(read_run_history(m_root / "parts").ok());
    const auto missing = read_run_history(m_root / "no-such-run");
    QVERIFY(!missing.ok());
    QCOMPARE(missing.failure().category, ErrorCategory::NotFound);
}

void TestTrainerResume::continue_for_more_epochs()
{
    auto config = base_config("whole");
    config.resume = true;
    Recorder refused;
    QCOMPARE(run_training(config, refused).status, TrainStatus::Failed); // finished: nothing to resume

    config.extra_epochs = 1; // one more epoch: a new warm-up + cosine segment
    Recorder more;
    const auto outcome = run_training(config, more);
    QVERIFY2(outcome.status == TrainStatus::Finished, outcome.failure.message.c_str());
    QVERIFY(outcome.total_steps > 12);
    QCOMPARE(more.steps.front().step, std::int64_t{13});
    QCOMPARE(losses_of(m_root / "whole").size(), static_cast<std::size_t>(outcome.total_steps));
    const auto run = nlohmann::json::parse(std::ifstream(m_root / "whole/run.json"));
    QCOMPARE(run["plan"]["schedule"].size(), std::size_t{2});
    m_uninterrupted.clear();
}

void TestTrainerResume::sigkill_then_resume_equals_uninterrupted()
{
    const auto args = [&](const std::string& run) {
        return QStringList{"train", "--model", str(m_root / "model"), "--data", str(m_root / "data"), "--out", str(m_root / run),
                           "--rank", "4", "--alpha", "8", "--dropout", "0.1", "--steps", "40", "--batch", "8",
                           "--lr", "1e-3", "--warmup", "3", "--seed", "9", "--eval-every", "100", "--save-every", "3",
                           "--events", "jsonl"};
    };
    QProcess whole;
    whole.start(QStringLiteral(PHOTOTUNE_CLI_PATH), args("cli-whole"));
    QVERIFY(whole.waitForFinished(600000));
    QVERIFY2(whole.exitCode() == 0, whole.readAllStandardError().constData());

    QProcess killed;
    killed.start(QStringLiteral(PHOTOTUNE_CLI_PATH), args("cli-killed"));
    QVERIFY(killed.waitForStarted());
    bool saw_checkpoint = false;
    while (!saw_checkpoint && killed.state() == QProcess::Running && killed.waitForReadyRead(600000)) {
        while (killed.canReadLine())
            if (killed.readLine().contains("\"event\":\"checkpoint\"")) saw_checkpoint = true;
    }
    QVERIFY(saw_checkpoint);
    killed.kill(); // SIGKILL, in the middle of a later step
    QVERIFY(killed.waitForFinished());
    QCOMPARE(killed.exitStatus(), QProcess::CrashExit);
    QVERIFY(!std::filesystem::exists(m_root / "cli-killed/adapter"));

    QProcess resumed;
    resumed.start(QStringLiteral(PHOTOTUNE_CLI_PATH), {"train", "--out", str(m_root / "cli-killed"), "--resume"});
    QVERIFY(resumed.waitForFinished(600000));
    QVERIFY2(resumed.exitCode() == 0, resumed.readAllStandardError().constData());
    const auto expected = losses_of(m_root / "cli-whole");
    QCOMPARE(expected.size(), std::size_t{40});
    QCOMPARE(losses_of(m_root / "cli-killed"), expected);
}

void TestTrainerResume::nan_stops_and_keeps_last_good_checkpoint()
{
    auto config = base_config("nan");
    config.lr = 1e12;
    config.warmup = 0;
    config.save_every = 1;
    config.max_grad_norm = 0;
    Recorder recorder;
    const auto outcome = run_training(config, recorder);
    QCOMPARE(outcome.status, TrainStatus::Diverged);
    QVERIFY(outcome.steps_done < 12);
    const std::string diverged_step = std::to_string(outcome.steps_done + 1);
    QVERIFY2(outcome.failure.message.find("at step " + diverged_step) != std::string::npos, outcome.failure.message.c_str());
    QVERIFY(outcome.failure.message.find("--lr") != std::string::npos);
    QVERIFY(!std::filesystem::exists(m_root / "nan/adapter"));
    QCOMPARE(recorder.checkpoints.size(), static_cast<std::size_t>(outcome.steps_done));
    if (outcome.steps_done > 0) {
        QCOMPARE(outcome.last_checkpoint.filename().string(), "step-" + std::string(6 - std::to_string(outcome.steps_done).size(), '0') +
                                                                   std::to_string(outcome.steps_done));
        QVERIFY(std::filesystem::exists(outcome.last_checkpoint / "trainer_state.json"));
    }
    qInfo("lr 1e12 diverged at step %s: %s", diverged_step.c_str(), outcome.failure.message.c_str());
}

void TestTrainerResume::cancel_and_pause_between_steps()
{
    auto config = base_config("paused");
    config.save_every = 100;
    CancelToken cancel;
    PauseToken pause;
    Recorder recorder;
    std::mutex mutex;
    std::condition_variable changed;
    bool paused_logged = false;
    std::int64_t steps_when_paused = -1;
    recorder.after_step = [&](const TrainStepEvent& e) {
        if (e.step == 2) pause.pause();
        if (e.step == 4) cancel.request_cancel();
    };
    recorder.after_log = [&](const std::string& message) {
        if (message.rfind("paused at step", 0) != 0) return;
        const std::lock_guard lock(mutex);
        paused_logged = true;
        steps_when_paused = static_cast<std::int64_t>(recorder.steps.size());
        changed.notify_all();
    };
    TrainOutcome outcome;
    std::thread worker([&] { outcome = run_training(config, recorder, cancel, pause); });
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return paused_logged; });
    }
    QCOMPARE(steps_when_paused, std::int64_t{2});
    QVERIFY(pause.paused());
    pause.resume();
    worker.join();
    QCOMPARE(outcome.status, TrainStatus::Cancelled);
    QCOMPARE(outcome.steps_done, std::int64_t{4});
    QCOMPARE(recorder.steps.size(), std::size_t{4});
    QVERIFY(std::filesystem::exists(m_root / "paused/checkpoints/step-000004/lora.safetensors"));
    QVERIFY(!std::filesystem::exists(m_root / "paused/adapter"));

    // Cancel while paused returns without waiting for a resume.
    auto again = config;
    again.run_dir = m_root / "paused-cancelled";
    CancelToken cancel2;
    PauseToken pause2;
    Recorder second;
    second.after_step = [&](const TrainStepEvent& e) {
        if (e.step == 1) {
            pause2.pause();
            cancel2.request_cancel();
        }
    };
    const auto stopped = run_training(again, second, cancel2, pause2);
    QCOMPARE(stopped.status, TrainStatus::Cancelled);
    QCOMPARE(stopped.steps_done, std::int64_t{1});
}

// A write failure during a checkpoint (here: the file-size limit, which root obeys, standing in for
// a full disk or a quota; write() fails with EFBIG) stops the run with an Io failure that says the
// previous checkpoint is intact, and that checkpoint still loads.
void TestTrainerResume::failed_checkpoint_write_keeps_previous()
{
    auto config = base_config("diskfull");
    config.save_every = 2;
    config.eval_every = 100;
    rlimit original{};
    QVERIFY(getrlimit(RLIMIT_FSIZE, &original) == 0);
    std::signal(SIGXFSZ, SIG_IGN);
    Recorder recorder;
    recorder.after_checkpoint = [&](const TrainCheckpointEvent& e) {
        if (e.step != 2) return;
        // Room for a few more metrics lines, not for another lora.safetensors.
        const auto metrics = std::filesystem::file_size(m_root / "diskfull/metrics.jsonl");
        const auto lora = std::filesystem::file_size(e.folder / "lora.safetensors");
        QVERIFY(lora > 8000);
        rlimit limit = original;
        limit.rlim_cur = static_cast<rlim_t>(std::max<std::uintmax_t>(metrics + 4000, 6000));
        QVERIFY(setrlimit(RLIMIT_FSIZE, &limit) == 0);
    };
    const auto outcome = run_training(config, recorder);
    QVERIFY(setrlimit(RLIMIT_FSIZE, &original) == 0);
    std::signal(SIGXFSZ, SIG_DFL);
    QCOMPARE(outcome.status, TrainStatus::Failed);
    QCOMPARE(outcome.failure.category, ErrorCategory::Io);
    QVERIFY2(outcome.failure.message.find("step-000004") != std::string::npos &&
                 outcome.failure.message.find("step-000002 is intact") != std::string::npos,
             outcome.failure.message.c_str());
    QVERIFY(!std::filesystem::exists(m_root / "diskfull/checkpoints/step-000004"));
    QVERIFY(!std::filesystem::exists(m_root / "diskfull/checkpoints/.partial-step-000004"));
    QVERIFY(!load_safetensors(m_root / "diskfull/checkpoints/step-000002/lora.safetensors").empty());

    // And the run resumes from it.
    config.resume = true;
    Recorder resumed;
    const auto finished = run_training(config, resumed);
    QVERIFY2(finished.status == TrainStatus::Finished, finished.failure.message.c_str());
    QCOMPARE(resumed.steps.front().step, std::int64_t{3});
}

// A run folder under a regular file cannot be created (ENOTDIR; root ignores permissions, so this
// stands in for a read-only place).
void TestTrainerResume::unwritable_run_folder_is_a_clear_error()
{
    std::ofstream(m_root / "a-file") << "not a folder";
    auto config = base_config("a-file/run");
    Recorder recorder;
    const auto outcome = run_training(config, recorder);
    QCOMPARE(outcome.status, TrainStatus::Failed);
    QCOMPARE(outcome.failure.category, ErrorCategory::Io);
    QVERIFY2(outcome.failure.message.find("a-file/run") != std::string::npos, outcome.failure.message.c_str());
}

QTEST_GUILESS_MAIN(TestTrainerResume)
// --memory-limit between what batch 2 and batch 8 need: batch 8 fails at its first step with
// advice that was measured, and the advised setting then trains within the same limit.
void TestTrainerResume::out_of_memory_says_what_fits()
{
    auto& memory = CpuMemoryCounter::install();
    const auto peak_bytes = [&](int batch) {
        auto config = base_config("measure-" + std::to_string(batch));
        config.batch = batch;
        config.steps = 2;
        Recorder recorder;
        memory.reset_peak();
        const std::size_t before = memory.current_bytes();
        const auto outcome = run_training(config, recorder);
        return outcome.status == TrainStatus::Finished ? memory.peak_bytes() - before : 0;
    };
    const std::size_t small = peak_bytes(2), large = peak_bytes(8);
    QVERIFY(small > 0 && large > small);
    const std::uint64_t limit = memory.current_bytes() + (small + large) / 2;
    qInfo("peak tensor memory: batch 2 %zu KiB, batch 8 %zu KiB; limit %llu KiB", small >> 10, large >> 10,
          static_cast<unsigned long long>(limit >> 10));

    auto config = base_config("out-of-memory");
    config.memory_limit = limit;
    Recorder refused;
    const auto outcome = run_training(config, refused);
    QCOMPARE(outcome.status, TrainStatus::Failed);
    QCOMPARE(outcome.failure.category, ErrorCategory::OutOfMemory);
    const std::string& advice = outcome.failure.message;
    qInfo("%s", advice.c_str());
    QVERIFY2(advice.find("training step 1 ran out of memory") != std::string::npos, advice.c_str());
    const auto at = advice.find("Measured to fit: --batch ");
    QVERIFY2(at != std::string::npos, advice.c_str());
    const int advised = std::stoi(advice.substr(at + std::strlen("Measured to fit: --batch ")));
    QVERIFY(advised >= 2 && advised < 8);

    auto fitting = base_config("fits");
    fitting.memory_limit = limit;
    fitting.batch = advised;
    Recorder trained;
    const auto fit = run_training(fitting, trained);
    QVERIFY2(fit.status == TrainStatus::Finished, fit.failure.message.c_str());
    memory.set_limit(0);
}

#include "test_trainer_resume.moc"
