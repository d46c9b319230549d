"""Fast regeneration, timed as a user runs it (`rnn3d` in a new process, wall time):

- both parts rendered with --jobs 1 and with --jobs 2 (every shot rendered: --force); goal on
  this 2-core machine: --jobs 2 in at most 0.6x the time of --jobs 1;
- --jobs 1 again held to one core (the job's processes pinned to CPU 0): one job alone already
  keeps more than one core busy (its encoders work beside Cairo), so this is the baseline of
  one core's work against which two jobs on two cores show what side-by-side shots gain;
- an unchanged render again (every file up to date); goal: at most 1 s.

Beside the wall times it prints the CPU seconds of each run's whole process tree, which the
machine's load hardly changes, and how many cores each kept busy on average.

Formats and decks against mp4 are bench/format_bench.py's and bench/slides_bench.py's.

    .venv/bin/python bench/delivery_bench.py           # at 1080p60, as the README reports
    .venv/bin/python bench/delivery_bench.py -q l      # a quick look at 480p15

Run it on an otherwise idle machine: neighbours' work only adds time. Prints Markdown for the
README.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

import measure

from scenes.cli.render_jobs import QUALITIES

PARTS = ["rnn", "lstm"]
SHOT = "R2"  # rendered first: trains the models, fills the caches


def rnn3d(*argv: str, cores: set[int] | None = None) -> measure.Usage:
    """Run `rnn3d ARGV`, its output hidden, on these CPU cores (default: all; its children
    inherit them); return its wall time, CPU seconds and memory."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "scenes", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=None if cores is None else lambda: os.sched_setaffinity(0, cores),
    )
    usage = measure.wait(proc)
    if proc.returncode:
        raise SystemExit(f"rnn3d {' '.join(argv)} failed (status {proc.returncode})")
    return usage


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-q",
        "--quality",
        choices=list(QUALITIES),
        default="h",
        help="as for rnn3d render (default h, 1080p60)",
    )
    parser.add_argument(
        "-r",
        "--repeat",
        type=int,
        default=3,
        help="runs of the unchanged render; the slowest counts (default 3)",
    )
    args = parser.parse_args()
    q = ["-q", args.quality]
    lines = [f"At {QUALITIES[args.quality]}:", ""]
    with tempfile.TemporaryDirectory(prefix="delivery_bench.") as out:
        o = ["--out", out]
        rnn3d("render", SHOT, "--format", "png", *q, *o)  # trains the models, fills caches
        one = rnn3d("render", *PARTS, *q, *o, "--force", "--jobs", "1")
        two = rnn3d("render", *PARTS, *q, *o, "--force", "--jobs", "2")
        alone = rnn3d("render", *PARTS, *q, *o, "--force", "--jobs", "1", cores={0})
        lines += [
            "| rnn3d render rnn lstm | --jobs 1 s | --jobs 2 s | ratio (goal <= 0.6) |",
            "|---|---:|---:|---:|",
            f"| every shot rendered | {one.wall:.1f} | {two.wall:.1f} "
            f"| {two.wall / one.wall:.2f} |",
            "",
            # A job that already keeps more than one core busy leaves two jobs little to gain.
            f"CPU s (user + system, all processes): --jobs 1 {one.cpu:.1f} "
            f"({one.cpu / one.wall:.2f} cores busy on average), --jobs 2 {two.cpu:.1f} "
            f"({two.cpu / two.wall:.2f} cores); peak memory {one.peak / 2**30:.2f} GB "
            f"and {two.peak / 2**30:.2f} GB",
            "",
            "| rnn3d render rnn lstm | --jobs 1 on one core s | --jobs 2 on two s | ratio |",
            "|---|---:|---:|---:|",
            f"| every shot rendered | {alone.wall:.1f} | {two.wall:.1f} "
            f"| {two.wall / alone.wall:.2f} |",
            "",
            f"CPU s on one core: {alone.cpu:.1f} ({alone.cpu / alone.wall:.2f} cores busy)",
            "",
        ]
        again = max(rnn3d("render", *PARTS, *q, *o).wall for _ in range(args.repeat))
        lines += [f"Unchanged, again (slowest of {args.repeat}): {again:.2f} s (goal <= 1 s)", ""]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
