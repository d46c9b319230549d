# The two commands a newcomer runs. Each first runs scripts/setup.sh, which installs what is
# missing (system packages, .venv, rnn3d) and takes seconds once everything is there.
.PHONY: demo test setup

demo:
	scripts/demo.sh

test:
	scripts/test.sh

setup:
	scripts/setup.sh
