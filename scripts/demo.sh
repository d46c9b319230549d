#!/usr/bin/env bash
# The demo: set up, then render the RNN part and the LSTM part at low quality with the
# built-in defaults (the default models are trained on "hello" first, then cached).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/rnn3d render rnn lstm -q l "$@"
