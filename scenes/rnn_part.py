"""Part 1 of the video: the RNN, shots R1-R6 (docs/STORYBOARD.md), one method per shot.

Each shot method reads as its storyboard row: a list of beats, one method each. R1 and R2 are
in scenes/rnn_network.py (PlainNetwork), R3 in scenes/rnn_chain.py (RNNChain), R4 in
scenes/rnn_links.py (LinksThroughTime), on which RNNPart builds with R5 and R6. Every number
comes from the part's view of a trained model (scenes/story_rnn.py); places, inks and pace from
scenes/layout.py; the blocks from scenes/blocks.py. Render with
    manim -ql scenes/rnn_part.py RNNPart            (RNN3D_SHOT=R3 for one shot)
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from manim import (
    PI,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    BackgroundRectangle,
    Create,
    Indicate,
    Mobject,
    Rectangle,
    ReplacementTransform,
    Succession,
    VGroup,
    VMobject,
    Write,
)

from scenes.animations import Glide, Opacity, Throb, appear, vanish
from scenes.blocks import Formula
from scenes.camera import RANK_TEXT, ranked
from scenes.framing import (
    View,
    caption_floor,
    free_room,
    look_at,
)
from scenes.layout import (
    FADE,
    HIGHLIGHT,
    LEGEND_BUFF,
    OUTLINE,
    SWAP,
    WRITE,
)
from scenes.neurons import NeuronLayer
from scenes.panels import number_panel, prediction_table, step_table
from scenes.placing import place_names
from scenes.rnn_chain import R5_STEP, neuron_sizes
from scenes.rnn_links import LinksThroughTime
from scenes.rnn_network import PLAIN_FORMULA
from scenes.unrolled_chain import shrink_neurons, shrinking

RNN_FORMULA = (r"S_t = f(W_{in} X + ", r"W_s S_{t-1}", r" + b)")
RING_PAD = 0.14  # R5's ring, from the layer's end neurons
ROW_BAR_HEIGHT = 0.3  # the bar that reads R5's table row by row
ROW_BAR_OPACITY = 0.22
ROW_TIME = 0.5  # per row
CARRY_TIME = 4.0
INSET_BUFF = 0.15  # R6's inset, from the legends  # R6's last run of the state along the chain


def layer_ring(layer: NeuronLayer) -> Rectangle:
    """A thin frame round a layer's row of neurons, in the plane of the row and the flow (it
    turns with the layer in the 3D view)."""
    ends = [layer.discs[0].get_center(), layer.discs[-1].get_center()]
    radius = layer.discs[0].radius
    ring = Rectangle(
        width=float(np.linalg.norm(ends[1] - ends[0])) + 2 * (radius + RING_PAD),
        height=2 * (radius + RING_PAD),
        stroke_color=HIGHLIGHT,
        stroke_width=3,
    )
    ring.rotate(PI / 2, axis=RIGHT)  # from the screen's plane into the row's and the flow's
    return ranked(ring.move_to((ends[0] + ends[1]) / 2), RANK_TEXT)


class RNNPart(LinksThroughTime):
    """Part 1: R1, R2 (PlainNetwork), R3 (RNNChain), R4 (LinksThroughTime), and here R5 and
    R6."""

    def shot_R5(self) -> None:
        """S = f(W_in X + b) becomes S_t = f(W_in X + W_s S_{t-1} + b), the new term
        highlighted; one step's real numbers are substituted."""
        rnn = self.grow_the_formula()
        self.board = [rnn]  # what R6 clears away as it begins
        self.substitute_one_step(min(R5_STEP, self.view.K - 1), rnn)

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
        by column as their sources light up, a ring on the layer each state column reads; the
        other steps, their links and the time axis step aside first (R6 brings them back),
        so the panel comes in over nothing. Then the rows are read one by one, each beside
        its neuron of S_t."""
        panel = number_panel(self.view, k, self.lang)
        room = free_room(above=[formula], bottom=caption_floor(self))
        panel.set_y((room[1] + room[3]) / 2)
        band = BackgroundRectangle(panel, color=OUTLINE, fill_opacity=1.0, buff=0.15)
        self.pin(band, panel)
        shown = [j for j in (k - 1, k) if j >= 0]
        self.aside = self.all_but(shown)
        frame = self.chain_view(*shown, above=[formula], right=[band])
        c, before = self.chain, self.chain.hidden[max(k - 1, 0)]
        ring = layer_ring(before)
        self.board += [band, panel, ring]  # what R6 clears away as it begins
        names = [n for j in shown for layer in c.layers(j) for n in layer.title]
        self.r3_spots = {id(n): n.get_center() for n in names}  # R6 places them from there
        self.say(
            "r5_memory",
            *(vanish(o, run_time=FADE) for o in self.aside),
            look_at(self, frame, run_time=FADE),
            *self.names_closer(frame, shown),
        )
        self.play(appear(band), appear(panel[0]), run_time=FADE)
        table = panel[1]
        self.play(appear(table[0]), Create(ring), Throb(before.neurons), run_time=SWAP)
        self.play(appear(table[1]), self.in_links[k].pulse(run_time=SWAP))
        self.play(
            appear(table[2]),
            *([self.dense[k - 1].pulse(run_time=SWAP)] if k else []),
            run_time=SWAP,
        )
        self.play(
            appear(table[3]),
            Glide(ring, c.at(k) - c.at(max(k - 1, 0))),
            Throb(c.hidden[k].neurons),
            run_time=SWAP,
        )
        self.read_rows(table, c.hidden[k])
        self.wait(0.5)

    def names_closer(self, view: View, shown: list[int]) -> list[Animation]:
        """The shown steps' names placed again for R5's closer view: they keep their size
        while the copies grow apart, and came close to the rows' names (y40 under y_t)."""
        steps = [self.chain.layers(j) for j in shown]
        return place_names(self, view, steps, shown, [self.row_names])

    def read_rows(self, table: VMobject, layer: NeuronLayer) -> None:
        """A bar walks down the table's rows while the neuron of S_t each row is about
        swells: row j is unit j, at steps t-1 and t."""
        dots = table[0][2]  # the S_{t-1} column's discs, one per row
        bar = Rectangle(
            width=table.width + 0.2,
            height=ROW_BAR_HEIGHT,
            stroke_width=0,
            fill_color=HIGHLIGHT,
            fill_opacity=ROW_BAR_OPACITY,
        ).move_to(np.array([table.get_center()[0], dots[0].get_y(), 0.0]))
        self.pin(bar)
        ys = [dot.get_y() for dot in dots]
        beats = [
            AnimationGroup(
                Glide(bar, UP * (y - y_before)),
                Throb([neuron], factor=1.5),
                run_time=ROW_TIME,
            )
            for y_before, y, neuron in zip([ys[0], *ys], ys, layer.discs, strict=False)
        ]
        self.add(bar)
        self.play(Succession(*beats))
        self.play(vanish(bar), run_time=FADE)

    def all_but(self, steps: list[int]) -> list[Mobject]:
        """The chain's parts that do not belong to these steps (or the links between them)."""
        c, K = self.chain, self.view.K
        others = [j for j in range(K) if j not in steps]
        self.steps_aside = others
        gaps = [j for j in range(K - 1) if not (j in steps and j + 1 in steps)]
        parts: list[Mobject] = [c.step(j) for j in others]
        parts += [self.in_links[j] for j in others]
        parts += [self.out_links[j] for j in others if self.out_links]
        if len(self.dense):
            # and every W_s: the panel's highlighted column says what it does here
            parts += [self.dense[j] for j in gaps] + list(self.ws_labels)
        return [*parts, self.time_axis, self.time_label]

    # ---- R6 iterate -----------------------------------------------------------------------

    def shot_R6(self) -> None:
        """The recurrence runs along the chain, step by step, while an inset lists the inputs
        and the model's outputs: it looks like a cascade, but it is one network iterated."""
        inset, cols = self.inset
        self.pin(inset)
        self.clear_the_chain(inset, self.under_the_legends(inset))
        for k in range(self.view.K):
            self.iterate(k, cols[k])
        self.say("r6_cascade", self.carried_along())
        self.wait(1)

    def carried_along(self) -> Animation:
        """The state runs along the chain once more, copy to copy over the links through
        time: one network, its S_t handed on by the same W_s at every step."""
        c, K = self.chain, self.view.K
        beats: list[Animation] = []
        for k in range(K):
            beats.append(Throb(c.hidden[k].neurons, factor=1.3))
            if k < K - 1 and len(self.dense):
                beats.append(self.dense[k].pulse())
        return Succession(*beats, run_time=CARRY_TIME)

    def chain_views(self) -> list[View]:
        """R3's view and, when R6 frames the chain beside its inset (smaller), R6's: the
        chain's rows must stand clear in both."""
        inset, _ = self.inset
        if self.inset_on_top:
            return super().chain_views()
        return [*super().chain_views(), self.beside(inset)]

    @cached_property
    def inset(self) -> tuple[VGroup, list[VGroup]]:
        """R6's inset and its columns, one per step (built once: R3 frames the chain for R6
        too), at the top between the legends or, when it is wider than the room there (a
        CSV's numbers), turned (a row per step) and at the right, where R5's panel stood."""
        inset, cols = prediction_table(self.view, self.lang)
        if self.between_the_legends(inset):
            return inset, cols
        inset, rows = step_table(self.view, self.lang)
        room = free_room(above=[self.legend], bottom=caption_floor(self))
        inset.to_edge(RIGHT, buff=LEGEND_BUFF).set_y((room[1] + room[3]) / 2)
        return inset, rows

    @cached_property
    def inset_on_top(self) -> bool:
        """R6's inset stands at the top between the legends (else at the right)."""
        return self.between_the_legends(prediction_table(self.view, self.lang)[0])

    def between_the_legends(self, inset: VGroup) -> bool:
        """The inset fits the room between the legends at the top."""
        state, scale = self.legend[0], self.legend[1]
        return inset.width <= scale.get_left()[0] - state.get_right()[0] - 2 * INSET_BUFF

    def under_the_legends(self, inset: VGroup) -> View:
        """Where the camera frames the chain with the inset on screen: as R3 framed it, or
        left of the inset when it stands at the right."""
        return self.unrolled if self.inset_on_top else self.beside(inset)

    def beside(self, inset: VGroup) -> View:
        """The chain framed left of the inset at the right, by its neurons: the steps' names
        stand where R3 placed them till R6 places them again in this view."""
        return self.chain_view(right=[inset], frame_names=False)

    def clear_the_chain(self, inset: VGroup, view: View) -> None:
        """Before the recurrence runs, every step is blank (0 on each layer's scale), every
        step bright again, R5's board gone, and the inset's heads shown."""
        c = self.chain
        # the steps R5 put aside come back blank (painting them as they fade in made them
        # opaque at once: a neuron's paint is opaque), the others turn blank
        for k in self.steps_aside:
            for layer in c.layers(k):
                layer.set_values([0.0] * len(layer.neurons))
        blank = [
            layer.fill([0.0] * len(layer.neurons), lag_ratio=0, run_time=WRITE)
            for k in range(self.view.K)
            if k not in self.steps_aside
            for layer in c.layers(k)
        ]
        # the predictions above the outputs go too, until each is computed again (those of
        # the steps R5 put aside never come back with them)
        self.predicted = [layer.title for layer in c.outputs]
        blank += [
            Opacity(name, 0 if k in self.steps_aside else 1, 0, run_time=WRITE)
            for k, name in enumerate(self.predicted)
        ]
        grow = self.neurons_sized_for(view)  # before the names are placed among them
        self.say(
            "r6_iterate",
            *(appear(o, run_time=WRITE) for o in self.back_from_aside(view)),
            *grow,
            *blank,  # after the steps' appear, so that their predictions stay hidden
            look_at(self, view, run_time=WRITE),  # it clears the inset too
            *self.crowded_out(view, inset),
            *(vanish(m, run_time=0.6) for m in self.board),
            appear(inset[0], run_time=WRITE),
        )

    def neurons_sized_for(self, view: View) -> list[Animation]:
        """Framed smaller than R3 framed it (beside a CSV's turned inset), the chain's neurons
        shrink with it: drawn their own size at any zoom, they would fall on the next copy's
        rows. They take their new size now (the names are placed among them); the animation
        returned shrinks them to it from their old one, on the way to the view."""
        size = neuron_sizes([self.unrolled, view])[1]
        layers = [layer for k in range(self.view.K) for layer in self.chain.layers(k)]
        shrink_neurons(layers, size)
        return shrinking(layers, size, run_time=WRITE)

    def crowded_out(self, view: View, inset: VGroup) -> list[Animation]:
        """The names, placed again for this view from where R3 placed them (those R5 moved
        for its closer view too), in the chain's room (a margin under the inset or left of
        it: a name just under it read as a number's subscript, or as a row of the table):
        they glide there from where they stand, or fade out, on the way to the view."""
        beside = {"above": [inset]} if self.inset_on_top else {"right": [inset]}
        room = self.chain_room(**beside)
        return self.place_names(view, room=room, starts=self.r3_spots)

    def back_from_aside(self, view: View) -> list[Mobject]:
        """What R5 put aside, all of it, but the W_s labels when the chain is framed smaller
        than in R4, which placed them (they keep their size and would cover the names)."""
        if view is self.unrolled:
            return self.aside
        tags = {id(tag) for tag in self.ws_labels}
        return [o for o in self.aside if id(o) not in tags]

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
