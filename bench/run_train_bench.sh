#!/usr/bin/env bash
# Side by side, in one run: a LoRA training step (r=8 on q_proj,v_proj) of the ViT-B/32-shaped
# model, C++ (LibTorch) vs Python PyTorch (shared/tools/clip_torch_ref.py bench, fp32, both towers),
# same thread count, batch 8 and 32, fp32 and bf16, plus C++ with the frozen text tower cached.
# Usage: bench/run_train_bench.sh [build-dir] [threads] [steps] [batch sizes, default "8 32"]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$repo/build}"
threads="${2:-2}"
steps="${3:-3}"
batches="${4:-8 32}"
ref="${PHOTOTUNE_REFERENCE:-$repo/../shared/tools/clip_torch_ref.py}"
value() { awk -v k="$2" '$2 == k { print $3 }' <<<"$1"; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
printf '%-34s %10s %12s %14s %12s\n' "ViT-B/32 LoRA step, ${threads} threads" "images/s" "s/step" "step peak MiB" "peak RSS MiB"
for batch in $batches; do
  py=$(/usr/bin/python3 "$ref" bench --batch "$batch" --threads "$threads" --steps "$steps" --warmup 1 --infer-steps 1)
  py_ips=$(sed -n 's/.* \([0-9.]*\) images\/s .*/\1/p' <<<"$py" | head -1)
  py_sps=$(sed -n 's/.*median \([0-9.]*\) s\/step.*/\1/p' <<<"$py")
  py_rss=$(sed -n 's/^peak RSS \([0-9]*\) MiB.*/\1/p' <<<"$py")
  printf '%-34s %10s %12s %14s %12s\n' "python fp32 both   batch $batch" "$py_ips" "$py_sps" "-" "$py_rss"
  for config in "fp32 both" "bf16 both" "fp32 vision" "bf16 vision"; do
    set -- $config
    out=$("$build/bench/bench_train_step" "$threads" "$batch" "$1" "$2" "$steps")
    label="c++    $1 $2"; [[ $2 == vision ]] && label="c++    $1 vision+text cache"
    printf '%-34s %10s %12s %14s %12s\n' "$label batch $batch" "$(value "$out" images_per_s)" \
      "$(value "$out" seconds_per_step)" "$(value "$out" step_peak_tensor_mib)" "$(value "$out" peak_rss_mib)"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
