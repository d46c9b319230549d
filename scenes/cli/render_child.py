"""The child process of `rnn3d render`: Manim's own command line (`python -m
scenes.cli.render_child render ...` is `manim render ...`) with two changes. It dies with its
parent (processes.die_with_parent), and a fault of the machine (disk full, no permission, no
memory) or bad input found only here is one line with rnn3d's exit status (3 or 2), not
Manim's long traceback. Anything else, a bug, keeps Manim's traceback.
"""

from __future__ import annotations

import sys

import numpy as np

from rnncore import RnnError, SystemFault, system_fault
from scenes.cli.processes import die_with_parent


def report(err: BaseException) -> int | None:
    """Print one line for what rnn3d knows to say; return the exit status (None: a bug)."""
    if isinstance(err, RnnError):
        line, status = str(err), 2
    elif isinstance(err, SystemFault):
        line, status = str(err), 3
    elif isinstance(err, OSError | MemoryError):
        line, status = str(system_fault(err)), 3
    else:
        return None
    target = sys.argv[sys.argv.index("-o") + 1] if "-o" in sys.argv else "the target"
    print(f"rnn3d: error: rendering {target}: {line}", file=sys.stderr, flush=True)
    return status


def main() -> None:
    die_with_parent()
    # As in the parent, which has checked every number already: no numpy warnings on screen.
    np.seterr(all="ignore")
    from manim.__main__ import main as manim_main

    from scenes.manim_adapter import report_render_errors

    report_render_errors(report)
    manim_main(prog_name="manim")


if __name__ == "__main__":
    main()
