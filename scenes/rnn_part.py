"""Part 1 of the video: the RNN, shots R1-R6 (docs/STORYBOARD.md), one method per shot.

Each shot method reads as its storyboard row: a list of beats, one method each. Every number
comes from the part's view of a trained model (scenes/story_rnn.py); places, inks and pace from
scenes/layout.py; the blocks from scenes/blocks.py. Render with
    manim -ql scenes/rnn_part.py RNNPart            (RNN3D_SHOT=R3 for one shot)
"""

from __future__ import annotations

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
    AnimationGroup,
    Arrow,
    BackgroundRectangle,
    Create,
    Indicate,
    MathTex,
    Mobject,
    ReplacementTransform,
    Succession,
    VGroup,
    Write,
)

from scenes.base import PartScene
from scenes.blocks import (
    FRONT,
    BlockScene,
    DenseLinks,
    Formula,
    Glide,
    NeuronLayer,
    Opacity,
    SelfLinks,
    Throb,
    UnrolledChain,
    appear,
    face_camera,
    text,
    vanish,
)
from scenes.camera import RANK_LINK, ranked
from scenes.colors import one_path
from scenes.framing import (
    View,
    caption_floor,
    fit_view,
    free_room,
    leaf_boxes,
    look_at,
    place_label,
)
from scenes.layout import (
    AXIS,
    AXIS_LABEL,
    DRAW,
    FADE,
    HIGHLIGHT,
    NOTE,
    OUTLINE,
    PREDICTION,
    RADIUS,
    SPACING,
    SWAP,
    TABLE_TEXT,
    TOP_BUFF,
    WRITE,
    orientation,
    row_end,
)
from scenes.panels import number_panel, prediction_table
from scenes.story import subscript
from scenes.story_rnn import RNNView

CHAIN_VIEW = orientation(68, -28)  # time opens out to the right
IO_GAP = 2.1  # x below and y above the hidden layer, along the flow axis (world z)
CHAIN_GAP = 1.7  # the same, closer, once time takes room in the 3D view
WIDE_IO = 0.6  # spacing of an x or y row of at most five units (few: spread them out)
LONG_IO = (0.3, 0.11)  # spacing and radius of x_t and y_t rows of more than five units
WS_LABEL_GAP = 0.9  # from an end unit of the hidden layer to a W_s label beside a gap
SHARED_WIDTH = 6.0  # R4's note fits between the two legends
NEURON_FORMULA = r"S_i = f\Big(\sum_{n} w_{in}^{i}\, x_n^{i} + b_i\Big)"
PLAIN_FORMULA = r"S = f(W_{in} X + b)"
RNN_FORMULA = (r"S_t = f(W_{in} X + ", r"W_s S_{t-1}", r" + b)")


