#!/usr/bin/env bash
# Decode + preprocess images/s per core for 12 MP JPEGs: C++ full-size decoding, reduced-size
# decoding, first epoch through the crop cache and cached epochs, next to Pillow + the
# CLIPImageProcessor steps in Python (with and without Pillow's draft mode), in one run.
# Usage: bench/run_decode_bench.sh [BUILD_DIR] [PHOTOS (default 24)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.sh"
count="${2:-24}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$repo/bench/make_12mp_jpegs.py" "$repo/resources/demo" "$work/photos" "$count"
echo "$(load_line before)"
cpp="$(taskset -c 0 "$build/bench/bench_decode" "$work/photos" "$work/cache")"
py="$(taskset -c 0 /usr/bin/python3 "$repo/bench/decode_ref.py" "$work/photos")"
echo "$(load_line after)"
full="$(value "$cpp" full_ips)"
echo "$count JPEGs of 12 MP, one core; images/s (x: over C++ full-size decoding)"
printf '| %-40s | %8s | %6s |\n' "path" "images/s" "x"
printf '| %-40s | %8s | %6s |\n' "---" "---:" "---:"
row() { printf '| %-40s | %8s | %6s |\n' "$1" "$2" "$(ratio "$2" "$full")"; }
row "C++ full-size decode + preprocess" "$full"
row "C++ reduced-size decode + preprocess" "$(value "$cpp" reduced_ips)"
row "C++ first epoch through the crop cache" "$(value "$cpp" first_epoch_ips)"
row "C++ cached epoch" "$(value "$cpp" cached_ips)"
row "Python Pillow + CLIP preprocessing" "$(value "$py" full_ips)"
row "Python Pillow draft mode + preprocessing" "$(value "$py" draft_ips)"
echo "reduced vs full decoding, crop pixels: mean |difference| $(value "$cpp" reduced_mean_abs_diff) levels, worst $(value "$cpp" reduced_max_abs_diff)"
echo "cached epoch vs first epoch: $(ratio "$(value "$cpp" cached_ips)" "$(value "$cpp" first_epoch_ips)")x"
