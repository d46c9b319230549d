"""Part 2 of the video: the LSTM, shots L1-L6 (docs/STORYBOARD.md), one method per shot.

Each shot method reads as its storyboard row: a list of beats, one method each. Every number
comes from the part's view of a trained model (scenes/story_lstm.py: the LSTM, L1's RNN, the
training L6 replays); places, inks and pace from scenes/layout.py. The chains and the close-up
of shots L3 and L4 are in scenes/lstm_closeup.py, the textbook cell in scenes/lstm_diagram.py,
the training replay in scenes/training_replay.py. Render with
    manim -ql scenes/lstm_part.py LSTMPart            (RNN3D_SHOT=L3 for one shot)
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    IN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    AnimationGroup,
    Create,
    GrowFromCenter,
    GrowFromEdge,
    Mobject,
    Rectangle,
    ReplacementTransform,
    Text,
    VGroup,
    Write,
)

from scenes.blocks import (
    DenseLinks,
    Formula,
    Glide,
    Links,
    SelfLinks,
    UnrolledChain,
    appear,
    face_camera,
    text,
    vanish,
)
from scenes.camera import RANK_LINK, ranked
from scenes.colors import diverging, one_path, sequential
from scenes.framing import caption_floor, look_at
from scenes.layout import (
    DRAW,
    FADE,
    LABEL,
    MOVE,
    NOTE,
    RADIUS,
    SPACING,
    STRUCTURE,
    SWAP,
    TOP_BUFF,
    WHITE,
    WRITE,
    orientation,
    row_end,
)
from scenes.lstm_closeup import C_OFFSET, IO_GAP, TwoChains
from scenes.lstm_diagram import BUS_Y, TOP_Y, ClassicLSTMDiagram
from scenes.lstm_tools import PAPER
from scenes.story import PartView
from scenes.story_lstm import LSTMView, replay_gates, training_history
from scenes.training_replay import REPLAY_SECONDS, TrainingReplay

SIDE_VIEW = orientation(90, 0)  # L5: screen right = time, up = z
DIAGRAM_SCALE = 0.82  # the classic diagram's size in L5 (world units per diagram unit)
DIAGRAM_WIDTH = 11.0  # L5 stretches a step to the diagram's width (in diagram units)


class LSTMPart(TwoChains):
    part = "lstm"

    def setup(self) -> None:
        super().setup()
        self.view = LSTMView.load(self.settings)

    # ---- L1 short memory ------------------------------------------------------------------

    def shot_L1(self) -> None:
        """The unrolled RNN chain again: how much its last state still feels the earlier ones
        fades along the chain."""
        self.build_rnn_chain()
        self.bars = self.sensitivity_bars()
        self.states_legend = self.color_legend("diverging", "label_state", UL)
        fade = "l1_fade_here" if self.view.rnn_trained_here else "l1_fade"
        longest = max(
            (
                self.words(key, **fields)
                for key, fields in (("l1_short", {}), (fade, self.fade_fields()))
            ),
            key=len,
        )
        self.set_camera_orientation(**self.framed([self.s_chain, self.bars], longest))
        self.say("l1_short")
        self.play(appear(self.s_chain), appear(self.states_legend), run_time=DRAW)
        self.play(Create(self.rnn_in_links), Create(self.ws_links), run_time=DRAW)
        self.wait(2)
        self.memory_fades()

    def build_rnn_chain(self) -> None:
        """The unrolled S chain with x_t, first with the RNN's states and weights (L1)."""
        v, K = self.view, self.view.K
        self.s_chain = s = self.chain(v.rnn_hs, v.rnn_inputs, v.rnn_in_scale)
        face_camera(self, s)
        self.rnn_in_links = VGroup(
            *(DenseLinks(s.inputs[j], s.hidden[j], v.rnn_w_in) for j in range(K))
        )
        self.ws_links = VGroup(
            *(DenseLinks(s.hidden[j], s.hidden[j + 1], v.rnn_ws) for j in range(K - 1))
        )

    def chain(self, states: np.ndarray, inputs: PartView, in_scale: str) -> UnrolledChain:
        """The unrolled S chain of these states, reading these inputs: x_t named by its
        character for text, else x_t."""
        K = self.view.K
        in_names = [
            text(inputs.input_symbol(k), 22) if inputs.is_text else f"x_{{{inputs.step_number(k)}}}"
            for k in range(K)
        ]
        return UnrolledChain(
            states,
            [f"S_{{{inputs.step_number(k)}}}" for k in range(K)],
            dt=min(1.6, 10.0 / K),
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

    def memory_fades(self) -> None:
        """||dS_T/dS_t|| grows as bars from the last step backwards."""
        v = self.view
        self.say("l1_fade_here" if v.rnn_trained_here else "l1_fade", **self.fade_fields())
        self.formula = one_path(
            Formula(
                r"\left\| \partial S_T / \partial S_t \right\|",
                r"\quad T = " + str(v.step_number(v.K - 1)),
            )
        )
        self.sens_legend = self.color_legend("sequential", "label_sensitivity", UR)
        self.pin(self.formula)
        # the user's LSTM comes next; this RNN is not theirs, and a line above the formula
        # says so
        self.whose: Mobject | None = None
        if v.rnn_trained_here:
            self.whose = self.top_note(self.words("label_rnn_here"))
        self.play(
            Write(self.formula),
            appear(self.sens_legend),
            *([appear(self.whose)] if self.whose else []),
            run_time=WRITE,
        )
        self.play(
            AnimationGroup(*(GrowFromEdge(b, IN) for b in reversed(self.bars)), lag_ratio=0.5),
            run_time=4,
        )
        self.wait(3)

    def top_note(self, words: str) -> Mobject:
        """A small line at the top edge, between the legends and above a formula there,
        pinned to the frame: whose model or training this is."""
        note = one_path(text(words, 14, NOTE, self.lang)).to_edge(UP, buff=0.06)
        self.pin(note)
        return note

    def fade_fields(self) -> dict[str, float]:
        """What L1's caption says of the bars."""
        v = self.view
        first, last = float(v.sensitivity[0]), float(v.sensitivity[-1])
        return {"back": v.K - 1, "first": first, "last": last, "ratio": first / max(last, 1e-12)}

    def sensitivity_bars(self) -> VGroup:
        """One bar per step beyond the far end of S_t, its height the real ||dS_T/dS_t|| over
        its maximum, its value above it."""
        sensitivity = self.view.sensitivity
        rel = sensitivity / max(float(sensitivity.max()), 1e-12)
        end = row_end(len(self.view.units))
        bars = VGroup()
        for k, r in enumerate(rel):
            bar = Rectangle(
                width=0.45,
                height=max(1.3 * r, 0.02),
                fill_color=sequential(r),
                fill_opacity=0.95,
                stroke_width=1,
                stroke_color=LABEL,
            )
            bar.rotate(90 * DEGREES, RIGHT).rotate(90 * DEGREES, OUT)  # into the y-z plane
            bar.move_to(self.s_chain.at(k) + LEFT * end, aligned_edge=IN)
            value = one_path(Text(f"{sensitivity[k]:.2f}", font_size=20, color=WHITE))
            value.move_to(bar.get_zenith() + OUT * 0.25)  # above the bar (z is up)
            self.face(value)
            bars.add(VGroup(bar, value))
        return bars

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
        self.c_chain = UnrolledChain(
            v.cs,
            [f"C_{{{v.step_number(k)}}}" for k in range(K)],
            origin=LEFT * C_OFFSET,
            dt=s.dt,
            spacing=SPACING,
            radius=RADIUS,
        )
        face_camera(self, self.c_chain)
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
            face_camera(self, own)
            self.lstm_inputs = own.inputs
        self.in_links = VGroup(*(DenseLinks(self.lstm_inputs[j], s.hidden[j]) for j in range(K)))
        self.diary_label = one_path(
            text(self.words("label_diary") + "  C", 24, PAPER.to_hex(), self.lang)
        )
        self.diary_label.move_to(self.c_chain.at(-1.3) + OUT * 0.5)  # before the first copy
        self.face(self.diary_label)

    def become_the_lstm(self) -> None:
        """L1's bars go; the same chain takes the LSTM's own states and links."""
        s = self.s_chain
        states = self.color_legend("diverging", "label_cell", UL)
        gone = [self.whose] if self.whose is not None else []  # the LSTM is the user's own
        self.play(
            vanish(self.bars),
            vanish(self.formula),
            vanish(self.sens_legend),
            vanish(self.states_legend),
            *(vanish(m) for m in gone),
            appear(states),
            run_time=SWAP,
        )
        self.states_legend = states
        swap = []
        if self.lstm_inputs is not s.inputs:
            swap = [*(vanish(x) for x in s.inputs), *(appear(x) for x in self.lstm_inputs)]
            s.remove(*s.inputs)
            s.inputs = self.lstm_inputs
            s.add(*s.inputs)
        self.play(
            *(s.hidden[k].fill(self.view.hs[k], lag_ratio=0) for k in range(self.view.K)),
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
        first = self.c_chain.hidden[0]
        both = self.framed([self.s_chain, self.c_chain, self.diary_label])  # before C rolls up
        unroll = [self.c_chain.unroll(lag_ratio=0.3, run_time=MOVE)] if self.view.K > 1 else []
        self.add(*self.c_chain.hidden[1:])
        self.play(
            appear(first),
            *unroll,
            appear(self.diary_label),
            look_at(self, both, run_time=MOVE),
            run_time=MOVE,
        )
        self.play(Create(self.c_links), run_time=DRAW)
        self.gate_legend = self.color_legend("sequential", "label_forget_links", UR)
        self.play(Create(self.sc_links), appear(self.gate_legend), run_time=DRAW)
        self.wait(2.5)

    # ---- L5 back to the textbook ----------------------------------------------------------

    def shot_L5(self) -> None:
        """The model turns 90 degrees, stretches, C is projected onto the plane; the links
        open out into the classic cell diagram: hard, because it shows 3D flat."""
        self.say("l5_turn")
        anchor = self.s_chain.at(self.view.zoom_k)
        # x_t and y_t have no place in the textbook cell's outline: they go first
        self.leave(
            *self.s_chain.inputs,
            *self.in_links,
            *self.outputs,
            self.diary_label,
            self.states_legend,
            self.gate_legend,
            run_time=SWAP,
        )
        # look along the units, so time runs left to right and C and S overlap
        self.move_camera(
            **SIDE_VIEW, zoom=1, frame_center=(anchor + OUT * 1.2).tolist(), run_time=MOVE
        )
        self.flatten()
        self.open_out(anchor)
        self.say("l5_hard")
        self.wait(5.5)

    def flatten(self) -> None:
        """C is projected onto the plane, from beside S (along the units) to above it; then
        each step is stretched to the width of one cell diagram. The links follow."""
        s, c, k = self.s_chain, self.c_chain, self.view.zoom_k
        for bundle in (*self.c_links, *self.sc_links):  # the links that move with C
            bundle.add_updater(lambda m: m.refresh())
        lift = OUT * (TOP_Y - BUS_Y) * DIAGRAM_SCALE + RIGHT * C_OFFSET
        self.play(*(Glide(h, lift) for h in c.hidden), run_time=2)
        for bundle in self.s_links:  # S moves too, from now on
            bundle.add_updater(lambda m: m.refresh())
        stretch = DIAGRAM_WIDTH * DIAGRAM_SCALE / s.dt
        moves = []
        for j in range(self.view.K):
            shift = (j - k) * (stretch - 1) * s.dt * s.time_axis
            moves += [Glide(s.hidden[j], shift), Glide(c.hidden[j], shift)]
        self.play(*moves, run_time=2)
        for bundle in (*self.c_links, *self.s_links, *self.sc_links):
            bundle.clear_updaters()

    def open_out(self, anchor: np.ndarray) -> None:
        """Lines become lines: C's links the cell-state line, S's the [h, x] bus, the links
        between the chains the wires to and from the gates; the neurons (units) fold away.
        Then the boxes, the operators and the labels of the textbook cell."""
        k = self.view.zoom_k
        d = ClassicLSTMDiagram(*self.view.diagram_gates(k), sequential, diverging)
        d.scale(DIAGRAM_SCALE, about_point=ORIGIN)
        d.rotate(90 * DEGREES, RIGHT, about_point=ORIGIN).rotate(
            90 * DEGREES, OUT, about_point=ORIGIN
        )
        d.shift(anchor - BUS_Y * DIAGRAM_SCALE * OUT)
        self.diagram, p = d, d.parts
        neurons = VGroup(*self.s_chain.hidden, *self.c_chain.hidden)
        self.play(
            ReplacementTransform(VGroup(*self.c_links), p["cell_line"]),
            ReplacementTransform(VGroup(*self.s_links), p["hidden_bus"]),
            ReplacementTransform(
                VGroup(*self.sc_links),
                VGroup(
                    p["forget_link"],
                    p["input_link"],
                    p["candidate_link"],
                    p["write_link"],
                    p["output_link"],
                    p["cell_fork"],
                    p["h_out"],
                ),
            ),
            vanish(neurons),
            run_time=MOVE,
        )
        ranked(p["cell_box"], RANK_LINK - 1)  # behind the wires (DepthCamera draws by rank)
        self.play(
            appear(p["cell_box"]),
            *(
                GrowFromCenter(p[name])
                for name in (
                    "forget_gate",
                    "input_gate",
                    "candidate_gate",
                    "output_gate",
                    "multiply_forget",
                    "add_input",
                    "multiply_input",
                    "multiply_output",
                    "tanh_cell",
                )
            ),
            Create(p["x_in"]),
            Create(p["h_up"]),
            appear(p["forks"]),
            run_time=2,
        )
        self.play(Write(p["labels"]), Write(p["f2_label"]), Write(p["state_names"]), run_time=2)
        self.gate_legend = self.color_legend("sequential", "label_gate", UR)
        self.states_legend = self.color_legend("diverging", "label_cell", UL)
        tag = one_path(
            text(self.words("label_zoom_step", t=self.view.step_number(k)), 24, LABEL, self.lang)
        ).to_edge(UP, buff=TOP_BUFF)
        self.pin(tag)
        self.play(appear(self.gate_legend), appear(self.states_legend), appear(tag), run_time=FADE)
        self.wait(4)

    # ---- L6 training ----------------------------------------------------------------------

    def shot_L6(self) -> None:
        """The LSTM is trained by gradient descent: the loss falls, and the gates' behaviour
        on the sequence changes as it learns."""
        training = training_history(self.settings, self.view.story.model)
        hist = training.history
        replay = TrainingReplay(
            hist, replay_gates(self.view, hist), self.view, self.lang, self.pin, caption_floor(self)
        )
        # whose training this is, when not the drawn model's own (with its snapshots)
        self.training_note = (
            None
            if training.own and training.snapshots
            else self.words("label_no_history" if not training.own else "label_loss_only")
        )
        self.say("l6_train" if training.own else "l6_train_here")
        self.play(*(vanish(m) for m in self.mobjects if m is not self.caption), run_time=SWAP)
        self.show_the_plot(replay, self.training_note)
        # the replay: the curve is drawn as the loss falls, the gates and the readout follow
        # the snapshots it reaches. Only they are redrawn at every frame (put last), and
        # each grid is one mobject.
        replay.readout.add_updater(replay.follow)
        self.add(*replay.moving)
        # a quarter of the way, the caption turns to the gates; the replay goes on meanwhile
        # (in a play of its own: the captions are redrawn at every frame of it)
        self.play(replay.to(0.25))
        self.say("l6_gates", replay.to(0.25 + 0.6 / REPLAY_SECONDS))
        self.play(replay.to(1.0))
        replay.readout.remove_updater(replay.follow)
        self.wait(3)

    def show_the_plot(self, replay: TrainingReplay, note: str | None) -> None:
        """The empty plot, the readout, the grids under their legend, and a note when the
        history is not the drawn model's own."""
        self.gate_legend = self.color_legend("sequential", "label_gate", UR)
        self.gate_legend.set_x(replay.grids.get_x())
        self.pin(replay.axes, replay.names, replay.curve, replay.readout, replay.grids)
        extras = []
        if note:
            self.gate_legend.shift(DOWN * 0.25)  # below the note
            extras.append(appear(self.top_note(note)))
        self.play(
            Create(replay.axes),
            *(appear(n) for n in replay.names),
            appear(replay.grids),
            appear(self.gate_legend),
            appear(replay.readout),
            *extras,
            run_time=DRAW,
        )
