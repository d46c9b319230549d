"""How long each shot lasts, measured from the scenes themselves (not kept by hand): a part is
run with every shot skipped, nothing drawn, and its PartScene adds up the run time of every
play (a few seconds). The figures are cached per version of the code and the input."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from rnncore.defaults import cache_dir, code_version
from rnncore.files import atomic_path

SCENES_DIR = Path(__file__).resolve().parent


def shot_lengths(part: str) -> dict[str, float]:
    """Seconds per shot of a part ("rnn" or "lstm") for the input in the RNN3D_* settings."""
    path = cache_dir() / "lengths" / f"{part}-{_version(part)}.json"
    try:
        return {k: float(v) for k, v in json.loads(path.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        pass
    lengths = _measure(part)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(lengths))
    return lengths


def _version(part: str) -> str:
    """What the lengths depend on: the scenes' code, the core's, and the input settings."""
    h = hashlib.sha256(code_version().encode())
    for file in sorted(SCENES_DIR.glob("*.py")):
        h.update(file.read_bytes())
    settings = sorted(
        (k, v)
        for k, v in os.environ.items()
        if k.startswith("RNN3D_") and k not in ("RNN3D_CACHE", "RNN3D_SHOT")
    )
    h.update(repr((part, settings)).encode())
    return h.hexdigest()[:16]


def _measure(part: str) -> dict[str, float]:
    if part == "rnn":
        from .rnn_part import RNNPart

        return measure(RNNPart)
    from .lstm_part import LSTMPart

    return measure(LSTMPart)


def measure(scene_cls: type, skip: bool = True) -> dict[str, float]:
    """Run a PartScene class, nothing drawn (every shot skipped, or played without writing
    a movie), and return the seconds each of its shots lasts."""
    from manim import tempconfig

    from .manim_adapter import draw_only_frames_shown

    options = {
        "write_to_movie": False,
        "save_last_frame": False,
        "disable_caching": True,
        "media_dir": str(cache_dir() / "manim"),
        "verbosity": "ERROR",
        "progress_bar": "none",
        "skip_animations": skip,
    }
    with tempconfig(options):
        scene = scene_cls(skip_animations=skip)
        draw_only_frames_shown(scene.renderer, full_frames=False)  # nothing is drawn
        begin_section = scene.next_section

        def section(name: str = "unnamed", **kwargs) -> None:
            begin_section(name, **{**kwargs, "skip_animations": skip})

        scene.next_section = section
        scene.render()
    return dict(scene.lengths)
