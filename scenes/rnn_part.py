"""Part 1 of the video: the RNN, shots R1-R6 (see STORYBOARD.md), one method per shot.

Every colour and number comes from the Story of a trained model (load_story("rnn", ...)); the
geometry lives in scenes/blocks.py. Render with
    manim -ql scenes/rnn_part.py RNNPart            (RNN3D_SHOT=R3 for one shot)
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    IN,
    LEFT,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    YELLOW,
    AnimationGroup,
    Arrow,
    BackgroundRectangle,
    Create,
    Indicate,
    MathTex,
    Mobject,
    Paragraph,
    ReplacementTransform,
    Succession,
    VGroup,
    Write,
)

from scenes.base import PartScene
from scenes.blocks import (
    FRONT,
    RANK_LINK,
    BlockScene,
    DenseLinks,
    Formula,
    Glide,
    Neuron,
    NeuronLayer,
    Opacity,
    SelfLinks,
    Throb,
    UnrolledChain,
    appear,
    face_camera,
    fix_in_frame,
    text,
    vanish,
)
from scenes.captions import caption_text
from scenes.colors import ColorLegend, diverging, one_path, sequential
from scenes.story import subscript
from scenes.story_rnn import RNNView

CHAIN_VIEW = {"phi": 68 * DEGREES, "theta": -28 * DEGREES}  # time opens out to the right
IO_GAP = 2.1  # x below and y above the hidden layer, along the flow axis (world z)
CHAIN_GAP = 1.7  # the same, closer, once time takes room in the 3D view
SPACING, RADIUS = 0.5, 0.17
HIGHLIGHT = YELLOW  # the new term W_s S_{t-1}


class RNNPart(BlockScene, PartScene):
    part = "rnn"

    def setup(self) -> None:
        super().setup()
        self.view = RNNView.load(self.settings)
        self.dimmed: list[VGroup] = []  # steps R5 dims while it shows one step's numbers
        self.board: list[Mobject] = []  # R5's formula and numbers, until R6 clears them

    def t_label(self, k: int) -> int:
        """The 1-based step number of the k-th drawn step."""
        return self.view.step_number(k)

    # ---- small helpers --------------------------------------------------------------------

    def pin(self, *mobs) -> None:
        fix_in_frame(self, *mobs)

    def legends(self) -> VGroup:
        font = "Noto Sans CJK SC" if self.lang == "zh" else ""
        state = ColorLegend("diverging", caption_text("label_state", self.lang), font=font)
        seq_key = "label_prob" if self.view.is_text else "label_value"
        kind = "sequential" if self.view.is_text else "diverging"
        prob = ColorLegend(kind, caption_text(seq_key, self.lang), font=font)
        group = VGroup(state.to_corner(UL, buff=0.3), prob.to_corner(UR, buff=0.3))
        if self.view.story.units_note:
            note = text(caption_text("label_units", self.lang, shown=len(self.view.units),
                                     total=self.view.story.model.hidden_size), 18, "#BBBBBB",
                        self.lang).next_to(state, DOWN, buff=0.15, aligned_edge=LEFT)
            group.add(note)
        return group

    # ---- R1 a plain network ---------------------------------------------------------------

    def build_network(self) -> None:
        v = self.view
        n_in = len(v.in_units)
        self.io_spacing = SPACING if n_in > 5 else 0.6
        self.x = NeuronLayer(n_in, None, v.in_scale, labels=v.in_names, name="x",
                             center=IN * IO_GAP, spacing=self.io_spacing, norm=v.in_norm)
        self.s = NeuronLayer(len(v.units), None, name="s", spacing=SPACING, norm=v.h_norm)
        self.net = VGroup(self.x, self.s)
        self.w_in = DenseLinks(self.x, self.s, v.W_in)
        self.links = VGroup(self.w_in)
        left = self.s.neurons[0].get_center() + LEFT * 0.9
        self.w_in_label = MathTex("W_{in}", font_size=30).move_to(left + IN * IO_GAP / 2)
        self.link_labels = VGroup(self.w_in_label)
        self.y = None
        if v.W_out is not None and v.out_units is not None:
            n_out = len(v.out_units)
            self.y = NeuronLayer(n_out, None, v.out_scale, labels=v.out_names, name="y",
                                 center=OUT * IO_GAP, spacing=SPACING if n_out > 5 else 0.6,
                                 label_side=UP, norm=v.out_norm)
            self.net.add(self.y)
            self.w_out = DenseLinks(self.s, self.y, v.W_out)
            self.links.add(self.w_out)
            self.w_out_label = MathTex("W_{out}", font_size=30).move_to(left + OUT * IO_GAP / 2)
            self.link_labels.add(self.w_out_label)
        face_camera(self, self.x, self.s, *([self.y] if self.y else []))
        for label in self.link_labels:
            self.renderer.camera.add_fixed_orientation_mobjects(label)

    def shot_R1(self) -> None:
        self.set_camera_orientation(**FRONT)
        self.build_network()
        self.legend = self.legends()
        self.pin(self.legend)
        # transitions short, pauses long: a still frame costs little more than an empty one
        self.say("r1_network", appear(self.net, run_time=1.5), appear(self.legend, run_time=1.5))
        self.play(Create(self.links), Write(self.link_labels), run_time=1.5)
        self.wait(3)
        self.say("r1_forward", self.x.fill(self.view.xs[0], run_time=1))
        self.play(self.w_in.pulse(run_time=1.2))
        self.play(self.s.fill(self.view.hs[0]), run_time=1.2)
        if self.y is not None:
            self.play(self.w_out.pulse(run_time=1.2))
            self.play(self.y.fill(self.view.ys[0]), run_time=1)
        self.wait(1)
        neuron = Formula(r"S_i = f\Big(\sum_{n} w_{in}^{i}\, x_n^{i} + b_i\Big)")
        matrix = Formula(r"S = f(W_{in} X + b)")
        self.pin(neuron, matrix)
        self.say("r1_formula", Write(neuron, run_time=1.5))
        self.wait(2)
        self.play(ReplacementTransform(neuron, matrix), run_time=1.5)
        self.formula = matrix
        self.wait(2)

    # ---- R2 deeper, not longer ------------------------------------------------------------

    def shot_R2(self) -> None:
        n = len(self.view.units)
        extra = [NeuronLayer(n, center=OUT * z, spacing=SPACING) for z in (-IO_GAP / 2,
                                                                          IO_GAP / 2)]
        face_camera(self, *extra)
        top = self.y if self.y is not None else self.s
        stack = [self.x, extra[0], self.s, extra[1], top]
        deep_links = VGroup(*(DenseLinks(a, b) for a, b in zip(stack, stack[1:], strict=False)
                              if a is not b))
        self.say("r2_deeper", *(vanish(m, run_time=1) for m in (self.formula, self.links,
                                                                 self.link_labels)))
        self.play(*(appear(e) for e in extra), run_time=0.8)
        self.play(Create(deep_links), run_time=1.2)
        self.wait(3.2)
        self.say("r2_time", vanish(deep_links, run_time=0.8),
                 *(vanish(e, run_time=0.8) for e in extra))
        self.play(Create(self.links), appear(self.link_labels), run_time=1)
        self.wait(3.1)

    # ---- R3 turn to 3D and unroll along time ----------------------------------------------

    def build_chain(self) -> None:
        K = self.view.K
        dt = min(2.0, 11.0 / K)
        v = self.view
        text_names = v.is_text and v.vocab
        in_names = ([text(v.input_symbol(k), 22) for k in range(K)] if text_names else
                    [text(f"x{subscript(self.t_label(k))}", 22) for k in range(K)])
        out_names = None
        if v.ys is not None:
            out_names = ([text(v.predicted_symbol(k), 22, "#FDE725") for k in range(K)]
                         if text_names else
                         [text(f"y{subscript(self.t_label(k))}", 22) for k in range(K)])
        self.chain = UnrolledChain(
            v.hs, [f"S_{{{self.t_label(k)}}}" for k in range(K)], dt=dt,
            inputs=v.xs, outputs=v.ys, in_scale=v.in_scale, out_scale=v.out_scale,
            in_norm=v.in_norm, out_norm=v.out_norm, in_names=in_names, out_names=out_names,
            io_gap=CHAIN_GAP, spacing=SPACING, radius=RADIUS, in_name_side=RIGHT,
            **self.chain_io_size())
        face_camera(self, self.chain)
        c = self.chain
        # x_t -> S_t and S_t -> y_t as plain structure (their weights were shown in R1): the
        # links through time are the subject now, and one path per bundle keeps frames cheap
        self.in_links = [DenseLinks(c.inputs[k], c.hidden[k]) for k in range(K)]
        self.out_links = ([DenseLinks(c.hidden[k], c.outputs[k]) for k in range(K)]
                          if self.view.ys is not None else [])
        end = np.array([(len(self.view.units) - 1) / 2 * SPACING + 0.6, 0, 0])
        self.time_axis = Arrow(end + c.at(-0.6), end + c.at(K - 0.3), buff=0, stroke_width=3,
                               color="#AAAAAA", tip_length=0.25)
        self.time_axis.draw_rank = RANK_LINK
        self.time_label = text(caption_text("label_time", self.lang) + "  t", 22,
                               "#CCCCCC", self.lang).move_to(end + c.at(K - 0.1) + OUT * 0.4)
        self.renderer.camera.add_fixed_orientation_mobjects(self.time_label)

    def chain_io_size(self) -> dict[str, float]:
        """x_t and y_t rows as drawn in the front view, or smaller when they are long."""
        n_out = 0 if self.view.out_units is None else len(self.view.out_units)
        if max(len(self.view.in_units), n_out) > 5:
            return {"io_spacing": 0.3, "io_radius": 0.11}
        return {"io_spacing": self.io_spacing, "io_radius": RADIUS}

    def chain_center(self) -> np.ndarray:
        return self.chain.at((self.view.K - 1) / 2) + OUT * 0.1

    def shot_R3(self) -> None:
        self.say("r3_turn", vanish(self.links, run_time=0.8),
                 vanish(self.link_labels, run_time=0.8))
        closer = [Glide(layer, side * (IO_GAP - CHAIN_GAP))
                  for layer, side in ((self.x, OUT), (self.y, IN)) if layer is not None]
        self.build_chain()
        # the camera already centres the whole chain-to-be: it then unrolls in a still frame
        self.move_camera(**CHAIN_VIEW, frame_center=self.chain_center(), run_time=3,
                         added_anims=closer)
        # the network standing at the first step becomes the chain's first copy
        self.play(vanish(self.net), appear(self.chain.step(0)), run_time=0.8)
        rest = VGroup(*(self.chain.step(k) for k in range(1, self.view.K)))
        unroll = [self.chain.unroll(lag_ratio=0.3, run_time=3)] if self.view.K > 1 else []
        self.add(rest)
        self.say("r3_copies", *unroll, Create(self.time_axis, run_time=3))
        self.play(appear(self.time_label),
                  Create(VGroup(*self.in_links, *self.out_links)), run_time=1.5)
        self.wait(8)

    # ---- R4 links through time share W_S --------------------------------------------------

    def shot_R4(self) -> None:
        c, K = self.chain, self.view.K
        if K < 2:  # a window of one step has no link through time to show
            self.dense = VGroup()
            for key in ("r4_dense", "r4_self", "r4_shared"):
                self.say(key)
                self.wait(5)
            return
        norm = float(np.abs(self.view.W_s).max())
        self.dense = VGroup(*(DenseLinks(c.hidden[k], c.hidden[k + 1], self.view.W_s, norm=norm)
                              for k in range(K - 1)))
        self.selfs = VGroup(*(SelfLinks(c.hidden[k], c.hidden[k + 1], np.diag(self.view.W_s),
                                        norm=norm) for k in range(K - 1)))
        self.ws_labels = VGroup(*(self.ws_label(k) for k in range(K - 1)))
        self.say("r4_dense", Create(self.dense, run_time=1.5))
        self.play(appear(self.ws_labels), run_time=0.8)
        self.wait(3.2)
        self.say("r4_self", vanish(self.dense, run_time=1.2), Create(self.selfs, run_time=1.2))
        self.wait(3.3)
        H = self.view.story.model.hidden_size
        shared = text(caption_text("label_shared", self.lang, n=H, count=H * H, steps=K),
                      20, HIGHLIGHT, self.lang)
        if shared.width > 6.0:  # room between the two legends
            shared.scale_to_fit_width(6.0)
        shared = one_path(shared.to_edge(UP, buff=0.35))
        self.pin(shared)
        self.say("r4_shared", vanish(self.selfs, run_time=1.2), Create(self.dense, run_time=1.2),
                 appear(shared, run_time=1.2))
        self.play(Indicate(self.ws_labels, color=HIGHLIGHT, scale_factor=1.3), run_time=1.2)
        self.wait(4.1)
        self.play(vanish(shared), run_time=0.8)

    def ws_label(self, k: int) -> MathTex:
        """W_S on the gap between copies k and k+1: among the links through time, a little
        above the hidden layers, three quarters along them (clear of the y_t rows, which are
        narrower and centred)."""
        c = self.chain
        j = (3 * len(self.view.units)) // 4
        a, b = c.hidden[k].neurons[j].get_center(), c.hidden[k + 1].neurons[j].get_center()
        label = MathTex("W_S", font_size=28, color=HIGHLIGHT).move_to((a + b) / 2 + OUT * 0.2)
        label.set_stroke("#000000", width=4, background=True)  # readable over the links
        self.renderer.camera.add_fixed_orientation_mobjects(label)
        return label

    # ---- R5 the equation ------------------------------------------------------------------

    def number_panel(self, k: int) -> VGroup:
        """Step k's real numbers, one row per drawn unit: S_{t-1}, the input's share
        W_in x_t + b_in, the memory's share W_s S_{t-1} + b_s (the new term, highlighted) and
        S_t = f(their sum)."""
        v = self.view
        sum_tex = r"\tanh(\Sigma)" if v.nonlinearity == "tanh" else r"\max(0,\Sigma)"
        heads = [MathTex(r"S_{t-1}", font_size=26),
                 MathTex(r"W_{in}x_t{+}b_{in}", font_size=26),
                 MathTex(r"W_s S_{t-1}{+}b_s", font_size=26, color=HIGHLIGHT),
                 MathTex(r"S_t{=}" + sum_tex, font_size=26)]
        columns = [(v.h_before[k], True, "#FFFFFF"), (v.pres_x[k], False, "#FFFFFF"),
                   (v.memory[k], False, HIGHLIGHT), (v.hs[k], True, "#FFFFFF")]
        groups = []
        for head, (values, dots, color) in zip(heads, columns, strict=True):
            # one Paragraph per column: one text layout instead of one per number
            rows = Paragraph(*(f"{v:+.2f}" for v in values), font_size=18, alignment="right",
                             line_spacing=0.75)
            rows.set_color(color)
            VGroup(head, rows).arrange(DOWN, buff=0.2)
            col = VGroup(one_path(head), one_path(rows))
            col.values = values  # what the column shows (for tests)
            if dots:  # each state beside a disc of its colour
                col.add(VGroup(*(Neuron(0.08, diverging(x / v.h_norm)).next_to(line, LEFT, 0.1)
                                 for line, x in zip(rows, values, strict=True))))
            groups.append(col)
        table = VGroup(*groups).arrange(RIGHT, buff=0.3, aligned_edge=UP)
        title = one_path(text(f"t = {self.t_label(k)},   xₜ = {v.input_symbol(k)}", 22))
        panel = VGroup(title, table).arrange(DOWN, buff=0.22, aligned_edge=LEFT)
        panel.to_edge(RIGHT, buff=0.3).shift(DOWN * 0.3)
        return panel

    def shot_R5(self) -> None:
        K = self.view.K
        k = 1 if K > 1 else 0
        plain = Formula(r"S = f(W_{in} X + b)")
        rnn = Formula(r"S_t = f(W_{in} X + ", r"W_s S_{t-1}", r" + b)",
                      colors={r"W_s S_{t-1}": HIGHLIGHT})
        self.pin(plain, rnn)
        self.say("r5_plain", Write(plain, run_time=1.2))
        self.wait(2)
        self.say("r5_rnn", ReplacementTransform(plain, rnn, run_time=1.2))
        self.play(Indicate(rnn[1], color=HIGHLIGHT), run_time=1.2)
        self.wait(1.8)
        panel = self.number_panel(k) if not self.skipping else None
        # the steps t-1 and t stay bright, left of the panel; the camera stays still, which
        # keeps the shot cheap to draw. R6 brightens the others again.
        self.dimmed = [self.chain.step(j) for j in range(K) if j not in (k - 1, k)]
        dim = [Opacity(o, 1, 0.25, run_time=0.8) for o in self.dimmed]
        self.board = [rnn]  # what R6 clears away as it begins
        if panel is None:  # skipped: leave the state the shot ends in
            self.say("r5_memory", *dim)
            return
        band = BackgroundRectangle(panel, color="#000000", fill_opacity=1.0, buff=0.15)
        self.pin(band, panel)
        self.say("r5_memory", *dim, appear(band, run_time=0.8), appear(panel[0], run_time=0.8))
        table = panel[1]
        before = self.chain.hidden[max(k - 1, 0)]
        self.play(appear(table[0]), Throb(before.neurons), run_time=1)
        self.play(appear(table[1]), self.in_links[k].pulse(run_time=1))
        self.play(appear(table[2]), *([self.dense[k - 1].pulse(run_time=1)] if k else []),
                  run_time=1)
        self.play(appear(table[3]), Throb(self.chain.hidden[k].neurons), run_time=1)
        self.wait(5.5)
        self.board += [band, panel]

    # ---- R6 iterate -----------------------------------------------------------------------

    def inset(self) -> tuple[VGroup, list[VGroup]]:
        """A flat table of the inputs and the model's predictions (and the targets, for text),
        one column per step; returns the table and its columns, to show one by one."""
        v = self.view
        K = v.K
        keys = ["label_input", "label_prediction"] + (["label_target"] if v.is_text else [])
        heads = Paragraph(*(caption_text(key, self.lang) for key in keys), font_size=18,
                          alignment="right", line_spacing=0.9,
                          font="Noto Sans CJK SC" if self.lang == "zh" else "")
        heads.set_color("#BBBBBB")
        cells = v.inset_rows()
        width = 0.45 if v.is_text else 0.72
        rows = Paragraph(*(" ".join(row) for row in cells), line_spacing=0.9,
                         font_size=20 if v.is_text else 14)
        cols: list[VGroup] = [VGroup() for _ in range(K)]
        for r, (line, row) in enumerate(zip(rows, cells, strict=True)):
            line.match_y(heads[r])
            start = 0
            for k, cell in enumerate(row):  # the glyphs of each cell (no spaces in a cell)
                glyphs = VGroup(*line[start:start + len(cell)])
                start += len(cell)
                glyphs.set_x(heads.get_right()[0] + 0.4 + width * (k + 0.5))
                if r == 1 and v.is_text and v.best_p is not None:
                    glyphs.set_color(sequential(v.best_p[k]))
                cols[k].add(glyphs)
        box = VGroup(heads, *cols)
        box.to_edge(UP, buff=0.3).set_x(0)  # between the two legends
        return box, cols

    def shot_R6(self) -> None:
        c, K = self.chain, self.view.K
        pace = min(1.2, max(1.0, 6 / K))  # a short window is played slower
        inset, cols = self.inset()
        self.pin(inset)
        # before the recurrence runs, every step is blank (0 on each layer's scale)
        blank = [layer.fill([0.0] * len(layer.neurons), lag_ratio=0, run_time=1.2)
                 for k in range(K) for layer in c.step(k)]
        self.say("r6_iterate", *blank, *(Opacity(o, 0.25, 1, run_time=1.2) for o in self.dimmed),
                 *(vanish(m, run_time=0.6) for m in self.board), appear(inset[0], run_time=1.2))
        for k in range(K):
            # last in the scene's list, step k is all that moves: the rest stays one still
            # image; one play per step, so that image is drawn once per step
            self.add(c.step(k))
            feeds = [self.in_links[k].pulse(run_time=0.8 * pace)]
            if k:
                feeds.append(self.dense[k - 1].pulse(run_time=0.8 * pace))
            beats = [c.inputs[k].fill(self.view.xs[k], lag_ratio=0, run_time=0.5 * pace),
                     AnimationGroup(*feeds),
                     c.hidden[k].fill(self.view.hs[k], lag_ratio=0.05, run_time=0.7 * pace)]
            if self.out_links:
                beats += [self.out_links[k].pulse(run_time=0.6 * pace),
                          AnimationGroup(c.outputs[k].fill(self.view.ys[k], lag_ratio=0),
                                         appear(cols[k]), run_time=0.5 * pace)]
            else:
                beats.append(appear(cols[k], run_time=0.4 * pace))
            self.play(Succession(*beats))
        self.say("r6_cascade")
        self.wait(5)
