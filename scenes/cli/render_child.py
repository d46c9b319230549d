"""The child process of `rnn3d render`: Manim's own command line (`python -m
scenes.cli.render_child render ...` is `manim render ...`) with two changes. It dies with its
parent (processes.die_with_parent), and a fault of the machine (disk full, no permission, no
memory) or bad input found only here is one line with rnn3d's exit status (3 or 2), not
Manim's long traceback. Anything else, a bug, keeps Manim's traceback. And it encodes with
X264_OPTIONS, and collects cyclic garbage less often than Python's default.
"""

from __future__ import annotations

import gc
import logging
import sys

import numpy as np

from rnncore import RnnError, SystemFault, system_fault
from scenes.cli.processes import die_with_parent

# x264 beside Manim's crf 23, measured on R2's frames at 1080p60 against a lossless encoding
# (bench/results/encoder_options.txt): the same SSIM and PSNR as Manim's own settings (preset
# medium) for about a quarter less CPU per frame, and no macroblock tree, whose lookahead data
# was most of an encoder's memory (358 -> 110 MB at 1080p, about 4x that at 2160p). Files come
# out about a third larger.
X264_OPTIONS = {"preset": "veryfast", "x264-params": "mbtree=0"}


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


def quiet_known_warnings() -> None:
    """Manim warns on every webm render that the format "can be slower than other formats":
    known (the README's Formats), and nothing a user of rnn3d can act on."""
    logging.getLogger("manim").addFilter(_not_webm_is_slower)


def _not_webm_is_slower(record: logging.LogRecord) -> bool:
    return "this can be slower than other formats" not in record.getMessage()


def main() -> None:
    die_with_parent()
    quiet_known_warnings()
    # As in the parent, which has checked every number already: no numpy warnings on screen.
    np.seterr(all="ignore")
    # Python collects cyclic garbage every 700 new objects, and every tenth time it walks the
    # older ones too: a scene holds tens of thousands (mobjects, their arrays), walked again
    # and again (0.15-0.18 s of a shot's main thread at 480p15). Every 50,000: 0.06 s.
    gc.set_threshold(50_000, 20, 20)
    from manim.__main__ import main as manim_main

    from scenes.manim_adapter import report_render_errors, use_x264_options

    report_render_errors(report)
    use_x264_options(X264_OPTIONS)
    manim_main(prog_name="manim")


if __name__ == "__main__":
    main()
