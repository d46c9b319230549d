"""Building blocks the part scenes are made of, one class per kind (ManimML style).

World conventions (manim's ThreeDScene, z up):
  - a layer's neurons lie along ``axis`` (default RIGHT = world x: a row in the front view),
  - signals flow up along world z (x at the bottom, y on top, as in Karpathy's diagrams),
  - time runs along world y (into the screen in the front view, see UnrolledChain); turning
    the camera round the vertical axis opens it out to the right.
  FRONT is the camera of the flat front view: ``scene.set_camera_orientation(**FRONT)``.

Speed (see docs/DESIGN.md): every neuron is ONE flat disc with a sheen gradient and a
darker rim, kept facing the camera, so it reads as a ball from every angle; DepthCamera pastes
it as a small cached image. A bundle of links is one path per colour bin (Links.BINS), so an
8x8 bundle costs about 9 paths, not 64. Labels and single-colour formulas are one path each
(``tex``, colors.one_path); fixed in the frame, DepthCamera pastes them from an image too. A
heat map is one CellGrid. Measure with bench/render_bench.py before and after a change.

Using the blocks in a scene:
  - ``class MyPart(BlockScene, PartScene)``: draws with DepthCamera (links, then neurons
    far-to-near, then text, then everything fixed in the frame) and redraws at each frame only
    what the animations change.
  - ``face_camera(scene, *blocks)`` once a block is built (before it is shown): its discs and
    labels keep facing the camera; ``fix_in_frame(scene, *mobs)`` for captions, formulas,
    legends and insets. Neither adds anything to the scene: animate them in as usual.
  - Animations are built by the blocks: ``layer.fill(values)``, ``links.pulse()``,
    ``chain.unroll()``; still changes: ``layer.set_values(values)``. ``appear``, ``vanish``,
    ``Opacity``, ``Glide``, ``Recolor``, ``Throb`` change a mobject in place: unlike FadeIn,
    .animate and friends they never deep-copy it, which matters for text and big groups.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    BackgroundRectangle,
    Circle,
    ManimColor,
    MathTex,
    Mobject,
    Text,
    ThreeDScene,
    VGroup,
    VMobject,
    config,
)
from manim.mobject.opengl.opengl_mobject import OpenGLMobject

from .camera import RANK_LINK, RANK_NEURON, RANK_PULSE, RANK_TEXT, UL_DIR, DepthCamera, ranked
from .colors import NEUTRAL, SCALES, diverging, one_path
from .layout import orientation
from .linebreak import wrap
from .manim_adapter import keep_first_stroke_colour, prepare_animation, rgba_arrays

FRONT = orientation(90, -90)  # screen right = +x, screen up = +z
TIME_AXIS = np.array([0.0, 1.0, 0.0])  # world y
CJK_FONT = "Noto Sans CJK SC"

Facing = tuple[Mobject, Callable[[], np.ndarray]]  # a mobject and the point it is anchored to


class BlockScene(ThreeDScene):
    """A ThreeDScene made of these blocks; listed first among a scene's bases: ``class
    RNNPart(BlockScene, PartScene)``. It draws with DepthCamera, and redraws at each frame only
    what the animations change.

    (Manim redraws, at every frame, the first animated or updating mobject of the scene's list
    and every one after it; the rest is drawn once into a still background. So what updaters
    change and what is animated go last; and with links, drawn under neurons, the layers they
    join are redrawn too, for the duration: get_moving_mobjects adds them, the scene's list
    is left as it is.)
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(camera_class=DepthCamera, **kwargs)
        self._joined: list[Mobject] = []

    def play(self, *animations, **kwargs) -> None:
        if getattr(self, "skipping", False):  # a PartScene shot nobody sees: nothing is drawn
            super().play(*animations, **kwargs)
            return
        animations = tuple(prepare_animation(a) for a in animations)
        # what updaters change is redrawn too: last, after what earlier plays put last
        updating = [m for m in self.mobjects if m.get_family_updaters()]
        self.mobjects = [m for m in self.mobjects if m not in updating] + updating
        for anim in animations:
            for mob, links in _animated(anim):
                if mob in self.mobjects:
                    self.mobjects.remove(mob)
                    self.mobjects.append(mob)
                self._joined += [layer for bundle in links for layer in (bundle.a, bundle.b)]
        try:
            super().play(*animations, **kwargs)
        finally:
            self._joined = []

    def get_moving_mobjects(self, *animations) -> list[Mobject]:
        moving = super().get_moving_mobjects(*animations)
        shown = set(self.get_mobject_family_members())
        return moving + [m for m in self._joined if m in shown and m not in moving]


