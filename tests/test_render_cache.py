"""`rnn3d render` shot by shot and from the render cache: a part joined from its shots has the
frames of the part rendered in one piece; unchanged targets are not rendered again, a changed
shot renders only itself and the shots after it, and damaged entries heal.

The scenes are tiny (a square per shot, each shot's method written out), so a render takes
about a second.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.cli import main, render_cmd
from scenes.cli.join import count_frames
from scenes.cli.render_cache import ClipCache, Keys, _settings_digest, split_shots
from scenes.cli.render_run import Target, choose_jobs
from scenes.settings import Settings
from scenes.shots import SHOTS, shots_of

HEADER = '''
from manim import RIGHT, WHITE, Square, FadeIn

from scenes.base import PartScene


def square(k):
    return Square(side_length=0.5, fill_opacity=1, stroke_width=0, color=WHITE).shift(
        (k - 6) * RIGHT)


class Explicit(PartScene):
    """Shot k fades in a square at x = k - 6 and waits: each shot's frames differ."""
    part = "{part}"
'''
SHOT = """
    def shot_{id}(self):
        self.play(FadeIn(square({k})), run_time={run_time})
        self.wait(0.2)
"""


def scene_source(part: str, run_times: dict[str, float] | None = None) -> str:
    shots = "".join(
        SHOT.format(id=s.id, k=k, run_time=(run_times or {}).get(s.id, 0.4))
        for k, s in enumerate(shots_of(part))
    )
    return HEADER.replace("{part}", part) + shots


@pytest.fixture
def scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Both parts drawn by the Explicit scene, a render cache of their own, and a record of
    which clips were rendered (render_cmd.started)."""
    scene_file = tmp_path / "explicit.py"
    scene_file.write_text(scene_source("rnn"))
    monkeypatch.setattr(
        render_cmd,
        "PART_SCENES",
        {"rnn": (scene_file, "Explicit"), "lstm": (scene_file, "Explicit")},
    )
    monkeypatch.setattr(render_cmd, "render_cache", lambda: ClipCache(tmp_path / "cache"))
    started: list[str] = []
    job = render_cmd.Job

    def spy(target: Target, *args, **kwargs):
        started.append(target.name)
        return job(target, *args, **kwargs)

    monkeypatch.setattr(render_cmd, "Job", spy)
    monkeypatch.setattr(render_cmd, "started", started, raising=False)
    return scene_file


def render(out: Path, *argv: str) -> list[str]:
    """Run rnn3d render; return the clips it rendered."""
    render_cmd.started.clear()
    assert main(["render", *argv, "--out", str(out)]) == 0
    return list(render_cmd.started)


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]


def test_part_joined_from_shots_has_the_frames_of_one_piece(scene: Path, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    assert sorted(render(out, "rnn", "--jobs", "2")) == sorted(s.id for s in shots_of("rnn"))
    whole = Target("whole", "rnn", None)
    job = render_cmd.Job(whole, Settings(), "l", "mp4", tmp_path, render_cmd.PART_SCENES["rnn"])
    job.proc.wait()
    joined, whole = frames(out / "rnn_480p15.mp4"), frames(job.finish()[0])
    job.cleanup()
    assert len(joined) == len(whole) == count_frames(out / "rnn_480p15.mp4")
    # every frame, across each join, is the one-piece render's (to within the encoder's noise)
    difference = [np.abs(a - b).mean() for a, b in zip(joined, whole, strict=True)]
    assert max(difference) < 1.0
    # and the shots really differ: the last frame shows six squares, the first almost none
    assert np.abs(joined[0] - joined[-1]).mean() > 3 * max(difference)


def test_unchanged_render_is_up_to_date(
    scene: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "renders"
    render(out, "R2", "rnn")
    video = out / "rnn_480p15.mp4"
    before = video.stat().st_mtime_ns
    capsys.readouterr()
    assert render(out, "R2", "rnn") == []
    printed = capsys.readouterr().out
    for path in (video, out / "R2_480p15.mp4"):
        assert f"{path} is up to date" in printed
    assert video.stat().st_mtime_ns == before
    assert sorted(render(out, "rnn", "--force")) == sorted(s.id for s in shots_of("rnn"))


def test_changed_shot_renders_itself_and_later_shots(scene: Path, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    render(out, "rnn")
    scene.write_text(scene_source("rnn", {"R6": 0.6}))
    assert render(out, "rnn") == ["R6"]
    assert count_frames(out / "rnn_480p15.mp4") == round(15 * (5 * 0.6 + 0.8))
    scene.write_text(scene_source("rnn", {"R6": 0.6, "R4": 0.6}))
    assert sorted(render(out, "rnn")) == ["R4", "R5", "R6"]
    render(out, "rnn", "--text", "hi there")  # other settings: every shot
    assert sorted(render_cmd.started) == sorted(s.id for s in shots_of("rnn"))


def test_a_shot_and_its_part_share_clips(scene: Path, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    render(out, "rnn")
    assert render(out, "R3") == []  # cut from the part's clips
    assert render(out, "rnn", "--format", "png") == ["R6"]  # a still: the last shot's frame


def test_damaged_clip_heals_and_edited_file_is_rewritten(scene: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "renders", tmp_path / "cache"
    render(out, "rnn")
    video = out / "rnn_480p15.mp4"
    good = video.read_bytes()
    video.write_bytes(b"edited by hand")
    assert render(out, "rnn") == []  # joined again from the cache
    assert video.read_bytes() == good
    clip = next(p for p in cache.glob("*.mp4") if p.stat().st_size > 0)
    clip.write_bytes(clip.read_bytes()[:100])  # a half-written clip
    video.unlink()
    assert len(render(out, "rnn")) == 1  # just that shot, rendered again
    earlier = tmp_path / "earlier.mp4"
    earlier.write_bytes(good)
    assert count_frames(video) == count_frames(earlier)


def test_split_shots_separates_each_shot_method() -> None:
    source = scene_source("lstm")
    rest, shots = split_shots(source)
    assert sorted(shots) == sorted(s.id for s in shots_of("lstm"))
    assert "shot_" not in rest and "class Explicit" in rest
    assert "square(2)" in shots["L3"]


def test_jobs_fit_cores_and_memory(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scenes.cli import render_run

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(render_run, "available_memory", lambda: 100 * 2**30)
    assert choose_jobs(None, "k", 12) == 4  # the cores
    assert choose_jobs(None, "k", 2) == 2  # the clips to render
    job_memory = render_run.JOB_MEMORY["k"]
    monkeypatch.setattr(render_run, "available_memory", lambda: int(2.5 * job_memory))
    assert choose_jobs(None, "k", 12) == 2  # the memory
    assert choose_jobs(None, "l", 12) == 4
    assert capsys.readouterr().err == ""
    assert choose_jobs(3, "k", 12) == 3  # the user's choice, with a warning
    warning = capsys.readouterr().err
    assert warning.count("\n") == 1 and "--jobs 3" in warning and "2 at once" in warning


def test_real_parts_render_shot_by_shot_except_a_still() -> None:
    everything = [Target(p, p, None) for p in ("rnn", "lstm")]
    videos = render_cmd.plan(everything, Settings(), "l", "mp4", False, Path("x"))
    stills = render_cmd.plan(everything, Settings(), "l", "png", False, Path("x"))
    for video, still in zip(videos, stills, strict=True):
        shots = [s.id for s in SHOTS if s.part == video.target.part]
        assert [c.shot for c in video.clips] == shots
        assert [c.shot for c in still.clips] == shots[-1:]
        assert len({c.key for c in video.clips}) == len(shots)


def test_every_shot_method_is_found_wherever_its_part_keeps_it() -> None:
    keys = Keys(Settings(), "l", "mp4", False, [])
    assert sorted(keys.shot_sources) == sorted(s.id for s in SHOTS)


FOX = "the quick brown fox jumps over the lazy dog"  # 42 steps


def test_spellings_of_one_window_share_a_key(tmp_path: Path) -> None:
    def key(**fields: str) -> str:
        return _settings_digest(Settings(**fields))  # type: ignore[arg-type]

    assert key(text=FOX, steps="30:") == key(text=FOX, steps="30:38")
    assert key(text=FOX, steps=":8") == key(text=FOX, steps="0:8") == key(text=FOX)
    assert key(text=FOX, steps="30:") != key(text=FOX, steps="30:37")
    assert key(steps="0:4") == key() == key(text="hello")  # the default text has 4 steps
    csv = tmp_path / "rows.csv"
    csv.write_text("".join(f"{k}\n" for k in range(20)))  # 19 steps without weights
    assert key(data=str(csv), steps="12:") == key(data=str(csv), steps="12:19")
    assert key(data=str(csv), steps="12:") != key(data=str(csv), steps="12:20")
    # a window that is wrong keeps its spelling: load_story reports it
    assert key(text=FOX, steps="40:50") != key(text=FOX, steps="40:52")


def test_a_large_data_file_keys_on_the_window_as_spelt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resolving reads the data whole: a file past RESOLVE_DATA_BYTES is not read for the key
    (an unchanged re-render stays fast), so its spellings render once each."""
    import scenes.cli.render_cache as render_cache

    csv = tmp_path / "rows.csv"
    csv.write_text("".join(f"{k}\n" for k in range(20)))
    settings = Settings(data=str(csv), steps="12:")
    monkeypatch.setattr(render_cache, "RESOLVE_DATA_BYTES", csv.stat().st_size - 1)
    read = []
    monkeypatch.setattr(render_cache, "known_window", lambda s: read.append(s))
    assert _settings_digest(settings) != _settings_digest(Settings(data=str(csv), steps="12:19"))
    assert read == []


def test_a_window_spelt_otherwise_is_up_to_date(
    scene: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "renders"
    assert render(out, "R1", "--text", FOX, "--steps", "30:") == ["R1"]
    capsys.readouterr()
    assert render(out, "R1", "--text", FOX, "--steps", "30:38") == []
    assert "is up to date" in capsys.readouterr().out


def test_the_key_changes_with_the_data_s_header_alone(tmp_path: Path) -> None:
    """A CSV's header names the features on screen: the same numbers under other names are
    another render."""
    keys = []
    for header in ("a,b", "temp,humidity"):
        path = tmp_path / f"{header}.csv"
        path.write_text(f"{header}\n1,2\n3,4\n", encoding="utf-8")
        keys.append(Keys(Settings(data=str(path)), "l", "mp4", False, []).common)
    assert keys[0] != keys[1]
