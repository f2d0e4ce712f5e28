#!/usr/bin/env bash
# Auto-tagging images/s on this CPU with a ViT-B/32-shaped model (untrained weights: the speed is
# the real model's, the tags are not) over the demo photos and the built-in vocabulary.
# Usage: bench/run_tagging_bench.sh [BUILD_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$build/app/cli/phototune-cli" init-model --preset vit-b-32 --out "$work/model" > /dev/null
echo "$(load_line before)"
out="$("$build/bench/bench_tagging" "$work/model" "$repo/resources/demo" "$work/cache")"
echo "$(load_line after)"
echo "$(value "$out" photos) photos, $(value "$out" terms) terms ($(value "$out" prompts) prompts)"
echo "first run (embeds the vocabulary): $(value "$out" cold_seconds) s, $(value "$out" cold_ips) photos/s"
echo "later runs (vocabulary cached):    $(value "$out" warm_seconds) s, $(value "$out" warm_ips) photos/s"
