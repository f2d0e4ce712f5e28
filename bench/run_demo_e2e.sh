#!/usr/bin/env bash
# End to end, side by side: a 10-epoch LoRA run (r=8, alpha 16, q_proj+v_proj in both towers,
# batch 32) on the demo photos (resources/demo) of an untrained "small" model, from photos to an
# exported adapter: `phototune-cli train` + `export` (each photo decoded once, evaluations and
# checkpoints included) vs bench/demo_e2e_ref.py (PyTorch, PIL decoding every photo every epoch).
# Usage: bench/run_demo_e2e.sh [build-dir] [epochs] [batch] [rank]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.sh"
epochs="${2:-10}"
batch="${3:-32}"
rank="${4:-8}"
cli="$build/app/cli/phototune-cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

load_line before
"$cli" init-model --preset small --out "$work/model" --seed 1 >/dev/null 2>&1

start=$(date +%s.%N)
"$cli" train --model "$work/model" --data "$repo/resources/demo" --out "$work/run" --epochs "$epochs" --batch "$batch" \
  --rank "$rank" --alpha $((2 * rank)) --seed 0 2>"$work/train.log"
"$cli" export --run "$work/run" --out "$work/adapter" 2>>"$work/train.log"
end=$(date +%s.%N)
grep -E '^(photos|plan|finished)' "$work/train.log" || true
cpp=$(echo "$end - $start" | bc)

py_out=$(/usr/bin/python3 "$repo/bench/demo_e2e_ref.py" --model "$work/model" --data "$repo/resources/demo" --out "$work/py-adapter" \
  --cli "$cli" --reference "$ref" --epochs "$epochs" --batch "$batch" --rank "$rank" --alpha $((2 * rank)))
echo "$py_out" | grep -v wall_seconds
py=$(echo "$py_out" | sed -n 's/^wall_seconds //p')

printf '%-52s %10s\n' "demo photos -> exported adapter, $epochs epochs" "wall s"
printf '%-52s %10.1f\n' "phototune-cli train + export (C++)" "$cpp"
printf '%-52s %10.1f\n' "python reference (PIL every epoch)" "$py"
load_line after
