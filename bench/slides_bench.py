"""How long a slide deck takes to build, against rendering the same target as a video.

Each target is timed as the commands run it: `rnn3d render T` (mp4) and `rnn3d slides T --to F`
for each deck format F, and `--to html,pptx,pdf` (three decks from one render), each into a
new output directory; the time of each is the best of --repeat runs, taken in turns. The LaTeX
and glyph caches are warm after a first untimed run of each. Renders are forced when the
command has a render cache (--force), so both sides draw every frame.

    .venv/bin/python bench/slides_bench.py R2 L3 rnn -r 3
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RNN3D = [sys.executable, "-m", "scenes"]  # rnn3d from this checkout
DECKS = ["html", "pptx", "pdf", "html,pptx,pdf"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=["R2", "L3", "rnn"])
    parser.add_argument("-q", "--quality", default="l")
    parser.add_argument("-r", "--repeat", type=int, default=3)
    args = parser.parse_args()
    force = ["--force"] if "--force" in _help("render") else []
    print(f"quality {args.quality}, best of {args.repeat}; seconds, and the ratio to render")
    print(f"{'target':8} {'render':>7} " + " ".join(f"{d:>20}" for d in DECKS))
    for target in args.targets:
        commands = [["render", target, *force]] + [["slides", target, "--to", d] for d in DECKS]
        for command in commands:  # warm the caches
            _time([*command, "-q", args.quality])
        best = [min(_time([*c, "-q", args.quality]) for _ in range(args.repeat)) for c in commands]
        cells = [f"{t:7.1f} ({t / best[0]:4.2f}x)" for t in best[1:]]
        print(f"{target:8} {best[0]:7.1f} " + " ".join(f"{c:>20}" for c in cells), flush=True)


def _time(command: list[str]) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [*RNN3D, *command, "--out", out],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def _help(command: str) -> str:
    return subprocess.run(
        [*RNN3D, command, "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout


if __name__ == "__main__":
    main()
