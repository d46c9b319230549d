"""Fault injection, part 3: processes. SIGKILL and SIGTERM at random moments of a short render,
and concurrent renders into one folder on a cold cache. Renders use tiny scenes (about a second
each, see tests/test_cli_render.py), with a formula and a text so LaTeX and Pango run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scenes.cli import processes

ROOT = Path(__file__).resolve().parent.parent

SCENES = """
import time

from manim import MathTex, Rotate, Square, Text

from scenes.base import PartScene
from scenes.shots import SHOTS


class Tiny(PartScene):
    part = "rnn"

    def setup(self):
        super().setup()
        self.add(MathTex(r"S_t = \\tanh(W_s S_{t-1})"), Text(self.settings.text or "tiny"))

    def shot_R1(self):
        self.add(Square())
        self.wait(0.2)


class Slow(Tiny):
    # A run that stays live until the test stops it, however fast the machine: a minute of
    # video renders in a few seconds (the frames a kill lands among), then it holds. 600 s
    # only bounds a run nobody stopped.
    def shot_R1(self):
        self.play(Rotate(Square()), run_time=60)
        time.sleep(600)


class DiskFull(Tiny):
    def shot_R1(self):
        raise OSError(28, "No space left on device", "partial_movie_files/R1.mp4")


class NoMemory(Tiny):
    def shot_R1(self):
        raise MemoryError


class Bug(Tiny):
    def shot_R1(self):
        raise ZeroDivisionError("a bug")
"""

DRIVER = """
import sys
from pathlib import Path

from scenes.cli import main, render_cmd

scene = Path(sys.argv[1])
render_cmd.PART_SCENES = {"rnn": (scene, sys.argv[2]), "lstm": (scene, sys.argv[2])}
sys.exit(main(["render", "R1", "--out", sys.argv[3], *sys.argv[4:]]))
"""


@pytest.fixture
def render(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """render(scene_class, out, *options, cache=...) -> Popen of `rnn3d render R1` on tiny
    scenes, in a new session (so a test can kill its whole group). A run still going when the
    test ends (Slow, after a failed assertion) is killed."""
    (tmp_path / "tiny.py").write_text(SCENES)
    (tmp_path / "driver.py").write_text(DRIVER)
    started: list[subprocess.Popen] = []

    def start(scene: str, out: Path, *options: str, cache: Path | None = None) -> subprocess.Popen:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RNN3D_CACHE": str(cache or tmp_path / "cache"),
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                str(tmp_path / "driver.py"),
                str(tmp_path / "tiny.py"),
                scene,
                str(out),
                *options,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:  # not reaped: its group is still ours to kill
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for stream in filter(None, (proc.stdout, proc.stderr)):
            stream.close()


def _children_of(out: Path) -> list[int]:
    """Processes working in a temporary folder of out (the Manim children)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(out) in os.readlink(proc / "cwd"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _wait_for(condition, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _temporaries(out: Path) -> list[Path]:
    return sorted(out.glob(".*")) if out.exists() else []


pytestmark = pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs Linux /proc")


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("how", ["SIGKILL rnn3d", "SIGKILL the group", "SIGTERM rnn3d"])
def test_killed_at_a_random_moment(render, tmp_path: Path, how: str, seed: int) -> None:
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "R1_480p15.mp4"
    earlier.write_bytes(b"an earlier render")
    # a video, not a png: a png renders only the last frame and can finish before the kill
    proc = render("Slow", out)
    _wait_for(lambda: _children_of(out), what="the Manim child")
    time.sleep(random.Random(seed).uniform(0.0, 2.0))  # somewhere in LaTeX, Pango or frames
    if how == "SIGKILL the group":
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.send_signal(signal.SIGKILL if how == "SIGKILL rnn3d" else signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    # the Manim child dies with rnn3d, whatever killed it
    _wait_for(lambda: not _children_of(out), timeout=30, what="the child to die")
    assert earlier.read_bytes() == b"an earlier render"
    if how == "SIGTERM rnn3d":
        assert proc.returncode == 130 and err.endswith("rnn3d: interrupted\n")
        assert _temporaries(out) == []
    # a later render removes what a run killed outright left, and renders
    again = render("Tiny", out)
    assert again.wait(timeout=300) == 0, again.stderr.read() if again.stderr else ""
    assert sorted(p.name for p in out.iterdir()) == ["R1_480p15.mp4"]
    assert earlier.read_bytes()[4:8] == b"ftyp"


def test_a_live_concurrent_run_keeps_its_temporary_folder(render, tmp_path: Path) -> None:
    out = tmp_path / "out"
    slow = render("Slow", out)  # live until the SIGTERM below
    _wait_for(lambda: _children_of(out), what="the slow render")
    (live,) = _temporaries(out)
    dead = out / f".R1_480p15.mp4{dead_run_tag()}x"
    dead.mkdir()
    quick = render("Tiny", out, "--format", "png")
    assert quick.wait(timeout=300) == 0
    assert live.exists() and not dead.exists()
    slow.send_signal(signal.SIGTERM)
    assert slow.wait(timeout=60) == 130
    assert not live.exists()


def dead_run_tag() -> str:
    """The run tag of a process that has exited, taken while it ran, as a run killed outright
    leaves it: its pid and start time, so it is dead even if the pid is reused meanwhile (a
    tag taken after the exit has start time 0, and stays alive for any process given the pid)."""
    proc = subprocess.Popen([sys.executable, "-c", "input()"], stdin=subprocess.PIPE, text=True)
    tag = processes.run_tag(proc.pid)
    proc.communicate("\n")
    return tag


@pytest.mark.parametrize("renders", [2, 4])
def test_concurrent_renders_into_one_folder_on_a_cold_cache(
    render, tmp_path: Path, renders: int
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cold-cache"
    procs = [
        render("Tiny", out, "--format", "png", "--text", "same text", cache=cache)
        for _ in range(renders)
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert sorted(p.name for p in out.iterdir()) == ["R1_480p15.png"]
    shared = sorted((cache / "manim").rglob("*.svg"))
    assert len(shared) >= 2  # the formula and the text, each once, whole
    assert not list((cache / "manim").rglob(".*.tmp"))


@pytest.mark.parametrize(
    "scene, status, message",
    [
        ("DiskFull", 3, "No space left on device"),
        ("NoMemory", 3, "out of memory"),
        ("Bug", 1, "rendering R1 failed"),
    ],
)
def test_a_fault_inside_manim_is_one_line(
    render, tmp_path: Path, scene: str, status: int, message: str
) -> None:
    """Manim prints a scene's exception as a long traceback; a fault of the machine is one
    line with status 3 instead (a bug keeps its traceback, then rnn3d's line)."""
    out = tmp_path / "out"
    proc = render(scene, out, "--format", "png")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == status
    assert message in err.splitlines()[-1]
    if status == 3:
        assert err.count("\n") == 1 and "Traceback" not in err, err
    assert list(out.iterdir()) == []
