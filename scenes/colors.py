"""The two colour scales every scene uses, and their on-screen legend.

diverging(v), v in [-1, 1] (tanh-range: hidden states, cell states, weights scaled by their
    largest magnitude): blue at -1, a neutral grey at 0, orange at +1, linear in RGB on each side.
sequential(v), v in [0, 1] (gates, probabilities, one-hot inputs): viridis, linear in RGB between
    its five stops at 0, 1/4, 1/2, 3/4, 1.
Values outside the range are clipped. Both scales stay readable on the dark background: the
darkest colour of either (the grey at 0, viridis at 0) is still clearly lighter than black.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Line,
    ManimColor,
    Rectangle,
    Text,
    VGroup,
    VMobject,
)

from .subscripts import sub_text

NEGATIVE = ManimColor("#2F8FFF")  # -1
NEUTRAL = ManimColor("#5C5C66")  # 0: dull grey, so a silent neuron still reads as a body
POSITIVE = ManimColor("#FF8A1F")  # +1
VIRIDIS = [ManimColor(c) for c in ("#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725")]


def _mix(a: ManimColor, b: ManimColor, t: float) -> ManimColor:
    return ManimColor.from_rgb((1 - t) * a.to_rgb() + t * b.to_rgb())


def diverging(v: float) -> ManimColor:
    """Colour of a tanh-range value: NEGATIVE at -1, NEUTRAL at 0, POSITIVE at +1."""
    v = float(np.clip(v, -1.0, 1.0))
    return _mix(NEUTRAL, POSITIVE, v) if v >= 0 else _mix(NEUTRAL, NEGATIVE, -v)


def sequential(v: float) -> ManimColor:
    """Colour of a value in [0, 1] on the viridis stops."""
    v = float(np.clip(v, 0.0, 1.0)) * (len(VIRIDIS) - 1)
    k = min(int(v), len(VIRIDIS) - 2)
    return _mix(VIRIDIS[k], VIRIDIS[k + 1], v - k)


def one_path(mob: VMobject) -> VMobject:
    """The same drawing as one Cairo path: a single-colour Text or MathTex is one mobject per
    glyph, and every mobject costs time at every frame it is redrawn."""
    parts = [m for m in mob.family_members_with_points() if isinstance(m, VMobject)]
    path = VMobject(
        fill_color=parts[0].get_fill_color(),
        fill_opacity=parts[0].get_fill_opacity(),
        stroke_width=parts[0].get_stroke_width(),
    )
    path.set_points(np.vstack([m.points for m in parts]))
    return path


SCALES = {"diverging": diverging, "sequential": sequential}
RANGES = {"diverging": (-1.0, 1.0), "sequential": (0.0, 1.0)}


def scale_colors(kind: str, n: int = 9) -> list[ManimColor]:
    """n colours evenly sampled from a scale, low to high (for gradients and bars)."""
    lo, hi = RANGES[kind]
    return [SCALES[kind](v) for v in np.linspace(lo, hi, n)]


class ColorLegend(VGroup):
    """A horizontal colour bar with end and middle ticks and a title above it.

    kind: "diverging" or "sequential". ticks: the three labels under the bar (low, middle,
    high); by default the scale's own range, e.g. pass ("-0.8", "0", "0.8") when weights were
    divided by their largest magnitude 0.8 before colouring.
    """

    def __init__(
        self,
        kind: str,
        title: str,
        ticks: Sequence[str] | None = None,
        width: float = 2.2,
        height: float = 0.16,
        font_size: float = 20,
        font: str = "",
    ) -> None:
        super().__init__()
        lo, hi = RANGES[kind]
        ticks = ticks or (f"{lo:g}", f"{(lo + hi) / 2:g}", f"{hi:g}")
        bar = Rectangle(width=width, height=height, stroke_width=0.6, stroke_color="#AAAAAA")
        bar.update_rgbas_array("fill_rgbas", scale_colors(kind), 1)  # a gradient fill
        bar.set_sheen_direction(np.array([1.0, 0.0, 0.0]))  # the gradient runs left to right
        left = bar.get_left()
        marks = VGroup(
            *(
                Line(UP * height / 2, DOWN * height * 0.9, stroke_width=1.5, color="#DDDDDD")
                .move_to(left + RIGHT * width * p, aligned_edge=UP)
                .shift(UP * height / 2)
                for p in (0.0, 0.5, 1.0)
            )
        )
        labels = VGroup(
            *(
                one_path(Text(t, font_size=font_size, color="#DDDDDD", font=font)).next_to(
                    m, DOWN, buff=0.05
                )
                for t, m in zip(ticks, marks, strict=True)
            )
        )
        head = one_path(sub_text(title, font_size, "#EEEEEE", font))
        head.next_to(bar, UP, 0.08)
        self.bar, self.labels, self.title = bar, labels, head
        self.add(bar, marks, labels, head)
