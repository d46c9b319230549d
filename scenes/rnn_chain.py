"""Part 1 of the video, the RNN (docs/STORYBOARD.md), shot R3: turn to 3D and unroll along
time. RNNChain builds on PlainNetwork (scenes/rnn_network.py); LinksThroughTime
(scenes/rnn_links.py) adds R4 and RNNPart (scenes/rnn_part.py) the last shots.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from manim import (
    IN,
    ORIGIN,
    OUT,
    RIGHT,
    Animation,
    AnimationGroup,
    Arrow,
    Create,
    MathTex,
    Mobject,
    Succession,
    VGroup,
)

from scenes.animations import Glide, Opacity, Throb, appear, fade_for_good, vanish
from scenes.blocks import face_camera, text
from scenes.camera import RANK_LINK, ranked
from scenes.framing import (
    Box,
    View,
    caption_floor,
    fit_view,
    free_room,
)
from scenes.layout import (
    AXIS,
    AXIS_LABEL,
    DRAW,
    FADE,
    OUTLINE,
    PREDICTION,
    RADIUS,
    SPACING,
    orientation,
)
from scenes.links import DenseLinks
from scenes.placing import END_BUFF, place_names
from scenes.rnn_network import IO_GAP, PlainNetwork
from scenes.unrolled_chain import UnrolledChain, lift_rows, step_name

CHAIN_VIEW = orientation(68, -28)  # time opens out to the right
CHAIN_GAP = 1.7  # the same, closer, once time takes room in the 3D view
CHAIN_MAX_ZOOM = 1.5  # a chain of a step or two is framed this much larger than R1's network
LONG_IO = (0.3, 0.11)  # spacing and radius of x_t and y_t rows of more than five units
AXIS_BESIDE = 0.0  # the time axis, from under the x row's last unit along the row
AXIS_DROP = 0.55  # the time axis, under the x row
AXIS_BEFORE, AXIS_PAST = 0.0, 0.4  # it runs from before the first step to past the last (steps)
TIME_LABEL_DROP = 0.5  # its name, under its tip
ROW_NAME_STEPS = 0.75  # x_t, S_t, y_t stand this many steps before the first copy
ROW_NAME_SIZE = 34
R5_STEP = 1  # R5 substitutes this step's numbers (step 0 when there is only one)
WAVE_TIME = 7.0  # R3's wave of activity along the chain
WAVE_LAG = 0.5  # a step begins when the one before it is half done
WAVE_SWELL = 0.5  # a neuron at |S| = 1 swells by half


def neuron_sizes(views: list[View]) -> list[float]:
    """How large the chain's neurons are drawn in each of these views, in parts of their
    size in the first (R3's): a chain framed smaller, their size shrinks with it (drawn their
    own size at any zoom, they would fall on the next copy's rows)."""
    return [min(1.0, view["zoom"] / views[0]["zoom"]) for view in views]


class RNNChain(PlainNetwork):
    """The chain R3 unrolls from the network."""

    def shot_R3(self) -> None:
        """The camera swings round and time opens up; the hidden layer is copied along it,
        each copy coloured by its own S_t, with x_t and y_t beside it."""
        # the units' labels go too: seen edge-on as the camera turns, they would pile up on
        # the neurons (the chain names each step's x_t and y_t instead), and the key that
        # names x1, x2, ... with them
        labels = [layer.labels for layer in (self.x, self.y) if layer is not None] + [self.key]
        self.say(
            "r3_turn",
            vanish(self.links, run_time=FADE),
            vanish(self.link_labels, run_time=FADE),
            *(fade_for_good(group, run_time=FADE) for group in labels),
        )
        self.build_chain()
        self.turn_to_time()
        self.unroll()

    def build_chain(self) -> None:
        v, K = self.view, self.view.K
        text_names = v.is_text and v.vocab
        in_names = (
            [text(v.input_symbol(k), 22) for k in range(K)]
            if text_names
            else [step_name("x", v.step_number(k)) for k in range(K)]
        )
        out_names = None
        if v.ys is not None:
            out_names = (
                [text(v.predicted_symbol(k), 22, PREDICTION) for k in range(K)]
                if text_names
                else [step_name("y", v.step_number(k)) for k in range(K)]
            )
        n_out = 0 if v.out_units is None else len(v.out_units)
        io_spacing, io_radius = (
            LONG_IO if max(len(v.in_units), n_out) > 5 else (self.io_spacing, RADIUS)
        )
        self.chain = c = UnrolledChain(
            v.hs,
            [f"S_{{{v.step_number(k)}}}" for k in range(K)],
            dt=min(2.0, 11.0 / K),
            inputs=v.xs,
            outputs=v.ys,
            in_scale=v.in_scale,
            out_scale=v.out_scale,
            in_norm=v.in_norm,
            out_norm=v.out_norm,
            in_names=in_names,
            out_names=out_names,
            io_gap=CHAIN_GAP,
            spacing=SPACING,
            radius=RADIUS,
            in_name_side=RIGHT,
            io_spacing=io_spacing,
            io_radius=io_radius,
        )
        face_camera(self, c)
        # under the x row, past its last unit: in the 3D view it runs below every x_t, clear
        # of their neurons and of the links up from them
        x_end = (len(v.in_units) - 1) / 2 * io_spacing + AXIS_BESIDE
        end = np.array([x_end, 0, 0]) + IN * (CHAIN_GAP + AXIS_DROP)
        self.time_axis = Arrow(
            end + c.at(-AXIS_BEFORE),
            end + c.at(K - 1 + AXIS_PAST),
            buff=0,
            stroke_width=3,
            color=AXIS,
            tip_length=0.25,
        )
        ranked(self.time_axis, RANK_LINK)
        self.time_label = text(self.words("label_time") + "  t", 22, AXIS_LABEL, self.lang)
        self.time_label.move_to(end + c.at(K - 1 + AXIS_PAST) + IN * TIME_LABEL_DROP)
        self.face(self.time_label)
        self.row_names = self.name_rows()
        # seen at a slant, x_t's row may fall on the copy before: clear it, axis and name along
        x0, along = c.inputs[0].get_center(), [self.time_axis, self.time_label, self.row_names[0]]
        lift = [(c.inputs, [*c.hidden, *c.outputs], IN, along)]
        # R3's view, as the rows stand: the camera turns to it (turn_to_time)
        self.unrolled = lift_rows(self, lift, self.chain_views, CHAIN_GAP, neuron_sizes)[0]
        self.x_lift = c.inputs[0].get_center() - x0
        # x_t -> S_t and S_t -> y_t as plain structure (their weights were shown in R1): the
        # links through time are the subject now, and one path per bundle keeps frames cheap
        self.in_links = [DenseLinks(c.inputs[k], c.hidden[k]) for k in range(K)]
        self.out_links = [DenseLinks(s, y) for s, y in zip(c.hidden, c.outputs, strict=False)]

    def name_rows(self) -> VGroup:
        """x_t, S_t and y_t, one step before the first copy, level with their rows: what each
        row is at every moment (the copies carry their own step's name)."""
        c, rows = self.chain, [("x_t", -CHAIN_GAP), ("S_t", 0.0)]
        if self.view.ys is not None:
            rows.append(("y_t", CHAIN_GAP))
        names = VGroup()
        for name, level in rows:
            label = MathTex(name, font_size=ROW_NAME_SIZE, color=AXIS_LABEL)
            label.set_stroke(OUTLINE, width=4, background=True)  # readable over crossing links
            names.add(label.move_to(c.at(-ROW_NAME_STEPS) + OUT * level))
        self.face(*names)
        return names

    def chain_view(self, *steps: int, above=(), right=(), frame_names: bool = True) -> View:
        """CHAIN_VIEW with the camera where these steps of the chain (default: all, with the
        time axis; with the first, the rows' names before it) fit the room under the legends
        and what is above, left of what is on the right, over the caption. Without
        frame_names, the steps' names are not framed where they stand now (placed for
        another view, some far out or hidden): the room keeps a name's width past the rows'
        ends, where place_names puts one with no spot by its row once the camera is there."""
        shown = steps or range(self.view.K)
        layers = [layer for k in shown for layer in self.chain.layers(k)]
        framed: list[Mobject] = [layer if frame_names else layer.neurons for layer in layers]
        framed += [self.row_names] if 0 in shown else []
        framed += [] if steps else [self.time_axis, self.time_label]
        room = self.chain_room(above, right)
        if not frame_names:
            widest = max(name.width for layer in layers for name in layer.title)
            room[2] -= widest + END_BUFF  # its right edge: names go past the rows' right ends
        return fit_view(self, framed, room, CHAIN_VIEW, max_zoom=CHAIN_MAX_ZOOM)

    def chain_views(self) -> list[View]:
        """The views the whole chain is seen from, in which its rows must stand clear of each
        other: R3's (RNNPart adds R6's)."""
        return [self.chain_view()]

    def chain_room(self, above=(), right=()) -> Box:
        """The room the chain is framed in: under the legends and what is above, left of
        what is on the right, over the caption."""
        return free_room(above=[self.legend, *above], right=right, bottom=caption_floor(self))

    def turn_to_time(self) -> None:
        """The camera centres the whole chain-to-be (it then unrolls in a still frame), while
        x and y close in on s; the network becomes the chain's first copy."""
        lifts = ((self.x, OUT, self.x_lift), (self.y, IN, ORIGIN))
        closer = [Glide(ly, side * (IO_GAP - CHAIN_GAP) + lift) for ly, side, lift in lifts if ly]
        # framed as build_chain left the rows (lift_rows); R4 and R6 see the chain from here too
        self.move_camera(**self.unrolled, run_time=3, added_anims=closer)
        # the copy's names come in as it unrolls: here they stood on x, s and y's, fading out
        names = VGroup(*(layer.title for layer in self.chain.layers(0)))
        self.play(vanish(self.net), appear(self.chain.step(0)), Opacity(names, 0, 0), run_time=FADE)

    def unroll(self) -> None:
        """The copies slide out along the time axis, their names hidden until each stands in
        its place (else they pile up where the copies start), the first's coming in; then the
        links into and out of them and the rows' names; then a wave of activity runs along the
        chain."""
        c, K = self.chain, self.view.K
        placed = self.place_names(self.unrolled)
        self.add(VGroup(*(c.step(k) for k in range(1, K))))
        names = VGroup(*(layer.title for k in range(1, K) for layer in c.layers(k)))
        first = VGroup(*(layer.title for layer in c.layers(0)))
        slide = [c.unroll(lag_ratio=0.3, run_time=3), Opacity(names, 0, 0, run_time=3)]
        slide += [AnimationGroup(*placed, run_time=FADE)] if placed else []
        self.say(
            "r3_copies",
            appear(first, run_time=FADE),  # before placed: a name left out fades for good
            *(slide if K > 1 else []),
            Create(self.time_axis, run_time=3),
        )
        self.play(
            appear(names),
            appear(self.time_label),
            appear(self.row_names),
            Create(VGroup(*self.in_links, *self.out_links)),
            run_time=DRAW,
        )
        self.play(self.activity_wave(), run_time=WAVE_TIME)
        self.wait(1)

    def place_names(
        self,
        view: View,
        *around: Mobject,
        room: Box | None = None,
        starts: Mapping[int, np.ndarray] | None = None,
    ) -> list[Animation]:
        """Each copy's names (S_t, and x_t's and y_t's), seen from this view, where they cover
        no neuron, no other name, not the rows' names and not the time axis: beside the end
        neuron as built, else nudged round it (in a long chain the next copy stands close). A
        name with no room is left out, but never those of the first and last copies and of
        the step R5 talks about: the sequence still reads S_32 ... S_39. Nor do they cover
        what is around, or leave the room given (an inset's margin). Each is placed from
        where it stands or its point in starts (placing.place_names). The animations move or
        fade the names on screen."""
        steps = [self.chain.layers(k) for k in range(self.view.K)]
        extra, lines = [self.row_names, self.time_label, *around], [self.time_axis]
        kept = self.named_steps()
        return place_names(
            self, view, steps, kept, extra, lines, room, own_rows=True, starts=starts
        )

    def named_steps(self) -> set[int]:
        """The steps whose names are always shown: the first, the last and R5's."""
        K = self.view.K
        return {0, K - 1, min(R5_STEP, K - 1)}

    def activity_wave(self) -> AnimationGroup:
        """Moment after moment, x_t's signal runs up into S_t, whose neurons swell as strongly
        as they fire (|S_t|, from the trace), and on to y_t: one layer at work at each step."""
        c, v = self.chain, self.view
        steps = []
        for k in range(v.K):
            fire = np.clip(np.abs(v.hs[k]) / v.h_norm, 0, 1)
            beats = [
                self.in_links[k].pulse(run_time=1.0),
                AnimationGroup(
                    *(
                        Throb([n], factor=1 + WAVE_SWELL * f, run_time=1.0)
                        for n, f in zip(c.hidden[k].discs, fire, strict=True)
                    )
                ),
            ]
            if self.out_links:
                beats.append(self.out_links[k].pulse(run_time=1.0))
            steps.append(Succession(*beats))
        return AnimationGroup(*steps, lag_ratio=WAVE_LAG)
