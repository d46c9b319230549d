"""How tall a text's capitals are on screen (tests/layout.py's rule of 12 px), whatever it has
become since it was built.

A text made one path no longer knows its font size, so ``text_sizes()`` notes, while the scene
is built, each glyph outline's height as a share of its text's capital height; a glyph drawn
later is matched by its shape, whatever it was moved or scaled to (a text of small letters only,
such as "e", is then measured by the capitals it would have). Texts built outside text_sizes()
are measured by their tallest glyph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
from manim import Mobject, VMobject

_SHARES: dict[bytes, float] = {}  # glyph outline shape -> its height / its capitals' height
_CAPS: dict[tuple[str, str], float] = {}  # (class, font) -> capital height at font_size 48


def _outlines(points: np.ndarray, mob: VMobject) -> Iterator[np.ndarray]:
    """The closed outlines (glyphs and their parts) of a path, as (n, 2) screen points."""
    for start, end in mob.get_subpath_split_indices_from_points(points, 2).tolist():
        if end - start >= 4:
            yield points[start:end, :2]


def _shape(outline: np.ndarray) -> bytes | None:
    """A key of an outline's shape, the same wherever it is moved and whatever its size."""
    height = float(np.ptp(outline[:, 1]))
    if height <= 1e-6:
        return None
    return np.round((outline - outline[0]) / height, 2).tobytes()


def _capital_height(cls: type, font: str) -> float:
    """The height of a capital H at font_size 48 in this kind of text and font."""
    key = (cls.__name__, font)
    if key not in _CAPS:
        from manim import MathTex, Text

        _CAPS[key] = float("nan")  # while the H itself is built (text_sizes skips it)
        _CAPS[key] = (MathTex("H") if cls.__name__ != "Text" else Text("H", font=font)).height
    return _CAPS[key]


@contextmanager
def text_sizes() -> Iterator[None]:
    """While the scene is built: note the shapes of the glyphs every text is made of, with
    their height as a share of that text's capital height."""
    from manim import MarkupText, Text
    from manim.mobject.text.tex_mobject import SingleStringMathTex

    def noting(cls: type, base: type) -> Callable[..., None]:
        init = cls.__init__

        def __init__(self, *args, font_size: float = 48, **kwargs) -> None:
            init(self, *args, font_size=font_size, **kwargs)
            caps = _capital_height(base, kwargs.get("font", "")) * font_size / 48
            if not caps > 0:
                return
            for m in self.family_members_with_points():
                for outline in _outlines(m.points, m):
                    shape = _shape(outline)
                    if shape is not None:
                        _SHARES.setdefault(shape, float(np.ptp(outline[:, 1])) / caps)

        return __init__

    saved = {cls: cls.__init__ for cls in (Text, MarkupText, SingleStringMathTex)}
    Text.__init__ = noting(Text, Text)
    MarkupText.__init__ = noting(MarkupText, Text)
    SingleStringMathTex.__init__ = noting(SingleStringMathTex, SingleStringMathTex)
    try:
        yield
    finally:
        for cls, init in saved.items():
            cls.__init__ = init


def capital_height(camera, mob: Mobject) -> float:
    """The capital height of a text on screen, in frame units: the median over its glyphs that
    text_sizes() saw, else its tallest glyph."""
    caps, tallest = [], 0.0
    for m in mob.family_members_with_points():
        if not isinstance(m, VMobject):
            continue
        for outline in _outlines(camera.transform_points_pre_display(m, m.points), m):
            height = float(np.ptp(outline[:, 1]))
            tallest = max(tallest, height)
            share = _SHARES.get(_shape(outline) or b"")
            if share:
                caps.append(height / share)
    return float(np.median(caps)) if caps else tallest
