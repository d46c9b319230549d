"""Animations that change a mobject in place (the blocks' own, see scenes/blocks.py): Manim's
FadeIn, .animate and friends deep-copy their mobject when they begin, which is slow for text and
big groups; ``appear``, ``vanish``, ``Opacity``, ``Glide``, ``Throb``, ``Grow``, ``Recolor``
never copy. LinkPulse runs a signal along a bundle of links."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from manim import Animation, ManimColor, Mobject, VGroup, VMobject
from manim.mobject.opengl.opengl_mobject import OpenGLMobject

from .camera import RANK_PULSE, ranked
from .manim_adapter import rgba_arrays

if TYPE_CHECKING:  # they animate with these; the blocks import these animations
    from .links import Links
    from .neurons import Neuron


class _InPlace(Animation):
    """An animation that changes its mobject in place. Manim's own animations deep-copy their
    mobject when they begin, which is slow for text and for groups of many parts; these never
    copy."""

    def create_starting_mobject(self) -> Mobject | OpenGLMobject:
        return self.mobject


# the opacities a part was built with (or had when it began to vanish), kept on the part
FULL_ALPHA = "full_alpha"
HIDDEN_ALPHA = "hidden_alpha"  # the opacities a hidden part had (see hide)


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


def hide(mob: Mobject) -> None:
    """Not drawn from now on, and not brought back by appear or Opacity (they scale the
    opacities it is remembered with, now 0): a label with no room to stand clear. ``unhide``
    lets it be faded in again, where it has room later."""
    for m in mob.get_family():
        if isinstance(m, VMobject):
            full = m.__dict__.get(FULL_ALPHA) or [rgbas[:, 3] for rgbas in rgba_arrays(m)]
            m.__dict__.setdefault(HIDDEN_ALPHA, [alphas.copy() for alphas in full])
            for rgbas in rgba_arrays(m):
                rgbas[:, 3] = 0.0
            for alphas in m.__dict__.get(FULL_ALPHA, []):  # also for an Opacity under way
                alphas[:] = 0.0


def is_hidden(mob: Mobject) -> bool:
    return any(HIDDEN_ALPHA in m.__dict__ for m in mob.get_family())


def unhide(mob: Mobject) -> None:
    """A hidden mobject may be faded in again (appear, Opacity), to the opacities it had when
    it was hidden; until then it stays undrawn."""
    for m in mob.get_family():
        if HIDDEN_ALPHA in m.__dict__:
            m.__dict__[FULL_ALPHA] = m.__dict__.pop(HIDDEN_ALPHA)


class _FadeForGood(Opacity):
    def __init__(self, mob: Mobject, **kwargs) -> None:
        self.faded = mob
        super().__init__(mob, 1.0, 0.0, **kwargs)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        hide(self.faded)


def fade_for_good(mob: Mobject, **kwargs) -> Animation:
    """Fade out a part of something that stays in the scene, and keep it hidden (as hide)."""
    return _FadeForGood(mob, **kwargs)


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


class _Resize(_InPlace):
    """Neurons scaled, each about its own centre, to size(alpha) times the size they had when
    the animation was built. They are animated through a new group, which the scene draws
    last: only they are redrawn."""

    def __init__(self, neurons, **kwargs) -> None:
        self.now = 1.0
        super().__init__(VGroup(*neurons), **kwargs)

    def size(self, alpha: float) -> float:
        raise NotImplementedError

    def interpolate_mobject(self, alpha: float) -> None:
        size = self.size(alpha)
        for neuron in self.mobject:
            neuron.scale(size / self.now, about_point=neuron.get_center())
        self.now = size


class Throb(_Resize):
    """Neurons swell and settle back, each about its own centre (to point at them)."""

    def __init__(self, neurons, factor: float = 1.4, **kwargs) -> None:
        self.factor = factor
        super().__init__(neurons, **kwargs)

    def size(self, alpha: float) -> float:
        return 1 + (self.factor - 1) * np.sin(np.pi * np.clip(alpha, 0, 1))


class Grow(_Resize):
    """Neurons grow to the size they have from start times it (shrink, for a start over 1),
    each about its own centre: they stand at start times their size as the play begins."""

    def __init__(self, neurons, start: float, **kwargs) -> None:
        self.start = start
        super().__init__(neurons, **kwargs)

    def size(self, alpha: float) -> float:
        return self.start + (1 - self.start) * self.rate_func(np.clip(alpha, 0, 1))


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


def straight_lines(starts: np.ndarray, ends: np.ndarray, nppcc: int) -> np.ndarray:
    """The points of a path of straight lines from starts[k] to ends[k]: what a VMobject's
    start_new_path(start) and add_line_to(end) append line by line (Manim's interpolation),
    all at once. Line by line, each append copies the whole path (a bundle's links squared)."""
    t = np.linspace(0, 1, nppcc)[1:, None, None]
    return np.stack([starts, *((1 - t) * starts + t * ends)], axis=1).reshape(-1, 3)


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
        p0, p1 = self.links.ends()
        start, end = p0 + (p1 - p0) * tail, p0 + (p1 - p0) * head
        self.spark.points = straight_lines(start, end, self.spark.n_points_per_cubic_curve)
