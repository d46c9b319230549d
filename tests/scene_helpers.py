"""Render a part scene's last frame at low resolution and find things in it (shared by the RNN
and LSTM scene tests).

    frame, scene = render_last_frame(RNNPart, Settings(shot="R3"), media_dir)
    rgb = pixel_rgb(frame, scene, neuron)        # the colour at a neuron's projected centre
    render_shots(RNNPart, Settings(), media_dir, on_shot_end)   # every shot's last frame, in
                                                                # one run of the whole part

Animations are skipped (each shot runs to its end state) and only the frames asked for are
drawn; nothing is written to disk but the LaTeX / text caches under media_dir: share one
media_dir per test session so formulas compile once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from manim import Mobject, tempconfig

from scenes.manim_adapter import draw_only_frames_shown, grab_frame
from scenes.settings import Settings

WIDTH, HEIGHT = 320, 180


@contextmanager
def settings_env(settings: Settings) -> Iterator[None]:
    """Put these settings (and only these) in the RNN3D_* environment for the duration."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("RNN3D_") and k != "RNN3D_CACHE"}
    for k in saved:
        del os.environ[k]
    os.environ.update(settings.to_env())
    try:
        yield
    finally:
        for k in settings.to_env():
            os.environ.pop(k, None)
        os.environ.update(saved)


def run_shots(
    scene_cls: type,
    settings: Settings,
    media_dir: Path,
    on_shot_end: Callable[[str, object], None],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> object:
    """Run a part scene (animations skipped, no frame drawn) and call on_shot_end(shot id,
    scene) at the end of every shot it plays, while the scene is in that shot's final state.
    Returns the scene."""
    options = {
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": 15,
        "skip_animations": True,
        "write_to_movie": False,
        "save_last_frame": False,
        "disable_caching": True,
        "media_dir": str(media_dir),
        "verbosity": "ERROR",
        "progress_bar": "none",
    }
    with settings_env(settings), tempconfig(options):
        scene = scene_cls(skip_animations=True)  # the config option alone is not read
        draw_only_frames_shown(scene.renderer, full_frames=False)  # only the frames grabbed
        started: list[str] = []
        begin_section = scene.next_section

        def next_section(name: str = "unnamed", **kwargs) -> None:
            if started:
                on_shot_end(started[-1], scene)
            started.append(name)
            begin_section(name, **kwargs)

        scene.next_section = next_section
        scene.render()
        on_shot_end(started[-1], scene)
    return scene


def render_shots(
    scene_cls: type,
    settings: Settings,
    media_dir: Path,
    on_shot_end: Callable[[str, np.ndarray, object], None],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> object:
    """run_shots, with each shot's last frame: on_shot_end(shot id, frame, scene), frame an
    (height, width, 3) uint8 RGB array. Returns the scene."""
    return run_shots(
        scene_cls,
        settings,
        media_dir,
        lambda shot, scene: on_shot_end(shot, grab_frame(scene), scene),
        width,
        height,
    )


def render_last_frame(
    scene_cls: type, settings: Settings, media_dir: Path, width: int = WIDTH, height: int = HEIGHT
):
    """Build scene_cls with these settings, run it (animations skipped) and return
    (the last frame as an (height, width, 3) uint8 RGB array, the scene)."""
    frames: list[np.ndarray] = []
    scene = render_shots(
        scene_cls, settings, media_dir, lambda _, f, __: frames.append(f), width, height
    )
    return frames[-1], scene


def screen_xy(scene, point: np.ndarray) -> np.ndarray:
    """Where a world point lands on screen (frame units), through the scene's 3D camera."""
    return scene.renderer.camera.project_point(np.asarray(point, dtype=float))[:2]


def pixel_of(frame: np.ndarray, scene, point: np.ndarray) -> tuple[int, int]:
    """(row, column) of the pixel a world point lands on."""
    from manim import config

    x, y = screen_xy(scene, point)
    h, w = frame.shape[:2]
    col = int(round((x / config.frame_width + 0.5) * w - 0.5))
    row = int(round((0.5 - y / config.frame_height) * h - 0.5))
    return row, col


def pixel_rgb(frame: np.ndarray, scene, mob: Mobject) -> np.ndarray:
    """The colour (0..1 RGB) at the projected centre of a mobject drawn in the 3D world."""
    row, col = pixel_of(frame, scene, mob.get_center())
    return frame[row, col].astype(float) / 255
