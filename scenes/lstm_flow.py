"""Part 2 of the video, the LSTM: the end of shot L4, after the close-up (scenes/lstm_closeup.py)
has closed. From the zoomed step on, the two chains compute again, each from the other: c_t
flows into s_t, which gives y_t, C carries on to the next step, and so on along the chains.
"""

from __future__ import annotations

import numpy as np
from manim import IN, OUT, RIGHT, UP, Animation, Create, VGroup, Write

from scenes.animations import appear, vanish
from scenes.blocks import Formula, face_camera, text
from scenes.colors import one_path
from scenes.framing import View, leaf_boxes, seen_from
from scenes.layout import PREDICTION, RADIUS, SPACING, SWAP, TABLE_TEXT, WRITE
from scenes.links import DenseLinks, SelfLinks
from scenes.lstm_chains import FLOW_VIEW, IO_GAP, TwoChains
from scenes.lstm_tools import PAPER
from scenes.neurons import NeuronLayer
from scenes.placing import NAME_GAP
from scenes.unrolled_chain import lift_rows, rows_crossing, shrink_to_clear

SPREAD_ROUNDS = 3  # the last y_t's units spread for their names, then framed again, at most
SPREAD_MARGIN = 1.05  # spread a little further than the names need in the view before
# names that need their row this many times as long: every other one a line up first
STAGGER_ABOVE = 2.0
CARRY = 0.6  # how far C's links reach past the last drawn step, in steps
STEP_ON = 0.7  # each half of a step along the chains (C on, then S from it)


class ChainsFlowOn(TwoChains):
    """The two chains computing along time, each from the other, from the zoomed step on."""

    outputs: list[VGroup]  # y_t of each step (output_layers), built when the close-up opens
    outputs_from: int  # the first step whose y_t is shown (output_layers)

    def flow_on(self) -> None:
        """From the zoomed step on, the chains compute again, each from the other: c_t flows
        into s_t = o_t * tanh(c_t), which gives y_t; then C carries on to the next step,
        C_{t+1} takes its values, S_{t+1} is updated from it, and so on along the chains."""
        s, c, v, k = self.s_chain, self.c_chain, self.view, self.view.zoom_k
        s_formula = one_path(Formula(r"s_t = o_t * \tanh(c_t)"))
        self.pin(s_formula)
        self.play(
            self.sc_links[k].pulse(run_time=WRITE),
            s.hidden[k].fill(v.hs[k], run_time=WRITE),
            Write(s_formula, run_time=WRITE),
        )
        if k >= self.outputs_from:
            self.play(appear(self.outputs[k]), run_time=SWAP)
        self.carried = VGroup()
        if k + 1 == v.K:  # the last drawn step: C still carries on, past the picture
            self.play(*self.carry_on(), run_time=WRITE)
        for j in range(k + 1, v.K):
            self.play(
                self.c_links[j - 1].pulse(run_time=STEP_ON),
                self.s_links[j - 1].pulse(run_time=STEP_ON),
                c.hidden[j].fill(v.cs[j], run_time=STEP_ON),
            )
            self.play(
                self.sc_links[j].pulse(run_time=STEP_ON),
                s.hidden[j].fill(v.hs[j], run_time=STEP_ON),
                *([appear(self.outputs[j], run_time=STEP_ON)] if j >= self.outputs_from else []),
            )
        self.play(vanish(s_formula), *(vanish(m) for m in self.carried), run_time=0.6)
        self.wait(2.5)

    def carry_on(self) -> list[Animation]:
        """C's links from the last drawn step on towards the next, which is not drawn: they
        appear in the diary's colour and a signal runs along them."""
        c, k = self.c_chain.hidden, self.view.zoom_k
        beyond = NeuronLayer(
            len(self.view.units), center=self.c_chain.at(k + CARRY), spacing=SPACING
        )
        links = SelfLinks(c[k], beyond)
        links.set_stroke(PAPER, width=3, opacity=0.8)
        self.carried.add(links)  # they go at the end of the shot: no step is drawn there
        return [Create(links), links.pulse(color=PAPER.to_hex())]

    def not_yet(self) -> list[Animation]:
        """S from the zoomed step on and C after it turn grey: not computed yet."""
        s, c, v, k = self.s_chain, self.c_chain, self.view, self.view.zoom_k
        blank = [0.0] * len(v.units)
        return [
            *(s.hidden[j].fill(blank, lag_ratio=0) for j in range(k, v.K)),
            *(c.hidden[j].fill(blank, lag_ratio=0) for j in range(k + 1, v.K)),
        ]

    def output_layers(self) -> tuple[list[VGroup], np.ndarray, float]:
        """y_t above S_t, coloured by the prediction, each with the link from S_t (structure
        only: the legends on screen are states and gates, not weights). Framed with them, the
        chains are seen smaller, and their neurons, drawn the same size, take more room: x_t
        moves clear of the copies again (how far is returned: the rows are moved back, to
        glide there), and y_t stands clear of the copies and of x_t; the last y_t, whose units
        are named, has them as far apart as their names need (spread_names). The earliest
        rows go (never shown: outputs_from) while the rows shown run through each other
        (rows_crossing), the last one stays. Then, if need be, the neurons shrink until those
        of different layers stand clear (shrink_to_clear; the size is returned, for them to
        shrink on the way there)."""
        v, s, c = self.view, self.s_chain, self.c_chain
        self.outputs_from = v.zoom_k
        if v.ys is None or v.out_units is None:
            view = self.framed([s, c, self.diary_label], seen=FLOW_VIEW)
            size = shrink_to_clear(self, view, [*s.hidden, *c.hidden, *s.inputs])
            return [VGroup() for _ in range(v.K)], np.zeros(3), size
        rows = [self.output_row(k) for k in range(v.K)]
        views = lambda: [self.framed([s, c, self.diary_label, *rows], seen=FLOW_VIEW)]  # noqa: E731
        was = s.inputs[0].get_center()
        chains, shown = [*s.hidden, *c.hidden], rows[v.zoom_k :]  # y_t from the zoomed step on
        ys = (shown, [*chains, *s.inputs], OUT, ())
        lift = [(s.inputs, chains, IN, ()), ys]

        def clear() -> View:  # y_t wholly above C (among its copies it read as one of them)
            seen = lift_rows(self, lift, views, IO_GAP)
            seen = lift_rows(self, [ys], views, IO_GAP, beneath=c.hidden, seen=seen)
            return lift_rows(self, lift, views, IO_GAP, seen=seen)[0]  # as the rows stand

        view = clear()
        wide = crowding(self, rows[-1], view) > STAGGER_ABOVE  # names too wide to spread for
        if wide:
            stagger_names(self, rows[-1], view)
            view = clear()
        for _ in range(SPREAD_ROUNDS):  # the last row's unit names apart, then clear again
            if not spread_names(self, rows[-1], view):
                break
            view = clear()
        if wide:  # seen smaller, the names a line up came nearer those beside them: up again
            stagger_names(self, rows[-1], view)
            view = clear()
        # the first shown rows go too if the others run through them (the last, spread
        # for its names, had them within its span)
        self.outputs_from += rows_crossing(self, view, shown)
        first, shown = self.outputs_from, rows[self.outputs_from :]
        above = shown[0].discs[0].get_center() - s.at(first)  # where the rows shown stand
        for k, y in enumerate(rows[:first]):  # never shown: there too
            y.shift(above - (y.discs[0].get_center() - s.at(k)))
        links = [VGroup(DenseLinks(s.hidden[k], y), y) for k, y in enumerate(rows)]
        layers = [*chains, *s.inputs, *shown]
        size = shrink_to_clear(self, views()[0], layers, rows[:first])
        return links, s.inputs[0].get_center() - was, size

    def output_row(self, k: int) -> NeuronLayer:
        """y_t above S_t, named by the predicted symbol (or y_t). At the last step its units
        are named instead, the predicted one's name in the prediction's colour: the symbol
        beside its own unit's name ("h e l o o") read as two of them."""
        v = self.view
        best, ys, units = v.best_name(k), v.ys, v.out_units
        assert ys is not None and units is not None  # a model with outputs
        labelled = k == v.K - 1 and v.out_names is not None  # named once
        if labelled:
            name = None
        else:
            name = f"y_{{{v.step_number(k)}}}" if best is None else text(best, 22, PREDICTION)
        y = NeuronLayer(
            len(units),
            ys[k],
            v.out_scale,
            labels=v.out_names if labelled else None,
            name=name,
            center=self.s_chain.at(k) + OUT * IO_GAP,
            spacing=SPACING,
            radius=RADIUS * 0.8,
            label_side=UP,
            # past the last unit: by the first, up and left on screen, a name stood among
            # C's names (C runs above S's outputs) and by the last step's unit labels
            name_side=RIGHT,
            norm=v.out_norm,
            font_size=TABLE_TEXT,
        )
        if labelled:
            y.labels[int(np.argmax(ys[k]))].set_fill(PREDICTION, opacity=1)
        face_camera(self, y)
        return y


