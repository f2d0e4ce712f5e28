#!/usr/bin/env bash
# Side by side, in one run: a LoRA training step (r=8 on q_proj,v_proj) of the ViT-B/32-shaped model,
# C++ (bench_train_step) vs Python PyTorch (bench/train_step_ref.py), same threads, one process per row:
# batch 8 and 32; fp32 and bf16; LoRA in both towers, and in the vision tower only (C++ caches the
# frozen text tower's outputs, Python recomputes them as PEFT does); C++ with gradient
# checkpointing, for the memory it saves; and Python given the studio's CPU settings
# (core/model/cpu_runtime.h), to show how much of the difference they make.
# Usage: bench/run_train_bench.sh [build-dir] [threads] [steps] [batch sizes] [precisions]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.sh"
threads="${2:-2}"
steps="${3:-3}"
batches="${4:-8 32}"
precisions="${5:-fp32 bf16}"

row() { printf '%-40s %9s %9s %7s %13s %13s %13s\n' "$@"; }
# cpp_row LABEL CPP_OUTPUT [PY_OUTPUT]
cpp_row() {
  local py="${3:-}"
  row "$1" "$(value "$2" images_per_s)" "$(value "$py" images_per_s)" "$(ratio "$(value "$2" images_per_s)" "$(value "$py" images_per_s)")" \
    "$(value "$2" step_peak_tensor_mib)" "$(value "$2" peak_rss_mib)" "$(value "$py" peak_rss_mib)"
}
cpp_bench() { "$build/bench/bench_train_step" "$threads" "$@"; }
py_bench() { /usr/bin/python3 "$repo/bench/train_step_ref.py" "$(dirname "$ref")" "$threads" "$@"; }

load_line before
row "ViT-B/32 LoRA step, $threads cores" "C++ img/s" "Py img/s" "C++/Py" "C++ step MiB" "C++ RSS MiB" "Py RSS MiB"
for batch in $batches; do
  for precision in $precisions; do
    cpp_row "b$batch $precision LoRA both" "$(cpp_bench "$batch" "$precision" both "$steps")" \
      "$(py_bench "$batch" "$precision" both "$steps")"
    cpp_row "b$batch $precision LoRA vision (C++: text cached)" "$(cpp_bench "$batch" "$precision" vision "$steps")" \
      "$(py_bench "$batch" "$precision" vision "$steps")"
    cpp_row "b$batch $precision both, checkpointing" "$(cpp_bench "$batch" "$precision" both "$steps" checkpointing)"
    py=$(py_bench "$batch" "$precision" both "$steps" studio-runtime)
    row "b$batch $precision both, Py w/ studio CPU settings" "-" "$(value "$py" images_per_s)" "-" "-" "-" "$(value "$py" peak_rss_mib)"
  done
done
load_line after
