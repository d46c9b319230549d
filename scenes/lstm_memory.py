"""Shot L1's measure of short memory (scenes/lstm_chains.py plays it): how much the RNN's last
state S_T still depends on each earlier one, ||dS_T/dS_t||, as bars beside the unrolled chain,
the formula over them, and the words the caption and legend say about it. Every number is the
measured one (scenes/story_lstm.py: the view's sensitivity and fade)."""

from __future__ import annotations

from manim import DEGREES, DOWN, IN, LEFT, OUT, RIGHT, MathTex, Rectangle, VGroup, VMobject

from scenes.blocks import Formula, text
from scenes.colors import one_path, sequential
from scenes.layout import LABEL, PANEL_HEAD, WHITE, row_end
from scenes.story_lstm import LSTMView, bar_figure
from scenes.unrolled_chain import UnrolledChain

BAR_WIDTH = 0.45
BAR_HEIGHT = 1.3  # the tallest bar's (world units)
BAR_VALUE_ABOVE = 0.25  # a bar's value above its top (world z)


def sensitivity_formula(view: LSTMView) -> VMobject:
    """||dS_T/dS_t|| at the top; under it, when the sequence begins before the window, its
    value at the first state S_0 (how far the fade goes, measured)."""
    head = Formula(
        r"\left\| \partial S_T / \partial S_t \right\|",
        r"\quad T = " + str(view.step_number(view.K - 1)),
    )
    formula = VGroup(head)
    if view.start > 0:
        first = MathTex(
            r"\left\| \partial S_T / \partial S_0 \right\| " + view.fade.far_latex,
            font_size=PANEL_HEAD,
        )
        formula.add(first.next_to(head, DOWN, buff=0.15))
    return one_path(formula)


def sensitivity_title(view: LSTMView) -> str:
    """The right legend's title: the bars', and the inputs' when they are on its scale."""
    inputs = view.rnn_in_scale == "sequential"
    return "label_input_sensitivity" if inputs else "label_sensitivity"


def fade_words(view: LSTMView) -> tuple[str, dict[str, float | str]]:
    """The caption on the bars (its key and fields): what the measured fade shows."""
    here = "_here" if view.rnn_trained_here else ""
    return f"l1_{view.fade.kind}{here}", view.fade.fields


def sensitivity_bars(scene, view: LSTMView, chain: UnrolledChain) -> VGroup:
    """One bar per step before T beyond the far end of S_t, its height the real
    ||dS_T/dS_t|| over their maximum, its value above it (facing the camera)."""
    sensitivity = view.sensitivity
    rel = sensitivity / max(float(sensitivity.max(initial=0.0)), 1e-300)
    end = row_end(len(view.units))
    bars = VGroup()
    for k, r in enumerate(rel):
        bar = Rectangle(
            width=BAR_WIDTH,
            height=max(BAR_HEIGHT * r, 0.02),
            fill_color=sequential(r),
            fill_opacity=0.95,
            stroke_width=1,
            stroke_color=LABEL,
        )
        bar.rotate(90 * DEGREES, RIGHT).rotate(90 * DEGREES, OUT)  # into the y-z plane
        bar.move_to(chain.at(k) + LEFT * end, aligned_edge=IN)
        # in the face of the captions (Noto Sans CJK beside Chinese, not the serif)
        value = one_path(text(bar_figure(sensitivity[k]), 20, WHITE, scene.lang))
        value.move_to(bar.get_zenith() + OUT * BAR_VALUE_ABOVE)  # above the bar (z is up)
        scene.face(value)
        bars.add(VGroup(bar, value))
    return bars
