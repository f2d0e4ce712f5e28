#!/bin/sh
# Reproduces docs/screenshots/*.png: the real studio on its demo photos, on a virtual 1280x800
# display, walked step by step with its keyboard shortcuts (Ctrl+1..5 go to the steps, Ctrl+Enter
# starts training or exports): photos.png, captions.png, setup.png, train.png (during the demo
# run), export.png (its adapter exported).
# Usage: docs/screenshots/take-screenshots.sh [path/to/phototune]   (default: build/app/gui/phototune)
# Needs: xvfb, xdotool, imagemagick. Takes about two minutes on 2 cores (the demo run trains).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
app=${1:-"$here/../../build/app/gui/phototune"}
display=:${PHOTOTUNE_SCREENSHOT_DISPLAY:-99}
scratch=$(mktemp -d)   # fresh settings, data and cache: the first launch a new user sees
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp &
xvfb=$!
app_pid=
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
sleep 1
mkdir -p "$scratch/home"
DISPLAY=$display HOME=$scratch/home XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data XDG_CACHE_HOME=$scratch/cache \
    PHOTOTUNE_CACHE_DIR=$scratch/cache/phototune QT_QPA_PLATFORM=xcb "$app" --demo &
app_pid=$!
for _ in $(seq 1 60); do
    DISPLAY=$display xdotool search --onlyvisible --name "PhotoTune" >/dev/null 2>&1 && break
    sleep 0.5
done
window=$(DISPLAY=$display xdotool search --onlyvisible --name "PhotoTune" | head -n 1)
DISPLAY=$display xdotool windowmove "$window" 0 0 windowsize "$window" 1280 800
DISPLAY=$display xdotool windowactivate --sync "$window" 2>/dev/null || DISPLAY=$display xdotool windowfocus "$window"

key() { DISPLAY=$display xdotool key --window "$window" "$1"; }
shot() {
    import -display "$display" -window root "$scratch/shot.png"
    convert "$scratch/shot.png" -strip -colors 256 PNG8:"$here/$1.png"
    echo "wrote $here/$1.png ($(stat -c %s "$here/$1.png") bytes)"
}

sleep 6                 # thumbnails decode, the demo model is made
shot photos
key ctrl+2; sleep 2; shot captions
key ctrl+3; sleep 8; shot setup        # the machine probe and the plan
key ctrl+4; sleep 1; key ctrl+Return
sleep 30; shot train                   # mid-run: loss falling, first evaluations in the gallery
sleep 60                               # the demo run takes about 45-60 s on 2 cores
key ctrl+5; sleep 2; key ctrl+Return
sleep 4; shot export
