"""Neurons: one neuron (a disc that reads as a ball), a layer of them, and a heat map of
values (CellGrid). Conventions and speed: see scenes/blocks.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Circle,
    ManimColor,
    MathTex,
    Mobject,
    Text,
    VGroup,
    VMobject,
)

from .animations import Recolor
from .cairo_paint import UL_DIR
from .camera import RANK_NEURON, RANK_TEXT, ranked
from .colors import NEUTRAL, SCALES, one_path
from .manim_adapter import keep_first_stroke_colour, rgba_arrays

Facing = tuple[Mobject, Callable[[], np.ndarray]]  # a mobject and the point it is anchored to


class Neuron(Circle):
    """One neuron: a flat disc filled with its value's colour, lit from the upper left.

    The fill is a linear gradient from ``color`` to ``color + SHEEN`` (clipped), so the pixel at
    the disc's centre is ``centre_rgb(color)``.
    """

    SHEEN = 0.35
    RIM = 0.45  # the rim's colour: the fill's, this much as bright
    RIM_WIDTH = 2.5
    draw_rank = RANK_NEURON
    drawn_as = "disc"  # DepthCamera pastes it as a sprite while it faces the camera

    def __init__(self, radius: float = 0.17, color: ManimColor = NEUTRAL) -> None:
        super().__init__(radius=radius)
        self.set_sheen(self.SHEEN, UL_DIR)
        self.paint(color)

    def paint(self, color: ManimColor) -> Neuron:
        rgb = ManimColor(color).to_rgb()
        if not self._paint_in_place(rgb):
            dark = ManimColor.from_rgb(rgb * self.RIM)
            self.set_fill(color, opacity=1).set_stroke(dark, width=self.RIM_WIDTH, opacity=1)
            keep_first_stroke_colour(self)  # a plain rim: no second gradient to draw
        return self

    def _paint_in_place(self, rgb: np.ndarray) -> bool:
        """What set_fill and set_stroke above leave once the neuron has its colour arrays (a
        fill and its sheen, a rim of one colour, all opaque), written into them: Recolor
        paints at every frame, and Manim's colour parsing was most of that."""
        fill, rim = rgba_arrays(self)[:2]
        sheen = self.get_sheen_factor()
        if self.submobjects or len(fill) != 2 or len(rim) != 1 or sheen == 0:
            return False
        fill[0, :3] = rgb
        fill[1, :3] = np.clip(rgb + sheen, 0, 1)
        rim[0, :3] = rgb * self.RIM
        fill[:, 3] = rim[:, 3] = 1.0
        self.fill_opacity = self.stroke_opacity = 1
        self.stroke_width = self.RIM_WIDTH
        return True

    # Drawn every frame, facing the camera: the generic bounding-box maths manim would do here
    # cost more than drawing the disc, so use the circle's symmetry instead.
    def get_center(self) -> np.ndarray:
        n = len(self.points)  # the mean (numpy's own sum and division), without its wrapper
        return np.add.reduce(self.points, axis=0) / n if n else super().get_center()

    def get_gradient_start_and_end_points(self) -> tuple[np.ndarray, np.ndarray]:
        c, r = self.get_center(), np.ptp(self.points[:, 0]) / 2
        return c - r * UL_DIR, c + r * UL_DIR  # what VMobject computes for a flat disc

    @classmethod
    def centre_rgb(cls, color: ManimColor) -> np.ndarray:
        rgb = ManimColor(color).to_rgb()
        return (rgb + np.clip(rgb + cls.SHEEN, 0, 1)) / 2


