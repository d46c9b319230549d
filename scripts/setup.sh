#!/usr/bin/env bash
# One idempotent set-up step: system packages, .venv, the package with its dev extra.
# Installs only what is missing, so a second run takes seconds. Works as root, or as a user
# with sudo (asked only when a system package is missing), on Debian 12 and 13 (and Ubuntu).
# PYTHON=/path/to/python3.x picks the interpreter for .venv (default: python3 on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
    python3 python3-dev python3-venv gcc pkg-config libcairo2-dev libpango1.0-dev
    texlive-latex-base texlive-latex-recommended texlive-latex-extra
    texlive-fonts-recommended dvisvgm fonts-noto-cjk ffmpeg chromium
)
# reveal.js for `rnn3d slides --to html`, from its npm package (not at run time: decks work
# offline). Unpacked into the venv, so a rebuilt .venv gets it again.
REVEALJS_VERSION=6.0.2
REVEALJS_DIR=.venv/share/reveal.js

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "installing system packages needs root: run this as root, or install sudo"
    fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
command -v npm >/dev/null || missing+=(npm)  # Node.js may come from elsewhere than Debian
if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "no apt-get: install ${missing[*]} by hand, then rerun"
    say "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
# A .venv that no longer runs (moved, copied from another machine, or its Python was
# upgraded away, as on Debian 12 -> 13) is rebuilt rather than patched.
if [ -e .venv ] && ! .venv/bin/python -c "" 2>/dev/null; then
    say "rebuilding .venv: its Python no longer runs"
    rm -rf .venv
fi
if [ ! -e .venv ]; then
    "$PYTHON" -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>/dev/null \
        || die "$PYTHON is not Python 3.11 or newer: rerun with PYTHON=/path/to/python3.11+"
    say "creating .venv with $("$PYTHON" --version)"
    "$PYTHON" -m venv .venv
fi

# Reinstall only when pyproject.toml changed since the last successful install.
stamp=.venv/.rnn3d-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "installing rnn3d and its dependencies into .venv (a few minutes the first time)"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[dev]"
    touch "$stamp"
fi

if ! grep -qs "\"version\": \"$REVEALJS_VERSION\"" "$REVEALJS_DIR/package.json"; then
    say "installing reveal.js $REVEALJS_VERSION for html slide decks (npm package)"
    unpacked=$(mktemp -d)
    (cd "$unpacked" && npm pack --silent "reveal.js@$REVEALJS_VERSION" >/dev/null)
    tar xzf "$unpacked/reveal.js-$REVEALJS_VERSION.tgz" -C "$unpacked" \
        package/dist package/package.json package/LICENSE
    rm -rf "$REVEALJS_DIR"
    mkdir -p "$(dirname "$REVEALJS_DIR")"
    mv "$unpacked/package" "$REVEALJS_DIR"
    rm -rf "$unpacked"
fi
