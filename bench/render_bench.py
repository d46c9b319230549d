"""Render time of every shot and part against the floor: an empty scene of the same length and
quality, rendered in the same run the same way (a child Manim process, as `rnn3d render` runs
it). Goal: every target at most 3x its floor.

    .venv/bin/python bench/render_bench.py             # every shot and part at 480p15
    .venv/bin/python bench/render_bench.py R3 -q l h   # R3 at 480p15 and at 1080p60

Each target is first rendered once to png (not timed): that trains or loads the default model
and fills the LaTeX and glyph caches, so the timed render measures drawing and encoding, as on
any render after the first. Times include starting Python and importing Manim (about a second),
for the target and the floor alike; each is the best of --repeat runs. Prints a Markdown table
for the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import av

from scenes.cli.render_cmd import (
    PART_SCENES,
    QUALITIES,
    Job,
    Target,
    check_stories,
    resolve_targets,
)
from scenes.settings import Settings
from scenes.shots import SHOTS

GOAL = 3.0
FLOOR_SCENE = """from manim import ThreeDScene


class Floor(ThreeDScene):
    def construct(self):
        self.wait({seconds!r})
"""


def render(job: Job) -> tuple[float, Path]:
    """Wait for a job started just now; return its wall time and the file it wrote."""
    start = time.perf_counter()
    try:
        job.proc.wait()
        seconds = time.perf_counter() - start
        return seconds, job.finish()
    finally:
        if job.proc.poll() is None:  # interrupted: stop Manim too
            job.proc.terminate()
            job.proc.wait()
        job.cleanup()


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.frames / float(stream.average_rate)


def bench(target: Target, quality: str, out: Path, repeat: int) -> tuple[float, float, float]:
    """(video length, render time, floor time) of one target at one quality, in seconds: the
    best of `repeat` runs each, taken in turns (this machine's neighbours add noise, never
    speed)."""
    settings = Settings()
    render(Job(target, settings, quality, "png", out))  # warm-up, not timed
    floor = Target(f"{target.name}-floor", target.part, None)
    floor_file = out / f"floor_{target.name}.py"
    render_times, floor_times = [], []
    for _ in range(repeat):
        render_time, video = render(Job(target, settings, quality, "mp4", out))
        length = video_seconds(video)
        floor_file.write_text(FLOOR_SCENE.format(seconds=length))
        floor_time, _ = render(Job(floor, settings, quality, "mp4", out, (floor_file, "Floor")))
        render_times.append(render_time)
        floor_times.append(floor_time)
    return length, min(render_times), min(floor_times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Render time of each shot and part against an empty scene of the same "
                    "length and quality; goal: at most 3x.")
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help="parts or shot ids as for rnn3d render (default: every shot and "
                             "part whose scene exists)")
    parser.add_argument("-q", "--quality", nargs="+", choices=list(QUALITIES), default=["l"],
                        help="qualities as for rnn3d render (default l; l h adds 1080p60)")
    parser.add_argument("-r", "--repeat", type=int, default=3,
                        help="runs of each target and floor; the fastest counts (default 3)")
    args = parser.parse_args()
    present = [p for p, (path, _) in PART_SCENES.items() if path.exists()]
    names = args.targets or [s.id for s in SHOTS if s.part in present] + present
    targets = resolve_targets(names)
    check_stories(targets, Settings())
    rows = []
    with tempfile.TemporaryDirectory(prefix="render_bench.") as tmp:
        for quality in args.quality:
            for target in targets:
                length, seconds, floor = bench(target, quality, Path(tmp), args.repeat)
                rows.append(f"| {target.name} | {QUALITIES[quality]} | {length:.1f} | "
                             f"{seconds:.1f} | {floor:.1f} | {seconds / floor:.2f} | "
                             f"{'yes' if seconds <= GOAL * floor else 'NO'} |")
                print(rows[-1], file=sys.stderr, flush=True)
    print(f"\n| target | quality | video s | render s | floor s | ratio | <= {GOAL:g}x |")
    print("|---|---|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
