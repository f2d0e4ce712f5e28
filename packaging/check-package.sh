#!/usr/bin/env bash
# Builds the Debian package from a configured, built build folder and checks it as a user gets it:
# the file list, the dependencies, then the CLI run from the unpacked package (not the build tree),
# finding its resources under the package's /usr/share/phototune. Runs lintian and appstreamcli
# when they are installed (errors fail, warnings are printed).
#
#   bash packaging/check-package.sh [BUILD_DIR]      # default: build
#
# PHOTOTUNE_FIXTURES_DIR (default ../shared/fixtures) holds tiny-clip/, the model zeroshot runs on;
# without it that step is skipped, or fails when CI is set.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$(cd "${1:-${BUILD_DIR:-$repo/build}}" && pwd)"
fixtures="${PHOTOTUNE_FIXTURES_DIR:-$repo/../shared/fixtures}"
failures=0
fail() { echo "check-package: FAIL: $*" >&2; failures=$((failures + 1)); }
# begin starts a check; pass MESSAGE says ok only when nothing in that check failed.
begun_at=0
begin() { begun_at=$failures; }
pass() { if [ "$failures" -eq "$begun_at" ]; then echo "check-package: ok: $*"; fi; }

echo "== package: cpack -G DEB in $build_dir"
rm -f "$build_dir"/phototune_*.deb
(cd "$build_dir" && cpack -G DEB > cpack.log 2>&1) || { cat "$build_dir/cpack.log" >&2; fail "cpack"; exit 1; }
deb="$(ls "$build_dir"/phototune_*.deb)"
echo "   $deb ($(du -h "$deb" | cut -f1))"

begin
# --- the file list ------------------------------------------------------------------------------
listing="$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')"
expected=(
  /usr/bin/phototune /usr/bin/phototune-cli
  /usr/share/phototune/models.json /usr/share/phototune/tokenizer/vocab.json /usr/share/phototune/tokenizer/merges.txt
  /usr/share/phototune/demo/labels.csv /usr/share/phototune/demo/LICENSES.md /usr/share/phototune/retention/README.md
  /usr/share/applications/phototune.desktop /usr/share/metainfo/phototune.metainfo.xml
  /usr/share/icons/hicolor/scalable/apps/phototune.svg
  /usr/share/man/man1/phototune-cli.1.gz /usr/share/man/man1/phototune.1.gz
  /usr/share/doc/phototune/copyright /usr/share/doc/phototune/changelog.gz
)
for size in 16 22 24 32 48 64 128 256; do expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/phototune.png"); done
for path in "${expected[@]}"; do grep -qxF "$path" <<<"$listing" || fail "the package lacks $path"; done
photos="$(grep -c '^/usr/share/phototune/demo/.*\.jpg$' <<<"$listing" || true)"
source_photos="$(find "$repo/resources/demo" -name '*.jpg' | wc -l)"
[ "$photos" -eq "$source_photos" ] || fail "the package has $photos demo photos, resources/demo has $source_photos"
unwanted="$(grep -E '^/usr/local/|^/usr/include/|\.py$|/test_|/bench_|\.a$' <<<"$listing" || true)"
[ -z "$unwanted" ] || fail "the package holds files it should not: $unwanted"
pass "file list: ${#expected[@]} named files and $photos demo photos"

begin
depends="$(dpkg-deb -f "$deb" Depends)"
grep -q 'libtorch' <<<"$depends" && grep -q 'libqt6widgets' <<<"$depends" \
  || fail "Depends was not computed from the binaries (shlibdeps): '$depends'"
pass "Depends: $depends"

# --- the packaged CLI, unpacked into a temporary root ------------------------------------------
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
cli="$root/usr/bin/phototune-cli"
begin
version="$(env -u PHOTOTUNE_RESOURCES "$cli" --version)" || fail "the packaged phototune-cli --version failed"
echo "$version" | sed 's/^/   /'
grep -q "^PhotoTune Studio $(dpkg-deb -f "$deb" Version)\$" <<<"$version" || fail "--version does not say the package's version"
grep -qxF "Resources: $root/usr/share/phototune" <<<"$version" \
  || fail "the packaged CLI did not take its resources from the package's share/phototune"
pass "packaged --version"
begin
if gui_version="$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/phototune" --version 2>/dev/null)" \
   && grep -q "$(dpkg-deb -f "$deb" Version)" <<<"$gui_version"; then
  pass "packaged phototune (the window) --version: $gui_version"
else
  fail "the packaged phototune --version failed"
fi

photo_a="$root/usr/share/phototune/demo/animals/gcompris_cat.jpg"
flowers=("$root"/usr/share/phototune/demo/flowers/*.jpg)
photo_b="${flowers[0]}"
begin
if [ -d "$fixtures/tiny-clip" ]; then
  if out="$(env -u PHOTOTUNE_RESOURCES "$cli" zeroshot --model "$fixtures/tiny-clip" --labels cat,flower "$photo_a" "$photo_b" 2>&1)"; then
    echo "$out" | sed 's/^/   /'
    [ "$(grep -c 'cat\|flower' <<<"$out")" -ge 2 ] || fail "zeroshot printed no answer per photo"
    pass "packaged zeroshot on the fixture model"
  else
    echo "$out" >&2
    fail "the packaged phototune-cli zeroshot failed"
  fi
elif [ -n "${CI:-}" ]; then
  fail "no fixture model at $fixtures/tiny-clip (set PHOTOTUNE_FIXTURES_DIR)"
else
  echo "check-package: skipped zeroshot: no fixture model at $fixtures/tiny-clip"
fi
begin
# A model made by the packaged CLI takes its tokenizer from the package's share/phototune.
if env -u PHOTOTUNE_RESOURCES "$cli" init-model --preset tiny --out "$root/tiny" > /dev/null \
   && env -u PHOTOTUNE_RESOURCES "$cli" zeroshot --model "$root/tiny" --labels cat,flower "$photo_a" > /dev/null; then
  pass "packaged init-model + zeroshot"
else
  fail "the packaged init-model or zeroshot on its model failed"
fi

# --- Debian and AppStream checkers, where installed ---------------------------------------------
if command -v lintian > /dev/null; then
  begin
  # Errors fail; what is left (info tags) is listed in packaging/README.md.
  if lintian --fail-on error --tag-display-limit 0 "$deb"; then pass "lintian: no errors"; else fail "lintian"; fi
fi
if command -v appstreamcli > /dev/null; then
  begin
  # appstreamcli exits non-zero on warnings too; only errors (E:) fail here.
  appstream="$(appstreamcli validate --no-net "$root/usr/share/metainfo/phototune.metainfo.xml" 2>&1 || true)"
  echo "$appstream" | sed 's/^/   /'
  if grep -q '^E:' <<<"$appstream"; then fail "appstreamcli validate"; else pass "appstreamcli validate: no errors (its known warnings: packaging/README.md)"; fi
fi
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$root/usr/share/applications/phototune.desktop" || fail "desktop-file-validate"
fi

if [ "$failures" -gt 0 ]; then
  echo "check-package: $failures failed" >&2
  exit 1
fi
echo "check-package: all checks passed"
