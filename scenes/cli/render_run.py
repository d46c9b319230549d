"""Running a render: every clip the cache does not hold is rendered by a child process, up to
--jobs at a time, and each target's file is written (copied, or joined from its shots' clips) as
soon as its clips are there."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Generic, Protocol, TypeVar

from rnncore import RnnError
from scenes.cli import processes
from scenes.cli.render_cache import ClipCache
from scenes.shots import shots_of


@dataclass(frozen=True)
class Target:
    name: str  # "rnn" or "R3": names the output file
    part: str  # the part whose scene renders it
    shot: str | None  # None for the whole part


@dataclass(frozen=True)
class Clip:
    """What one child process renders: a shot of a part, or a whole part (shot None)."""

    part: str
    shot: str | None
    key: str

    @property
    def name(self) -> str:
        return self.shot or self.part

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in shots_of(self.part) if self.shot in (None, s.id))


@dataclass(frozen=True)
class Delivery:
    """One file for the user: the target, where it goes, the clips it is made of."""

    target: Target
    dest: Path
    clips: list[Clip]
    key: str


class Child(Protocol):
    """A child process rendering one clip or target (render_jobs.Job)."""

    proc: Popen

    def finish(self) -> list[Path]: ...

    def cleanup(self) -> None: ...


class Reported(Exception):
    """A child failed and has said why in one line; status is its exit status."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


Item = TypeVar("Item")  # what a job renders: a Clip, a Target


class JobPool(Generic[Item]):
    """The children at work, at most `size` at once, each with what it renders. Leaving the
    `with` block (Ctrl-C, SIGTERM, an error) stops every child still running and removes its
    temporary directory."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.running: list[tuple[Item, Child]] = []

    def __enter__(self) -> JobPool[Item]:
        return self

    def __exit__(self, *exc: object) -> None:
        for _, job in self.running:  # only left here on an interrupt or an error
            processes.stop(job.proc)
            job.cleanup()
        self.running = []

    def has_room(self) -> bool:
        return len(self.running) < self.size

    def start(self, item: Item, job: Child) -> None:
        self.running.append((item, job))

    def collect(self, done: Callable[[Item, Child], None]) -> None:
        """After a moment, hand each child that has exited to `done`, then remove its
        temporary directory."""
        if self.running:
            time.sleep(0.1)
        for item, job in [(i, j) for i, j in self.running if j.proc.poll() is not None]:
            self.running.remove((item, job))
            try:
                done(item, job)
            finally:
                job.cleanup()


# A clip's files by suffix (Manim's movie or still, and the .srt of its captions).
ClipFiles = dict[str, Path]
# Makes a target's files in a work directory from its clips: (clips, dest, work) -> files made,
# the video last.
Assemble = Callable[[list[ClipFiles], Path, Path], list[Path]]


def render_clips(
    deliveries: list[Delivery],
    start: Callable[[Clip, Path], Child],
    assemble: Assemble,
    cache: ClipCache,
    jobs: int,
    out: Path,
    force: bool = False,
) -> int:
    """Render every clip the cache does not hold (all of them with force), up to `jobs` at a
    time, the longest first, each by start(clip, a directory in `out` to work in, named after
    this run so that a later run removes it if this one is killed); write each target's
    files as soon as its clips are there. Return 0 if every file was written, else the worst
    failure's exit status (1 Manim failed, 2 bad input, 3 a fault of the machine).

    A failed clip fails only the targets made of it. Ctrl-C (or SIGTERM) stops every child and
    removes every temporary directory before it propagates.
    """
    ready: dict[str, ClipFiles] = {}  # key -> clip in the cache
    todo: list[Clip] = []
    for clip in (c for d in deliveries for c in d.clips):
        if clip.key in ready or clip in todo:
            continue
        hit = None if force else cache.get(clip.key)
        if hit is None:
            todo.append(clip)
        else:
            ready[clip.key] = hit
    todo.sort(key=lambda c: -c.seconds)
    rendered, to_render = 0, len(todo)
    failed: set[str] = set()
    waiting, failures = list(deliveries), [0]

    def rendered_clip(clip: Clip, job: Child) -> None:
        nonlocal rendered
        try:
            ready[clip.key] = cache.put(clip.key, job.finish())
            rendered += 1
            print(f"rnn3d: rendered {clip.name} ({rendered} of {to_render})", flush=True)
        except RnnError as err:
            lost = [str(d.dest) for d in deliveries if clip in d.clips]
            print(
                f"rnn3d: error: {err}: {', '.join(lost)} "
                f"{'was' if len(lost) == 1 else 'were'} not written",
                file=sys.stderr,
                flush=True,
            )
            failures.append(1)
            failed.add(clip.key)
        except Reported as err:  # the child said why
            failures.append(err.status)
            failed.add(clip.key)

    staging = Path(tempfile.mkdtemp(prefix=processes.run_tag(), dir=out))
    try:
        with JobPool[Clip](jobs) as pool:
            while waiting:
                for delivery in [
                    d for d in waiting if all(c.key in ready or c.key in failed for c in d.clips)
                ]:
                    waiting.remove(delivery)
                    if any(c.key in failed for c in delivery.clips):
                        continue  # said when its clip failed
                    if not _deliver(delivery, ready, cache, assemble):
                        failures.append(1)
                while todo and pool.has_room():
                    clip = todo.pop(0)
                    pool.start(clip, start(clip, staging))
                pool.collect(rendered_clip)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cache.prune()
    return max(failures)


def _deliver(
    delivery: Delivery, ready: dict[str, ClipFiles], cache: ClipCache, assemble: Assemble
) -> bool:
    """Write one target's files from its clips, the video last, then stamp it; False (and a
    message) if it cannot be written."""
    dest = delivery.dest
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}{processes.run_tag()}", dir=dest.parent))
    try:
        for made in assemble([ready[c.key] for c in delivery.clips], dest, work):
            os.replace(made, dest.with_suffix(made.suffix))
    except RnnError as err:
        print(f"rnn3d: error: {err}", file=sys.stderr, flush=True)
        return False
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cache.stamp(dest, delivery.key)
    print(f"rnn3d: wrote {dest}", flush=True)
    return True


# Peak resident memory of one render job (a child Manim process) at each quality, measured with
# bench/render_bench.py on the longest shots, with some margin: what sizes the default --jobs.
# At 2160p: R2 peaks at 1.44 GB, and L3 holds about twice R2's memory at the lower qualities.
JOB_MEMORY = {"l": 0.5 * 2**30, "m": 0.9 * 2**30, "h": 1.5 * 2**30, "k": 3.0 * 2**30}


def available_memory() -> int | None:
    """Bytes the kernel can give to new processes without swapping (Linux), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def choose_jobs(asked: int | None, quality: str, clips: int) -> int:
    """How many render jobs to run at once: the user's --jobs, or as many as there are cores,
    memory for the quality, and clips to render."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = available_memory()
    fit = max(1, int(memory // JOB_MEMORY[quality])) if memory is not None else None
    if asked is None:
        return max(1, min(cores or 1, fit or clips, clips))
    if memory is not None and fit is not None and asked > fit:
        print(
            f"rnn3d: warning: --jobs {asked} at -q {quality} needs about "
            f"{asked * JOB_MEMORY[quality] / 2**30:.1f} GB, {memory / 2**30:.1f} GB is "
            f"available: {fit} at once would fit",
            file=sys.stderr,
            flush=True,
        )
    return asked
