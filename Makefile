# The two commands a newcomer runs. Each first runs scripts/setup.sh, which installs what is
# missing (system packages, .venv, rnn3d) and takes seconds once everything is there.
.PHONY: demo test setup torch

demo:
	scripts/demo.sh

test:
	scripts/test.sh

setup:
	scripts/setup.sh

# PyTorch (CPU build) in .venv, for reading .pt files and the live torch tests (its size: README)
torch: setup
	.venv/bin/python -m pip install -q -e ".[torch,dev]"
