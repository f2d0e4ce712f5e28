#include "core/train/run_folder.h"

#include "core/io/tensor_io.h"
#include "core/lora/lora_targets.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <ATen/ATen.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace phototune {
namespace {

constexpr const char* kPartialPrefix = ".partial-";
constexpr const char* kStepPrefix = "step-";

std::optional<std::int64_t> step_of(const std::string& name)
{
    if (name.rfind(kStepPrefix, 0) != 0 || name.size() <= std::strlen(kStepPrefix)) return std::nullopt;
    const std::string digits = name.substr(std::strlen(kStepPrefix));
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) || digits.size() > 12)
        return std::nullopt;
    return std::stoll(digits);
}

} // namespace

std::string checkpoint_name(std::int64_t step)
{
    std::string digits = std::to_string(step);
    if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
    return kStepPrefix + digits;
}

RunFolder::RunFolder(std::filesystem::path dir) : m_dir(std::move(dir)) {}

RunFolder::~RunFolder()
{
    close_metrics();
}

void RunFolder::close_metrics()
{
    if (m_metrics) std::fclose(m_metrics);
    m_metrics = nullptr;
}

bool RunFolder::has_run() const
{
    std::error_code error;
    return std::filesystem::exists(run_json_path(), error);
}

void RunFolder::create(const std::string& run_json)
{
    std::error_code error;
    PHOTOTUNE_CHECK(!has_run(), ErrorCategory::InvalidInput,
                    "'" + path_for_display(m_dir) + "' already holds a run; resume it (--resume) or choose another --out folder");
    if (std::filesystem::exists(m_dir, error)) {
        PHOTOTUNE_CHECK(std::filesystem::is_directory(m_dir, error) && std::filesystem::is_empty(m_dir, error),
                        ErrorCategory::InvalidInput,
                        "'" + path_for_display(m_dir) + "' is not an empty folder; choose a new --out folder for the run");
    }
    std::filesystem::create_directories(checkpoints_dir(), error);
    PHOTOTUNE_CHECK(!error, ErrorCategory::Io,
                    "cannot create the run folder '" + path_for_display(m_dir) + "': " + error.message() +
                        "; choose a writable --out folder");
    write_run_json(run_json);
}

void RunFolder::write_run_json(const std::string& run_json)
{
    write_file_atomic(run_json_path(), run_json);
}

void RunFolder::append_metric(const std::string& json_line)
{
    if (!m_metrics) {
#ifdef _WIN32
        // path::c_str() is wchar_t on Windows: the wide call keeps non-ASCII folder names.
        m_metrics = _wfopen(metrics_path().c_str(), L"ab");
#else
        m_metrics = std::fopen(metrics_path().c_str(), "ab");
#endif
        PHOTOTUNE_CHECK(m_metrics != nullptr, ErrorCategory::Io,
                        "cannot open '" + path_for_display(metrics_path()) + "' for writing: " + std::strerror(errno));
    }
    const std::string line = json_line + "\n";
    const bool written = std::fwrite(line.data(), 1, line.size(), m_metrics) == line.size() && std::fflush(m_metrics) == 0;
    if (!written) {
        const std::string reason = std::strerror(errno);
        close_metrics();
        throw Error(ErrorCategory::Io, "cannot append to '" + path_for_display(metrics_path()) + "': " + reason +
                                           "; free disk space, then resume the run");
    }
}

void RunFolder::truncate_metrics_after(std::int64_t step)
{
    close_metrics();
    std::error_code error;
    if (!std::filesystem::exists(metrics_path(), error)) return;
    std::istringstream lines(read_text_file(metrics_path()));
    std::string kept;
    for (std::string line; std::getline(lines, line);) {
        const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (record.is_discarded() || !record.is_object()) continue; // torn by a crash
        if (record.value("step", std::int64_t{0}) <= step) kept += line + "\n";
    }
    write_file_atomic(metrics_path(), kept);
}

