#!/bin/sh
# Reproduces docs/screenshots/photos.png: the studio on its demo photos, on a virtual 1280x800 display.
# Usage: docs/screenshots/take-screenshots.sh [path/to/phototune]   (default: build-ui/app/gui/phototune)
# Needs: xvfb, xdotool, imagemagick.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
app=${1:-"$here/../../build-ui/app/gui/phototune"}
display=:${PHOTOTUNE_SCREENSHOT_DISPLAY:-99}
settings=$(mktemp -d)   # fresh window geometry, not the user's
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp &
xvfb=$!
app_pid=
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$settings"
}
trap cleanup EXIT
sleep 1
DISPLAY=$display XDG_CONFIG_HOME=$settings QT_QPA_PLATFORM=xcb "$app" --demo &
app_pid=$!
# Wait for the window, then for the thumbnails to decode.
for _ in $(seq 1 60); do
    DISPLAY=$display xdotool search --onlyvisible --name "PhotoTune" >/dev/null 2>&1 && break
    sleep 0.5
done
window=$(DISPLAY=$display xdotool search --onlyvisible --name "PhotoTune" | head -n 1)
DISPLAY=$display xdotool windowmove "$window" 0 0 windowsize "$window" 1280 800
sleep 4
import -display "$display" -window root "$settings/shot.png"
convert "$settings/shot.png" -strip -colors 256 PNG8:"$here/photos.png"
echo "wrote $here/photos.png ($(stat -c %s "$here/photos.png") bytes)"
