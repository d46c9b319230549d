#!/usr/bin/env bash
# The README's gallery, rendered by rnn3d itself into docs/gallery/: the last frame of every
# shot (png, 854x480) and the 3D unroll, shot R3, as a gif sized for a web page (640 wide).
# Renders only what changed since the last run (the render cache).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=docs/gallery
shots=$(.venv/bin/rnn3d list | awk '$1 ~ /^[RL][0-9]$/ {print $1}')
# shellcheck disable=SC2086  # one argument per shot
.venv/bin/rnn3d render $shots --format png --out "$out"
.venv/bin/rnn3d render R3 --format gif --out "$out"
du -ch "$out"/*.png "$out"/*.gif | tail -n 1
