#!/usr/bin/env bash
# The test suite: set up, then lint everything, type-check the core, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "test: ruff"
.venv/bin/ruff check .
echo "test: mypy rnncore"
.venv/bin/mypy rnncore
echo "test: pytest"
.venv/bin/python -m pytest "$@"
