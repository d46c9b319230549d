"""The in-place animations: hide keeps a label undrawn through later fades, and unhide lets it
be faded in again to the opacities it had; Grow and Throb size neurons about their centres."""

from __future__ import annotations

import pytest

pytest.importorskip("manim")

from manim import Square  # noqa: E402

from scenes.animations import Grow, Opacity, Throb, appear, hide, is_hidden, unhide  # noqa: E402
from scenes.neurons import Neuron  # noqa: E402


def _alphas(mob: Square) -> tuple[float, float]:
    return float(mob.fill_rgbas[0, 3]), float(mob.stroke_rgbas[0, 3])


def test_hidden_stays_hidden_until_unhidden_then_fades_in_to_what_it_was() -> None:
    square = Square(fill_opacity=0.6, stroke_opacity=0.9)
    Opacity(square, 1, 0.5).interpolate_mobject(1.0)  # half faded when it is hidden
    hide(square)
    assert is_hidden(square) and _alphas(square) == (0.0, 0.0)
    appear(square).interpolate_mobject(1.0)
    assert _alphas(square) == (0.0, 0.0)  # appear does not bring a hidden label back
    unhide(square)
    assert not is_hidden(square) and _alphas(square) == (0.0, 0.0)  # undrawn until faded in
    Opacity(square, 0, 1).interpolate_mobject(0.5)
    assert _alphas(square) == pytest.approx((0.3, 0.45))  # as built: 0.6 and 0.9
    appear(square).interpolate_mobject(1.0)
    assert _alphas(square) == pytest.approx((0.6, 0.9))


def test_grow_starts_at_its_factor_and_ends_at_the_size_they_have() -> None:
    discs = [Neuron(0.1).move_to([x, 1.0, 0.0]) for x in (0.0, 1.0)]
    grow = Grow(discs, start=2.0)
    grow.begin()  # the play's first frame: twice the size, about their own centres
    assert [d.width for d in discs] == pytest.approx([0.4, 0.4], abs=0.02)
    assert [d.get_x() for d in discs] == pytest.approx([0.0, 1.0])
    grow.interpolate_mobject(1.0)
    assert [d.width for d in discs] == pytest.approx([0.2, 0.2], abs=0.02)


def test_throb_swells_and_settles_back() -> None:
    disc = Neuron(0.1)
    throb = Throb([disc], factor=1.5)
    throb.interpolate_mobject(0.5)
    assert disc.width == pytest.approx(0.3, abs=0.02)
    throb.interpolate_mobject(1.0)
    assert disc.width == pytest.approx(0.2, abs=0.02)
