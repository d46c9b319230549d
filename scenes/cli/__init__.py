"""The rnn3d command. One module per subcommand, each with `add_arguments(parser)` and
`run(args) -> int`; modules are imported only when their command runs (trace and train never
import Manim)."""

from __future__ import annotations

import os

# Our matrices are small: OpenBLAS threads only fight each other (10x slower on 2 cores).
# Set before numpy is first imported, and only when the user has not chosen.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import sys  # noqa: E402

from rnncore import RnnError  # noqa: E402

COMMANDS = {
    "list": "print every part and shot with its id, title and length",
    "render": "render parts or shots to video or still",
    "slides": "render parts or shots as slide decks (html, pptx, pdf), one slide per beat",
    "trace": "run a cell on data and write every intermediate (npz, json or csv)",
    "train": "train a cell on data and save the weights and the training history",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, like every other bad input
        self.exit(2, f"rnn3d: error: {message} (see {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    description = "Render RNN and LSTM explainer videos from a real model's numbers."
    parser = _Parser(prog="rnn3d", description=description)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text)
    argv = sys.argv[1:] if argv is None else argv
    # Parse the command name first, then let that command's module define its own options.
    name = argv[0] if argv and argv[0] in COMMANDS else None
    if name is None:
        parser.parse_args(argv)  # prints usage or an error for an unknown command
        return 2
    module = importlib.import_module(f"scenes.cli.{name}_cmd")
    cmd_parser = _Parser(prog=f"rnn3d {name}", description=COMMANDS[name])
    module.add_arguments(cmd_parser)
    args = cmd_parser.parse_args(argv[1:])
    try:
        return int(module.run(args))
    except RnnError as err:
        print(f"rnn3d: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rnn3d: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
