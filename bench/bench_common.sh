# Sourced by the bench/run_*.sh scripts: the paths they share and how they read figures.
# Expects `set -euo pipefail` and the build folder as "$1" (default: <repo>/build).
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$repo/build}"
# The plain-PyTorch CLIP of ../shared/tools (read at run time, never copied into the repository).
ref="${PHOTOTUNE_REFERENCE:-$repo/../shared/tools/clip_torch_ref.py}"
# `value "$output" key`: the figure after "<side> key" in a bench program's output.
value() { awk -v k="$2" '$2 == k { print $3 }' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }
load_line() { echo "load $1: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"; }