CheckpointRef RunFolder::write_checkpoint(std::int64_t step, const CheckpointContents& contents, int keep,
                                          std::int64_t protected_step)
{
    const std::string name = checkpoint_name(step);
    const auto partial = checkpoints_dir() / (kPartialPrefix + name);
    const auto target = checkpoints_dir() / name;
    const auto previous = latest_checkpoint();
    try {
        std::filesystem::remove_all(partial);
        std::filesystem::create_directories(partial);
        save_safetensors(partial / "lora.safetensors", contents.lora, {{"format", "pt"}, {"phototune_step", std::to_string(step)}});
        std::vector<std::pair<std::string, at::Tensor>> state(contents.training_state.begin(), contents.training_state.end());
        save_safetensors(partial / "optimizer.safetensors", state, {{"format", "pt"}});
        write_file_atomic(partial / "trainer_state.json", contents.trainer_state_json);
        // Re-writing a step (stopped right after resuming): the old copy goes only once the new one is in place.
        const auto replaced = checkpoints_dir() / (std::string(kPartialPrefix) + "old-" + name);
        const bool exists = std::filesystem::exists(target);
        if (exists) std::filesystem::rename(target, replaced);
        std::filesystem::rename(partial, target);
        if (exists) std::filesystem::remove_all(replaced);
    } catch (const std::exception& e) {
        std::error_code ignored;
        std::filesystem::remove_all(partial, ignored);
        throw Error(ErrorCategory::Io,
                    "could not write checkpoint " + name + " into '" + path_for_display(checkpoints_dir()) + "': " + e.what() +
                        (previous ? "; the previous checkpoint " + checkpoint_name(previous->step) + " is intact"
                                  : std::string("; no earlier checkpoint exists")) +
                        ". Free disk space or make the folder writable, then resume the run");
    }
    std::error_code error;
    auto all = checkpoints();
    const auto surplus = static_cast<std::ptrdiff_t>(all.size()) - keep;
    for (std::ptrdiff_t i = 0; i < surplus; ++i)
        if (all[static_cast<std::size_t>(i)].step != protected_step && all[static_cast<std::size_t>(i)].step != step)
            std::filesystem::remove_all(all[static_cast<std::size_t>(i)].folder, error);
    return {step, target};
}

std::vector<CheckpointRef> RunFolder::checkpoints() const
{
    std::vector<CheckpointRef> found;
    std::error_code error;
    for (std::filesystem::directory_iterator it(checkpoints_dir(), error), end; !error && it != end; it.increment(error)) {
        const auto step = step_of(path_for_display(it->path().filename()));
        if (step && std::filesystem::exists(it->path() / "trainer_state.json")) found.push_back({*step, it->path()});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.step < b.step; });
    return found;
}

std::optional<CheckpointRef> RunFolder::latest_checkpoint() const
{
    auto all = checkpoints();
    if (all.empty()) return std::nullopt;
    return all.back();
}

void RunFolder::mark_best(std::int64_t step)
{
    write_file_atomic(checkpoints_dir() / "best.json", nlohmann::json{{"step", step}}.dump() + "\n");
}

std::optional<std::int64_t> RunFolder::best_step() const
{
    std::error_code error;
    const auto path = checkpoints_dir() / "best.json";
    if (!std::filesystem::exists(path, error)) return std::nullopt;
    const auto record = nlohmann::json::parse(read_text_file(path), nullptr, false);
    if (!record.is_object() || !record.contains("step") || !record["step"].is_number_integer()) return std::nullopt;
    return record["step"].get<std::int64_t>();
}

void restore_lora_weights(ClipModelImpl& model, const std::filesystem::path& lora_file)
{
    const auto saved = load_safetensors(lora_file);
    at::NoGradGuard no_grad;
    for (auto& [name, parameter] : trainable_parameters(model)) {
        const auto found = saved.find(name);
        PHOTOTUNE_CHECK(found != saved.end() && found->second.sizes() == parameter.sizes(), ErrorCategory::InvalidInput,
                        "'" + path_for_display(lora_file) + "' has no tensor '" + name +
                            "' of the run's shape; the checkpoint does not belong to this run's LoRA settings");
        parameter.copy_(found->second);
    }
}

} // namespace phototune
