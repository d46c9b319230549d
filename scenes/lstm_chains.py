"""Part 2 of the video, the LSTM (docs/STORYBOARD.md), its world and first shots: the S chain
with L1's RNN states (L1 short memory; its bars in scenes/lstm_memory.py), then the C chain
("the diary") beside it and the LSTM's own states (L2 a second chain). LSTMCloseUp
(scenes/lstm_closeup.py) builds on TwoChains with L3 and L4, and LSTMPart
(scenes/lstm_part.py) plays the last shots.

World layout (as in scenes/blocks.py: neurons along x, flow up z, time along y): the S chain
stands at x = 0 with x_t below and y_t above it; the C chain runs beside it at x = -C_OFFSET;
at every step one link joins C_t to S_t.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    IN,
    LEFT,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    Animation,
    AnimationGroup,
    Create,
    GrowFromEdge,
    Mobject,
    VGroup,
    VMobject,
    Write,
    smooth,
    squish_rate_func,
)

from scenes.animations import Opacity, appear, vanish
from scenes.base import PartScene
from scenes.blocks import BlockScene, face_camera, text
from scenes.colors import ColorLegend, one_path, sequential
from scenes.framing import (
    View,
    caption_floor,
    fit_view,
    free_room,
    look_at,
)
from scenes.layout import (
    DRAW,
    MOVE,
    NOTE,
    RADIUS,
    SPACING,
    STRUCTURE,
    SWAP,
    TABLE_TEXT,
    WRITE,
    Orientation,
    orientation,
)
from scenes.links import DenseLinks, Links, SelfLinks
from scenes.lstm_legends import gates_keys, legend, states_keys, turn
from scenes.lstm_memory import (
    fade_words,
    sensitivity_bars,
    sensitivity_formula,
    sensitivity_title,
)
from scenes.lstm_tools import PAPER
from scenes.neurons import NeuronLayer
from scenes.placing import place_names
from scenes.story import PartView
from scenes.story_lstm import LSTMView
from scenes.unrolled_chain import (
    UnrolledChain,
    lift_rows,
    shrink_to_clear,
    shrinking,
    step_name,
)

CHAIN_VIEW = orientation(62, -30)  # time opens out to the right
# L4's end, the chains with y_t: from a little lower and turned towards time, where 8 copies
# framed with their x_t and y_t rows stand apart (at CHAIN_VIEW, C's, further away, touched)
FLOW_VIEW = orientation(64, -22)
IO_GAP = 2.3  # x_t below and y_t above S_t, along world z (then moved clear of other rows)
STEP_DT = 1.6  # from one copy to the next along time, at most (closer when there are many)
STEPS_SPAN = 13.0  # all steps, at most (closer, 8 copies framed with long rows overlapped)
DIARY_BEFORE = 1.3  # "diary C" stands this many steps before the C chain (of STEP_DT)
C_OFFSET = 5.0  # the C chain runs beside the S chain, this far along -x
NAMES_LATE = 0.75  # C's copies' names fade in over the last quarter of its unrolling


class TwoChains(BlockScene, PartScene):
    """The two chains of the part (L1, L2), on which its later shots build."""

    part = "lstm"

    view: LSTMView
    s_chain: UnrolledChain  # S: x_t -> S_t, first with L1's RNN states, then the LSTM's
    c_chain: UnrolledChain  # C, the cell state
    c_links: VGroup  # C_{t-1} -> C_t, unit to unit, coloured by f_t
    s_links: VGroup  # S_{t-1} -> S_t, as structure
    sc_links: VGroup  # C_t -> S_t, one link per step
    in_links: VGroup  # x_t -> S_t, as structure
    gate_legend: ColorLegend  # right: the gates' scale
    inputs_legend: ColorLegend | None  # right, in L2 before the gates: text inputs' scale
    states_legend: ColorLegend  # left: the states' scale
    units_notes: list[VMobject]  # under it, "8 of 24 units shown" when only some are drawn
    diary_label: VMobject  # "diary C", before the C chain

    def setup(self) -> None:
        super().setup()
        self.view = LSTMView.load(self.settings)

    # ---- small helpers --------------------------------------------------------------------

    def leave(self, *mobs: Mobject, run_time: float = SWAP) -> None:
        """Fade these out. They are first taken out of the groups they belong to and put last
        in the scene: Manim redraws every frame only from the first animated mobject on, so
        only they are redrawn (with the layers of fading links, which BlockScene adds)."""
        self.add(*mobs)
        self.play(*(vanish(m) for m in mobs), run_time=run_time)

    def framed(
        self, mobs: Sequence[Mobject], words: str | None = None, seen: Orientation = CHAIN_VIEW
    ) -> View:
        """This orientation (CHAIN_VIEW) with the camera where these fit the room under the
        legends (and the formulas between them) and over the caption (of these words; default
        two lines)."""
        above = [self.states_legend, *self.units_notes]
        room = free_room(above=above, bottom=caption_floor(self, words))
        return fit_view(self, mobs, room, seen)

    def crowded(
        self, view: View, extra: Sequence[Mobject] = (), outputs: Sequence[VGroup] = ()
    ) -> list[Animation]:
        """The names of copies placed for this view where they cover no neuron and no other
        name, nearer their own row than any other (placing.place_names): the first, the last
        and the zoomed step keep at least one (C_t's first, once there is C: it stands clear
        above its chain), the others may be left out. The animations move or fade those on
        screen on the way there."""
        s, v = self.s_chain, self.view
        c = getattr(self, "c_chain", None)
        steps = [
            [*([c.hidden[k]] if c else []), *s.layers(k), *(outputs[k][1:] if outputs else [])]
            for k in range(v.K)
        ]
        return place_names(self, view, steps, {0, v.K - 1, v.zoom_k}, extra, own_rows=True)

    def named_layers(self) -> list[NeuronLayer]:
        s = self.s_chain
        return [*s.hidden, *s.inputs, *s.outputs, *self.c_chain.hidden]

    # ---- L1 short memory ------------------------------------------------------------------

    def shot_L1(self) -> None:
        """The unrolled RNN chain again: how much its last state still feels the earlier ones,
        as measured (it fades along the chain, or the data is too short to show it)."""
        self.s_chain = self.chain(self.view.rnn_hs, self.view.rnn_inputs, self.view.rnn_in_scale)
        self.bars = sensitivity_bars(self, self.view, self.s_chain)
        self.states_legend = self.color_legend("diverging", "label_state", UL)
        # where the part first draws the units (L1's RNN is as wide as the LSTM): under the
        # legend till L5, which shows the units no more
        self.units_notes = self.notes_under(self.states_legend, self.units_words())
        self.sens_legend = self.color_legend("sequential", sensitivity_title(self.view), UR)
        self.formula = sensitivity_formula(self.view)
        # the user's LSTM comes next; this RNN is not theirs, and a line under the formula
        # says so
        self.whose: Mobject | None = None
        if self.view.rnn_trained_here:
            self.whose = one_path(text(self.words("label_rnn_here"), TABLE_TEXT, NOTE, self.lang))
            # under the formula and the legends: it is wider than the room between them
            lowest = min(
                m.get_bottom()[1] for m in (self.formula, self.states_legend, *self.units_notes)
            )
            self.whose.next_to(RIGHT * self.formula.get_x() + UP * lowest, DOWN, buff=0.12)
            self.pin(self.whose)
        said: list[tuple[str, dict]] = [("l1_short", {}), fade_words(self.view)]
        longest = max((self.words(key, **fields) for key, fields in said), key=len)
        room = free_room(
            above=[
                self.states_legend,
                *self.units_notes,
                self.formula,
                *([self.whose] if self.whose else []),
            ],
            bottom=caption_floor(self, longest),
        )
        s, ahead = self.s_chain, self.c_copies()  # C, which comes in L2, not shown yet
        view = lift_rows(
            self,
            [(s.inputs, [*s.hidden, *ahead.hidden], IN, ())],
            lambda: [fit_view(self, [s, self.bars], room, CHAIN_VIEW), self.framed([s, ahead])],
            IO_GAP,
        )[0]  # framed as the rows stand
        self.link_rnn_chain()
        self.set_camera_orientation(**view)
        # the bars and their values are obstacles: a name behind a bar lost its last digit
        self.crowded(view, extra=list(self.bars))  # none on screen yet
        # the chain stands from the first frame (the part opens on it, not on black); viridis
        # inputs come with their legend
        self.add(self.s_chain, self.states_legend, *self.units_notes)
        if self.view.rnn_in_scale == "sequential":
            self.add(self.sens_legend)
        self.say("l1_short")
        self.play(Create(self.rnn_in_links), Create(self.ws_links), run_time=DRAW)
        self.wait(2)
        self.memory_fades()

    def link_rnn_chain(self) -> None:
        """The links of the unrolled S chain with x_t, with the RNN's weights (L1)."""
        v, K, s = self.view, self.view.K, self.s_chain
        self.rnn_in_links = VGroup(
            *(DenseLinks(s.inputs[j], s.hidden[j], v.rnn_w_in) for j in range(K))
        )
        self.ws_links = VGroup(
            *(DenseLinks(s.hidden[j], s.hidden[j + 1], v.rnn_ws) for j in range(K - 1))
        )

    def chain(self, states: np.ndarray, inputs: PartView, in_scale: str) -> UnrolledChain:
        """The unrolled S chain of these states, reading these inputs (facing the camera):
        x_t named by its character for text, else x_t."""
        K = self.view.K
        dt = min(STEP_DT, STEPS_SPAN / K)
        in_names = [
            text(inputs.input_symbol(k), 22)
            if inputs.is_text
            else step_name("x", inputs.step_number(k))
            for k in range(K)
        ]
        chain = UnrolledChain(
            states,
            [f"S_{{{inputs.step_number(k)}}}" for k in range(K)],
            dt=dt,
            inputs=inputs.xs,
            outputs=None,
            in_scale=in_scale,
            in_names=in_names,
            io_gap=IO_GAP,
            spacing=SPACING,
            radius=RADIUS,
            io_spacing=SPACING,
            io_radius=RADIUS * 0.8,
        )
        face_camera(self, chain)
        return chain

    def memory_fades(self) -> None:
        """||dS_T/dS_t|| grows as bars from the last step backwards; the formula above, with
        its value at the sequence's first state when that is before the window."""
        key, fields = fade_words(self.view)
        self.say(key, run_time=0.6, **fields)
        self.pin(self.formula)
        shown = self.sens_legend in self.mobjects  # with viridis inputs, from the start
        self.play(
            Write(self.formula),
            *([] if shown else [appear(self.sens_legend)]),
            *([appear(self.whose)] if self.whose else []),
            run_time=WRITE,
        )
        if len(self.bars):
            self.play(
                AnimationGroup(*(GrowFromEdge(b, IN) for b in reversed(self.bars)), lag_ratio=0.5),
                run_time=4,
            )
        self.wait(3)

    # ---- L2 a second chain ----------------------------------------------------------------

    def shot_L2(self) -> None:
        """A second chain, C (the diary), appears beside S, linked to it at every step:
        computing S_t now also takes C_t."""
        self.build_c_chain()
        self.say("l2_chain")
        self.become_the_lstm()
        self.c_chain_unrolls()
        self.say("l2_state")
        for k in range(self.view.K):
            self.play(
                self.sc_links[k].pulse(run_time=0.7),
                *([self.c_links[k - 1].pulse(run_time=0.7)] if k else []),
            )
        self.wait(2.5)

    def build_c_chain(self) -> None:
        """C beside S; links C_{t-1} -> C_t unit by unit (c_t = f_t c_{t-1} + ...: width and
        colour (sequential scale) are the forget gate f_t), and at every step one link from
        C_t to S_t. The links into and between the S copies are drawn as structure only: an
        LSTM has four weight blocks per link, no single weight to colour them by."""
        v, K, s = self.view, self.view.K, self.s_chain
        self.c_chain = self.c_copies()
        c = self.c_chain.hidden
        bundles = [SelfLinks(c[j], c[j + 1], v.f[j + 1], norm=1.0) for j in range(K - 1)]
        half = (Links.BINS - 1) // 2
        for bundle in bundles:  # Links colour weights on the diverging scale: f is a gate
            for level, path in bundle.paths.items():
                path.set_stroke(sequential((level or 0) / half))
        self.c_links = VGroup(*bundles)
        last = len(v.units) - 1
        self.sc_links = VGroup(
            *(Links(c[j], s.hidden[j], [(last, 0)], [1.0], norm=1.0, max_width=6) for j in range(K))
        )
        for link in self.sc_links:
            link.set_stroke(STRUCTURE)
        # S_{t-1} -> S_t: drawn unit to unit, as structure (the full picture is in L1's W_S)
        self.s_links = VGroup(*(SelfLinks(s.hidden[j], s.hidden[j + 1]) for j in range(K - 1)))
        # a deeper LSTM's top layer reads the layer below, not the data L1's RNN reads
        self.lstm_inputs = s.inputs
        if not v.same_inputs:
            own = self.chain(v.hs, v, v.in_scale)
            both = [s, self.c_chain]
            lift = [(own.inputs, [*s.hidden, *c], IN, ())]
            lift_rows(self, lift, lambda: [self.framed(both)], IO_GAP)
            self.lstm_inputs = own.inputs
        self.in_links = VGroup(*(DenseLinks(self.lstm_inputs[j], s.hidden[j]) for j in range(K)))
        self.diary_label = one_path(
            text(self.words("label_diary") + "  C", 24, PAPER.to_hex(), self.lang)
        )
        # before the first copy, as far from it in the world when the steps are closer
        before = DIARY_BEFORE * max(1.0, STEP_DT / s.dt)
        self.diary_label.move_to(self.c_chain.at(-before) + OUT * 0.5)
        self.face(self.diary_label)

    def c_copies(self) -> UnrolledChain:
        """The C chain beside S, its copies' names up and left, facing the camera."""
        v = self.view
        chain = UnrolledChain(
            v.cs,
            [f"C_{{{v.step_number(k)}}}" for k in range(v.K)],
            origin=LEFT * C_OFFSET,
            dt=self.s_chain.dt,
            spacing=SPACING,
            radius=RADIUS,
        )
        chain.names_up_left()
        face_camera(self, chain)
        return chain

    def become_the_lstm(self) -> None:
        """L1's bars go; the same chain takes the LSTM's own states and links. The legends
        turn where they stand: the states' to the LSTM's, the right one to the inputs' alone
        while they are drawn on its scale (text)."""
        s, v = self.s_chain, self.view
        states = legend(self, "diverging", states_keys(v, outputs=False), UL)
        gone = [self.whose] if self.whose is not None else []  # the LSTM is the user's own
        inputs: ColorLegend | None = None
        if v.rnn_in_scale == "sequential":
            inputs = legend(self, "sequential", ["label_input_x"], UR)
        self.play(
            vanish(self.bars),
            vanish(self.formula),
            turn(self, self.sens_legend, inputs) if inputs else vanish(self.sens_legend),
            turn(self, self.states_legend, states),
            *(vanish(m) for m in gone),
            run_time=SWAP,
        )
        self.states_legend = states
        swap = []
        if self.lstm_inputs is not s.inputs:
            swap = [*(vanish(x) for x in s.inputs), *(appear(x) for x in self.lstm_inputs)]
            s.remove(*s.inputs)
            s.inputs = self.lstm_inputs
            s.add(*s.inputs)
            if inputs is not None and v.in_scale != "sequential":  # the layer below's states
                swap.append(vanish(inputs))
                inputs = None
        self.inputs_legend = inputs
        self.play(
            *(s.hidden[k].fill(v.hs[k], lag_ratio=0) for k in range(v.K)),
            vanish(self.ws_links),
            vanish(self.rnn_in_links),
            appear(self.s_links),
            appear(self.in_links),
            *swap,
            run_time=DRAW,
        )

    def c_chain_unrolls(self) -> None:
        """C unrolls beside S while the camera takes both in; then its links, and the links
        between the chains."""
        first, s = self.c_chain.hidden[0], self.s_chain
        both = self.framed([s, self.c_chain, self.diary_label])  # before C rolls up
        # the neurons shrink as the camera backs out, if need be to stand clear of each other
        size = shrink_to_clear(self, both, [*s.hidden, *self.c_chain.hidden, *s.inputs])
        shrink = shrinking([*s.hidden, *s.inputs], size, run_time=MOVE)  # C unrolls at its new size
        crowded = self.crowded(both)
        unroll = [self.c_chain.unroll(lag_ratio=0.3, run_time=MOVE)] if self.view.K > 1 else []
        # the copies' names come once they stand apart: sliding out of the first, they met
        late = squish_rate_func(smooth, NAMES_LATE, 1.0)
        self.add(*self.c_chain.hidden[1:])
        self.play(
            appear(first),
            *unroll,
            *(Opacity(c.title, 0, 1, rate_func=late) for c in self.c_chain.hidden[1:]),
            appear(self.diary_label),
            *crowded,
            *shrink,
            look_at(self, both, run_time=MOVE),
            run_time=MOVE,
        )
        self.play(Create(self.c_links), run_time=DRAW)
        self.gate_legend = legend(self, "sequential", gates_keys(self.view, outputs=False), UR)
        shown = self.inputs_legend
        self.play(
            Create(self.sc_links),
            turn(self, shown, self.gate_legend) if shown else appear(self.gate_legend),
            run_time=DRAW,
        )
        self.wait(2.5)
