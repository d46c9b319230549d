"""Part 2 of the video: the LSTM, shots L1-L6 (docs/STORYBOARD.md), one method per shot.

Each shot method reads as its storyboard row: a list of beats, one method each. Every number
comes from the part's view of a trained model (scenes/story_lstm.py: the LSTM, L1's RNN, the
training L6 replays); places, inks and pace from scenes/layout.py. The two chains and shots L1
and L2 are in scenes/lstm_chains.py (TwoChains), the close-up of shots L3 and L4 in
scenes/lstm_closeup.py (LSTMCloseUp), on which LSTMPart builds with L5 and L6; the textbook
cell is in scenes/lstm_diagram.py, the training replay in scenes/training_replay.py.
Render with
    manim -ql scenes/lstm_part.py LSTMPart            (RNN3D_SHOT=L3 for one shot)
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    ORIGIN,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    Create,
    GrowFromCenter,
    ReplacementTransform,
    VGroup,
    Write,
)

from scenes.blocks import (
    Glide,
    appear,
    text,
    vanish,
)
from scenes.camera import RANK_LINK, ranked
from scenes.colors import diverging, one_path, sequential
from scenes.framing import caption_floor
from scenes.layout import (
    DRAW,
    FADE,
    LABEL,
    MOVE,
    SWAP,
    TOP_BUFF,
    orientation,
)
from scenes.lstm_chains import C_OFFSET
from scenes.lstm_closeup import LSTMCloseUp
from scenes.lstm_diagram import BUS_Y, TOP_Y, ClassicLSTMDiagram
from scenes.story_lstm import replay_gates, training_history
from scenes.training_replay import REPLAY_SECONDS, TrainingReplay

SIDE_VIEW = orientation(90, 0)  # L5: screen right = time, up = z
DIAGRAM_SCALE = 0.82  # the classic diagram's size in L5 (world units per diagram unit)
DIAGRAM_WIDTH = 11.0  # L5 stretches a step to the diagram's width (in diagram units)


class LSTMPart(LSTMCloseUp):
    """Part 2: L1, L2 (TwoChains), L3, L4 (LSTMCloseUp), and here L5 and L6."""

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
