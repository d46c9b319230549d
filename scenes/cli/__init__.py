"""The rnn3d command. One module per subcommand, each with `add_arguments(parser)` and
`run(args) -> int`; modules are imported only when their command runs (trace and train never
import Manim).

Exit statuses: 0 done; 1 a render failed inside Manim; 2 bad input (RnnError, and bad options);
3 the machine failed (SystemFault, OSError, MemoryError: disk full, permission denied, out of
memory); 70 a bug in rnn3d; 130 interrupted; 141 the reader of stdout closed it early
(`rnn3d list | head`), silently, as a command killed by SIGPIPE. Every failure is one line on
stderr, no traceback (RNN3D_TRACEBACK=1 shows the traceback of a bug).
"""

from __future__ import annotations

import os

# Our matrices are small: OpenBLAS threads only fight each other (10x slower on 2 cores).
# Set before numpy is first imported, and only when the user has not chosen.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import select  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import NoReturn  # noqa: E402

import numpy as np  # noqa: E402

from rnncore import RnnError, SystemFault, system_fault  # noqa: E402

BAD_INPUT, SYSTEM_FAULT, BUG, INTERRUPTED, CLOSED_PIPE = 2, 3, 70, 130, 141

COMMANDS = {
    "list": "print every part and shot with its id, title and length",
    "render": "render parts or shots to video or still",
    "slides": "render parts or shots as slide decks (html, pptx, pdf), one slide per beat",
    "trace": "run a cell on data and write every intermediate (npz, json or csv)",
    "train": "train a cell on data and save the weights and the training history",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line and exit 2, like every other bad input
        self.exit(2, f"rnn3d: error: {message} (see {self.prog} --help)\n")


def check_single_values(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Python 3.11's argparse takes --out=-- for an empty list, not an error: every option of
    one value must hold one (a list got past every check: a bug, or an option ignored)."""
    for action in parser._actions:
        if action.nargs is None and getattr(args, action.dest, None) == []:  # not --to's list
            parser.error(f"argument {action.option_strings[0]}: expected one value, got '--'")


def given(text: str) -> str:
    """An argparse type for file and folder names: an empty one is refused, not ignored."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give a name")
    return text


def whole_number(least: int) -> Callable[[str], int]:
    """An argparse type for counts and seeds: a whole number of at least `least` (--hidden,
    --layers, --jobs, ... at least 1; --seed at least 0, as numpy's generators take), refused
    in argparse's one line, "argument --hidden: must be at least 1, got 0"."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
        if n < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, got {n}")
        return n

    return parse


def not_empty(text: str) -> str:
    """An argparse type for options that have a default (--vocab, --steps): an empty value is
    refused, not taken for the default. Unlike `given`, spaces are a value: --vocab ' ' is the
    vocabulary of one space."""
    if not text:
        raise argparse.ArgumentTypeError("is empty: give a value, or leave the option out")
    return text


def check_nonlinearity(cell: str, nonlinearity: str | None) -> None:
    """--nonlinearity of train and trace: only the RNN has a choice."""
    if cell == "lstm" and nonlinearity == "relu":
        raise RnnError(
            "--nonlinearity relu is for the RNN: the LSTM's gates use sigmoid and "
            "tanh; drop the option"
        )


def print_notes(notes: list[str]) -> None:
    """What a command assumed about the input (an assumed vocabulary, ...), a line each."""
    for note in notes:
        print(f"rnn3d: note: {note}", file=sys.stderr)


def _parse(argv: list[str]) -> tuple[ModuleType, argparse.Namespace]:
    """The command's module and its options; SystemExit for argparse's errors and --help."""
    description = "Render RNN and LSTM explainer videos from a real model's numbers."
    parser = _Parser(prog="rnn3d", description=description)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command, help_text in COMMANDS.items():
        sub.add_parser(command, help=help_text, description=help_text)
    # Parse the command name first, then let that command's module define its own options.
    name = argv[0] if argv and argv[0] in COMMANDS else None
    if name is None:
        parser.parse_args(argv)  # prints usage or an error for an unknown command
        parser.exit(2)
    module = importlib.import_module(f"scenes.cli.{name}_cmd")
    cmd_parser = _Parser(prog=f"rnn3d {name}", description=COMMANDS[name])
    module.add_arguments(cmd_parser)
    args, left_over = cmd_parser.parse_known_args(argv[1:])  # parse_args, with a hint
    if left_over:
        hint = getattr(module, "hint_for_left_over", lambda *_: None)(args, left_over)
        cmd_parser.error(f"unrecognized arguments: {' '.join(left_over)}{hint or ''}")
    check_single_values(cmd_parser, args)
    return module, args


def main(argv: list[str] | None = None) -> int:
    try:
        module, args = _parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:  # argparse exits; its status is returned like every other one
        return int(stop.code or 0)
    try:
        # Overflow and invalid values are checked where they matter (data, weights, traces,
        # the loss), each with its own message; numpy's warnings would only come before it.
        with np.errstate(all="ignore"):
            return int(module.run(args))
    except RnnError as err:
        return _fail(BAD_INPUT, f"error: {err}")
    except SystemFault as err:
        return _fail(SYSTEM_FAULT, f"error: {err}")
    except BrokenPipeError as err:
        if not _stdout_closed():  # another pipe (an encoder's) broke: the machine's fault
            return _fail(SYSTEM_FAULT, f"error: {system_fault(err)}")
        # Nothing went wrong but the reader left: no line, and no second error when Python
        # flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return CLOSED_PIPE
    except (OSError, MemoryError) as err:
        return _fail(SYSTEM_FAULT, f"error: {system_fault(err)}")
    except KeyboardInterrupt:
        if sys.stderr.isatty():  # a progress bar ends its line only when done: end it here
            print(file=sys.stderr)
        return _fail(INTERRUPTED, "interrupted")
    except Exception as err:
        if os.environ.get("RNN3D_TRACEBACK"):
            raise
        what = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return _fail(
            BUG,
            f"internal error ({type(err).__name__}{': ' + what if what else ''}): "
            "a bug in rnn3d; please report it with the command (RNN3D_TRACEBACK=1 "
            "shows the traceback)",
        )


def _stdout_closed() -> bool:
    """Whether stdout is a pipe whose reader has gone (poll reports an error on it)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError):  # no stdout, or one without a file descriptor
        return False


def _fail(status: int, line: str) -> int:
    print(f"rnn3d: {line}", file=sys.stderr, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