def _animated(anim) -> list[tuple[Mobject | None, list[Links]]]:
    """Each mobject an animation changes, with the bundles of links among it."""
    if isinstance(anim, AnimationGroup):
        return [pair for sub in anim.animations for pair in _animated(sub)]
    mob = getattr(anim, "mobject", None)
    if isinstance(anim, LinkPulse):
        return [(mob, [anim.links])]
    members = mob.submobjects if isinstance(mob, VGroup) else []
    links = [mob] if isinstance(mob, Links) else [m for m in members if isinstance(m, Links)]
    return [(mob, links)]


def face_camera(scene, *blocks) -> None:
    """Keep the discs and labels of these blocks facing the camera (without adding them)."""
    camera = scene.renderer.camera
    for block in blocks:
        for mob, anchor in block.facing:
            camera.add_fixed_orientation_mobjects(mob, center_func=anchor)


def fix_in_frame(scene, *mobs: Mobject) -> None:
    """Pin these to the screen: they stay put while the camera moves (without adding them)."""
    scene.renderer.camera.add_fixed_in_frame_mobjects(*mobs)


def text(s: str, font_size: float = 22, color: str = "#EEEEEE", lang: str = "en") -> Text:
    """A Text in the caption font of a language (Noto Sans CJK SC for Chinese)."""
    return Text(s, font_size=font_size, color=color, font=CJK_FONT if lang == "zh" else "")


def tex(*parts: str, font_size: float = 30, color: str | ManimColor = "#FFFFFF") -> VMobject:
    """A single-colour formula as one path (a MathTex is a mobject per glyph, and each costs
    time at every frame it is redrawn). Use MathTex where parts are coloured or animated."""
    return one_path(MathTex(*parts, font_size=font_size, color=color))


class _InPlace(Animation):
    """An animation that changes its mobject in place. Manim's own animations deep-copy their
    mobject when they begin, which is slow for text and for groups of many parts; these never
    copy."""

    def create_starting_mobject(self) -> Mobject | OpenGLMobject:
        return self.mobject


# the opacities a part was built with (or had when it began to vanish), kept on the part
FULL_ALPHA = "full_alpha"


