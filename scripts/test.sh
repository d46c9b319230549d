#!/usr/bin/env bash
# The test suite: set up, then lint everything, type-check the core and the scenes, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "test: ruff"
.venv/bin/ruff check .
echo "test: ruff format --check"
.venv/bin/ruff format --check .
echo "test: mypy rnncore scenes"
.venv/bin/mypy rnncore scenes
echo "test: pytest"
.venv/bin/pytest "$@"
