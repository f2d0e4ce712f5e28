#!/usr/bin/env bash
# Side by side, in one run: ViT-B/32-shaped inference at batch 32, C++ (LibTorch) vs Python PyTorch,
# same thread count. Usage: bench/run_inference_bench.sh [build-dir] [threads]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.sh"
threads="${2:-2}"

cpp=$("$build/bench/bench_inference" "$threads" 32 3)
py=$(/usr/bin/python3 "$repo/bench/clip_inference_ref.py" --ref "$ref" --threads "$threads" --batch 32)

printf '%-28s %12s %12s %8s\n' "ViT-B/32, batch 32, ${threads} threads" "C++" "Python" "C++/Py"
for key in images_per_s texts_per_s; do
  c=$(value "$cpp" $key); p=$(value "$py" $key)
  printf "%-28s %12s %12s %8s\n" "$key" "$c" "$p" "$(ratio "$c" "$p")"
done
printf '%-28s %12s %12s\n' "peak RSS (MiB)" "$(value "$cpp" peak_rss_mib)" "$(value "$py" peak_rss_mib)"
