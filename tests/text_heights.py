"""How tall a text's capitals are on screen (tests/layout.py's rule of 12 px), whatever it has
become since it was built.

A text made one path no longer knows its font size, so ``text_sizes()`` notes, while the scene
is built, each glyph outline's height as a share of its text's capital height; a glyph drawn
later is matched by its shape, whatever it was moved or scaled to (a text of small letters only,
such as "e", is then measured by the capitals it would have). Texts built outside text_sizes()
are measured by their tallest glyph.

A text is as small as its smallest run of glyphs: a subscript written in Unicode (Sₜ₋₁) is a
glyph the font draws at about half the size of its letters, and a run of a MarkupText may be
set smaller than the rest. Such glyphs are noted at their own size (the size at which the
character they stand for, "t" for "ₜ", is drawn as tall), and a text is measured by the least
of its median glyph and these.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
from manim import Mobject, VMobject

_SHARES: dict[bytes, float] = {}  # glyph outline shape -> its height / its capitals' height
_CAPS: dict[tuple[str, str], float] = {}  # (class, font) -> capital height at font_size 48
_SMALL: set[bytes] = set()  # shapes of glyphs noted at their own size (subscripts, small runs)
_REF: dict[tuple[str, str], float] = {}  # (character, font) -> its glyph's height at size 48
SMALLER = 0.97  # a glyph this much of its character's height at the text's size is smaller


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
            font = kwargs.get("font", "")
            caps = _capital_height(base, font) * font_size / 48
            if not caps > 0:
                return
            small = _note_small_glyphs(self, font, font_size, Text) if base is Text else set()
            for m in self.family_members_with_points():
                if id(m) in small:
                    continue
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


_MARKUP = re.compile(r"<[^>]*>|&[#\w]+;|.", re.S)


def _smaller_glyphs(mob: VMobject) -> list[tuple[int, str]]:
    """The glyphs of a text that may be drawn smaller than its size, as (index, the character
    they stand for): in a Text, Unicode's subscripts and superscripts ("ₜ" stands for "t"); in
    a MarkupText, the characters inside a span that sets a size. None when the text does not
    draw a glyph per character."""
    out: list[tuple[int, str]] = []
    if type(mob).__name__ == "MarkupText":  # its text is the markup without white space
        sized, k = [], 0  # sized: whether each open span sets a size
        for token in _MARKUP.findall(mob.text):
            if token.startswith("</"):
                sized = sized[:-1]
            elif token.startswith("<"):
                sized.append("size=" in token)
            else:
                if any(sized):
                    out.append((k, html.unescape(token)))
                k += 1
    else:
        k = len(mob.text)
        out = [(i, _reading(ch)) for i, ch in enumerate(mob.text) if _reading(ch) != ch]
    return out if k == len(mob.submobjects) else []


def _reading(ch: str) -> str:
    """The character a Unicode subscript or superscript stands for ("ₜ" -> "t"); any other
    character stands for itself."""
    if not unicodedata.decomposition(ch).startswith(("<sub>", "<super>")):
        return ch
    return unicodedata.normalize("NFKC", ch).replace("\u2212", "-")


def _reference_height(ch: str, font: str) -> float:
    """The height of a character's glyph at font_size 48 in this font."""
    from manim import Text

    if (ch, font) not in _REF:
        _REF[ch, font] = float("nan")  # while it is built (it is noted as any text)
        _REF[ch, font] = Text(ch, font=font).height
    return _REF[ch, font]


def _note_small_glyphs(mob: VMobject, font: str, font_size: float, kind: type) -> set[int]:
    """Note the glyphs of a text drawn smaller than its size (Unicode subscripts, a small run
    of a MarkupText) at their own size; the ids of those glyphs."""
    small: set[int] = set()
    caps_48 = _capital_height(kind, font)
    for k, reading in _smaller_glyphs(mob):
        glyph = mob.submobjects[k]
        if len(reading) != 1 or reading.isspace() or not glyph.points.size:
            continue
        ref, height = _reference_height(reading, font), float(glyph.height)
        if not ref > 0 or height >= SMALLER * ref * font_size / 48:
            continue
        own_caps = caps_48 * height / ref  # the capitals of the size it is drawn at
        for outline in _outlines(glyph.points, glyph):
            shape = _shape(outline)
            if shape is not None:
                _SHARES[shape] = float(np.ptp(outline[:, 1])) / own_caps
                _SMALL.add(shape)
        small.add(id(glyph))
    return small


def capital_height(camera, mob: Mobject) -> float:
    """The capital height of a text on screen, in frame units: the median over its glyphs that
    text_sizes() saw, or less where a glyph noted at its own size is smaller; else (when it
    saw fewer than half of them) its tallest glyph."""
    caps, smallest, tallest, outlines = [], float("inf"), 0.0, 0
    for m in mob.family_members_with_points():
        if not isinstance(m, VMobject):
            continue
        for outline in _outlines(camera.transform_points_pre_display(m, m.points), m):
            height = float(np.ptp(outline[:, 1]))
            tallest = max(tallest, height)
            outlines += 1
            shape = _shape(outline) or b""
            share = _SHARES.get(shape)
            if share:
                caps.append(height / share)
                if shape in _SMALL:
                    smallest = min(smallest, height / share)
    # most outlines unknown (a text seen turned a little): the few known are other glyphs'
    # of the same shape (a counter of 神 matched another glyph's and measured it at 7 px)
    return min(float(np.median(caps)), smallest) if 2 * len(caps) >= outlines else tallest
