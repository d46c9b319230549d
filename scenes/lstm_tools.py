"""The seed's two LSTM tools and the notebook they work on, drawn from Manim primitives.

- Eraser: the forget gate f1 = f_t. Entries of the diary C whose gate keeps less than
  FORGET_THRESHOLD of them are wiped (faded); the others keep f_t * c_{t-1}.
- Pencil: the input gate f2 = i_t * g_t. It writes i_t * g_t into the diary; entries where it
  writes at least WRITE_THRESHOLD (in absolute value) are drawn as freshly written.
- Diary: one entry per drawn unit of the cell state C; its ink colour is the entry's value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Line,
    ManimColor,
    Polygon,
    Rectangle,
    Square,
    Succession,
    Text,
    Transform,
    VGroup,
    VMobject,
)

from .blocks import tex
from .colors import one_path
from .layout import font_for, point
from .manim_adapter import prepare_animation

FORGET_THRESHOLD = 0.5  # f_t below this keeps less than half of the entry: the eraser wipes it
WRITE_THRESHOLD = 0.1  # |i_t * g_t| at least this: the pencil visibly writes a new entry
FADED_OPACITY = 0.2  # how much of a wiped entry's swatch still shows (it is f * c, not nothing)
# a wiped entry's number stays this dark on the page: at FADED_OPACITY it read as pale grey
FADED_NUMBER_OPACITY = 0.75
MARGIN = 0.3  # the tools work this far inside the page's right edge, right of the entries

PAPER = ManimColor("#f4ecd8")
RULE = ManimColor("#b9c7d8")
INK = "#3b3024"  # the diary's title and swatch edges


def forgotten(f: np.ndarray) -> np.ndarray:
    """Boolean mask of the entries the eraser wipes: forget gate below FORGET_THRESHOLD."""
    return np.asarray(f) < FORGET_THRESHOLD


def written(ig: np.ndarray) -> np.ndarray:
    """Boolean mask of the entries the pencil writes: |i_t * g_t| at least WRITE_THRESHOLD."""
    return np.abs(np.asarray(ig)) >= WRITE_THRESHOLD


@cache
def _label(s: str, font_size: float, color: str, font: str = "") -> VMobject:
    """A short text as one path, drawn once per process (every erase and write rebuilds the
    diary's entries, and Text costs tens of milliseconds)."""
    return one_path(Text(s, font_size=font_size, color=color, font=font))


class Eraser(VGroup):
    """A two-tone block eraser seen slightly from above: a sleeve and the rubber end."""

    def __init__(self, width: float = 0.9, height: float = 0.4, depth: float = 0.18) -> None:
        super().__init__()
        w, h, d = width, height, depth
        slant = np.array([d, d, 0.0])  # the top face recedes up and to the right
        corners = [np.array(p, dtype=float) for p in ([0, 0, 0], [w, 0, 0], [w, h, 0], [0, h, 0])]
        split = 0.55 * w  # where the sleeve ends and the rubber shows
        sleeve = Polygon(
            corners[0],
            corners[0] + [split, 0, 0],
            corners[3] + [split, 0, 0],
            corners[3],
            fill_color="#3a6fb0",
            fill_opacity=1,
            stroke_width=1.5,
            stroke_color="#1d3557",
        )
        rubber = Polygon(
            corners[0] + [split, 0, 0],
            corners[1],
            corners[2],
            corners[3] + [split, 0, 0],
            fill_color="#f28ca0",
            fill_opacity=1,
            stroke_width=1.5,
            stroke_color="#9c3d54",
        )
        top = Polygon(
            corners[3],
            corners[2],
            corners[2] + slant,
            corners[3] + slant,
            fill_color="#f7c3cf",
            fill_opacity=1,
            stroke_width=1.5,
            stroke_color="#9c3d54",
        )
        side = Polygon(
            corners[1],
            corners[1] + slant,
            corners[2] + slant,
            corners[2],
            fill_color="#c9657c",
            fill_opacity=1,
            stroke_width=1.5,
            stroke_color="#9c3d54",
        )
        self.add(side, top, sleeve, rubber)
        self.rotate(-0.3)
        # the rubber end on the left, the sleeve rising to the right: it rubs in the diary's
        # right margin with its body out in the gap beside the diary, off the entries
        self.flip(UP)

    @property
    def rubbing_point(self) -> np.ndarray:
        """Where the rubber end touches the paper: the lower left corner of the whole eraser
        (its side face stands out left of the rubber), so nothing of it is left of there."""
        return self.get_corner(DOWN + LEFT)

    def rub_at(self, point: np.ndarray) -> Eraser:
        """Move so that the rubber rests on point (for .animate)."""
        return self.shift(point - self.rubbing_point)


class Pencil(VGroup):
    """A yellow pencil: eraser cap, metal ferrule, hexagonal body, wood cone, graphite tip.

    Built pointing right, then turned so that it writes down and to the left like a hand would:
    its body rises steeply up and right from the tip, off the entries left of it.
    """

    def __init__(self, length: float = 1.7, thickness: float = 0.2) -> None:
        super().__init__()
        L, t = length, thickness
        cap, ferrule, cone = 0.16 * L, 0.08 * L, 0.16 * L
        body = L - cap - ferrule - cone
        x0 = 0.0

        def band(x: float, w: float, color: str) -> Rectangle:
            r = Rectangle(
                width=w,
                height=t,
                fill_color=color,
                fill_opacity=1,
                stroke_width=1.2,
                stroke_color="#5b4a1e",
            )
            return r.move_to(point(x + w / 2, 0))

        parts: list[VMobject] = [band(x0, cap, "#f28ca0"), band(x0 + cap, ferrule, "#b8b8b8")]
        x = x0 + cap + ferrule
        # three facets of the hexagonal body: light, mid, dark stripe
        for k, color in enumerate(("#ffe07a", "#f6c026", "#d99d0f")):
            stripe = Rectangle(
                width=body, height=t / 3, fill_color=color, fill_opacity=1, stroke_width=0
            )
            parts.append(stripe.move_to(point(x + body / 2, t / 3 - k * t / 3)))
        outline = Rectangle(width=body, height=t, stroke_width=1.2, stroke_color="#5b4a1e")
        parts.append(outline.move_to(point(x + body / 2, 0)))
        x += body
        tip = np.array([x + cone, 0, 0])
        parts.append(
            Polygon(
                point(x, t / 2),
                tip,
                point(x, -t / 2),
                fill_color="#e8c39e",
                fill_opacity=1,
                stroke_width=1.2,
                stroke_color="#5b4a1e",
            )
        )
        lead = 0.35  # the graphite is the last third of the cone
        parts.append(
            Polygon(
                tip + [-lead * cone, lead * t / 2, 0],
                tip,
                tip + [-lead * cone, -lead * t / 2, 0],
                fill_color="#333333",
                fill_opacity=1,
                stroke_width=0,
            )
        )
        self.add(*parts)
        self.rotate(-1.0, about_point=tip)
        self.flip(UP, about_point=tip)

    @property
    def tip(self) -> np.ndarray:
        return self[-1].get_vertices()[1]

    def write_at(self, point: np.ndarray) -> Pencil:
        """Move so that the graphite tip rests on point (for .animate)."""
        return self.shift(point - self.tip)


class Diary(VGroup):
    """The cell state C as a notebook page: one ruled line per drawn unit.

    Each entry is a swatch in the value's colour and the value itself. Methods return the
    animations of the seed's two steps: erase (c * f, wiped where f < FORGET_THRESHOLD) and
    write (+ i * g, visibly new where |i * g| >= WRITE_THRESHOLD).
    """

    def __init__(
        self,
        values: Sequence[float] | np.ndarray,
        units: Sequence[int] | np.ndarray,
        color_of: Callable[[float], ManimColor],
        title: str = "c_{t-1}",
        row_height: float = 0.42,
        width: float = 2.5,
        lang: str = "en",
    ) -> None:
        super().__init__()
        self.color_of = color_of
        self.font = font_for(lang)  # its numbers in the face of the captions
        self.units = [int(u) for u in units]
        self.values = np.asarray(values, dtype=float)
        self.row_height, self.width = row_height, width
        n = len(self.values)
        self.page = Rectangle(
            width=width,
            height=row_height * (n + 1.2),
            fill_color=PAPER,
            fill_opacity=1,
            stroke_color="#8a7a5a",
            stroke_width=2,
        )
        self.title = tex(title, color=INK)
        self.title.move_to(self.page.get_top() + 0.38 * row_height * 1.4 * DOWN)
        self.rules = VGroup(
            *(
                Line(
                    LEFT * width / 2.15, RIGHT * width / 2.15, color=RULE, stroke_width=1.5
                ).move_to(self.row_center(k) + 0.5 * row_height * DOWN)
                for k in range(n)
            )
        )
        self.entries = VGroup(*(self._entry(k, v) for k, v in enumerate(self.values)))
        self.faded: list[int] = []  # rows wiped by the last erase
        self.fresh: list[int] = []  # rows written by the last write
        self.add(self.page, self.rules, self.title, self.entries)

    def margin(self, k: int) -> np.ndarray:
        """Where a tool works on row k: in the page's right margin, beside the entry (k may
        be past the last row: below the page)."""
        x = self.page.get_right()[0] - MARGIN
        return np.array([x, self.row_center(k)[1] - 0.1, 0.0])

    def row_center(self, k: int) -> np.ndarray:
        top = self.page.get_top() + 1.2 * self.row_height * DOWN
        return top + (k + 0.5) * self.row_height * DOWN

    def rows_middle(self) -> float:
        """The height midway between the first row's centre and the last's: what a column
        of values beside the diary, a row_height a row, is centred on to stand level."""
        first, last = (self.row_center(k)[1] for k in (0, len(self.units) - 1))
        return (first + last) / 2

    def _entry(self, k: int, value: float, opacity: float = 1.0) -> VGroup:
        unit = _label(f"c{self.units[k] + 1}", 20, "#6b5d48", self.font).copy()
        swatch = Square(
            side_length=0.55 * self.row_height,
            fill_color=self.color_of(value),
            fill_opacity=opacity,
            stroke_color=INK,
            stroke_width=1,
            stroke_opacity=opacity,
        )
        number = _label(f"{value:+.2f}", 20, "#1f1a14", self.font).copy()
        number.set_opacity(1.0 if opacity == 1.0 else FADED_NUMBER_OPACITY)
        row = VGroup(unit, swatch, number).arrange(RIGHT, buff=0.18)
        return row.move_to(self.row_center(k))

    def erase(self, forget: Sequence[float], eraser: Eraser | None = None) -> Animation:
        """c_{t-1} -> f * c_{t-1}; wiped rows (f < FORGET_THRESHOLD) fade to FADED_OPACITY."""
        f = np.asarray(forget, dtype=float)
        mask = forgotten(f)
        self.faded = [int(k) for k in np.flatnonzero(mask)]
        kept = self.values * f
        steps: list[Animation] = []
        for k in range(len(f)):
            target = self._entry(k, kept[k], FADED_OPACITY if mask[k] else 1.0)
            change = Transform(self.entries[k], target)
            if eraser is not None and mask[k]:
                rub = prepare_animation(eraser.animate.rub_at(self.margin(k)))
                steps.append(AnimationGroup(rub, change, lag_ratio=0.4))
            else:
                steps.append(change)
        self.values = kept
        return Succession(*steps) if eraser is not None else AnimationGroup(*steps)

    def write(self, input_write: Sequence[float], pencil: Pencil | None = None) -> Animation:
        """f * c_{t-1} -> c_t = f * c_{t-1} + i * g; written rows appear in fresh ink."""
        ig = np.asarray(input_write, dtype=float)
        mask = written(ig)
        self.fresh = [int(k) for k in np.flatnonzero(mask)]
        new = self.values + ig
        steps: list[Animation] = []
        for k in range(len(ig)):
            target = self._entry(k, new[k])
            if mask[k]:
                # the old ink goes, the new ink appears: the row is rewritten
                blank = target.copy().set_opacity(0).shift(0.15 * LEFT)
                appear = Succession(
                    Transform(self.entries[k], blank, run_time=0.3),
                    Transform(self.entries[k], target),
                )
                if pencil is not None:
                    move = prepare_animation(pencil.animate.write_at(self.margin(k)))
                    steps.append(AnimationGroup(move, appear, lag_ratio=0.5))
                else:
                    steps.append(appear)
            else:  # a wiped row the pencil does not write stays faded
                faded = FADED_OPACITY if k in self.faded else 1.0
                steps.append(Transform(self.entries[k], self._entry(k, new[k], faded)))
        self.values = new
        return Succession(*steps) if pencil is not None else AnimationGroup(*steps)