class Opacity(_InPlace):
    """Scale the opacity of every part of a mobject from ``start`` to ``end`` (1 = as built).
    Use ``appear(mob)``, ``vanish(mob)`` for fading in and out."""

    def __init__(self, mob: Mobject, start: float, end: float, **kwargs) -> None:
        self.start, self.end = start, end
        self.parts = [m for m in mob.get_family() if isinstance(m, VMobject)]
        for m in self.parts:  # remember the opacities the part was built with, once
            m.__dict__.setdefault(FULL_ALPHA, [rgbas[:, 3].copy() for rgbas in rgba_arrays(m)])
        super().__init__(mob, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        k = self.start + (self.end - self.start) * self.rate_func(alpha)
        for m in self.parts:
            for rgbas, full in zip(rgba_arrays(m), m.__dict__[FULL_ALPHA], strict=True):
                rgbas[:, 3] = full[-1] * k if len(full) != len(rgbas) else full * k

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if self.remover:  # gone from the scene: as built again, should it come back
            self.start = self.end = 1.0
            self.interpolate_mobject(1.0)


def appear(mob: Mobject, **kwargs) -> Animation:
    return Opacity(mob, 0.0, 1.0, introducer=True, **kwargs)


def vanish(mob: Mobject, **kwargs) -> Animation:
    """Fade out from the opacities the mobject has now (they may have changed since it was
    built, e.g. the diary's wiped entries); once gone it is as it was when it began to fade."""
    for m in mob.get_family():
        m.__dict__.pop(FULL_ALPHA, None)
    return Opacity(mob, 1.0, 0.0, remover=True, **kwargs)


class Glide(_InPlace):
    """Move a mobject by a vector."""

    def __init__(self, mob: Mobject, vector: np.ndarray, **kwargs) -> None:
        self.vector, self.done = np.asarray(vector, dtype=float), 0.0
        super().__init__(mob, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        self.mobject.shift((a - self.done) * self.vector)
        self.done = a


class Throb(_InPlace):
    """Neurons swell and settle back, each about its own centre (to point at them). They are
    animated through a new group, which the scene draws last: only they are redrawn."""

    def __init__(self, neurons, factor: float = 1.4, **kwargs) -> None:
        self.factor, self.now = factor, 1.0
        super().__init__(VGroup(*neurons), **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        size = 1 + (self.factor - 1) * np.sin(np.pi * np.clip(alpha, 0, 1))
        for neuron in self.mobject:
            neuron.scale(size / self.now, about_point=neuron.get_center())
        self.now = size


class Recolor(_InPlace):
    """Turn a neuron's colour into another one."""

    def __init__(self, neuron: Neuron, color: ManimColor, **kwargs) -> None:
        self.neuron = neuron
        self.rgb0 = ManimColor(neuron.get_fill_color()).to_rgb()
        self.rgb1 = ManimColor(color).to_rgb()
        super().__init__(neuron, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        self.neuron.paint(ManimColor.from_rgb((1 - a) * self.rgb0 + a * self.rgb1))


class Neuron(Circle):
    """One neuron: a flat disc filled with its value's colour, lit from the upper left.

    The fill is a linear gradient from ``color`` to ``color + SHEEN`` (clipped), so the pixel at
    the disc's centre is ``centre_rgb(color)``.
    """

    SHEEN = 0.35
    draw_rank = RANK_NEURON
    drawn_as = "disc"  # DepthCamera pastes it as a sprite while it faces the camera

    def __init__(self, radius: float = 0.17, color: ManimColor = NEUTRAL) -> None:
        super().__init__(radius=radius)
        self.set_sheen(self.SHEEN, UL_DIR)
        self.paint(color)

    def paint(self, color: ManimColor) -> Neuron:
        dark = ManimColor.from_rgb(ManimColor(color).to_rgb() * 0.45)
        self.set_fill(color, opacity=1).set_stroke(dark, width=2.5, opacity=1)
        keep_first_stroke_colour(self)  # a plain rim: no second gradient to draw
        return self

    # Drawn every frame, facing the camera: the generic bounding-box maths manim would do here
    # cost more than drawing the disc, so use the circle's symmetry instead.
    def get_center(self) -> np.ndarray:
        return self.points.mean(axis=0) if len(self.points) else super().get_center()

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

    def __init__(self, values: np.ndarray, size: float, scale: str = "sequential") -> None:
        super().__init__(fill_color="#FFFFFF", fill_opacity=1, stroke_width=0)
        self.size, self.paint = size, SCALES[scale]
        K, n = np.shape(values)
        self.set_points_as_corners(
            [ORIGIN, RIGHT * K * size, (RIGHT * K + DOWN * n) * size, DOWN * n * size, ORIGIN]
        )
        self.borders = VMobject(stroke_color="#111111", stroke_width=0.5)
        for t in range(K + 1):
            self.borders.start_new_path(RIGHT * t * size)
            self.borders.add_line_to((RIGHT * t + DOWN * n) * size)
        for j in range(n + 1):
            self.borders.start_new_path(DOWN * j * size)
            self.borders.add_line_to((DOWN * j + RIGHT * K) * size)
        self.add(self.borders)
        self.set_values(values)

    def set_values(self, values: np.ndarray) -> CellGrid:
        self.values = np.asarray(values, dtype=float)
        rgb = np.array([self.paint(float(v)).to_rgb() for v in self.values.ravel()])
        self.bgr = rgb[:, ::-1].reshape(*self.values.shape, 3)
        return self

    def cell(self, t: int, j: int) -> np.ndarray:
        """The centre of the cell of column t, row j."""
        return self.get_corner(UP + LEFT) + self.size * np.array([t + 0.5, -j - 0.5, 0])


class Links(VGroup):
    """Links between two layers, listed as (a index, b index) pairs, one weight per pair.

    With weights, a link's colour is ``diverging(q)`` and its width grows with |q|, where q is
    the weight divided by ``norm`` (default: the largest |weight|) and rounded to the nearest
    of BINS levels in [-1, 1]; links of one level are drawn as one path. Without weights every
    link is a thin neutral line (structure only).
    """

    BINS = 9  # levels -1, -0.75, ..., 1
    draw_rank = RANK_LINK

    def __init__(
        self,
        a: NeuronLayer,
        b: NeuronLayer,
        pairs: Sequence[tuple[int, int]],
        weights: Sequence[float] | np.ndarray | None = None,
        norm: float | None = None,
        max_width: float = 5.0,
        opacity: float = 0.85,
    ) -> None:
        super().__init__()
        self.a, self.b, self.pairs = a, b, list(pairs)
        half = (self.BINS - 1) // 2
        if weights is None:
            self.levels: list[int | None] = [None] * len(self.pairs)
        else:
            w = np.asarray(weights, dtype=float)
            self.norm = float(norm if norm is not None else max(np.abs(w).max(), 1e-12))
            self.levels = [int(k) for k in np.rint(np.clip(w / self.norm, -1, 1) * half)]
        self.paths: dict[int | None, VMobject] = {}
        for level in sorted(set(self.levels), key=lambda k: -1 if k is None else abs(k)):
            if level is None:
                path = VMobject(stroke_color="#8A8A99", stroke_width=1.5, stroke_opacity=0.6)
            else:
                q = level / half
                path = VMobject(
                    stroke_color=diverging(q),
                    stroke_opacity=opacity,
                    stroke_width=max_width * max(abs(q), 0.12),
                )
            self.paths[level] = ranked(path, RANK_LINK)
            self.add(path)
        self.refresh()

    def __deepcopy__(self, memo: dict) -> Links:
        memo[id(self.a)], memo[id(self.b)] = self.a, self.b  # a copy links the same layers
        return super().__deepcopy__(memo)

    def segments(self) -> list[tuple[int | None, np.ndarray, np.ndarray]]:
        na, nb = self.a.neurons, self.b.neurons
        return [
            (lv, na[j].get_center(), nb[i].get_center())
            for (j, i), lv in zip(self.pairs, self.levels, strict=True)
        ]

    def refresh(self) -> Links:
        """Redraw from the neurons' current positions (use as an updater when layers move)."""
        for path in self.paths.values():
            path.clear_points()
        for level, p0, p1 in self.segments():
            path = self.paths[level]
            path.start_new_path(p0)
            path.add_line_to(p1)
        return self

    @property
    def facing(self) -> list[Facing]:
        return []

    def pulse(self, color: str = "#FFFFFF", width: float = 0.3, **kwargs) -> Animation:
        """Signals travelling along every link from layer a to layer b."""
        return LinkPulse(self, color=color, width=width, **kwargs)


class DenseLinks(Links):
    """Every neuron of a to every neuron of b; weights[i, j] is the weight from a_j to b_i
    (PyTorch's layout: rows are the receiving units)."""

    def __init__(
        self, a: NeuronLayer, b: NeuronLayer, weights: np.ndarray | None = None, **kwargs
    ) -> None:
        pairs = [(j, i) for i in range(len(b.neurons)) for j in range(len(a.neurons))]
        w = None if weights is None else [weights[i, j] for j, i in pairs]
        super().__init__(a, b, pairs, w, **kwargs)


class SelfLinks(Links):
    """Neuron i of a to neuron i of b; weights[i] (e.g. the diagonal of W_S)."""

    def __init__(
        self,
        a: NeuronLayer,
        b: NeuronLayer,
        weights: Sequence[float] | np.ndarray | None = None,
        **kwargs,
    ) -> None:
        super().__init__(a, b, [(i, i) for i in range(len(a.neurons))], weights, **kwargs)


class LinkPulse(Animation):
    """A short bright stretch runs along every link of a bundle (one path for all of them)."""

    def __init__(
        self,
        links: Links,
        color: str = "#FFFFFF",
        width: float = 0.3,
        run_time: float = 1.0,
        **kwargs,
    ) -> None:
        self.links, self.width = links, width
        self.spark = VMobject(stroke_color=color, stroke_width=4, stroke_opacity=0.9)
        ranked(self.spark, RANK_PULSE)
        super().__init__(self.spark, run_time=run_time, remover=True, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        head = self.rate_func(alpha) * (1 + self.width)
        tail, head = max(head - self.width, 0.0), min(head, 1.0)
        self.spark.clear_points()
        if head <= tail:
            return
        for _, p0, p1 in self.links.segments():
            self.spark.start_new_path(p0 + (p1 - p0) * tail)
            self.spark.add_line_to(p0 + (p1 - p0) * head)


class UnrolledChain(VGroup):
    """The same hidden layer at several moments, spaced along the time axis.

    states:  (K, n) the hidden state at each drawn step (diverging scale).
    names:   LaTeX name of each copy, e.g. ["S_{1}", "S_{2}", ...].
    inputs / outputs: optional (K, m) values of x_t / y_t, drawn as layers beside each copy
    (io_gap below / above it along the flow axis, world z), with their own scales, norms,
    and per-step names (LaTeX or mobjects); in_name_side: where x_t's name
    stands (RIGHT: past its last unit, clear of the previous copy in a 3D view).
    """

    def __init__(
        self,
        states: np.ndarray,
        names: Sequence[str],
        origin: np.ndarray = ORIGIN,
        dt: float = 1.6,
        time_axis: np.ndarray = TIME_AXIS,
        inputs: np.ndarray | None = None,
        outputs: np.ndarray | None = None,
        in_scale: str = "sequential",
        out_scale: str = "sequential",
        in_names: Sequence[str | VMobject] | None = None,
        out_names: Sequence[str | VMobject] | None = None,
        io_gap: float = 1.6,
        spacing: float = 0.45,
        io_spacing: float = 0.36,
        radius: float = 0.15,
        io_radius: float = 0.11,
        in_norm: float = 1.0,
        out_norm: float = 1.0,
        in_name_side: np.ndarray = LEFT,
    ) -> None:
        super().__init__()
        self.origin, self.dt = np.asarray(origin, float), dt
        self.time_axis = np.asarray(time_axis, dtype=float)
        K, n = states.shape
        self.hidden = [
            NeuronLayer(
                n, states[k], name=names[k], spacing=spacing, radius=radius, center=self.at(k)
            )
            for k in range(K)
        ]
        self.inputs: list[NeuronLayer] = []
        self.outputs: list[NeuronLayer] = []
        if inputs is not None:
            self.inputs = [
                NeuronLayer(
                    inputs.shape[1],
                    inputs[k],
                    in_scale,
                    spacing=io_spacing,
                    radius=io_radius,
                    center=self.at(k) - OUT * io_gap,
                    name=None if in_names is None else in_names[k],
                    norm=in_norm,
                    font_size=16,
                    name_side=in_name_side,
                )
                for k in range(K)
            ]
        if outputs is not None:
            self.outputs = [
                NeuronLayer(
                    outputs.shape[1],
                    outputs[k],
                    out_scale,
                    spacing=io_spacing,
                    radius=io_radius,
                    center=self.at(k) + OUT * io_gap,
                    label_side=UP,
                    name=None if out_names is None else out_names[k],
                    norm=out_norm,
                    font_size=16,
                )
                for k in range(K)
            ]
        self.add(*self.hidden, *self.inputs, *self.outputs)

    def at(self, k: float) -> np.ndarray:
        """Where the k-th copy of the hidden layer stands."""
        return self.origin + k * self.dt * self.time_axis

    @property
    def facing(self) -> list[Facing]:
        return [f for layer in (*self.hidden, *self.inputs, *self.outputs) for f in layer.facing]

    def layers(self, k: int) -> list[NeuronLayer]:
        """The k-th moment's layers: its hidden copy and its x_t, y_t layers."""
        return (
            [self.hidden[k]]
            + ([self.inputs[k]] if self.inputs else [])
            + ([self.outputs[k]] if self.outputs else [])
        )

    def step(self, k: int) -> VGroup:
        """The k-th moment, as one group."""
        return VGroup(*self.layers(k))

    def unroll(self, lag_ratio: float = 0.25, **kwargs) -> Animation:
        """The copies slide out of the first one along the time axis, one after another.
        Call before the chain is shown (it moves every copy back to the start first)."""
        moves = []
        for k in range(1, len(self.hidden)):
            part = self.step(k)
            part.shift(self.at(0) - self.at(k))
            moves.append(Glide(part, self.at(k) - self.at(0)))
        return AnimationGroup(*moves, lag_ratio=lag_ratio, **kwargs)


class Caption(VGroup):
    """A subtitle fixed at the bottom of the frame, on a dark band, wrapped to fit."""

    def __init__(
        self, s: str, lang: str = "en", font_size: float = 24, max_width: float | None = None
    ) -> None:
        super().__init__()
        max_width = max_width or config.frame_width - 1.0
        self.text = s
        width = max_width / cjk_em(font_size) * 0.95 if lang == "zh" else 80  # 5 %: estimates
        body = one_path(text(wrap(s, lang, width), font_size, "#FFFFFF", lang))
        if body.width > max_width:
            body.scale_to_fit_width(max_width)
        body.to_edge(DOWN, buff=0.25)
        band = BackgroundRectangle(body, color="#000000", fill_opacity=0.65, buff=0.12)
        self.body = body
        self.add(band, body)


@functools.cache
def cjk_em(font_size: float) -> float:
    """The width of a CJK character in the caption font at this size (linebreak.ems counts
    widths in these)."""
    return float(text("字" * 10, font_size, lang="zh").width) / 10


def caption_band_height(lang: str) -> float:
    """How far up from the frame's bottom edge the band of a two-line caption (most are)
    reaches: the room a picture without burned captions gains."""
    two_lines = "Mg " * 30 if lang != "zh" else "字" * 40
    return float(Caption(two_lines, lang).get_top()[1]) + config.frame_height / 2


class Formula(MathTex):
    """A formula fixed at the top of the frame. ``colors`` maps a LaTeX part to a colour (give
    that part as its own argument so it can be highlighted, e.g. "W_s S_{t-1}")."""

    def __init__(
        self, *tex: str, colors: dict[str, str] | None = None, font_size: float = 40, **kwargs
    ) -> None:
        super().__init__(*tex, font_size=font_size, **kwargs)
        for part, color in (colors or {}).items():
            self.set_color_by_tex(part, color)
        self.to_edge(UP, buff=0.3)
