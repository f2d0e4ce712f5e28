#!/usr/bin/env bash
# The memory and time model against measured training steps over a grid of plans: model shapes
# from the tiny preset to ViT-B/32 (full depth, and its layer shapes at depth 2 for batch 64),
# batch 1-64, rank 4-64, checkpointing on/off, a frozen tower cached / not cached / trained,
# gradient accumulation and bf16 autocast. Runs in about 5 minutes on 2 cores. The device rates are
# measured afresh at the start (an empty cache folder), so rates and steps see the same load.
# Usage: bench/run_memory_grid.sh [build-dir] [threads]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.sh"
threads="${2:-2}"
PHOTOTUNE_CACHE_DIR="$(mktemp -d)"
export PHOTOTUNE_CACHE_DIR
trap 'rm -rf "$PHOTOTUNE_CACHE_DIR"' EXIT
echo "$(load_line "before")"
plans=(
  preset=tiny,batch=1,rank=4
  preset=tiny,batch=16,rank=8
  preset=tiny,batch=64,rank=64
  preset=tiny,batch=64,rank=8,ckpt=1
  preset=small,batch=4,rank=8
  preset=small,batch=16,rank=4
  preset=small,batch=16,rank=64
  preset=small,batch=64,rank=8
  preset=small,batch=64,rank=8,ckpt=1
  preset=small,batch=32,rank=8,towers=vision
  preset=small,batch=32,rank=8,towers=vision,cache=0
  preset=small,batch=32,rank=8,towers=text
  preset=small,batch=32,rank=16,targets=q_proj+k_proj+v_proj+out_proj+fc1+fc2
  preset=small,batch=32,rank=8,accum=4
  preset=small,batch=16,rank=8,precision=bf16
  preset=vit-b-32,layers=2,batch=16,rank=16
  preset=vit-b-32,layers=2,batch=64,rank=8
  preset=vit-b-32,layers=2,batch=64,rank=8,ckpt=1
  preset=vit-b-32,batch=8,rank=8
  preset=vit-b-32,batch=8,rank=8,ckpt=1
  preset=vit-b-32,batch=16,rank=8,towers=vision
  preset=vit-b-32,batch=32,rank=8,ckpt=1
)
"$build/bench/bench_memory_model" --threads "$threads" --steps 2 "${plans[@]}"
echo "$(load_line "after")"