class NeuronLayer(VGroup):
    """n neurons in a row along ``axis`` (first on the left), coloured by values on a scale.

    values:  one per neuron, or None (neutral); divided by ``norm`` before colouring.
    scale:   "diverging" (tanh range) or "sequential" ([0, 1]).
    labels:  a short text beside each neuron (e.g. the character an input unit stands for).
    name:    the layer's name, LaTeX (e.g. "x", "S_{3}") or a ready mobject, shown at name_side
             of the first neuron (of the last one when name_side points along the axis).
    """

    def __init__(
        self,
        n: int,
        values: Sequence[float] | None = None,
        scale: str = "diverging",
        labels: Sequence[str] | None = None,
        name: str | VMobject | None = None,
        axis: np.ndarray = RIGHT,
        spacing: float = 0.5,
        radius: float = 0.17,
        center: np.ndarray = ORIGIN,
        norm: float = 1.0,
        label_side: np.ndarray = DOWN,
        name_side: np.ndarray = LEFT,
        font_size: float = 20,
    ) -> None:
        super().__init__()
        self.scale_kind, self.norm, self.axis = scale, norm, np.asarray(axis, dtype=float)
        offsets = (np.arange(n) - (n - 1) / 2) * spacing
        self.discs = [Neuron(radius).move_to(center + k * self.axis) for k in offsets]
        self.neurons = VGroup(*self.discs)
        self.add(self.neurons)
        self.facing: list[Facing] = [(m, m.get_center) for m in self.discs]
        self.labels = VGroup()
        if labels is not None:
            for neuron, s in zip(self.discs, labels, strict=True):
                self.labels.add(
                    self._tag(
                        Text(s, font_size=font_size, color="#DDDDDD"), neuron, label_side, 0.12
                    )
                )
        self.title = VGroup()
        if name is not None:
            mob = MathTex(name, font_size=font_size + 8) if isinstance(name, str) else name
            end = self.discs[-1] if np.dot(name_side, self.axis) > 0 else self.discs[0]
            self.title.add(self._tag(mob, end, name_side, 0.15))
        self.add(self.labels, self.title)
        if values is not None:
            self.set_values(values)

    def _tag(self, mob: VMobject, neuron: Neuron, side: np.ndarray, buff: float) -> VMobject:
        """Place mob beside a neuron on screen (as one path: redrawn at every camera move);
        it travels and turns with that neuron."""
        mob = one_path(mob)
        mob.next_to(neuron.get_center(), side, buff=neuron.radius + buff)
        mob.set_stroke("#000000", width=4, background=True)  # readable over crossing links
        ranked(mob, RANK_TEXT)
        self.facing.append((mob, neuron.get_center))
        return mob

    def colors(self, values: Sequence[float]) -> list[ManimColor]:
        paint = SCALES[self.scale_kind]
        return [paint(float(v) / self.norm) for v in values]

    def set_values(self, values: Sequence[float]) -> NeuronLayer:
        for neuron, color in zip(self.discs, self.colors(values), strict=True):
            neuron.paint(color)
        return self

    def fill(self, values: Sequence[float], lag_ratio: float = 0.1, **kwargs) -> Animation:
        """Animate the neurons' colours to these values, one after the other."""
        return AnimationGroup(
            *(Recolor(n, c) for n, c in zip(self.discs, self.colors(values), strict=True)),
            lag_ratio=lag_ratio,
            **kwargs,
        )


class CellGrid(VMobject):
    """A table of cells coloured by values on a scale, column t and row j showing values[t, j]
    (e.g. a gate: steps along, units down), with thin borders.

    It is one mobject, its outline; DepthCamera fills the cells as plain rectangles. Redrawn at
    every frame (L6 replays training with it), it costs about what a single path costs,
    whatever the number of cells. ``set_values(values)`` recolours it.
    """

    drawn_as = "cells"  # DepthCamera fills its cells

    def __init__(
        self, values: np.ndarray, size: float, scale: str = "sequential", row: float | None = None
    ) -> None:
        """Cells size wide and row tall (default: square)."""
        super().__init__(fill_color="#FFFFFF", fill_opacity=1, stroke_width=0)
        self.size, self.row, self.paint = size, size if row is None else row, SCALES[scale]
        K, n = np.shape(values)
        across, down = RIGHT * K * size, DOWN * n * self.row
        self.set_points_as_corners([ORIGIN, across, across + down, down, ORIGIN])
        self.borders = VMobject(stroke_color="#111111", stroke_width=0.5)
        for t in range(K + 1):
            self.borders.start_new_path(RIGHT * t * size)
            self.borders.add_line_to(RIGHT * t * size + down)
        for j in range(n + 1):
            self.borders.start_new_path(DOWN * j * self.row)
            self.borders.add_line_to(DOWN * j * self.row + across)
        self.add(self.borders)
        self.set_values(values)

    def set_values(self, values: np.ndarray) -> CellGrid:
        self.values = np.asarray(values, dtype=float)
        rgb = np.array([self.paint(float(v)).to_rgb() for v in self.values.ravel()])
        self.bgr = rgb[:, ::-1].reshape(*self.values.shape, 3)
        return self

    def cell(self, t: int, j: int) -> np.ndarray:
        """The centre of the cell of column t, row j."""
        return self.get_corner(UP + LEFT) + np.array(
            [(t + 0.5) * self.size, -(j + 0.5) * self.row, 0]
        )