class RNNPart(BlockScene, PartScene):
    part = "rnn"
    view: RNNView

    def setup(self) -> None:
        super().setup()
        self.view = RNNView.load(self.settings)
        self.aside: list[Mobject] = []  # what R5 puts aside to show one step's numbers
        self.board: list[Mobject] = []  # R5's formula and numbers, until R6 clears them

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
        self.pin(self.legend)
        self.say("r1_network", appear(self.net, run_time=DRAW), appear(self.legend, run_time=DRAW))
        self.play(Create(self.links), Write(self.link_labels), run_time=DRAW)
        self.wait(3)

    def legends(self) -> VGroup:
        """States on the left; probabilities (or values) on the right; a note under the first
        when only some units are drawn."""
        v = self.view
        state = self.color_legend("diverging", "label_state", UL)
        right = ("sequential", "label_prob") if v.is_text else ("diverging", "label_value")
        group = VGroup(state, self.color_legend(*right, UR))
        if v.story.units_note:
            note = text(
                self.words("label_units", shown=len(v.units), total=v.story.model.hidden_size),
                TABLE_TEXT,
                NOTE,
                self.lang,
            )
            group.add(note.next_to(state, DOWN, buff=0.15, aligned_edge=LEFT))
            self.pin(note)
        return group

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

    # ---- R3 turn to 3D and unroll along time ----------------------------------------------

    def shot_R3(self) -> None:
        """The camera swings round and time opens up; the hidden layer is copied along it,
        each copy coloured by its own S_t, with x_t and y_t beside it."""
        self.say(
            "r3_turn", vanish(self.links, run_time=FADE), vanish(self.link_labels, run_time=FADE)
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
            else [text(f"x{subscript(v.step_number(k))}", 22) for k in range(K)]
        )
        out_names = None
        if v.ys is not None:
            out_names = (
                [text(v.predicted_symbol(k), 22, PREDICTION) for k in range(K)]
                if text_names
                else [text(f"y{subscript(v.step_number(k))}", 22) for k in range(K)]
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
        # x_t -> S_t and S_t -> y_t as plain structure (their weights were shown in R1): the
        # links through time are the subject now, and one path per bundle keeps frames cheap
        self.in_links = [DenseLinks(c.inputs[k], c.hidden[k]) for k in range(K)]
        self.out_links = (
            [DenseLinks(c.hidden[k], c.outputs[k]) for k in range(K)] if v.ys is not None else []
        )
        end = np.array([row_end(len(v.units)), 0, 0])
        self.time_axis = Arrow(
            end + c.at(-0.6),
            end + c.at(K - 0.3),
            buff=0,
            stroke_width=3,
            color=AXIS,
            tip_length=0.25,
        )
        ranked(self.time_axis, RANK_LINK)
        self.time_label = text(self.words("label_time") + "  t", 22, AXIS_LABEL, self.lang)
        self.time_label.move_to(end + c.at(K - 0.1) + OUT * 0.4)
        self.face(self.time_label)

    def chain_view(self, *steps: int, above=(), right=()) -> View:
        """CHAIN_VIEW with the camera where these steps of the chain (default: all, with the
        time axis) fit the room under the legends and what is above, left of what is on the
        right, over the caption."""
        c = self.chain
        framed = [c.step(k) for k in steps] if steps else [c, self.time_axis, self.time_label]
        room = free_room(above=[self.legend, *above], right=right, bottom=caption_floor(self))
        return fit_view(self, framed, room, CHAIN_VIEW)

    def turn_to_time(self) -> None:
        """The camera centres the whole chain-to-be (it then unrolls in a still frame), while
        x and y close in on s; the network becomes the chain's first copy."""
        closer = [
            Glide(layer, side * (IO_GAP - CHAIN_GAP))
            for layer, side in ((self.x, OUT), (self.y, IN))
            if layer is not None
        ]
        self.unrolled = self.chain_view()  # R4 and R6 see the chain from here too
        self.move_camera(**self.unrolled, run_time=3, added_anims=closer)
        self.play(vanish(self.net), appear(self.chain.step(0)), run_time=FADE)

    def unroll(self) -> None:
        """The copies slide out along the time axis; then the links into and out of them."""
        K = self.view.K
        self.add(VGroup(*(self.chain.step(k) for k in range(1, K))))
        slide = [self.chain.unroll(lag_ratio=0.3, run_time=3)] if K > 1 else []
        self.say("r3_copies", *slide, Create(self.time_axis, run_time=3))
        self.play(
            appear(self.time_label), Create(VGroup(*self.in_links, *self.out_links)), run_time=DRAW
        )
        self.wait(8)

    # ---- R4 links through time share W_S --------------------------------------------------

    def shot_R4(self) -> None:
        """Every neuron of S_{t-1} to every neuron of S_t; then each only to itself; the same
        W_S on every gap: the weights are shared, the count does not grow with time."""
        if self.view.K < 2:  # a window of one step has no link through time to show
            self.dense = VGroup()
            for key in ("r4_dense", "r4_self", "r4_shared"):
                self.say(key)
                self.wait(5)
            return
        self.build_links_through_time()
        self.say("r4_dense", Create(self.dense, run_time=DRAW))
        self.play(appear(self.ws_labels), run_time=FADE)
        self.wait(3.2)
        self.say("r4_self", vanish(self.dense, run_time=WRITE), Create(self.selfs, run_time=WRITE))
        self.wait(3.3)
        self.weights_are_shared()

    def build_links_through_time(self) -> None:
        c, K, W_s = self.chain, self.view.K, self.view.W_s
        norm = float(np.abs(W_s).max())
        self.dense = VGroup(
            *(DenseLinks(c.hidden[k], c.hidden[k + 1], W_s, norm=norm) for k in range(K - 1))
        )
        self.selfs = VGroup(
            *(
                SelfLinks(c.hidden[k], c.hidden[k + 1], np.diag(W_s), norm=norm)
                for k in range(K - 1)
            )
        )
        avoid = leaf_boxes(self.renderer.camera, [c, self.time_axis, self.time_label])
        self.ws_labels = VGroup(*(self.ws_label(k, avoid) for k in range(K - 1)))

    def ws_label(self, k: int, avoid: list) -> MathTex:
        """W_s beside the gap between copies k and k+1, where on screen it covers no neuron
        or label (avoid: their boxes): past the last unit and the time axis, past the first
        unit, or above the gap's middle; never on the links, whose colours are like its own."""
        c = self.chain
        label = MathTex("W_s", font_size=32, color=HIGHLIGHT)
        label.set_stroke(OUTLINE, width=4, background=True)  # readable over the axis
        ends = [
            (c.hidden[k].neurons[j].get_center() + c.hidden[k + 1].neurons[j].get_center()) / 2
            for j in (-1, 0, len(self.view.units) // 2)
        ]
        side = WS_LABEL_GAP + label.width / 2
        spots = [
            ends[0] + RIGHT * side,
            ends[1] + LEFT * side,
            ends[2] + OUT * 0.4,
            ends[0] + RIGHT * (side + 0.4),
            ends[1] + LEFT * (side + 0.4),
            ends[2] + OUT * 0.7,
            ends[2] + IN * 0.5,
        ]
        place_label(self, label, spots, avoid)
        self.face(label)
        return label

    def weights_are_shared(self) -> None:
        H, K = self.view.story.model.hidden_size, self.view.K
        shared = text(
            self.words("label_shared", n=H, count=H * H, gaps=K - 1), 20, HIGHLIGHT, self.lang
        )
        if shared.width > SHARED_WIDTH:
            shared.scale_to_fit_width(SHARED_WIDTH)
        note = one_path(shared.to_edge(UP, buff=TOP_BUFF))
        self.pin(note)
        self.say(
            "r4_shared",
            vanish(self.selfs, run_time=WRITE),
            Create(self.dense, run_time=WRITE),
            appear(note, run_time=WRITE),
        )
        self.play(Indicate(self.ws_labels, color=HIGHLIGHT, scale_factor=1.3), run_time=WRITE)
        self.wait(4.1)
        self.play(vanish(note), run_time=FADE)

    # ---- R5 the equation ------------------------------------------------------------------

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