def crowding(scene, row: NeuronLayer, view: View) -> float:
    """How many times further apart a row's neighbouring units' names must stand to be
    NAME_GAP apart, seen from this view, side by side or one over the other (1: they are)."""
    if len(row.labels) < 2:
        return 1.0
    with seen_from(scene, view) as camera:
        boxes = leaf_boxes(camera, row.labels)
    need = 1.0
    # neighbours, and every other (side by side when every other name is a line up)
    for a, b in [*zip(boxes, boxes[1:], strict=False), *zip(boxes, boxes[2:], strict=False)]:
        apart = np.abs((a[:2] + a[2:]) / 2 - (b[:2] + b[2:]) / 2)  # centres, across and up
        sizes = (a[2:] - a[:2] + b[2:] - b[:2]) / 2
        need = max(need, float(np.min((sizes + NAME_GAP) / np.maximum(apart, 1e-6))))
    return need


def stagger_names(scene, row: NeuronLayer, view: View) -> None:
    """Every other unit's name up, NAME_GAP over its neighbours' names as seen from this
    view: the names side by side are then every other one, twice as far apart. A name keeps
    its size on screen and its offset from its unit is drawn as is (it faces the camera), so
    it stays as far up at any zoom; spreading the row for names twice its units' pitch
    (Chinese) framed the picture smaller, names and all, till the chains were too small."""
    with seen_from(scene, view) as camera:
        boxes = leaf_boxes(camera, row.labels)
    for k in range(1, len(boxes), 2):
        tops = max(b[3] for b in boxes[k - 1 : k + 2] if b is not boxes[k])
        row.labels[k].shift(UP * max(tops + NAME_GAP - boxes[k][1], 0.0))


def spread_names(scene, row: NeuronLayer, view: View) -> bool:
    """Move a row's neurons apart along it, from its middle, so that, seen from this view, its
    units' names stand NAME_GAP apart side by side (or one over the other): seen from afar,
    the names keep their size and the row does not. True if it had to move them."""
    need = crowding(scene, row, view)
    if need <= 1.0:
        return False
    middle = np.mean([d.get_center() for d in row.discs], axis=0)
    factor = need * SPREAD_MARGIN  # framed again with a longer row, the picture is smaller
    for disc, name in zip(row.discs, row.labels, strict=True):
        shift = (disc.get_center() - middle) * (factor - 1)
        disc.shift(shift)
        name.shift(shift)
    return True
