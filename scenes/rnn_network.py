"""Part 1 of the video, the RNN (docs/STORYBOARD.md), its first shots: R1 a plain network and R2
deeper, not longer. RNNChain (scenes/rnn_chain.py) builds on PlainNetwork with R3,
LinksThroughTime (scenes/rnn_links.py) with R4, and RNNPart (scenes/rnn_part.py) plays the last
shots.

Every number comes from the part's view of a trained model (scenes/story_rnn.py); places, inks
and pace from scenes/layout.py; the blocks from scenes/blocks.py.
"""

from __future__ import annotations

from manim import (
    DOWN,
    IN,
    LEFT,
    OUT,
    UL,
    UP,
    UR,
    Create,
    MathTex,
    Mobject,
    ReplacementTransform,
    VGroup,
    VMobject,
    Write,
)

from scenes.animations import appear, vanish
from scenes.base import PartScene
from scenes.blocks import FRONT, BlockScene, Formula, face_camera, fitted_text, text
from scenes.captions import caption_text
from scenes.layout import (
    DRAW,
    FADE,
    NOTE,
    SPACING,
    SWAP,
    TABLE_TEXT,
    WRITE,
)
from scenes.links import DenseLinks
from scenes.neurons import NeuronLayer
from scenes.story_rnn import RNNView

IO_GAP = 2.1  # x below and y above the hidden layer, along the flow axis (world z)
WIDE_IO = 0.6  # spacing of an x or y row of at most five units (few: spread them out)
NEURON_FORMULA = r"S_i = f\Big(\sum_{n} w_{in}^{i}\, x_n^{i} + b_i\Big)"
PLAIN_FORMULA = r"S = f(W_{in} X + b)"
KEY_GAP = 0.4  # between R1's key of the features' names and the labels W_in, W_out


