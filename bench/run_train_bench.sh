#!/usr/bin/env bash
# Side by side, in one run: a LoRA training step (r=8 on q_proj,v_proj) of the ViT-B/32-shaped model,
# C++ (bench_train_step) vs Python PyTorch (bench/train_step_ref.py), same threads, one process per row:
# batch 8 and 32; fp32 and bf16; LoRA in both towers, and in the vision tower only (C++ caches the
# frozen text tower's outputs, Python recomputes them as PEFT does); and C++ with gradient
# checkpointing, for the memory it saves.
# Usage: bench/run_train_bench.sh [build-dir] [threads] [steps] [batch sizes] [precisions]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.sh"
threads="${2:-2}"
steps="${3:-3}"
batches="${4:-8 32}"
precisions="${5:-fp32 bf16}"

load_line before
printf '%-30s %9s %9s %7s %13s %13s %13s\n' "ViT-B/32 LoRA step, $threads thr" "C++ img/s" "Py img/s" "C++/Py" \
  "C++ step MiB" "C++ RSS MiB" "Py RSS MiB"
for batch in $batches; do
  for precision in $precisions; do
    for towers in both vision; do
      cpp=$("$build/bench/bench_train_step" "$threads" "$batch" "$precision" "$towers" "$steps")
      py=$(/usr/bin/python3 "$repo/bench/train_step_ref.py" "$(dirname "$ref")" "$threads" "$batch" "$precision" "$towers" "$steps")
      label="b$batch $precision LoRA $towers"
      [[ $towers == vision ]] && label="$label (C++: text cached)"
      printf '%-30s %9s %9s %7s %13s %13s %13s\n' "$label" "$(value "$cpp" images_per_s)" "$(value "$py" images_per_s)" \
        "$(ratio "$(value "$cpp" images_per_s)" "$(value "$py" images_per_s)")" "$(value "$cpp" step_peak_tensor_mib)" \
        "$(value "$cpp" peak_rss_mib)" "$(value "$py" peak_rss_mib)"
    done
    cpp=$("$build/bench/bench_train_step" "$threads" "$batch" "$precision" both "$steps" checkpointing)
    printf '%-30s %9s %9s %7s %13s %13s %13s\n' "b$batch $precision both, checkpointing" "$(value "$cpp" images_per_s)" "-" "-" \
      "$(value "$cpp" step_peak_tensor_mib)" "$(value "$cpp" peak_rss_mib)" "-"
  done
done
load_line after
