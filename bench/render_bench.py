"""Render time and peak memory of every shot and part against the floor: an empty scene of
the same length and quality, rendered in the same run the same way (a child Manim process, as
`rnn3d render` runs it). Goals: every target at most 3x its floor; a job's peak resident memory
at most 1.3x plain Manim's for the same target (--plain measures that too).

    .venv/bin/python bench/render_bench.py             # every shot and part at 480p15
    .venv/bin/python bench/render_bench.py R3 -q l h   # R3 at 480p15 and at 1080p60
    .venv/bin/python bench/render_bench.py R2 -q k -r 1 --no-floor --plain   # memory at 2160p

Each target is first rendered once to png (not timed): that trains or loads the default model
and fills the LaTeX and glyph caches, so the timed render measures drawing and encoding, as on
any render after the first. Times include starting Python and importing Manim (about a second),
for the target and the floor alike; each is the best of --repeat runs. Prints a Markdown table
for the README.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import av
import measure

from scenes.cli.render_cmd import PART_SCENES, check_stories, resolve_targets
from scenes.cli.render_jobs import QUALITIES, Job
from scenes.cli.render_run import Target
from scenes.settings import Settings
from scenes.shots import SHOTS

GOAL = 3.0
FLOOR_SCENE = """from manim import ThreeDScene


class Floor(ThreeDScene):
    def construct(self):
        self.wait({seconds!r})
"""


def render(job: Job) -> tuple[float, float, int, float]:
    """Wait for a job started just now; return its wall time, the length of the video it
    wrote (0 for a still), the peak resident memory of its process tree in bytes and its CPU
    seconds."""
    try:
        usage = measure.wait(job.proc)
        made = job.finish()[0]
        length = 0.0 if made.suffix == ".png" else video_seconds(made)
        return usage.wall, length, usage.peak, usage.cpu
    finally:
        if job.proc.poll() is None:  # interrupted: stop Manim too
            job.proc.terminate()
            job.proc.wait()
        job.cleanup()


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.frames / float(stream.average_rate)


@dataclass
class Figures:
    length: float  # of the video, s
    seconds: float  # render time, s
    peak: int  # resident memory of the process tree, bytes
    cpu: float  # user + system s of the process tree
    floor: float | None = None  # render time of an empty scene as long, s
    plain_peak: int | None = None  # resident memory of plain Manim rendering it, bytes


def bench(
    target: Target,
    quality: str,
    out: Path,
    repeat: int,
    floor: bool,
    plain: bool,
    settings: Settings,
) -> Figures:
    """The figures of one target at one quality: the best of `repeat` runs each, taken in
    turns (this machine's neighbours add noise, never speed)."""
    scene = PART_SCENES[target.part]
    render(Job(target, settings, quality, "png", out, scene))  # warm-up, not timed
    empty = Target(f"{target.name}-floor", target.part, None)
    floor_file = out / f"floor_{target.name}.py"
    runs, floors, plains = [], [], []
    for _ in range(repeat):
        runs.append(render(Job(target, settings, quality, "mp4", out, scene)))
        if floor:
            floor_file.write_text(FLOOR_SCENE.format(seconds=runs[-1][1]))
            floors.append(
                render(Job(empty, settings, quality, "mp4", out, (floor_file, "Floor")))[0]
            )
        if plain:
            plains.append(plain_manim_peak(target, quality, out, settings))
    seconds, length, _, _ = min(runs)
    return Figures(
        length,
        seconds,
        min(peak for _, _, peak, _ in runs),
        min(cpu for *_, cpu in runs),
        min(floors) if floors else None,
        min(plains) if plains else None,
    )


def plain_manim_peak(target: Target, quality: str, out: Path, settings: Settings) -> int:
    """Peak resident memory of plain `manim render` (Manim's own settings, RNN3D_SHOT for a
    shot) rendering the target, in bytes: what issue 14's 1.3x goal compares with."""
    scene_file, scene_class = PART_SCENES[target.part]
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith("RNN3D_") or k == "RNN3D_CACHE"
        }
        env |= replace(settings, shot=target.shot).to_env()
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "manim",
                "render",
                "-q",
                quality,
                "--disable_caching",
                "--progress_bar",
                "none",
                "--media_dir",
                tmp,
                str(scene_file),
                scene_class,
            ],
            cwd=tmp,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        usage = measure.wait(proc)
        if proc.returncode:
            raise SystemExit(f"plain manim failed on {target.name} (status {proc.returncode})")
        return usage.peak


def row(target: Target, quality: str, f: Figures) -> str:
    cells = [
        target.name,
        QUALITIES[quality],
        f"{f.length:.1f}",
        f"{f.seconds:.1f}",
        f"{f.cpu:.1f}",
    ]
    if f.floor is None:
        cells += ["-", "-", "-"]
    else:
        ratio = f.seconds / f.floor
        cells += [f"{f.floor:.1f}", f"{ratio:.2f}", "yes" if ratio <= GOAL else "NO"]
    cells.append(f"{f.peak / 2**30:.2f}")
    if f.plain_peak is None:
        cells += ["-", "-"]
    else:
        cells += [f"{f.plain_peak / 2**30:.2f}", f"{f.peak / f.plain_peak:.2f}"]
    return "| " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Render time of each shot and part against an empty scene of the same "
        "length and quality; goal: at most 3x."
    )
    parser.add_argument(
        "targets",
        nargs="*",
        metavar="TARGET",
        help="parts or shot ids as for rnn3d render (default: every shot and "
        "part whose scene exists)",
    )
    parser.add_argument(
        "-q",
        "--quality",
        nargs="+",
        choices=list(QUALITIES),
        default=["l"],
        help="qualities as for rnn3d render (default l; l h adds 1080p60)",
    )
    parser.add_argument(
        "-r",
        "--repeat",
        type=int,
        default=3,
        help="runs of each target and floor; the fastest counts (default 3)",
    )
    parser.add_argument(
        "--no-floor",
        dest="floor",
        action="store_false",
        help="leave out the empty scene (time and memory only)",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="also the peak memory of plain manim rendering each target",
    )
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--text", help="as for rnn3d render (a long text: memory)")
    data.add_argument("--data", metavar="FILE", help="as for rnn3d render")
    parser.add_argument("--steps", metavar="A:B", help="as for rnn3d render")
    parser.add_argument("--weights", metavar="FILE", help="as for rnn3d render")
    args = parser.parse_args()
    present = [p for p, (path, _) in PART_SCENES.items() if path.exists()]
    names = args.targets or [s.id for s in SHOTS if s.part in present] + present
    targets = resolve_targets(names)
    settings = Settings(
        text=args.text,
        data=args.data and os.path.abspath(args.data),
        weights=args.weights and os.path.abspath(args.weights),
        steps=args.steps,
    )
    check_stories(targets, settings)
    rows = []
    with tempfile.TemporaryDirectory(prefix="render_bench.") as tmp:
        for quality in args.quality:
            for target in targets:
                rows.append(
                    row(
                        target,
                        quality,
                        bench(
                            target,
                            quality,
                            Path(tmp),
                            args.repeat,
                            args.floor,
                            args.plain,
                            settings,
                        ),
                    )
                )
                print(rows[-1], file=sys.stderr, flush=True)
    print(
        f"\n| target | quality | video s | render s | CPU s | floor s | ratio | <= {GOAL:g}x "
        "| peak GB | plain Manim GB | memory ratio |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