class PlainNetwork(BlockScene, PartScene):
    """The network of R1 and R2, which the later shots of the part unroll along time."""

    part = "rnn"
    view: RNNView

    def setup(self) -> None:
        super().setup()
        self.view = RNNView.load(self.settings)
        self.aside: list[Mobject] = []  # what R5 puts aside to show one step's numbers
        self.board: list[Mobject] = []  # R5's formula and numbers, until R6 clears them
        self.names_back: list = []  # (name, shift): where R6 glides the names R5 moved back

    # ---- R1 a plain network ---------------------------------------------------------------

    def shot_R1(self) -> None:
        """Front view: x, s and y, fully connected, labelled W_in and W_out. One forward pass.
        The neuron formula appears and folds into matrix form."""
        self.set_camera_orientation(**FRONT)
        self.build_network()
        self.show_network()
        self.forward_pass()
        self.fold_formula()

    def build_network(self) -> None:
        v = self.view
        n_in = len(v.in_units)
        self.io_spacing = SPACING if n_in > 5 else WIDE_IO
        self.x = NeuronLayer(
            n_in,
            None,
            v.in_scale,
            labels=v.in_names,
            name="x",
            center=IN * IO_GAP,
            spacing=self.io_spacing,
            norm=v.in_norm,
        )
        self.s = NeuronLayer(len(v.units), None, name="s", spacing=SPACING, norm=v.h_norm)
        self.net = VGroup(self.x, self.s)
        self.w_in = DenseLinks(self.x, self.s, v.W_in)
        self.links = VGroup(self.w_in)
        left = self.s.neurons[0].get_center() + LEFT * 0.9  # the labels stand left of the links
        self.link_labels = VGroup(MathTex("W_{in}", font_size=30).move_to(left + IN * IO_GAP / 2))
        self.y: NeuronLayer | None = None
        if v.W_out is not None and v.out_units is not None:
            n_out = len(v.out_units)
            self.y = NeuronLayer(
                n_out,
                None,
                v.out_scale,
                labels=v.out_names,
                name="y",
                center=OUT * IO_GAP,
                spacing=SPACING if n_out > 5 else WIDE_IO,
                label_side=UP,
                norm=v.out_norm,
            )
            self.net.add(self.y)
            self.w_out = DenseLinks(self.s, self.y, v.W_out)
            self.links.add(self.w_out)
            self.link_labels.add(MathTex("W_{out}", font_size=30).move_to(left + OUT * IO_GAP / 2))
        face_camera(self, self.x, self.s, *([self.y] if self.y else []))
        self.face(*self.link_labels)

    def show_network(self) -> None:
        self.legend = self.legends()
        self.key = self.feature_key()
        self.pin(self.legend, self.key)
        # the part opens on the layers, not on a black frame
        self.add(self.net, self.legend, self.key)
        self.say("r1_network", Create(self.links, run_time=DRAW), Write(self.link_labels))
        self.wait(3)

    def legends(self) -> VGroup:
        """States on the left; probabilities (or values) on the right; notes under the first
        when only some units are drawn, and when the layer drawn is the top one of a deeper
        model (its x is then the state of the layer below, not the data)."""
        v, model = self.view, self.view.story.model
        state = self.color_legend("diverging", "label_state", UL)
        right = ("sequential", "label_prob") if v.is_text else ("diverging", "label_value")
        group = VGroup(state, self.color_legend(*right, UR))
        notes = self.units_words()
        if model.num_layers > 1:
            notes.append(self.words("label_top", n=model.num_layers, below=model.num_layers - 1))
        group.add(*self.notes_under(state, notes))
        return group

    def feature_key(self) -> VGroup:
        """x1 temp, x2 humidity, ...: the names a CSV's header gives the features, one a line
        under the legends at the left (the x layer's neurons keep their short names, which a
        long name would crowd), and "y next x" when the model is rnn3d's own (y1 predicts
        the next x1, ...); empty when the data names none. Gone with the neurons' names
        when the chain unrolls (R6's table names the features again)."""
        left_edge = self.legend[0].get_left()[0]
        room = self.link_labels.get_left()[0] - KEY_GAP - left_edge  # left of W_in, W_out
        key = VGroup(*(self.key_line(x, name, room) for x, name in self.view.feature_key or []))
        if not key:
            return key
        if self.view.story.predicts_next and self.y is not None:
            # rnn3d's own model: each y neuron is the next step's x neuron under it
            key.add(self.key_line("y", caption_text("label_next", self.lang, name="x"), room))
        left = [m for m in self.legend if m is not self.legend[1]]  # all but the right legend
        lowest = min(left, key=lambda m: m.get_bottom()[1])
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return key.next_to(lowest, DOWN, buff=0.3).set_x(left_edge + key.width / 2)

    def key_line(self, x: str, name: str, room: float) -> VMobject:
        """x1  temp: the name cut to fit the room (a CSV's header may hold any name)."""

        def line(cut: str) -> VMobject:
            return text(f"{x}  {cut}", TABLE_TEXT, NOTE, self.lang)

        return fitted_text(name, room, line)

    def forward_pass(self) -> None:
        """The first step: inputs light up, signals run along the links, the hidden neurons
        fill with their activations, the outputs show the prediction."""
        v = self.view
        self.say("r1_forward", self.x.fill(v.xs[0], run_time=SWAP))
        self.play(self.w_in.pulse(run_time=WRITE))
        self.play(self.s.fill(v.hs[0]), run_time=WRITE)
        if self.y is not None and v.ys is not None:
            self.play(self.w_out.pulse(run_time=WRITE))
            self.play(self.y.fill(v.ys[0]), run_time=SWAP)
        self.wait(1)

    def fold_formula(self) -> None:
        neuron, matrix = Formula(NEURON_FORMULA), Formula(PLAIN_FORMULA)
        self.pin(neuron, matrix)
        self.say("r1_formula", Write(neuron, run_time=DRAW))
        self.wait(2)
        self.play(ReplacementTransform(neuron, matrix), run_time=DRAW)
        self.formula = matrix
        self.wait(2)

    # ---- R2 deeper, not longer ------------------------------------------------------------

    def shot_R2(self) -> None:
        """The network grows more hidden layers: deeper, but no layer sees its own past. Then
        it shrinks back."""
        extra = [
            NeuronLayer(len(self.view.units), center=OUT * z, spacing=SPACING)
            for z in (-IO_GAP / 2, IO_GAP / 2)
        ]
        face_camera(self, *extra)
        top = self.y if self.y is not None else self.s
        stack = [self.x, extra[0], self.s, extra[1], top]
        deep_links = VGroup(
            *(DenseLinks(a, b) for a, b in zip(stack, stack[1:], strict=False) if a is not b)
        )
        self.say(
            "r2_deeper",
            *(vanish(m, run_time=SWAP) for m in (self.formula, self.links, self.link_labels)),
        )
        self.play(*(appear(e) for e in extra), run_time=FADE)
        self.play(Create(deep_links), run_time=WRITE)
        self.wait(3.2)
        self.say(
            "r2_time", vanish(deep_links, run_time=FADE), *(vanish(e, run_time=FADE) for e in extra)
        )
        self.play(Create(self.links), appear(self.link_labels), run_time=SWAP)
        self.wait(3.1)
