#!/usr/bin/env bash
# One idempotent setup for Debian 12: installs the packages PhotoTune Studio needs, configures and
# builds it, then runs what was asked for.
#
#   bash packaging/setup-debian.sh run     # build and launch the studio on its built-in demo
#   bash packaging/setup-debian.sh test    # build (normal + sanitizer), run every test, check the .deb
#   bash packaging/setup-debian.sh build   # only install and build
#
# Environment: BUILD_DIR (default build), JOBS (default: all cores), PHOTOTUNE_FIXTURES_DIR.
set -euo pipefail

action="${1:-build}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$repo/build}"
asan_dir="${ASAN_BUILD_DIR:-$repo/build-asan}"
jobs="${JOBS:-$(nproc)}"

packages=(
  build-essential cmake ninja-build ccache pkg-config file
  libtorch-dev libopenblas0-pthread          # OpenBLAS makes Debian's LibTorch ~45x faster at matmul
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqcustomplot-dev
  libopencv-dev nlohmann-json3-dev libicu-dev libcurl4-openssl-dev libssl-dev libarchive-dev
  libcli11-dev libspdlog-dev libfmt-dev
  python3-torch python3-numpy python3-pil   # the Python reference used by benchmarks and golden generators
  xvfb xauth xdotool imagemagick fonts-noto-cjk   # screenshots under Xvfb; Korean UI text
  help2man librsvg2-bin dpkg-dev                   # the package: man pages, PNG icons, shlibdeps
  lintian appstream desktop-file-utils             # packaging/check-package.sh's checkers
)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

configure_and_build() {
  local dir="$1"; shift
  cmake -S "$repo" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        ${PHOTOTUNE_FIXTURES_DIR:+-DPHOTOTUNE_FIXTURES_DIR="$PHOTOTUNE_FIXTURES_DIR"} "$@"
  cmake --build "$dir" --parallel "$jobs"
}

install_packages
# Paths relative to the checkout, so that another clone of the same sources hits the same cache.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/phototune-ccache}" CCACHE_BASEDIR="$repo" CCACHE_NOHASHDIR=true

case "$action" in
  build)
    configure_and_build "$build_dir"
    ;;
  run)
    configure_and_build "$build_dir"
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      echo "No display found: starting the studio under Xvfb is not useful; run it from a desktop session." >&2
      exit 1
    fi
    exec "$build_dir/app/gui/phototune" --demo
    ;;
  test)
    configure_and_build "$build_dir"
    (cd "$build_dir" && ctest --output-on-failure --parallel "$jobs")
    # AddressSanitizer + UBSan: the Torch-free core (safetensors, tokenizer, images, scan) on hostile input.
    configure_and_build "$asan_dir" -DPHOTOTUNE_SANITIZER_BUILD=ON -DCMAKE_BUILD_TYPE=Debug
    (cd "$asan_dir" && ctest --output-on-failure --parallel "$jobs" -L sanitize)
    # The Debian package, and the CLI run from it rather than from the build tree.
    bash "$repo/packaging/check-package.sh" "$build_dir"
    ;;
  *)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac
