"""Render jobs: one target (a shot, a part) rendering in a child Manim process, into a
temporary directory of its own (see render_cmd.py for why a child), and `render_all`, which runs
them up to --jobs at a time (rnn3d slides; rnn3d render runs its clips through the same pool,
render_run.render_clips)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rnncore import RnnError
from scenes.cli import BAD_INPUT, SYSTEM_FAULT, formats, manim_cache, processes
from scenes.cli.render_run import Child, JobPool, Reported, Target, sigterm_interrupts
from scenes.settings import Settings, setting_fields, variable

# The scenes package: the scene files Manim renders; the child imports it from this checkout.
SCENES_DIR = Path(__file__).resolve().parent.parent
QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "k": "2160p60"}
# Encoders (x264) at work at once in a child: two, so that one encodes an animation's last
# frames (x264 holds a dozen for its lookahead) while the next animation is drawn. With one,
# Manim's main thread waited for it at the end of every play (0.5 s of L3 at 480p15), and its
# queue of frames is unbounded (L5 at 1080p60 peaked at 0.83 GB, 0.56 GB with two). Each is fed
# from a queue of at most ENCODER_QUEUE frames: about 30 MB (2 at 2160p, about 1.2 GB an
# encoder there), enough that drawing seldom waits for room in it.
ENCODERS = 2
ENCODER_QUEUE = {"l": 8, "m": 8, "h": 4, "k": 2}
SETTINGS_ENV = {variable(f.name) for f in setting_fields()}


class Job:
    """One target rendering in a child Manim process, into a temporary directory. The settings
    are resolved (check_request), so their file names mean the same in the child's directory."""

    def __init__(
        self,
        target: Target,
        settings: Settings,
        quality: str,
        fmt: str,
        out: Path,
        scene: tuple[Path, str],
        transparent: bool = False,
        progress: bool = True,
    ):
        self.target = target
        self.settings, self.transparent = settings, transparent
        self.scene = scene  # (file, class) Manim renders
        self.dest = out / f"{output_stem(target, quality)}.{fmt}"
        # named after this run, so a later run can tell whether it is still alive
        self.tmp = Path(
            tempfile.mkdtemp(prefix=f".{self.dest.name}{processes.run_tag()}", dir=out)
        ).resolve()
        try:
            self._write_config(fmt, quality)
            # The child runs in the temporary directory, where it finds its manim.cfg.
            self.proc = processes.spawn(
                self._command(quality, fmt, progress), self.tmp, self._env(settings)
            )
        except BaseException:
            self.cleanup()
            raise

    def _write_config(self, fmt: str, quality: str) -> None:
        # LaTeX and text renderings are cached across renders: the child works in directories
        # of its own, seeded from the shared cache (manim_cache); everything else goes to the
        # temporary directory too.
        manim_cache.seed(self.tmp)
        (self.tmp / "manim.cfg").write_text(
            f"[CLI]\nmedia_dir = {self.tmp}/media\ntex_dir = {self.tmp}/Tex\n"
            f"text_dir = {self.tmp}/texts\nverbosity = WARNING\n"
            f"max_inflight_encoders = {ENCODERS}\nencoder_queue_size = {ENCODER_QUEUE[quality]}\n"
            f"{formats.manim_config(fmt, self.transparent)}"
        )

    def _command(self, quality: str, fmt: str, progress: bool) -> list[str]:
        scene_file, scene_class = self.scene
        command = [
            sys.executable,
            "-m",
            "scenes.cli.render_child",
            "--hide-splash",  # Manim's "Manim Community v0.21.0": not rnn3d's output
            "render",
            "-q",
            quality,
            "--silent",
            "--disable_caching",
            "-o",
            self.target.name,
            *formats.manim_flags(fmt, self.transparent),
        ]
        if not progress and "--progress_bar" not in command:  # jobs whose bars would mix
            command += ["--progress_bar", "none"]
        return [*command, str(scene_file), scene_class]

    def _env(self, settings: Settings) -> dict[str, str]:
        settings = replace(settings, shot=self.target.shot)
        # The options reach the child only as given here; other RNN3D_* (the cache) pass on.
        env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
        # The child imports `scenes` from this checkout even when it is not installed.
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(SCENES_DIR.parent), env.get("PYTHONPATH")])
        )
        return env | settings.to_env()

    def finish(self) -> list[Path]:
        """The files Manim made (in the temporary directory, until cleanup): its movie or
        still, then the .srt of the captions it said, if any; RnnError if Manim failed or
        wrote nothing."""
        suffix = formats.manim_suffix(self.dest.suffix[1:], self.transparent)
        produced = [
            p
            for p in self.tmp.rglob(f"{self.target.name}{suffix}")
            if "partial_movie_files" not in p.parts
        ]
        self.check_exit(len(produced) == 1)
        return [*produced, *list(self.tmp.rglob(f"{self.target.name}.srt"))[:1]]

    def check_exit(self, wrote: bool, dest: Path | None = None) -> None:
        """RnnError unless Manim exited with status 0 and `wrote` what was expected; Reported
        if the child failed and said why itself."""
        rc = self.proc.returncode
        manim_cache.publish(self.tmp)  # what it made, even if it failed later
        if rc in (BAD_INPUT, SYSTEM_FAULT):
            raise Reported(rc)  # the child said what went wrong, in one line
        if rc != 0 or not wrote:
            why = f"Manim exited with status {rc}" if rc else "Manim wrote no file"
            lost = f": {dest} was not written" if dest else ""
            raise RnnError(
                f"rendering {self.target.name} failed ({why}; its messages are above){lost}"
            )

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def output_stem(target: Target, quality: str) -> str:
    """What a target's files are named by: rnn_480p15, R3_1080p60."""
    return f"{target.name}_{QUALITIES[quality]}"


def render_all(targets: list[Target], jobs: int, start: Callable[[Target], Job]) -> int:
    """Run up to `jobs` children at a time, each begun by `start`, each writing its target's
    files itself (rnn3d slides); return 0 if every target was written, else the worst
    failure's exit status (1 Manim failed, 2 bad input, 3 a fault of the machine).

    A failed target does not stop the others. Ctrl-C (or SIGTERM) stops every child and
    removes every temporary directory before it propagates.
    """
    pending, failures = list(targets), [0]

    def written(target: Target, job: Child) -> None:
        try:
            for path in job.finish():
                print(f"rnn3d: wrote {path}", flush=True)
        except RnnError as err:
            print(f"rnn3d: error: {err}", file=sys.stderr, flush=True)
            failures.append(1)
        except Reported as err:
            failures.append(err.status)

    with sigterm_interrupts(), JobPool[Target](jobs) as pool:
        while pending or pool.running:
            while pending and pool.has_room():
                target = pending.pop(0)
                pool.start(target, start(target))
            pool.collect(written)
    return max(failures)
