"""Each output format's render time and file size against mp4's, for one target, as a user runs
it: `rnn3d render TARGET --format F [--transparent] [--captions srt]`, a new process each time.

    .venv/bin/python bench/format_bench.py              # R2 at 480p15, best of 3
    .venv/bin/python bench/format_bench.py L3 -q m -r 1

The target is first rendered once (not timed) to fill the LaTeX and glyph caches and train the
default model. A render cache, when the command has one, is bypassed with --force: every run
renders. The variants run in turns, each time the best of --repeat. Times include starting
Python and importing Manim, and the finishing step (ffmpeg).
Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scenes.cli.render_jobs import QUALITIES

RNN3D = [sys.executable, "-m", "scenes"]
VARIANTS = [  # (label, options); the first is the reference
    ("mp4", ["--format", "mp4"]),
    ("mp4, --captions srt", ["--format", "mp4", "--captions", "srt"]),
    ("webm", ["--format", "webm"]),
    ("webm --transparent", ["--format", "webm", "--transparent"]),
    ("mov", ["--format", "mov"]),
    ("mov --transparent", ["--format", "mov", "--transparent"]),
    ("gif", ["--format", "gif"]),
    ("png (last frame)", ["--format", "png"]),
]


def run(target: str, quality: str, options: list[str], out: Path, force: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [*RNN3D, "render", target, "-q", quality, *options, *force, "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="R2")
    parser.add_argument("-q", "--quality", choices=list(QUALITIES), default="l")
    parser.add_argument("-r", "--repeat", type=int, default=3, help="best of N runs (3)")
    args = parser.parse_args()
    help_text = subprocess.run([*RNN3D, "render", "--help"], capture_output=True, text=True).stdout
    force = ["--force"] if "--force" in help_text else []
    name = f"{args.target}_{QUALITIES[args.quality]}"
    times: dict[str, list[float]] = {label: [] for label, _ in VARIANTS}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        run(args.target, args.quality, ["--format", "png"], Path(tmp) / "warm", force)
        for _ in range(args.repeat):  # in turns, so a change in the machine's load hits all
            for label, options in VARIANTS:
                out = Path(tmp) / label.replace(" ", "_")
                times[label].append(run(args.target, args.quality, options, out, force))
                sizes[label] = next(out.glob(f"{name}.*")).stat().st_size
                shutil.rmtree(out)
    rows = [(label, min(times[label]), sizes[label]) for label, _ in VARIANTS]
    mp4_time, mp4_size = rows[0][1], rows[0][2]
    print(f"{args.target} at {QUALITIES[args.quality]}, best of {args.repeat}\n")
    print("| format | render s | × mp4 | file kB | × mp4 |\n|---|---:|---:|---:|---:|")
    for label, seconds, size in rows:
        print(
            f"| {label} | {seconds:.1f} | {seconds / mp4_time:.2f} | {size / 1000:.0f} | "
            f"{size / mp4_size:.2f} |"
        )


if __name__ == "__main__":
    main()
