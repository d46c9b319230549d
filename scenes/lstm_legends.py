"""The LSTM part's two legends (issue 10): the left one for the diverging scale (states, and a
regression model's y), the right one for the sequential scale (gates, text inputs, a
character model's probabilities). They say what the colours on screen mean, shot by shot, and
while something coloured is on screen they stay in their corners: when what they describe
changes, they turn into the new legend where they stand instead of fading out and in.
"""

from __future__ import annotations

import numpy as np
from manim import Animation, AnimationGroup, Mobject, ReplacementTransform
from manim.utils.rate_functions import smooth

from scenes.animations import Opacity, vanish
from scenes.blocks import fix_in_frame
from scenes.colors import ColorLegend
from scenes.layout import LEGEND_BUFF, font_for
from scenes.story_lstm import LSTMView


def legend(scene, kind: str, keys: list[str], corner: np.ndarray) -> ColorLegend:
    """The legend of a scale whose title names these labels (scenes/captions.py), joined as
    a list in the part's language; pinned in a corner, built once per scale and title (in the
    scene's own cache of legends)."""
    cache = scene.__dict__.setdefault("_legends", {})
    key = (kind, "+".join(keys))
    if key not in cache:
        sep = "；" if scene.lang == "zh" else ";  "
        title = sep.join(scene.words(k) for k in keys)
        cache[key] = ColorLegend(kind, title, font=font_for(scene.lang))
        fix_in_frame(scene, cache[key])
    return cache[key].to_corner(corner, buff=LEGEND_BUFF)


def turn(scene, old: ColorLegend, new: ColorLegend) -> Animation:
    """old becomes new where it stands: the old title fades out in the first half of the
    run time, then the new one fades in while the bar and ticks move to new's place (faded
    over each other at once, the two titles read as one garbled line, "input xinput x ks").
    A copy of old moves, so the cached legend stays as it was built for the shots that show
    it again."""
    ghost, fading = old.copy(), old.title.copy()
    ghost.title.become(new.title.copy().set_opacity(0))  # fades in where the new title stands
    fix_in_frame(scene, ghost, fading)
    scene.remove(old)
    scene.add(ghost, fading)
    return AnimationGroup(
        ReplacementTransform(ghost, new, rate_func=lambda t: smooth(max(0.0, 2 * t - 1))),
        vanish(fading, rate_func=lambda t: smooth(min(1.0, 2 * t))),
    )


def keep(*legends: Mobject) -> list[Animation]:
    """Animations that leave these legends (and the notes under them) as they are. Listed
    after a backdrop's, they keep the legends in front of it: BlockScene.play puts what it
    animates last, in order."""
    return [Opacity(m, 1, 1) for m in legends]


def with_inputs(view: LSTMView, *keys: str) -> list[str]:
    """These labels, after "input x" when the inputs are drawn on the sequential scale
    (one-hot characters): they share its colours."""
    return (["label_input_x"] if view.in_scale == "sequential" else []) + list(keys)


def states_keys(view: LSTMView, outputs: bool) -> list[str]:
    """The left legend: the states, and y / max |y| when y is shown on their scale (a
    regression model)."""
    regression = outputs and view.ys is not None and view.out_scale == "diverging"
    return ["label_cell", *(["label_y_norm"] if regression else [])]


def gates_keys(view: LSTMView, outputs: bool) -> list[str]:
    """The right legend over the chains: the inputs (text), C's links (f_t), and y's
    probabilities when y is shown on this scale (a character model)."""
    probabilities = outputs and view.ys is not None and view.out_scale == "sequential"
    links = (
        "label_forget_short" if outputs or view.in_scale == "sequential" else "label_forget_links"
    )
    return with_inputs(view, links, *(["label_y_prob"] if probabilities else []))
