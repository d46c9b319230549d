"""Part 1 of the video: the RNN, shots R1-R6 (docs/STORYBOARD.md), one method per shot.

Each shot method reads as its storyboard row: a list of beats, one method each. R1 and R2 are
in scenes/rnn_network.py (PlainNetwork), R3 and R4 in scenes/rnn_chain.py (RNNChain), on which
RNNPart builds with R5 and R6. Every number comes from the part's view of a trained model
(scenes/story_rnn.py); places, inks and pace from scenes/layout.py; the blocks from
scenes/blocks.py. Render with
    manim -ql scenes/rnn_part.py RNNPart            (RNN3D_SHOT=R3 for one shot)
"""

from __future__ import annotations

from manim import (
    AnimationGroup,
    BackgroundRectangle,
    Indicate,
    Mobject,
    ReplacementTransform,
    Succession,
    VGroup,
    Write,
)

from scenes.animations import Opacity, Throb, appear, vanish
from scenes.blocks import Formula
from scenes.framing import (
    caption_floor,
    free_room,
    look_at,
)
from scenes.layout import (
    FADE,
    HIGHLIGHT,
    OUTLINE,
    SWAP,
    WRITE,
)
from scenes.panels import number_panel, prediction_table
from scenes.rnn_chain import RNNChain
from scenes.rnn_network import PLAIN_FORMULA

RNN_FORMULA = (r"S_t = f(W_{in} X + ", r"W_s S_{t-1}", r" + b)")


class RNNPart(RNNChain):
    """Part 1: R1, R2 (PlainNetwork), R3, R4 (RNNChain), and here R5 and R6."""

    def shot_R5(self) -> None:
        """S = f(W_in X + b) becomes S_t = f(W_in X + W_s S_{t-1} + b), the new term
        highlighted; one step's real numbers are substituted."""
        rnn = self.grow_the_formula()
        self.board = [rnn]  # what R6 clears away as it begins
        self.substitute_one_step(1 if self.view.K > 1 else 0, rnn)

    def grow_the_formula(self) -> Formula:
        plain = Formula(PLAIN_FORMULA)
        rnn = Formula(*RNN_FORMULA, colors={RNN_FORMULA[1]: HIGHLIGHT})
        self.pin(plain, rnn)
        self.say("r5_plain", Write(plain, run_time=WRITE))
        self.wait(2)
        self.say("r5_rnn", ReplacementTransform(plain, rnn, run_time=WRITE))
        self.play(Indicate(rnn[1], color=HIGHLIGHT), run_time=WRITE)
        self.wait(1.8)
        return rnn

    def substitute_one_step(self, k: int, formula: Formula) -> None:
        """Steps k-1 and k, framed left of the panel of step k's numbers, which fill in column
        by column as their sources light up; the other steps, their links and the time axis
        step aside (R6 brings them back)."""
        panel = number_panel(self.view, k)
        room = free_room(above=[formula], bottom=caption_floor(self))
        panel.set_y((room[1] + room[3]) / 2)
        band = BackgroundRectangle(panel, color=OUTLINE, fill_opacity=1.0, buff=0.15)
        self.pin(band, panel)
        shown = [j for j in (k - 1, k) if j >= 0]
        self.aside = self.all_but(shown)
        frame = self.chain_view(*shown, above=[formula], right=[band])
        self.board += [band, panel]  # what R6 clears away as it begins
        self.say(
            "r5_memory",
            *(vanish(o, run_time=FADE) for o in self.aside),
            look_at(self, frame, run_time=FADE),
            appear(band, run_time=FADE),
            appear(panel[0], run_time=FADE),
        )
        table = panel[1]
        before = self.chain.hidden[max(k - 1, 0)]
        self.play(appear(table[0]), Throb(before.neurons), run_time=SWAP)
        self.play(appear(table[1]), self.in_links[k].pulse(run_time=SWAP))
        self.play(
            appear(table[2]),
            *([self.dense[k - 1].pulse(run_time=SWAP)] if k else []),
            run_time=SWAP,
        )
        self.play(appear(table[3]), Throb(self.chain.hidden[k].neurons), run_time=SWAP)
        self.wait(5.5)

    def all_but(self, steps: list[int]) -> list[Mobject]:
        """The chain's parts that do not belong to these steps (or the links between them)."""
        c, K = self.chain, self.view.K
        others = [j for j in range(K) if j not in steps]
        gaps = [j for j in range(K - 1) if not (j in steps and j + 1 in steps)]
        parts: list[Mobject] = [c.step(j) for j in others]
        parts += [self.in_links[j] for j in others]
        parts += [self.out_links[j] for j in others if self.out_links]
        if len(self.dense):
            parts += [self.dense[j] for j in gaps] + [self.ws_labels[j] for j in gaps]
        return [*parts, self.time_axis, self.time_label]

    # ---- R6 iterate -----------------------------------------------------------------------

    def shot_R6(self) -> None:
        """The recurrence runs along the chain, step by step, while an inset lists the inputs
        and the model's outputs: it looks like a cascade, but it is one network iterated."""
        inset, cols = prediction_table(self.view, self.lang)
        self.pin(inset)
        self.clear_the_chain(inset)
        for k in range(self.view.K):
            self.iterate(k, cols[k])
        self.say("r6_cascade")
        self.wait(5)

    def clear_the_chain(self, inset: VGroup) -> None:
        """Before the recurrence runs, every step is blank (0 on each layer's scale), every
        step bright again, R5's board gone, and the inset's heads shown."""
        c = self.chain
        blank = [
            layer.fill([0.0] * len(layer.neurons), lag_ratio=0, run_time=WRITE)
            for k in range(self.view.K)
            for layer in c.layers(k)
        ]
        # the predictions above the outputs go too, until each is computed again
        self.predicted = [layer.title for layer in c.outputs]
        blank += [Opacity(name, 1, 0, run_time=WRITE) for name in self.predicted]
        self.say(
            "r6_iterate",
            *blank,
            *(appear(o, run_time=WRITE) for o in self.aside),
            look_at(self, self.unrolled, run_time=WRITE),  # it clears the inset too
            *(vanish(m, run_time=0.6) for m in self.board),
            appear(inset[0], run_time=WRITE),
        )

    def iterate(self, k: int, column: VGroup) -> None:
        """Step k: x_t lights, S_{t-1} and x_t feed S_t, S_t updates, y_t and its column of the
        inset appear. Last in the scene's list, step k is all that moves (the rest stays one
        still image, drawn once per step: one play per step)."""
        c, v = self.chain, self.view
        pace = min(1.2, max(1.0, 6 / v.K))  # a short window is played slower
        self.add(c.step(k))
        feeds = [self.in_links[k].pulse(run_time=0.8 * pace)]
        if k:
            feeds.append(self.dense[k - 1].pulse(run_time=0.8 * pace))
        beats = [
            c.inputs[k].fill(v.xs[k], lag_ratio=0, run_time=0.5 * pace),
            AnimationGroup(*feeds),
            c.hidden[k].fill(v.hs[k], lag_ratio=0.05, run_time=0.7 * pace),
        ]
        if self.out_links and v.ys is not None:
            beats += [
                self.out_links[k].pulse(run_time=0.6 * pace),
                AnimationGroup(
                    c.outputs[k].fill(v.ys[k], lag_ratio=0),
                    Opacity(self.predicted[k], 0, 1),
                    appear(column),
                    run_time=0.5 * pace,
                ),
            ]
        else:
            beats.append(appear(column, run_time=0.4 * pace))
        self.play(Succession(*beats))
